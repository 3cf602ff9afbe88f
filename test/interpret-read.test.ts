// TableRead in the reference interpreter (src/backends/interpret/read.ts): DuckDB tables,
// Parquet and CSV files, written here by DuckDB itself, read back into our value
// representation. Values are compared through `show`, which tells -0 from 0, a bigint from a
// number, and prints NaN.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDuck } from './util.js';
import { interpret, RuntimeError } from '../src/backends/interpret/index.js';
import { prepareSources } from '../src/backends/interpret/read.js';
import { UserError, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import type { TableReader } from '../src/ir/nodes.js';
import { printString, printTableType } from '../src/ir/print.js';
import type { Value } from '../src/ir/value.js';
import { parse } from '../src/parse/index.js';

const f32 = Math.fround;
const HOSTILE_TABLE = 't"; DROP TABLE x; --';
const HOSTILE_FILE = `it's "odd"']); DROP TABLE x; --.parquet`;

let dir: string;
let db: string;
const file = (name: string) => join(dir, name);


/** A SQL string literal, written out here rather than taken from read.ts. */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

const ALL_COLUMNS = `(
  b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, f32 FLOAT, f64 DOUBLE,
  dec DECIMAL(18,3), s VARCHAR, l INTEGER[], st STRUCT(x INTEGER, "y z" VARCHAR),
  m MAP(VARCHAR, BIGINT), deep STRUCT(a DOUBLE[], m MAP(INTEGER, VARCHAR[]))[]
)`;
const ALL_ROWS = `
  (true, -128, -32768, -2147483648, -9223372036854775808, 0.1, 'nan', -123456789012345.678,
   'héllo "wörld" it''s 🎉', [1, NULL, 3], {'x': 1, 'y z': 'a"b'}, MAP {'b': 2, 'a': 1},
   [{'a': [1.5, NULL], 'm': MAP {2: ['x'], 1: NULL}}]),
  (false, 127, 32767, 2147483647, 9223372036854775807, '-0.0', '-0.0', 0.001,
   '', [], {'x': NULL, 'y z': NULL}, MAP {}, []),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (true, 0, 0, 0, 0, 'inf', '-inf', -0.5, '''; DROP TABLE t; --', NULL, NULL, NULL, [NULL]),
  (false, 1, 2, 3, 4, '-inf', 'inf', 7, 'x', [NULL], {'x': 5, 'y z': ''}, MAP {'k': NULL}, NULL)`;

const ALL_TYPE =
  'Table{global:Struct{},key:[],row:Struct{b:Boolean,i8:Int32,i16:Int32,i32:Int32,i64:Int64,f32:Float32,' +
  'f64:Float64,dec:Float64,s:String,l:Array[Int32],st:Struct{x:Int32,`y z`:String},m:Dict[String,Int64],' +
  'deep:Array[Struct{a:Array[Float64],m:Dict[Int32,Array[String]]}]}}';

const ALL_VALUES: Value[][] = [
  [
    true, -128, -32768, -2147483648, -9223372036854775808n, f32(0.1), NaN, -123456789012345.678,
    'héllo "wörld" it\'s 🎉', [1, null, 3], [1, 'a"b'], [['a', 1n], ['b', 2n]],
    [[[1.5, null], [[1, null], [2, ['x']]]]],
  ],
  [false, 127, 32767, 2147483647, 9223372036854775807n, -0, -0, 0.001, '', [], [null, null], [], []],
  [null, null, null, null, null, null, null, null, null, null, null, null, null],
  [true, 0, 0, 0, 0n, Infinity, -Infinity, -0.5, "'; DROP TABLE t; --", null, null, null, [null]],
  [false, 1, 2, 3, 4n, -Infinity, Infinity, 7, 'x', [null], [5, ''], [['k', null]], null],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'irc-read-'));
  db = file('test.duckdb');
  await withDuck(db, async (c) => {
    await c.run(`CREATE TABLE t ${ALL_COLUMNS}`);
    await c.run(`INSERT INTO t VALUES ${ALL_ROWS}`);
    await c.run(`CREATE TABLE x (a INTEGER)`);
    await c.run(`CREATE TABLE "t""; DROP TABLE x; --" (a INTEGER, "b""c" VARCHAR)`);
    await c.run(`INSERT INTO "t""; DROP TABLE x; --" VALUES (1, 'one'), (2, NULL)`);
    await c.run(`CREATE TABLE dates (id INTEGER, d DATE)`);
    await c.run(`INSERT INTO dates VALUES (1, DATE '2020-01-01')`);
    await c.run(`CREATE TABLE big (n BIGINT)`);
    await c.run(`INSERT INTO big VALUES (5), (3000000000)`);
    await c.run(`COPY t TO ${lit(file('all.parquet'))} (FORMAT parquet)`);
    await c.run(`COPY (SELECT i32, i64, f64, s FROM t WHERE s <> '') TO ${lit(file('some.csv'))} (HEADER)`);
    await c.run(`COPY (SELECT 1 AS n UNION ALL SELECT 2) TO ${lit(file('b.parquet'))} (FORMAT parquet)`);
    await c.run(`COPY (SELECT 3 AS n) TO ${lit(file('a.parquet'))} (FORMAT parquet)`);
    await c.run(`COPY (SELECT 'hostile' AS s) TO ${lit(file(HOSTILE_FILE))} (FORMAT parquet)`);
  });
  expect(existsSync(file(HOSTILE_FILE))).toBe(true);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- helpers ----------------------------------------------------------------------------------

