// Constant folding (semantics.md §1, "Closed expressions"): a value expression that reads no
// variable, no table and no enclosing aggregation is evaluated once, before the program runs.
// SQL engines fold such expressions while planning (DuckDB's constant folding), then simplify
// around the result: `NULL + x` becomes NULL without running x, `CASE WHEN TRUE` keeps one
// branch. Doing the same here, once, for every backend, keeps their answers equal.
//
// - A closed expression whose value is missing becomes NA (so static missingness applies).
// - `If` and `Switch` on a closed condition become the branch taken; `Coalesce` drops closed
//   missing arguments.
// - Any other closed expression stays as written: its value needs no folding to be the same
//   everywhere, and the backends still compile it (and are tested on it).
// - A closed expression that raises stays, and is listed in `raises`: it raises only where it
//   is evaluated, like any expression. A SQL backend emits it as the error itself, never as a
//   subquery, which an engine would run even where it is not reached.
//
// Linear: one post-order walk. A closed node is evaluated on its "shadow", the node with its
// closed children's values written in as Literals, so nothing is evaluated twice except the
// bodies of binders (a StreamMap's body runs inside the StreamMap's evaluation).

import { childEnv, emptyEnv, type Bind, type Env } from '../ir/binds.js';
import { children, withChildren } from '../ir/children.js';
import { AGG_KINDS, constantValue, isTableIR, type IR, type ValueIR } from '../ir/nodes.js';
import type { Type } from '../ir/types.js';
import type { Value } from '../ir/value.js';
import { fold } from '../ir/walk.js';
import { fieldWrittenOut, lengthByForm, presentByForm, staticallyMissing } from './static-missing.js';
import type { Demand, DemandInfo } from './demand.js';
import type { AnyType } from './typecheck.js';
import { rootRelationalLets } from './lift-relational-lets.js';

export interface Folded {
  readonly ir: IR;
  /** Closed expressions that raise when evaluated, with the error. */
  readonly raises: ReadonlyMap<IR, unknown>;
  /**
   * Those of `raises` that raise whatever part of them is needed: a `StreamAgg`, `ToDict`,
   * fold or other collection operation whose collection raises (which a SQL engine would run
   * as a subquery up front).
   */
  readonly raisesWhole: ReadonlySet<IR>;
  /**
   * Closed value expressions that run a table query: hoisted, evaluated once before the rest
   * of the program, whether or not the place they stand in is reached (spec: nested relational
   * nodes that depend on no row or loop variable are hoisted). A SQL engine runs such an
   * uncorrelated subquery once, up front, in the same way.
   */
  readonly hoisted: ReadonlySet<IR>;
  /**
   * Those of `hoisted` that read a relational let the program starts with: closed but for
   * values computed first. They can be lifted to the root (after those lets), but not run
   * before the program starts.
   */
  readonly readsRootLets: ReadonlySet<IR>;
  /**
   * Of those, the ones that read a `Let` variable bound to a value that reads nothing that
   * varies (closed, or reading only root lets and such values) and does not raise here: they
   * can be lifted once that value is a root let. `letReads` maps each such read (a Ref) to the
   * bound value.
   */
  readonly readsLetValues: ReadonlySet<IR>;
  readonly letReads: ReadonlyMap<IR, IR>;
  /**
   * Nodes that raise where they stand if their operand `at` is needed (known once demand is:
   * `raiseWhenNeeded`): a fold or scan over a stream present by its form whose zero is known to
   * raise, a let whose binding is.
   */
  readonly pendingRaises: ReadonlyMap<IR, Pending>;
}

/** Runs a closed value expression; throws the program's run-time error when it raises. */
export type Evaluate = (n: ValueIR) => Value;
/** Whether an exception thrown by `Evaluate` is a run-time error of the program. */
export type IsRuntimeError = (e: unknown) => boolean;

