// TableWrite through `irc run` (src/backends/interpret/write.ts): rows of every type written to
// Parquet and to a DuckDB table, then read back by TableRead in a second run and compared with
// the same rows printed straight from a literal. The JSON output tells -0.0 from 0, prints
// NaN and infinities, and keeps Int64 exact.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { interpret, RuntimeError } from '../src/backends/interpret/index.js';
import type { TableReader, TableWriter } from '../src/ir/nodes.js';
import { printString, printTableType, printType } from '../src/ir/print.js';
import { emptyStruct, tArray, tDict, tSet, tStruct, tTuple, TBoolean, TFloat32, TFloat64, TInt32, TInt64, TString, type StructType } from '../src/ir/types.js';
import { encodeJson, type Value } from '../src/ir/value.js';
import { parse } from '../src/parse/index.js';
import { runCli, withDuck } from './util.js';

const f32 = Math.fround;
const HOSTILE_TABLE = 't"; DROP TABLE x; --';
const HOSTILE_FILE = `it's "odd"') (FORMAT csv); DROP TABLE x; --.parquet`;

let dir: string;
const file = (name: string) => join(dir, name);


// ---- the rows ---------------------------------------------------------------------------------

const deep = tArray(tStruct([['a', tArray(TFloat64)], ['m', tDict(TInt32, tArray(TString))]]));
const pair = tTuple([TInt64, TString]);

/** The row type written. */
const ROW: StructType = tStruct([
  ['b', TBoolean],
  ['i32', TInt32],
  ['i64', TInt64],
  ['f32', TFloat32],
  ['f64', TFloat64],
  ['s', TString],
  ['l', tArray(TInt32)],
  ['set', tSet(TString)],
  ['st', tStruct([['x', TInt32], ['y "z\'', TString]])],
  ['m', tDict(TString, TInt64)],
  ['tup', pair],
  ['deep', deep],
]);

/** The row type read back: a tuple comes back as a struct with fields named by index. */
const BACK: StructType = {
  kind: 'Struct',
  fields: ROW.fields.map((f) => (f.name === 'tup' ? { name: 'tup', type: tStruct([['0', TInt64], ['1', TString]]) } : f)),
};

const ROWS: Value[][] = [
  [
    true, -2147483648, -9223372036854775808n, f32(0.1), NaN, 'héllo "wörld" it\'s 🎉 \\ \n\t',
    [1, null, 3], ['a', 'b', "c'"], [1, 'a"b'], [['a', 1n], ['b', 2n]], [9223372036854775807n, '\u00e9'],
    [[[1.5, null, -0], [[1, null], [2, ['x', "'); DROP TABLE x; --"]]]]],
  ],
  [false, 2147483647, 9223372036854775807n, -0, -0, '', [], [], [null, null], [], [null, null], []],
  [null, null, null, null, null, null, null, null, null, null, null, null],
  [true, 0, 0n, Infinity, -Infinity, "'; DROP TABLE t; --", [null], [null], [5, ''], [['k', null]], [-1n, null], [null]],
  [false, 1, -1n, -Infinity, Infinity, '日本語', [0], ['z'], [0, 'ü'], [['', 0n]], null, null],
  [true, 7, 4611686018427387904n, NaN, 5e-324, 'x', [2, 2], ['x'], null, null, [0n, ''], [[[], []]]],
];

/** `Struct{rows:Array[row],global:Struct{}}` as a Literal. */
function literal(row: StructType, rows: readonly Value[][]): string {
  const t = tStruct([['rows', tArray(row)], ['global', tStruct([])]]);
  return `(Literal ${printType(t)} ${printString(encodeJson(t, [rows, []]))})`;
}

const parallelize = (row: StructType, rows: readonly Value[][]) => `(TableParallelize None ${literal(row, rows)})`;
const write = (w: TableWriter, table: string) => `(TableWrite ${printString(JSON.stringify(w))} ${table})`;
const read = (r: TableReader, row: StructType) =>
  `(TableRead ${printTableType({ global: emptyStruct, key: [], row })} False ${printString(JSON.stringify(r))})`;

const parquetWriter = (path: string): TableWriter => ({ name: 'ParquetWriter', path });
const duckWriter = (table: string): TableWriter => ({ name: 'DuckDBTableWriter', table });
const parquetReader = (path: string): TableReader => ({ name: 'ParquetReader', paths: [path] });
const duckReader = (table: string): TableReader => ({ name: 'DuckDBTableReader', table });

