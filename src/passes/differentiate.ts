// Symbolic differentiation: rewrites every `Grad` and `Gradient` into plain IR, in reverse mode
// with sharing (docs/design/differentiation.md).
//
// A body is put in A-normal form: a chain of let-bound primal values, where each value that
// depends on a differentiated variable (an *active* one) records its edges: for each active
// input, how an adjoint flows back to it. One backward sweep over the chain then gives every
// partial at once, each intermediate's adjoint let-bound and shared.
//
// Control flow and aggregations are *blocks*: an `If` branch, a `Switch` case, the rest of a
// `Coalesce`, a `TableAggregate` query, the per-row argument of a `Sum`. A block is swept on
// its own, seeded at its result, and returns `Struct{v: value, d0_j: d value / d u_j}` for the
// active variables u_j it reads from outside; the enclosing chain then treats it as one
// operation whose partials are those fields. So each node is swept once whatever the nesting.
//
// Nested `Grad`s (higher derivatives) are rewritten innermost first, a round per level.

import { Map as IMap } from 'immutable';
import { diagnostic, InternalError, UserError } from '../diagnostics/diagnostic.js';
import * as B from '../ir/build.js';
import { children, withChildren } from '../ir/children.js';
import type { FnName } from '../ir/functions.js';
import { isFnName } from '../ir/functions.js';
import type { Binding, IR, ValueIR } from '../ir/nodes.js';
import { TBoolean, TFloat64, tStruct, tTupleFields, isNumeric, isFloating as isFloatingType, type StructType, type TupleType, type Type } from '../ir/types.js';
import { fold, forEachNode, maxDepth, memoFold, rewriteBottomUp } from '../ir/walk.js';
import { alphaKey } from '../ir/equal.js';
import { simplify } from './simplify.js';
import { analyzeRequiredness, type Requiredness, type RequirednessOptions } from './requiredness.js';
import { isTableType, typecheck, type AnyType, type TypecheckOptions } from './typecheck.js';

export interface Differentiated {
  readonly ir: IR;
  /** The `Grad` and `Gradient` nodes rewritten. */
  readonly rewritten: number;
}

/** Rewrites every `Grad`/`Gradient` of a type-checked program. Throws `UserError` on a body it cannot differentiate. */
export function differentiate(root: IR, options: TypecheckOptions & RequirednessOptions = {}): Differentiated {
  let ir = root;
  let rewritten = 0;
  for (;;) {
    ir = shareGrads(ir);
    const info = typecheck(ir, options);
    if (info.diagnostics.length > 0) throw new UserError(info.diagnostics);
    let round: { ir: IR; count: number };
    try {
      round = rewriteInnermost(ir, info.types, options);
    } catch (e) {
      // A-normal form recurses per level of the body: past this thread's stack, say so plainly.
      if (e instanceof RangeError && /call stack/.test(e.message)) {
        throw new UserError([diagnostic('tooDeep', root.span, `a Grad body nests too deeply (${maxDepth(root)} levels) to differentiate on this thread's stack`, 'run it with `irc run`, which uses a worker with a larger stack')]);
      }
      throw e;
    }
    // Done: the safe simplifier tidies what the rounds built (constants folded, x + -0.0 ...).
    if (round.count === 0) return { ir: rewritten > 0 ? simplify(ir, info.types) : ir, rewritten };
    ir = round.ir;
    rewritten += round.count;
  }
}

export function hasGrad(root: IR): boolean {
  let found = false;
  forEachNode(root, (n) => {
    if (n.kind === 'Grad' || n.kind === 'Gradient') found = true;
    return !found;
  });
  return found;
}

/** One round: the `Grad`s with no `Grad` inside. */
function rewriteInnermost(root: IR, types: ReadonlyMap<IR, AnyType>, options: RequirednessOptions): { ir: IR; count: number } {
  const holds = new Set<IR>(); // nodes with a Grad strictly inside
  const prefix = freshPrefix(root);
  let counter = 0;
  let req: Requiredness | undefined;
  let count = 0;
  const out = rewriteBottomUp(root, (n) => {
    const inner = children(n).some((c) => holds.has(c) || c.kind === 'Grad' || c.kind === 'Gradient');
    if (inner) holds.add(n);
    if ((n.kind !== 'Grad' && n.kind !== 'Gradient') || inner) return n;
    // (A source's NOT NULL columns make per-row values required: no missing guard for them.)
    req ??= analyzeRequiredness(root, types, options);
    count++;
    const d = new Differ(types, req, () => `${prefix}${counter++}`, n.kind === 'Grad' ? [n.name] : n.names);
    const out = d.rewrite(n);
    holds.add(out); // an enclosing Grad waits for the next round, when this has types
    return out;
  });
  return { ir: out, count };
}

/**
 * Grads of one body (up to bound names) in one strict region (operations that evaluate all
 * their operands, so all the Grads run whenever any does) become one `Gradient`, let-bound at
 * the region's top: one sweep for all, sharing every intermediate.
 */
