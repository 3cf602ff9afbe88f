// Lifting nested relational queries into relational lets (Hail's LiftRelationalValues), so each
// runs once rather than once per row or per iteration (docs/design/lift-relational-lets.md).
//
//   (TableAggregate (TableFilter (TableRange 100 None)
//       (ApplyComparisonOp LT (GetField idx (Ref row)) (TableCount (TableRange 10 None))))
//     (ApplyAggOp Count () ()))
// becomes
//   (RelationalLet __rel0 (TableCount (TableRange 10 None))
//     (TableAggregate (TableFilter (TableRange 100 None)
//         (ApplyComparisonOp LT (GetField idx (Ref row)) (RelationalRef __rel0 Int64)))
//       (ApplyAggOp Count () ())))
//
// Which queries: every nested `TableAggregate`, `TableCount`, `TableCollect` and
// `TableGetGlobals` (not the root nor the body of relational lets around it, not already a
// relational let's value) that reads no variable
// bound per row or per iteration: only variables of `Let` (eval scope) and relational lets, or
// none. It moves to the outermost place where what it reads is bound: the root when it reads
// nothing (a `RelationalLetTable` when the root is a table), else just inside the innermost
// binder it reads, around the child of that binder it stands in. It is replaced by a
// `RelationalRef`. A query that reads a row, an element, an accumulator or an aggregation's
// binding stays where it is; queries inside it are still lifted when they can be.
//
// Two walks of the tree, O(n log d) in all (d the depth):
// 1. Placement. The walk keeps, for each depth of the current path, the last time (pre-order
//    number) a reference to the binder at that depth was seen, in two segment trees (binders
//    a query may be lifted past: Let and relational lets; all others). Leaving a query that
//    began at time t at depth d, the references inside it to binders outside it are those with
//    a time >= t at a depth < d: the deepest such depth is its anchor, and any in the second
//    tree keeps it in place. No set of free variables is built per node.
// 2. Rewriting, bottom-up, linear: a lifted query (its own nested ones already replaced) is
//    looked up by its structure up to bound names (`alphaKey`, confirmed by `equalIR`) among the
//    queries lifted to the same place, so equal ones share one let, and is replaced by a
//    reference. Lets are put in place when the walk leaves their anchor, in the order made
//    (a query's nested queries before it, so their lets enclose its own).
//
// Idempotent: a lifted query is a relational let's value, which is never lifted again, and
// what stays in place stays for the same reason the second time.

import { InternalError } from '../diagnostics/diagnostic.js';
import { childEnv, emptyEnv, type Bind, type Env } from '../ir/binds.js';
import { relationalLet, relationalLetTable, relationalRef } from '../ir/build.js';
import { withChildren } from '../ir/children.js';
import { alphaKey, equalIR } from '../ir/equal.js';
import { isTableIR, type IR, type Scope, type TableIR, type ValueIR } from '../ir/nodes.js';
import type { Type } from '../ir/types.js';
import { fold, maxDepth } from '../ir/walk.js';
import { isTableType, type AnyType } from './typecheck.js';

export interface LiftOptions {
  /**
   * Whether a query that could be lifted may be (the backends' pipeline passes the semantics'
   * rule, semantics.md §7); by default every one is.
   */
  readonly mayLift?: (query: ValueIR) => boolean;
  /**
   * Value expressions (of the input) to lift as if they were queries, with the queries in them:
   * the pipeline lifts the whole closed expression that semantics.md §7 evaluates ahead (an
   * `ArrayRef` of a `TableCollect`'s rows raises ahead too), not only the query in it.
   */
  readonly alsoLift?: ReadonlySet<IR>;
}

export interface Lifted {
  readonly ir: IR;
  /** Relational lets made. */
  readonly lets: number;
  /** Query occurrences replaced by a reference (more than `lets` when equal ones share). */
  readonly replaced: number;
}

const QUERIES = new Set(['TableAggregate', 'TableCount', 'TableCollect', 'TableGetGlobals']);

/** Whether `n` is a nested query the pass lifts (the four kinds above). */
export const isNestedQuery = (n: IR): boolean => QUERIES.has(n.kind);

/** A binding as the placement walk sees it: the depth of its binder, and whether a query may be lifted past it. */
interface Bound {
  readonly depth: number;
  readonly liftable: boolean;
}

interface Ctx {
  readonly env: Env<Bound>;
  readonly depth: number;
  /** Pre-order number of the node. */
  readonly time: number;
  /** Whether the node is a relational let's value (already bound once). */
  readonly letValue: boolean;
  /** Whether the node is the root or a body of relational lets around it (run once, as the root). */
  readonly spine: boolean;
}

