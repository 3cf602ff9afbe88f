// A pass over the SQL tree: DuckDB computes a correlated subquery for every outer row, also
// where a CASE does not take the branch it sits in (decorrelation turns it into a join over
// all rows), so an error there would be raised where the program never reaches it
// (semantics.md §1); an uncorrelated one it runs up front. Each such subquery in a CASE branch
// (but a read of a hoisted value's CTE) gets the conditions that lead to the branch in its
// WHERE: on rows that do not take it, it computes nothing.
//
//   CASE WHEN t.k = 0 THEN (SELECT f(p) FROM (SELECT t.a AS p) AS s) END
//   CASE WHEN t.k = 0 THEN (SELECT f(p) FROM (SELECT t.a AS p WHERE t.k = 0) AS s) END
//
// The conditions also go to the SELECTs the subquery's FROM starts from. Only conditions that
// cannot raise are copied (columns, constants, comparisons, AND/OR/NOT, IS NULL): a copy runs
// on rows the original never reached. A guard is only ever false where the branch is not
// taken, so no value changes. Runs after the lambda pass, whose subqueries it guards too.

import { boundNames, mapChildren, mapFrom, mapQuery, mapSelect, readsOuter, type Expr, type From, type Query, type Select } from './sql.js';

export function guardBranches(q: Query): Query {
  return query(q);
}

function query(q: Query): Query {
  return mapQuery(q, select);
}

function select(s: Select): Select {
  const e = (x: Expr): Expr => expr(x, []);
  return mapSelect(s, e, (f) => mapFrom(f, e, query));
}

/** Rewrites `x`; `guards` are the conditions (safe to copy) under which `x` is reached. */
function expr(x: Expr, guards: readonly Expr[]): Expr {
  switch (x.kind) {
    case 'case': {
      const whens = x.whens.map((w) => ({ when: expr(w.when, guards), then: expr(w.then, safe(w.when) ? [...guards, w.when] : guards) }));
      // The ELSE branch: no condition held (written out only for a few, to stay linear).
      const none = x.whens.length <= 4 && x.whens.every((w) => safe(w.when)) ? x.whens.map((w): Expr => ({ kind: 'unary', op: 'NOT', operand: { kind: 'call', name: 'coalesce', args: [w.when, { kind: 'boolean', value: false }] } })) : [];
      return { ...x, whens, ...(x.else ? { else: expr(x.else, [...guards, ...none]) } : {}) };
    }
    case 'subquery': {
      const inner = query(x.query);
      // An uncorrelated one too (DuckDB runs it up front), unless it reads a one-row CTE: a
      // hoisted value is evaluated whether or not its place is reached (semantics.md §7).
      if (guards.length === 0 || x.always || (!readsOuter(x, '') && readsCte(x.query))) return { ...x, query: inner };
      // (Not a guard that names something the subquery binds: it would read that instead.)
      const bound = boundNames(inner);
      const usable = guards.filter((g) => !mentions(g, bound));
      return { ...x, query: usable.length > 0 ? guarded(inner, usable) : inner };
    }
    case 'exists':
      return { ...x, query: query(x.query) };
    case 'lambda':
      // A lambda holds no subquery; its parameters are not columns a guard could read.
      return x;
    default:
      return mapChildren(x, (c) => expr(c, guards));
  }
}

/**
 * `q` with `guards` in its WHERE and in that of every SELECT its FROM starts from (a derived
 * table's columns, an aggregate's arguments, are computed before any WHERE above them). Not
 * into the sides of an outer join: DuckDB cannot flatten a correlated one.
 */
function guarded(q: Query, guards: readonly Expr[]): Query {
  // A union's parts each; a WITH's tables too (a recursive CTE's first rows above all).
  if (q.kind === 'unionAll') return { ...q, queries: q.queries.map((x) => guarded(x, guards)) };
  if (q.kind === 'with') return { ...q, ctes: q.ctes.map((c) => ({ ...c, query: guarded(c.query, guards) })), body: guarded(q.body, guards) };
  const where = [...(q.where ? [q.where] : []), ...guards].reduce((a, b): Expr => ({ kind: 'binary', op: 'AND', left: a, right: b }));
  return { ...q, where, ...(q.from ? { from: guardedFrom(q.from, guards) } : {}) };
}

function guardedFrom(f: From, guards: readonly Expr[]): From {
  switch (f.kind) {
    case 'subqueryFrom':
      return { ...f, query: guarded(f.query, guards) };
    case 'join':
      return f.type === 'INNER' || f.type === 'CROSS' ? { ...f, left: guardedFrom(f.left, guards), right: guardedFrom(f.right, guards) } : f;
    default:
      return f;
  }
}

/** Whether `q` reads a CTE directly (`SELECT v FROM cte`). */
function readsCte(q: Query): boolean {
  return q.kind === 'select' && q.from?.kind === 'tableRef' && q.where === undefined;
}

const SAFE_CALLS: ReadonlySet<string> = new Set(['list_extract', 'struct_extract', 'coalesce', 'len', 'isnan', 'signbit']);

/** Whether a condition can be evaluated anywhere without raising. */
function safe(e: Expr): boolean {
  switch (e.kind) {
    case 'column':
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return true;
    case 'cast':
      return e.operand.kind === 'number' || e.operand.kind === 'string' || e.operand.kind === 'boolean' || e.operand.kind === 'null';
    case 'unary':
      return e.op === 'NOT' && safe(e.operand);
    case 'binary':
      return ['=', '<>', '<', '<=', '>', '>=', 'AND', 'OR'].includes(e.op) && safe(e.left) && safe(e.right);
    case 'isNull':
      return safe(e.operand);
    case 'isDistinct':
      return safe(e.left) && safe(e.right);
    case 'call':
      // Functions that return NULL rather than raise (an index out of range, a missing field).
      return SAFE_CALLS.has(e.name) && e.filter === undefined && e.orderBy === undefined && e.args.every(safe);
    default:
      return false;
  }
}

/** Whether `e` reads a column named (or of a table named) in `names`. */
function mentions(e: Expr, names: ReadonlySet<string>): boolean {
  if (e.kind === 'column') return names.has(e.table ?? e.name);
  let found = false;
  mapChildren(e, (c) => {
    found ||= mentions(c, names);
    return c;
  });
  return found;
}
