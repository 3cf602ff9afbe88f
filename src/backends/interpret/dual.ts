// Forward-mode differentiation in the reference interpreter: `Grad` and `Gradient` by dual
// numbers (docs/design/differentiation.md), written apart from the symbolic pass so that each
// checks the other.
//
// A Grad body is compiled a second time, in "dual mode", over the same frames and slots as the
// ordinary compile: a subtree that reads no active variable (the Grad's variable, or a Let-bound
// one whose value depends on it) keeps its ordinary closure; the rest compute values that may
// be `Dual`s. Primal values go through ops.ts exactly as the interpreter computes them; tangents
// are Float64. Nested Grads tag their perturbations (each evaluation a fresh, larger tag; a Dual's
// parts hold only smaller tags), so second derivatives need no special case.

import { InternalError } from '../../diagnostics/diagnostic.js';
import { childEnv, type Bind, type Env } from '../../ir/binds.js';
import { children } from '../../ir/children.js';
import type { FnName } from '../../ir/functions.js';
import type { BinaryOp, Grad, Gradient, IR, Span, UnaryOp } from '../../ir/nodes.js';
import { fieldIndex, isIntegral, TFloat64, type StructType, type Type } from '../../ir/types.js';
import { compareValues, type Value } from '../../ir/value.js';
import type { DemandInfo } from '../../passes/demand.js';
import { AggContext } from './aggregate.js';
import type { Compiled, V } from './compile.js';
import { RuntimeError } from './errors.js';
import { findAgg, frame, lookup, type Frame, type Loc, type Stream } from './frames.js';
import { applyFunction, binaryOp, cast, comparisonOp, unaryOp } from './ops.js';
import { insertFields, selectFields } from './structs.js';
import type { TableValue } from './tables.js';

// ---- dual numbers ----------------------------------------------------------------------------

/** `v + d·ε_tag`. Never missing (a missing value is plain null); `v` and `d` hold only smaller tags. */
export class Dual {
  constructor(
    readonly tag: number,
    /** The primal: a Value of the node's type at the bottom, or a Dual of a smaller tag. */
    readonly v: unknown,
    /** The tangent, Float64. */
    readonly d: D,
  ) {}
}

/** A Float64 in tangent arithmetic. */
type D = number | Dual;
/** A tangent, or none (the value does not depend on that tag: no term is built). */
type T = D | undefined;

let lastTag = 0;

const tagOf = (x: unknown): number => (x instanceof Dual ? x.tag : 0);
const primalAt = (x: unknown, tag: number): unknown => (x instanceof Dual && x.tag === tag ? x.v : x);
const tangentAt = (x: unknown, tag: number): T => (x instanceof Dual && x.tag === tag ? x.d : undefined);
const make = (tag: number, v: unknown, d: T): unknown => (d === undefined ? v : new Dual(tag, v, d));

function bottom(x: unknown): unknown {
  while (x instanceof Dual) x = x.v;
  return x;
}

function hasDual(x: unknown): boolean {
  return x instanceof Dual || (Array.isArray(x) && x.some(hasDual));
}

/** The primal value, Duals removed also inside structs and tuples. */
function strip(x: unknown): Value {
  if (x instanceof Dual) return bottom(x) as Value;
  if (Array.isArray(x) && x.some(hasDual)) return x.map(strip);
  return x as Value;
}

/** A primal as a Float64 for tangent arithmetic (an Int64 is a bigint). */
function toD(x: unknown): D {
  if (x instanceof Dual) {
    const v = toD(x.v);
    return v === x.v ? x : new Dual(x.tag, v, x.d);
  }
  return typeof x === 'bigint' ? Number(x) : (x as number);
}

/** `x` with its bottom primal 0: what a Sum adds up besides the primals. */
function perturbation(x: Dual): D {
  return new Dual(x.tag, x.v instanceof Dual ? perturbation(x.v) : 0, x.d);
}

function withBottom(d: D, v: Value): unknown {
  return d instanceof Dual ? new Dual(d.tag, withBottom(d.v as D, v), d.d) : v;
}

// ---- arithmetic --------------------------------------------------------------------------------

const F64_1 = [TFloat64];
const F64_2 = [TFloat64, TFloat64];
const SMOOTH_BINARY: ReadonlySet<BinaryOp> = new Set(['Add', 'Subtract', 'Multiply', 'FloatingPointDivide']);
/** Steps (and tests): derivative 0 at every order, so the result is the plain primal. */
const STEP_FNS: ReadonlySet<FnName> = new Set(['sign', 'floor', 'ceil', 'toInt32', 'toInt64', 'isnan', 'is_finite']);

