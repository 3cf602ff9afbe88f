// `irc run` end to end: formats, exact Int64, runtime errors as located diagnostics, and deep
// programs (which run in a worker with a large stack: tested through the built CLI).

import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { addChain, ifChain, runCli } from './util.js';

describe('irc run', () => {
  test('prints a value program as JSON', async () => {
    const r = await runCli(['run', 'examples/aggregate.ir']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"n":10,"s":45}\n');
  });

  test('backend and format are explicit options', async () => {
    const r = await runCli(['run', 'examples/count-filter.ir', '--backend', 'interpret', '--format', 'json']);
    expect(r.stdout).toBe('4\n');
    expect((await runCli(['run', 'examples/count-filter.ir', '--backend', 'nope'])).code).toBe(1);
  });

  test('a stream longer than the interpreter holds is a located diagnostic, not a crash of the heap', async () => {
    const r = await runCli(['run', '-', '--backend', 'interpret'], '(ArrayLen (ToArray (StreamFlatMap x (StreamRange 0 False (I32 0) (I32 10000) (I32 1)) (StreamRange 0 False (I32 0) (I32 10000) (I32 1)))))');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:1:\d+: error IRC9008: a stream of more than 50,000,000 elements/);
    const range = await runCli(['run', '-', '--backend', 'interpret'], '(ArrayLen (ToArray (StreamRange 0 False (I32 0) (I32 2000000000) (I32 1))))');
    expect(range.stderr).toMatch(/^<stdin>:1:20: error IRC9008: /);
  });

  test('prints a table program as rows and global', async () => {
    const r = await runCli(['run', '-'], '(TableMapGlobals (TableRange 3 None) (MakeStruct (g (Str "x"))))');
    expect(r.stdout).toBe('{"rows":[{"idx":0},{"idx":1},{"idx":2}],"global":{"g":"x"}}\n');
  });

  test('Int64 is exact above 2^53, and special floats are strings', async () => {
    const r = await runCli(['run', '-'], '(MakeTuple (0 1 2 3) (I64 9007199254740993) (F64 nan) (F64 neginf) (F64 -0.0))');
    expect(r.stdout).toBe('[9007199254740993,"NaN","-Infinity",-0.0]\n');
  });

  test('--format table prints an aligned table', async () => {
    const r = await runCli(['run', '-', '--format', 'table'], '(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (name (Str "a b"))))');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('idx  name\n---  ----\n  0  a b\n  1  a b\n  2  a b\n(3 rows)\n');
  });

  test('a failure while running is a located diagnostic with its class, exit 1', async () => {
    const r = await runCli(['run', '-'], '(Let eval x (I32 2147483647)\n  (ApplyBinaryPrimOp Add (Ref x) (I32 1)))');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:2:3: error IRC5004: IntegerOverflow: /);
    expect(r.stderr).toContain('hint: Cast to Int64');
    const die = await runCli(['run', '-'], '(If (True) (Die Int32 -1 (Str "no way")) (I32 1))');
    expect(die.stderr).toMatch(/^<stdin>:1:12: error IRC5001: Die: no way/);
  });

  test('type errors stop before running', async () => {
    const r = await runCli(['run', '-'], '(ApplyBinaryPrimOp Add (I32 1) (I64 2))');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('IRC2001');
  });
});

describe('irc run on deep programs (built CLI, worker with a large stack)', () => {
  const run = (program: string) => spawnSync(process.execPath, ['bin/irc.js', 'run', '-'], { input: program, encoding: 'utf8' });

  test('a 10,000-deep If chain runs', () => {
    const r = run(ifChain(10_000));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('8\n'); // x = 7: the first branch with 7 < i is i = 8
  });

  test('a 50,000-deep Add chain runs', () => {
    const r = run(addChain(50_000));
    expect(r.stdout).toBe(`${1 + 2 * 50_000}\n`);
  });

  test('a runtime error deep inside is still located', () => {
    const r = run(addChain(20_000).replace('(I32 1)', '(Die Int32 -1 (Str "deep"))'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:1:\d+: error IRC5001: Die: deep/);
  });
});
