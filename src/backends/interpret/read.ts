// TableRead for the reference interpreter: the schema and rows of every source a program
// reads, fetched from DuckDB before the (synchronous) interpreter runs.
//
// Rows are read eagerly, so a program holds every row of every table it reads in memory (as
// our values, converted a chunk at a time). 002-interpreter.md plans a reader worker that
// streams chunks instead. DuckDB only scans: every value is converted by our code.
//
// DuckDB type -> IR type:
//   BOOLEAN -> Boolean; TINYINT, SMALLINT, INTEGER -> Int32; BIGINT -> Int64; FLOAT -> Float32;
//   DOUBLE -> Float64; DECIMAL -> Float64 (the double nearest the decimal); VARCHAR -> String;
//   T[] and T[n] -> Array[T]; STRUCT(...) -> Struct{...}; MAP(K,V) -> Dict[K,V].
// Any other type (DATE, TIMESTAMP, HUGEINT, UUID, BLOB, UNION, ...) is a diagnostic when a
// program needs the column.
//
// A declared TableRead type wins over the source's: each declared row field is taken from the
// source column of that name, whose type must fit (see `conversion`); other columns are
// dropped. A declared key sorts the rows (semantics.md §7: a keyed table is in key order).

import type {
  DuckDBArrayValue,
  DuckDBConnection,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBType,
  DuckDBTypeId,
  DuckDBValue,
} from '@duckdb/node-api';
import { diagnostic, InternalError, UserError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { IR, TableReader } from '../../ir/nodes.js';
import { printType } from '../../ir/print.js';
import {
  emptyStruct,
  fieldIndex,
  primitive,
  tArray,
  tDict,
  tStruct,
  typeEqual,
  type StructType,
  type TableType,
  type Type,
} from '../../ir/types.js';
import { canonicalDict, canonicalSet, compareValues, type Value } from '../../ir/value.js';
import { forEachNode } from '../../ir/walk.js';
import { quoteIdent, quoteString } from '../duckdb/quote.js';
import { RuntimeError } from './errors.js';
import type { Row, TableSource } from './tables.js';
import type { ColumnReq, SourceReq } from '../../passes/requiredness.js';

export interface Sources {
  /** The type of each TableRead, from the source, for the type checker's `readerType` option. */
  readonly readerType: (r: TableReader) => TableType | undefined;
  /** Rows of each TableRead, in our value representation (for interpret's `source`). */
  readonly source: TableSource;
  /** What each source says of its columns' requiredness (for the requiredness analysis). */
  readonly readerRequiredness: (r: TableReader) => SourceReq | undefined;
  close(): Promise<void>;
}

type TableReadNode = Extract<IR, { kind: 'TableRead' }>;
type Ids = typeof DuckDBTypeId;

interface Column {
  readonly name: string;
  readonly duck: DuckDBType;
  /** Undefined when the DuckDB type has no IR type. */
  readonly type: Type | undefined;
}

/** Rows as positional structs of `stored`, with the per-type reshaping plans made so far. */
interface Loaded {
  readonly stored: StructType;
  readonly rows: readonly Row[];
  readonly plans: Map<TableType, () => Iterable<Row>>;
}

interface Source {
  readonly reader: TableReader;
  readonly nodes: TableReadNode[];
  columns: readonly Column[];
  loaded: Loaded | undefined;
  required?: SourceReq | undefined;
}

export function fromClause(r: TableReader): string {
  switch (r.name) {
    case 'DuckDBTableReader':
      return quoteIdent(r.table);
    case 'ParquetReader':
      return `read_parquet([${r.paths.map((p) => quoteString(p)).join(', ')}])`;
    case 'CSVReader':
      return `read_csv([${r.paths.map((p) => quoteString(p)).join(', ')}])`;
  }
}

export function readerKey(r: TableReader): string {
  return JSON.stringify(r.name === 'DuckDBTableReader' ? [r.name, r.table] : [r.name, r.paths]);
}

export function describeReader(r: TableReader): string {
  switch (r.name) {
    case 'DuckDBTableReader':
      return `the DuckDB table ${JSON.stringify(r.table)}`;
    case 'ParquetReader':
    case 'CSVReader': {
      const kind = r.name === 'ParquetReader' ? 'Parquet' : 'CSV';
      if (r.paths.length === 0) return `the ${kind} source with no paths`;
      return `the ${kind} file${r.paths.length === 1 ? '' : 's'} ${r.paths.map((p) => JSON.stringify(p)).join(', ')}`;
    }
  }
}

function names(r: TableReader): readonly string[] {
  return r.name === 'DuckDBTableReader' ? [r.table] : r.paths;
}

/**
 * The database `db` opened read-only (an in-memory one without it): one that cannot be opened
 * is the user's diagnostic.
 */
export async function openForReading(db: string | undefined): Promise<DuckDBInstance> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  try {
    return db === undefined ? await DuckDBInstance.create(':memory:') : await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  } catch (e) {
    throw new UserError([diagnostic('fileNotFound', null, `cannot open the DuckDB database ${JSON.stringify(db ?? ':memory:')}: ${duckMessage(e)}`)]);
  }
}