function show(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return `<${typeof v}>`;
}

const duck = (table: string): TableReader => ({ name: 'DuckDBTableReader', table });
const parquet = (...paths: string[]): TableReader => ({ name: 'ParquetReader', paths });
const csv = (...paths: string[]): TableReader => ({ name: 'CSVReader', paths });

function read(reader: TableReader, type = 'None', dropRows = false): string {
  return `(TableRead ${type} ${dropRows ? 'True' : 'False'} ${printString(JSON.stringify(reader))})`;
}

async function run(text: string, options: { db?: string } = {}) {
  const ir = parse(text);
  const sources = await prepareSources(ir, options);
  try {
    return interpret(ir, { readerType: sources.readerType, source: sources.source, strict: true });
  } finally {
    await sources.close();
  }
}

/** The value of a value program. */
async function evaluate(text: string, options: { db?: string } = {}): Promise<Value> {
  const r = await run(text, options);
  if (r.kind !== 'value') throw new Error('expected a value program');
  return r.value;
}

/** The rows of `(TableCollect t)`. */
async function collect(table: string, options: { db?: string } = {}): Promise<readonly Value[]> {
  const v = await evaluate(`(TableCollect ${table})`, options);
  return (v as readonly Value[])[0] as readonly Value[];
}

async function typeOf(reader: TableReader, options: { db?: string } = {}): Promise<string | undefined> {
  const sources = await prepareSources(parse(`(TableCount ${read(reader)})`), options);
  try {
    const t = sources.readerType(reader);
    return t && printTableType(t);
  } finally {
    await sources.close();
  }
}