/** `ApplyBinaryPrimOp` on values that may be Duals; `t` the operand type. */
function binary(op: BinaryOp, t: Type, x: unknown, y: unknown): unknown {
  if (!(x instanceof Dual) && !(y instanceof Dual)) return binaryOp(op, t, x as Value, y as Value);
  if (!SMOOTH_BINARY.has(op)) return binaryOp(op, t, bottom(x) as Value, bottom(y) as Value);
  const tag = Math.max(tagOf(x), tagOf(y));
  const xv = primalAt(x, tag);
  const yv = primalAt(y, tag);
  const r = binary(op, t, xv, yv);
  if (r === null) return null;
  return make(tag, r, binaryRule(op, toD(xv), toD(yv), tangentAt(x, tag), tangentAt(y, tag)));
}

function unary(op: UnaryOp, t: Type, x: unknown): unknown {
  if (!(x instanceof Dual)) return unaryOp(op, t, x as Value);
  if (op !== 'Negate') return unaryOp(op, t, bottom(x) as Value);
  return new Dual(x.tag, unary(op, t, x.v), neg(x.d));
}

function castDual(from: Type, to: Type, x: unknown): unknown {
  if (from.kind === to.kind) return x;
  if (!(x instanceof Dual)) return cast(from, to, x as Value);
  // A cast to an integer type is a step (the identity cast, above, is no operation at all).
  if (isIntegral(to)) return cast(from, to, bottom(x) as Value);
  return new Dual(x.tag, castDual(from, to, x.v), x.d);
}

/** `Apply fn` on values that may be Duals; `types` the argument types. */
function apply(fn: FnName, types: readonly Type[], xs: readonly unknown[]): unknown {
  let tag = 0;
  for (const x of xs) if (x instanceof Dual && x.tag > tag) tag = x.tag;
  if (tag === 0) return applyFunction(fn, types, xs as Value[]);
  if (STEP_FNS.has(fn) || (fn === 'mod' && isIntegral(types[0]!))) return applyFunction(fn, types, xs.map(bottom) as Value[]);
  const vs = xs.map((x) => primalAt(x, tag));
  const r = apply(fn, types, vs);
  if (r === null) return null;
  const cmp = (i: number, j: number) => compareValues(types[0]!, bottom(vs[i]) as Value, bottom(vs[j]) as Value);
  const d = fnRule(fn, vs.map(toD), toD(r), xs.map((x) => tangentAt(x, tag)), cmp, types[0]!, bottom(vs[0]) as Value);
  return make(tag, r, d);
}

// Float64 tangent arithmetic, with a plain fast path.
const add = (x: D, y: D): D => (typeof x === 'number' && typeof y === 'number' ? x + y : (binary('Add', TFloat64, x, y) as D));
const sub = (x: D, y: D): D => (typeof x === 'number' && typeof y === 'number' ? x - y : (binary('Subtract', TFloat64, x, y) as D));
const mul = (x: D, y: D): D => (typeof x === 'number' && typeof y === 'number' ? x * y : (binary('Multiply', TFloat64, x, y) as D));
const div = (x: D, y: D): D => (typeof x === 'number' && typeof y === 'number' ? x / y : (binary('FloatingPointDivide', TFloat64, x, y) as D));
const neg = (x: D): D => (typeof x === 'number' ? -x : (unary('Negate', TFloat64, x) as D));
const f1 = (fn: FnName, x: D): D => apply(fn, F64_1, [x]) as D;
const f2 = (fn: FnName, x: D, y: D): D => apply(fn, F64_2, [x, y]) as D;

const scale = (k: D, d: T): T => (d === undefined ? undefined : mul(k, d));
const plus = (a: T, b: T): T => (a === undefined ? b : b === undefined ? a : add(a, b));
const minus = (a: T, b: T): T => (b === undefined ? a : a === undefined ? neg(b) : sub(a, b));

function binaryRule(op: BinaryOp, a: D, b: D, da: T, db: T): T {
  switch (op) {
    case 'Add':
      return plus(da, db);
    case 'Subtract':
      return minus(da, db);
    case 'Multiply':
      return plus(scale(b, da), scale(a, db));
    case 'FloatingPointDivide':
      return minus(da === undefined ? undefined : div(da, b), db === undefined ? undefined : div(mul(div(a, b), db), b));
    default:
      return undefined;
  }
}

/**
 * The derivative of `fn` (the table of differentiation.md, with its conventions). `a` the
 * arguments, `r` the result, `da` their tangents; `cmp(i, j)` compares arguments i and j by
 * the total order, `a0` is argument 0's primal.
 */
