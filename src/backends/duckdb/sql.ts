// A small SQL syntax tree for DuckDB: what the emitter builds and print.ts prints.
//
// Nodes are plain readonly objects with a string `kind`. Identifiers and strings are kept as
// their text; only print.ts (through quote.ts) turns them into SQL. Function and table-function
// names are compiler-chosen words (`list`, `range`), checked to be bare words when printed.
//
// Literals carry their exact type, so a value reaches DuckDB as itself (semantics.md §9): every
// number is printed inside CAST(... AS T), never as a bare DECIMAL or an overflowing `-n::T`.

import { InternalError } from '../../diagnostics/diagnostic.js';
import type { Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';

// ---- types ------------------------------------------------------------------------------------

export type ScalarTypeName = 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'HUGEINT' | 'FLOAT' | 'DOUBLE' | 'VARCHAR';

export type SqlType =
  | { readonly kind: 'scalarType'; readonly name: ScalarTypeName }
  | { readonly kind: 'listType'; readonly element: SqlType }
  | { readonly kind: 'structType'; readonly fields: readonly { readonly name: string; readonly type: SqlType }[] }
  | { readonly kind: 'mapType'; readonly key: SqlType; readonly value: SqlType };

// ---- expressions ------------------------------------------------------------------------------

export type BinaryOp = 'OR' | 'AND' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '||' | '&' | '|' | '<<' | '>>' | '+' | '-' | '*' | '/' | '//' | '%' | '^';
export type UnaryOp = 'NOT' | '-' | '+';

export interface OrderItem {
  readonly expr: Expr;
  readonly desc?: boolean;
  readonly nulls?: 'FIRST' | 'LAST';
}

/** `name(args)`, optionally `name(DISTINCT args ORDER BY ...) FILTER (WHERE ...)`. */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly distinct?: boolean;
  readonly orderBy?: readonly OrderItem[];
  readonly filter?: Expr;
}

export type FrameBound =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'preceding'; readonly offset: number }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'following'; readonly offset: number }
  | { readonly kind: 'unboundedFollowing' };

export interface Frame {
  readonly unit: 'ROWS' | 'RANGE';
  readonly start: FrameBound;
  readonly end: FrameBound;
}

export type Expr =
  | { readonly kind: 'column'; readonly table?: string; readonly name: string }
  | { readonly kind: 'star'; readonly table?: string }
  | { readonly kind: 'null'; readonly type: SqlType }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** Int32 -> INTEGER, Int64 -> BIGINT (a bigint), Float32 -> FLOAT, Float64 -> DOUBLE. */
  | { readonly kind: 'number'; readonly type: 'INTEGER' | 'BIGINT' | 'FLOAT' | 'DOUBLE'; readonly value: number | bigint }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string; readonly value: Expr }[] }
  | { readonly kind: 'map'; readonly entries: readonly { readonly key: Expr; readonly value: Expr }[] }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | CallExpr
  | {
      readonly kind: 'window';
      readonly call: CallExpr;
      readonly partitionBy: readonly Expr[];
      readonly orderBy: readonly OrderItem[];
      readonly frame?: Frame;
    }
  | { readonly kind: 'case'; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly else?: Expr }
  | { readonly kind: 'cast'; readonly operand: Expr; readonly type: SqlType }
  | { readonly kind: 'isNull'; readonly operand: Expr; readonly not: boolean }
  | { readonly kind: 'isDistinct'; readonly left: Expr; readonly right: Expr; readonly not: boolean }
  /** With no items this prints as FALSE (TRUE when `not`): `x IN ()` does not parse in DuckDB. */
  | { readonly kind: 'in'; readonly operand: Expr; readonly items: readonly Expr[]; readonly not: boolean }
  /** `always`: per-row work of an aggregation, computed whatever branch it sits in (guards.ts). */
  | { readonly kind: 'subquery'; readonly query: Query; readonly always?: boolean }
  | { readonly kind: 'exists'; readonly query: Query; readonly not: boolean }
  | { readonly kind: 'lambda'; readonly params: readonly string[]; readonly body: Expr };

// ---- queries ----------------------------------------------------------------------------------