function shareGrads(root: IR): IR {
  const parent = new Map<IR, IR>();
  forEachNode(root, (n) => {
    for (const c of children(n)) parent.set(c, n);
  });
  // The innermost Grads: one post-order pass says which nodes hold a Grad below them.
  const holdsGrad = new WeakMap<IR, boolean>();
  const grads: (IR & { kind: 'Grad' | 'Gradient' })[] = [];
  memoFold(root, holdsGrad, (n, kids) => {
    const below = kids.some((k) => k);
    if ((n.kind === 'Grad' || n.kind === 'Gradient') && !below) grads.push(n);
    return below || n.kind === 'Grad' || n.kind === 'Gradient';
  });
  if (grads.length < 2) return root;
  const top = new Map<IR, IR>();
  const regionTop = (n: IR): IR => {
    const path: IR[] = [];
    let r = n;
    for (;;) {
      const known = top.get(r);
      if (known !== undefined) {
        r = known;
        break;
      }
      path.push(r);
      const p = parent.get(r);
      if (p === undefined || !SHALLOW.has(p.kind)) break;
      r = p;
    }
    for (const x of path) top.set(x, r);
    return r;
  };
  const groups = new Map<string, (IR & { kind: 'Grad' | 'Gradient' })[]>();
  const tops = new Map<IR, number>();
  for (const g of grads) {
    const t = regionTop(g);
    if (!tops.has(t)) tops.set(t, tops.size);
    const key = `${tops.get(t)}\u0000${alphaKey(g.body)}`;
    const l = groups.get(key);
    if (l === undefined) groups.set(key, [g]);
    else l.push(g);
  }
  const prefix = freshPrefix(root);
  let counter = 0;
  const replace = new Map<IR, ValueIR>();
  const wrap = new Map<IR, Binding[]>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const names = [...new Set(members.flatMap((m) => (m.kind === 'Grad' ? [m.name] : m.names)))];
    const name = `${prefix}g${counter++}`;
    const shared: ValueIR = { ...B.gradient(names, members[0]!.body), span: members[0]!.span };
    for (const m of members) replace.set(m, m.kind === 'Grad' ? B.getField(m.name, B.ref(name)) : B.makeStruct(m.names.map((n) => [n, B.getField(n, B.ref(name))])));
    const t = regionTop(members[0]!);
    wrap.set(t, [...(wrap.get(t) ?? []), { scope: 'eval', name, value: shared }]);
  }
  if (replace.size === 0) return root;
  return fold<null, IR>(root, null, {
    enter: () => null,
    leave: (n, _ctx, kids) => {
      const out = replace.get(n) ?? withChildren(n, kids);
      const lets = wrap.get(n);
      return lets === undefined ? out : B.let_(lets, out as ValueIR);
    },
  });
}

/** A prefix no `Ref` of the program starts with, so fresh names capture nothing. */
function freshPrefix(root: IR): string {
  const names: string[] = [];
  forEachNode(root, (n) => {
    if (n.kind === 'Ref') names.push(n.name);
  });
  let p = '__d';
  while (names.some((m) => m.startsWith(p))) p += '_';
  return p;
}

// ---- atoms and chains -----------------------------------------------------------------------

/** A value in the chain: a `Ref` or a literal, active when it names a differentiated value. */
interface Scalar {
  readonly k: 's';
  readonly ir: ValueIR;
  readonly type: Type;
  /** The chain variable (or differentiated variable) it is, when active. */
  readonly act?: string;
}
/** A struct or tuple known part by part (built in the chain), so fields resolve statically. */
interface Composite {
  readonly k: 'c';
  readonly type: StructType | TupleType;
  readonly parts: ReadonlyMap<string | number, Atom>;
}
type Atom = Scalar | Composite;

interface Edge {
  readonly to: string;
  /** The contribution to `to`'s adjoint, given this variable's adjoint. */
  readonly contrib: (adj: ValueIR) => ValueIR;
  /** The contribution is adj * GetField(field, struct): a sum's partials, which a block can export whole. */
  readonly via?: { readonly struct: string; readonly field: string };
}

/** Edges whose contributions all scale one adjoint by a `factor` (bound once). */
interface Group {
  readonly factor: () => ValueIR;
  readonly edges: readonly Edge[];
}

interface ChainVar {
  readonly name: string;
  readonly edges: readonly Edge[];
  readonly groups: readonly Group[];
}

class Block {
  readonly bindings: Binding[] = [];
  /** Active chain variables, in order, with their edges. */
  readonly vars: ChainVar[] = [];
  readonly own = new Set<string>();
}

interface Cx {
  readonly b: Block;
  readonly env: IMap<string, Atom>;
  /** Inside a TableAggregate query: aggregators are operations of the chain. */
  readonly query: boolean;
  /** The environment per-row code of the query sees (bindings outside the TableAggregate). */
  readonly aggEnv?: IMap<string, Atom>;
  /** The aggregation wrappers (AggFilter) around the aggregator being compiled. */
  readonly wrap?: (agg: ValueIR) => ValueIR;
  /** Names read by opaque code inside the nearest TableAggregate (rebound around it). */
  readonly sink?: Set<string>;
  /** Per-row bindings of the query (AggLet, Let agg), computed again in each per-row block. */
  readonly rowLets?: readonly Binding[];
}

const use = (a: Scalar): ValueIR => (a.ir.kind === 'Ref' ? B.ref(a.ir.name) : { ...a.ir });
const isActive = (a: Atom): boolean => (a.k === 's' ? a.act !== undefined : [...a.parts.values()].some(isActive));

const f64 = (x: number): ValueIR => B.f64(x);
const isOne = (e: ValueIR): boolean => e.kind === 'F64' && e.value === 1;
const add = (a: ValueIR, b: ValueIR): ValueIR => B.binary('Add', a, b);
const sub = (a: ValueIR, b: ValueIR): ValueIR => B.binary('Subtract', a, b);
// x * 1 = x for every float (-0, NaN and inf too); seeds of 1 would otherwise fill the output.
const mul = (a: ValueIR, b: ValueIR): ValueIR => (isOne(a) ? b : isOne(b) ? a : B.binary('Multiply', a, b));
const div = (a: ValueIR, b: ValueIR): ValueIR => B.binary('FloatingPointDivide', a, b);
const neg = (a: ValueIR): ValueIR => (a.kind === 'ApplyUnaryPrimOp' && a.op === 'Negate' ? a.x : B.unary('Negate', a));
const fn = (name: FnName, ...args: ValueIR[]): ValueIR => B.apply(name, TFloat64, args);
const ifF = (c: ValueIR, a: ValueIR, b: ValueIR): ValueIR => B.if_(c, a, b);
const lt = (a: ValueIR, b: ValueIR): ValueIR => B.compare('LT', a, b);
const gt = (a: ValueIR, b: ValueIR): ValueIR => B.compare('GT', a, b);
const eq = (a: ValueIR, b: ValueIR): ValueIR => B.compare('EQ', a, b);

/** Numeric leaves of a type, as paths of field names or tuple indices. */
function leaves(t: Type, path: (string | number)[] = [], out: { path: (string | number)[]; type: Type }[] = []) {
  if (isNumeric(t)) out.push({ path, type: t });
  else if (t.kind === 'Struct') for (const f of t.fields) leaves(f.type, [...path, f.name], out);
  else if (t.kind === 'Tuple') for (const f of t.fields) leaves(f.type, [...path, f.index], out);
  return out;
}

