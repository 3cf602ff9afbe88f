// The DuckDB emitter: a checked IR program to one SQL query (docs/design/003-duckdb.md).
//
// One recursive walk builds the SQL tree of sql.ts. Value nodes become expressions; table nodes
// become relations (`Rel`): a SELECT with one column per row field, plus hidden columns that
// carry the table's order, and an expression for the globals. Relations that see no enclosing
// value binding become CTEs (a pipeline reads as a chain of `WITH` tables); the others are
// correlated subqueries in place.
//
// Representation of values: types.ts. Rules that differ from DuckDB's defaults (floor division,
// ln, empty sums, guarded math, 0-based indexes, NULL-propagating If) are written out here,
// each next to the node it serves; semantics.md is the contract.

import { Map as IMap } from 'immutable';
import { diagnostic, InternalError, UserError } from '../../diagnostics/diagnostic.js';
import type { IR, Span, TableIR, TableReader, ValueIR } from '../../ir/nodes.js';
import { isTableIR } from '../../ir/nodes.js';
import { fieldIndex, type StructType, type TableType, type Type } from '../../ir/types.js';
import type { AnyType } from '../../passes/typecheck.js';
import { isTableType } from '../../passes/typecheck.js';
import { fold } from '../../ir/walk.js';
import {
  binary,
  bool,
  call,
  cast,
  col,
  columnsOf,
  scalarType,
  str,
  type Cte,
  type Expr,
  type From,
  type OrderItem,
  type Query,
  type Select,
  type SelectItem,
  forChildren,
  substituteColumns,
} from './sql.js';
import { isEmptyRecord, repType, sqlFieldNames, uniqueNames } from './types.js';
import { floatInside, fromSigns, withSigns } from './zero-sign.js';
import { anchoredPredicate, compileValue, condition, filterPredicate, holdsError, plainQuery } from './values.js';
import type { DemandInfo } from '../../passes/demand.js';
import { keepsKey } from '../../passes/keeps-key.js';
import { forEachNode } from '../../ir/walk.js';
import { printSqlType } from './print.js';

// ---- compiled values ----------------------------------------------------------------------------

/** A struct known field by field (a row, a MakeStruct): never missing. */
interface VStruct {
  readonly kind: 'vstruct';
  readonly fields: readonly (readonly [string, Val])[];
}
type Val = Expr | VStruct;
type Vars = IMap<string, Val>;

const vstruct = (fields: readonly (readonly [string, Val])[]): VStruct => ({ kind: 'vstruct', fields });

/** A relation: a query (or CTE) with a column per row field and columns giving its order. */
interface Rel {
  readonly from: { readonly cte: string } | { readonly query: Query };
  /** The SQL column of each row field, in row order. */
  readonly cols: readonly string[];
  /** Order columns that are not row columns. */
  readonly hidden: readonly string[];
  /** The rows' order (total): columns of the relation. */
  readonly order: readonly OrderCol[];
  /** The global struct, an expression valid wherever the relation is. */
  readonly global: Val;
  readonly type: TableType;
}
interface OrderCol {
  readonly col: string;
  readonly desc: boolean;
}

/** An opened relation: its FROM item and per-row bindings under an alias. */
interface Opened {
  readonly from: From;
  readonly row: VStruct;
  readonly order: readonly OrderItem[];
  readonly alias: string;
  readonly rel: Rel;
}

/** Where aggregators run: the current SELECT's rows (with FILTER conditions) and its order. */
interface AggCtx {
  readonly vars: Vars;
  readonly filters: readonly Expr[];
  readonly order: readonly OrderItem[];
  /** Scans: window functions over the preceding rows. */
  readonly window: boolean;
  /** A fresh copy of the same rows, for aggregations over other rows (AggExplode). */
  /**
   * In a scan, the rows up to and including the current one, with `before` the condition that
   * keeps those before it: a scan aggregates the rows before, but evaluates every per-row part
   * on the current row too (semantics.md §5), so it raises as the interpreter's does.
   */
  readonly reopen?: () => Reopened;
  /**
   * Scans that DuckDB cannot run as window functions (their arguments hold a subquery, or the
   * rows are a correlated subquery): aggregate the rows before through `reopen` instead.
   */
  readonly noWindows?: boolean;
  /** A column of the rows, for tying an aggregate to them when their order reads none. */
  readonly anchor?: Expr;
  /** Conditions that keep rows out of the aggregates, unlike `filters` not out of their arguments. */
  readonly excludes?: readonly Expr[];
  /**
   * Where aggregator calls go: each becomes a column of a SELECT of its own (aggregates) or of
   * a projection below (windows), and code reads the column. So a nested query or a lambda that
   * reads an aggregate reads a column, not an aggregate at the wrong query level.
   */
  readonly collect?: (e: Expr) => Expr;
  /**
   * A TableAggregate's rows: a per-row binding (`Let agg`, `AggLet`) becomes a column of a
   * projection over them, computed once per row however often it is read (inlined, a value
   * read by n others would be computed n times, and a chain of them exponentially often).
   */
  readonly rowColumn?: (e: Expr) => Expr;
  /**
   * Scans read by row number: a per-row aggregation subquery that reads nothing but the current
   * row (`rowAlias`) becomes a column of the projection below, computed for every row even where
   * the value reads it in a loop body that runs on no element (the interpreter runs every row's
   * update).
   */
  readonly collectRow?: (e: Expr) => Expr;
  readonly rowAlias?: string;
}

/** A fresh copy of an aggregation's rows (`AggCtx.reopen`). */
export interface Reopened {
  readonly from: From;
  readonly vars: Vars;
  readonly where: readonly Expr[];
  readonly order: readonly OrderItem[];
  readonly before?: Expr;
  /** A column of the rows, to tie a constant to them when `order` has none (`anchored`). */
  readonly anchor?: Expr;
}

interface Scope {
  readonly vars: Vars;
  readonly agg: AggCtx | undefined;
  readonly scan: AggCtx | undefined;
  /** Relational bindings: the expression that reads each (a CTE read, or the value inline). */
  readonly rel: IMap<string, Val>;
  /** No value variable is visible: a relation compiled here can be a CTE. */
  readonly closed: boolean;
}

export interface EmitOptions {
  readonly types: ReadonlyMap<IR, AnyType>;
  /** A source's columns and their DuckDB type names, when known: equal types need no CAST. */
  readonly sourceColumns?: (r: TableReader) => ReadonlyMap<string, string> | undefined;
  /** What the result needs of each node (passes/demand.ts); without it, everything. */
  readonly demand?: DemandInfo;
  /** Closed expressions that raise (passes/fold-constants.ts): emitted as the error itself. */
  readonly raises?: ReadonlyMap<IR, { readonly errorClass: string; readonly message: string; readonly span?: Span | undefined }>;
  /** Closed nested queries (passes/fold-constants.ts): each computed once, in a CTE. */
  readonly raisesWhole?: ReadonlySet<IR>;
  readonly hoisted?: ReadonlySet<IR>;
  /** Whether a table raises by design (pruning.ts): as a join side, computed in full. */
  readonly raisesByDesign?: (t: IR) => boolean;
  /** Whether a value node is never missing (passes/requiredness.ts): its NULL checks are left out. */
  readonly required?: (n: IR) => boolean;
}

/** The SQL of a program: rows and (for tables) the global, each a full query. */
export interface Emitted {
  /** A value program: one row, one column `result`. A table program: its rows, in order. */
  readonly main: Query;
  /** A table program: one row, one column `global`. */
  readonly global?: Query;
  readonly type: AnyType;
}

// Error messages raised by `error()`: `IRC:<class>:<node id>:<message>`; run.ts maps them back.
export const ERROR_PREFIX = 'IRC:';

const TRUE = bool(true);

export function unsupported(node: IR, what: string): never {
  throw new UserError([
    diagnostic(
      'unsupportedSql',
      node.span,
      `the DuckDB backend cannot express ${what}`,
      'run this program with `--backend interpret`',
    ),
  ]);
}

const SUBQUERY_KINDS: ReadonlySet<string> = new Set([
  'TableCount',
  'TableAggregate',
  'TableCollect',
  'TableGetGlobals',
  'TableWrite',
  'StreamAgg',
  'ToDict',
  'AggExplode',
  'AggGroupBy',
  'AggArrayPerElement',
  'CollectDistributedArray',
  'RelationalRef',
]);