/** DuckDB's message without the echoed SQL and caret that follow it. */
function duckMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim();
}

function isOurs(e: unknown): boolean {
  return e instanceof InternalError || e instanceof RuntimeError || e instanceof UserError;
}

// ---- DuckDB types and values -----------------------------------------------------------------

export function irType(t: DuckDBType, Id: Ids): Type | undefined {
  switch (t.typeId) {
    case Id.BOOLEAN:
      return primitive('Boolean');
    case Id.TINYINT:
    case Id.SMALLINT:
    case Id.INTEGER:
      return primitive('Int32');
    case Id.BIGINT:
      return primitive('Int64');
    case Id.FLOAT:
      return primitive('Float32');
    case Id.DOUBLE:
    case Id.DECIMAL:
      return primitive('Float64');
    case Id.VARCHAR:
      return primitive('String');
    case Id.LIST:
    case Id.ARRAY: {
      const e = irType(t.valueType, Id);
      return e && tArray(e);
    }
    case Id.STRUCT: {
      const fields: [string, Type][] = [];
      for (let i = 0; i < t.entryNames.length; i++) {
        const f = irType(t.entryTypes[i]!, Id);
        if (f === undefined) return undefined;
        fields.push([t.entryNames[i]!, f]);
      }
      return tStruct(fields);
    }
    case Id.MAP: {
      const k = irType(t.keyType, Id);
      const v = irType(t.valueType, Id);
      return k && v && tDict(k, v);
    }
    default:
      return undefined;
  }
}

type FromDuck = (v: DuckDBValue) => Value;

/** Converts DuckDB's values of type `t` (which `irType` maps) to our representation. */
function fromDuck(t: DuckDBType, Id: Ids): FromDuck {
  const bad = (v: DuckDBValue): never => {
    throw new InternalError(`DuckDB returned ${String(v)} for a column of type ${t.toString()}`);
  };
  const orNull =
    (f: FromDuck): FromDuck =>
    (v) =>
      v === null ? null : f(v);
  switch (t.typeId) {
    case Id.BOOLEAN:
      return orNull((v) => (typeof v === 'boolean' ? v : bad(v)));
    case Id.TINYINT:
    case Id.SMALLINT:
    case Id.INTEGER:
    case Id.DOUBLE:
      return orNull((v) => (typeof v === 'number' ? v : bad(v)));
    case Id.FLOAT:
      return orNull((v) => (typeof v === 'number' ? Math.fround(v) : bad(v)));
    case Id.BIGINT:
      return orNull((v) => (typeof v === 'bigint' ? v : bad(v)));
    case Id.DECIMAL:
      // Through the decimal's exact text, so the result is the nearest double.
      return orNull((v) => Number((v as DuckDBDecimalValue).toString()));
    case Id.VARCHAR:
      return orNull((v) => (typeof v === 'string' ? v : bad(v)));
    case Id.LIST:
    case Id.ARRAY: {
      const e = fromDuck(t.valueType, Id);
      return orNull((v) => (v as DuckDBListValue | DuckDBArrayValue).items.map(e));
    }
    case Id.STRUCT: {
      const fs = t.entryTypes.map((f) => fromDuck(f, Id));
      const ns = t.entryNames;
      return orNull((v) => {
        const entries = (v as DuckDBStructValue).entries;
        return ns.map((n, i) => fs[i]!(entries[n] ?? null));
      });
    }
    case Id.MAP: {
      const k = fromDuck(t.keyType, Id);
      const val = fromDuck(t.valueType, Id);
      const key = irType(t.keyType, Id)!;
      return orNull((v) => canonicalDict(key, (v as DuckDBMapValue).entries.map((e) => [k(e.key), val(e.value)])));
    }
    default:
      throw new InternalError(`no conversion from DuckDB type ${t.toString()}`);
  }
}