function zeroOf(t: Type): ValueIR {
  switch (t.kind) {
    case 'Int32':
      return B.i32(0);
    case 'Int64':
      return B.i64(0);
    case 'Float32':
      return B.f32(0);
    default:
      return B.f64(0);
  }
}

/** Sums contributions as a balanced tree, so a variable read n times adds depth log n, not n. */
function sum(cs: readonly ValueIR[]): ValueIR {
  if (cs.length === 0) return f64(0);
  let level = [...cs];
  while (level.length > 1) {
    const next: ValueIR[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(add(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

// ---- the rules for functions --------------------------------------------------------------

/**
 * For each argument, its contribution given the adjoint `g`; `a` are the arguments and `r` the
 * result in Float64, `raw` the arguments as typed (for comparisons that must be exact). Null:
 * the function is a step (derivative 0 almost everywhere).
 */
type FnRule = ((g: () => ValueIR, a: (i: number) => ValueIR, r: () => ValueIR, raw: (i: number) => ValueIR, t: Type) => ValueIR)[] | null;

const LN10 = Math.LN10;
const LN2 = Math.LN2;

export const fnRules: Record<FnName, FnRule> = {
  exp: [(g, _a, r) => mul(g(), r())],
  log: [(g, a) => div(g(), a(0))],
  log10: [(g, a) => div(g(), mul(a(0), f64(LN10)))],
  log2: [(g, a) => div(g(), mul(a(0), f64(LN2)))],
  sqrt: [(g, _a, r) => div(g(), mul(f64(2), r()))],
  pow: [
    (g, a) => ifF(eq(a(1), f64(0)), f64(0), mul(g(), mul(a(1), fn('pow', a(0), sub(a(1), f64(1)))))),
    (g, a, r) => ifF(eq(a(0), f64(0)), f64(0), mul(g(), mul(r(), fn('log', a(0))))),
  ],
  abs: [(g, _a, _r, raw, t) => ifF(lt(raw(0), zeroOf(t)), neg(g()), g())],
  sign: null,
  floor: null,
  ceil: null,
  isnan: null,
  is_finite: null,
  toInt32: null,
  toInt64: null,
  toFloat64: [(g) => g()],
  // A tie takes the second argument: relu'(0) = 0 for max(x, 0), as JAX has it.
  min: [(g, _a, _r, raw) => ifF(lt(raw(0), raw(1)), g(), f64(0)), (g, _a, _r, raw) => ifF(lt(raw(0), raw(1)), f64(0), g())],
  max: [(g, _a, _r, raw) => ifF(gt(raw(0), raw(1)), g(), f64(0)), (g, _a, _r, raw) => ifF(gt(raw(0), raw(1)), f64(0), g())],
  mod: [(g) => g(), (g, a) => neg(mul(g(), fn('floor', div(a(0), a(1)))))],
  sin: [(g, a) => mul(g(), fn('cos', a(0)))],
  cos: [(g, a) => neg(mul(g(), fn('sin', a(0))))],
  tan: [(g, _a, r) => mul(g(), add(f64(1), mul(r(), r())))],
  asin: [(g, a) => div(g(), fn('sqrt', sub(f64(1), mul(a(0), a(0)))))],
  acos: [(g, a) => neg(div(g(), fn('sqrt', sub(f64(1), mul(a(0), a(0))))))],
  atan: [(g, a) => div(g(), add(f64(1), mul(a(0), a(0))))],
  // atan2(y, x): (x dy - y dx) / (x² + y²), 0 at the origin.
  atan2: [
    (g, a) => ifF(eq(add(mul(a(0), a(0)), mul(a(1), a(1))), f64(0)), f64(0), div(mul(g(), a(1)), add(mul(a(0), a(0)), mul(a(1), a(1))))),
    (g, a) => ifF(eq(add(mul(a(0), a(0)), mul(a(1), a(1))), f64(0)), f64(0), neg(div(mul(g(), a(0)), add(mul(a(0), a(0)), mul(a(1), a(1)))))),
  ],
  sinh: [(g, a) => mul(g(), fn('cosh', a(0)))],
  cosh: [(g, a) => mul(g(), fn('sinh', a(0)))],
  tanh: [(g, _a, r) => mul(g(), sub(f64(1), mul(r(), r())))],
  log1p: [(g, a) => div(g(), add(f64(1), a(0)))],
  expm1: [(g, _a, r) => mul(g(), add(r(), f64(1)))],
  sigmoid: [(g, _a, r) => mul(g(), mul(r(), sub(f64(1), r())))],
  softplus: [(g, a) => mul(g(), fn('sigmoid', a(0)))],
};

// ---- the differentiator of one Grad -------------------------------------------------------

class Differ {
  private readonly vars: ReadonlySet<string>;
  /** Fresh bindings whose value cannot raise: each may move to its one read (inlineSingleUse). */
  private readonly pure = new Set<string>();
  /** The types of the structs of sums' partials, by the name bound to them. */
  private readonly structTypes = new Map<string, Type>();

  constructor(
    private readonly types: ReadonlyMap<IR, AnyType>,
    private readonly req: Requiredness,
    private readonly fresh: () => string,
    names: readonly string[],
  ) {
    this.vars = new Set(names);
  }

  rewrite(g: IR & { kind: 'Grad' | 'Gradient' }): ValueIR {
    return inlineSingleUse(this.sweepAll(g), this.pure);
  }

  private sweepAll(g: IR & { kind: 'Grad' | 'Gradient' }): ValueIR {
    if (g.body.kind === 'TableAggregate' || g.body.kind === 'StreamAgg') return this.aggregation(g.body, { b: new Block(), env: IMap(), query: false }, (qb, r) => this.finish(g, qb, r)) as ValueIR;
    // (In a query, the body's aggregators are the enclosing aggregation's: the variable is
    // bound outside it, the same for every row.)
    const b = new Block();
    return this.finish(g, b, this.anf(g.body, { b, env: IMap(), query: true, aggEnv: IMap() }));
  }

  /** The partials of `g` from the chain `b` whose result is `r`, missing where `r` is. */
  private finish(g: IR & { kind: 'Grad' | 'Gradient' }, b: Block, r: Atom): ValueIR {
    if (r.k !== 's') throw new InternalError('differentiate: a numeric body gave a struct');
    const names = g.kind === 'Grad' ? [g.name] : g.names;
    const sw = this.sweep(b, r.act, names);
    const bindings = [...b.bindings, ...sw.bindings];
    const required = this.req.isRequired(g.body);
    if (g.kind === 'Grad') {
      const d = sw.adj[0]!;
      return letIn(bindings, required ? d : ifF(B.isNA(use(r)), B.na(TFloat64), d));
    }
    if (required) return letIn(bindings, B.makeStruct(names.map((n, j) => [n, sw.adj[j]!])));
    const missing = this.fresh();
    bindings.push({ scope: 'eval', name: missing, value: B.isNA(use(r)) });
    return letIn(bindings, B.makeStruct(names.map((n, j) => [n, ifF(B.ref(missing), B.na(TFloat64), sw.adj[j]!)])));
  }

  private typeOf(n: IR): Type {
    const t = this.types.get(n);
    if (t === undefined || isTableType(t)) throw new InternalError(`differentiate: no value type for ${n.kind}`);
    return t;
  }

  // ---- the chain ----

  /** Binds a value in the chain; `edges` (given the bound value) make it active. */
  private bind(b: Block, value: ValueIR, type: Type, edges?: (self: Scalar) => readonly Edge[], groups: readonly Group[] = []): Scalar {
    if (edges === undefined && groups.length === 0 && (value.kind === 'Ref' || isConstant(value))) return { k: 's', ir: value, type };
    const name = this.fresh();
    b.bindings.push({ scope: 'eval', name, value });
    if (cannotRaise(value, type)) this.pure.add(name);
    const self: Scalar = { k: 's', ir: B.ref(name), type };
    const es = edges?.(self) ?? [];
    if (es.length === 0 && groups.length === 0) return self;
    b.vars.push({ name, edges: es, groups });
    b.own.add(name);
    return { ...self, act: name };
  }

  private materialize(a: Atom): ValueIR {
    if (a.k === 's') return use(a);
    if (a.type.kind === 'Struct') return B.makeStruct(a.type.fields.map((f) => [f.name, this.materialize(a.parts.get(f.name)!)]));
    return B.makeTuple(
      a.type.fields.map((f) => this.materialize(a.parts.get(f.index)!)),
      a.type.fields.map((f) => f.index),
    );
  }

  /** A struct or tuple atom part by part (an opaque one read field by field). */
  private partsOf(a: Atom, b: Block): ReadonlyMap<string | number, Atom> {
    if (a.k === 'c') return a.parts;
    const m = new Map<string | number, Atom>();
    if (a.type.kind === 'Struct') for (const f of a.type.fields) m.set(f.name, this.bind(b, B.getField(f.name, use(a)), f.type));
    else if (a.type.kind === 'Tuple') for (const f of a.type.fields) m.set(f.index, this.bind(b, B.getTupleElement(f.index, use(a)), f.type));
    return m;
  }

  /**
   * The adjoints of `targets`, seeded with 1 at `seed`, from one backward sweep over `b`. The
   * variables in `exported` stop there: their adjoints are returned, their edges left to the caller.
   */
  private sweep(b: Block, seed: string | undefined, targets: readonly string[], exported: ReadonlySet<string> = new Set()): { bindings: Binding[]; adj: ValueIR[]; exports: Map<string, ValueIR> } {
    const contribs = new Map<string, ValueIR[]>();
    const push = (to: string, c: ValueIR) => {
      const l = contribs.get(to);
      if (l === undefined) contribs.set(to, [c]);
      else l.push(c);
    };
    const bindings: Binding[] = [];
    const exports = new Map<string, ValueIR>();
    /** An atom for `e`: bound when it is not one already. */
    const atom = (e: ValueIR): (() => ValueIR) => {
      if (e.kind === 'Ref' || e.kind === 'F64') return () => ({ ...e });
      const name = this.fresh();
      bindings.push({ scope: 'eval', name, value: e });
      this.pure.add(name);
      return () => B.ref(name);
    };
    if (seed !== undefined) push(seed, f64(1));
    for (let i = b.vars.length - 1; i >= 0; i--) {
      const v = b.vars[i]!;
      const cs = contribs.get(v.name);
      if (cs === undefined) continue; // a symbolic zero: nothing flows back
      contribs.delete(v.name);
      const adj = atom(sum(cs));
      if (exported.has(v.name)) {
        exports.set(v.name, adj());
        continue;
      }
      for (const e of v.edges) push(e.to, e.contrib(adj()));
      for (const g of v.groups) {
        const scaled = atom(mul(adj(), g.factor()));
        for (const e of g.edges) push(e.to, e.contrib(scaled()));
      }
    }
    return { bindings, adj: targets.map((t) => sum(contribs.get(t) ?? [])), exports };
  }

  /** Outer active variables a block's edges (or result) reach. */
  private freeOf(b: Block, r: Atom, out: Set<string>, exported: ReadonlySet<string> = new Set()): void {
    for (const v of b.vars) {
      if (exported.has(v.name)) continue;
      for (const e of v.edges) if (!b.own.has(e.to)) out.add(e.to);
      for (const g of v.groups) for (const e of g.edges) if (!b.own.has(e.to)) out.add(e.to);
    }
    const visit = (a: Atom) => {
      if (a.k === 's') {
        if (a.act !== undefined && !b.own.has(a.act)) out.add(a.act);
      } else for (const p of a.parts.values()) visit(p);
    };
    visit(r);
  }

  /**
   * Blocks as one operation of `cx.b`: each block's expression becomes
   * `Struct{v, d<leaf>_<j>}` and `build` joins them (an If, a Switch, a TableAggregate).
   */
  private blocks(cx: Cx, type: Type, parts: readonly { b: Block; r: Atom }[], build: (exprs: ValueIR[]) => ValueIR): Atom {
    // A lone block (a query) exports its sums whole: the adjoint of each and the struct of its
    // partials, rather than a field per variable at every level it passes.
    const exported = parts.length === 1 ? exportable(parts[0]!.b) : new Map<string, Edge[]>();
    const ex = [...exported.keys()];
    // Each exported sum's struct (its partials by variable) and that struct's type.
    const exStructs = ex.map((v) => exported.get(v)![0]!.via!.struct);
    const exTypes = exStructs.map((n) => this.structTypes.get(n)!);
    const exSet = new Set(ex);
    const free = new Set<string>();
    for (const p of parts) this.freeOf(p.b, p.r, free, exSet);
    if (free.size === 0 && ex.length === 0) {
      const value = build(parts.map((p) => letIn(p.b.bindings, this.materialize(p.r))));
      return this.bind(cx.b, value, type);
    }
    const us = [...free];
    const ls = leaves(type);
    /** Which leaves' sweeps reached which exported sum (the others contribute nothing). */
    const reached = ls.map(() => new Set<number>());
    const fieldTypes: [string, Type][] = [['v', type]];
    const exprs = parts.map((p, pi) => {
      const fields: [string, ValueIR][] = [['v', this.materialize(p.r)]];
      const bindings = [...p.b.bindings];
      ls.forEach((l, i) => {
        const seed = leafAct(p.r, l.path);
        const sw = this.sweep(p.b, seed, us, exSet);
        bindings.push(...sw.bindings);
        sw.adj.forEach((d, j) => fields.push([`d${i}_${j}`, d]));
        if (pi === 0) us.forEach((_u, j) => fieldTypes.push([`d${i}_${j}`, TFloat64]));
        ex.forEach((v, k) => {
          const a = sw.exports.get(v);
          if (a === undefined) return;
          reached[i]!.add(k);
          fields.push([`a${i}_${k}`, a]);
          fieldTypes.push([`a${i}_${k}`, TFloat64]);
        });
      });
      exStructs.forEach((struct, k) => {
        fields.push([`S${k}`, B.ref(struct)]);
        fieldTypes.push([`S${k}`, exTypes[k]!]);
      });
      return letIn(bindings, B.makeStruct(fields));
    });
    const s = this.bind(cx.b, build(exprs), tStruct(fieldTypes));
    // The exported sums' partials, read from the block's struct once.
    const sums = ex.map((_v, k) => this.bind(cx.b, B.getField(`S${k}`, use(s)), exTypes[k]!));
    sums.forEach((a, k) => this.structTypes.set((a.ir as { name: string }).name, exTypes[k]!));
    let leaf = 0;
    const unpack = (t: Type, path: readonly (string | number)[]): Atom => {
      const value = getPath(B.getField('v', use(s)), path);
      if (isNumeric(t)) {
        const i = leaf++;
        const groups: Group[] = [...reached[i]!].map((k) => ({
          factor: () => B.getField(`a${i}_${k}`, use(s)),
          edges: exported.get(ex[k]!)!.map((e) => {
            const struct = (sums[k]!.ir as { name: string }).name;
            const field = e.via!.field;
            return { to: e.to, via: { struct, field }, contrib: (g: ValueIR) => mul(g, B.getField(field, B.ref(struct))) };
          }),
        }));
        return this.bind(cx.b, value, t, () => us.map((u, j) => ({ to: u, contrib: (g) => mul(g, B.getField(`d${i}_${j}`, use(s))) })), groups);
      }
      if (t.kind === 'Struct') return { k: 'c', type: t, parts: new Map(t.fields.map((f) => [f.name, unpack(f.type, [...path, f.name])])) };
      if (t.kind === 'Tuple') return { k: 'c', type: t, parts: new Map(t.fields.map((f) => [f.index, unpack(f.type, [...path, f.index])])) };
      return this.bind(cx.b, value, t);
    };
    return unpack(type, []);
  }


  // ---- A-normal form ----

  private anf(e: ValueIR, cx: Cx): Atom {
    switch (e.kind) {
      case 'I32':
      case 'I64':
      case 'F32':
      case 'F64':
      case 'True':
      case 'False':
      case 'Str':
      case 'Void':
      case 'NA':
      case 'Literal':
        return { k: 's', ir: e, type: this.typeOf(e) };
      case 'Ref': {
        const a = cx.env.get(e.name);
        if (a !== undefined) return a;
        const type = this.typeOf(e);
        return this.vars.has(e.name) ? { k: 's', ir: e, type, act: e.name } : { k: 's', ir: e, type };
      }
      case 'Let': {
        if (e.bindings.some((b) => b.scope === 'scan' || (b.scope === 'agg' && !cx.query))) return this.opaque(e, cx);
        let env = cx.env;
        let rowLets = cx.rowLets ?? [];
        for (const b of e.bindings) {
          if (b.scope === 'agg') rowLets = [...rowLets, b];
          else env = env.set(b.name, this.anf(b.value, { ...cx, env, rowLets }));
        }
        return this.anf(e.body, { ...cx, env, rowLets });
      }
      case 'AggLet':
        if (!cx.query || e.isScan) return this.opaque(e, cx);
        return this.anf(e.body, { ...cx, rowLets: [...(cx.rowLets ?? []), { scope: 'agg', name: e.name, value: e.value }] });
      case 'If': {
        const c = this.anf(e.cond, cx);
        const parts = [e.then, e.else].map((x) => this.block(x, cx));
        return this.blocks(cx, this.typeOf(e), parts, ([t, f]) => B.if_(this.materialize(c), t!, f!));
      }
      case 'Switch': {
        const x = this.anf(e.x, cx);
        const parts = [e.default, ...e.cases].map((c) => this.block(c, cx));
        return this.blocks(cx, this.typeOf(e), parts, ([d, ...cs]) => B.switch_(this.materialize(x), d!, cs));
      }
      case 'Coalesce':
        return this.coalesce(e.values, 0, this.typeOf(e), cx);
      case 'IsNA': {
        const a = this.anf(e.value, cx);
        return this.bind(cx.b, B.isNA(this.materialize(a)), TBoolean);
      }
      case 'Cast': {
        const a = this.anf(e.value, cx);
        const from = a.type;
        if (from.kind === e.type.kind) return a;
        const value = B.cast(e.type, this.materialize(a));
        const smooth = a.k === 's' && a.act !== undefined && (e.type.kind === 'Float64' || e.type.kind === 'Float32');
        return this.bind(cx.b, value, e.type, smooth ? () => [{ to: (a as Scalar).act!, contrib: (g) => g }] : undefined);
      }
      case 'ApplyUnaryPrimOp': {
        const a = this.scalar(e.x, cx);
        const type = this.typeOf(e);
        const to = e.op === 'Negate' ? a.act : undefined;
        return this.bind(cx.b, B.unary(e.op, use(a)), type, to === undefined ? undefined : () => [{ to, contrib: (g) => neg(g) }]);
      }
      case 'ApplyBinaryPrimOp':
        return this.binary(e, cx);
      case 'ApplyComparisonOp': {
        const l = this.anf(e.l, cx);
        const r = this.anf(e.r, cx);
        return this.bind(cx.b, B.compare(e.op, this.materialize(l), this.materialize(r)), this.typeOf(e));
      }
      case 'Apply':
        return this.apply(e, cx);
      case 'MakeStruct': {
        const type = this.typeOf(e) as StructType;
        const parts = new Map<string | number, Atom>();
        for (const f of e.fields) parts.set(f.name, this.anf(f.value, cx));
        return { k: 'c', type, parts };
      }
      case 'InsertFields': {
        const type = this.typeOf(e) as StructType;
        const old = this.anf(e.old, cx);
        const parts = new Map(this.partsOf(old, cx.b));
        for (const f of e.fields) parts.set(f.name, this.anf(f.value, cx));
        return { k: 'c', type, parts: new Map(type.fields.map((f) => [f.name, parts.get(f.name)!])) };
      }
      case 'SelectFields': {
        const type = this.typeOf(e) as StructType;
        const parts = this.partsOf(this.anf(e.old, cx), cx.b);
        return { k: 'c', type, parts: new Map(type.fields.map((f) => [f.name, parts.get(f.name)!])) };
      }
      case 'MakeTuple': {
        const type = this.typeOf(e) as TupleType;
        const parts = new Map<string | number, Atom>();
        e.values.forEach((v, i) => parts.set(e.indices[i]!, this.anf(v, cx)));
        return { k: 'c', type: tTupleFields(type.fields), parts };
      }
      case 'GetField':
      case 'GetTupleElement': {
        const o = this.anf(e.o, cx);
        const key = e.kind === 'GetField' ? e.name : e.index;
        if (o.k === 'c') return o.parts.get(key)!;
        return this.bind(cx.b, e.kind === 'GetField' ? B.getField(e.name, use(o)) : B.getTupleElement(e.index, use(o)), this.typeOf(e));
      }
      case 'TableAggregate':
      case 'StreamAgg':
        return this.aggregation(e, cx);
      case 'ApplyAggOp':
        if (cx.query) return this.aggregator(e, cx);
        return this.opaque(e, cx);
      case 'AggFilter': {
        if (!cx.query || e.isScan) return this.opaque(e, cx);
        const cond = e.cond;
        const outer = cx.wrap ?? ((a: ValueIR) => a);
        // Each aggregator under the filter gets the filter (and a condition of its own).
        return this.anf(e.agg, { ...cx, wrap: (a) => outer(B.aggFilter(this.perRow(cond, cx), a)) });
      }
      default:
        return this.opaque(e, cx);
    }
  }

  /** A numeric operand as a scalar atom. */
  private scalar(e: ValueIR, cx: Cx): Scalar {
    const a = this.anf(e, cx);
    if (a.k !== 's') throw new InternalError(`differentiate: a struct where ${e.kind} expects a number`);
    return a;
  }

  private block(e: ValueIR, cx: Cx): { b: Block; r: Atom } {
    const b = new Block();
    return { b, r: this.anf(e, { ...cx, b }) };
  }

  /** `Coalesce(a, rest...)` as `If(IsNA(a), Coalesce(rest...), a)`: the rest runs only when needed. */
  private coalesce(values: readonly ValueIR[], i: number, type: Type, cx: Cx): Atom {
    const a = this.anf(values[i]!, cx);
    if (i === values.length - 1) return a;
    const rest = new Block();
    const r = this.coalesce(values, i + 1, type, { ...cx, b: rest });
    const here = { b: new Block(), r: a };
    return this.blocks(cx, type, [{ b: rest, r }, here], ([x, y]) => B.if_(B.isNA(this.materialize(a)), x!, y!));
  }

  private binary(e: ValueIR & { kind: 'ApplyBinaryPrimOp' }, cx: Cx): Atom {
    const l = this.scalar(e.l, cx);
    const r = this.scalar(e.r, cx);
    const type = this.typeOf(e);
    const value = B.binary(e.op, use(l), use(r));
    if (l.act === undefined && r.act === undefined) return this.bind(cx.b, value, type);
    return this.bind(cx.b, value, type, (self) => {
      const edges: Edge[] = [];
      const on = (a: Scalar, contrib: (g: ValueIR) => ValueIR) => {
        if (a.act !== undefined) edges.push({ to: a.act, contrib });
      };
      switch (e.op) {
        case 'Add':
          on(l, (g) => g);
          on(r, (g) => g);
          break;
        case 'Subtract':
          on(l, (g) => g);
          on(r, (g) => neg(g));
          break;
        case 'Multiply':
          on(l, (g) => mul(g, asF64(r)));
          on(r, (g) => mul(g, asF64(l)));
          break;
        case 'FloatingPointDivide':
          on(l, (g) => div(g, asF64(r)));
          // -(a/b)·g/b, in that order: for a = b, exactly minus the g/b the left operand gets.
          on(r, (g) => neg(mul(asF64(self), div(g, asF64(r)))));
          break;
        default:
          break; // steps: integer division, bit operations
      }
      return edges;
    });
  }

  private apply(e: ValueIR & { kind: 'Apply' }, cx: Cx): Atom {
    const args = e.args.map((a) => this.anf(a, cx));
    const type = this.typeOf(e);
    const value = B.apply(e.fn, e.returnType, args.map((a) => this.materialize(a)), [...e.typeArgs], e.errorId);
    let rule = isFnName(e.fn) ? fnRules[e.fn] : null;
    if (e.fn === 'mod' && !isFloatingType(type)) rule = null; // integer mod is a step
    if (rule === null || args.every((a) => !isActive(a))) return this.bind(cx.b, value, type);
    const sargs = args as Scalar[];
    return this.bind(cx.b, value, type, (res) => {
      const edges: Edge[] = [];
      sargs.forEach((a, i) => {
        const f = rule[i];
        if (a.act === undefined || f === undefined) return;
        edges.push({ to: a.act, contrib: (g) => f(() => g, (j) => asF64(sargs[j]!), () => asF64(res), (j) => use(sargs[j]!), sargs[0]!.type) });
      });
      return edges;
    });
  }

  // ---- aggregations ----

  /** A `TableAggregate` or `StreamAgg`: its query is a block, its rows constants. */
  private aggregation(e: ValueIR & { kind: 'TableAggregate' | 'StreamAgg' }, cx: Cx): Atom;
  /**
   * With `whole`, the aggregation is a Grad's whole body: its query computes the partials
   * (`whole` builds them from the query's chain), so the derivative is one subquery.
   */
  private aggregation(e: ValueIR & { kind: 'TableAggregate' | 'StreamAgg' }, cx: Cx, whole: (qb: Block, r: Atom) => ValueIR): ValueIR;
  private aggregation(e: ValueIR & { kind: 'TableAggregate' | 'StreamAgg' }, cx: Cx, whole?: (qb: Block, r: Atom) => ValueIR): Atom | ValueIR {
    const source = e.kind === 'TableAggregate' ? e.child : e.a;
    const refs = refNames(source);
    for (const n of refs) {
      if (this.isActiveName(n, cx)) throw this.error(e, `the ${e.kind === 'TableAggregate' ? 'rows of the table' : 'elements of the stream'} depend on \`${n}\``, 'only the aggregated values may depend on the variable: move it into the query');
    }
    const sink = new Set<string>(refs);
    const qb = new Block();
    // The query sees `global` (a table's); its per-row code `row` and `global`, or the element.
    const env = e.kind === 'TableAggregate' ? cx.env.delete('global') : cx.env;
    const aggEnv = e.kind === 'TableAggregate' ? cx.env.delete('global').delete('row') : cx.env.delete(e.name);
    const r = this.anf(e.query, { b: qb, env, query: true, aggEnv, sink });
    const type = this.typeOf(e);
    const build = (q: ValueIR): ValueIR => (e.kind === 'TableAggregate' ? B.tableAggregate(e.child, q) : B.streamAgg(e.name, e.a, q));
    if (whole !== undefined) return this.rebind(build(whole(qb, r)), sink, cx);
    const atom = this.blocks(cx, type, [{ b: qb, r }], ([q]) => this.rebind(build(q!), sink, cx));
    if (cx.sink !== undefined) for (const n of sink) cx.sink.add(n);
    return atom;
  }

  /** An aggregator of a query: `Sum` is differentiated through, `Count` is a constant. */
  private aggregator(e: ValueIR & { kind: 'ApplyAggOp' }, cx: Cx): Atom {
    const wrap = cx.wrap ?? ((a: ValueIR) => a);
    const type = this.typeOf(e);
    const rows = e.seqArgs.map((a) => {
      const b = new Block();
      return { b, r: this.anf(a, this.rowCx(b, cx)), node: a };
    });
    const free = new Set<string>();
    for (const p of rows) this.freeOf(p.b, p.r, free);
    if (free.size === 0) {
      const plain = B.aggOp(e.op, [...e.initArgs], rows.map((p) => letIn(p.b.bindings, this.materialize(p.r))));
      return this.bind(cx.b, wrap(plain), type);
    }
    if (e.op !== 'Sum') throw this.error(e, `Grad cannot differentiate the aggregator ${e.op}`, 'only Sum (and Count, a constant) carry a derivative through an aggregation');
    const { b, r, node } = rows[0]!;
    if (r.k !== 's') throw new InternalError('differentiate: Sum of a struct');
    const us = [...free];
    const sw = this.sweep(b, r.act, us);
    // The row's chain as per-row bindings, each partial its own Sum.
    const st = tStruct([['v', type], ...us.map((_u, j): [string, Type] => [`d${j}`, TFloat64])]);
    let sums: ValueIR = B.makeStruct([['v', B.aggOp('Sum', [], [use(r)])], ...us.map((_u, j): [string, ValueIR] => [`d${j}`, B.aggOp('Sum', [], [sw.adj[j]!])])]);
    // Sum skips the rows where its value is missing; so must the derivative's sums.
    if (!this.req.isRequired(node)) sums = B.aggFilter(B.unary('Bang', B.isNA(use(r))), sums);
    const perRow = [...b.bindings, ...sw.bindings].map((x): Binding => ({ ...x, scope: 'agg' }));
    const s = this.bind(cx.b, wrap(letIn(perRow, sums)), st);
    const struct = (s.ir as { name: string }).name;
    this.structTypes.set(struct, st);
    return this.bind(
      cx.b,
      B.getField('v', use(s)),
      type,
      () => us.map((u, j) => ({ to: u, via: { struct, field: `d${j}` }, contrib: (g) => mul(g, B.getField(`d${j}`, use(s))) })),
    );
  }

  /** Per-row code of a query that is not differentiated (an AggFilter condition). */
  private perRow(e: ValueIR, cx: Cx): ValueIR {
    const b = new Block();
    const r = this.anf(e, this.rowCx(b, cx));
    return letIn(b.bindings, this.materialize(r));
  }

  /** The context of a per-row block of a query: the query's per-row bindings first. */
  private rowCx(b: Block, cx: Cx): Cx {
    let env = cx.aggEnv ?? IMap<string, Atom>();
    for (const l of cx.rowLets ?? []) env = env.set(l.name, this.anf(l.value, { b, env, query: false, sink: cx.sink }));
    return { b, env, query: false, sink: cx.sink };
  }

  // ---- what is not differentiated ----

  private isActiveName(n: string, cx: Cx): boolean {
    const a = cx.env.get(n);
    return a !== undefined ? isActive(a) : this.vars.has(n);
  }

  /**
   * A node with no rule: a constant unless it reads an active value and has a float in it.
   * The names it reads that the chain renamed are bound again around it.
   */
  private opaque(e: ValueIR, cx: Cx): Atom {
    const type = this.typeOf(e);
    const refs = refNames(e);
    // An integer or Boolean value is a step of the variable: derivative 0 almost everywhere.
    const floating = leaves(type).some((l) => isFloatingType(l.type));
    for (const n of refs) {
      if (this.isActiveName(n, cx) && floating) {
        throw this.error(e, `Grad cannot differentiate through ${e.kind} (its value depends on \`${n}\`)`, 'differentiable forms: arithmetic, functions, Let, If, Switch, Coalesce, structs and tuples, Sum and Count in a TableAggregate');
      }
    }
    if (cx.sink !== undefined) for (const n of refs) cx.sink.add(n);
    return this.bind(cx.b, this.rebind(e, refs, cx), type);
  }

  private rebind(e: ValueIR, refs: Iterable<string>, cx: Cx): ValueIR {
    const bindings: Binding[] = [];
    for (const n of refs) {
      const a = cx.env.get(n);
      if (a !== undefined) bindings.push({ scope: 'eval', name: n, value: this.materialize(a) });
    }
    return bindings.length === 0 ? e : letIn(bindings, e);
  }

  private error(e: IR, message: string, hint: string): UserError {
    return new UserError([diagnostic('notDifferentiable', e.span, message, hint)]);
  }
}

/** A `Let`, or just the body when there is nothing to bind. */
function letIn(bindings: readonly Binding[], body: ValueIR): ValueIR {
  return bindings.length === 0 ? body : B.let_([...bindings], body);
}

/** Chain variables of a block whose every edge leaves it through one struct of sums' partials. */
function exportable(b: Block): Map<string, Edge[]> {
  const out = new Map<string, Edge[]>();
  for (const v of b.vars) {
    if (v.groups.length > 0 || v.edges.length === 0) continue;
    const first = v.edges[0]!.via?.struct;
    if (first !== undefined && v.edges.every((e) => e.via?.struct === first && !b.own.has(e.to))) out.set(v.name, [...v.edges]);
  }
  return out;
}

const isConstant = (e: ValueIR): boolean =>
  e.kind === 'I32' || e.kind === 'I64' || e.kind === 'F32' || e.kind === 'F64' || e.kind === 'True' || e.kind === 'False' || e.kind === 'NA';

function asF64(a: Scalar): ValueIR {
  return a.type.kind === 'Float64' ? use(a) : B.cast(TFloat64, use(a));
}

function getPath(e: ValueIR, path: readonly (string | number)[]): ValueIR {
  let out = e;
  for (const p of path) out = typeof p === 'string' ? B.getField(p, out) : B.getTupleElement(p, out);
  return out;
}

function leafAct(a: Atom, path: readonly (string | number)[]): string | undefined {
  let cur: Atom | undefined = a;
  for (const p of path) {
    if (cur === undefined || cur.k === 's') return undefined;
    cur = cur.parts.get(p);
  }
  return cur !== undefined && cur.k === 's' ? cur.act : undefined;
}

/** Every name a `Ref` in `e` reads (shadowing ignored: a rebinding too many is harmless). */
function refNames(e: IR): Set<string> {
  const out = new Set<string>();
  forEachNode(e, (n) => {
    if (n.kind === 'Ref') out.add(n.name);
  });
  return out;
}

// ---- moving single-use bindings to their read --------------------------------------------------

/** Float and Boolean operations on atoms: none raises (integer arithmetic may overflow). */
function cannotRaise(value: ValueIR, type: Type): boolean {
  if (type.kind !== 'Float64' && type.kind !== 'Float32' && type.kind !== 'Boolean') return false;
  return SHALLOW.has(value.kind) || value.kind === 'Ref';
}

/** Nodes a read can be moved into without changing when or in which scope it runs. */
const SHALLOW: ReadonlySet<string> = new Set(['ApplyBinaryPrimOp', 'ApplyUnaryPrimOp', 'ApplyComparisonOp', 'Apply', 'Cast', 'GetField', 'GetTupleElement', 'MakeStruct', 'MakeTuple', 'IsNA']);

/**
 * A-normal form binds every operation; a pure binding read once, in its own chain (not under a
 * branch, a loop or an aggregation), goes back into its reader, so the output is about as
 * compact as the input. One count over the output, one rewrite.
 */
function inlineSingleUse(root: ValueIR, pure: ReadonlySet<string>): ValueIR {
  const reads = new Map<string, number>();
  forEachNode(root, (n) => {
    if (n.kind === 'Ref' && pure.has(n.name)) reads.set(n.name, (reads.get(n.name) ?? 0) + 1);
  });
  const candidate = (name: string) => pure.has(name) && reads.get(name) === 1;
  return rewriteBottomUp(root, (n): IR => {
    if (n.kind !== 'Let' || !n.bindings.some((b) => candidate(b.name) || (pure.has(b.name) && !reads.has(b.name)))) return n;
    // Which candidates are read in the chain itself.
    const shallow = new Set<string>();
    const look = (e: ValueIR) =>
      forEachNode(e, (x) => {
        if (x.kind === 'Ref' && candidate(x.name)) shallow.add(x.name);
        return SHALLOW.has(x.kind);
      });
    for (const b of n.bindings) look(b.value);
    look(n.body);
    const moved = new Map<string, ValueIR>();
    const subst = (e: ValueIR): ValueIR => {
      if (e.kind === 'Ref') return moved.get(e.name) ?? e;
      if (!SHALLOW.has(e.kind)) return e;
      const cs = children(e);
      const ns = cs.map((c) => subst(c as ValueIR));
      return ns.every((c, i) => c === cs[i]) ? e : (withChildren(e, ns) as ValueIR);
    };
    const kept: Binding[] = [];
    for (const b of n.bindings) {
      const value = subst(b.value);
      // (A per-row binding is read shallowly only by the per-row bindings after it: same scope.)
      if (b.scope !== 'scan' && shallow.has(b.name)) moved.set(b.name, value);
      else if (pure.has(b.name) && !reads.has(b.name)) continue; // never read, and cannot raise
      else kept.push(value === b.value ? b : { ...b, value });
    }
    return letIn(kept, subst(n.body));
  }) as ValueIR;
}