/** Never evaluated at compile time: tables, writes, and Grad/Gradient (rewritten by the differentiation pass first). */
const OPAQUE_KINDS: ReadonlySet<string> = new Set(['Grad', 'Gradient', 'TableWrite']);
/** Value nodes the SQL backend compiles to subqueries. */
const SUBQUERY_KINDS: ReadonlySet<string> = new Set(['StreamAgg', 'ToDict']);
/** Operations that evaluate every operand, in order, before anything else. */
const STRICT_EVAL: ReadonlySet<string> = new Set(['ApplyBinaryPrimOp', 'ApplyUnaryPrimOp', 'ApplyComparisonOp', 'Cast', 'Apply', 'ArrayLen', 'ArrayRef']);
/** Collection operations that evaluate their whole collection (child 0) first. */
const STREAM_FIRST: ReadonlySet<string> = new Set(['StreamFold', 'StreamScan', 'StreamMap', 'StreamFlatMap', 'StreamFilter', 'StreamTake', 'StreamDrop', 'StreamLen', 'ToArray', 'ToSet', 'ToDict', 'ToStream', 'ArraySort', 'StreamAgg', 'StreamZip']);
/** Conditionals, which evaluate their condition (child 0) first. */
const CONDITION_FIRST: ReadonlySet<string> = new Set(['If', 'Switch', 'Coalesce']);
/** Loops, by the index of the child they run per element. */
const LOOP_BODY: ReadonlyMap<string, number> = new Map([
  ['StreamFold', 2],
  ['StreamScan', 2],
  ['StreamMap', 1],
  ['StreamFilter', 1],
  ['StreamFlatMap', 1],
]);

/** A StreamRange longer than this is not run at compile time. */
const MAX_RANGE = 100_000;

/** A variable: the depth of its binder, and for a `Let` eval binding the bound expression. */
interface Binding {
  readonly depth: number;
  readonly value?: IR;
  /** A table's row or global (bound by a table node or TableAggregate): never missing (§7). */
  readonly row?: boolean;
}

interface Ctx {
  readonly env: Env<Binding>;
  readonly depth: number;
}
interface Out {
  /** The node as folded: only missing constants are written in (see the top of the file). */
  readonly ir: IR;
  /** The node with every known value written in as a Literal: what is evaluated above it. */
  readonly shadow: IR;
  readonly type: AnyType | undefined;
  /** The shallowest binder (or aggregation owner) depth this subtree reads; Infinity if none. */
  readonly reads: number;
  /** Whether it holds a table node or another node not run at compile time. */
  readonly opaque: boolean;
  /** Whether it holds a table node. */
  readonly tables: boolean;
  /**
   * known: closed, and its value is `value`; closed: closed and evaluates, value not kept (a
   * stream); stuck: closed but raises or cannot be run here (nothing above it is evaluated at
   * compile time); open: not closed.
   */
  readonly state: 'known' | 'closed' | 'stuck' | 'open';
  readonly value?: Value;
}

