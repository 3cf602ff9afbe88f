// The printer and the reader are inverse: parse(print(ir)) equals ir, for random well-typed
// programs of every node kind, and printing is a fixpoint.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allKinds } from '../src/ir/children.js';
import { equalIR } from '../src/ir/equal.js';
import type { IR } from '../src/ir/nodes.js';
import { printF32, printF64, printIR, printName } from '../src/ir/print.js';
import { forEachNode } from '../src/ir/walk.js';
import { parse } from '../src/parse/index.js';
import { arbProgram, nastyNames } from '../src/testing/arbitraries.js';
import * as b from '../src/ir/build.js';

describe('print/parse round trip', () => {
  test('parse(print(ir)) equals ir for random programs', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(arbProgram(), (ir: IR) => {
        forEachNode(ir, (n) => {
          kinds.add(n.kind);
        });
        const text = printIR(ir);
        const back = parse(text);
        expect(equalIR(back, ir)).toBe(true);
        expect(printIR(back)).toBe(text);
      }),
      { numRuns: 1500 },
    );
    expect([...kinds].sort()).toEqual([...allKinds].sort());
  });

  test('nasty names survive printing as binders, fields and references', () => {
    fc.assert(
      fc.property(nastyNames, nastyNames, (x, f) => {
        const ir = b.let_([[x, b.makeStruct([[f, b.i32(1)]])]], b.getField(f, b.ref(x)));
        const back = parse(printIR(ir));
        expect(back).toMatchObject({ bindings: [{ name: x }], body: { name: f, o: { name: x } } });
      }),
      { numRuns: 500 },
    );
  });

  test('floats print so that they read back bit for bit', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const back = parse(printIR(b.f64(x))) as { value: number };
        expect(Object.is(back.value, x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.float(), (x) => {
        const back = parse(printIR(b.f32(x))) as { value: number };
        expect(Object.is(back.value, Math.fround(x))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(printF64(-0)).toBe('-0.0');
    expect(printF64(NaN)).toBe('nan');
    expect(printF64(-Infinity)).toBe('neginf');
    expect(printF64(3)).toBe('3.0');
    expect(printF32(Math.fround(0.1))).toBe('0.1');
    // Hail checks F32 literals against Float.MaxValue as doubles.
    expect(Number(printF32(Math.fround(3.4028234663852886e38)))).toBeLessThanOrEqual(3.4028234663852886e38);
  });

  test('names print bare only when the lexer reads them back unchanged', () => {
    expect(printName('idx')).toBe('idx');
    expect(printName('a b')).toBe('`a b`');
    expect(printName('a`b')).toBe('`a\\`b`');
    expect(printName('1x')).toBe('`1x`');
    expect(printName('')).toBe('``');
  });

  test('equality ignores spans and bound names, not free names or fields', () => {
    const x = parse('(Let eval x (I32 1) (Ref x))');
    expect(equalIR(x, parse('(Let  eval y (I32 1)\n (Ref y))'))).toBe(true);
    expect(equalIR(x, parse('(Let eval y (I32 1) (Ref x))'))).toBe(false);
    expect(equalIR(parse('(Ref a)'), parse('(Ref b)'))).toBe(false);
    expect(equalIR(parse('(GetField a (Ref s))'), parse('(GetField b (Ref s))'))).toBe(false);
    expect(equalIR(parse('(F64 nan)'), parse('(F64 nan)'))).toBe(true);
    expect(equalIR(parse('(F64 0.0)'), parse('(F64 -0.0)'))).toBe(false);
    // An agg-scope binding is not an eval-scope one, even with the same names.
    expect(equalIR(parse('(Let agg x (I32 1) (I32 2))'), parse('(Let eval x (I32 1) (I32 2))'))).toBe(false);
    // row is bound by the table node: both refer to the same binder.
    const t = '(TableCount (TableFilter (TableRange 3 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 2))))';
    expect(equalIR(parse(t), parse(t))).toBe(true);
    // Shadowing: the inner binder wins on both sides.
    expect(equalIR(parse('(Let eval x eval x (I32 1) (I32 2) (Ref x))'), parse('(Let eval a eval b (I32 1) (I32 2) (Ref b))'))).toBe(true);
    expect(equalIR(parse('(Let eval x eval x (I32 1) (I32 2) (Ref x))'), parse('(Let eval a eval b (I32 1) (I32 2) (Ref a))'))).toBe(false);
  });
});
