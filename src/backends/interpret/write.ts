// TableWrite for the reference interpreter: the rows each TableWrite collected while the
// (synchronous) program ran, written through DuckDB after it returns. So a program never
// observes its own writes.
//
// IR type -> DuckDB type:
//   Boolean BOOLEAN; Int32 INTEGER; Int64 BIGINT; Float32 FLOAT; Float64 DOUBLE; String VARCHAR;
//   Array[T], Set[T] T[]; Dict[K,V] MAP(K,V); Struct{...} STRUCT(...); Tuple STRUCT with fields
//   named by their index ("0", "1", ...).
// Void, Stream and empty structs have no DuckDB type: an `unsupportedWriteType` diagnostic.
//
// Rows go in through DuckDB's appender, each value converted by our code: no value is ever
// SQL text. Names and paths that reach SQL go through ../duckdb/quote.ts.
//
// DuckDBTableWriter: CREATE OR REPLACE TABLE in the database file `db`, in one transaction
// with its rows. ParquetWriter: a table in an in-memory database, then COPY ... TO the path.
// Writes run in program order (so the last write of a target wins); the first failure stops.

import type { DuckDBConnection, DuckDBInstance, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { diagnostic, UserError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span, TableWriter } from '../../ir/nodes.js';
import type { TableType, Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { printSqlType } from '../duckdb/print.js';
import { quoteIdent, quoteString } from '../duckdb/quote.js';
import { sqlType } from '../duckdb/sql.js';
import type { Row } from './tables.js';

export interface Write {
  readonly writer: TableWriter;
  readonly type: TableType;
  readonly rows: readonly Row[];
  /** The TableWrite node's span, so a failed write is reported at file:line:col. */
  readonly span?: Span;
}

type Api = typeof import('@duckdb/node-api');
type ToDuck = (v: Value) => DuckDBValue;

function describeWriter(w: TableWriter): string {
  return w.name === 'DuckDBTableWriter' ? `the DuckDB table ${JSON.stringify(w.table)}` : `the Parquet file ${JSON.stringify(w.path)}`;
}

/** DuckDB's message without the echoed SQL and caret that follow it. */
function duckMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim();
}

/** Why `t` has no DuckDB column type (the mapping itself is `sqlType` in duckdb/sql.ts), or null. */
function unwritable(t: Type): string | null {
  switch (t.kind) {
    case 'Void':
    case 'Stream':
      return `the type ${t.kind}`;
    case 'Array':
    case 'Set':
      return unwritable(t.element);
    case 'Dict':
      return unwritable(t.key) ?? unwritable(t.value);
    case 'Struct':
    case 'Tuple': {
      if (t.fields.length === 0) return 'an empty struct or tuple';
      for (const f of t.fields) {
        if ('name' in f && f.name.includes('\u0000')) return `the field name ${JSON.stringify(f.name)}, which contains a NUL character`;
        const why = unwritable(f.type);
        if (why !== null) return why;
      }
      return null;
    }
    default:
      return null;
  }
}

/** Converts our values of type `t` to the node API's, for the appender. */
function toDuck(t: Type, api: Api): ToDuck {
  const orNull =
    (f: (v: Value) => DuckDBValue): ToDuck =>
    (v) =>
      v === null ? null : f(v);
  switch (t.kind) {
    case 'Array':
    case 'Set': {
      const e = toDuck(t.element, api);
      return orNull((v) => api.listValue((v as readonly Value[]).map(e)));
    }
    case 'Dict': {
      const k = toDuck(t.key, api);
      const val = toDuck(t.value, api);
      return orNull((v) => api.mapValue((v as readonly (readonly Value[])[]).map((p) => ({ key: k(p[0]!), value: val(p[1]!) }))));
    }
    case 'Struct':
    case 'Tuple': {
      const names = t.kind === 'Struct' ? t.fields.map((f) => f.name) : t.fields.map((f) => String(f.index));
      const fs = t.fields.map((f) => toDuck(f.type, api));
      return orNull((v) => {
        const entries: Record<string, DuckDBValue> = {};
        // defineProperty: a field named __proto__ is data, not the prototype.
        names.forEach((n, i) => Object.defineProperty(entries, n, { value: fs[i]!((v as readonly Value[])[i]!), enumerable: true }));
        return api.structValue(entries);
      });
    }
    default:
      // Booleans, numbers, bigints and strings are the node API's values as they are.
      return (v) => v as DuckDBValue;
  }
}

/** Creates (or replaces) `table` with the row type of `type` and appends the rows. */
async function fill(c: DuckDBConnection, api: Api, w: Write, table: string): Promise<void> {
  const columns = w.type.row.fields.map((f) => `${quoteIdent(f.name)} ${printSqlType(sqlType(f.type))}`);
  const target = quoteIdent(table);
  await c.run(`CREATE OR REPLACE TABLE ${target} (${columns.join(', ')})`);
  // DuckDB's own types for the columns, as the appender wants them.
  const types: DuckDBType[] = (await c.runAndReadAll(`SELECT * FROM ${target} LIMIT 0`)).columnTypes();
  const convs = w.type.row.fields.map((f) => toDuck(f.type, api));
  const appender = await c.createAppender(table);
  try {
    for (const row of w.rows) {
      for (let i = 0; i < convs.length; i++) appender.appendValue(convs[i]!(row[i]!), types[i]);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Why `w` cannot be written whatever the database says, or undefined. */
function check(w: Write, db: string | undefined): Diagnostic | undefined {
  const what = describeWriter(w.writer);
  const name = w.writer.name === 'DuckDBTableWriter' ? w.writer.table : w.writer.path;
  if (name.includes('\u0000')) return diagnostic('writeFailed', w.span, `cannot write ${what}: the name contains a NUL character`);
  if (w.writer.name === 'DuckDBTableWriter' && db === undefined) {
    return diagnostic('writeFailed', w.span, `cannot write ${what}: no DuckDB database was given`, 'pass --db <file> to name the database to write to');
  }
  if (w.type.row.fields.length === 0) return diagnostic('unsupportedWriteType', w.span, `cannot write ${what}: its rows have no fields, and a DuckDB table needs a column`);
  for (const f of w.type.row.fields) {
    const why = f.name.includes('\u0000') ? 'a column name with a NUL character' : unwritable(f.type);
    if (why !== null) {
      return diagnostic('unsupportedWriteType', w.span, `cannot write ${what}: column ${JSON.stringify(f.name)} holds ${why}, which has no DuckDB type`);
    }
  }
  return undefined;
}

/**
 * Performs the collected writes in order: DuckDB tables into the database file `db` (required
 * for them), Parquet files through an in-memory database. Failures are `UserError`s naming the
 * target; writes before the failing one stay done.
 */
export async function performWrites(writes: readonly Write[], options: { db?: string } = {}): Promise<void> {
  if (writes.length === 0) return;
  const diags = writes.flatMap((w) => check(w, options.db) ?? []);
  if (diags.length > 0) throw new UserError(diags);

  const api = await import('@duckdb/node-api');
  const opened: { instance: DuckDBInstance; connection: DuckDBConnection }[] = [];
  let memory: DuckDBConnection | undefined;
  let file: DuckDBConnection | undefined;
  const open = async (path: string): Promise<DuckDBConnection> => {
    let instance: DuckDBInstance;
    try {
      instance = await api.DuckDBInstance.create(path);
    } catch (e) {
      throw new UserError([diagnostic('writeFailed', null, `cannot open the DuckDB database ${JSON.stringify(path)} for writing: ${duckMessage(e)}`)]);
    }
    try {
      const connection = await instance.connect();
      opened.push({ instance, connection });
      return connection;
    } catch (e) {
      instance.closeSync();
      throw e;
    }
  };

  try {
    let n = 0;
    for (const w of writes) {
      const what = describeWriter(w.writer);
      try {
        if (w.writer.name === 'DuckDBTableWriter') {
          file ??= await open(options.db!);
          await file.run('BEGIN TRANSACTION');
          try {
            await fill(file, api, w, w.writer.table);
            await file.run('COMMIT');
          } catch (e) {
            await file.run('ROLLBACK');
            throw e;
          }
        } else {
          memory ??= await open(':memory:');
          const table = `irc_write_${n++}`;
          await fill(memory, api, w, table);
          await memory.run(`COPY ${quoteIdent(table)} TO ${quoteString(w.writer.path)} (FORMAT parquet)`);
          await memory.run(`DROP TABLE ${quoteIdent(table)}`);
        }
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError([diagnostic('writeFailed', w.span, `cannot write ${what}: ${duckMessage(e)}`)]);
      }
    }
  } finally {
    for (const { instance, connection } of opened) {
      connection.closeSync();
      instance.closeSync();
    }
  }
}