async function diagnostics(text: string, options: { db?: string } = {}): Promise<readonly Diagnostic[]> {
  try {
    await run(text, options);
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected a UserError');
}

// ---- tests ------------------------------------------------------------------------------------

describe('every supported type', () => {
  it('a DuckDB table: its type and exact values', async () => {
    expect(await typeOf(duck('t'), { db })).toBe(ALL_TYPE);
    const rows = await collect(read(duck('t')), { db });
    expect(rows.map(show)).toEqual(ALL_VALUES.map(show));
    const i64 = rows.map((r) => (r as readonly Value[])[4]);
    expect(typeof i64[0]).toBe('bigint');
    expect(i64[0]).toBe(-(2n ** 63n));
    expect(i64[1]).toBe(2n ** 63n - 1n);
  });

  it('a Parquet file written from it reads back the same', async () => {
    expect(await typeOf(parquet(file('all.parquet')))).toBe(ALL_TYPE);
    const rows = await collect(read(parquet(file('all.parquet'))));
    expect(rows.map(show)).toEqual(ALL_VALUES.map(show));
  });

  it('a CSV file, with the types DuckDB detects', async () => {
    expect(await typeOf(csv(file('some.csv')))).toBe(
      'Table{global:Struct{},key:[],row:Struct{i32:Int64,i64:Int64,f64:Float64,s:String}}',
    );
    const rows = await collect(read(csv(file('some.csv'))));
    expect(rows.map(show)).toEqual(
      [
        [-2147483648n, -9223372036854775808n, NaN, 'héllo "wörld" it\'s 🎉'],
        [0n, 0n, -Infinity, "'; DROP TABLE t; --"],
        [3n, 4n, Infinity, 'x'],
      ].map(show),
    );
  });

  it('several files are read in the order given', async () => {
    const rows = await collect(read(parquet(file('b.parquet'), file('a.parquet'))));
    expect(rows.map(show)).toEqual([[1], [2], [3]].map(show));
    const back = await collect(read(parquet(file('a.parquet'), file('b.parquet'))));
    expect(back.map(show)).toEqual([[3], [1], [2]].map(show));
  });
});

describe('declared types', () => {
  it('select and reorder columns by name', async () => {
    const t = 'Table{global:Struct{},key:[],row:Struct{s:String,i64:Int64}}';
    const rows = await collect(read(duck('t'), t), { db });
    expect(rows.map(show)).toEqual(ALL_VALUES.map((r) => show([r[8]!, r[4]!])));
  });

  it('a declared key sorts the rows by it, missing last, stably', async () => {
    const t = 'Table{global:Struct{},key:[b],row:Struct{b:Boolean,i32:Int32}}';
    const rows = await collect(read(duck('t'), t), { db });
    expect(rows.map(show)).toEqual(
      [
        [false, 2147483647],
        [false, 3],
        [true, -2147483648],
        [true, 0],
        [null, null],
      ].map(show),
    );
  });

  it('widen integers, narrow them with a check, and make sets of arrays', async () => {
    const t = 'Table{global:Struct{},key:[],row:Struct{i32:Int32,l:Set[Int64],st:Struct{`y z`:String},f32:Float64}}';
    const rows = await collect(read(duck('t'), t), { db });
    expect(rows.map(show)).toEqual(
      [
        [-2147483648, [1n, 3n, null], ['a"b'], f32(0.1)],
        [2147483647, [], [null], -0],
        [null, null, null, null],
        [0, null, null, Infinity],
        [3, [null], [''], -Infinity],
      ].map(show),
    );
    const narrowed = await collect(read(csv(file('some.csv')), 'Table{global:Struct{},key:[],row:Struct{i32:Int32}}'));
    expect(narrowed.map(show)).toEqual([[-2147483648], [0], [3]].map(show));
    const e = await run(`(TableCollect ${read(duck('big'), 'Table{global:Struct{},key:[],row:Struct{n:Int32}}')})`, { db }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as RuntimeError).errorClass).toBe('Input');
    expect((e as RuntimeError).message).toContain('3000000000');
  });

  it('one source read under two types in one program', async () => {
    const text =
      `(MakeTuple (0 1) (TableCollect ${read(duck('t'))}) ` +
      `(TableCollect ${read(duck('t'), 'Table{global:Struct{},key:[],row:Struct{i8:Int32}}')}))`;
    const v = await evaluate(text, { db });
    const [all, some] = (v as readonly Value[]).map((c) => (c as readonly Value[])[0] as readonly Value[]);
    expect(all!.map(show)).toEqual(ALL_VALUES.map(show));
    expect(some!.map(show)).toEqual(ALL_VALUES.map((row) => show([row[1]!])));
  });

  it('a type that does not fit is a diagnostic at the TableRead', async () => {
    const text = `(TableCount ${read(duck('t'), 'Table{global:Struct{},key:[],row:Struct{s:Int32}}')})`;
    const [d, ...rest] = await diagnostics(text, { db });
    expect(rest).toEqual([]);
    expect(d!.code).toBe('IRC9005');
    expect(d!.message).toContain('"s"');
    expect(d!.message).toContain('String');
    expect(d!.span?.start).toBe(text.indexOf('(TableRead'));

    const missing = await diagnostics(`(TableCount ${read(duck('t'), 'Table{global:Struct{},key:[],row:Struct{nope:Int32}}')})`, { db });
    expect(missing.map((x) => x.code)).toEqual(['IRC9005']);
    expect(missing[0]!.message).toContain('"nope"');

    const narrowFloat = await diagnostics(`(TableCount ${read(duck('t'), 'Table{global:Struct{},key:[],row:Struct{f64:Float32}}')})`, { db });
    expect(narrowFloat.map((x) => x.code)).toEqual(['IRC9005']);
  });

  it('declared globals read as missing fields (sources have none)', async () => {
    const v = await evaluate(`(TableCollect ${read(duck('x'), 'Table{global:Struct{g:Int32},key:[],row:Struct{a:Int32}}')})`, { db });
    expect(show(v)).toBe(show([[], [null]]));
  });

  it('dropRows still gives the schema', async () => {
    expect(await evaluate(`(TableCount ${read(duck('t'), 'None', true)})`, { db })).toBe(0n);
  });

  it('a declared row with no fields still has every row', async () => {
    const n = await evaluate(`(ArrayLen (GetField rows (TableCollect ${read(duck('t'), 'Table{global:Struct{},key:[],row:Struct{}}')})))`, { db });
    expect(n).toBe(ALL_VALUES.length);
  });
});