// ---- declared types ------------------------------------------------------------------------

type Convert = (v: Value) => Value;
const same: Convert = (v) => v;

/**
 * How a source value of type `from` becomes a value of the declared type `to`, or undefined
 * when it does not fit. Fits: the same type; Int32 to Int64; Int64 to Int32 (a value out of
 * range is an `Input` error when read); Float32 to Float64; an array to a set (sorted,
 * deduplicated); and structurally, where a declared struct takes its fields by name.
 */
function conversion(to: Type, from: Type, column: string): Convert | undefined {
  if (typeEqual(to, from)) return same;
  switch (to.kind) {
    case 'Int32':
      if (from.kind !== 'Int64') return undefined;
      return (v) => {
        if (v === null) return null;
        const n = v as bigint;
        if (n < -2147483648n || n > 2147483647n) {
          throw new RuntimeError('Input', `TableRead: the value ${n} of column ${JSON.stringify(column)} does not fit the declared Int32`);
        }
        return Number(n);
      };
    case 'Int64':
      return from.kind === 'Int32' ? (v) => (v === null ? null : BigInt(v as number)) : undefined;
    case 'Float64':
      return from.kind === 'Float32' ? same : undefined;
    case 'Array':
    case 'Set': {
      if (from.kind !== 'Array') return undefined;
      const e = conversion(to.element, from.element, column);
      if (e === undefined) return undefined;
      if (to.kind === 'Array') return e === same ? same : (v) => (v === null ? null : (v as readonly Value[]).map(e));
      const element = to.element;
      return (v) => (v === null ? null : canonicalSet(element, (v as readonly Value[]).map(e)));
    }
    case 'Dict': {
      if (from.kind !== 'Dict') return undefined;
      const k = conversion(to.key, from.key, column);
      const val = conversion(to.value, from.value, column);
      if (k === undefined || val === undefined) return undefined;
      const key = to.key;
      return (v) =>
        v === null ? null : canonicalDict(key, (v as readonly (readonly Value[])[]).map((p) => [k(p[0]!), val(p[1]!)]));
    }
    case 'Struct': {
      if (from.kind !== 'Struct') return undefined;
      const plan = project(to, from, column);
      return typeof plan === 'string' ? undefined : plan;
    }
    default:
      return undefined;
  }
}

/** Takes the fields of `to` by name from a struct of type `from`, or says why it cannot. */
function project(to: StructType, from: StructType, column: string | undefined): Convert | string {
  const idx: number[] = [];
  const convs: Convert[] = [];
  for (const f of to.fields) {
    const i = fieldIndex(from, f.name);
    const label = column === undefined ? f.name : `${column}.${f.name}`;
    if (i < 0) return `${column === undefined ? 'column' : 'field'} ${JSON.stringify(label)} is not in the source`;
    const c = conversion(f.type, from.fields[i]!.type, label);
    if (c === undefined) {
      return `${column === undefined ? 'column' : 'field'} ${JSON.stringify(label)} is ${printType(from.fields[i]!.type)} in the source, which does not fit the declared ${printType(f.type)}`;
    }
    idx.push(i);
    convs.push(c);
  }
  if (idx.length === from.fields.length && idx.every((i, j) => i === j) && convs.every((c) => c === same)) return same;
  return (v) => (v === null ? null : idx.map((i, j) => convs[j]!((v as readonly Value[])[i]!)));
}

function rowsOf(loaded: Loaded, type: TableType): Iterable<Row> {
  let plan = loaded.plans.get(type);
  if (plan === undefined) {
    const convert = project(type.row, loaded.stored, undefined);
    if (typeof convert === 'string') throw new RuntimeError('Input', `TableRead: ${convert}`);
    const { rows } = loaded;
    if (type.key.length === 0) {
      plan =
        convert === same
          ? () => rows
          : function* () {
              for (const r of rows) yield convert(r) as Row;
            };
    } else {
      const key = type.key.map((k) => fieldIndex(type.row, k));
      const keyTypes = key.map((i) => type.row.fields[i]!.type);
      let sorted: readonly Row[] | undefined;
      plan = () => {
        // Array.prototype.sort is stable, so equal keys keep the source order.
        sorted ??= rows
          .map((r) => convert(r) as Row)
          .sort((a, b) => {
            for (let j = 0; j < key.length; j++) {
              const c = compareValues(keyTypes[j]!, a[key[j]!]!, b[key[j]!]!);
              if (c !== 0) return c;
            }
            return 0;
          });
        return sorted;
      };
    }
    loaded.plans.set(type, plan);
  }
  return plan();
}