export function foldConstants(root: IR, types: ReadonlyMap<IR, AnyType>, evaluate: Evaluate, isRuntimeError: IsRuntimeError): Folded {
  const raises = new Map<IR, unknown>();
  const raisesWhole = new Set<IR>();
  const hoisted = new Set<IR>();
  const resolveDepth = new Map<IR, number>();
  // Let-bound expressions known to be a scalar or missing: a Ref to one is that constant, as
  // an engine propagates a constant through a let (semantics.md §1).
  const knownScalars = new Map<IR, Out>();
  // The values of the relational lets the program starts with (its root, and their bodies while
  // they are relational lets): evaluated first, once, so reading one reads nothing that varies
  // (semantics.md §7). A query reading only those is closed enough to be hoisted too.
  const rootValues = new Set<IR>(rootRelationalLets(root).map((l) => l.value));
  /** Folded nodes that read one of those (through a RelationalRef in them). */
  const readsRootLets = new Set<IR>();
  // Let (eval) binding values, and those that read nothing that varies: the original node, and
  // what it folded to.
  const letValues = new Set<IR>();
  const stableValues = new Map<IR, IR>();
  const readsLetValues = new Set<IR>();
  const letReads = new Map<IR, IR>();
  const stableRead = (node: IR, ctx: Ctx): IR | undefined => {
    if (node.kind !== 'Ref') return undefined;
    const v = ctx.env.eval.get(node.name)?.value;
    return v === undefined ? undefined : stableValues.get(v);
  };
  const isRootRead = (node: IR, ctx: Ctx): boolean => {
    if (node.kind !== 'RelationalRef') return false;
    const v = ctx.env.rel.get(node.name)?.value;
    return v !== undefined && rootValues.has(v);
  };
  /** The run-time error a closed collection raises, if it does. */
  const collectionError = (c: IR): unknown => {
    try {
      evaluate({ kind: 'ToArray', a: c } as ValueIR);
      return undefined;
    } catch (e) {
      return isRuntimeError(e) ? e : undefined;
    }
  };
  /** Whether `n` raises even where only its presence is needed (never one present by its form: that is known unevaluated). */
  const raisesRegardless = (n: IR): boolean => {
    if (presentByForm(n)) return false;
    try {
      evaluate({ kind: 'IsNA', value: n } as ValueIR);
      return false;
    } catch (e) {
      return isRuntimeError(e);
    }
  };
  const pendingRaises = new Map<IR, Pending>();
  /** What operand `k` raises: known, or pending on demand itself (then `after` it). */
  const operandRaise = (k: IR): { error: unknown; after?: IR } | undefined => {
    const e = raises.get(k);
    if (e !== undefined) return { error: e };
    const p = pendingRaises.get(k);
    return p === undefined ? undefined : { error: p.error, after: k };
  };
  // References to a table's row or global, which are never missing.
  const presentRows = new Set<IR>();
  const present = (n: IR): boolean => presentByForm(n, (m) => presentRows.has(m));
  // TableParallelize nodes of a closed value that may raise (their global is closed: semantics.md §1).
  const closedParallelize = new Set<IR>();
  // Raising nodes whose operands after `at` are never evaluated (their hoisted queries neither).
  const cutAfter = new Map<IR, number>();
  const record = (ir: IR, e: unknown, at: number, whole: boolean): void => {
    raises.set(ir, e);
    hoisted.delete(ir);
    cutAfter.set(ir, at);
    if (whole) raisesWhole.add(ir);
  };
  /**
   * A strict operation raises what its first raising operand raises, when the operands before
   * it evaluate (are closed); a collection operation what its collection raises; a conditional
   * what its condition raises; a let, a fold's zero, a struct operation's struct likewise.
   */
  const raisesFirst = (node: IR, ir: IR, kids: readonly Out[]): void => {
    // A field of a value that raises whatever part of it is needed, or of a global that raises
    // (a global raises when a field of it is needed: semantics.md §7).
    const k0 = kids[0]?.ir;
    if ((node.kind === 'GetField' || node.kind === 'GetTupleElement') && k0 !== undefined && (raisesWhole.has(k0) || (k0.kind === 'TableGetGlobals' && raises.has(k0)))) return record(ir, raises.get(k0), 0, true);
    // A collection operation on a closed stream (never evaluated by itself) that raises.
    if (STREAM_FIRST.has(node.kind) && kids[0]!.state === 'closed' && !kids[0]!.opaque) {
      const e = collectionError(kids[0]!.shadow);
      if (e !== undefined) return record(ir, e, 0, true);
    }
    // A fold or scan over a present stream evaluates its zero next, when it is needed (known
    // only once demand is: see `pendingRaises`).
    if ((node.kind === 'StreamFold' || node.kind === 'StreamScan') && (kids[0]!.state === 'closed' || kids[0]!.state === 'known') && presentByForm(kids[0]!.ir)) {
      const r = operandRaise(kids[1]!.ir);
      if (r !== undefined) return void pendingRaises.set(ir, { ...r, at: 1 });
    }
    // A struct operation evaluates its struct first (when it is needed: a new field over each
    // of its fields needs none of it).
    if ((node.kind === 'InsertFields' || node.kind === 'SelectFields') && raisesWhole.has(kids[0]!.ir)) {
      return void pendingRaises.set(ir, { error: raises.get(kids[0]!.ir), at: 0 });
    }
    // A let evaluates its needed bindings in order, first.
    if (node.kind === 'Let' || node.kind === 'RelationalLet') {
      // A let whose body is closed is its body: no binding is evaluated (semantics.md §1).
      const last = kids[kids.length - 1]!;
      if (last.state === 'stuck' && raises.has(last.ir)) return record(ir, raises.get(last.ir), kids.length - 1, raisesWhole.has(last.ir));
      for (const [i, k] of kids.slice(0, -1).entries()) {
        const r = operandRaise(k.ir);
        if (r !== undefined) return void pendingRaises.set(ir, { ...r, at: i });
        if (k.state === 'stuck' || k.state === 'open') return;
      }
      // Then its body.
      const body = kids[kids.length - 1]!.ir;
      const e = raises.get(body);
      if (e !== undefined) record(ir, e, kids.length - 1, raisesWhole.has(body));
      return;
    }
    if (!(STRICT_EVAL.has(node.kind) || STREAM_FIRST.has(node.kind) || CONDITION_FIRST.has(node.kind))) return;
    for (const [i, k] of (STRICT_EVAL.has(node.kind) ? kids : kids.slice(0, 1)).entries()) {
      const e = raises.get(k.ir);
      // Raised before anything else (but a strict operation's): whatever part of the result is needed.
      if (e !== undefined) return record(ir, e, i, !STRICT_EVAL.has(node.kind));
      if (k.state === 'stuck' || k.state === 'open') return;
    }
  };
  const out = fold<Ctx, Out>(root, { env: emptyEnv<Binding>(), depth: 0 }, {
    enter: (node, i, ctx) => {
      resolveDepth.set(node, ctx.depth);
      if (node.kind === 'Let' && node.bindings[i]?.scope === 'eval') letValues.add(node.bindings[i]!.value);
      const resolve = (binder: IR, b: Bind, scope: string): Binding => {
        const depth = resolveDepth.get(binder) ?? ctx.depth;
        const letBinding = (binder.kind === 'Let' && scope === 'eval') || ((binder.kind === 'RelationalLet' || binder.kind === 'RelationalLetTable') && scope === 'rel');
        if ((isTableIR(binder) || binder.kind === 'TableAggregate') && (b.name === 'row' || b.name === 'global')) return { depth, row: true };
        if (!letBinding || b.source.of !== 'type') return { depth };
        return { depth, value: children(binder)[b.source.child] };
      };
      let env = childEnv(node, i, ctx.env, resolve);
      // In a Grad body (left to the interpreter's dual numbers) the variable varies: it is not
      // the constant it is bound to, there or in per-row code that sees the same binding. (A
      // missing one stays: it has no dual.)
      if (node.kind === 'Grad' || node.kind === 'Gradient') {
        for (const n of node.kind === 'Grad' ? [node.name] : node.names) {
          const b = env.eval.get(n);
          if (b === undefined || (b.value !== undefined && knownScalars.get(b.value)?.value === null)) continue;
          const varying: Binding = { depth: b.depth };
          const scope = (m: Env<Binding>['agg']) => (m !== null && m.get(n) === b ? m.set(n, varying) : m);
          env = { ...env, eval: env.eval.set(n, varying), agg: scope(env.agg), scan: scope(env.scan) };
        }
      }
      return { env, depth: ctx.depth + 1 };
    },
    leave: (node, ctx, results) => {
      const o = leave(node, ctx, results);
      // (A read of a known scalar is that constant: it reads nothing.)
      if (rootValues.size > 0 && ((isRootRead(node, ctx) && o.ir.kind === 'RelationalRef') || results.some((r) => readsRootLets.has(r.ir)))) readsRootLets.add(o.ir);
      if (stableValues.size > 0) {
        const v = o.ir.kind === 'Ref' ? stableRead(node, ctx) : undefined;
        if (v !== undefined) letReads.set(o.ir, v);
        if (v !== undefined || results.some((r) => readsLetValues.has(r.ir))) {
          readsLetValues.add(o.ir);
          readsRootLets.add(o.ir);
        }
      }
      // A let's value that reads nothing that varies, raises nothing known, and is not a known
      // scalar (a read of one is that constant).
      if (letValues.has(node) && o.reads >= ctx.depth && !raises.has(o.ir) && !pendingRaises.has(o.ir) && !(o.state === 'known' && (o.value === null || typeof o.value !== 'object'))) stableValues.set(node, o.ir);
      if (o.state === 'known' && (o.value === null || typeof o.value !== 'object')) {
        knownScalars.set(node, o);
        // Also under its folded form, as a field of a struct written out refers to it.
        knownScalars.set(o.ir, o);
      }
      return o;
    },
  });
  if (cutAfter.size > 0 && hoisted.size > 0) dropUnreached(out.ir, cutAfter, hoisted);
  return { ir: out.ir, raises, raisesWhole, hoisted, readsRootLets, readsLetValues, letReads, pendingRaises };

  function leave(node: IR, ctx: Ctx, results: readonly Out[]): Out {
    // A row or global with no field is `{}`: never missing (semantics.md §7), nothing in it.
    const rowType = node.kind === 'Ref' && ctx.env.eval.get(node.name)?.row ? types.get(node) : undefined;
    if (rowType !== undefined && 'kind' in rowType && rowType.kind === 'Struct' && rowType.fields.length === 0) {
      const shadow: IR = { kind: 'Literal', type: rowType, value: [], ...(node.span ? { span: node.span } : {}) };
      // (Written in: a let or aggregation whose body it is becomes it, outside the binder.)
      return { ir: shadow, shadow, type: rowType, reads: Infinity, opaque: false, tables: false, state: 'known', value: [] };
    }
    if (node.kind === 'Ref' || node.kind === 'RelationalRef') {
      const bound = (node.kind === 'Ref' ? ctx.env.eval : ctx.env.rel).get(node.name)?.value;
      const known = bound === undefined ? undefined : knownScalars.get(bound);
      if (known !== undefined) {
        const ir: IR = known.value === null ? { kind: 'NA', type: known.type as Type, ...(node.span ? { span: node.span } : {}) } : literalOf(known, node.span);
        return { ...known, ir, shadow: ir, reads: Infinity, opaque: false, tables: false };
      }
    }
    const type = types.get(node);
    // Missing by its form (static-missing.ts): NA, whatever it reads (nothing of it is run).
    if (!isTableIR(node) && node.kind !== 'NA' && type !== undefined && 'kind' in type && staticallyMissing(node)) return missing(node, type, Infinity, false, false);
    let reads = Infinity;
    let opaque = isTableIR(node) || OPAQUE_KINDS.has(node.kind);
    let stuck = false;
    let tables = isTableIR(node);
    // A loop over a stream empty by its form never runs its body: one that raises does not.
    const neverRuns = LOOP_BODY.get(node.kind);
    const skipped = neverRuns !== undefined && lengthByForm(results[0]!.ir) === 0 ? neverRuns : -1;
    // A fold over a stream with an element by its form, whose body reads none of its bindings,
    // never needs its zero (demand.ts): a zero that raises does not make it raise.
    const unneededZero = node.kind === 'StreamFold' && results[2]!.reads > ctx.depth && (lengthByForm(results[0]!.ir) ?? 0) > 0;
    for (const [i, r] of results.entries()) {
      reads = Math.min(reads, r.reads);
      opaque ||= r.opaque;
      tables ||= r.tables;
      stuck ||= r.state === 'stuck' && i !== skipped && !(unneededZero && i === 1);
    }
    const ownerDepth = (scan: boolean): number => {
      const o = scan ? ctx.env.scanOwner : ctx.env.aggOwner;
      return o === undefined ? -1 : (resolveDepth.get(o) ?? -1);
    };
    if (node.kind === 'Ref') {
      // A value that reads nothing that varies: not known here (opaque), but it reads nothing.
      if (stableRead(node, ctx) !== undefined) opaque = true;
      else reads = Math.min(reads, ctx.env.eval.get(node.name)?.depth ?? -1);
      if (ctx.env.eval.get(node.name)?.row) presentRows.add(node);
    }
    else if (node.kind === 'RelationalRef') {
      // A root let's value is not known here: opaque, but it reads nothing.
      if (isRootRead(node, ctx)) opaque = true;
      else reads = Math.min(reads, ctx.env.rel.get(node.name)?.depth ?? -1);
    }
    else if (node.kind === 'Grad' || node.kind === 'Gradient') {
      // A Grad reads its variables (where its body does not, the derivative is still 0 or missing by them).
      for (const n of node.kind === 'Grad' ? [node.name] : node.names) reads = Math.min(reads, ctx.env.eval.get(n)?.depth ?? -1);
    }
    else if (AGG_KINDS.has(node.kind)) reads = Math.min(reads, ownerDepth('isScan' in node ? node.isScan : node.kind === 'ApplyScanOp'));
    else if (node.kind === 'Let') {
      // Its agg (scan) bindings run per row of the enclosing aggregation.
      for (const b of node.bindings) if (b.scope !== 'eval') reads = Math.min(reads, ownerDepth(b.scope === 'scan'));
    } else if (node.kind === 'StreamRange' && !shortRange(results)) opaque = true;
    // The global of a TableParallelize of a constant is known by its form, or its error is
    // (semantics.md §7): computed here like any closed value, no row is.
    if (node.kind === 'TableGetGlobals' && parallelizedConstant(results[0]!.ir, closedParallelize)) opaque = false;
    const closed = reads >= ctx.depth && !opaque;

    // A field of a struct written out whose value is a constant is that constant (the other
    // fields are not needed: semantics.md §1).
    const field = results[0] === undefined ? undefined : fieldWrittenOut(node, results[0].ir, present);
    if (field !== undefined && field !== null) {
      const v = constantValue(field);
      if (v !== undefined) return { ir: field, shadow: field, type, reads: Infinity, opaque: false, tables: false, state: 'known', value: v };
      // A closed scalar field (an expression, kept as written) is known too.
      const k = knownScalars.get(field);
      if (k !== undefined) return { ...k, ir: field, shadow: k.value === null ? k.ir : literalOf(k, node.span) };
    }
    // IsNA of a value present by its form is false, the value unevaluated (as SQL folds
    // `x IS NULL` of an expression it knows is not NULL).
    if (node.kind === 'IsNA' && present(results[0]!.ir)) {
      const no = { kind: 'False', ...(node.span ? { span: node.span } : {}) } as IR;
      return { ir: no, shadow: no, type, reads: Infinity, opaque: false, tables: false, state: 'known', value: false };
    }
    // If and Switch on a known condition are the branch taken; Coalesce drops known missings.
    let kids = results;
    const reduced = reduce(node, results);
    if (reduced !== undefined) {
      if (!Array.isArray(reduced)) return reduced as Out;
      kids = reduced as Out[];
      if (kids.length === 0) return missing(node, type, reads, opaque, tables);
      if (kids.length === 1 || kids[0]!.state === 'known') return kids[0]!;
    }
    const rebuild = (pick: (r: Out) => IR): IR =>
      kids === results ? withChildren(node, results.map(pick)) : ({ ...node, values: kids.map(pick) } as IR);
    let ir = rebuild((r) => r.ir);
    // Missing by its form once its children are folded (an operand a known branch made NA).
    if (!isTableIR(node) && type !== undefined && 'kind' in type && ir !== node && staticallyMissing(ir)) return missing(node, type, Infinity, false, false);
    // A TableFilter or StreamFilter on a closed predicate keeps all rows or none (semantics.md §7).
    if ((node.kind === 'TableFilter' || node.kind === 'StreamFilter') && results[1]!.state === 'known' && results[1]!.ir.kind !== 'NA') {
      const at = node.kind === 'TableFilter' ? node.pred.span : node.cond.span;
      const pred: IR = { kind: results[1]!.value === true ? 'True' : 'False', ...(at ? { span: at } : {}) } as IR;
      ir = withChildren(ir, [results[0]!.ir, pred]);
    }
    // So does an AggFilter on a closed condition.
    if (node.kind === 'AggFilter' && results[0]!.state === 'known' && results[0]!.ir.kind !== 'NA' && kids === results) {
      const cond: IR = { kind: results[0]!.value === true ? 'True' : 'False', ...(node.cond.span ? { span: node.cond.span } : {}) } as IR;
      ir = withChildren(ir, [cond, results[1]!.ir]);
    }
    // A TableParallelize of a known value has its rows by its form (an empty one is empty).
    if (node.kind === 'TableParallelize' && results[0]!.state === 'known' && results[0]!.value !== null && results[0]!.ir.kind !== 'Literal') {
      ir = withChildren(ir, [literalOf(results[0]!)]);
    }
    // (One of a closed value that is not known, which raises: its global is closed too.)
    if (node.kind === 'TableParallelize' && results[0]!.state !== 'open' && !results[0]!.opaque && !results[0]!.tables) closedParallelize.add(ir);
    let shadow = rebuild((r) => (r.state === 'known' && r.ir.kind !== 'NA' ? literalOf(r) : r.shadow));
    if (unneededZero) {
      const [a, , body] = children(shadow);
      shadow = withChildren(shadow, [a!, { kind: 'NA', type: types.get(node.zero) as Type }, body!]);
    }
    const base = { ir, shadow, type, reads, opaque, tables };
    if (tables && !isTableIR(node) && reads >= ctx.depth && ctx.depth > 0 && type !== undefined && 'kind' in type) hoisted.add(ir);
    // A let whose body is known to raise is known to raise: not hoisted (semantics.md §7).
    if ((node.kind === 'Let' || node.kind === 'RelationalLet') && raises.has(kids[kids.length - 1]!.ir)) hoisted.delete(ir);
    if (!closed) {
      // (Open, it still raises what an operand evaluated first raises.)
      // (A closed stream is never evaluated by itself: whether it raises is asked here.)
      if (stuck || kids.some((k) => raises.has(k.ir)) || (STREAM_FIRST.has(node.kind) && kids[0]!.state === 'closed')) raisesFirst(node, ir, kids);
      // A StreamAgg or ToDict over a closed collection that raises raises whenever it runs,
      // whatever its query reads: known here, it is never a FROM argument SQL computes up front.
      // An AggExplode's closed array: known to raise, it is that error on every row.
      if (node.kind === 'AggExplode' && !opaqueOrOpen(kids[0]!) && kids[0]!.state !== 'stuck') {
        const e = collectionError(kids[0]!.shadow);
        if (e !== undefined) raises.set(kids[0]!.ir, e);
      }
      // Its aggregation never runs: no query in it is hoisted.
      if (node.kind === 'AggExplode' && raises.has(kids[0]!.ir)) cutAfter.set(ir, 0);
      if (SUBQUERY_KINDS.has(node.kind) && !opaqueOrOpen(kids[0]!)) {
        const e = collectionError(kids[0]!.shadow);
        if (e !== undefined) {
          raises.set(ir, e);
          raisesWhole.add(ir);
          hoisted.delete(ir);
        }
      }
      return { ...base, state: 'open' };
    }
    const leaf = constantValue(node);
    if (leaf !== undefined) return { ...base, state: 'known', value: leaf };
    // A strict operation raises what its first raising operand raises, when the operands
    // before that one evaluate, a collection operation what its collection raises, a
    // conditional what its condition raises: known
    // without running it again (a SQL engine may not reach the error where an operand's is, as
    // when another operand is a subquery it runs up front).
    if (stuck) raisesFirst(node, ir, kids);
    // Below a node a SQL engine runs as a subquery (and so even where it is not reached), a
    // raise must be known at the node itself: evaluate it although a child is stuck.
    if (stuck && !SUBQUERY_KINDS.has(node.kind)) return { ...base, state: 'stuck' };
    if (type === undefined || !('kind' in type) || type.kind === 'Stream') return { ...base, state: 'closed' };
    try {
      const value = evaluate(shadow as ValueIR);
      if (value === null) return missing(node, type, reads, opaque, tables);
      return { ...base, state: 'known', value };
    } catch (e) {
      // Too deep for this thread's stack, or any other failure: left to run time.
      if (isRuntimeError(e)) {
        raises.set(ir, e);
        // Known to raise, it is that error where it stands, in every backend: not hoisted, nor
        // is a query inside it.
        hoisted.delete(ir);
        if (tables) cutAfter.set(ir, -1);
        if ((SUBQUERY_KINDS.has(node.kind) || STREAM_FIRST.has(node.kind)) && collectionError(kids[0]!.shadow) !== undefined) raisesWhole.add(ir);
        // One that raises with none of its value needed but its presence raises whatever part is
        // needed (a SQL engine runs an uncorrelated subquery up front, even over no rows).
        // (Not a global: it raises only when a field of it is needed, §7.)
        if (!raisesWhole.has(ir) && node.kind !== 'TableGetGlobals' && raisesRegardless(shadow)) raisesWhole.add(ir);
      }
      return { ...base, state: 'stuck' };
    }
  }
}