function fnRule(fn: FnName, a: readonly D[], r: D, da: readonly T[], cmp: (i: number, j: number) => number, t0: Type, a0: Value): T {
  const [x, y] = a as [D, D];
  const [dx, dy] = da;
  switch (fn) {
    case 'exp':
      return scale(r, dx);
    case 'log':
      return dx === undefined ? undefined : div(dx, x);
    case 'log10':
      return dx === undefined ? undefined : div(dx, mul(x, Math.LN10));
    case 'log2':
      return dx === undefined ? undefined : div(dx, mul(x, Math.LN2));
    case 'sqrt':
      if (dx === undefined) return undefined;
      // +inf at 0, whichever zero.
      return bottom(r) === 0 ? mul(Infinity, dx) : div(dx, mul(2, r));
    case 'pow': {
      // Each term is 0 where its guard says, even where the other factors are not finite.
      const byBase = dx === undefined ? undefined : bottom(y) === 0 ? 0 : mul(mul(y, f2('pow', x, sub(y, 1))), dx);
      const byExponent = dy === undefined ? undefined : bottom(x) === 0 ? 0 : mul(mul(r, f1('log', x)), dy);
      return plus(byBase, byExponent);
    }
    case 'abs':
      // abs'(0) = 1; by the total order NaN counts as >= 0.
      return dx === undefined ? undefined : compareValues(t0, a0, typeof a0 === 'bigint' ? 0n : 0) >= 0 ? dx : neg(dx);
    case 'min':
      // A tie takes the second argument; the other's term is 0, not absent (as the symbolic pass builds it).
      return (cmp(0, 1) < 0 ? dx : dy) ?? 0;
    case 'max':
      return (cmp(0, 1) > 0 ? dx : dy) ?? 0;
    case 'mod':
      // (Floating only: integer mod is a step.)
      return minus(dx, dy === undefined ? undefined : mul(Math.floor((bottom(x) as number) / (bottom(y) as number)), dy));
    case 'toFloat64':
      return dx;
    case 'sin':
      return scale(f1('cos', x), dx);
    case 'cos':
      return dx === undefined ? undefined : neg(mul(f1('sin', x), dx));
    case 'tan':
      return scale(add(1, mul(r, r)), dx);
    case 'asin':
      return dx === undefined ? undefined : div(dx, f1('sqrt', sub(1, mul(x, x))));
    case 'acos':
      return dx === undefined ? undefined : neg(div(dx, f1('sqrt', sub(1, mul(x, x)))));
    case 'atan':
      return dx === undefined ? undefined : div(dx, add(1, mul(x, x)));
    case 'atan2': {
      // atan2(y, x): here `x` is the first argument (y) and `y` the second (x).
      if (bottom(x) === 0 && bottom(y) === 0) return 0;
      const num = minus(scale(y, dx), scale(x, dy));
      return num === undefined ? undefined : div(num, add(mul(y, y), mul(x, x)));
    }
    case 'sinh':
      return scale(f1('cosh', x), dx);
    case 'cosh':
      return scale(f1('sinh', x), dx);
    case 'tanh':
      return scale(sub(1, mul(r, r)), dx);
    case 'log1p':
      return dx === undefined ? undefined : div(dx, add(1, x));
    case 'expm1':
      return scale(add(r, 1), dx);
    case 'sigmoid':
      return scale(mul(r, sub(1, r)), dx);
    case 'softplus':
      // ops.ts's sigmoid is stable: exactly 1 at 1000 and 0 at -1000.
      return scale(f1('sigmoid', x), dx);
    default:
      throw new InternalError(`dual: ${fn} is a step`);
  }
}

// ---- aggregation -------------------------------------------------------------------------------

// A Sum's value depends on a Grad variable through its rows: beside the primal the aggregator
// adds up, each aggregation context keeps, per Sum, the sum of the rows' perturbations (their
// Duals with the bottom primal 0).
const tangents = new WeakMap<AggContext, Map<IR, D>>();

function addTangent(c: AggContext, node: IR, d: D): void {
  let m = tangents.get(c);
  if (m === undefined) tangents.set(c, (m = new Map()));
  const old = m.get(node);
  m.set(node, old === undefined ? d : add(old, d));
}

// Rows are fed before a Grad inside the aggregation's query evaluates: they perturb its
// variables with tags of their own, one per row, stored under canonical tags (above every real
// one, in the same order) and renamed to the Grad's tag where the Sum is read.
const CANONICAL = 2 ** 51;
const PER_LEVEL = 2 ** 20;

/** `x` with the tags of `ranges[k]` (Grads between the aggregation and the Sum) made canonical. */
function canonical(x: D, firsts: readonly number[], counts: readonly number[]): D {
  if (!(x instanceof Dual)) return x;
  for (let k = 0; k < firsts.length; k++) {
    const j = x.tag - firsts[k]!;
    if (j >= 0 && j < counts[k]!) return new Dual(CANONICAL + k * PER_LEVEL + j, canonical(x.v as D, firsts, counts), canonical(x.d, firsts, counts));
  }
  return x; // a tag of a Grad around the aggregation: so is everything inside
}

