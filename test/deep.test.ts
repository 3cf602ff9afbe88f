// Depth and size: deep programs must parse, check and print without a stack overflow, and
// deeper than the documented limit gives a diagnostic, never a RangeError.

import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { UserError } from '../src/diagnostics/diagnostic.js';
import { equalIR } from '../src/ir/equal.js';
import { printIR } from '../src/ir/print.js';
import { countNodes, maxDepth, nestingDepth } from '../src/ir/walk.js';
import { MAX_NESTING, parse } from '../src/parse/index.js';
import { typecheck } from '../src/passes/typecheck.js';
import { interpret } from '../src/backends/interpret/index.js';
import { addChain, balancedAdds, ifChain, runCli } from './util.js';

function roundTrip(text: string) {
  const ir = parse(text);
  const info = typecheck(ir);
  expect(info.diagnostics).toEqual([]);
  const printed = printIR(ir);
  const again = parse(printed);
  expect(equalIR(ir, again)).toBe(true);
  return { ir, info, printed };
}

describe('deep programs', () => {
  test('a 10,000-deep If chain parses, type-checks and prints', () => {
    const { ir, info } = roundTrip(ifChain(10_000));
    expect(maxDepth(ir)).toBeGreaterThan(10_000);
    expect(info.types.get(ir)).toEqual({ kind: 'Int32' });
  });

  test("nesting depth counts a Let's bindings as levels (each scopes the rest)", () => {
    const bindings = Array.from({ length: 5_000 }, (_x, i) => `eval v${i}`).join(' ');
    const values = Array.from({ length: 5_000 }, (_x, i) => (i === 0 ? '(I32 1)' : `(Ref v${i - 1})`)).join(' ');
    const ir = parse(`(Let ${bindings} ${values} (Ref v4999))`);
    expect(maxDepth(ir)).toBe(2);
    expect(nestingDepth(ir)).toBe(5_002);
  });

  test('a Let of 5,000 bindings, each reading the one before, runs from the CLI (in the big-stack worker)', async () => {
    const bindings = Array.from({ length: 5_000 }, (_x, i) => `eval v${i}`).join(' ');
    const values = Array.from({ length: 5_000 }, (_x, i) => (i === 0 ? '(I32 1)' : `(ApplyBinaryPrimOp Add (Ref v${i - 1}) (I32 1))`)).join(' ');
    // (The built CLI: the worker runs dist/.)
    const r = spawnSync(process.execPath, ['bin/irc.js', 'run', '-'], { input: `(Let ${bindings} ${values} (Ref v4999))`, encoding: 'utf8' });
    expect(r.stderr).not.toContain('internal error');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('5000');
  }, 60_000);

  test('a 150-deep nest of StreamMaps (900 levels of SQL) compiles from the CLI', () => {
    // (A table query at the bottom keeps it from folding to a constant.)
    let e = '(TableCount (TableRange 3 None))';
    for (let i = 1; i <= 150; i++) {
      e = `(ArrayLen (ToArray (StreamMap x${i} (ToStream False (Literal Array[Int32] "[1]")) (ApplyBinaryPrimOp Add (Cast Int64 (Ref x${i})) (Cast Int64 ${e})))))`;
    }
    const r = spawnSync(process.execPath, ['bin/irc.js', 'compile', '-', '--emit', 'sql'], { input: e, encoding: 'utf8' });
    expect(r.stderr).not.toContain('internal error');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('SELECT');
  }, 60_000);

  test('a 10,000-deep Add chain parses, type-checks and prints', () => {
    const { ir } = roundTrip(addChain(10_000));
    expect(maxDepth(ir)).toBe(10_001);
  });

  test('printing a deep program stays linear in size (indentation is capped)', () => {
    const small = roundTrip(addChain(10_000)).printed.length;
    const large = roundTrip(addChain(20_000)).printed.length;
    expect(large / small).toBeLessThan(2.1);
  });

  test(`nesting up to the limit (${MAX_NESTING}) works`, () => {
    const ir = parse(addChain(MAX_NESTING - 1));
    expect(maxDepth(ir)).toBe(MAX_NESTING);
    expect(typecheck(ir).diagnostics).toEqual([]);
  });

  test('nesting past the limit is a diagnostic, not a RangeError', () => {
    let err: unknown;
    try {
      parse(addChain(MAX_NESTING + 5));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).diagnostics[0]!.code).toBe('IRC1014');
  });

  test('the CLI reports a too-deep program with exit code 1', async () => {
    const r = await runCli(['check', '-'], addChain(MAX_NESTING + 1));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('IRC1014');
  });

  test('the in-thread interpreter runs 5,000 levels and reports deeper than its stack as a diagnostic', () => {
    expect(interpret(parse(addChain(5_000)))).toMatchObject({ kind: 'value', value: 1 + 2 * 5_000 });
    let err: unknown;
    try {
      interpret(parse(addChain(MAX_NESTING - 1)));
    } catch (e) {
      err = e;
    }
    // Either it fits this thread's stack or it says so; never a RangeError.
    if (err !== undefined) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).diagnostics[0]!.code).toBe('IRC1014');
    }
  });

  test('deeply nested types are a diagnostic too', () => {
    const t = 'Array['.repeat(5000) + 'Int32' + ']'.repeat(5000);
    expect(() => parse(`(NA ${t})`)).toThrow(UserError);
  });
});

describe('large programs', () => {
  test('a 1,000,000-node program goes through parse, check and print', () => {
    const text = balancedAdds(500_000);
    const ir = parse(text);
    expect(countNodes(ir)).toBe(999_999);
    expect(typecheck(ir).diagnostics).toEqual([]);
    const printed = printIR(ir);
    expect(printed.length).toBeGreaterThan(text.length / 2);
  }, 120_000);
});