/**
 * The raises that demand decides (semantics.md §1, §7): the nodes of `pendingRaises` whose
 * operand is needed, and a global known to raise a field of which is needed (it raises only
 * then), recorded as raising whatever of them is needed.
 */
export function raiseWhenNeeded(f: Folded, demand: DemandInfo): Pick<Folded, 'raises' | 'raisesWhole' | 'hoisted'> {
  // (In post-order: one pending on another's raise comes after it.)
  const resolved = new Set<IR>();
  for (const [n, p] of f.pendingRaises) if (demand.needed(children(n)[p.at]!) && (p.after === undefined || resolved.has(p.after))) resolved.add(n);
  const nodes = [...f.pendingRaises].filter(([n]) => resolved.has(n));
  const globals = [...f.raises.keys()].filter((n) => n.kind === 'TableGetGlobals' && !f.raisesWhole.has(n) && someField(demand.value(n)));
  if (nodes.length === 0 && globals.length === 0) return f;
  const raises = new Map(f.raises);
  const raisesWhole = new Set([...f.raisesWhole, ...globals]);
  const hoisted = new Set(f.hoisted);
  for (const [n, p] of nodes) {
    raises.set(n, p.error);
    raisesWhole.add(n);
    hoisted.delete(n);
  }
  if (hoisted.size > 0) dropUnreached(f.ir, new Map(nodes.map(([n, p]) => [n, p.at])), hoisted);
  return { raises, raisesWhole, hoisted };
}