/** The inverse for one evaluation: level k's variable `indices[k]` gets tag `tags[k]`, the others are 0. */
function realize(x: D, indices: readonly number[], tags: readonly (number | null)[]): D {
  if (!(x instanceof Dual) || x.tag < CANONICAL) return x;
  const k = Math.floor((x.tag - CANONICAL) / PER_LEVEL);
  const j = x.tag - CANONICAL - k * PER_LEVEL;
  const v = realize(x.v as D, indices, tags);
  const tag = tags[k];
  return indices[k] === j && tag !== null && tag !== undefined ? new Dual(tag, v, realize(x.d, indices, tags)) : v;
}

// ---- compilation -----------------------------------------------------------------------------

type Seq = (f: Frame, ctx: AggContext) => void;

export interface DualDeps {
  readonly typeOf: (n: IR) => Type;
  readonly resolve: (binder: IR, bind: Bind, scope: string, ordinal: number) => Loc;
  /** Whether the ordinary compile made `n` missing without evaluating it (unneeded, or missing by its form). */
  readonly skipped: (n: IR) => boolean;
  readonly demand: DemandInfo | undefined;
  /** Records where an operation that may raise begins (compile.ts's `raisedAt`). */
  readonly at: (span: Span | undefined) => void;
}

/**
 * A node compiled in dual mode. `dep` is the deepest Grad level it depends on, -1 for none (its
 * ordinary closures); `flows` has bit l set when level l's variables flow into its value as data
 * (not only through a condition).
 */
interface DC {
  readonly dep: number;
  readonly flows: number;
  readonly v: V;
  readonly seq: Seq | null;
  readonly aggScope: IR | null;
}

type GradNode = Grad | Gradient;

interface DCtx {
  readonly env: Env<Loc>;
  readonly aggScope: IR | null;
  /** How many Grads of this compile enclose the node, less one (the outermost's body is level 0). */
  readonly level: number;
  /** The Grad of each level, and which of its variables this compile varies (-1: all, the per-row compile). */
  readonly grads: readonly { readonly node: GradNode; readonly index: number }[];
}

/** An active variable: read at its own slot (`to` null) or where its Grad put the dual. */
interface Active {
  readonly to: Loc | null;
  readonly level: number;
  readonly flows: number;
}
type ActiveMap = Map<IR | null, Map<number, Active>>;

interface Walk {
  readonly deps: DualDeps;
  readonly active: ActiveMap;
  /** Aggregations opened inside the compile, by level. */
  readonly owners: Map<IR, number>;
  /** The first active node dual mode cannot differentiate, and why (shared by the walks of one compile). */
  readonly problem: { first: { readonly node: IR; readonly what: string } | null };
}

const getActive = (m: ActiveMap, loc: Loc): Active | undefined => m.get(loc.binder)?.get(loc.slot);
function setActive(m: ActiveMap, loc: Loc, a: Active): void {
  let inner = m.get(loc.binder);
  if (inner === undefined) m.set(loc.binder, (inner = new Map()));
  inner.set(loc.slot, a);
}
const cloneActive = (m: ActiveMap): ActiveMap => new Map([...m].map(([k, v]) => [k, new Map(v)]));

const readAt = (loc: Loc, a: Active | undefined): V => {
  const at = a?.to ?? loc;
  return (f) => lookup(f, at);
};

const varNames = (g: GradNode): readonly string[] => (g.kind === 'Grad' ? [g.name] : g.names);

const varLoc = (env: Env<Loc>, name: string): Loc => {
  const loc = env.eval.get(name);
  if (loc === undefined) throw new InternalError(`interpreter: unbound ${name}`);
  return loc;
};

const partsOf = (c: Compiled): readonly Compiled[] => {
  if (c.parts === undefined) throw new InternalError('interpreter: a node inside a Grad was compiled without its parts');
  return c.parts;
};

function inactive(c: Compiled): DC {
  return { dep: -1, flows: 0, v: c.v, seq: c.seq, aggScope: c.aggScope };
}

function childCtx(node: IR, i: number, ctx: DCtx, deps: DualDeps): DCtx {
  const env = childEnv(node, i, ctx.env, deps.resolve);
  return { env, aggScope: env.agg !== null ? (env.aggOwner ?? null) : null, level: ctx.level, grads: ctx.grads };
}

/** One evaluation of a Grad body: the variable (read by `x`) a dual of a fresh tag, the result its tangent. */
function derivative(x: V, body: V, binder: IR, f: Frame): unknown {
  const xv = x(f);
  const tag = ++lastTag;
  const r = body(frame(binder, [xv === null ? null : new Dual(tag, xv, 1)], f));
  if (r === null) return null;
  return r instanceof Dual && r.tag === tag ? r.d : 0;
}

