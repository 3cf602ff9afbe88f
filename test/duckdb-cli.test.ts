// The DuckDB backend through the CLI: `irc run` (DuckDB is the default backend), `irc compile
// --emit sql`, runtime errors and unsupported constructs as located diagnostics, and TableRead /
// TableWrite against DuckDB tables, Parquet and CSV files. Most runs are in-process (runCli);
// a few spawn the built CLI (bin/irc.js, which runs dist/).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { printString } from '../src/ir/print.js';
import { runCli, withDuck } from './util.js';

let dir: string;
const file = (name: string) => join(dir, name);
/** A SQL string literal, written out here. */
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Writes a program to a file in the temp dir; returns its path. */
function program(name: string, text: string): string {
  const path = file(name);
  writeFileSync(path, text);
  return path;
}

const reader = (r: object) => printString(JSON.stringify(r));
/** A program DuckDB cannot express: a sort whose comparator runs a query per comparison. */
const UNSUPPORTED =
  '(ArraySort l r (ToStream False (MakeArray None (I32 2) (I32 1)))\n  (ApplyComparisonOp LT (TableCount (TableFilter (TableRange 3 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (Ref l)))) (Cast Int64 (Ref r))))';
const writer = (w: object) => printString(JSON.stringify(w));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'irc-duckcli-'));
  await withDuck(file('in.duckdb'), async (c) => {
    await c.run(`CREATE TABLE people (id INTEGER, name VARCHAR, score DOUBLE, big BIGINT)`);
    await c.run(`INSERT INTO people VALUES (3, 'carol', 2.5, 9007199254740993), (1, 'al''s "x"', NULL, -9223372036854775808), (2, NULL, -0.5, NULL)`);
    await c.run(`CREATE TABLE "odd ""name""; --" (k INTEGER)`);
    await c.run(`INSERT INTO "odd ""name""; --" VALUES (7), (8)`);
    await c.run(`COPY people TO ${sqlString(file('people.parquet'))} (FORMAT parquet)`);
    await c.run(`COPY (SELECT id, name, score FROM people) TO ${sqlString(file('people.csv'))} (HEADER)`);
  });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- run and compile ---------------------------------------------------------------------------

describe('irc run on DuckDB', () => {
  test('examples/aggregate.ir prints {"n":10,"s":45} on the default backend, on duckdb and on the interpreter', async () => {
    for (const extra of [[], ['--backend', 'duckdb'], ['--backend', 'interpret']]) {
      const r = await runCli(['run', 'examples/aggregate.ir', ...extra]);
      expect(r.stderr, extra.join(' ')).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('{"n":10,"s":45}\n');
    }
  });

  test('the default backend is DuckDB: a construct only the interpreter knows differs by backend', async () => {
    const duck = await runCli(['run', '-'], UNSUPPORTED);
    const interp = await runCli(['run', '-', '--backend', 'interpret'], UNSUPPORTED);
    expect(duck.stderr).toContain('IRC4001');
    expect(interp.stdout).toBe('[1,2]\n');
  });

  test('a table program prints rows and global; --format table works', async () => {
    const text = '(TableMapGlobals (TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (name (Str "a b")))) (MakeStruct (g (I64 9007199254740993))))';
    const r = await runCli(['run', '-'], text);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"rows":[{"idx":0,"name":"a b"},{"idx":1,"name":"a b"},{"idx":2,"name":"a b"}],"global":{"g":9007199254740993}}\n');
    const t = await runCli(['run', '-', '--format', 'table'], text);
    expect(t.stdout).toBe(`idx  name\n---  ----\n  0  a b\n  1  a b\n  2  a b\n(3 rows)\n\nglobal:\n${' '.repeat(15)}g\n${'-'.repeat(16)}\n9007199254740993\n`);
    expect((await runCli(['run', '-', '--format', 'table', '--backend', 'interpret'], text)).stdout).toBe(t.stdout);
  });

  test('special floats and exact Int64 print as on the interpreter', async () => {
    const text = '(MakeTuple (0 1 2 3 4) (I64 -9223372036854775808) (F64 nan) (F64 neginf) (F64 -0.0) (ApplyBinaryPrimOp Add (F64 0.1) (F64 0.2)))';
    const expected = '[-9223372036854775808,"NaN","-Infinity",-0.0,0.30000000000000004]\n';
    expect((await runCli(['run', '-'], text)).stdout).toBe(expected);
    expect((await runCli(['run', '-', '--backend', 'interpret'], text)).stdout).toBe(expected);
  });

  test('the built CLI (bin/irc.js) runs on DuckDB by default', () => {
    const r = spawnSync(process.execPath, ['bin/irc.js', 'run', 'examples/aggregate.ir'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"n":10,"s":45}\n');
    const g = spawnSync(process.execPath, ['bin/irc.js', 'run', '-'], { input: UNSUPPORTED, encoding: 'utf8' });
    expect(g.status).toBe(1);
    expect(g.stderr).toContain('IRC4001');
    const d = spawnSync(process.execPath, ['bin/irc.js', 'run', '-'], { input: '(Let eval x (F64 2.0) (Grad x (ApplyBinaryPrimOp Multiply (Ref x) (Ref x))))', encoding: 'utf8' });
    expect(d.stdout).toBe('4\n');
  });
});