/** Whether a demand asks for a field. */
function someField(d: Demand): boolean {
  return d === 'all' || (d !== null && d.size > 0);
}

/** Drops the hoisted queries in operands a raising node never evaluates (semantics.md §7). */
function dropUnreached(root: IR, cutAfter: ReadonlyMap<IR, number>, hoisted: Set<IR>): void {
  const stack: [IR, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [n, dead] = stack.pop()!;
    if (dead) hoisted.delete(n);
    const at = cutAfter.get(n);
    children(n).forEach((c, i) => stack.push([c, dead || (at !== undefined && i > at)]));
  }
}

/** A raise known once demand is: when operand `at` is needed (and `after` raises, if given). */
interface Pending {
  readonly error: unknown;
  readonly at: number;
  readonly after?: IR;
}

/** Whether `t`'s global is that of a TableParallelize of a closed value (`closed`, or a Literal or NA), or a literal one of a TableMapGlobals. */
function parallelizedConstant(t: IR, closed: ReadonlySet<IR>): boolean {
  let n = t;
  while (KEEPS_GLOBAL.has(n.kind)) n = (n as Extract<IR, { child: IR }>).child;
  if (n.kind === 'TableMapGlobals') return n.newGlobal.kind === 'Literal';
  return n.kind === 'TableParallelize' && (n.rowsAndGlobal.kind === 'Literal' || n.rowsAndGlobal.kind === 'NA' || closed.has(n));
}
/**
 * Table nodes whose global is their child's (renamed, for TableRename), with no value child (one
 * may hold what cannot run before the program, a TableRead).
 */