/** A Grad's per-row work: its variables all perturbed (tags from `first` on, stored after them), its body's. */
function rowSeq(node: GradNode, xs: readonly V[], body: Seq): Seq {
  return (f, c) => {
    const first = lastTag + 1;
    const slots: unknown[] = xs.map((x) => {
      const v = x(f);
      const tag = ++lastTag;
      return v === null ? null : new Dual(tag, v, 1);
    });
    slots.push(first);
    body(frame(node, slots, f), c);
  };
}

interface GradParts {
  /** Per variable: how to read it outside, and the body compiled with it active. */
  readonly per: readonly { readonly x: V; readonly body: DC }[];
  /** The body compiled with every variable active, for the rows (the only one for a Grad). */
  readonly row: DC;
}

/** The dual-mode compiles of a Grad or Gradient's body; `ctx` is the node's. */
function gradParts(node: GradNode, body: Compiled, ctx: DCtx, w: Walk): GradParts {
  const level = ctx.level + 1;
  const bodyCtx = childCtx(node, 0, ctx, w.deps);
  const names = varNames(node);
  const locs = names.map((name) => varLoc(ctx.env, name));
  const compileWith = (index: number): DC => {
    const active = cloneActive(w.active);
    locs.forEach((loc, i) => {
      if (index < 0 || i === index) setActive(active, loc, { to: { binder: node, slot: index < 0 ? i : 0 }, level, flows: bit(level) });
    });
    return walk(node.body, body, { ...bodyCtx, level, grads: [...ctx.grads, { node, index }] }, { ...w, active });
  };
  const per = locs.map((loc, i) => ({ x: readAt(loc, getActive(w.active, loc)), body: compileWith(i) }));
  return { per, row: names.length === 1 ? per[0]!.body : compileWith(-1) };
}

function gradValue(node: GradNode, parts: GradParts): V {
  if (node.kind === 'Grad') {
    const { x, body } = parts.per[0]!;
    const b = body.v;
    return (f) => derivative(x, b, node, f);
  }
  return (f) => parts.per.map(({ x, body }) => derivative(x, body.v, node, f));
}

/** The Grad's per-row work, when its body has some in the enclosing aggregation (`aggScope`). */
function gradSeq(node: GradNode, parts: GradParts, aggScope: IR | null): Seq | null {
  const row = parts.row;
  const seq = row.aggScope === aggScope ? row.seq : null;
  if (seq === null || row.dep < 0) return seq;
  return rowSeq(
    node,
    parts.per.map((p) => p.x),
    seq,
  );
}

/**
 * A `Grad` or `Gradient` of the ordinary compile: its value, and its per-row work when the
 * enclosing aggregation's rows must perturb its variables (else the ordinary work stays).
 * `env` and `aggScope` are the node's; `body` is the ordinary compile of its body, with parts.
 */
export function compileGrad(node: GradNode, env: Env<Loc>, aggScope: IR | null, body: Compiled, deps: DualDeps): { v: V; seq?: Seq | null } {
  const w: Walk = { deps, active: new Map(), owners: new Map(), problem: { first: null } };
  const parts = gradParts(node, body, { env, aggScope, level: -1, grads: [] }, w);
  const bad = w.problem.first;
  if (bad !== null) {
    return {
      v: () => {
        throw raise(bad.node, `${node.kind} cannot differentiate through ${bad.what}`);
      },
    };
  }
  const seq = gradSeq(node, parts, aggScope);
  return seq === (body.aggScope === aggScope ? body.seq : null) ? { v: gradValue(node, parts) } : { v: gradValue(node, parts), seq };
}

function raise(node: IR, message: string): RuntimeError {
  const e = new RuntimeError('InvalidArgument', message);
  e.span = node.span;
  return e;
}

interface Item {
  readonly node: IR;
  readonly ctx: DCtx;
  readonly comp: Compiled;
  readonly kids: readonly IR[];
  readonly results: DC[];
}

/** Dual-mode compile of `root` (whose ordinary compile is `comp`), on an explicit stack. */
function walk(root: IR, comp: Compiled, ctx0: DCtx, w: Walk): DC {
  const stack: Item[] = [];
  const start = (node: IR, c: Compiled, ctx: DCtx): DC | null => {
    if (w.deps.skipped(node)) return inactive(c);
    if (node.kind === 'Grad' || node.kind === 'Gradient') return nestedGrad(node, c, ctx, w);
    stack.push({ node, ctx, comp: c, kids: children(node), results: [] });
    return null;
  };
  const first = start(root, comp, ctx0);
  if (first !== null) return first;
  for (;;) {
    const top = stack[stack.length - 1]!;
    const i = top.results.length;
    if (i < top.kids.length) {
      const r = start(top.kids[i]!, partsOf(top.comp)[i]!, enter(top, i, w));
      if (r !== null) top.results.push(r);
      continue;
    }
    const r = leave(top, w);
    stack.pop();
    if (stack.length === 0) return r;
    stack[stack.length - 1]!.results.push(r);
  }
}

