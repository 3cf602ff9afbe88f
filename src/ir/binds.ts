// Scoping (Hail's Binds.scala, plus the spec's extension): for each node and child, the
// environment that child sees. One definition serves the type checker (T = type), structural
// equality (T = binder identity) and, later, the interpreter.
//
// Environments are persistent maps, so a child environment costs O(log n) per new binding and
// sibling scopes share structure.
//
// Rules, beyond "a child sees its parent's environment":
// - A table child keeps the enclosing eval bindings [ext]; agg and scan scopes end there.
// - Value children of table nodes see the enclosing eval bindings plus `global` and `row` as
//   each node allows. An aggregating child opens an agg scope = eval + {global, row}, so
//   variables bound outside the aggregation stay visible inside it [ext].
// - `ApplyAggOp` seq args, `AggFilter` conditions, `AggExplode` arrays, `AggGroupBy` keys,
//   `AggArrayPerElement` arrays and `AggLet`/`Let agg` values run per row: their eval scope
//   becomes the agg (or scan) scope.
// - A `CollectDistributedArray` body sees only its context and global names.
// - Relational bindings (`RelationalLet`, `RelationalLetTable`) are visible everywhere below,
//   except that per-row code of an aggregation sees only those bound outside its query.

import { Map as IMap } from 'immutable';
import type { IR, Scope } from './nodes.js';

export type Scoped<T> = IMap<string, T>;

export interface Env<T> {
  readonly eval: Scoped<T>;
  readonly agg: Scoped<T> | null;
  readonly scan: Scoped<T> | null;
  readonly rel: Scoped<T>;
  /**
   * The relational bindings where the agg (scan) scope opened: per-row code sees those, not
   * relational lets bound inside the query (those are computed once, after the rows).
   */
  readonly aggRel?: Scoped<T>;
  readonly scanRel?: Scoped<T>;
  /** The node that opened the agg (scan) scope, for telling which aggregation a node feeds. */
  readonly aggOwner?: IR;
  readonly scanOwner?: IR;
}

export function emptyEnv<T>(): Env<T> {
  return { eval: IMap(), agg: null, scan: null, rel: IMap() };
}

/** What a binding holds, for the caller to resolve into its own T. */
export type BindSource =
  | { readonly of: 'type'; readonly child: number } // the type of child `child`
  | { readonly of: 'element'; readonly child: number } // the element type of child `child`
  | { readonly of: 'row'; readonly child: number } // the row type of table child `child`
  | { readonly of: 'global'; readonly child: number } // the global type of table child `child`
  | { readonly of: 'int32' };

export interface Bind {
  readonly name: string;
  readonly source: BindSource;
}

/** `ordinal` is the bind's position among those the node adds at once (ArraySort's l, r). */
type Resolve<T> = (node: IR, bind: Bind, scope: Scope | 'rel', ordinal: number) => T;

function add<T>(m: Scoped<T>, node: IR, binds: readonly Bind[], resolve: Resolve<T>, scope: Scope | 'rel'): Scoped<T> {
  if (binds.length === 0) return m;
  if (binds.length === 1) return m.set(binds[0]!.name, resolve(node, binds[0]!, scope, 0));
  return m.withMutations((mm) => {
    binds.forEach((b, k) => mm.set(b.name, resolve(node, b, scope, k)));
  });
}

// Made once: they are asked for at every table node's value children (always of child 0).
const ROW_AND_GLOBAL: readonly Bind[] = [
  { name: 'global', source: { of: 'global', child: 0 } },
  { name: 'row', source: { of: 'row', child: 0 } },
];
const GLOBAL_ONLY: readonly Bind[] = [{ name: 'global', source: { of: 'global', child: 0 } }];

/** Entering a table child: eval bindings stay [ext]; agg and scan scopes end. */
function tableChild<T>(env: Env<T>): Env<T> {
  return env.agg === null && env.scan === null ? env : { eval: env.eval, agg: null, scan: null, rel: env.rel };
}

