// The differential harness: silent on the interpreter against itself, loud and shrunk on
// deliberately broken backends, honest about skipped programs.

import { describe, expect, test } from 'vitest';
import { interpret, RuntimeError, type Result } from '../src/backends/interpret/index.js';
import { children } from '../src/ir/children.js';
import type { IR } from '../src/ir/nodes.js';
import { countNodes } from '../src/ir/walk.js';
import { TFloat64, TInt32, TInt64, tArray, tSet, tStruct, type Type } from '../src/ir/types.js';
import type { Value } from '../src/ir/value.js';
import { isTableType } from '../src/passes/typecheck.js';
import { parse } from '../src/parse/index.js';
import { checkBackend, interpretOutcome, interpreterBackend, sameResult, type Backend, type Outcome } from '../src/testing/differential.js';

const size = (ir: IR): number => countNodes(ir);

/** Negates every Float64 inside a value. */
function negateFloats(t: Type, v: Value): Value {
  if (v === null) return v;
  switch (t.kind) {
    case 'Float64':
      return -(v as number);
    case 'Array':
    case 'Stream':
    case 'Set':
      return (v as readonly Value[]).map((x) => negateFloats(t.element, x));
    case 'Dict':
      return (v as readonly (readonly Value[])[]).map(([k, x]) => [k!, negateFloats(t.value, x!)]);
    case 'Tuple':
    case 'Struct':
      return t.fields.map((f, i) => negateFloats(f.type, (v as readonly Value[])[i]!));
    default:
      return v;
  }
}

const flipFloats: Backend = {
  name: 'flip-floats',
  run(ir) {
    const r = interpret(ir);
    if (r.kind === 'value') return { ...r, value: negateFloats(r.type as Type, r.value) };
    if (!isTableType(r.type)) throw new Error('table without a table type');
    const row = r.type.row;
    return { ...r, rows: r.rows.map((x) => negateFloats(row, x)) };
  },
};

const reverseRows: Backend = {
  name: 'reverse-rows',
  async run(ir): Promise<Result> {
    const r = interpret(ir);
    return r.kind === 'table' ? { ...r, rows: [...r.rows].reverse() } : r;
  },
};

const divisionAsDie: Backend = {
  name: 'division-as-die',
  run(ir) {
    try {
      return interpret(ir);
    } catch (e) {
      if (e instanceof RuntimeError && e.errorClass === 'DivisionByZero') throw new RuntimeError('Die', e.message);
      throw e;
    }
  },
};