describe('irc compile --emit sql', () => {
  test('examples/count-filter.ir: the printed SQL runs in DuckDB to the same answer', async () => {
    const r = await runCli(['compile', 'examples/count-filter.ir', '--emit', 'sql']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/;\n$/);
    const answer = (await runCli(['run', 'examples/count-filter.ir'])).stdout;
    expect(answer).toBe('4\n');
    await withDuck(':memory:', async (c) => {
      const out = await c.runAndReadAll(r.stdout);
      expect(out.columnNames()).toEqual(['result']);
      expect(out.getRowsJS()).toEqual([[4n]]);
    });
  });

  test('a table program prints its rows and global statements, each of which runs', async () => {
    const r = await runCli(['compile', '-', '--emit', 'sql'], '(TableMapGlobals (TableFilter (TableRange 5 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 2))) (MakeStruct (g (Str "it\'s"))))');
    expect(r.code).toBe(0);
    const [rows, global] = r.stdout.split('-- global\n');
    expect(rows).toContain('-- rows\n');
    await withDuck(':memory:', async (c) => {
      expect((await c.runAndReadAll(rows!)).getRowsJS()).toEqual([[3], [4]]);
      const g = (await c.runAndReadAll(global!)).getRowObjectsJS();
      expect(g).toEqual([{ global: { g: "it's" } }]);
    });
  });

  test('with --db, a TableRead of a DuckDB table compiles to SQL that reads it', async () => {
    const text = `(TableCount (TableRead None False ${reader({ name: 'DuckDBTableReader', table: 'people' })}))`;
    const r = await runCli(['compile', '-', '--emit', 'sql', '--db', file('in.duckdb')], text);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('"people"');
    await withDuck(file('in.duckdb'), async (c) => {
      expect((await c.runAndReadAll(r.stdout)).getRowsJS()).toEqual([[3n]]);
    });
  });
});

// ---- errors ------------------------------------------------------------------------------------