/** Where a lifted query's let goes: around child `child` of `binder`, or (binder null) the root. */
interface Anchor {
  readonly binder: IR | null;
  readonly child: number;
}

/** Max segment tree over depths: set a depth's time, find the deepest depth below d with a time >= t. */
class Latest {
  private readonly size: number;
  private readonly tree: Float64Array;
  constructor(depths: number) {
    let size = 1;
    while (size < depths) size *= 2;
    this.size = size;
    this.tree = new Float64Array(2 * size).fill(-1);
  }
  set(depth: number, time: number): void {
    let i = this.size + depth;
    if (this.tree[i] === time) return;
    this.tree[i] = time;
    for (i >>= 1; i >= 1; i >>= 1) this.tree[i] = Math.max(this.tree[2 * i]!, this.tree[2 * i + 1]!);
  }
  /** The deepest depth in [0, d) whose time is >= t, or -1. */
  deepest(d: number, t: number): number {
    let l = this.size;
    let r = this.size + d;
    const right: number[] = [];
    const left: number[] = [];
    while (l < r) {
      if (l & 1) left.push(l++);
      if (r & 1) right.push(--r);
      l >>= 1;
      r >>= 1;
    }
    // Covering nodes from the right: `right` is already right to left, then `left` reversed.
    for (const c0 of [...right, ...left.reverse()]) {
      if (this.tree[c0]! < t) continue;
      let c = c0;
      while (c < this.size) c = this.tree[2 * c + 1]! >= t ? 2 * c + 1 : 2 * c;
      return c - this.size;
    }
    return -1;
  }
}

/** Lifts every liftable nested query of a type-checked program (see the top of this file). */
export function liftRelationalLets(root: IR, types: ReadonlyMap<IR, AnyType>, options: LiftOptions = {}): Lifted {
  const mayLift = options.mayLift ?? (() => true);
  const alsoLift = options.alsoLift ?? new Set<IR>();

  // ---- 1. placement -------------------------------------------------------------------------------
  const depths = maxDepth(root) + 2;
  const lift = new Latest(depths);
  const stay = new Latest(depths);
  /** The node at each depth of the current path, and which of its children the path takes. */
  const pathNode: IR[] = [];
  const pathChild: number[] = [];
  const anchors = new Map<IR, Anchor>();
  const relNames = new Set<string>();
  let clock = 0;
  // A binding's binder stands at the depth of the node whose child's scope is being made.
  let binderDepth = 0;
  const bound = (binder: IR, _bind: unknown, scope: Scope | 'rel'): Bound => ({
    depth: binderDepth,
    liftable: scope === 'rel' || (binder.kind === 'Let' && scope === 'eval'),
  });
  /** When a Grad or Gradient was last left (they name variables outside the scoping rules). */
  let lastGrad = -1;

  fold<Ctx, null>(root, { env: emptyEnv<Bound>(), depth: 0, time: clock++, letValue: false, spine: true }, {
    enter: (node, i, ctx) => {
      pathNode[ctx.depth] = node;
      pathChild[ctx.depth] = i;
      const depth = ctx.depth + 1;
      // A new node at this depth: references to the one before it are done with.
      lift.set(depth, -1);
      stay.set(depth, -1);
      binderDepth = ctx.depth;
      const env = childEnv<Bound>(node, i, ctx.env, bound);
      const rl = node.kind === 'RelationalLet' || node.kind === 'RelationalLetTable';
      return { env, depth, time: clock++, letValue: rl && i === 0, spine: ctx.spine && rl && i === 1 };
    },
    leave: (node, ctx) => {
      if (node.kind === 'RelationalLet' || node.kind === 'RelationalLetTable' || node.kind === 'RelationalRef') relNames.add(node.name);
      if (node.kind === 'Grad' || node.kind === 'Gradient') lastGrad = ctx.time;
      if (node.kind === 'Ref' || node.kind === 'RelationalRef') {
        const b = node.kind === 'Ref' ? ctx.env.eval.get(node.name) : ctx.env.rel.get(node.name);
        if (b !== undefined) (b.liftable ? lift : stay).set(b.depth, ctx.time);
      } else if ((QUERIES.has(node.kind) || alsoLift.has(node)) && !ctx.spine && !ctx.letValue) {
        // Read per row or per iteration: it stays. (So does one holding a Grad or Gradient, whose
        // variables are named outside the scoping rules, until differentiation removes them.)
        if (stay.deepest(ctx.depth, ctx.time) >= 0 || lastGrad >= ctx.time) return null;
        if (!mayLift(node as ValueIR)) return null;
        const k = lift.deepest(ctx.depth, ctx.time);
        anchors.set(node, k < 0 ? { binder: null, child: 0 } : { binder: pathNode[k]!, child: pathChild[k]! });
      }
      return null;
    },
  });
  if (anchors.size === 0) return { ir: root, lets: 0, replaced: 0 };

  // ---- 2. rewriting -------------------------------------------------------------------------------
  let fresh = 0;
  const freshName = (): string => {
    let name: string;
    do name = `__rel${fresh++}`;
    while (relNames.has(name));
    relNames.add(name);
    return name;
  };
  interface Let {
    readonly name: string;
    readonly value: ValueIR;
  }
  /** Lets to put around each child of each anchor (the root: null), in the order made. */
  const pending = new Map<IR | null, Map<number, Let[]>>();
  /** Lifted queries by place and canonical key. */
  const known = new Map<IR | null, Map<string, Let[]>>();
  let lets = 0;
  let replaced = 0;
  const wrap = (body: IR, ls: readonly Let[]): IR => {
    let out = body;
    for (let j = ls.length - 1; j >= 0; j--) {
      const { name, value } = ls[j]!;
      out = isTableIR(out) ? relationalLetTable(name, value, out as TableIR) : relationalLet(name, value, out as ValueIR);
    }
    return out;
  };

  const out = fold<null, IR>(root, null, {
    enter: () => null,
    leave: (node, _ctx, kids) => {
      const own = pending.get(node);
      const rebuilt = withChildren(node, own === undefined ? kids : kids.map((k, i) => (own.has(i) ? wrap(k, own.get(i)!) : k)));
      const anchor = anchors.get(node);
      if (anchor === undefined) return rebuilt;
      const value = rebuilt as ValueIR;
      const key = alphaKey(value);
      let byKey = known.get(anchor.binder);
      if (byKey === undefined) known.set(anchor.binder, (byKey = new Map()));
      const same = byKey.get(key);
      let name = same?.find((l) => equalIR(l.value, value))?.name;
      if (name === undefined) {
        name = freshName();
        const made: Let = { name, value };
        if (same === undefined) byKey.set(key, [made]);
        else same.push(made);
        let at = pending.get(anchor.binder);
        if (at === undefined) pending.set(anchor.binder, (at = new Map()));
        const list = at.get(anchor.child);
        if (list === undefined) at.set(anchor.child, [made]);
        else list.push(made);
        lets++;
      }
      replaced++;
      const type = types.get(node);
      if (type === undefined || isTableType(type)) throw new InternalError(`lift-relational-lets: no value type for ${node.kind}`);
      return { ...relationalRef(name, type as Type), ...(node.span ? { span: node.span } : {}) };
    },
  });
  const atRoot = pending.get(null)?.get(0);
  return { ir: atRoot === undefined ? out : wrap(out, atRoot), lets, replaced };
}