const KEEPS_GLOBAL: ReadonlySet<string> = new Set(['TableKeyBy', 'TableOrderBy', 'TableRename', 'TableHead', 'TableTail', 'TableDistinct', 'TableExplode']);

/** Whether a child is not a closed value that may raise and can be run here. */
function opaqueOrOpen(r: Out): boolean {
  return r.state === 'open' || r.state === 'known' || r.opaque;
}

/** A closed node whose value is missing: NA, which static missingness reads (semantics.md §1). */
function missing(node: IR, type: AnyType | undefined, reads: number, opaque: boolean, tables: boolean): Out {
  const ir: IR = type !== undefined && 'kind' in type ? { kind: 'NA', type, ...(node.span ? { span: node.span } : {}) } : node;
  return { ir, shadow: ir, type, reads, opaque, tables, state: 'known', value: null };
}

function literalOf(r: Out, span = r.ir.span): IR {
  if (r.type === undefined || !('kind' in r.type) || r.type.kind === 'Stream') return r.shadow;
  return { kind: 'Literal', type: r.type, value: r.value!, ...(span ? { span } : {}) };
}

/**
 * `If`/`Switch` on a known condition: the branch's result. `Coalesce` with known missing
 * arguments: the arguments left (maybe none). A let with a known body: the body. Undefined
 * when nothing reduces.
 */