// ---- preparing ---------------------------------------------------------------------------------

/** Opens DuckDB (in memory, or the file `db`), inspects and reads every TableRead in `ir`. */
export async function prepareSources(ir: IR, options: { db?: string } = {}): Promise<Sources> {
  const sources = new Map<string, Source>();
  forEachNode(ir, (node) => {
    if (node.kind !== 'TableRead') return;
    const key = readerKey(node.reader);
    const s = sources.get(key);
    if (s) s.nodes.push(node);
    else sources.set(key, { reader: node.reader, nodes: [node], columns: [], loaded: undefined });
  });

  const duckdb = await import('@duckdb/node-api');
  const Id = duckdb.DuckDBTypeId;
  const instance = await openForReading(options.db);
  let connection: DuckDBConnection | undefined;
  let open = true;
  const close = async (): Promise<void> => {
    if (!open) return;
    open = false;
    connection?.closeSync();
    instance.closeSync();
  };
  try {
    connection = await instance.connect();
    const diags: Diagnostic[] = [];
    for (const s of sources.values()) diags.push(...(await inspect(s, connection, Id, options.db)));
    if (diags.length === 0) {
      for (const s of sources.values()) diags.push(...(await load(s, connection, Id)));
    }
    if (diags.length === 0) for (const s of sources.values()) s.required = await sourceRequiredness(connection, s.reader, Id);
    if (diags.length > 0) throw new UserError(diags);
  } catch (e) {
    await close();
    throw e;
  }

  return {
    readerType(r) {
      const s = sources.get(readerKey(r));
      if (s === undefined || s.columns.some((c) => c.type === undefined)) return undefined;
      return { global: emptyStruct, key: [], row: tStruct(s.columns.map((c) => [c.name, c.type!])) };
    },
    source(reader, type) {
      const s = sources.get(readerKey(reader));
      if (s?.loaded === undefined) {
        throw new InternalError(`rows of ${describeReader(reader)} were not prepared (dropped, or not in the program given to prepareSources)`);
      }
      return rowsOf(s.loaded, type);
    },
    readerRequiredness: (r) => sources.get(readerKey(r))?.required,
    close,
  };
}

/** Reads the source's columns and checks every TableRead of it against them. */
async function inspect(s: Source, connection: DuckDBConnection, Id: Ids, db: string | undefined): Promise<Diagnostic[]> {
  const first = s.nodes[0]!;
  const what = describeReader(s.reader);
  if (names(s.reader).some((n) => n.includes('\u0000'))) {
    return [diagnostic('sourceUnreadable', first.span, `cannot read ${what}: the name contains a NUL character`)];
  }
  try {
    const result = await connection.runAndReadAll(`SELECT * FROM ${fromClause(s.reader)} LIMIT 0`);
    const types = result.columnTypes();
    s.columns = result.columnNames().map((name, i) => ({ name, duck: types[i]!, type: irType(types[i]!, Id) }));
  } catch (e) {
    if (isOurs(e)) throw e;
    const hint =
      s.reader.name === 'DuckDBTableReader' && db === undefined
        ? 'no DuckDB database was given, so there are no tables to read: give the database file that holds it'
        : undefined;
    return [diagnostic('sourceUnreadable', first.span, `cannot read ${what}: ${duckMessage(e)}`, hint)];
  }

  const diags: Diagnostic[] = [];
  const unsupported = new Set<string>();
  const needs = (node: TableReadNode, name: string) => {
    const c = s.columns.find((c) => c.name === name);
    if (c === undefined || c.type !== undefined || unsupported.has(name)) return;
    unsupported.add(name);
    diags.push(
      diagnostic(
        'unsupportedColumnType',
        node.span,
        `column ${JSON.stringify(name)} of ${what} has DuckDB type ${c.duck.toString()}, which irc cannot read`,
        `CAST it to a supported type in a view, e.g. CREATE VIEW v AS SELECT * REPLACE (CAST(${quoteIdent(name)} AS VARCHAR) AS ${quoteIdent(name)}) FROM ...; then read the view`,
      ),
    );
  };
  const known = tStruct(s.columns.flatMap((c) => (c.type === undefined ? [] : [[c.name, c.type] as const])));
  for (const node of s.nodes) {
    if (node.type === null) {
      for (const c of s.columns) needs(node, c.name);
      continue;
    }
    for (const f of node.type.row.fields) needs(node, f.name);
    // Only the row: sources have no globals, and declared ones read as all missing (tables.ts).
    const why = project(node.type.row, known, undefined);
    // A column with no IR type is reported above, not as a misfit.
    if (typeof why === 'string' && !node.type.row.fields.some((f) => unsupported.has(f.name))) {
      diags.push(diagnostic('sourceTypeMismatch', node.span, `${what} does not provide the declared type: ${why}`));
    }
  }
  return diags;
}

