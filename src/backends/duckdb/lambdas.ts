// A pass over the SQL tree: DuckDB lambdas cannot read columns of an enclosing query (a lambda
// in a correlated subquery that reads an outer row fails to bind). Each lambda call that reads
// such a column is moved into a subquery of its own, whose one-row FROM computes the call's
// other arguments and every column its lambdas read:
//
//   list_transform(l, lambda x: x + t1.a)     -- t1 belongs to an outer query
//   (SELECT list_transform(e.a0, lambda x: x + e.r0) FROM (SELECT l AS a0, t1.a AS r0) AS e)
//
// The derived table may read outer columns (DuckDB correlates it); the lambda now reads only e.
// Recursion follows the SQL tree, whose expression depth the caller bounds.

import { forChildren, mapChildren, mapFrom, mapQuery, mapSelect, type Expr, type From, type Query, type Select } from './sql.js';

interface Level {
  /** FROM aliases of this query. */
  readonly aliases: ReadonlySet<string>;
  /** Unqualified column names this query's FROM items provide; null when some are unknown (CTEs). */
  readonly names: ReadonlySet<string> | null;
}

let counter = 0;
/** Column names of the CTEs seen so far (their names are unique in a program). */
let cteColumns = new Map<string, readonly string[]>();

export function fixLambdas(q: Query): Query {
  cteColumns = new Map();
  collectCtes(q);
  return query(q);
}

/** Every CTE's column names, from its column list or its SELECT's aliases. */
function collectCtes(root: Query): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    const w = x as Query;
    if (w.kind === 'with') {
      for (const c of w.ctes) {
        const names = c.columns ?? outputNames(c.query);
        if (names !== undefined) cteColumns.set(c.name, names);
      }
    }
    for (const v of Object.values(x)) if (v !== null && typeof v === 'object') stack.push(v);
  }
}

function outputNames(q: Query): readonly string[] | undefined {
  if (q.kind === 'select') return q.columns.every((c) => c.alias !== undefined) ? q.columns.map((c) => c.alias!) : undefined;
  if (q.kind === 'unionAll') return outputNames(q.queries[0]!);
  return outputNames(q.body);
}

function query(q: Query): Query {
  return mapQuery(q, select);
}

function select(s: Select): Select {
  const from = s.from === undefined ? undefined : fromItem(s.from);
  const level = levelOf(from);
  return mapSelect(s, (x) => expr(x, level, new Set()), () => from!);
}

function fromItem(f: From): From {
  // Table function arguments and ON conditions see the outer query and other FROM items, not
  // lambda-safe columns: a lambda there gets no local level.
  return mapFrom(f, (a) => expr(a, { aliases: new Set(), names: new Set() }, new Set()), query);
}

function levelOf(f: From | undefined): Level {
  const aliases = new Set<string>();
  let names: Set<string> | null = new Set<string>();
  const visit = (x: From): void => {
    switch (x.kind) {
      case 'tableRef': {
        aliases.add(x.alias ? x.alias.name : x.name);
        const cs = x.alias?.columns ?? cteColumns.get(x.name);
        if (cs === undefined) names = null;
        else cs.forEach((c) => names?.add(c));
        return;
      }
      case 'tableFunction':
        if (x.alias) aliases.add(x.alias.name);
        if (x.alias?.columns) x.alias.columns.forEach((c) => names?.add(c));
        else names = null;
        return;
      case 'subqueryFrom':
        if (x.alias) aliases.add(x.alias.name);
        if (x.query.kind === 'select' && x.query.columns.every((c) => c.alias !== undefined)) x.query.columns.forEach((c) => names?.add(c.alias!));
        else names = null;
        return;
      case 'join':
        visit(x.left);
        visit(x.right);
        return;
    }
  };
  if (f !== undefined) visit(f);
  return { aliases, names };
}