describe('checkBackend', () => {
  test('the interpreter agrees with itself on 1,000 programs', async () => {
    const r = await checkBackend(interpreterBackend, { runs: 1000, seed: 42 });
    expect(r.mismatches).toEqual([]);
    expect(r.runs).toBe(1000);
    expect(r.compared).toBe(1000);
    expect(r.skipped).toBe(0);
    // Errors are part of what is compared: a good share of programs raise.
    expect(r.agreedErrors).toBeGreaterThan(50);
    expect(r.agreedErrors).toBeLessThan(700);
  }, 60_000);

  test('catches a backend that negates Float64 results, shrunk to a small program', async () => {
    const r = await checkBackend(flipFloats, { runs: 1000, seed: 1 });
    expect(r.mismatches).toHaveLength(1);
    const m = r.mismatches[0]!;
    // (A negated set of floats is out of order, which the harness reports first.)
    expect(m.reason).toMatch(/expected|set not in canonical order/);
    expect(size(m.ir)).toBeLessThanOrEqual(6);
    expect(m.program).toMatch(/F64|Float64/);
    // The seed and path replay exactly that program.
    const again = await checkBackend(flipFloats, { seed: m.seed, path: m.path, runs: 1 });
    expect(again.mismatches[0]?.program).toBe(m.program);
  }, 60_000);

  test('catches an async backend that reverses table rows', async () => {
    const r = await checkBackend(reverseRows, { runs: 1000, seed: 2 });
    expect(r.mismatches).toHaveLength(1);
    const m = r.mismatches[0]!;
    expect(m.expected.kind).toBe('table');
    expect(m.reason).toMatch(/^row \d/);
    expect(size(m.ir)).toBeLessThanOrEqual(8);
  }, 60_000);

  test('catches a backend that reports DivisionByZero as Die', async () => {
    const r = await checkBackend(divisionAsDie, { runs: 2000, seed: 3 });
    expect(r.mismatches).toHaveLength(1);
    const m = r.mismatches[0]!;
    expect(m.reason).toBe('error class Die, expected DivisionByZero');
    expect(size(m.ir)).toBeLessThanOrEqual(8);
    // With the lenient rule the same backend passes, and the differences are counted.
    const lenient = await checkBackend(divisionAsDie, { runs: 2000, seed: 3, errorClasses: 'failure' });
    expect(lenient.mismatches).toEqual([]);
    expect(lenient.classDifferences).toBeGreaterThan(0);
  }, 60_000);

  test('counts programs the backend does not support', async () => {
    let asked = 0;
    const valuesOnly: Backend = {
      name: 'values-only',
      supports: (ir) => (asked++, !ir.kind.startsWith('Table')),
      run: (ir) => {
        if (ir.kind.startsWith('Table')) throw new Error('run on an unsupported program');
        return interpret(ir);
      },
    };
    const r = await checkBackend(valuesOnly, { runs: 300, seed: 4 });
    expect(r.mismatches).toEqual([]);
    expect(r.skipped).toBeGreaterThan(30);
    expect(r.compared).toBeGreaterThan(30);
    expect(r.compared + r.skipped).toBe(300);
    expect(asked).toBe(300);
  }, 60_000);

  test('a crashing backend is a mismatch, not an exception', async () => {
    const crash: Backend = { name: 'crash', run: () => { throw new TypeError('boom'); } };
    const r = await checkBackend(crash, { runs: 10, seed: 5 });
    expect(r.mismatches[0]?.reason).toBe('backend crashed: TypeError: boom');
  });

  test('the default exclusions never reach the backend; a given exclude replaces them', async () => {
    const seen = new Set<string>();
    const record: Backend = {
      name: 'record',
      run: (ir) => {
        const stack = [ir];
        while (stack.length > 0) {
          const n = stack.pop()!;
          seen.add(n.kind);
          stack.push(...children(n));
        }
        return interpret(ir);
      },
    };
    await checkBackend(record, { runs: 300, seed: 6 });
    for (const k of ['TableRead', 'TableWrite', 'Grad', 'Gradient']) expect(seen.has(k)).toBe(false);
    seen.clear();
    const r = await checkBackend(record, { runs: 300, seed: 6, gen: { exclude: ['Die', 'TableRead', 'TableWrite', 'Grad', 'Gradient'] } });
    expect(seen.has('Die')).toBe(false);
    expect(r.mismatches).toEqual([]);
  }, 60_000);
});

