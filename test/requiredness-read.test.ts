// Requiredness of TableRead: from what the source says (src/backends/interpret/read.ts,
// `sourceRequiredness`): a DuckDB table's NOT NULL columns, a Parquet file's required fields.
// Both readers (the interpreter's prepareSources, the SQL backend's describeSources) give it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, withDuck } from './util.js';
import { describeSources } from '../src/backends/duckdb/run.js';
import { interpret } from '../src/backends/interpret/index.js';
import { parquetRequiredness, prepareSources, type ParquetElement } from '../src/backends/interpret/read.js';
import type { TableReader } from '../src/ir/nodes.js';
import { printRequiredTableType, printString } from '../src/ir/print.js';
import { parse } from '../src/parse/index.js';
import { analyzeRequiredness, type ColumnReq, type SourceReq } from '../src/passes/requiredness.js';
import { typecheck } from '../src/passes/typecheck.js';
import type { TableType } from '../src/ir/types.js';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'irc-req-'));
  db = join(dir, 'test.duckdb');
  await withDuck(db, async (c) => {
    await c.run(`CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR, l INTEGER[] NOT NULL, s STRUCT(x INTEGER) NOT NULL, m MAP(VARCHAR, INTEGER))`);
    await c.run(`INSERT INTO t VALUES (1, NULL, [1, NULL], {'x': NULL}, MAP {'k': NULL}), (2, 'b', [], {'x': 2}, NULL)`);
    await c.run(`COPY t TO '${join(dir, 't.parquet')}' (FORMAT parquet)`);
  });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const duck = (table: string): TableReader => ({ name: 'DuckDBTableReader', table });
const read = (reader: TableReader, type = 'None') => `(TableRead ${type} False ${printString(JSON.stringify(reader))})`;

/** The read's table type with requiredness, through the interpreter's sources. */
async function marked(text: string): Promise<string> {
  const ir = parse(text);
  const sources = await prepareSources(ir, { db });
  try {
    const info = typecheck(ir, { readerType: sources.readerType });
    expect(info.diagnostics).toEqual([]);
    const req = analyzeRequiredness(ir, info.types, { readerRequiredness: sources.readerRequiredness });
    // The rows agree: no field missing where the source says required.
    const r = interpret(ir, { readerType: sources.readerType, source: sources.source });
    if (r.kind !== 'table') throw new Error('expected a table');
    const row = req.table(ir)!.row;
    expect(r.rows.length).toBeGreaterThan(0);
    for (const x of r.rows) row.fields!.forEach((f, i) => f.required && expect((x as readonly unknown[])[i]).not.toBeNull());
    return printRequiredTableType(info.types.get(ir) as TableType, req.table(ir)!);
  } finally {
    await sources.close();
  }
}