describe('errors on DuckDB', () => {
  test('a Die is file:line:col: error IRC5001 at the Die node, exit 1', async () => {
    const path = program('die.ir', '(TableCount\n  (TableFilter (TableRange 10 None)\n    (If (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 5)) (True)\n      (Die Boolean -1 (Str "no rows past 4")))))\n');
    for (const backend of ['duckdb', 'interpret']) {
      const r = await runCli(['run', path, '--backend', backend]);
      expect(r.code, backend).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr, backend).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:7: error IRC5001: Die: no rows past 4`));
    }
    const dflt = await runCli(['run', path]);
    expect(dflt.code).toBe(1);
    expect(dflt.stderr).toContain(`${path}:4:7: error IRC5001: Die: no rows past 4`);
  });

  test('other runtime classes keep their codes and locations on DuckDB', async () => {
    const overflow = await runCli(['run', '-'], '(Let eval x (I32 2147483647)\n  (ApplyBinaryPrimOp Add (Ref x) (I32 1)))');
    expect(overflow.code).toBe(1);
    expect(overflow.stderr).toMatch(/^<stdin>:2:3: error IRC5004: IntegerOverflow: /);
    const index = await runCli(['run', '-'], '(MakeArray None\n  (ArrayRef -1 (MakeArray None (I32 1)) (I32 1)))');
    expect(index.stderr).toMatch(/^<stdin>:2:3: error IRC5002: ArrayIndexOutOfBounds: /);
    const div = await runCli(['run', '-'], '(ApplyBinaryPrimOp RoundToNegInfDivide (I64 1) (I64 0))');
    expect(div.stderr).toMatch(/^<stdin>:1:1: error IRC5003: DivisionByZero: /);
    const cast = await runCli(['run', '-'], '(Cast Int32 (F64 nan))');
    expect(cast.stderr).toMatch(/^<stdin>:1:1: error IRC5005: CastOutOfRange: /);
  });

  test('an unsupported construct (ArraySort comparing by a query) is IRC4001 naming it, exit 1, nothing on stdout', async () => {
    const path = program('sort.ir', `; a comparator that runs a query per comparison\n${UNSUPPORTED}`);
    const r = await runCli(['run', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: error IRC4001: .*ArraySort`));
    const sql = await runCli(['compile', path, '--emit', 'sql']);
    expect(sql.code).toBe(1);
    expect(sql.stderr).toMatch(/IRC4001: .*ArraySort/);
  });

  test('a TableRead of a table the database lacks is a user error, not a crash', async () => {
    const r = await runCli(['run', '-', '--db', file('in.duckdb')], `(TableCount (TableRead None False ${reader({ name: 'DuckDBTableReader', table: 'nope' })}))`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error IRC\d{4}: /);
    expect(r.stderr).not.toContain('internal error');
  });
});

// ---- reading and writing -------------------------------------------------------------------------

/** Runs on both backends; both must print `expected`. */
async function expectBoth(args: string[], text: string, expected: string): Promise<void> {
  for (const backend of ['duckdb', 'interpret']) {
    const r = await runCli(['run', '-', ...args, '--backend', backend], text);
    expect(r.stderr, backend).toBe('');
    expect(r.stdout, backend).toBe(expected);
  }
}