function enter(top: Item, i: number, w: Walk): DCtx {
  const { node, ctx, results } = top;
  // A Let binding whose value depends on a Grad variable is active where it is visible.
  const bound = node.kind === 'Let' && i > 0 ? results[i - 1]! : node.kind === 'AggLet' && i === 1 ? results[0]! : undefined;
  if (bound !== undefined && bound.dep >= 0) setActive(w.active, { binder: node, slot: i - 1 }, { to: null, level: bound.dep, flows: bound.flows });
  if ((node.kind === 'TableAggregate' || node.kind === 'StreamAgg') && i === 1) w.owners.set(node, ctx.level);
  return childCtx(node, i, ctx, w.deps);
}

/** A Grad or Gradient inside a Grad body: compiled again with the enclosing variables active too. */
function nestedGrad(node: GradNode, c: Compiled, ctx: DCtx, w: Walk): DC {
  const parts = gradParts(node, partsOf(c)[0]!, ctx, w);
  const dep = Math.max(parts.row.dep, ...parts.per.map((p) => p.body.dep));
  if (dep < 0) return inactive(c);
  // (Its own variables are no dependence of its value.)
  const flows = parts.per.reduce((m, p) => m | p.body.flows, 0) & (bit(ctx.level + 1) - 1);
  return { dep: Math.min(dep, ctx.level), flows, v: gradValue(node, parts), seq: gradSeq(node, parts, ctx.aggScope), aggScope: ctx.aggScope };
}

function leave(top: Item, w: Walk): DC {
  const { node, ctx, results: kids } = top;
  if (node.kind === 'Ref') {
    const loc = varLoc(ctx.env, node.name);
    const a = getActive(w.active, loc);
    if (a === undefined) return inactive(top.comp);
    return { dep: a.level, flows: a.flows, v: readAt(loc, a), seq: null, aggScope: ctx.aggScope };
  }
  let dep = -1;
  for (const k of kids) if (k.dep > dep) dep = k.dep;
  if (dep < 0) return inactive(top.comp);
  const own = (k: DC): Seq | null => (k.aggScope === ctx.aggScope ? k.seq : null);
  const flows = flowsOf(node, kids, w.deps.typeOf);
  const built = activeNode(node, ctx, kids, own, flows, w);
  if (typeof built === 'string') {
    // compileGrad refuses the whole Grad, so these never run.
    w.problem.first ??= { node, what: built };
    return { dep, flows, v: () => null, seq: null, aggScope: ctx.aggScope };
  }
  let seq = built.seq;
  if (seq === undefined) {
    // By default a node's per-row work is its children's.
    const fs = kids.map(own).filter((s): s is Seq => s !== null);
    seq =
      fs.length === 0
        ? null
        : fs.length === 1
          ? fs[0]!
          : (f, c) => {
              for (const s of fs) s(f, c);
            };
  }
  return { dep, flows, v: built.v, seq, aggScope: ctx.aggScope };
}

const bit = (level: number): number => (level < 30 ? 1 << level : 0);

/** Which levels' variables flow into `node`'s value as data (`DC.flows`). */
function flowsOf(node: IR, kids: readonly DC[], typeOf: (n: IR) => Type): number {
  const or = (from = 0, to = kids.length): number => {
    let m = 0;
    for (let i = from; i < to; i++) m |= kids[i]!.flows;
    return m;
  };
  switch (node.kind) {
    case 'If':
    case 'Switch':
      return or(1);
    case 'ApplyComparisonOp':
    case 'IsNA':
      return 0;
    case 'Cast':
      return isIntegral(node.type) && typeOf(node.value).kind !== node.type.kind ? 0 : or();
    case 'ApplyBinaryPrimOp':
      return SMOOTH_BINARY.has(node.op) ? or() : 0;
    case 'ApplyUnaryPrimOp':
      return node.op === 'Negate' ? or() : 0;
    case 'Apply': {
      const fn = node.fn as FnName;
      return STEP_FNS.has(fn) || (fn === 'mod' && isIntegral(typeOf(node.args[0]!))) ? 0 : or();
    }
    case 'Let':
    case 'AggLet':
    case 'RelationalLet':
    case 'AggFilter':
    case 'TableAggregate':
    case 'StreamAgg':
      return kids[kids.length - 1]!.flows;
    default:
      return or();
  }
}

function withZeroTangent(x: unknown, tag: number): unknown {
  if (!(x instanceof Dual) || x.tag < tag) return new Dual(tag, x, 0);
  return x.tag === tag ? x : new Dual(x.tag, withZeroTangent(x.v, tag), x.d);
}