/** Per-row code under an aggregation: the agg (or scan) scope becomes the eval scope. */
function promote<T>(env: Env<T>, isScan: boolean): Env<T> {
  const inner = isScan ? env.scan : env.agg;
  // Outside any aggregation context the type checker reports the misuse; bind nothing.
  return { eval: inner ?? IMap(), agg: null, scan: null, rel: (isScan ? env.scanRel : env.aggRel) ?? env.rel };
}

// Walking a Let's children in order asks for child 0, 1, 2, ...; remembering how far the last
// call got (for the same node and the same `env` object) keeps that O(n) for n bindings rather
// than O(n^2). Sound because a binding resolves the same way for the same node and `env`. The
// entry is dropped once the body's environment is built, so nothing is retained after a walk.
const letProgress = new WeakMap<IR, { readonly base: object; readonly upto: number; readonly env: object }>();

/** The environment child `i` of `node` sees, given the node's own environment. */
export function childEnv<T>(node: IR, i: number, env: Env<T>, resolve: Resolve<T>): Env<T> {
  const ev = (binds: Bind[]): Env<T> => ({ ...env, eval: add(env.eval, node, binds, resolve, 'eval') });
  switch (node.kind) {
    case 'Let': {
      // Bindings before `i` are visible; an agg/scan binding's value runs per row.
      const upto = Math.min(i, node.bindings.length);
      let e = env;
      let j = 0;
      const memo = letProgress.get(node);
      if (memo !== undefined && memo.base === env && memo.upto <= upto) {
        e = memo.env as Env<T>;
        j = memo.upto;
      }
      for (; j < upto; j++) {
        const b = node.bindings[j]!;
        const bind: Bind[] = [{ name: b.name, source: { of: 'type', child: j } }];
        if (b.scope === 'eval') e = { ...e, eval: add(e.eval, node, bind, resolve, 'eval') };
        else if (b.scope === 'agg') e = { ...e, agg: add(e.agg ?? IMap(), node, bind, resolve, 'agg') };
        else e = { ...e, scan: add(e.scan ?? IMap(), node, bind, resolve, 'scan') };
      }
      if (i >= node.bindings.length) letProgress.delete(node);
      else letProgress.set(node, { base: env, upto, env: e });
      const own = node.bindings[i];
      return own && own.scope !== 'eval' ? promote(e, own.scope === 'scan') : e;
    }
    case 'AggLet': {
      if (i === 0) return promote(env, node.isScan);
      const bind: Bind[] = [{ name: node.name, source: { of: 'type', child: 0 } }];
      return node.isScan
        ? { ...env, scan: add(env.scan ?? IMap(), node, bind, resolve, 'scan') }
        : { ...env, agg: add(env.agg ?? IMap(), node, bind, resolve, 'agg') };
    }
    case 'StreamMap':
    case 'StreamFilter':
    case 'StreamFlatMap':
      return i === 1 ? ev([{ name: node.name, source: { of: 'element', child: 0 } }]) : env;
    case 'StreamFold':
    case 'StreamScan':
      return i === 2
        ? ev([
            { name: node.accum, source: { of: 'type', child: 1 } },
            { name: node.name, source: { of: 'element', child: 0 } },
          ])
        : env;
    case 'StreamZip':
      return i === node.streams.length
        ? ev(node.names.map((name, j) => ({ name, source: { of: 'element', child: j } })))
        : env;
    case 'ArraySort':
      return i === 1
        ? ev([
            { name: node.left, source: { of: 'element', child: 0 } },
            { name: node.right, source: { of: 'element', child: 0 } },
          ])
        : env;
    case 'StreamAgg':
      if (i === 0) return env;
      return {
        ...env,
        agg: add(env.eval, node, [{ name: node.name, source: { of: 'element', child: 0 } }], resolve, 'agg'),
        aggRel: env.rel,
        aggOwner: node,
      };
    case 'ApplyAggOp':
    case 'ApplyScanOp':
      return i < node.initArgs.length ? env : promote(env, node.kind === 'ApplyScanOp');
    case 'AggFilter':
    case 'AggGroupBy':
      return i === 0 ? promote(env, node.isScan) : env;
    case 'AggExplode': {
      if (i === 0) return promote(env, node.isScan);
      const bind: Bind[] = [{ name: node.name, source: { of: 'element', child: 0 } }];
      return node.isScan
        ? { ...env, scan: add(env.scan ?? IMap(), node, bind, resolve, 'scan') }
        : { ...env, agg: add(env.agg ?? IMap(), node, bind, resolve, 'agg') };
    }
    case 'AggArrayPerElement': {
      if (i === 0) return promote(env, node.isScan);
      if (i === 2) return env;
      const elem: Bind[] = [{ name: node.elementName, source: { of: 'element', child: 0 } }];
      const index: Bind[] = [{ name: node.indexName, source: { of: 'int32' } }];
      const withIndex = { ...env, eval: add(env.eval, node, index, resolve, 'eval') };
      return node.isScan
        ? { ...withIndex, scan: add(env.scan ?? IMap(), node, elem, resolve, 'scan') }
        : { ...withIndex, agg: add(env.agg ?? IMap(), node, elem, resolve, 'agg') };
    }
    case 'CollectDistributedArray':
      if (i !== 2) return env;
      return {
        eval: add(
          IMap(),
          node,
          [
            { name: node.contextName, source: { of: 'element', child: 0 } },
            { name: node.globalName, source: { of: 'type', child: 1 } },
          ],
          resolve,
          'eval',
        ),
        agg: null,
        scan: null,
        rel: env.rel,
      };
    case 'RelationalLet':
    case 'RelationalLetTable': {
      if (i === 0) return env;
      const rel = add(env.rel, node, [{ name: node.name, source: { of: 'type', child: 0 } }], resolve, 'rel');
      return node.kind === 'RelationalLetTable' ? { ...tableChild(env), rel } : { ...env, rel };
    }
    case 'TableCount':
    case 'TableCollect':
    case 'TableGetGlobals':
    case 'TableWrite':
      return tableChild(env);
    case 'TableAggregate':
      if (i === 0) return tableChild(env);
      return {
        eval: add(env.eval, node, GLOBAL_ONLY, resolve, 'eval'),
        agg: add(env.eval, node, ROW_AND_GLOBAL, resolve, 'agg'),
        scan: null,
        rel: env.rel,
        aggRel: env.rel,
        aggOwner: node,
      };
    // Table nodes: `env` is the enclosing environment the table was reached with.
    case 'TableFilter':
      return i === 0 ? tableChild(env) : { ...tableChild(env), eval: add(env.eval, node, ROW_AND_GLOBAL, resolve, 'eval') };
    case 'TableMapRows':
      if (i === 0) return tableChild(env);
      return {
        eval: add(env.eval, node, ROW_AND_GLOBAL, resolve, 'eval'),
        agg: null,
        scan: add(env.eval, node, ROW_AND_GLOBAL, resolve, 'scan'),
        rel: env.rel,
        scanRel: env.rel,
        scanOwner: node,
      };
    case 'TableMapGlobals':
      return i === 0 ? tableChild(env) : { ...tableChild(env), eval: add(env.eval, node, GLOBAL_ONLY, resolve, 'eval') };
    case 'TableAggregateByKey':
      if (i === 0) return tableChild(env);
      return {
        eval: add(env.eval, node, GLOBAL_ONLY, resolve, 'eval'),
        agg: add(env.eval, node, ROW_AND_GLOBAL, resolve, 'agg'),
        scan: null,
        rel: env.rel,
        aggRel: env.rel,
        aggOwner: node,
      };
    case 'TableKeyByAndAggregate':
      if (i === 0) return tableChild(env);
      if (i === 2) return { ...tableChild(env), eval: add(env.eval, node, ROW_AND_GLOBAL, resolve, 'eval') };
      return {
        eval: add(env.eval, node, GLOBAL_ONLY, resolve, 'eval'),
        agg: add(env.eval, node, ROW_AND_GLOBAL, resolve, 'agg'),
        scan: null,
        rel: env.rel,
        aggRel: env.rel,
        aggOwner: node,
      };
    default:
      return env;
  }
}