describe('requiredness of TableRead', () => {
  test('a DuckDB table: NOT NULL columns are required, and a map key', async () => {
    expect(await marked(read(duck('t')))).toBe(
      'Table{global:+Struct{},key:[],row:+Struct{a:+Int32,b:String,l:+Array[Int32],s:+Struct{x:Int32},m:Dict[+String,Int32]}}',
    );
  });

  test('a declared type takes each field by name, and a declared global is missing', async () => {
    const type = 'Table{global:Struct{g:Int32},key:[a],row:Struct{m:Dict[String,Int32],a:Int64,l:Set[Int32]}}';
    expect(await marked(read(duck('t'), type))).toBe('Table{global:+Struct{g:Int32},key:[a],row:+Struct{m:Dict[+String,Int32],a:+Int64,l:+Set[Int32]}}');
  });

  test('irc compile --emit typed --db marks what the table says (a Parquet file without --db)', async () => {
    const type = 'Table{global:Struct{},key:[],row:Struct{a:Int32,b:String}}';
    const r = await runCli(['compile', '-', '--emit', 'typed', '--db', db], read(duck('t'), type));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('; Table{global:+Struct{},key:[],row:+Struct{a:+Int32,b:String}}');
    // (DuckDB writes every Parquet column optional but a map's key.)
    const pqType = 'Table{global:Struct{},key:[],row:Struct{a:Int32,m:Dict[String,Int32]}}';
    const pq = await runCli(['compile', '-', '--emit', 'typed'], read({ name: 'ParquetReader', paths: [join(dir, 't.parquet')] }, pqType));
    expect(pq.code).toBe(0);
    expect(pq.stdout.split('\n')[0]).toBe('; Table{global:+Struct{},key:[],row:+Struct{a:Int32,m:Dict[+String,Int32]}}');
    // A database that does not exist is the user's error, for --emit sql too (opened read-only, never created).
    for (const emit of ['typed', 'sql']) {
      const bad = await runCli(['compile', '-', '--emit', emit, '--db', join(dir, 'none.duckdb')], read(duck('t'), type));
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('error IRC9001: cannot open the DuckDB database');
      expect(bad.stderr).not.toContain('internal error');
    }
  });

  test('without what the source says, nothing is required', async () => {
    const ir = parse(read(duck('t'), 'Table{global:Struct{},key:[],row:Struct{a:Int32,l:Array[Int32]}}'));
    const info = typecheck(ir);
    const req = analyzeRequiredness(ir, info.types);
    expect(printRequiredTableType(info.types.get(ir) as TableType, req.table(ir)!)).toBe('Table{global:+Struct{},key:[],row:+Struct{a:Int32,l:Array[Int32]}}');
  });

  test('a Parquet file written by DuckDB: only a map key is required', async () => {
    expect(await marked(read({ name: 'ParquetReader', paths: [join(dir, 't.parquet')] }))).toBe(
      'Table{global:+Struct{},key:[],row:+Struct{a:Int32,b:String,l:Array[Int32],s:Struct{x:Int32},m:Dict[+String,Int32]}}',
    );
  });

  test('the SQL backend describes the same requiredness', async () => {
    const ir = parse(read(duck('t')));
    await withDuck(db, async (c) => {
      const sources = await describeSources(c, ir);
      const a = sources.readerRequiredness(duck('t'))!;
      expect([...a].map(([k, v]) => `${k}:${v.required}`)).toEqual(['a:true', 'b:false', 'l:true', 's:true', 'm:false']);
      expect(a.get('m')!.key!.required).toBe(true);
    });
  });
});

describe('Parquet schemas', () => {
  const el = (name: string, repetition: string, children = 0, annotation = ''): ParquetElement => ({ name, repetition, children, annotation });
  const show = (c: ColumnReq | undefined): string => {
    if (c === undefined) return '?';
    const mark = c.required ? '+' : '';
    if (c.element) return `${mark}[${show(c.element)}]`;
    if (c.key) return `${mark}{${show(c.key)}:${show(c.value)}}`;
    if (c.fields) return `${mark}(${[...c.fields].map(([k, v]) => `${k} ${show(v)}`).join(', ')})`;
    return `${mark}x`;
  };
  const columns = (s: SourceReq | undefined) => (s === undefined ? 'unreadable' : [...s].map(([k, v]) => `${k} ${show(v)}`).join('; '));

  test('required fields, three-level lists, maps, structs', () => {
    const schema = [
      el('schema', 'REQUIRED', 5),
      el('id', 'REQUIRED'),
      el('name', 'OPTIONAL'),
      el('xs', 'REQUIRED', 1, 'LIST'),
      el('list', 'REPEATED', 1),
      el('element', 'REQUIRED'),
      el('m', 'OPTIONAL', 1, 'MAP'),
      el('key_value', 'REPEATED', 2),
      el('key', 'REQUIRED'),
      el('value', 'OPTIONAL', 2),
      el('p', 'REQUIRED'),
      el('q', 'OPTIONAL'),
      el('s', 'REQUIRED', 2),
      el('a', 'OPTIONAL'),
      el('b', 'REQUIRED'),
    ];
    expect(columns(parquetRequiredness(schema))).toBe('id +x; name x; xs +[+x]; m {+x:(p +x, q x)}; s +(a x, b +x)');
  });

  test('legacy lists and bare repeated fields: never missing, nor their elements', () => {
    const schema = [el('schema', 'REQUIRED', 3), el('a', 'OPTIONAL', 1, 'LIST'), el('array', 'REPEATED'), el('r', 'REPEATED'), el('t', 'REPEATED', 2), el('u', 'OPTIONAL'), el('v', 'REQUIRED')];
    expect(columns(parquetRequiredness(schema))).toBe('a [+x]; r +[+x]; t +[+(u x, v +x)]');
  });

  test('a schema that ends early or runs over is not read', () => {
    expect(parquetRequiredness([el('schema', 'REQUIRED', 2), el('a', 'REQUIRED')])).toBeUndefined();
    expect(parquetRequiredness([el('schema', 'REQUIRED', 1), el('a', 'REQUIRED'), el('b', 'REQUIRED')])).toBeUndefined();
  });
});