export class Emitter {
  private readonly types: ReadonlyMap<IR, AnyType>;
  private readonly sourceColumns: EmitOptions['sourceColumns'];
  private readonly required: (n: IR) => boolean;
  private readonly ctes: Cte[] = [];
  private counter = 0;
  /** Nodes whose SQL may hold a subquery or aggregate (DuckDB lambdas cannot). */
  private readonly hasSub = new Set<IR>();
  /** Node ids for error messages, by node; spans by id. */
  readonly nodeIds = new Map<IR, number>();
  readonly spans: (Span | undefined)[] = [];
  /** Table CTEs already emitted for a node in a closed scope. */
  private readonly relMemo = new Map<IR, Rel>();

  private readonly demand: DemandInfo | undefined;
  private readonly raises: EmitOptions['raises'];
  private readonly hoisted: ReadonlySet<IR>;
  private readonly raisesWhole: ReadonlySet<IR>;
  private readonly raisesByDesign: (t: IR) => boolean;
  /** CTEs of join sides that raise by design: MATERIALIZED. */
  private readonly materialized = new Set<string>();
  /** Whether a recursive CTE was emitted (a fold run step by step). */
  private recursive = false;
  /** Hoisted nodes being compiled into their CTE. */
  private readonly hoisting = new Set<IR>();
  /** One-row CTEs of values evaluated up front (hoisted, relational lets: semantics.md §7). */
  private readonly upFront = new Set<string>();
  /** Every one-row CTE (`oneRowCte`). */
  private readonly oneRow = new Set<string>();

  constructor(options: EmitOptions) {
    this.types = options.types;
    this.demand = options.demand;
    this.raises = options.raises;
    this.hoisted = options.hoisted ?? new Set();
    this.raisesWhole = options.raisesWhole ?? new Set();
    this.raisesByDesign = options.raisesByDesign ?? (() => false);
    this.sourceColumns = options.sourceColumns;
    this.required = options.required ?? (() => false);
  }

  // ---- entry --------------------------------------------------------------------------------

  emit(ir: IR): Emitted {
    forEachNode(ir, (n) => {
      if (n.kind === 'TableRead' && n.reader.name === 'DuckDBTableReader') this.reserved.add(n.reader.table.toLowerCase());
    });
    fold<null, boolean>(ir, null, {
      enter: () => null,
      leave: (node, _c, kids) => {
        const sub = this.needed(node) && (SUBQUERY_KINDS.has(node.kind) || isTableIR(node) || kids.some((k) => k));
        if (sub) this.hasSub.add(node);
        return sub;
      },
    });
    const scope: Scope = { vars: IMap(), agg: undefined, scan: undefined, rel: IMap(), closed: true };
    const type = this.typeOf(ir);
    if (isTableType(type)) {
      const rel = this.table(ir as TableIR, scope);
      const o = this.open(rel);
      // Output names: the row's own, except what DuckDB cannot name (NUL, empty).
      const names = type.row.fields.map((f) => (f.name === '' ? '_' : f.name.replace(/\u0000/g, '\u2400')));
      // Output columns carry their exact type (DESCRIBE must give the IR's types).
      const columns = type.row.fields.map((f, i) => ({ expr: cast(this.toExpr(this.field(o.row, f.name), f.type), repType(f.type)), alias: names[i]! }));
      const rows = this.with({
        kind: 'select',
        columns: columns.length > 0 ? columns : [{ expr: TRUE, alias: '__unit' }],
        from: o.from,
        orderBy: o.order,
      });
      const global = this.with({ kind: 'select', columns: [{ expr: cast(this.toExpr(rel.global, type.global), repType(type.global)), alias: 'global' }] });
      return { main: rows, global, type };
    }
    const v = this.toExpr(this.value(ir as ValueIR, scope), type);
    // An aggregation is the program's query itself rather than a subquery of it.
    const q = plainQuery(v);
    const result = (e: Expr) => [{ expr: cast(e, repType(type)), alias: 'result' }];
    return { main: this.with(q ? { ...q, columns: result(q.columns[0]!.expr) } : { kind: 'select', columns: result(v) }), type };
  }

  /** `body` with the CTEs it reads, directly or through other CTEs (a table program's rows
   * and global statements each read only part of them). */
  private with(body: Select): Query {
    const needed = tablesRead(body);
    const ctes: Cte[] = [];
    // CTEs come after the ones they read, so one pass from the end finds them all.
    for (let i = this.ctes.length - 1; i >= 0; i--) {
      const c0 = this.ctes[i]!;
      if (!needed.has(c0.name)) continue;
      // DuckDB 1.5 races a recursive CTE against a materialized one it reads (now and then
      // the step sees it empty), ours or one DuckDB chose to materialize: with a recursive
      // CTE, nothing is.
      const c = this.recursive ? { ...c0, materialized: false } : this.materialized.has(c0.name) ? { ...c0, materialized: true } : c0;
      ctes.push(c);
      for (const name of tablesRead(c.query)) needed.add(name);
    }
    return ctes.length === 0 ? body : { kind: 'with', recursive: false, ctes: ctes.reverse(), body };
  }

  // ---- helpers ------------------------------------------------------------------------------