describe('sources that cannot be read', () => {
  it('a missing table names it, at the TableRead', async () => {
    const text = `(TableCount\n  ${read(duck('absent'))})`;
    const [d, ...rest] = await diagnostics(text, { db });
    expect(rest).toEqual([]);
    expect(d!.code).toBe('IRC9003');
    expect(d!.message).toContain('"absent"');
    expect(d!.message).not.toContain('LINE 1');
    expect(d!.span?.start).toBe(text.indexOf('(TableRead'));
  });

  it('a table with no database open says so', async () => {
    const [d] = await diagnostics(`(TableCount ${read(duck('t'))})`);
    expect(d!.code).toBe('IRC9003');
    expect(d!.hint).toContain('no DuckDB database');
  });

  it('a missing file names it', async () => {
    const path = file('nowhere.parquet');
    const [d] = await diagnostics(`(TableCount ${read(parquet(path))})`);
    expect(d!.code).toBe('IRC9003');
    expect(d!.message).toContain(path);
    const [c] = await diagnostics(`(TableCount ${read(csv(file('nowhere.csv')))})`);
    expect(c!.code).toBe('IRC9003');
    expect(c!.message).toContain('nowhere.csv');
  });

  it('a missing database file', async () => {
    const [d] = await diagnostics(`(TableCount ${read(duck('t'))})`, { db: file('none.duckdb') });
    expect(d!.code).toBe('IRC9001');
    expect(d!.message).toContain('none.duckdb');
  });

  it('a column type with no IR type is named, with its DuckDB type', async () => {
    const [d, ...rest] = await diagnostics(`(TableCount ${read(duck('dates'))})`, { db });
    expect(rest).toEqual([]);
    expect(d!.code).toBe('IRC9004');
    expect(d!.message).toContain('"d"');
    expect(d!.message).toContain('DATE');
    expect(d!.hint).toContain('CAST');
  });

  it('an unsupported column a declared type leaves out is dropped', async () => {
    const rows = await collect(read(duck('dates'), 'Table{global:Struct{},key:[],row:Struct{id:Int32}}'), { db });
    expect(rows.map(show)).toEqual([[1]].map(show));
  });
});

describe('names are data, never SQL', () => {
  it('a hostile table name is read as a name, and nothing else runs', async () => {
    expect(await typeOf(duck(HOSTILE_TABLE), { db })).toBe('Table{global:Struct{},key:[],row:Struct{a:Int32,`b"c`:String}}');
    const rows = await collect(read(duck(HOSTILE_TABLE)), { db });
    expect(rows.map(show)).toEqual(
      [
        [1, 'one'],
        [2, null],
      ].map(show),
    );
    const tables = await withDuck(db, async (c) => (await c.runAndReadAll('SELECT table_name FROM duckdb_tables() ORDER BY table_name')).getRows().map((r) => r[0]));
    expect(tables).toContain('x');
    expect(tables).toContain(HOSTILE_TABLE);
  });

  it('a hostile path is read as a path', async () => {
    const rows = await collect(read(parquet(file(HOSTILE_FILE))));
    expect(rows.map(show)).toEqual([['hostile']].map(show));
    const [d] = await diagnostics(`(TableCount ${read(csv(file(`no'pe"]); SELECT 1; --.csv`)))})`);
    expect(d!.code).toBe('IRC9003');
    expect(d!.message).toContain(`no'pe`);
  });

  it('a NUL in a name is refused', async () => {
    const [d] = await diagnostics(`(TableCount ${read(duck('t\u0000x'))})`, { db });
    expect(d!.code).toBe('IRC9003');
    expect(d!.message).toContain('NUL');
  });
});