describe('TableRead on DuckDB matches the interpreter', () => {
  const PEOPLE_ROWS = '[{"id":3,"name":"carol","score":2.5,"big":9007199254740993},{"id":1,"name":"al\'s \\"x\\"","score":null,"big":-9223372036854775808},{"id":2,"name":null,"score":-0.5,"big":null}]';

  test('a DuckDB table (--db), in its scan order, types from the catalogue', async () => {
    await expectBoth(['--db', file('in.duckdb')], `(TableRead None False ${reader({ name: 'DuckDBTableReader', table: 'people' })})`, `{"rows":${PEOPLE_ROWS},"global":{}}\n`);
  });

  test('a DuckDB table with a hostile name, through a pipeline', async () => {
    const t = `(TableRead None False ${reader({ name: 'DuckDBTableReader', table: 'odd "name"; --' })})`;
    await expectBoth(['--db', file('in.duckdb')], `(TableAggregate ${t} (MakeStruct (n (ApplyAggOp Count () ())) (s (ApplyAggOp Sum () ((Cast Int64 (GetField k (Ref row))))))))`, '{"n":2,"s":15}\n');
  });

  test('a DuckDB table with a declared type, keyed and aggregated', async () => {
    const t = `(TableRead Table{global:Struct{},key:[],row:Struct{id:Int32,name:String,score:Float64,big:Int64}} False ${reader({ name: 'DuckDBTableReader', table: 'people' })})`;
    await expectBoth(
      ['--db', file('in.duckdb')],
      `(TableCollect (TableKeyBy (id) False None (TableMapRows ${t} (SelectFields (id score) (Ref row)))))`,
      '{"rows":[{"id":1,"score":null},{"id":2,"score":-0.5},{"id":3,"score":2.5}],"global":{}}\n',
    );
  });

  test('a Parquet file', async () => {
    await expectBoth([], `(TableRead None False ${reader({ name: 'ParquetReader', paths: [file('people.parquet')] })})`, `{"rows":${PEOPLE_ROWS},"global":{}}\n`);
    await expectBoth(
      [],
      `(TableAggregate (TableRead None False ${reader({ name: 'ParquetReader', paths: [file('people.parquet')] })}) (ApplyAggOp Sum () ((GetField big (Ref row)))))`,
      '-9214364837600034815\n',
    );
  });

  test('a CSV file', async () => {
    await expectBoth(
      [],
      `(TableCollect (TableRead None False ${reader({ name: 'CSVReader', paths: [file('people.csv')] })}))`,
      '{"rows":[{"id":3,"name":"carol","score":2.5},{"id":1,"name":"al\'s \\"x\\"","score":null},{"id":2,"name":null,"score":-0.5}],"global":{}}\n',
    );
  });

  test('a missing file is an Input error on both backends', async () => {
    for (const backend of ['duckdb', 'interpret']) {
      const r = await runCli(['run', '-', '--backend', backend], `(TableCount (TableRead None False ${reader({ name: 'ParquetReader', paths: [file('none.parquet')] })}))`);
      expect(r.code, backend).toBe(1);
      expect(r.stderr, backend).toMatch(/error IRC\d{4}: /);
    }
  });
});

describe('TableWrite on DuckDB', () => {
  const rows = '(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (s (Str "it\'s")) (f (ApplyBinaryPrimOp FloatingPointDivide (Cast Float64 (GetField idx (Ref row))) (F64 2.0))) (b (I64 -9223372036854775808))))';

  test('to a DuckDB table (--db): the rows land in the table, in order; the program prints null', async () => {
    const db = file('out.duckdb');
    const r = await runCli(['run', '-', '--db', db], `(TableWrite ${writer({ name: 'DuckDBTableWriter', table: 'written "t"' })} ${rows})`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('null\n');
    await withDuck(db, async (c) => {
      const out = await c.runAndReadAll('SELECT * FROM "written ""t"""');
      expect(out.columnNames()).toEqual(['idx', 's', 'f', 'b']);
      expect(out.getRowsJS()).toEqual([
        [0, "it's", 0, -9223372036854775808n],
        [1, "it's", 0.5, -9223372036854775808n],
        [2, "it's", 1, -9223372036854775808n],
      ]);
    });
    // and reads back through the DuckDB backend
    await expectBoth(['--db', db], `(TableCount (TableRead None False ${reader({ name: 'DuckDBTableReader', table: 'written "t"' })}))`, '3\n');
  });

  test('to a Parquet file', async () => {
    const path = file("out it's.parquet");
    const r = await runCli(['run', '-'], `(TableWrite ${writer({ name: 'ParquetWriter', path })} ${rows})`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path)).toBe(true);
    await withDuck(':memory:', async (c) => {
      const out = await c.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(path)})`);
      expect(out.columnNames()).toEqual(['idx', 's', 'f', 'b']);
      expect(out.getRowsJS()).toEqual([
        [0, "it's", 0, -9223372036854775808n],
        [1, "it's", 0.5, -9223372036854775808n],
        [2, "it's", 1, -9223372036854775808n],
      ]);
    });
    await expectBoth([], `(TableRead None False ${reader({ name: 'ParquetReader', paths: [path] })})`, '{"rows":[{"idx":0,"s":"it\'s","f":0,"b":-9223372036854775808},{"idx":1,"s":"it\'s","f":0.5,"b":-9223372036854775808},{"idx":2,"s":"it\'s","f":1,"b":-9223372036854775808}],"global":{}}\n');
  });
});