/**
 * Reads of a `Let` variable bound to a root relational let's value (`(Let k (RelationalRef
 * __rel0) ...)`, what lifting leaves where a let's value was lifted) read that let directly:
 * the same value, computed once before the rest. A query that read only such variables then
 * reads nothing that varies, and the pipeline lifts it to the root too (prepare.ts). Linear.
 */
export function resolveRootAliases(root: IR): IR {
  const rootLets = new Set<IR>(rootRelationalLets(root));
  if (rootLets.size === 0) return root;
  // A Let's eval variable resolves to its value; a relational one to its binder.
  const resolve = (binder: IR, b: Bind, scope: Scope | 'rel'): IR | null => {
    if (scope === 'rel') return binder;
    if (binder.kind !== 'Let' || scope !== 'eval' || b.source.of !== 'type') return null;
    return binder.bindings[b.source.child]?.value ?? null;
  };
  return fold<Env<IR | null>, IR>(root, emptyEnv<IR | null>(), {
    enter: (node, i, env) => childEnv<IR | null>(node, i, env, resolve),
    leave: (node, env, results) => {
      if (node.kind === 'Ref') {
        const v = env.eval.get(node.name);
        if (v?.kind === 'RelationalRef' && rootLets.has(env.rel.get(v.name) as IR)) return relationalRef(v.name, v.type);
      }
      return withChildren(node, results);
    },
  });
}

/** The relational lets the program starts with: its root, and their bodies while they are relational lets. */
export function rootRelationalLets(root: IR): (IR & { kind: 'RelationalLet' | 'RelationalLetTable' })[] {
  const out: (IR & { kind: 'RelationalLet' | 'RelationalLetTable' })[] = [];
  for (let n: IR = root; n.kind === 'RelationalLet' || n.kind === 'RelationalLetTable'; n = n.body) out.push(n);
  return out;
}