/** Reads the rows of the columns some TableRead needs, unless every TableRead drops its rows. */
async function load(s: Source, connection: DuckDBConnection, Id: Ids): Promise<Diagnostic[]> {
  if (s.nodes.every((n) => n.dropRows)) return [];
  const declared = s.nodes.every((n) => n.type !== null);
  const wanted = new Set(declared ? s.nodes.flatMap((n) => n.type!.row.fields.map((f) => f.name)) : s.columns.map((c) => c.name));
  const picked = s.columns.map((c, i) => [c, i] as const).filter(([c]) => wanted.has(c.name));
  const stored = tStruct(picked.map(([c]) => [c.name, c.type!]));
  const convs = picked.map(([c]) => fromDuck(c.duck, Id));
  const rows: Row[] = [];
  // Positional references (#n): names could be ambiguous to DuckDB, which ignores case.
  const list = picked.length === 0 ? '1' : picked.map(([, i]) => `#${i + 1}`).join(', ');
  try {
    const result = await connection.stream(`SELECT ${list} FROM ${fromClause(s.reader)}`);
    for await (const chunk of result.yieldRows()) {
      for (const r of chunk) rows.push(picked.length === 0 ? [] : convs.map((f, j) => f(r[j]!)));
    }
  } catch (e) {
    if (isOurs(e)) throw e;
    return [diagnostic('sourceUnreadable', s.nodes[0]!.span, `cannot read ${describeReader(s.reader)}: ${duckMessage(e)}`)];
  }
  s.loaded = { stored, rows, plans: new Map() };
  return [];
}

// ---- requiredness ------------------------------------------------------------------------------

/**
 * What a source says of its columns' requiredness (src/passes/requiredness.ts): a DuckDB
 * table's NOT NULL columns (inside a column anything may be missing but a map's key, which
 * DuckDB never allows missing), a Parquet file's required fields (in every file read); nothing
 * for CSV, or when the source cannot say.
 */
export async function sourceRequiredness(c: DuckDBConnection, r: TableReader, Id: Ids): Promise<SourceReq | undefined> {
  try {
    if (r.name === 'DuckDBTableReader') {
      const notNull = new Set(
        (await c.runAndReadAll(`DESCRIBE ${quoteIdent(r.table)}`)).getRowObjects().flatMap((x) => (x['null'] === 'NO' ? [String(x['column_name'])] : [])),
      );
      const result = await c.runAndReadAll(`SELECT * FROM ${fromClause(r)} LIMIT 0`);
      const types = result.columnTypes();
      return new Map(result.columnNames().map((name, i) => [name, duckColumn(types[i]!, notNull.has(name), Id)] as const));
    }
    if (r.name === 'ParquetReader') {
      let out: SourceReq | undefined;
      for (const path of r.paths) {
        const rows = (await c.runAndReadAll(`SELECT name, repetition_type, num_children, converted_type, logical_type FROM parquet_schema(${quoteString(path)})`)).getRowObjects();
        const file = parquetRequiredness(
          rows.map((x) => ({
            name: String(x['name']),
            repetition: String(x['repetition_type']),
            children: Number(x['num_children'] ?? 0),
            annotation: `${String(x['converted_type'] ?? '')} ${String(x['logical_type'] ?? '')}`,
          })),
        );
        if (file === undefined || (out !== undefined && !sameNames(out, file))) return undefined;
        out = out === undefined ? file : new Map([...out].map(([k, v]) => [k, meetColumns(v, file.get(k)!)] as const));
      }
      return out;
    }
    return undefined;
  } catch (e) {
    if (isOurs(e)) throw e;
    return undefined;
  }
}