/** Rewrites expression `x` of a query at `level`; `params` are lambda parameters in scope. */
function expr(x: Expr, level: Level, params: ReadonlySet<string>): Expr {
  switch (x.kind) {
    case 'subquery':
      return { ...x, query: query(x.query) };
    case 'exists':
      return { ...x, query: query(x.query) };
    case 'call': {
      // DuckDB also fails when a lambda reads a column of this query and another argument
      // reads an outer one.
      const lambdas = x.args.filter((a) => a.kind === 'lambda');
      if (params.size === 0 && lambdas.some((l) => readsOutside(l, level) || (readsAny(l) && readsOutside(x, level)))) return isolate(x);
      return {
        ...x,
        args: x.args.map((a) => expr(a, level, params)),
        ...(x.orderBy ? { orderBy: x.orderBy.map((o) => ({ ...o, expr: expr(o.expr, level, params) })) } : {}),
        ...(x.filter ? { filter: expr(x.filter, level, params) } : {}),
      };
    }
    case 'lambda': {
      const inner = new Set(params);
      x.params.forEach((p) => inner.add(p));
      return { ...x, body: expr(x.body, level, inner) };
    }
    default:
      return mapChildren(x, (c) => expr(c, level, params));
  }
}

/** Whether a lambda reads a column that is not its parameter and not of this query's FROM. */
function readsOutside(l: Expr, level: Level): boolean {
  let found = false;
  columnsIn(l, new Set(), (c) => {
    if (c.table !== undefined ? !level.aliases.has(c.table) : level.names !== null && !level.names.has(c.name)) found = true;
  });
  return found;
}

/** Whether `x` reads a column that is not a lambda parameter. */
function readsAny(x: Expr): boolean {
  let found = false;
  columnsIn(x, new Set(), () => (found = true));
  return found;
}

/** Visits the column references of `x` that are not lambda parameters. */
function columnsIn(x: Expr, params: ReadonlySet<string>, f: (c: Extract<Expr, { kind: 'column' }>) => void): void {
  if (x.kind === 'column') {
    if (x.table !== undefined || !params.has(x.name)) f(x);
    return;
  }
  if (x.kind === 'lambda') {
    const inner = new Set(params);
    x.params.forEach((p) => inner.add(p));
    columnsIn(x.body, inner, f);
    return;
  }
  if (x.kind === 'subquery' || x.kind === 'exists') return;
  forChildren(x, (c) => columnsIn(c, params, f));
}

/** `call(args)` as a subquery over a one-row table of its arguments and the columns its lambdas read. */
function isolate(call: Extract<Expr, { kind: 'call' }>): Expr {
  const env = `_env${++counter}`;
  const items: { expr: Expr; alias: string }[] = [];
  const keyOf = (c: Extract<Expr, { kind: 'column' }>) => `${c.table ?? ''}\u0000${c.name}`;
  const moved = new Map<string, Expr>();
  const args = call.args.map((a, i) => {
    if (a.kind !== 'lambda') {
      const alias = `a${i}`;
      items.push({ expr: a, alias });
      return { kind: 'column', table: env, name: alias } as Expr;
    }
    return replaceColumns(a, new Set(), (c) => {
      const k = keyOf(c);
      let r = moved.get(k);
      if (r === undefined) {
        const alias = `r${moved.size}`;
        items.push({ expr: c, alias });
        r = { kind: 'column', table: env, name: alias };
        moved.set(k, r);
      }
      return r;
    });
  });
  const inner: Select = {
    kind: 'select',
    columns: [{ expr: { ...call, args } }],
    from: { kind: 'subqueryFrom', query: { kind: 'select', columns: items.length > 0 ? items : [{ expr: { kind: 'boolean', value: true }, alias: 'unit' }] }, alias: { name: env } },
  };
  // The moved arguments may hold lambdas of their own: the same rewrite applies there.
  return { kind: 'subquery', query: select(inner) };
}

function replaceColumns(x: Expr, params: ReadonlySet<string>, f: (c: Extract<Expr, { kind: 'column' }>) => Expr): Expr {
  if (x.kind === 'column') return x.table !== undefined || !params.has(x.name) ? f(x) : x;
  if (x.kind === 'lambda') {
    const inner = new Set(params);
    x.params.forEach((p) => inner.add(p));
    return { ...x, body: replaceColumns(x.body, inner, f) };
  }
  if (x.kind === 'subquery' || x.kind === 'exists') return x;
  return mapChildren(x, (c) => replaceColumns(c, params, f));
}