describe('sameResult', () => {
  const value = (type: Type, v: Value): Outcome => ({ kind: 'value', type, value: v });
  const error = (c: 'Die' | 'IntegerOverflow'): Outcome => ({ kind: 'error', errorClass: c, message: 'm' });

  test('floats: relative tolerance 1e-9, NaN equals NaN, -0.0 equals 0.0, infinities by sign', () => {
    expect(sameResult(value(TFloat64, 1e20), value(TFloat64, 1e20 * (1 + 5e-10)))).toBeNull();
    expect(sameResult(value(TFloat64, 1e20), value(TFloat64, 1e20 * (1 + 2e-9)))).not.toBeNull();
    expect(sameResult(value(TFloat64, 0), value(TFloat64, 5e-10))).toBeNull();
    expect(sameResult(value(TFloat64, 0), value(TFloat64, 2e-9))).not.toBeNull();
    expect(sameResult(value(TFloat64, NaN), value(TFloat64, NaN))).toBeNull();
    expect(sameResult(value(TFloat64, NaN), value(TFloat64, 1))).not.toBeNull();
    expect(sameResult(value(TFloat64, 1), value(TFloat64, NaN))).not.toBeNull();
    expect(sameResult(value(TFloat64, -0), value(TFloat64, 0))).toBeNull();
    expect(sameResult(value(TFloat64, Infinity), value(TFloat64, Infinity))).toBeNull();
    expect(sameResult(value(TFloat64, Infinity), value(TFloat64, -Infinity))).not.toBeNull();
    expect(sameResult(value(TFloat64, Infinity), value(TFloat64, 1.7976931348623157e308))).not.toBeNull();
  });

  test('a last-ulp libm difference the program magnifies is allowed, as far as it moves the result', () => {
    // DuckDB's exp(15.005531962698168) is one ulp above V8's; tan near a pole magnifies it
    // (found by the harness: -13.860549334772836 for -13.860549424698936).
    const ir = parse('(Apply -1 tan () Float64 (Apply -1 expm1 () Float64 (F64 15.005531962698168)))');
    const expected = interpretOutcome(ir);
    expect(expected).toEqual(value(TFloat64, -13.860549424698936));
    const duck = value(TFloat64, -13.860549334772836);
    expect(sameResult(expected, duck)).not.toBeNull();
    expect(sameResult(expected, duck, 'exact', ir)).toBeNull();
    // The allowance is the movement of a one-ulp nudge, not more.
    expect(sameResult(expected, value(TFloat64, -13.8605), 'exact', ir)).not.toBeNull();
    // A program with no libm call gets no allowance.
    const plain = parse('(ApplyBinaryPrimOp Multiply (F64 3.0) (F64 1e300))');
    expect(sameResult(interpretOutcome(plain), value(TFloat64, 3e300 * (1 + 2e-9)), 'exact', plain)).not.toBeNull();
  });

  test('an ill-conditioned float (a one-ulp move changes it by more than a millionth) agrees with any finite float', () => {
    // 48 steps of x <- tan(x / c): DuckDB's tan is one ulp off V8's at step 8, and the result
    // is another number (found by the harness: -2.2262487711287853 for 0.23238153156765978).
    const ir = parse(`(StreamFold x i (StreamRange -1 False (I32 0) (I32 48) (I32 1)) (F64 -9007199254740992.0)
      (Apply 1 tan () Float64 (ApplyBinaryPrimOp FloatingPointDivide
        (ApplyBinaryPrimOp Subtract (Ref x) (F64 -4.0304669411852955e-11)) (F64 -2.1276899450458586e-7))))`);
    const expected = interpretOutcome(ir);
    expect(expected).toEqual(value(TFloat64, 0.23238153156765978));
    expect(sameResult(expected, value(TFloat64, -2.2262487711287853), 'exact', ir)).toBeNull();
    // Not any value: still a finite float.
    expect(sameResult(expected, value(TFloat64, NaN), 'exact', ir)).not.toBeNull();
    expect(sameResult(expected, value(TFloat64, Infinity), 'exact', ir)).not.toBeNull();
    // A few steps of the same loop are well conditioned: no such allowance.
    const short = parse('(StreamFold x i (StreamRange -1 False (I32 0) (I32 2) (I32 1)) (F64 0.5) (Apply 1 tan () Float64 (Ref x)))');
    const e2 = interpretOutcome(short) as { value: number };
    expect(sameResult(e2 as never, value(TFloat64, e2.value + 1e-6), 'exact', short)).not.toBeNull();
  });

  test('a float Sum added in another order may change an integer the program casts it to, as far as a one-ulp nudge does', () => {
    // Ten 0.1s: 0.9999999999999999 in row order; DuckDB, adding partial sums, got 1.0 (found by
    // the harness through a join).
    const sum = (n: number, cast: string) =>
      parse(`(TableAggregate (TableRange ${n} None) (Cast ${cast} (ApplyAggOp Sum () ((F64 0.1)))))`);
    const ir = sum(10, 'Int32');
    const expected = interpretOutcome(ir);
    expect(expected).toEqual(value(TInt32, 0));
    expect(sameResult(expected, value(TInt32, 1))).not.toBeNull();
    expect(sameResult(expected, value(TInt32, 1), 'exact', ir)).toBeNull();
    // Only the integers a nudged rerun gives.
    expect(sameResult(expected, value(TInt32, 2), 'exact', ir)).not.toBeNull();
    // Two values add the same in either order: no allowance.
    const two = parse('(TableAggregate (TableRange 2 None) (Cast Int32 (ApplyAggOp Sum () ((F64 0.5)))))');
    expect(sameResult(interpretOutcome(two), value(TInt32, 2), 'exact', two)).not.toBeNull();
  });

  test('integers exactly, Int64 only as a bigint, missing only equals missing', () => {
    expect(sameResult(value(TInt64, 2n ** 63n - 1n), value(TInt64, 2n ** 63n - 1n))).toBeNull();
    expect(sameResult(value(TInt64, 2n ** 63n - 1n), value(TInt64, 2n ** 63n - 2n))).toBe('result: 9223372036854775806n, expected 9223372036854775807n');
    expect(sameResult(value(TInt64, 5n), value(TInt64, 5))).not.toBeNull();
    expect(sameResult(value(TInt32, 5), value(TInt32, null))).toBe('result: missing, expected 5');
    expect(sameResult(value(TInt32, null), value(TInt32, null))).toBeNull();
  });

  test('containers by position and field; sets must be canonical', () => {
    const t = tStruct([['a', tArray(TFloat64)], ['b', tSet(TInt32)]]);
    expect(sameResult(value(t, [[1, NaN], [1, 2]]), value(t, [[1, NaN], [1, 2]]))).toBeNull();
    expect(sameResult(value(t, [[1, 2], [1, 2]]), value(t, [[1, 3], [1, 2]]))).toBe('result.a[1]: 3, expected 2');
    expect(sameResult(value(t, [[1, 2], [1, 2]]), value(t, [[1], [1, 2]]))).toBe('result.a: 1 elements, expected 2');
    expect(sameResult(value(t, [[], [1, 2]]), value(t, [[], [2, 1]]))).toBe('result.b: set not in canonical order at 1');
  });

  test('tables: row count, row order, globals, types', () => {
    const type = { row: tStruct([['x', TInt32]]), key: [], global: tStruct([]) };
    const table = (rows: Value[]): Outcome => ({ kind: 'table', type, rows, global: [] });
    expect(sameResult(table([[1], [2]]), table([[1], [2]]))).toBeNull();
    expect(sameResult(table([[1], [2]]), table([[2], [1]]))).toBe('row 0.x: 2, expected 1');
    expect(sameResult(table([[1], [2]]), table([[1]]))).toBe('1 rows, expected 2');
    expect(sameResult(table([]), value(TInt32, 0))).toBe('backend gave a value, expected a table');
  });

  test('errors: both must raise, class exactly unless asked otherwise', () => {
    expect(sameResult(error('Die'), error('Die'))).toBeNull();
    expect(sameResult(error('Die'), error('IntegerOverflow'))).toBe('error class IntegerOverflow, expected Die');
    expect(sameResult(error('Die'), error('IntegerOverflow'), 'failure')).toBeNull();
    expect(sameResult(error('Die'), value(TInt32, 1), 'failure')).toBe('interpreter raised Die, backend gave a value');
    expect(sameResult(value(TInt32, 1), error('Die'))).toBe('backend raised Die (m), interpreter gave a value');
    expect(sameResult(value(TInt32, 1), { kind: 'crash', message: 'x' })).toBe('backend crashed: x');
  });
});