/**
 * `v` with a tangent (0 if none) for each level in `flows`. Where a branch or a Sum's rows
 * happened not to carry one, the symbolic pass still builds the term (0), which matters only
 * where it multiplies an infinity or a NaN; so the two give the same number.
 */
function zeroTangents(v: V, flows: number, grads: DCtx['grads']): V {
  const duals = grads.flatMap((g, level): Loc[] => ((flows & bit(level)) !== 0 ? [{ binder: g.node, slot: 0 }] : []));
  if (duals.length === 0) return v;
  return (f) => {
    let x = v(f);
    if (!(typeof x === 'number' || typeof x === 'bigint' || x instanceof Dual)) return x;
    for (const l of duals) {
      const d = lookup(f, l);
      if (d instanceof Dual) x = withZeroTangent(x, d.tag);
    }
    return x;
  };
}

/**
 * The dual-mode closures of a node with an active child; a string naming the construct when
 * dual mode cannot differentiate through it.
 */
function activeNode(
  node: IR,
  ctx: DCtx,
  kids: readonly DC[],
  own: (k: DC) => Seq | null,
  flows: number,
  w: Walk,
): { v: V; seq?: Seq | null } | string {
  const { deps } = w;
  const { typeOf, at } = deps;
  const k = kids.map((c) => c.v);
  const span = node.span;
  switch (node.kind) {
    case 'Cast': {
      const from = typeOf(node.value);
      const to = node.type;
      const [a] = k as [V];
      return {
        v: (f) => {
          const x = a(f);
          at(span);
          return castDual(from, to, x);
        },
      };
    }
    case 'IsNA': {
      const [a] = k as [V];
      return { v: (f) => a(f) === null };
    }
    case 'Coalesce':
      return {
        v: zeroTangents(
          (f) => {
            for (const a of k) {
              const x = a(f);
              if (x !== null) return x;
            }
            return null;
          },
          flows,
          ctx.grads,
        ),
      };
    case 'If': {
      const [c, a, b] = k as [V, V, V];
      return {
        v: zeroTangents(
          (f) => {
            const x = c(f);
            return x === null ? null : x ? a(f) : b(f);
          },
          flows,
          ctx.grads,
        ),
      };
    }
    case 'Switch': {
      const [x, d, ...cases] = k as [V, V, ...V[]];
      return {
        v: zeroTangents(
          (f) => {
            const i = bottom(x(f)) as number | null;
            if (i === null) return null;
            return i >= 0 && i < cases.length ? cases[i]!(f) : d(f);
          },
          flows,
          ctx.grads,
        ),
      };
    }
    case 'Let': {
      const n = node.bindings.length;
      const vals = k.slice(0, n);
      const body = k[n]!;
      if (node.bindings.every((b) => b.scope === 'eval')) {
        return {
          v: (f) => {
            const ef = frame(node, new Array(n), f);
            for (let j = 0; j < n; j++) ef.slots[j] = vals[j]!(ef);
            return body(ef);
          },
        };
      }
      if (node.bindings.some((b) => b.scope === 'scan')) return 'a scan binding of Let';
      // As compile.ts: agg bindings per row, eval ones in the result phase.
      const parts = node.bindings.map((b, j) => (b.scope === 'agg' ? null : own(kids[j]!)));
      const bodySeq = own(kids[n]!);
      const seq: Seq = (f, c) => {
        const af = frame(node, [], f);
        node.bindings.forEach((b, j) => {
          if (b.scope === 'agg') af.slots[j] = vals[j]!(af);
          else parts[j]?.(af, c);
        });
        bodySeq?.(af, c);
      };
      return {
        v: (f) => {
          const ef = frame(node, [], f);
          node.bindings.forEach((b, j) => {
            if (b.scope === 'eval') ef.slots[j] = vals[j]!(ef);
          });
          return body(ef);
        },
        seq,
      };
    }
    case 'AggLet': {
      if (node.isScan) return 'AggLet (scan)';
      const value = k[0]!;
      const inner = own(kids[1]!);
      return { v: k[1]!, seq: inner && ((f, c) => inner(frame(node, [value(f)], f), c)) };
    }
    case 'ApplyBinaryPrimOp': {
      const lt = typeOf(node.l);
      const [l, r] = k as [V, V];
      const op = node.op;
      return {
        v: (f) => {
          const x = l(f);
          const y = r(f);
          at(span);
          return binary(op, lt, x, y);
        },
      };
    }
    case 'ApplyUnaryPrimOp': {
      const xt = typeOf(node.x);
      const [x] = k as [V];
      const op = node.op;
      return {
        v: (f) => {
          const v = x(f);
          at(span);
          return unary(op, xt, v);
        },
      };
    }
    case 'ApplyComparisonOp': {
      const lt = typeOf(node.l);
      const [l, r] = k as [V, V];
      const op = node.op;
      return { v: (f) => comparisonOp(op, lt, strip(l(f)), strip(r(f))) };
    }
    case 'MakeStruct':
    case 'MakeTuple':
      return { v: (f) => k.map((a) => a(f)) };
    case 'InsertFields': {
      const [old, ...vals] = k as [V, ...V[]];
      return { v: insertFields(node, typeOf(node.old) as StructType, typeOf(node) as StructType, old, vals) };
    }
    case 'SelectFields':
      return { v: selectFields(node.fields, typeOf(node.old) as StructType, k[0] as V) };
    case 'GetField': {
      const i = fieldIndex(typeOf(node.o) as StructType, node.name);
      const [o] = k as [V];
      return {
        v: (f) => {
          const s = o(f) as readonly unknown[] | null;
          return s === null ? null : s[i];
        },
      };
    }
    case 'GetTupleElement': {
      const tt = typeOf(node.o);
      const i = tt.kind === 'Tuple' ? tt.fields.findIndex((x) => x.index === node.index) : -1;
      const [o] = k as [V];
      return {
        v: (f) => {
          const s = o(f) as readonly unknown[] | null;
          return s === null ? null : s[i];
        },
      };
    }
    case 'Apply': {
      const argTypes = node.args.map(typeOf);
      const fn = node.fn as FnName;
      return {
        v: (f) => {
          const xs = k.map((a) => a(f));
          at(span);
          return apply(fn, argTypes, xs);
        },
      };
    }
    case 'RelationalLet': {
      if (kids[0]!.dep >= 0) return 'the value of RelationalLet';
      const [val, body] = k as [V, V];
      return { v: (f) => body(frame(node, [val(f)], f)) };
    }
    case 'ApplyAggOp': {
      if (node.op !== 'Sum') return `ApplyAggOp ${node.op}`;
      if (node.initArgs.length > 0) return 'the init arguments of ApplyAggOp';
      const seqTypes = node.seqArgs.map(typeOf);
      const arg = k[0]!;
      // The Grads between the aggregation and this Sum: their variables vary per row (rowSeq).
      const ownerLevel = ctx.aggScope === null ? -1 : (w.owners.get(ctx.aggScope) ?? -1);
      const between = ctx.grads.slice(ownerLevel + 1);
      const firstTags = between.map((g): Loc => ({ binder: g.node, slot: varNames(g.node).length }));
      const counts = between.map((g) => varNames(g.node).length);
      const indices = between.map((g) => g.index);
      const duals = between.map((g): Loc => ({ binder: g.node, slot: 0 }));
      const feed: Seq = (f, c) => {
        const x = arg(f);
        at(span);
        c.feed(node, 'Sum', seqTypes, [bottom(x) as Value]);
        if (!(x instanceof Dual)) return;
        addTangent(c, node, perturbation((between.length === 0 ? x : canonical(x, firstTags.map((l) => lookup(f, l) as number), counts)) as Dual));
      };
      const v: V = (f) => {
        const c = findAgg(f, false);
        at(span);
        const r = c.result(node, 'Sum', seqTypes, () => []);
        const d = tangents.get(c)?.get(node);
        if (d === undefined) return r;
        if (between.length === 0) return withBottom(d, r);
        const tags = duals.map((l) => {
          const x = lookup(f, l);
          return x instanceof Dual ? x.tag : null;
        });
        return withBottom(realize(d, indices, tags), r);
      };
      return { v: zeroTangents(v, flows, ctx.grads), seq: feed };
    }
    case 'AggFilter': {
      if (node.isScan) return 'AggFilter (scan)';
      const cond = k[0]!;
      const inner = own(kids[1]!);
      return { v: k[1]!, seq: inner && ((f, c) => (cond(f) === true ? inner(f, c) : undefined)) };
    }
    case 'TableAggregate': {
      const [tv, query] = k as [V, V];
      const qseq = kids[1]!.seq;
      const demand = deps.demand;
      const readGlobal = demand === undefined || demand.table(node.child).global !== null;
      const readRows = demand === undefined || demand.table(node.child).count;
      return {
        v: (f) => {
          const table = tv(f) as TableValue;
          const global = readGlobal ? table.global : null;
          const c = new AggContext();
          if (readRows && qseq !== null) for (const row of table.rows()) qseq(frame(node, [global, row], f), c);
          return query(frame(node, [global], f, { agg: c }));
        },
      };
    }
    case 'StreamAgg': {
      const [a, query] = k as [V, V];
      const qseq = kids[1]!.seq;
      return {
        v: (f) => {
          const xs = a(f) as Stream | null;
          if (xs === null) return null;
          const c = new AggContext();
          if (qseq !== null) for (const x of xs) qseq(frame(node, [x], f), c);
          return query(frame(node, [], f, { agg: c }));
        },
      };
    }
    default:
      return node.kind;
  }
}
