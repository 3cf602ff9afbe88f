import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { countNodes } from '../src/ir/walk.js';
import { parse } from '../src/parse/index.js';
import { runCli } from './util.js';

describe('irc CLI', () => {
  test('--help lists the commands and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['check', 'fmt', 'compile']) expect(r.stdout).toContain(c);
  });

  test('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  test('grad prints the program differentiated, and so does compile --emit grad', async () => {
    const text = '(Let eval x (Cast Float64 (I32 7)) (Grad x (ApplyBinaryPrimOp Multiply (Ref x) (ApplyBinaryPrimOp Multiply (Ref x) (Ref x)))))';
    const r = await runCli(['grad', '-'], text);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Grad');
    expect(parse(r.stdout)).toBeDefined();
    expect((await runCli(['compile', '-', '--emit', 'grad'], text)).stdout).toBe(r.stdout);
    const run = await runCli(['run', '-', '--backend', 'interpret'], r.stdout);
    expect(run.stdout).toBe('147\n');
  });

  test('a 10,000-deep Grad body differentiates (in the worker with a large stack): grad, check and run', () => {
    // d/dx of x/2 + (x/2 + (... + x)) nested 10,000 times is 5,001. (The built CLI: the worker is a built file.)
    const body = '(ApplyBinaryPrimOp Add (ApplyBinaryPrimOp Multiply (Ref x) (F64 0.5)) '.repeat(10_000) + '(Ref x)' + ')'.repeat(10_000);
    const text = `(Let eval x (F64 2.0) (Grad x ${body}))`;
    const irc = (...args: string[]) => spawnSync(process.execPath, ['bin/irc.js', ...args, '-'], { input: text, encoding: 'utf8' });
    const g = irc('grad');
    expect(g.stderr).toBe('');
    expect(g.stdout).toBe('(F64 5001.0)\n');
    expect(irc('check').status).toBe(0);
    expect(irc('run').stdout).toBe('5001\n');
  }, 120_000);

  test('check accepts a good program', async () => {
    const r = await runCli(['check', 'examples/aggregate.ir']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('ok');
  });

  test('check reads standard input with -', async () => {
    const r = await runCli(['check', '-'], '(ApplyBinaryPrimOp Add (I32 1) (I64 2))');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:1:1: error IRC2\d{3}: /);
  });

  test('a missing file is a user error with a code, not a crash', async () => {
    const r = await runCli(['check', 'no/such/file.ir']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('IRC9001');
    expect(r.stderr).toContain("cannot read 'no/such/file.ir'");
  });

  test('an unknown command or option exits 1 with usage help', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(1);
    expect((await runCli(['compile', 'examples/aggregate.ir', '--emit', 'asm'])).code).toBe(1);
  });

  test('fmt prints canonical formatting, and is a fixpoint', async () => {
    const r = await runCli(['fmt', '-'], '(Let eval x (I32 5)\n\n   (ApplyBinaryPrimOp   Add (Ref x) (I32 1)))  ; six');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('(Let eval x (I32 5) (ApplyBinaryPrimOp Add (Ref x) (I32 1)))\n; six\n');
    const again = await runCli(['fmt', '-'], r.stdout);
    expect(again.stdout).toBe(r.stdout);
  });

  test('fmt keeps every comment, before the node that follows it', async () => {
    const text = '; top\n(MakeStruct ; after head\n  (a (I32 1))\n  ; before b\n  (b (If (True) ; cond\n (I32 2) (I32 3))))\n; the end\n';
    const r = await runCli(['fmt', '-'], text);
    expect(r.code).toBe(0);
    for (const c of ['; top', '; after head', '; before b', '; cond', '; the end']) expect(r.stdout).toContain(c);
    // A comment goes with the next node: the If, inside the field (b ...).
    expect(r.stdout.indexOf('; before b')).toBeLessThan(r.stdout.indexOf('(If'));
    expect(r.stdout.indexOf('; cond')).toBeLessThan(r.stdout.indexOf('(I32 2)'));
    expect((await runCli(['fmt', '-'], r.stdout)).stdout).toBe(r.stdout);
    expect((await runCli(['check', '-'], r.stdout)).code).toBe(0);
  });

  test('fmt --write rewrites the file; fmt --check reports unformatted files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'irc-'));
    const file = join(dir, 'p.ir');
    writeFileSync(file, '(MakeStruct (a (I32 1))   (b (Str "x")))');
    expect((await runCli(['fmt', '--check', file])).code).toBe(1);
    expect((await runCli(['fmt', '--write', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('(MakeStruct (a (I32 1)) (b (Str "x")))\n');
    expect((await runCli(['fmt', '--check', file])).code).toBe(0);
  });

  test('compile --emit ir prints the checked program', async () => {
    const r = await runCli(['compile', 'examples/count-filter.ir', '--emit', 'ir']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(TableCount');
  });

  test('compile --emit typed annotates every node with its type, and still parses', async () => {
    const r = await runCli(['compile', 'examples/aggregate.ir', '--emit', 'typed']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('; +Struct{n:+Int64,s:+Int64}\n(TableAggregate');
    expect(r.stdout).toContain('; Table{global:+Struct{},key:[idx],row:+Struct{idx:+Int32}}');
    const notes = (r.stdout.match(/^\s*; /gm) ?? []).length;
    expect(notes).toBe(countNodes(parse(r.stdout)));
    const back = await runCli(['check', '-'], r.stdout);
    expect(back.code).toBe(0);
  });

  test('compile --emit typed marks with + what is never missing', async () => {
    const r = await runCli(['compile', '-', '--emit', 'typed'], '(MakeStruct (a (I32 1)) (b (NA String)) (c (MakeArray None (NA Int32))))');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('; +Struct{a:+Int32,b:String,c:+Array[Int32]}');
    expect(r.stdout).toContain('; String\n    (NA String)');
  });
});