function reduce(n: IR, kids: readonly Out[]): Out | Out[] | undefined {
  const known = (r: Out): Value | undefined => (r.state === 'known' ? r.value : undefined);
  switch (n.kind) {
    case 'If': {
      const c = known(kids[0]!);
      // Missing whichever branch is taken: missing, the condition unevaluated (as SQL folds it).
      if (known(kids[1]!) === null && known(kids[2]!) === null) return [];
      if (c === undefined) return undefined;
      return c === null ? [] : c ? kids[1] : kids[2];
    }
    case 'Switch': {
      const c = known(kids[0]!);
      if (kids.slice(1).every((r) => known(r) === null)) return [];
      if (c === undefined) return undefined;
      if (c === null) return [];
      return typeof c === 'number' && c >= 0 && c < n.cases.length ? kids[2 + c] : kids[1];
    }
    case 'Let':
    case 'AggLet':
    case 'RelationalLet':
    case 'AggFilter':
    case 'AggExplode':
    case 'TableAggregate': {
      // A let whose body is closed and known is its body: it reads none of the bindings. So is
      // an aggregation's per-row wrapper, and an aggregation of a table: no aggregator inside
      // reads a row (semantics.md §1: no row is read).
      // (A closed stream, never known, counts too.)
      const body = kids[kids.length - 1]!;
      return known(body) === undefined && !(body.state === 'closed' && n.kind !== 'TableAggregate') ? undefined : body;
    }
    case 'Coalesce': {
      // Known missing arguments drop out; nothing after a known present one is evaluated.
      let rest = kids.filter((r) => known(r) !== null);
      const first = rest.findIndex((r) => known(r) !== undefined);
      if (first >= 0) rest = rest.slice(0, first + 1);
      return rest.length === kids.length ? undefined : rest;
    }
    default:
      return undefined;
  }
}

function shortRange(kids: readonly Out[]): boolean {
  const [a, b, st] = kids.map((r) => (r.state === 'known' ? r.value : undefined));
  if (typeof a !== 'number' || typeof b !== 'number' || typeof st !== 'number' || st === 0) return false;
  return Math.abs(b - a) / Math.abs(st) <= MAX_RANGE;
}