export interface Alias {
  readonly name: string;
  readonly columns?: readonly string[];
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

export type From =
  | { readonly kind: 'tableRef'; readonly name: string; readonly alias?: Alias }
  | {
      readonly kind: 'tableFunction';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly alias?: Alias;
      readonly lateral?: boolean;
      /** `WITH ORDINALITY`: a last column numbering the rows from 1. */
      readonly ordinality?: boolean;
    }
  | { readonly kind: 'subqueryFrom'; readonly query: Query; readonly alias?: Alias; readonly lateral?: boolean }
  | {
      readonly kind: 'join';
      readonly type: JoinType;
      readonly left: From;
      readonly right: From;
      /** ON and USING are exclusive; CROSS takes neither, the others one of them. */
      readonly on?: Expr;
      readonly using?: readonly string[];
    };

export interface SelectItem {
  readonly expr: Expr;
  readonly alias?: string;
}

export interface Select {
  readonly kind: 'select';
  readonly distinct?: boolean;
  readonly columns: readonly SelectItem[];
  readonly from?: From;
  readonly where?: Expr;
  readonly groupBy?: readonly Expr[];
  /** `GROUP BY ()`: one group even over no rows. */
  readonly grandTotal?: boolean;
  /**
   * `GROUP BY ALL`: by the columns that aggregate nothing (for a key holding a subquery, which
   * the lambda pass may rewrite differently in the SELECT list and in `groupBy`). A key DuckDB
   * finds constant leaves no grouping, one row over no rows: a HAVING keeps groups with rows.
   */
  readonly groupByAll?: boolean;
  readonly having?: Expr;
  readonly qualify?: Expr;
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: Expr;
  readonly offset?: Expr;
}

export interface Cte {
  readonly name: string;
  readonly columns?: readonly string[];
  readonly query: Query;
  /** true: computed in full before the query reads it, whether or not any row of it is read; false: never materialized (not even by DuckDB's own choice). */
  readonly materialized?: boolean;
}

export type Query =
  | Select
  | { readonly kind: 'unionAll'; readonly queries: readonly Query[] }
  | { readonly kind: 'with'; readonly recursive: boolean; readonly ctes: readonly Cte[]; readonly body: Query };

/** Every node the printer walks. */
export type SqlNode = Expr | Query | From | SqlType;

// ---- constructors -----------------------------------------------------------------------------

export const scalarType = (name: ScalarTypeName): SqlType => ({ kind: 'scalarType', name });
export const col = (name: string, table?: string): Expr => (table === undefined ? { kind: 'column', name } : { kind: 'column', table, name });
export const bool = (value: boolean): Expr => ({ kind: 'boolean', value });
export const str = (value: string): Expr => ({ kind: 'string', value });
export const int = (value: number): Expr => ({ kind: 'number', type: 'INTEGER', value });
export const bigint = (value: bigint): Expr => ({ kind: 'number', type: 'BIGINT', value });
export const double = (value: number): Expr => ({ kind: 'number', type: 'DOUBLE', value });
export const unary = (op: UnaryOp, operand: Expr): Expr => ({ kind: 'unary', op, operand });
export const binary = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
export const call = (name: string, args: readonly Expr[], more: Omit<CallExpr, 'kind' | 'name' | 'args'> = {}): CallExpr => ({
  kind: 'call',
  name,
  args,
  ...more,
});
export const cast = (operand: Expr, type: SqlType): Expr => ({ kind: 'cast', operand, type });
export const select = (columns: readonly SelectItem[], clauses: Omit<Select, 'kind' | 'columns'> = {}): Select => ({
  kind: 'select',
  columns,
  ...clauses,
});

// ---- IR types and values ----------------------------------------------------------------------

/**
 * The DuckDB type of an IR type. Tuples are structs with fields named "0", "1", ... (as
 * write.ts stores them); sets and streams are lists. Void has no DuckDB type.
 * Recursion follows the type's depth, which the parser and JSON reader bound.
 */
export function sqlType(t: Type): SqlType {
  switch (t.kind) {
    case 'Boolean':
      return scalarType('BOOLEAN');
    case 'Int32':
      return scalarType('INTEGER');
    case 'Int64':
      return scalarType('BIGINT');
    case 'Float32':
      return scalarType('FLOAT');
    case 'Float64':
      return scalarType('DOUBLE');
    case 'String':
      return scalarType('VARCHAR');
    case 'Array':
    case 'Set':
    case 'Stream':
      return { kind: 'listType', element: sqlType(t.element) };
    case 'Dict':
      return { kind: 'mapType', key: sqlType(t.key), value: sqlType(t.value) };
    case 'Struct':
      return { kind: 'structType', fields: t.fields.map((f) => ({ name: f.name, type: sqlType(f.type) })) };
    case 'Tuple':
      return { kind: 'structType', fields: t.fields.map((f) => ({ name: String(f.index), type: sqlType(f.type) })) };
    case 'Void':
      throw new InternalError('the type Void has no DuckDB type');
  }
}

/**
 * A value of type `t` as a typed SQL expression. Containers are cast to their exact type so an
 * empty list, a list of NULLs or an empty map keep it. Recursion follows the value's depth.
 */
export function literal(t: Type, v: Value): Expr {
  if (v === null) return { kind: 'null', type: sqlType(t) };
  switch (t.kind) {
    case 'Boolean':
      return bool(v as boolean);
    case 'Int32':
      return { kind: 'number', type: 'INTEGER', value: v as number };
    case 'Int64':
      return { kind: 'number', type: 'BIGINT', value: v as bigint };
    case 'Float32':
      return { kind: 'number', type: 'FLOAT', value: v as number };
    case 'Float64':
      return { kind: 'number', type: 'DOUBLE', value: v as number };
    case 'String':
      return str(v as string);
    case 'Array':
    case 'Set':
    case 'Stream':
      return cast({ kind: 'list', items: (v as readonly Value[]).map((x) => literal(t.element, x)) }, sqlType(t));
    case 'Dict':
      return cast(
        {
          kind: 'map',
          entries: (v as readonly (readonly Value[])[]).map((p) => ({ key: literal(t.key, p[0]!), value: literal(t.value, p[1]!) })),
        },
        sqlType(t),
      );
    case 'Struct':
      return cast({ kind: 'struct', fields: t.fields.map((f, i) => ({ name: f.name, value: literal(f.type, (v as readonly Value[])[i]!) })) }, sqlType(t));
    case 'Tuple':
      return cast(
        { kind: 'struct', fields: t.fields.map((f, i) => ({ name: String(f.index), value: literal(f.type, (v as readonly Value[])[i]!) })) },
        sqlType(t),
      );
    case 'Void':
      throw new InternalError('a Void value has no SQL literal');
  }
}


/** Names bound inside `x`: table aliases, lambda parameters, select aliases. */
export function boundNames(x: unknown): Set<string> {
  const inner = new Set<string>();
  const stack: unknown[] = [x];
  while (stack.length > 0) {
    const y = stack.pop();
    if (y === null || typeof y !== 'object') continue;
    const o = y as { kind?: string; params?: readonly string[]; alias?: unknown };
    if (o.kind === 'lambda') for (const p of o.params ?? []) inner.add(p);
    if (typeof o.alias === 'string') inner.add(o.alias);
    else if (o.alias !== null && typeof o.alias === 'object' && typeof (o.alias as { name?: unknown }).name === 'string') inner.add((o.alias as { name: string }).name);
    for (const v of Object.values(y)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return inner;
}

/** Whether every column `e` reads from outside itself is a column of table `alias`. */
export function readsOnly(e: Expr, alias: string): boolean {
  const inner = boundNames(e);
  const stack: unknown[] = [e];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    const c = x as { kind?: string; table?: string; name?: string };
    if (c.kind === 'column' && (c.table === undefined ? !inner.has(c.name!) : c.table !== alias && !inner.has(c.table))) return false;
    for (const v of Object.values(x)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return true;
}

/** The names of the columns of table `alias` that `e` reads. */
export function columnsOf(e: Expr, alias: string): Set<string> {
  const names = new Set<string>();
  const stack: unknown[] = [e];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    const c = x as { kind?: string; table?: string; name?: string };
    if (c.kind === 'column' && c.table === alias) names.add(c.name!);
    for (const v of Object.values(x)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return names;
}

/** Whether `e` reads a column of a table other than `alias` (so: of an enclosing query). */
export function readsOuter(e: Expr, alias: string, skip?: (x: Expr) => boolean): boolean {
  const inner = boundNames(e);
  const columns: { table?: string; name: string }[] = [];
  const stack: unknown[] = [e];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object' || skip?.(x as Expr)) continue;
    const o = x as { kind?: string };
    if (o.kind === 'column') columns.push(o as { table?: string; name: string });
    for (const v of Object.values(x)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return columns.some((c) => (c.table === undefined ? !inner.has(c.name) : c.table !== alias && !inner.has(c.table)));
}

// ---- generic traversal of expression children ---------------------------------------------------


/** `e` with every column of `alias` (every unqualified one for undefined) replaced by `f(name)`, in subqueries too. */
export function substituteColumns(e: Expr, alias: string | undefined, f: (name: string) => Expr): Expr {
  const go = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (Array.isArray(x)) return x.map(go);
    const o = x as { kind?: string; table?: string; name?: string };
    if (o.kind === 'column' && o.table === alias) return f(o.name!);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = go(v);
    return out;
  };
  return go(e) as Expr;
}

export function forChildren(x: Expr, f: (c: Expr) => void): void {
  mapChildren(x, (c) => {
    f(c);
    return c;
  });
}

/** `x` with `f` applied to each direct child expression (subqueries and lambda bodies are left alone by callers that need to). */
export function mapChildren(x: Expr, f: (c: Expr) => Expr): Expr {
  switch (x.kind) {
    case 'column':
    case 'star':
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
    case 'subquery':
    case 'exists':
      return x;
    case 'list':
      return { ...x, items: x.items.map(f) };
    case 'struct':
      return { ...x, fields: x.fields.map((fl) => ({ ...fl, value: f(fl.value) })) };
    case 'map':
      return { ...x, entries: x.entries.map((e) => ({ key: f(e.key), value: f(e.value) })) };
    case 'unary':
      return { ...x, operand: f(x.operand) };
    case 'binary':
      return { ...x, left: f(x.left), right: f(x.right) };
    case 'call':
      return {
        ...x,
        args: x.args.map(f),
        ...(x.orderBy ? { orderBy: x.orderBy.map((o) => ({ ...o, expr: f(o.expr) })) } : {}),
        ...(x.filter ? { filter: f(x.filter) } : {}),
      };
    case 'window':
      return {
        ...x,
        call: f(x.call) as Extract<Expr, { kind: 'call' }>,
        partitionBy: x.partitionBy.map(f),
        orderBy: x.orderBy.map((o) => ({ ...o, expr: f(o.expr) })),
      };
    case 'case':
      return { ...x, whens: x.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), ...(x.else ? { else: f(x.else) } : {}) };
    case 'cast':
      return { ...x, operand: f(x.operand) };
    case 'isNull':
      return { ...x, operand: f(x.operand) };
    case 'isDistinct':
      return { ...x, left: f(x.left), right: f(x.right) };
    case 'in':
      return { ...x, operand: f(x.operand), items: x.items.map(f) };
    case 'lambda':
      return { ...x, body: f(x.body) };
  }
}

/** `s` with `e` applied to each of its expressions and `from` to its FROM. */
export function mapSelect(s: Select, e: (x: Expr) => Expr, from: (f: From) => From): Select {
  return {
    ...s,
    ...(s.from === undefined ? {} : { from: from(s.from) }),
    columns: s.columns.map((c) => ({ ...c, expr: e(c.expr) })),
    ...(s.where ? { where: e(s.where) } : {}),
    ...(s.groupBy ? { groupBy: s.groupBy.map(e) } : {}),
    ...(s.having ? { having: e(s.having) } : {}),
    ...(s.qualify ? { qualify: e(s.qualify) } : {}),
    ...(s.orderBy ? { orderBy: s.orderBy.map((o) => ({ ...o, expr: e(o.expr) })) } : {}),
  };
}

/** `q` with `select` applied to each SELECT it is made of (through UNION ALL and WITH). */
export function mapQuery(q: Query, select: (s: Select) => Select): Query {
  switch (q.kind) {
    case 'select':
      return select(q);
    case 'unionAll':
      return { ...q, queries: q.queries.map((x) => mapQuery(x, select)) };
    case 'with':
      return { ...q, ctes: q.ctes.map((c) => ({ ...c, query: mapQuery(c.query, select) })), body: mapQuery(q.body, select) };
  }
}

/** `f` with `e` applied to its expressions (arguments, ON) and `query` to its subqueries. */
export function mapFrom(f: From, e: (x: Expr) => Expr, query: (q: Query) => Query): From {
  switch (f.kind) {
    case 'tableRef':
      return f;
    case 'tableFunction':
      return { ...f, args: f.args.map(e) };
    case 'subqueryFrom':
      return { ...f, query: query(f.query) };
    case 'join':
      return { ...f, left: mapFrom(f.left, e, query), right: mapFrom(f.right, e, query), ...(f.on ? { on: e(f.on) } : {}) };
  }
}