  private fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}${++this.counter}`;
    while (this.reserved.has(name.toLowerCase()));
    return name;
  }

  /** DuckDB tables the program reads: a CTE of that name would hide the table. */
  private readonly reserved = new Set<string>();

  private typeOf(n: IR): AnyType {
    const t = this.types.get(n);
    if (t === undefined) throw new InternalError(`no type for ${n.kind}`);
    return t;
  }
  private vtype(n: IR): Type {
    const t = this.typeOf(n);
    if (isTableType(t)) throw new InternalError(`${n.kind} is a table`);
    return t;
  }
  private ttype(n: IR): TableType {
    const t = this.typeOf(n);
    if (!isTableType(t)) throw new InternalError(`${n.kind} is not a table`);
    return t;
  }

  private nodeId(n: IR): number {
    let id = this.nodeIds.get(n);
    if (id === undefined) {
      id = this.spans.length;
      this.nodeIds.set(n, id);
      this.spans.push(n.span);
    }
    return id;
  }

  /** `error('IRC:<class>:<id>:' || message)`, typed as `t`. */
  private raise(n: IR, errorClass: string, message: Expr | string, t?: Type): Expr {
    const prefix = str(`${ERROR_PREFIX}${errorClass}:${this.nodeId(n)}:`);
    const msg = typeof message === 'string' ? str(`${ERROR_PREFIX}${errorClass}:${this.nodeId(n)}:${message}`) : binary('||', prefix, message);
    const e = call('error', [msg]);
    return t === undefined ? e : cast(e, repType(t));
  }

  /** An Expr for a Val of type `t`. */
  toExpr(v: Val, t: Type): Expr {
    if (v.kind !== 'vstruct') return v;
    if (isEmptyRecord(t)) return TRUE;
    if (t.kind !== 'Struct' && t.kind !== 'Tuple') throw new InternalError(`a struct value of type ${t.kind}`);
    const names = sqlFieldNames(t);
    const fts = t.fields.map((f) => f.type);
    const byName = new Map(v.fields);
    const keys = t.kind === 'Struct' ? t.fields.map((f) => f.name) : t.fields.map((f) => String(f.index));
    return {
      kind: 'struct',
      fields: keys.map((k, i) => {
        const fv = byName.get(k);
        if (fv === undefined) throw new InternalError(`struct value lacks field ${k}`);
        return { name: names[i]!, value: this.toExpr(fv, fts[i]!) };
      }),
    };
  }

  /** Field `name` of a struct value of type `t` (missing when the struct is). */
  private getField(v: Val, t: Type, name: string): Val {
    if (v.kind === 'vstruct') return this.field(v, name);
    if (t.kind !== 'Struct' && t.kind !== 'Tuple') throw new InternalError(`field of ${t.kind}`);
    const i = t.kind === 'Struct' ? fieldIndex(t, name) : t.fields.findIndex((f) => String(f.index) === name);
    return call('struct_extract', [v, str(sqlFieldNames(t)[i]!)]);
  }

  private field(v: VStruct, name: string): Val {
    const f = v.fields.find((x) => x[0] === name);
    if (f === undefined) throw new InternalError(`no field ${name}`);
    return f[1];
  }

  /** A struct value as a VStruct of its fields (field exprs extract from it when it is an Expr). */
  private spread(v: Val, t: Type): VStruct {
    if (v.kind === 'vstruct') return v;
    if (t.kind !== 'Struct') throw new InternalError(`spread of ${t.kind}`);
    return vstruct(t.fields.map((f) => [f.name, this.getField(v, t, f.name)] as const));
  }

  /** Whether an expression is cheap and safe to repeat. */
  private simple(e: Expr): boolean {
    switch (e.kind) {
      case 'column':
      case 'number':
      case 'string':
      case 'boolean':
      case 'null':
        return true;
      case 'cast':
        return this.simple(e.operand);
      default:
        return false;
    }
  }

  /**
   * `body(x)` where `x` stands for `e` evaluated once. Repeating `e` would make nested rules
   * exponential in text; a one-element lambda binds it instead (a subquery when the body holds
   * a subquery, which lambdas cannot).
   */
  private share(e: Expr, body: (x: Expr) => Expr): Expr {
    if (this.simple(e)) return body(e);
    const p = this.fresh('_v');
    const b = body(col(p));
    // A small expression read a few times is repeated: a list and a lambda per row cost more
    // than computing exp(x) twice, and the text stays bounded (a few copies of a few nodes).
    // (Not one that raises: the lambda computes `e` even where no branch reads it.)
    // (Only where every read is in reach: a subquery's reads are not counted or replaced here.)
    if (!holdsError(e) && !containsSubquery(e) && !containsSubquery(b)) {
      let reads = 0;
      const put = (by: () => Expr) => substituteColumns(b, undefined, (name) => (name === p ? by() : col(name)));
      put(() => (reads++, col(p)));
      if (reads <= 1 || (reads <= 4 && exprSize(e, 6) <= 5)) return put(() => e);
    }
    if (containsSubquery(b)) {
      // DuckDB lambdas cannot hold subqueries: bind through a one-row derived table instead.
      return { kind: 'subquery', query: { kind: 'select', columns: [{ expr: b }], from: { kind: 'subqueryFrom', query: { kind: 'select', columns: [{ expr: e, alias: p }] }, alias: { name: this.fresh('s') } } } };
    }
    return call('list_extract', [call('list_transform', [{ kind: 'list', items: [e] }, { kind: 'lambda', params: [p], body: b }]), int1]);
  }

  private shareAll(es: readonly Expr[], body: (xs: Expr[]) => Expr): Expr {
    const go = (i: number, acc: Expr[]): Expr => (i === es.length ? body(acc) : this.share(es[i]!, (x) => go(i + 1, [...acc, x])));
    return go(0, []);
  }

  // ---- relations ----------------------------------------------------------------------------

  /** A column of an opened relation (a relation of no column has one, `__unit`). */
  private anchorOf(o: Opened): Expr {
    return col(o.rel.cols[0] ?? o.rel.hidden[0] ?? '__unit', o.alias);
  }

  /** Opens a relation under a fresh alias. */
  private open(rel: Rel): Opened {
    const alias = this.fresh('t');
    const from: From =
      'cte' in rel.from ? { kind: 'tableRef', name: rel.from.cte, alias: { name: alias } } : { kind: 'subqueryFrom', query: rel.from.query, alias: { name: alias } };
    const row = vstruct(rel.type.row.fields.map((f, i) => [f.name, col(rel.cols[i]!, alias)] as const));
    const order = rel.order.map((o) => orderItem(col(o.col, alias), o.desc));
    return { from, row, order, alias, rel };
  }

  /** Makes a relation of a SELECT: a CTE when the scope is closed, else an inline subquery. */
  private rel(scope: Scope, q0: Select, cols: readonly string[], hidden: readonly string[], order: readonly OrderCol[], global: Val, type: TableType): Rel {
    // A table with no row fields and no order columns still needs a column.
    const q: Select = q0.columns.length > 0 ? q0 : { ...q0, columns: [{ expr: TRUE, alias: '__unit' }] };
    if (scope.closed) {
      const name = this.fresh('t');
      this.ctes.push({ name, query: q });
      return { from: { cte: name }, cols, hidden, order, global, type };
    }
    return { from: { query: q }, cols, hidden, order, global, type };
  }

  /** A value computed once in a one-row CTE, read through a scalar subquery. */
  private cteValue(e: Expr, t: Type): Expr {
    return this.oneRowCte('v', 'v', e, t);
  }

  /** A value evaluated up front, whether or not its place is reached: its CTE is noted as such. */
  private upFrontValue(prefix: string, e: Expr, t: Type): Expr {
    return this.oneRowCte(prefix, 'v', e, t, true);
  }

  /**
   * `e` (of type `t`) as a one-row CTE, read where it stands through a scalar subquery. A float
   * inside a container travels with its sign beside it (zero-sign.ts).
   */
  private oneRowCte(prefix: string, column: string, e: Expr, t: Type, upFront = false): Expr {
    const name = this.fresh(prefix);
    this.oneRow.add(name);
    if (upFront) this.upFront.add(name);
    const signs = floatInside(t) ? { fresh: (p: string) => this.fresh(p), share: (x: Expr, body: (y: Expr) => Expr) => this.share(x, body) } : undefined;
    // (Not MATERIALIZED: DuckDB 1.5 reads such a CTE from a recursive CTE's step as empty, now
    // and then, when the threads race.)
    this.ctes.push({ name, query: { kind: 'select', columns: [{ expr: signs ? withSigns(e, t, signs) : e, alias: column }] } });
    const read: Expr = { kind: 'subquery', query: { kind: 'select', columns: [{ expr: col(column) }], from: { kind: 'tableRef', name } } };
    return signs ? fromSigns(read, t, signs) : read;
  }

  /** A global value made shareable: a one-row CTE when the scope allows. */
  private globalVal(scope: Scope, v: Val, t: StructType): Val {
    const e = this.toExpr(v, t);
    // A missing global stands for a struct of missing fields (semantics.md §7).
    if (isEmptyRecord(t)) return this.simple(e) ? TRUE : { kind: 'call', name: 'coalesce', args: [e, TRUE] };
    if (v.kind === 'vstruct' || this.filledGlobals.has(e)) return v;
    const filled: Expr = { kind: 'call', name: 'coalesce', args: [e, this.toExpr(vstruct(t.fields.map((f) => [f.name, { kind: 'null', type: repType(f.type) }] as const)), t)] };
    if (this.simple(e) || !scope.closed) return filled;
    const read = this.oneRowCte('g', 'g', filled, t);
    this.filledGlobals.add(read);
    return read;
  }

  /** Global CTE reads already filled in (a missing global made a struct of missing fields). */
  private readonly filledGlobals = new WeakSet<Expr>();

  /**
   * A SELECT over an opened relation that outputs `fields` as the new row columns and keeps
   * the order columns. Returns the columns and the new order.
   */
  private project(
    o: Opened,
    fields: readonly { name: string; expr: Expr }[],
    extraOrder: readonly { expr: Expr; desc: boolean }[] = [],
  ): { columns: SelectItem[]; cols: string[]; hidden: string[]; order: OrderCol[] } {
    const cols = uniqueNames(fields.map((f) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) && !/^__o\d+$/.test(f.name) ? f.name : 'c')));
    const taken = new Set(cols.map((c) => c.toLowerCase()));
    const columns: SelectItem[] = fields.map((f, i) => ({ expr: f.expr, alias: cols[i]! }));
    const hidden: string[] = [];
    const order: OrderCol[] = [];
    let k = 0;
    const hide = (expr: Expr): string => {
      // Reuse an output column that is exactly this expression.
      const j = fields.findIndex((f) => sameColumn(f.expr, expr));
      if (j >= 0) return cols[j]!;
      let name: string;
      do name = `__o${k++}`;
      while (taken.has(name));
      taken.add(name);
      hidden.push(name);
      columns.push({ expr, alias: name });
      return name;
    };
    o.rel.order.forEach((oc) => order.push({ col: hide(col(oc.col, o.alias)), desc: oc.desc }));
    extraOrder.forEach((x) => order.push({ col: hide(x.expr), desc: x.desc }));
    return { columns, cols, hidden, order };
  }

  private rowFields(row: Val, t: StructType): { name: string; expr: Expr }[] {
    const r = this.spread(row, t);
    return t.fields.map((f) => ({ name: f.name, expr: this.toExpr(this.field(r, f.name), f.type) }));
  }

  /** The same rows with a different order or type: no new SELECT. */
  private retag(rel: Rel, changes: Partial<Rel>): Rel {
    return { ...rel, ...changes };
  }

  table(n: TableIR, scope: Scope): Rel {
    if (scope.closed) {
      const memo = this.relMemo.get(n);
      if (memo !== undefined) return memo;
    }
    const r = this.tableNode(n, scope);
    if (scope.closed) this.relMemo.set(n, r);
    return r;
  }

  private tableNode(n: TableIR, scope: Scope): Rel {
    const type = this.ttype(n);
    // Table children see the enclosing variables, not this node's aggregation scopes.
    const outer: Scope = { ...scope, agg: undefined, scan: undefined };
    switch (n.kind) {
      case 'TableRange': {
        const a = this.fresh('r');
        const q: Select = {
          kind: 'select',
          columns: [{ expr: cast(col('range', a), scalarType('INTEGER')), alias: 'idx' }],
          from: { kind: 'tableFunction', name: 'range', args: [{ kind: 'number', type: 'BIGINT', value: BigInt(n.n) }], alias: { name: a } },
        };
        return this.rel(scope, q, ['idx'], [], [{ col: 'idx', desc: false }], TRUE, type);
      }
      case 'TableParallelize': {
        const vt = this.vtype(n.rowsAndGlobal) as StructType;
        const v0 = this.value(n.rowsAndGlobal, outer);
        // Read twice (rows and global): computed once, in a CTE when the scope allows.
        const v = scope.closed && v0.kind !== 'vstruct' && !this.simple(v0) ? this.cteValue(this.toExpr(v0, vt), vt) : v0;
        const rowsT = vt.fields[fieldIndex(vt, 'rows')]!.type;
        const globalT = vt.fields[fieldIndex(vt, 'global')]!.type as StructType;
        const rows = this.toExpr(this.getField(v, vt, 'rows'), rowsT);
        const missingRows = this.raise(n, 'InvalidArgument', 'TableParallelize of a missing rows array', rowsT);
        // What the program needs of this table (semantics.md §1): rows not needed are none, a
        // global not needed is missing, and neither then fails on a missing rows array.
        const td = this.demand?.table(n);
        const rowsNeeded = td === undefined || td.count;
        const globalNeeded = globalT.fields.length > 0 && (td === undefined || td.global !== null);
        const checked: Expr = rowsNeeded
          ? { kind: 'case', whens: [{ when: { kind: 'isNull', operand: rows, not: false }, then: missingRows }], else: rows }
          : cast({ kind: 'list', items: [] }, repType(rowsT));
        // The table fails as a whole: reading only its global raises too.
        const global: Expr = globalNeeded
          ? {
              kind: 'case',
              whens: [{ when: { kind: 'isNull', operand: rows, not: false }, then: this.raise(n, 'InvalidArgument', 'TableParallelize of a missing rows array', globalT) }],
              else: this.toExpr(this.getField(v, vt, 'global'), globalT),
            }
          : { kind: 'null', type: repType(globalT) };
        const a = this.fresh('u');
        const p = this.fresh('p');
        // The rows come through a lateral unnest of a one-row subquery: an argument of a table
        // function in FROM would be computed while binding, even where no row is read.
        const from: From = {
          kind: 'join',
          type: 'CROSS',
          left: { kind: 'subqueryFrom', query: { kind: 'select', columns: [{ expr: cast(checked, repType(rowsT)), alias: 'rs' }] }, alias: { name: p } },
          right: { kind: 'tableFunction', name: 'unnest', args: [col('rs', p)], alias: { name: a, columns: ['r', 'o'] }, ordinality: true, lateral: true },
        };
        const fields = this.rowFields(col('r', a), type.row);
        const cols = uniqueNames(type.row.fields.map((f) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) && f.name !== '__o0' ? f.name : 'c')));
        const q: Select = {
          kind: 'select',
          columns: [...fields.map((f, i) => ({ expr: f.expr, alias: cols[i]! })), { expr: col('o', a), alias: '__o0' }],
          from,
        };
        return this.rel(scope, q, cols, ['__o0'], [{ col: '__o0', desc: false }], this.globalVal(scope, global, globalT), type);
      }
      case 'TableRead':
        return this.tableRead(n, scope, type);
      case 'TableFilter': {
        const child = this.table(n.child, outer);
        const o = this.open(child);
        const vars = scope.vars.set('row', o.row).set('global', child.global);
        // A predicate that reads no column would move above a join (DuckDB pulls such filters
        // up), where the rows an empty join drops never reach it.
        const firstCol = [...child.cols, ...child.hidden][0];
        const pred = anchoredPredicate(filterPredicate(this.api, condition(this.api, n.pred, { ...outer, vars, closed: false })), o.order, firstCol === undefined ? undefined : col(firstCol, o.alias));
        const p = this.project(o, this.rowFields(o.row, type.row));
        return this.rel(scope, { kind: 'select', columns: p.columns, from: o.from, where: pred }, p.cols, p.hidden, p.order, child.global, type);
      }
      case 'TableMapRows': {
        const child0 = this.table(n.child, outer);
        // A scan that aggregates other rows than its own (AggExplode, AggGroupBy, ...) reads the
        // rows before this one by number: `rn` is the row's position in table order.
        // So do scans DuckDB cannot window: with a subquery inside, or over correlated rows.
        const noWindows = hasScan(n.newRow) && (!scope.closed || scanHoldsSubquery(n.newRow, this.hasSub));
        const rn = scansOtherRows(n.newRow) || noWindows ? this.numbered(child0, scope) : undefined;
        const child = rn?.rel ?? child0;
        const o = this.open(child);
        const vars = scope.vars.set('row', o.row).set('global', child.global);
        // The rows through this one (`before` keeps those before it).
        const rows = (rnCol: string): Reopened => {
          const o2 = this.open(child);
          const before = binary('<', col(rnCol, o2.alias), col(rnCol, o.alias));
          const where = binary('<=', col(rnCol, o2.alias), col(rnCol, o.alias));
          return { from: o2.from, vars: scope.vars.set('row', o2.row).set('global', child.global), where: [where], order: o2.order, before };
        };
        const reopen = rn === undefined ? undefined : () => rows(rn.col);
        // DuckDB cannot decorrelate a window beside the correlated subqueries of the other scans
        // either: once the rows are numbered, every scan reads the rows before by number.
        const windows: SelectItem[] = [];
        const taken = new Set([...child.cols, ...child.hidden].map((c) => c.toLowerCase()));
        const collect = (e: Expr): Expr => {
          let name = `__w${windows.length}`;
          while (taken.has(name)) name += '_';
          taken.add(name);
          windows.push({ expr: e, alias: name });
          return col(name, o.alias);
        };
        const scan: AggCtx = { vars, filters: [], order: o.order, window: true, ...(reopen ? { reopen, noWindows: true, collectRow: collect, rowAlias: o.alias } : { collect }) };
        const v = this.value(n.newRow, { ...outer, vars, scan, closed: false });
        // The scans' windows, computed in a projection below under the same alias.
        const below: Opened = windows.length === 0 ? o : { ...o, from: windowLayers(o, windows) };
        const fields = this.rowFieldsOnce(v, type.row, below);
        const p = this.project(fields.opened, fields.fields);
        // A map that may change a key re-sorts by it (semantics.md §7).
        const order = keepsKey(n.newRow, type.key) ? p.order : [...type.key.map((k) => ({ col: p.cols[fieldIndex(type.row, k)]!, desc: false })), ...p.order];
        return this.rel(scope, { kind: 'select', columns: p.columns, from: fields.opened.from }, p.cols, p.hidden, order, child.global, type);
      }
      case 'TableMapGlobals': {
        const child = this.table(n.child, outer);
        const g = this.value(n.newGlobal, { ...outer, vars: scope.vars.set('global', child.global) });
        return this.retag(child, { global: this.globalVal(scope, g, type.global), type });
      }
      case 'TableKeyBy': {
        const child = this.table(n.child, outer);
        const keyCols = n.keys.map((k) => child.cols[fieldIndex(child.type.row, k)]!);
        return this.retag(child, { order: [...keyCols.map((c) => ({ col: c, desc: false })), ...child.order], type });
      }
      case 'TableOrderBy': {
        const child = this.table(n.child, outer);
        const sort = n.sortFields.map((s) => ({ col: child.cols[fieldIndex(child.type.row, s.field)]!, desc: s.order === 'D' }));
        return this.retag(child, { order: [...sort, ...child.order], type });
      }
      case 'TableAggregateByKey':
        return this.aggregateByKey(n, scope, outer, type);
      case 'TableKeyByAndAggregate':
        return this.keyByAndAggregate(n, scope, outer, type);
      case 'TableJoin':
        return this.join(n, scope, outer, type);
      case 'TableLeftJoinRightDistinct':
        return this.leftJoinRightDistinct(n, scope, outer, type);
      case 'TableUnion':
        return this.union(n, scope, outer, type);
      case 'TableHead':
      case 'TableTail': {
        const child = this.table(n.child, outer);
        const o = this.open(child);
        const p = this.project(o, this.rowFields(o.row, type.row));
        const tail = n.kind === 'TableTail';
        const orderBy = tail ? o.order.map(reverse) : o.order;
        const count: Expr = { kind: 'number', type: 'BIGINT', value: n.n < 0n ? 0n : n.n };
        // DuckDB 1.5 decorrelates a correlated ORDER BY + LIMIT into arg_min(..., n), which
        // rejects n >= 1,000,000, and fails to bind an ordered window above it ("Failed to bind
        // column reference"); a row_number filter it does not recognize keeps the rows.
        const cut: Partial<Select> =
          !scope.closed
            ? { qualify: { kind: 'isDistinct', left: binary('<=', { kind: 'window', call: call('row_number', []), partitionBy: [], orderBy }, count), right: TRUE, not: true } }
            : { orderBy, limit: count };
        const q: Select = {
          kind: 'select',
          columns: p.columns,
          from: o.from,
          ...cut,
          ...(n.n < 0n ? { where: binary('=', this.raise(n, 'InvalidArgument', `${n.kind} of a negative count ${n.n}`, { kind: 'Boolean' }), TRUE) } : {}),
        };
        return this.rel(scope, q, p.cols, p.hidden, p.order, child.global, type);
      }
      case 'TableExplode':
        return this.explode(n, scope, outer, type);
      case 'TableDistinct': {
        const child = this.table(n.child, outer);
        const o = this.open(child);
        const p = this.project(o, this.rowFields(o.row, type.row));
        const keys = type.key.map((k) => this.toExpr(this.field(o.row, k), type.row.fields[fieldIndex(type.row, k)]!.type));
        if (keys.length === 0) {
          // DuckDB 1.5 rewrites an unpartitioned `QUALIFY row_number() = 1` into an aggregate
          // that returns a row of NULLs for no input; LIMIT 1 has no such rewrite.
          return this.rel(scope, { kind: 'select', columns: p.columns, from: o.from, orderBy: o.order, limit: { kind: 'number', type: 'BIGINT', value: 1n } }, p.cols, p.hidden, p.order, child.global, type);
        }
        const rn: Expr = { kind: 'window', call: call('row_number', []), partitionBy: keys, orderBy: o.order };
        return this.rel(scope, { kind: 'select', columns: p.columns, from: o.from, qualify: binary('=', rn, { kind: 'number', type: 'BIGINT', value: 1n }) }, p.cols, p.hidden, p.order, child.global, type);
      }
      case 'TableRename': {
        const child = this.table(n.child, outer);
        const gmap = new Map(n.globalMap);
        const oldG = child.type.global;
        const g = n.globalMap.length === 0 ? child.global : vstruct(oldG.fields.map((f) => [gmap.get(f.name) ?? f.name, this.getField(child.global, oldG, f.name)] as const));
        return this.retag(child, { global: g, type });
      }
      case 'RelationalLetTable': {
        if (!this.needed(n.value)) return this.retag(this.table(n.body, outer), { type });
        const ref = this.relationalLet(n.value, outer);
        return this.table(n.body, { ...outer, rel: scope.rel.set(n.name, ref) });
      }
    }
  }

  /** The same rows with a column numbering them in table order (also their order now). */
  private numbered(rel: Rel, scope: Scope): { rel: Rel; col: string } {
    const o = this.open(rel);
    const rn: Expr = { kind: 'window', call: call('row_number', []), partitionBy: [], orderBy: o.order };
    const p = this.project(o, this.rowFields(o.row, rel.type.row), [{ expr: rn, desc: false }]);
    const rnCol = p.order[p.order.length - 1]!.col;
    const q: Select = { kind: 'select', columns: p.columns, from: o.from };
    return { rel: this.rel(scope, q, p.cols, p.hidden, [{ col: rnCol, desc: false }], rel.global, rel.type), col: rnCol };
  }

  /** Row fields of a computed row: through a sub-select when the row is one opaque value. */
  private rowFieldsOnce(v: Val, t: StructType, o: Opened): { fields: { name: string; expr: Expr }[]; opened: Opened } {
    if (v.kind === 'vstruct' || this.simple(v) || t.fields.length <= 1) return { fields: this.rowFields(v, t), opened: o };
    // Compute the struct once per row, then take its fields; the child's columns (the order
    // among them) stay readable under the new alias.
    const a = this.fresh('m');
    const taken = new Set([...o.rel.cols, ...o.rel.hidden].map((c) => c.toLowerCase()));
    let name = '__row';
    while (taken.has(name)) name += '_';
    const inner: Select = {
      kind: 'select',
      columns: [{ expr: { kind: 'star', table: o.alias } }, { expr: v, alias: name }],
      from: o.from,
    };
    return { fields: this.rowFields(col(name, a), t), opened: { ...o, alias: a, from: { kind: 'subqueryFrom', query: inner, alias: { name: a } } } };
  }

  /**
   * A relational let's value, computed once: a one-row CTE. Inside an aggregation (whose
   * aggregators it may use) it cannot be a CTE, and is computed where it is read instead.
   */
  private relationalLet(value: ValueIR, scope: Scope): Val {
    // [ext] the value sees enclosing variables: when one of them is per-row, it is computed where read.
    if (scope.agg !== undefined || scope.scan !== undefined || !scope.closed) return this.value(value, scope);
    const t = this.vtype(value);
    // The value is this CTE: not hoisted into another one.
    this.hoisting.add(value);
    try {
      return this.upFrontValue('rl_', this.toExpr(this.value(value, { vars: scope.vars, agg: undefined, scan: undefined, rel: scope.rel, closed: true }), t), t);
    } finally {
      this.hoisting.delete(value);
    }
  }

  private tableRead(n: Extract<TableIR, { kind: 'TableRead' }>, scope: Scope, type: TableType): Rel {
    const a = this.fresh('src');
    const r = n.reader;
    let from: From;
    let orderExpr: Expr;
    if (r.name === 'DuckDBTableReader') {
      from = { kind: 'tableRef', name: r.table, alias: { name: a } };
      orderExpr = col('rowid', a);
    } else {
      const paths: Expr = { kind: 'list', items: r.paths.map(str) };
      from = { kind: 'tableFunction', name: r.name === 'ParquetReader' ? 'read_parquet' : 'read_csv', args: [paths], alias: { name: a } };
      orderExpr = { kind: 'window', call: call('row_number', []), partitionBy: [], orderBy: [] };
    }
    const cols = uniqueNames(type.row.fields.map((f) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) && f.name !== '__o0' ? f.name : 'c')));
    const q: Select = {
      kind: 'select',
      // A CAST to the type the column already has would still hide it from DuckDB's filter
      // pushdown into the scan, so columns of the declared type are read as they are.
      columns: [
        ...type.row.fields.map((f, i) => {
          const rt = repType(f.type);
          const same = this.sourceColumns?.(r)?.get(f.name) === printSqlType(rt);
          return { expr: same ? col(f.name, a) : cast(col(f.name, a), rt), alias: cols[i]! };
        }),
        { expr: orderExpr, alias: '__o0' },
      ],
      from,
    };
    const keyOrder = type.key.map((k) => ({ col: cols[fieldIndex(type.row, k)]!, desc: false }));
    return this.rel(scope, q, cols, ['__o0'], [...keyOrder, { col: '__o0', desc: false }], TRUE, type);
  }

  private aggregateByKey(n: Extract<TableIR, { kind: 'TableAggregateByKey' }>, scope: Scope, outer: Scope, type: TableType): Rel {
    const child = this.table(n.child, outer);
    const o = this.open(child);
    const ct = child.type;
    const keys = ct.key.map((k) => this.toExpr(this.field(o.row, k), ct.row.fields[fieldIndex(ct.row, k)]!.type));
    const aggVars = scope.vars.set('row', o.row).set('global', child.global);
    // Aggregations over other rows (AggExplode) reopen the child, restricted to this group.
    const g = this.grouped(keys, o.from);
    // (The group's keys as the query around the grouped SELECT sees them.)
    const reopen = () => {
      const o2 = this.open(child);
      const where = ct.key.map((k, i): Expr => ({ kind: 'isDistinct', left: this.toExpr(this.field(o2.row, k), ct.row.fields[fieldIndex(ct.row, k)]!.type), right: g.keys[i]!, not: true }));
      return { from: o2.from, vars: scope.vars.set('row', o2.row).set('global', child.global), where, order: o2.order, anchor: this.anchorOf(o2) };
    };
    const agg: AggCtx = { vars: aggVars, filters: [], order: o.order, window: false, reopen, collect: g.collect, anchor: this.anchorOf(o) };
    const v = this.value(n.expr, { ...outer, vars: scope.vars.set('global', child.global), agg, closed: false });
    const et = this.vtype(n.expr) as StructType;
    const ev = this.spread(v, et);
    const fields = [
      ...ct.key.map((k, i) => ({ name: k, expr: g.keys[i]! })),
      ...et.fields.map((f) => ({ name: f.name, expr: this.toExpr(this.field(ev, f.name), f.type) })),
    ];
    const cols = uniqueNames(fields.map((f) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) ? f.name : 'c')));
    const q: Select = { kind: 'select', columns: fields.map((f, i) => ({ expr: f.expr, alias: cols[i]! })), from: g.from() };
    return this.rel(scope, q, cols, [], ct.key.map((_k, i) => ({ col: cols[i]!, desc: false })), child.global, type);
  }

  /**
   * A grouped aggregation's own SELECT: the keys and every aggregate the value asks for
   * (`collect`), grouped by the keys; the value is computed over its columns in the query
   * around it, so no aggregate sits inside a lambda or a subquery there. GROUP BY TRUE, not
   * (): no keys still means no rows for no input.
   */
  private grouped(keys: readonly Expr[], from: From): { keys: Expr[]; collect: (e: Expr) => Expr; from: () => From } {
    const alias = this.fresh('g');
    const items: SelectItem[] = keys.map((k, i) => ({ expr: k, alias: `k${i}` }));
    return {
      keys: keys.map((_k, i) => col(`k${i}`, alias)),
      collect: (e) => {
        const name = `a${items.length}`;
        items.push({ expr: e, alias: name });
        return col(name, alias);
      },
      from: () => ({
        kind: 'subqueryFrom',
        query: { kind: 'select', columns: items.length > 0 ? items : [{ expr: TRUE, alias: 'n' }], from, groupBy: keys.length > 0 ? [...keys] : [TRUE] },
        alias: { name: alias },
      }),
    };
  }

  private keyByAndAggregate(n: Extract<TableIR, { kind: 'TableKeyByAndAggregate' }>, scope: Scope, outer: Scope, type: TableType): Rel {
    const child = this.table(n.child, outer);
    // First a projection with the new key's fields as columns, so GROUP BY names columns.
    const o1 = this.open(child);
    const kt = this.vtype(n.newKey) as StructType;
    const kv = this.value(n.newKey, { ...outer, vars: scope.vars.set('row', o1.row).set('global', child.global), closed: false });
    const kfields = this.rowFields(kv, kt);
    const rowFields = this.rowFields(o1.row, child.type.row);
    const p = this.project(o1, [...rowFields, ...kfields.map((f) => ({ name: `__k_${f.name}`, expr: f.expr }))]);
    const keyed: Rel = {
      from: { query: { kind: 'select', columns: p.columns.length > 0 ? p.columns : [{ expr: TRUE, alias: '__unit' }], from: o1.from } },
      cols: p.cols.slice(0, rowFields.length),
      hidden: [...p.cols.slice(rowFields.length), ...p.hidden],
      order: p.order,
      global: child.global,
      type: child.type,
    };
    const o = this.open(keyed);
    const keyCols = p.cols.slice(rowFields.length).map((c) => col(c, o.alias));
    const g = this.grouped(keyCols, o.from);
    const reopen = () => {
      const o2 = this.open(keyed);
      const where = p.cols.slice(rowFields.length).map((c, i): Expr => ({ kind: 'isDistinct', left: col(c, o2.alias), right: g.keys[i]!, not: true }));
      return { from: o2.from, vars: scope.vars.set('row', o2.row).set('global', child.global), where, order: o2.order, anchor: this.anchorOf(o2) };
    };
    const agg: AggCtx = { vars: scope.vars.set('row', o.row).set('global', child.global), filters: [], order: o.order, window: false, reopen, collect: g.collect, anchor: this.anchorOf(o) };
    const v = this.value(n.expr, { ...outer, vars: scope.vars.set('global', child.global), agg, closed: false });
    const et = this.vtype(n.expr) as StructType;
    const ev = this.spread(v, et);
    const fields = [
      ...kt.fields.map((f, i) => ({ name: f.name, expr: g.keys[i]! as Expr })),
      ...et.fields.map((f) => ({ name: f.name, expr: this.toExpr(this.field(ev, f.name), f.type) })),
    ];
    const cols = uniqueNames(fields.map((f) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) ? f.name : 'c')));
    const q: Select = { kind: 'select', columns: fields.map((f, i) => ({ expr: f.expr, alias: cols[i]! })), from: g.from() };
    return this.rel(scope, q, cols, [], kt.fields.map((_k, i) => ({ col: cols[i]!, desc: false })), child.global, type);
  }

  /**
   * A side of a join. One that raises by design is a MATERIALIZED CTE: DuckDB skips the probe
   * side of a hash join whose build side is empty, where the interpreter evaluates every row.
   */
  private joinSide(t: TableIR, outer: Scope): Rel {
    const rel = this.table(t, outer);
    if ('cte' in rel.from && this.raisesByDesign(t)) this.materialized.add(rel.from.cte);
    return rel;
  }

  private join(n: Extract<TableIR, { kind: 'TableJoin' }>, scope: Scope, outer: Scope, type: TableType): Rel {
    const l = this.joinSide(n.left, outer);
    const r = this.joinSide(n.right, outer);
    // A column TRUE on every left row, NULL on a right row without one: among equal keys the
    // left rows come first (semantics.md §7), which the left order columns cannot tell when
    // they are missing themselves.
    const lo0 = this.open(l);
    const leftTaken = new Set([...l.cols, ...l.hidden].map((c) => c.toLowerCase()));
    let leftMark = '__left';
    while (leftTaken.has(leftMark)) leftMark += '_';
    const lo: Opened = {
      ...lo0,
      from: { kind: 'subqueryFrom', query: { kind: 'select', columns: [{ expr: { kind: 'star', table: lo0.alias } }, { expr: TRUE, alias: leftMark }], from: lo0.from }, alias: { name: lo0.alias } },
    };
    const ro = this.open(r);
    const lt = l.type;
    const rt = r.type;
    const k = n.joinKey;
    const lKey = lt.key.slice(0, k);
    const rKey = rt.key.slice(0, k);
    const kexpr = (o: Opened, t: TableType, name: string) => this.toExpr(this.field(o.row, name), t.row.fields[fieldIndex(t.row, name)]!.type);
    const on = lKey.map((kn, i) => binary('=', kexpr(lo, lt, kn), kexpr(ro, rt, rKey[i]!))).reduce<Expr | undefined>((acc, e) => (acc === undefined ? e : binary('AND', acc, e)), undefined) ?? TRUE;
    const fields: { name: string; expr: Expr }[] = [
      ...lKey.map((kn, i) => ({ name: kn, expr: call('coalesce', [kexpr(lo, lt, kn), kexpr(ro, rt, rKey[i]!)]) as Expr })),
      ...lt.row.fields.filter((f) => !lKey.includes(f.name)).map((f) => ({ name: f.name, expr: kexpr(lo, lt, f.name) })),
      ...rt.row.fields.filter((f) => !rKey.includes(f.name)).map((f) => ({ name: f.name, expr: kexpr(ro, rt, f.name) })),
    ];
    const joinType = n.joinType === 'inner' ? 'INNER' : n.joinType === 'left' ? 'LEFT' : n.joinType === 'right' ? 'RIGHT' : 'FULL';
    const from: From = { kind: 'join', type: joinType, left: lo.from, right: ro.from, on };
    // Order: the result key, then left order, then right order.
    const cols = uniqueNames(fields.map((f) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) && !/^__o\d+$/.test(f.name) ? f.name : 'c')));
    const taken = new Set(cols.map((c) => c.toLowerCase()));
    const columns: SelectItem[] = fields.map((f, i) => ({ expr: f.expr, alias: cols[i]! }));
    const hidden: string[] = [];
    let hk = 0;
    const hide = (e: Expr): string => {
      let name: string;
      do name = `__o${hk++}`;
      while (taken.has(name));
      taken.add(name);
      hidden.push(name);
      columns.push({ expr: e, alias: name });
      return name;
    };
    const order: OrderCol[] = type.key.map((kn) => ({ col: cols[fieldIndex(type.row, kn)]!, desc: false }));
    order.push({ col: hide({ kind: 'isNull', operand: col(leftMark, lo.alias), not: false }), desc: false });
    for (const oc of l.order) order.push({ col: hide(col(oc.col, lo.alias)), desc: oc.desc });
    for (const oc of r.order) order.push({ col: hide(col(oc.col, ro.alias)), desc: oc.desc });
    const lg = this.spread(l.global, lt.global);
    const rg = this.spread(r.global, rt.global);
    const global = vstruct([...lg.fields, ...rg.fields]);
    if (joinType === 'FULL' && !scope.closed) {
      // DuckDB 1.5 cannot decorrelate a FULL join whose sides read an outer row (the step of a
      // recursive CTE ties them to its row, tiedToStep), nor bind a lateral join in a side of
      // one there. A LEFT join and the right rows no left row matched are the same rows.
      const unmatched: Select = { kind: 'select', columns, from: { ...from, type: 'RIGHT' }, where: { kind: 'isNull', operand: col(leftMark, lo.alias), not: false } };
      const both: Query = { kind: 'unionAll', queries: [{ kind: 'select', columns, from: { ...from, type: 'LEFT' } }, unmatched] };
      const a = this.fresh('j');
      const all: Select = { kind: 'select', columns: [...cols, ...hidden].map((c) => ({ expr: col(c, a), alias: c })), from: { kind: 'subqueryFrom', query: both, alias: { name: a } } };
      return this.rel(scope, all, cols, hidden, order, global, type);
    }
    return this.rel(scope, { kind: 'select', columns, from }, cols, hidden, order, global, type);
  }

  private leftJoinRightDistinct(n: Extract<TableIR, { kind: 'TableLeftJoinRightDistinct' }>, scope: Scope, outer: Scope, type: TableType): Rel {
    const l = this.joinSide(n.left, outer);
    const r = this.joinSide(n.right, outer);
    const rt = r.type;
    // The first right row of each key.
    const r1 = this.open(r);
    const rkeys = rt.key.map((k) => this.toExpr(this.field(r1.row, k), rt.row.fields[fieldIndex(rt.row, k)]!.type));
    const rp = this.project(r1, this.rowFields(r1.row, rt.row));
    const rn: Expr = { kind: 'window', call: call('row_number', []), partitionBy: rkeys, orderBy: r1.order };
    // A column that is TRUE on every right row: NULL after the LEFT JOIN exactly when unmatched.
    const taken = new Set(rp.columns.map((c) => (c.alias ?? '').toLowerCase()));
    let present = '__matched';
    while (taken.has(present)) present += '_';
    const firsts: Rel = {
      from: { query: { kind: 'select', columns: [...rp.columns, { expr: TRUE, alias: present }], from: r1.from, qualify: binary('=', rn, { kind: 'number', type: 'BIGINT', value: 1n }) } },
      cols: rp.cols,
      hidden: rp.hidden,
      order: rp.order,
      global: r.global,
      type: rt,
    };
    const lo = this.open(l);
    const ro = this.open(firsts);
    const lt = l.type;
    const on = rt.key
      .map((k, i) => binary('=', this.toExpr(this.field(lo.row, lt.key[i]!), lt.row.fields[fieldIndex(lt.row, lt.key[i]!)]!.type), this.toExpr(this.field(ro.row, k), rt.row.fields[fieldIndex(rt.row, k)]!.type)))
      .reduce((acc, e) => binary('AND', acc, e));
    const values = rt.row.fields.filter((f) => !rt.key.includes(f.name));
    const vt: StructType = { kind: 'Struct', fields: values };
    const matched: Expr = { kind: 'isNull', operand: col(present, ro.alias), not: true };
    const rootVal: Expr = {
      kind: 'case',
      whens: [{ when: matched, then: this.toExpr(vstruct(values.map((f) => [f.name, this.field(ro.row, f.name)] as const)), vt) }],
      else: { kind: 'null', type: repType(vt) },
    };
    const lp = this.project(lo, [...this.rowFields(lo.row, lt.row), { name: n.root, expr: rootVal }]);
    const from: From = { kind: 'join', type: 'LEFT', left: lo.from, right: ro.from, on };
    return this.rel(scope, { kind: 'select', columns: lp.columns, from }, lp.cols, lp.hidden, lp.order, l.global, type);
  }

  private union(n: Extract<TableIR, { kind: 'TableUnion' }>, scope: Scope, outer: Scope, type: TableType): Rel {
    const rels = n.children.map((c) => this.table(c, outer));
    if (rels.length === 1) return this.retag(rels[0]!, { type });
    const cols = uniqueNames(type.row.fields.map((f) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) && !/^__[ui]$/.test(f.name) ? f.name : 'c')));
    const queries: Select[] = rels.map((r, i) => {
      const o = this.open(r);
      const fields = this.rowFields(o.row, type.row);
      return {
        kind: 'select',
        columns: [
          ...fields.map((f, j) => ({ expr: f.expr, alias: cols[j]! })),
          { expr: { kind: 'number', type: 'INTEGER', value: i }, alias: '__u' },
          { expr: { kind: 'window', call: call('row_number', []), partitionBy: [], orderBy: o.order }, alias: '__i' },
        ],
        from: o.from,
      };
    });
    const keyOrder = type.key.map((k) => ({ col: cols[fieldIndex(type.row, k)]!, desc: false }));
    const q: Select = {
      kind: 'select',
      columns: [{ expr: { kind: 'star' } }],
      from: { kind: 'subqueryFrom', query: { kind: 'unionAll', queries }, alias: { name: this.fresh('un') } },
    };
    return this.rel(scope, q, cols, ['__u', '__i'], [...keyOrder, { col: '__u', desc: false }, { col: '__i', desc: false }], rels[0]!.global, type);
  }

  private explode(n: Extract<TableIR, { kind: 'TableExplode' }>, scope: Scope, outer: Scope, type: TableType): Rel {
    const child = this.table(n.child, outer);
    const o = this.open(child);
    const ct = child.type;
    // The container at the path.
    let cur: Val = o.row;
    let curT: Type = ct.row;
    for (const name of n.path) {
      cur = this.getField(cur, curT, name);
      curT = (curT as StructType).fields[fieldIndex(curT as StructType, name)]!.type;
    }
    const u = this.fresh('x');
    const from: From = {
      kind: 'join',
      type: 'CROSS',
      left: o.from,
      right: { kind: 'tableFunction', name: 'unnest', args: [cast(this.toExpr(cur, curT), repType(curT))], alias: { name: u, columns: ['e', 'i'] }, ordinality: true, lateral: true },
    };
    // Rebuild the row with the element in place of the container.
    const replace = (v: Val, t: StructType, path: readonly string[]): VStruct => {
      const s = this.spread(v, t);
      const [head, ...rest] = path;
      return vstruct(
        s.fields.map(([fname, fv]) => {
          if (fname !== head) return [fname, fv] as const;
          if (rest.length === 0) return [fname, col('e', u)] as const;
          const ft = t.fields[fieldIndex(t, fname)]!.type as StructType;
          return [fname, replace(fv, ft, rest)] as const;
        }),
      );
    };
    const newRow = replace(o.row, ct.row, n.path);
    const p = this.project(o, this.rowFields(newRow, type.row), [{ expr: col('i', u), desc: false }]);
    return this.rel(scope, { kind: 'select', columns: p.columns, from }, p.cols, p.hidden, p.order, child.global, type);
  }

  // ---- values -------------------------------------------------------------------------------

  value(n: ValueIR, scope: Scope): Val {
    return compileValue(this.api, n, scope);
  }

  /** Whether the result needs a value node at all (semantics.md §1: what nothing needs is not evaluated). */
  private needed(n: IR): boolean {
    return this.demand === undefined || isTableIR(n) || this.demand.needed(n);
  }

  // Exposed to values.ts.
  readonly api = {
    needed: (n: IR) => this.needed(n),
    /** Whether a value node is never missing: a NULL check of it is left out. */
    required: (n: IR) => this.required(n),
    /** The error of a closed expression known to raise, where what is needed of it raises. */
    raises: (n: IR) => (this.demand === undefined || this.demand.value(n) === 'all' || (this.raisesWhole.has(n) && this.demand.needed(n)) ? this.raises?.get(n) : undefined),
    /**
     * A hoisted node (semantics.md §7) as a one-row CTE read where it stands: DuckDB runs it
     * once, up front, as the interpreter does. Undefined for any other node.
     */
    hoist: (n: ValueIR, compile: () => Expr): Expr | undefined => {
      if (!this.hoisted.has(n) || this.hoisting.has(n)) return undefined;
      this.hoisting.add(n);
      try {
        return this.upFrontValue('v', compile(), this.vtype(n));
      } finally {
        this.hoisting.delete(n);
      }
    },
    fresh: (p: string) => this.fresh(p),
    /** Whether the CTE `name` holds a value evaluated up front (hoisted, or a relational let's). */
    upFront: (name: string) => this.upFront.has(name),
    /** Whether `name` is a one-row CTE the emitter made (not a table of the database, not a table's CTE). */
    oneRow: (name: string) => this.oneRow.has(name),
    /** Records that a recursive CTE is emitted. */
    recursiveCte: () => {
      this.recursive = true;
    },
    typeOf: (n: IR) => this.vtype(n),
    raise: (n: IR, c: string, m: Expr | string, t?: Type) => this.raise(n, c, m, t),
    toExpr: (v: Val, t: Type) => this.toExpr(v, t),
    getField: (v: Val, t: Type, name: string) => this.getField(v, t, name),
    spread: (v: Val, t: Type) => this.spread(v, t),
    share: (e: Expr, body: (x: Expr) => Expr) => this.share(e, body),
    shareAll: (es: readonly Expr[], body: (xs: Expr[]) => Expr) => this.shareAll(es, body),
    table: (n: TableIR, scope: Scope) => this.table(n, scope),
    open: (r: Rel) => this.open(r),
    anchorOf: (o: Opened) => this.anchorOf(o),
    relationalLet: (v: ValueIR, scope: Scope) => this.relationalLet(v, scope),
    simple: (e: Expr) => this.simple(e),
  };
}

export type EmitterApi = Emitter['api'];
export type { Val, VStruct, Vars, Scope, AggCtx, Rel, Opened };
export { vstruct };

const int1: Expr = { kind: 'number', type: 'BIGINT', value: 1n };

function orderItem(e: Expr, desc: boolean): OrderItem {
  // Missing sorts last in both directions (semantics.md §7).
  return { expr: e, desc, nulls: 'LAST' };
}

function reverse(o: OrderItem): OrderItem {
  return { expr: o.expr, desc: !o.desc, nulls: o.nulls === 'LAST' ? 'FIRST' : 'LAST' };
}

/** The names of the tables (CTEs) a query reads through `FROM name`. */
function tablesRead(q: Query): Set<string> {
  const out = new Set<string>();
  const stack: unknown[] = [q];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    if ((x as { kind?: string }).kind === 'tableRef') out.add((x as { name: string }).name);
    for (const v of Object.values(x as object)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return out;
}

/** Nodes of `e`, counted up to `limit`. */
function exprSize(e: Expr, limit: number): number {
  let n = 0;
  const visit = (x: Expr): void => {
    if (++n > limit) return;
    forChildren(x, visit);
  };
  visit(e);
  return n;
}

const subMemo = new WeakMap<object, boolean>();

/**
 * Whether an expression holds a subquery (which a DuckDB lambda cannot). Memoized per node, and
 * SQL trees share nodes, so repeated questions over nested expressions stay linear.
 */
export function containsSubquery(root: Expr): boolean {
  const stack: [object, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [x, done] = stack.pop()!;
    if (subMemo.has(x)) continue;
    const kids: object[] = [];
    for (const v of Object.values(x)) {
      if (Array.isArray(v)) for (const y of v) { if (y !== null && typeof y === 'object') kids.push(y); }
      else if (v !== null && typeof v === 'object') kids.push(v);
    }
    if (!done) {
      if ((x as { kind?: string }).kind === 'subquery' || (x as { kind?: string }).kind === 'exists') {
        subMemo.set(x, true);
        continue;
      }
      stack.push([x, true]);
      for (const k of kids) if (!subMemo.has(k)) stack.push([k, false]);
      continue;
    }
    subMemo.set(x, kids.some((k) => subMemo.get(k) === true));
  }
  return subMemo.get(root)!;
}

const REOPENING: ReadonlySet<string> = new Set(['AggExplode', 'AggGroupBy', 'AggArrayPerElement']);
const reopenMemo = new WeakMap<IR, boolean>();

/** Whether a scan in `n` aggregates rows other than its own (so it needs the rows numbered). */
function scansOtherRows(n: IR): boolean {
  let found = false;
  forEachNode(n, (x) => {
    if (found) return false;
    const m = reopenMemo.get(x);
    if (m !== undefined) {
      found = m;
      return false;
    }
    if (REOPENING.has(x.kind) && (x as { isScan: boolean }).isScan) found = true;
    return undefined;
  });
  reopenMemo.set(n, found);
  return found;
}

/** Whether `n` holds a scan aggregator. */
function hasScan(n: IR): boolean {
  let found = false;
  forEachNode(n, (x) => {
    if (found) return false;
    if (x.kind === 'ApplyScanOp') found = true;
    return undefined;
  });
  return found;
}

/** Whether a scan's arguments or a scan filter's condition in `n` may compile to a subquery. */
function scanHoldsSubquery(n: IR, sub: ReadonlySet<IR>): boolean {
  let found = false;
  forEachNode(n, (x) => {
    if (found) return false;
    if (x.kind === 'ApplyScanOp' && x.seqArgs.some((a) => sub.has(a))) found = true;
    if (x.kind === 'AggFilter' && x.isScan && sub.has(x.cond)) found = true;
    return undefined;
  });
  return found;
}

function sameColumn(a: Expr, b: Expr): boolean {
  return a.kind === 'column' && b.kind === 'column' && a.name === b.name && a.table === b.table;
}

/** Projections under `o`'s alias that compute `items`. An item reading another (a fold's steps
 * of a scan, each reading the step before) goes in a layer above it: an item of a select
 * cannot read another through the table alias. */
function windowLayers(o: Opened, items: readonly SelectItem[]): From {
  const level = new Map<string, number>();
  for (const w of items) {
    let l = 0;
    for (const name of columnsOf(w.expr, o.alias)) {
      const k = level.get(name);
      if (k !== undefined) l = Math.max(l, k + 1);
    }
    level.set(w.alias!, l);
  }
  let from = o.from;
  for (let l = 0; l <= Math.max(...level.values()); l++) {
    const columns: SelectItem[] = [{ expr: { kind: 'star', table: o.alias } }, ...items.filter((w) => level.get(w.alias!) === l)];
    from = { kind: 'subqueryFrom', query: { kind: 'select', columns, from }, alias: { name: o.alias } };
  }
  return from;
}