async function ok(program: string, ...args: string[]): Promise<string> {
  const r = await runCli(['run', '--backend', 'interpret', '-', ...args], program);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** The rows as `irc run` prints them, read back or not. */
const expected = () => ok(`(TableCollect ${parallelize(BACK, ROWS)})`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irc-write-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('TableWrite to Parquet', () => {
  test('every type round-trips exactly', async () => {
    const path = file('all.parquet');
    expect(await ok(write(parquetWriter(path), parallelize(ROW, ROWS)))).toBe('null\n');
    const back = await ok(`(TableCollect ${read(parquetReader(path), BACK)})`);
    expect(back).toBe(await expected());
    expect(back).toContain('-9223372036854775808');
    expect(back).toContain('"NaN"');
    expect(back).toContain('-0.0');
  });

  test('the file has the mapped DuckDB types', async () => {
    const path = file('types.parquet');
    await ok(write(parquetWriter(path), parallelize(ROW, ROWS)));
    const types = await withDuck(':memory:', async (c) => {
      const r = await c.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${path.replace(/'/g, "''")}'))`);
      return r.getRows().map(([n, t]) => `${String(n)} ${String(t)}`);
    });
    expect(types).toEqual([
      'b BOOLEAN',
      'i32 INTEGER',
      'i64 BIGINT',
      'f32 FLOAT',
      'f64 DOUBLE',
      's VARCHAR',
      'l INTEGER[]',
      'set VARCHAR[]',
      `st STRUCT(x INTEGER, "y ""z'" VARCHAR)`,
      'm MAP(VARCHAR, BIGINT)',
      'tup STRUCT("0" BIGINT, "1" VARCHAR)',
      'deep STRUCT(a DOUBLE[], m MAP(INTEGER, VARCHAR[]))[]',
    ]);
  });

  test('a hostile path is data: the file is written at exactly that path', async () => {
    const path = file(HOSTILE_FILE);
    await ok(write(parquetWriter(path), parallelize(ROW, ROWS)));
    expect(existsSync(path)).toBe(true);
    expect(await ok(`(TableCollect ${read(parquetReader(path), BACK)})`)).toBe(await expected());
  });

  test('an unwritable path is a diagnostic naming it, without a stack', async () => {
    const path = file('no/such/dir/x.parquet');
    const r = await runCli(['run', '--backend', 'interpret', '-'], write(parquetWriter(path), parallelize(ROW, ROWS)));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // Located at the TableWrite node (the program starts with it), like every other diagnostic.
    expect(r.stderr).toMatch(/^<stdin>:1:1: error IRC9006: /);
    expect(r.stderr).toContain(JSON.stringify(path));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path)).toBe(false);
  });

  test('an empty table and several writes in one program', async () => {
    const a = file('a.parquet');
    const b = file('b.parquet');
    const one = tStruct([['n', TInt64]]);
    await ok(`(MakeTuple (0 1) ${write(parquetWriter(a), parallelize(one, []))} ${write(parquetWriter(b), parallelize(one, [[1n], [null]]))})`);
    expect(await ok(`(TableCount ${read(parquetReader(a), one)})`)).toBe('0\n');
    expect(await ok(`(TableCollect ${read(parquetReader(b), one)})`)).toBe('{"rows":[{"n":1},{"n":null}],"global":{}}\n');
  });

  test('rows with no DuckDB type are a diagnostic', async () => {
    const r = await runCli(['run', '--backend', 'interpret', '-'], write(parquetWriter(file('e.parquet')), parallelize(tStruct([['e', tStruct([])]]), [[[]]])));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error IRC9007');
    expect(r.stderr).toContain('"e"');
    const none = await runCli(['run', '--backend', 'interpret', '-'], write(parquetWriter(file('e.parquet')), parallelize(tStruct([]), [[], []])));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error IRC9007');
    expect(existsSync(file('e.parquet'))).toBe(false);
  });
});

describe('TableWrite to a DuckDB table', () => {
  let db: string;
  beforeAll(async () => {
    db = file('test.duckdb');
    await withDuck(db, async (c) => {
      await c.run('CREATE TABLE x (a INTEGER)');
      await c.run('INSERT INTO x VALUES (42)');
    });
  });

  test('every type round-trips exactly, with the mapped column types', async () => {
    expect(await ok(write(duckWriter('all'), parallelize(ROW, ROWS)), '--db', db)).toBe('null\n');
    const back = await ok(`(TableCollect ${read(duckReader('all'), BACK)})`, '--db', db);
    expect(back).toBe(await expected());
    const types = await withDuck(db, async (c) => {
      const r = await c.runAndReadAll('SELECT column_name, column_type FROM (DESCRIBE "all")');
      return r.getRows().map(([n, t]) => `${String(n)} ${String(t)}`);
    });
    expect(types).toContain('f32 FLOAT');
    expect(types).toContain('tup STRUCT("0" BIGINT, "1" VARCHAR)');
    expect(types).toContain('m MAP(VARCHAR, BIGINT)');
  });

  test('a hostile table name is data: that table is made and nothing else happens', async () => {
    const one = tStruct([['n', TInt32]]);
    await ok(write(duckWriter(HOSTILE_TABLE), parallelize(one, [[1], [2]])), '--db', db);
    expect(await ok(`(TableCollect ${read(duckReader(HOSTILE_TABLE), one)})`, '--db', db)).toBe('{"rows":[{"n":1},{"n":2}],"global":{}}\n');
    expect(await ok(`(TableCollect ${read(duckReader('x'), tStruct([['a', TInt32]]))})`, '--db', db)).toBe('{"rows":[{"a":42}],"global":{}}\n');
  });

  test('a write replaces the table, and the program reads what was there before it ran', async () => {
    const one = tStruct([['n', TInt32]]);
    await ok(write(duckWriter('r'), parallelize(one, [[1], [2], [3]])), '--db', db);
    const both = `(MakeTuple (0 1) ${write(duckWriter('r'), parallelize(one, [[7]]))} (TableCount ${read(duckReader('r'), one)}))`;
    expect(await ok(both, '--db', db)).toBe('[null,3]\n');
    expect(await ok(`(TableCollect ${read(duckReader('r'), one)})`, '--db', db)).toBe('{"rows":[{"n":7}],"global":{}}\n');
  });

  test('a failed write leaves the table as it was', async () => {
    const one = tStruct([['n', TInt32]]);
    await ok(write(duckWriter('keep'), parallelize(one, [[5]])), '--db', db);
    // DuckDB map keys cannot be missing: the insert fails after the CREATE OR REPLACE.
    const bad = write(duckWriter('keep'), parallelize(tStruct([['m', tDict(TString, TInt32)]]), [[[[null, 1]]]]));
    const r = await runCli(['run', '--backend', 'interpret', '-', '--db', db], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error IRC9006');
    expect(r.stderr).toContain('"keep"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await ok(`(TableCollect ${read(duckReader('keep'), one)})`, '--db', db)).toBe('{"rows":[{"n":5}],"global":{}}\n');
  });

  test('without --db there is nowhere to write: a diagnostic says to pass it', async () => {
    const r = await runCli(['run', '--backend', 'interpret', '-'], write(duckWriter('t'), parallelize(ROW, ROWS)));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error IRC9006');
    expect(r.stderr).toContain('"t"');
    expect(r.stderr).toContain('--db');
  });

  test('a failing program writes nothing', async () => {
    const one = tStruct([['n', TInt32]]);
    const program = `(MakeTuple (0 1) ${write(duckWriter('never'), parallelize(one, [[1]]))} (Die Int32 -1 (Str "stop")))`;
    const r = await runCli(['run', '--backend', 'interpret', '-', '--db', db], program);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('IRC5001');
    const tables = await withDuck(db, async (c) => (await c.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'never'`)).getRows()[0]![0]);
    expect(tables).toBe(0n);
  });
});

test('interpret without a sink: TableWrite is an Input error', () => {
  const ir = parse(write(parquetWriter('x.parquet'), '(TableRange 1 None)'));
  expect(() => interpret(ir)).toThrow(RuntimeError);
  try {
    interpret(ir);
  } catch (e) {
    expect((e as RuntimeError).errorClass).toBe('Input');
  }
});

test('interpret hands the sink the rows in table order, as positional structs', () => {
  const got: unknown[] = [];
  const ir = parse(write(parquetWriter('x.parquet'), '(TableOrderBy (Didx) (TableRange 3 None))'));
  const r = interpret(ir, { sink: (w, t, rows) => void got.push(w, printType(t.row), rows), strict: true });
  expect(r).toMatchObject({ kind: 'value', value: null });
  expect(got).toEqual([{ name: 'ParquetWriter', path: 'x.parquet' }, 'Struct{idx:Int32}', [[2], [1], [0]]]);
});