function sameNames(a: SourceReq, b: SourceReq): boolean {
  const [x, y] = [[...a.keys()], [...b.keys()]];
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

/** Required where both are. */
function meetColumns(a: ColumnReq, b: ColumnReq | undefined): ColumnReq {
  if (b === undefined) return { required: false };
  const part = (x: ColumnReq | undefined, y: ColumnReq | undefined) => (x === undefined || y === undefined ? undefined : meetColumns(x, y));
  return {
    required: a.required && b.required,
    ...(a.element ? { element: part(a.element, b.element) } : {}),
    ...(a.key ? { key: part(a.key, b.key), value: part(a.value, b.value) } : {}),
    ...(a.fields ? { fields: new Map([...a.fields].map(([k, v]) => [k, meetColumns(v, b.fields?.get(k))] as const)) } : {}),
  };
}

/** A DuckDB column: NOT NULL only at its top; a map's keys are never missing. */
function duckColumn(t: DuckDBType, required: boolean, Id: Ids): ColumnReq {
  switch (t.typeId) {
    case Id.LIST:
    case Id.ARRAY:
      return { required, element: duckColumn(t.valueType, false, Id) };
    case Id.STRUCT:
      return { required, fields: new Map(t.entryNames.map((n, i) => [n, duckColumn(t.entryTypes[i]!, false, Id)] as const)) };
    case Id.MAP:
      return { required, key: duckColumn(t.keyType, true, Id), value: duckColumn(t.valueType, false, Id) };
    default:
      return { required };
  }
}

/** One element of a Parquet schema, as `parquet_schema` lists them (depth first). */
export interface ParquetElement {
  readonly name: string;
  /** REQUIRED, OPTIONAL or REPEATED. */
  readonly repetition: string;
  /** Children of a group; 0 for a primitive. */
  readonly children: number;
  /** The converted and logical types, as text (LIST, MAP, MAP_KEY_VALUE, ...). */
  readonly annotation: string;
}

/**
 * The columns of a Parquet schema (depth first, its root first): a REQUIRED field is never
 * missing. A LIST group's elements are its repeated child's child (or, in the legacy two-level
 * form, the repeated child itself); a MAP group's keys and values are its repeated child's two
 * children; a repeated field in no such group is a list, never missing, of elements that never
 * are. Undefined for a schema it cannot read.
 */
export function parquetRequiredness(schema: readonly ParquetElement[]): SourceReq | undefined {
  let i = 0;
  const next = (): ParquetElement => {
    const e = schema[i++];
    if (e === undefined) throw new RangeError('a Parquet schema ends early');
    return e;
  };
  /** Reads the descendants of `e`; nothing is known of them. */
  const skip = (e: ParquetElement): ColumnReq => {
    for (let k = 0; k < e.children; k++) skip(next());
    return { required: false };
  };
  /** The requiredness of `e`'s value, apart from its own repetition; reads its descendants. */
  const value = (e: ParquetElement): ColumnReq => {
    if (e.children === 0) return { required: true };
    if (/\bLIST\b|ListType/i.test(e.annotation) && e.children === 1) {
      const rep = next();
      if (rep.repetition !== 'REPEATED') return { required: true, element: skip(rep) };
      const element = rep.children === 1 ? field(next()) : value(rep);
      return { required: true, element };
    }
    if (/\bMAP\b|MAP_KEY_VALUE|MapType/i.test(e.annotation) && e.children === 1) {
      const kv = next();
      if (kv.repetition !== 'REPEATED' || kv.children !== 2) return { required: true, key: skip(kv), value: { required: false } };
      const key = field(next());
      return { required: true, key, value: field(next()) };
    }
    const fields = new Map<string, ColumnReq>();
    for (let k = 0; k < e.children; k++) {
      const f = next();
      fields.set(f.name, field(f));
    }
    return { required: true, fields };
  };
  /** `e` as a field: its value, and whether it may be missing. */
  const field = (e: ParquetElement): ColumnReq => {
    const v = value(e);
    return e.repetition === 'REPEATED' ? { required: true, element: v } : { ...v, required: e.repetition === 'REQUIRED' };
  };
  try {
    const root = next();
    const columns = new Map<string, ColumnReq>();
    for (let k = 0; k < root.children; k++) {
      const c = next();
      columns.set(c.name, field(c));
    }
    return i === schema.length ? columns : undefined;
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
