// The scalar semantics of the reference interpreter (docs/design/semantics.md §1–§4), with
// hand-checked expected values. `toBe` compares with Object.is, so it tells -0 from 0 and
// accepts NaN = NaN.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuntimeError, type RuntimeErrorClass } from '../src/backends/interpret/errors.js';
import { applyFunction, binaryOp, cast, comparisonOp, unaryOp } from '../src/backends/interpret/ops.js';
import { fnNames, functions, type FnName } from '../src/ir/functions.js';
import { binaryOps, comparisonOps, unaryOps, type BinaryOp, type ComparisonOp } from '../src/ir/nodes.js';
import {
  TBoolean,
  TFloat32,
  TFloat64,
  TInt32,
  TInt64,
  TString,
  tArray,
  tStruct,
  type Type,
} from '../src/ir/types.js';
import { INT64_MAX, INT64_MIN, compareValues, type Value } from '../src/ir/value.js';
import { arbType, arbValue, nastyFloat32s, nastyFloats, nastyInt32, nastyInt64 } from '../src/testing/index.js';

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const f32 = Math.fround;
const F32_MAX = 3.4028234663852886e38;
const PI = Math.PI;

/** The class of the RuntimeError `f` raises, or 'none'. Other exceptions propagate. */
function errorOf(f: () => unknown): RuntimeErrorClass | 'none' {
  try {
    f();
  } catch (e) {
    if (e instanceof RuntimeError) return e.errorClass;
    throw e;
  }
  return 'none';
}

const bin = (op: BinaryOp, t: Type, l: Value, r: Value) => binaryOp(op, t, l, r);
const fn = (name: FnName, t: Type, ...args: Value[]) => applyFunction(name, args.map(() => t), args);

// ---- errors -------------------------------------------------------------------------------

describe('RuntimeError', () => {
  it('carries its class and message and is an Error', () => {
    const e = new RuntimeError('DivisionByZero', 'boom');
    expect(e).toBeInstanceOf(Error);
    expect(e.errorClass).toBe('DivisionByZero');
    expect(e.message).toBe('boom');
  });

  it('names the operation and operands in overflow messages', () => {
    try {
      binaryOp('Add', TInt32, I32_MAX, 1);
      expect.unreachable();
    } catch (e) {
      expect((e as RuntimeError).message).toContain('2147483647');
    }
  });
});

// ---- §1 missing values ----------------------------------------------------------------------

describe('§1 strictness', () => {
  const typesFor = (op: BinaryOp): Type[] =>
    op.startsWith('Bit') || op.endsWith('Shift') ? [TInt32, TInt64] : [TInt32, TInt64, TFloat32, TFloat64];
  const one = (t: Type): Value => (t.kind === 'Int64' ? 1n : 1);

  it('every binary op is missing when either operand is missing', () => {
    for (const op of binaryOps) {
      for (const t of typesFor(op)) {
        const r = op.endsWith('Shift') ? 1 : one(t);
        expect(binaryOp(op, t, null, r)).toBe(null);
        expect(binaryOp(op, t, one(t), null)).toBe(null);
        expect(binaryOp(op, t, null, null)).toBe(null);
      }
    }
  });

  it('a missing operand wins over an error the other would cause (divide by zero)', () => {
    expect(binaryOp('RoundToNegInfDivide', TInt32, null, 0)).toBe(null);
    expect(fn('mod', TInt64, null, 0n)).toBe(null);
  });

  it('every unary op is missing on a missing operand', () => {
    for (const op of unaryOps) {
      expect(unaryOp(op, op === 'Bang' ? TBoolean : TInt32, null)).toBe(null);
      if (op !== 'Bang') expect(unaryOp(op, TInt64, null)).toBe(null);
    }
  });

  it('every comparison but EQWithNA/NEQWithNA is missing when an operand is missing', () => {
    for (const op of comparisonOps) {
      if (op === 'EQWithNA' || op === 'NEQWithNA') continue;
      expect(comparisonOp(op, TInt32, null, 1)).toBe(null);
      expect(comparisonOp(op, TInt32, 1, null)).toBe(null);
      expect(comparisonOp(op, TInt32, null, null)).toBe(null);
    }
  });

  it('EQWithNA / NEQWithNA are never missing', () => {
    expect(comparisonOp('EQWithNA', TInt32, null, null)).toBe(true);
    expect(comparisonOp('EQWithNA', TInt32, null, 1)).toBe(false);
    expect(comparisonOp('EQWithNA', TInt32, 1, null)).toBe(false);
    expect(comparisonOp('EQWithNA', TInt32, 1, 1)).toBe(true);
    expect(comparisonOp('EQWithNA', TInt32, 1, 2)).toBe(false);
    expect(comparisonOp('NEQWithNA', TInt32, null, null)).toBe(false);
    expect(comparisonOp('NEQWithNA', TInt32, null, 1)).toBe(true);
    expect(comparisonOp('NEQWithNA', TInt32, 1, null)).toBe(true);
    expect(comparisonOp('NEQWithNA', TInt32, 1, 1)).toBe(false);
    expect(comparisonOp('NEQWithNA', TInt32, 1, 2)).toBe(true);
    expect(comparisonOp('EQWithNA', TFloat64, NaN, NaN)).toBe(true);
    expect(comparisonOp('NEQWithNA', TFloat64, -0, 0)).toBe(false);
  });

  it('Cast of missing is missing, for every numeric pair', () => {
    for (const from of [TInt32, TInt64, TFloat32, TFloat64]) {
      for (const to of [TInt32, TInt64, TFloat32, TFloat64]) expect(cast(from, to, null)).toBe(null);
    }
  });

  it('every function is missing when any argument is missing', () => {
    for (const name of fnNames) {
      const info = functions[name];
      const t = [TFloat64, TFloat32, TInt32, TInt64].find((c) => info.result(Array(info.arity).fill(c)) !== undefined)!;
      const ok: Value = t.kind === 'Int64' ? 1n : 1;
      for (let i = 0; i < info.arity; i++) {
        const args = Array<Value>(info.arity).fill(ok);
        args[i] = null;
        expect(applyFunction(name, args.map(() => t), args), `${name} arg ${i}`).toBe(null);
      }
    }
  });
});

// ---- §2 integers ----------------------------------------------------------------------------

describe('§2 integer overflow', () => {
  it('Int32 Add/Subtract/Multiply at exactly the boundary', () => {
    expect(bin('Add', TInt32, I32_MAX, 0)).toBe(I32_MAX);
    expect(errorOf(() => bin('Add', TInt32, I32_MAX, 1))).toBe('IntegerOverflow');
    expect(bin('Add', TInt32, I32_MIN, 0)).toBe(I32_MIN);
    expect(errorOf(() => bin('Add', TInt32, I32_MIN, -1))).toBe('IntegerOverflow');
    expect(bin('Subtract', TInt32, I32_MIN + 1, 1)).toBe(I32_MIN);
    expect(errorOf(() => bin('Subtract', TInt32, I32_MIN, 1))).toBe('IntegerOverflow');
    expect(errorOf(() => bin('Subtract', TInt32, I32_MAX, -1))).toBe('IntegerOverflow');
    expect(errorOf(() => bin('Subtract', TInt32, 0, I32_MIN))).toBe('IntegerOverflow');
    expect(bin('Multiply', TInt32, I32_MAX, -1)).toBe(-I32_MAX);
    expect(errorOf(() => bin('Multiply', TInt32, I32_MIN, -1))).toBe('IntegerOverflow');
    expect(errorOf(() => bin('Multiply', TInt32, -1, I32_MIN))).toBe('IntegerOverflow');
    expect(bin('Multiply', TInt32, 65536, -32768)).toBe(I32_MIN);
    expect(errorOf(() => bin('Multiply', TInt32, 65536, 32768))).toBe('IntegerOverflow');
    expect(bin('Multiply', TInt32, 46340, 46340)).toBe(2147395600);
    expect(errorOf(() => bin('Multiply', TInt32, 46341, 46341))).toBe('IntegerOverflow');
    expect(errorOf(() => bin('Multiply', TInt32, I32_MIN, I32_MIN))).toBe('IntegerOverflow');
  });

  it('Int32 results are never -0', () => {
    expect(bin('Multiply', TInt32, 0, -5)).toBe(0);
    expect(bin('Multiply', TInt32, -5, 0)).toBe(0);
    expect(unaryOp('Negate', TInt32, 0)).toBe(0);
    expect(bin('RoundToNegInfDivide', TInt32, 0, -5)).toBe(0);
    expect(fn('mod', TInt32, -6, 3)).toBe(0);
    expect(fn('mod', TInt32, I32_MIN, -1)).toBe(0);
    expect(cast(TFloat64, TInt32, -0.5)).toBe(0);
  });

  it('Int64 Add/Subtract/Multiply at exactly the boundary', () => {
    expect(bin('Add', TInt64, INT64_MAX, 0n)).toBe(INT64_MAX);
    expect(errorOf(() => bin('Add', TInt64, 9223372036854775807n, 1n))).toBe('IntegerOverflow');
    expect(errorOf(() => bin('Add', TInt64, INT64_MIN, -1n))).toBe('IntegerOverflow');
    expect(bin('Subtract', TInt64, INT64_MIN + 1n, 1n)).toBe(INT64_MIN);
    expect(errorOf(() => bin('Subtract', TInt64, INT64_MIN, 1n))).toBe('IntegerOverflow');
    expect(errorOf(() => bin('Subtract', TInt64, 0n, INT64_MIN))).toBe('IntegerOverflow');
    expect(bin('Multiply', TInt64, INT64_MAX, -1n)).toBe(-INT64_MAX);
    expect(errorOf(() => bin('Multiply', TInt64, INT64_MIN, -1n))).toBe('IntegerOverflow');
    expect(bin('Multiply', TInt64, 2n ** 32n, -(2n ** 31n))).toBe(INT64_MIN);
    expect(errorOf(() => bin('Multiply', TInt64, 2n ** 32n, 2n ** 31n))).toBe('IntegerOverflow');
    // Exact beyond 2^53: no rounding through doubles.
    expect(bin('Add', TInt64, 2n ** 53n, 1n)).toBe(9007199254740993n);
  });

  it('Negate and abs of MIN overflow, and of MIN + 1 do not', () => {
    expect(errorOf(() => unaryOp('Negate', TInt32, I32_MIN))).toBe('IntegerOverflow');
    expect(unaryOp('Negate', TInt32, I32_MIN + 1)).toBe(I32_MAX);
    expect(unaryOp('Negate', TInt32, 5)).toBe(-5);
    expect(errorOf(() => unaryOp('Negate', TInt64, INT64_MIN))).toBe('IntegerOverflow');
    expect(unaryOp('Negate', TInt64, INT64_MIN + 1n)).toBe(INT64_MAX);
    expect(unaryOp('Negate', TInt64, 0n)).toBe(0n);
    expect(errorOf(() => fn('abs', TInt32, I32_MIN))).toBe('IntegerOverflow');
    expect(fn('abs', TInt32, I32_MIN + 1)).toBe(I32_MAX);
    expect(fn('abs', TInt32, -5)).toBe(5);
    expect(fn('abs', TInt32, 5)).toBe(5);
    expect(errorOf(() => fn('abs', TInt64, INT64_MIN))).toBe('IntegerOverflow');
    expect(fn('abs', TInt64, INT64_MIN + 1n)).toBe(INT64_MAX);
    expect(fn('abs', TInt64, -7n)).toBe(7n);
  });
});

describe('§2 floor division and floor modulo', () => {
  // [x, y, x // y, mod(x, y)] for every sign combination, exact and inexact.
  const cases: [number, number, number, number][] = [
    [7, 2, 3, 1],
    [-7, 2, -4, 1],
    [7, -2, -4, -1],
    [-7, -2, 3, -1],
    [6, 3, 2, 0],
    [-6, 3, -2, 0],
    [6, -3, -2, 0],
    [-6, -3, 2, 0],
    [0, 5, 0, 0],
    [0, -5, 0, 0],
    [1, 7, 0, 1],
    [-1, 7, -1, 6],
    [1, -7, -1, -6],
    [I32_MAX, 1, I32_MAX, 0],
    [I32_MIN, 1, I32_MIN, 0],
    [I32_MIN, 2, -1073741824, 0],
    [I32_MIN, I32_MAX, -2, 2147483646],
    [I32_MAX, I32_MIN, -1, -1],
  ];

  it('Int32', () => {
    for (const [x, y, q, m] of cases) {
      expect(bin('RoundToNegInfDivide', TInt32, x, y), `${x} // ${y}`).toBe(q);
      expect(fn('mod', TInt32, x, y), `mod(${x}, ${y})`).toBe(m);
    }
  });

  it('Int64 (same table, plus 64-bit boundaries)', () => {
    for (const [x, y, q, m] of cases) {
      expect(bin('RoundToNegInfDivide', TInt64, BigInt(x), BigInt(y))).toBe(BigInt(q));
      expect(fn('mod', TInt64, BigInt(x), BigInt(y))).toBe(BigInt(m));
    }
    expect(bin('RoundToNegInfDivide', TInt64, INT64_MIN, 2n)).toBe(-(2n ** 62n));
    expect(bin('RoundToNegInfDivide', TInt64, INT64_MAX, -2n)).toBe(-(2n ** 62n));
    expect(fn('mod', TInt64, INT64_MAX, -2n)).toBe(-1n);
    expect(fn('mod', TInt64, INT64_MIN, INT64_MAX)).toBe(INT64_MAX - 1n);
    expect(fn('mod', TInt64, INT64_MIN, -1n)).toBe(0n);
  });

  it('MIN // -1 overflows; MIN // 1 does not', () => {
    expect(errorOf(() => bin('RoundToNegInfDivide', TInt32, I32_MIN, -1))).toBe('IntegerOverflow');
    expect(errorOf(() => bin('RoundToNegInfDivide', TInt64, INT64_MIN, -1n))).toBe('IntegerOverflow');
    expect(bin('RoundToNegInfDivide', TInt32, I32_MIN + 1, -1)).toBe(I32_MAX);
    expect(bin('RoundToNegInfDivide', TInt64, INT64_MIN + 1n, -1n)).toBe(INT64_MAX);
  });

  it('integer division and modulo by zero raise DivisionByZero', () => {
    for (const x of [0, 1, -1, I32_MAX, I32_MIN]) {
      expect(errorOf(() => bin('RoundToNegInfDivide', TInt32, x, 0))).toBe('DivisionByZero');
      expect(errorOf(() => fn('mod', TInt32, x, 0))).toBe('DivisionByZero');
      expect(errorOf(() => bin('RoundToNegInfDivide', TInt64, BigInt(x), 0n))).toBe('DivisionByZero');
      expect(errorOf(() => fn('mod', TInt64, BigInt(x), 0n))).toBe('DivisionByZero');
    }
  });

  it('float floor division: IEEE division, then floor; by zero gives ±inf or NaN', () => {
    expect(bin('RoundToNegInfDivide', TFloat64, -7, 2)).toBe(-4);
    expect(bin('RoundToNegInfDivide', TFloat64, 7, -2)).toBe(-4);
    expect(bin('RoundToNegInfDivide', TFloat64, 7.5, 2.5)).toBe(3);
    expect(bin('RoundToNegInfDivide', TFloat64, 7, 0)).toBe(Infinity);
    expect(bin('RoundToNegInfDivide', TFloat64, -7, 0)).toBe(-Infinity);
    expect(bin('RoundToNegInfDivide', TFloat64, 7, -0)).toBe(-Infinity);
    expect(bin('RoundToNegInfDivide', TFloat64, 0, 0)).toBe(NaN);
    expect(bin('RoundToNegInfDivide', TFloat64, -0, 5)).toBe(-0);
    expect(bin('RoundToNegInfDivide', TFloat32, f32(-7), f32(2))).toBe(-4);
    expect(bin('RoundToNegInfDivide', TFloat32, 1, 0)).toBe(Infinity);
  });

  it('Float32 floor division floors the Float32 quotient', () => {
    const l = f32(3 - 2 ** -22);
    const r = f32(1 - 2 ** -24);
    expect(Math.floor(l / r)).toBe(2); // in double the quotient is just below 3 ...
    expect(bin('RoundToNegInfDivide', TFloat32, l, r)).toBe(3); // ... in Float32 it is 3
  });

  it('float mod is x - y * floor(x / y)', () => {
    expect(fn('mod', TFloat64, 7.5, 2)).toBe(1.5);
    expect(fn('mod', TFloat64, -7.5, 2)).toBe(0.5);
    expect(fn('mod', TFloat64, 7.5, -2)).toBe(-0.5);
    expect(fn('mod', TFloat64, -7.5, -2)).toBe(-1.5);
    expect(fn('mod', TFloat64, -7, 2)).toBe(1);
    expect(fn('mod', TFloat64, 1, 0)).toBe(NaN);
    expect(fn('mod', TFloat64, 1, -0)).toBe(NaN);
    expect(fn('mod', TFloat64, NaN, 1)).toBe(NaN);
    expect(fn('mod', TFloat64, Infinity, 1)).toBe(NaN);
    expect(fn('mod', TFloat64, 5, Infinity)).toBe(NaN); // 5/inf = 0, inf * 0 = NaN (not C fmod's 5)
    expect(fn('mod', TFloat32, f32(5.5), f32(2))).toBe(1.5);
    expect(fn('mod', TFloat32, f32(-5.5), f32(2))).toBe(0.5);
    expect(fn('mod', TFloat32, f32(1), 0)).toBe(NaN);
    // Every Float32 step rounds: 0.1f32 - 0.3f32 * floor(...) stays a Float32 value.
    const m = fn('mod', TFloat32, f32(0.7), f32(0.3)) as number;
    expect(m).toBe(f32(m));
    expect(m).toBe(f32(f32(0.7) - f32(f32(0.3) * Math.floor(f32(f32(0.7) / f32(0.3))))));
  });

  it('x = (x // y) * y + mod(x, y) for integers (property)', () => {
    fc.assert(
      fc.property(nastyInt32, nastyInt32, (x, y) => {
        fc.pre(y !== 0 && !(x === I32_MIN && y === -1));
        const q = BigInt(bin('RoundToNegInfDivide', TInt32, x, y) as number);
        const m = BigInt(fn('mod', TInt32, x, y) as number);
        const [bx, by] = [BigInt(x), BigInt(y)];
        expect(q * by + m).toBe(bx);
        // The remainder has the divisor's sign and a smaller magnitude.
        expect(m === 0n || m < 0n === by < 0n).toBe(true);
        expect(m < 0n ? -m : m).toBeLessThan(by < 0n ? -by : by);
      }),
    );
    fc.assert(
      fc.property(nastyInt64, nastyInt64, (x, y) => {
        fc.pre(y !== 0n && !(x === INT64_MIN && y === -1n));
        const q = bin('RoundToNegInfDivide', TInt64, x, y) as bigint;
        const m = fn('mod', TInt64, x, y) as bigint;
        expect(q * y + m).toBe(x);
        expect(m === 0n || m < 0n === y < 0n).toBe(true);
        expect(m < 0n ? -m : m).toBeLessThan(y < 0n ? -y : y);
      }),
    );
  });
});

describe('§2 FloatingPointDivide', () => {
  it('of integers converts to Float64 first', () => {
    expect(bin('FloatingPointDivide', TInt32, 7, 2)).toBe(3.5);
    expect(bin('FloatingPointDivide', TInt32, -7, 2)).toBe(-3.5);
    expect(bin('FloatingPointDivide', TInt32, 1, 0)).toBe(Infinity);
    expect(bin('FloatingPointDivide', TInt32, -1, 0)).toBe(-Infinity);
    expect(bin('FloatingPointDivide', TInt32, 0, 0)).toBe(NaN);
    expect(bin('FloatingPointDivide', TInt64, 7n, 2n)).toBe(3.5);
    expect(bin('FloatingPointDivide', TInt64, 1n, 0n)).toBe(Infinity);
    // 2^53 + 1 becomes 2^53 as a Float64 before dividing.
    expect(bin('FloatingPointDivide', TInt64, 2n ** 53n + 1n, 1n)).toBe(2 ** 53);
    expect(bin('FloatingPointDivide', TInt64, INT64_MAX, 2n ** 62n)).toBe(2);
  });

  it('of floats is IEEE, Float32 rounded', () => {
    expect(bin('FloatingPointDivide', TFloat64, 1, 3)).toBe(1 / 3);
    expect(bin('FloatingPointDivide', TFloat64, 1, -0)).toBe(-Infinity);
    expect(bin('FloatingPointDivide', TFloat64, -1, -0)).toBe(Infinity);
    expect(bin('FloatingPointDivide', TFloat64, 0, 0)).toBe(NaN);
    expect(bin('FloatingPointDivide', TFloat32, 1, 3)).toBe(f32(1 / 3));
    expect(bin('FloatingPointDivide', TFloat32, 1, 3)).not.toBe(1 / 3);
    expect(bin('FloatingPointDivide', TFloat32, 1, -0)).toBe(-Infinity);
  });
});

describe('§2 bit operations', () => {
  it('BitAnd / BitOr / BitXOr / BitNot on two\u2019s complement', () => {
    expect(bin('BitAnd', TInt32, -1, 0x0f0f)).toBe(0x0f0f);
    expect(bin('BitAnd', TInt32, I32_MIN, -1)).toBe(I32_MIN);
    expect(bin('BitOr', TInt32, I32_MIN, 1)).toBe(-2147483647);
    expect(bin('BitXOr', TInt32, -1, I32_MAX)).toBe(I32_MIN);
    expect(bin('BitXOr', TInt32, 5, 3)).toBe(6);
    expect(unaryOp('BitNot', TInt32, 0)).toBe(-1);
    expect(unaryOp('BitNot', TInt32, I32_MAX)).toBe(I32_MIN);
    expect(bin('BitAnd', TInt64, -1n, 0xffn)).toBe(255n);
    expect(bin('BitOr', TInt64, INT64_MIN, 1n)).toBe(INT64_MIN + 1n);
    expect(bin('BitXOr', TInt64, -1n, INT64_MAX)).toBe(INT64_MIN);
    expect(unaryOp('BitNot', TInt64, 0n)).toBe(-1n);
    expect(unaryOp('BitNot', TInt64, INT64_MIN)).toBe(INT64_MAX);
  });

  it('Int32 shifts: count modulo 32, negative counts included', () => {
    expect(bin('LeftShift', TInt32, 1, 31)).toBe(I32_MIN);
    expect(bin('LeftShift', TInt32, 1, 32)).toBe(1);
    expect(bin('LeftShift', TInt32, 1, 33)).toBe(2);
    expect(bin('LeftShift', TInt32, 1, -1)).toBe(I32_MIN);
    expect(bin('LeftShift', TInt32, 3, 31)).toBe(I32_MIN);
    expect(bin('LeftShift', TInt32, 0x40000000, 1)).toBe(I32_MIN); // wraps, no overflow error
    expect(bin('RightShift', TInt32, -8, 1)).toBe(-4);
    expect(bin('RightShift', TInt32, I32_MIN, 31)).toBe(-1);
    expect(bin('RightShift', TInt32, -1, 32)).toBe(-1);
    expect(bin('RightShift', TInt32, 64, 34)).toBe(16);
    expect(bin('RightShift', TInt32, -7, -31)).toBe(-4); // count 1
    expect(bin('LogicalRightShift', TInt32, -1, 1)).toBe(I32_MAX);
    expect(bin('LogicalRightShift', TInt32, -1, 0)).toBe(-1); // not 4294967295
    expect(bin('LogicalRightShift', TInt32, -1, 32)).toBe(-1);
    expect(bin('LogicalRightShift', TInt32, I32_MIN, 31)).toBe(1);
    expect(bin('LogicalRightShift', TInt32, -16, -1)).toBe(1); // count 31
    expect(bin('LogicalRightShift', TInt32, 16, 2)).toBe(4);
  });

  it('Int64 shifts: count modulo 64, negative counts included', () => {
    expect(bin('LeftShift', TInt64, 1n, 63)).toBe(INT64_MIN);
    expect(bin('LeftShift', TInt64, 1n, 64)).toBe(1n);
    expect(bin('LeftShift', TInt64, 1n, 65)).toBe(2n);
    expect(bin('LeftShift', TInt64, 1n, -1)).toBe(INT64_MIN);
    expect(bin('LeftShift', TInt64, 3n, 63)).toBe(INT64_MIN);
    expect(bin('LeftShift', TInt64, -1n, 32)).toBe(-(2n ** 32n));
    expect(bin('LeftShift', TInt64, 1n, 40)).toBe(2n ** 40n);
    expect(bin('RightShift', TInt64, -8n, 1)).toBe(-4n);
    expect(bin('RightShift', TInt64, INT64_MIN, 63)).toBe(-1n);
    expect(bin('RightShift', TInt64, -1n, 64)).toBe(-1n);
    expect(bin('RightShift', TInt64, -7n, -63)).toBe(-4n); // count 1
    expect(bin('LogicalRightShift', TInt64, -1n, 1)).toBe(INT64_MAX);
    expect(bin('LogicalRightShift', TInt64, -1n, 0)).toBe(-1n);
    expect(bin('LogicalRightShift', TInt64, -1n, 64)).toBe(-1n);
    expect(bin('LogicalRightShift', TInt64, -1n, 65)).toBe(INT64_MAX);
    expect(bin('LogicalRightShift', TInt64, INT64_MIN, 63)).toBe(1n);
    expect(bin('LogicalRightShift', TInt64, -16n, -1)).toBe(1n); // count 63
    expect(bin('LogicalRightShift', TInt64, -1n, 32)).toBe(2n ** 32n - 1n);
  });

  it('BitCount counts the one bits of the two\u2019s complement, as an Int32', () => {
    const cases32: [number, number][] = [
      [0, 0], [1, 1], [-1, 32], [-2, 31], [I32_MIN, 1], [I32_MAX, 31], [0x0f0f0f0f, 16], [-256, 24],
    ];
    for (const [x, n] of cases32) expect(unaryOp('BitCount', TInt32, x), `${x}`).toBe(n);
    const cases64: [bigint, number][] = [
      [0n, 0], [1n, 1], [-1n, 64], [-2n, 63], [INT64_MIN, 1], [INT64_MAX, 63], [2n ** 32n, 1],
      [-(2n ** 32n), 32], [0x0f0f0f0f0f0f0f0fn, 32],
    ];
    for (const [x, n] of cases64) expect(unaryOp('BitCount', TInt64, x), `${x}`).toBe(n);
  });

  it('Bang negates', () => {
    expect(unaryOp('Bang', TBoolean, true)).toBe(false);
    expect(unaryOp('Bang', TBoolean, false)).toBe(true);
  });
});

// ---- §3 floating point ------------------------------------------------------------------------

describe('§3 floating point arithmetic', () => {
  it('every Float32 result is rounded to Float32', () => {
    const [a, b] = [f32(0.1), f32(0.2)];
    expect(bin('Add', TFloat32, a, b)).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(bin('Add', TFloat32, a, b)).not.toBe(a + b);
    expect(bin('Subtract', TFloat32, b, a)).toBe(f32(b - a));
    expect(bin('Multiply', TFloat32, a, b)).toBe(f32(a * b));
    expect(bin('Multiply', TFloat32, a, b)).not.toBe(a * b);
    expect(bin('Add', TFloat32, 16777216, 1)).toBe(16777216); // 2^24 + 1 is not a Float32
  });

  it('overflow gives ±inf (Float32 at Float32 range)', () => {
    expect(bin('Multiply', TFloat32, F32_MAX, 2)).toBe(Infinity);
    expect(bin('Add', TFloat32, -F32_MAX, -F32_MAX)).toBe(-Infinity);
    expect(bin('Multiply', TFloat64, 1e308, 10)).toBe(Infinity);
    expect(bin('Subtract', TFloat64, -Number.MAX_VALUE, Number.MAX_VALUE)).toBe(-Infinity);
    expect(bin('Add', TFloat64, Infinity, -Infinity)).toBe(NaN);
  });

  it('-0.0 is preserved where IEEE produces it', () => {
    expect(bin('Add', TFloat64, -0, -0)).toBe(-0);
    expect(bin('Add', TFloat64, -0, 0)).toBe(0);
    expect(bin('Subtract', TFloat64, -0, 0)).toBe(-0);
    expect(bin('Subtract', TFloat64, 0, 0)).toBe(0);
    expect(bin('Multiply', TFloat64, -1, 0)).toBe(-0);
    expect(bin('Multiply', TFloat32, -1, 0)).toBe(-0);
    expect(bin('FloatingPointDivide', TFloat64, -0, 5)).toBe(-0);
    expect(unaryOp('Negate', TFloat64, 0)).toBe(-0);
    expect(unaryOp('Negate', TFloat64, -0)).toBe(0);
    expect(unaryOp('Negate', TFloat32, 0)).toBe(-0);
    expect(unaryOp('Negate', TFloat64, Infinity)).toBe(-Infinity);
    expect(unaryOp('Negate', TFloat64, NaN)).toBe(NaN);
  });

  it('Float64 ops agree with JS IEEE arithmetic (property)', () => {
    fc.assert(
      fc.property(nastyFloats, nastyFloats, (l, r) => {
        expect(bin('Add', TFloat64, l, r)).toBe(l + r);
        expect(bin('Subtract', TFloat64, l, r)).toBe(l - r);
        expect(bin('Multiply', TFloat64, l, r)).toBe(l * r);
        expect(bin('FloatingPointDivide', TFloat64, l, r)).toBe(l / r);
        expect(bin('RoundToNegInfDivide', TFloat64, l, r)).toBe(Math.floor(l / r));
        expect(unaryOp('Negate', TFloat64, l)).toBe(-l);
      }),
    );
  });

  it('Float32 ops give Float32 values equal to the rounded exact result (property)', () => {
    fc.assert(
      fc.property(nastyFloat32s, nastyFloat32s, (l, r) => {
        for (const [op, exact] of [
          ['Add', l + r],
          ['Subtract', l - r],
          ['Multiply', l * r],
          ['FloatingPointDivide', l / r],
        ] as const) {
          const v = bin(op, TFloat32, l, r) as number;
          expect(v).toBe(f32(v));
          expect(v).toBe(f32(exact));
        }
      }),
    );
  });
});

describe('§3 comparisons by the total order', () => {
  // l, r, EQ, NEQ, LT, LTEQ, GT, GTEQ, Compare
  type Row = [number, number, boolean, boolean, boolean, boolean, boolean, boolean, number];
  const T = true;
  const F = false;
  const rows: Row[] = [
    [NaN, NaN, T, F, F, T, F, T, 0],
    [NaN, 1, F, T, F, F, T, T, 1],
    [1, NaN, F, T, T, T, F, F, -1],
    [NaN, Infinity, F, T, F, F, T, T, 1],
    [Infinity, NaN, F, T, T, T, F, F, -1],
    [NaN, -Infinity, F, T, F, F, T, T, 1],
    [-0, 0, T, F, F, T, F, T, 0],
    [0, -0, T, F, F, T, F, T, 0],
    [-0, -0, T, F, F, T, F, T, 0],
    [-Infinity, -0, F, T, T, T, F, F, -1],
    [Infinity, Infinity, T, F, F, T, F, T, 0],
    [-Infinity, Infinity, F, T, T, T, F, F, -1],
    [Infinity, 1e308, F, T, F, F, T, T, 1],
    [1, 2, F, T, T, T, F, F, -1],
  ];
  const ops: ComparisonOp[] = ['EQ', 'NEQ', 'LT', 'LTEQ', 'GT', 'GTEQ', 'Compare'];

  for (const t of [TFloat64, TFloat32]) {
    it(`NaN, -0.0 and ±inf in every op (${t.kind})`, () => {
      for (const [l, r, ...expected] of rows) {
        ops.forEach((op, i) => {
          expect(comparisonOp(op, t, l, r), `${op}(${l}, ${r})`).toBe(expected[i]);
        });
        expect(comparisonOp('EQWithNA', t, l, r)).toBe(expected[0]);
        expect(comparisonOp('NEQWithNA', t, l, r)).toBe(expected[1]);
      }
    });
  }

  it('integers, Int64 beyond 2^53, booleans and strings', () => {
    expect(comparisonOp('LT', TInt32, I32_MIN, I32_MAX)).toBe(true);
    expect(comparisonOp('Compare', TInt32, 5, 5)).toBe(0);
    expect(comparisonOp('LT', TInt64, 2n ** 53n, 2n ** 53n + 1n)).toBe(true);
    expect(comparisonOp('EQ', TInt64, 2n ** 53n, 2n ** 53n + 1n)).toBe(false);
    expect(comparisonOp('Compare', TInt64, INT64_MAX, INT64_MIN)).toBe(1);
    expect(comparisonOp('LT', TBoolean, false, true)).toBe(true);
    expect(comparisonOp('GT', TString, 'b', 'abc')).toBe(true);
    expect(comparisonOp('Compare', TString, 'a', 'ab')).toBe(-1);
  });

  it('structs and arrays: lexicographic, missing elements last, Compare in -1..1', () => {
    const s = tStruct([
      ['a', TInt32],
      ['b', TFloat64],
    ]);
    expect(comparisonOp('EQ', s, [1, NaN], [1, NaN])).toBe(true);
    expect(comparisonOp('EQ', s, [1, -0], [1, 0])).toBe(true);
    expect(comparisonOp('GT', s, [1, null], [1, 2])).toBe(true);
    expect(comparisonOp('EQ', s, [1, null], [1, null])).toBe(true);
    expect(comparisonOp('LT', s, [0, 9], [1, 0])).toBe(true);
    expect(comparisonOp('EQ', s, null, [1, 2])).toBe(null);
    const a = tArray(TInt32);
    expect(comparisonOp('LT', a, [1, 2], [1, 2, 3])).toBe(true);
    expect(comparisonOp('Compare', a, [1], [1, 2, 3])).toBe(-1); // compareValues gives -2
    expect(comparisonOp('Compare', a, [1, 2, 3], [1])).toBe(1);
    expect(comparisonOp('Compare', a, [], [])).toBe(0);
    expect(comparisonOp('EQ', a, [null], [null])).toBe(true);
    expect(comparisonOp('LT', a, [5], [null])).toBe(true);
  });

  it('agree with compareValues on values of any type (property)', () => {
    const arbCase = arbType().chain((t) => fc.tuple(fc.constant(t), arbValue(t), arbValue(t)));
    fc.assert(
      fc.property(arbCase, ([t, l, r]) => {
        for (const [x, y] of [
          [l, r],
          [l, l],
          [r, l],
        ] as const) {
          const c = compareValues(t, x, y);
          const missing = x === null || y === null;
          expect(comparisonOp('EQ', t, x, y)).toBe(missing ? null : c === 0);
          expect(comparisonOp('NEQ', t, x, y)).toBe(missing ? null : c !== 0);
          expect(comparisonOp('LT', t, x, y)).toBe(missing ? null : c < 0);
          expect(comparisonOp('LTEQ', t, x, y)).toBe(missing ? null : c <= 0);
          expect(comparisonOp('GT', t, x, y)).toBe(missing ? null : c > 0);
          expect(comparisonOp('GTEQ', t, x, y)).toBe(missing ? null : c >= 0);
          expect(comparisonOp('Compare', t, x, y)).toBe(missing ? null : Math.sign(c) + 0);
          expect(comparisonOp('EQWithNA', t, x, y)).toBe(c === 0);
          expect(comparisonOp('NEQWithNA', t, x, y)).toBe(c !== 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('§3 min and max by the total order', () => {
  it('NaN is greatest; on ties the first argument is kept', () => {
    for (const t of [TFloat64, TFloat32]) {
      expect(fn('max', t, 1, NaN)).toBe(NaN);
      expect(fn('max', t, NaN, 1)).toBe(NaN);
      expect(fn('min', t, 1, NaN)).toBe(1);
      expect(fn('min', t, NaN, 1)).toBe(1);
      expect(fn('max', t, Infinity, NaN)).toBe(NaN);
      expect(fn('min', t, -Infinity, NaN)).toBe(-Infinity);
      expect(fn('min', t, NaN, NaN)).toBe(NaN);
      expect(fn('min', t, -0, 0)).toBe(-0);
      expect(fn('min', t, 0, -0)).toBe(0);
      expect(fn('max', t, -0, 0)).toBe(-0);
      expect(fn('max', t, 0, -0)).toBe(0);
      expect(fn('min', t, -Infinity, Infinity)).toBe(-Infinity);
      expect(fn('max', t, -Infinity, Infinity)).toBe(Infinity);
    }
    expect(fn('min', TFloat64, 2.5, -1.5)).toBe(-1.5);
    expect(fn('max', TFloat64, 2.5, -1.5)).toBe(2.5);
  });

  it('integers', () => {
    expect(fn('min', TInt32, I32_MIN, I32_MAX)).toBe(I32_MIN);
    expect(fn('max', TInt32, I32_MIN, I32_MAX)).toBe(I32_MAX);
    expect(fn('min', TInt64, 2n ** 53n + 1n, 2n ** 53n)).toBe(2n ** 53n);
    expect(fn('max', TInt64, 2n ** 53n + 1n, 2n ** 53n)).toBe(2n ** 53n + 1n);
  });
});

describe('§3 functions', () => {
  const f = (name: FnName, ...args: number[]) => fn(name, TFloat64, ...args);

  it('exp, log, log10, log2, sqrt, pow at ordinary and special points', () => {
    expect(f('exp', 0)).toBe(1);
    expect(f('exp', 1)).toBeCloseTo(2.718281828459045, 15);
    expect(f('exp', -Infinity)).toBe(0);
    expect(f('exp', Infinity)).toBe(Infinity);
    expect(f('exp', 1000)).toBe(Infinity);
    expect(f('exp', NaN)).toBe(NaN);
    expect(f('log', 1)).toBe(0);
    expect(f('log', Math.E)).toBe(1); // natural, not base 10
    expect(f('log', 100)).toBeCloseTo(4.605170185988092, 14);
    expect(f('log', 0)).toBe(-Infinity);
    expect(f('log', -0)).toBe(-Infinity);
    expect(f('log', -1)).toBe(NaN);
    expect(f('log', Infinity)).toBe(Infinity);
    expect(f('log10', 1000)).toBe(3);
    expect(f('log10', 0)).toBe(-Infinity);
    expect(f('log10', -1)).toBe(NaN);
    expect(f('log2', 8)).toBe(3);
    expect(f('log2', 0.5)).toBe(-1);
    expect(f('log2', -1)).toBe(NaN);
    expect(f('sqrt', 4)).toBe(2);
    expect(f('sqrt', 2)).toBe(1.4142135623730951);
    expect(f('sqrt', -1)).toBe(NaN);
    expect(f('sqrt', -0)).toBe(-0);
    expect(f('sqrt', Infinity)).toBe(Infinity);
    expect(f('pow', 2, 10)).toBe(1024);
    expect(f('pow', 2, -1)).toBe(0.5);
    expect(f('pow', 0, 0)).toBe(1);
    expect(f('pow', NaN, 0)).toBe(1);
    expect(f('pow', -8, 1 / 3)).toBe(NaN);
    expect(f('pow', -8, 3)).toBe(-512);
    expect(f('pow', 0, -1)).toBe(Infinity);
    expect(f('pow', -0, -1)).toBe(-Infinity);
    expect(f('pow', 10, 400)).toBe(Infinity);
    // C99 Annex F, where Math.pow differs: pow(1, y) = 1 for every y, pow(-1, ±inf) = 1.
    expect(f('pow', 1, NaN)).toBe(1);
    expect(f('pow', 1, Infinity)).toBe(1);
    expect(f('pow', -1, Infinity)).toBe(1);
    expect(f('pow', -1, -Infinity)).toBe(1);
    expect(f('pow', NaN, 1)).toBe(NaN);
  });

  it('trigonometric and hyperbolic functions, log1p, expm1', () => {
    expect(f('sin', 0)).toBe(0);
    expect(f('sin', -0)).toBe(-0);
    expect(f('sin', PI / 2)).toBe(1);
    expect(f('sin', Infinity)).toBe(NaN);
    expect(f('cos', 0)).toBe(1);
    expect(f('cos', PI)).toBe(-1);
    expect(f('tan', 0)).toBe(0);
    expect(f('tan', PI / 4)).toBeCloseTo(1, 15);
    expect(f('asin', 1)).toBe(PI / 2);
    expect(f('asin', 2)).toBe(NaN);
    expect(f('acos', 1)).toBe(0);
    expect(f('acos', -1)).toBe(PI);
    expect(f('acos', 2)).toBe(NaN);
    expect(f('atan', Infinity)).toBe(PI / 2);
    expect(f('atan', -Infinity)).toBe(-PI / 2);
    expect(f('atan2', 1, 1)).toBe(PI / 4);
    expect(f('atan2', 0, -1)).toBe(PI);
    expect(f('atan2', -0, -1)).toBe(-PI);
    expect(f('atan2', 0, 0)).toBe(0);
    expect(f('atan2', 1, 0)).toBe(PI / 2);
    expect(f('sinh', 0)).toBe(0);
    expect(f('sinh', -Infinity)).toBe(-Infinity);
    expect(f('cosh', 0)).toBe(1);
    expect(f('cosh', -Infinity)).toBe(Infinity);
    expect(f('tanh', Infinity)).toBe(1);
    expect(f('tanh', -Infinity)).toBe(-1);
    expect(f('tanh', -0)).toBe(-0);
    expect(f('log1p', 0)).toBe(0);
    expect(f('log1p', -0)).toBe(-0);
    expect(f('log1p', -1)).toBe(-Infinity);
    expect(f('log1p', -2)).toBe(NaN);
    expect(f('log1p', 1e-20)).toBe(1e-20);
    expect(f('expm1', 0)).toBe(0);
    expect(f('expm1', -0)).toBe(-0);
    expect(f('expm1', -Infinity)).toBe(-1);
    expect(f('expm1', 1e-20)).toBe(1e-20);
  });

  it('sigmoid and softplus are stable at the extremes', () => {
    expect(f('sigmoid', 0)).toBe(0.5);
    expect(f('sigmoid', 1000)).toBe(1);
    expect(f('sigmoid', -1000)).toBe(0);
    expect(f('sigmoid', Infinity)).toBe(1);
    expect(f('sigmoid', -Infinity)).toBe(0);
    expect(f('sigmoid', NaN)).toBe(NaN);
    expect(f('sigmoid', 1)).toBeCloseTo(0.7310585786300049, 15);
    expect(f('sigmoid', -1)).toBeCloseTo(0.2689414213699951, 15);
    expect(f('sigmoid', -700)).toBeGreaterThan(0); // exp(-700) ~ 9.9e-305
    expect(Math.abs((f('sigmoid', -700) as number) / Math.exp(-700) - 1)).toBeLessThan(1e-15);
    expect(f('softplus', 1000)).toBe(1000);
    expect(f('softplus', -1000)).toBe(0);
    expect(f('softplus', Infinity)).toBe(Infinity);
    expect(f('softplus', -Infinity)).toBe(0);
    expect(f('softplus', NaN)).toBe(NaN);
    expect(f('softplus', 0)).toBe(Math.LN2);
    expect(f('softplus', 1)).toBeCloseTo(1.3132616875182228, 15);
    expect(f('softplus', -1)).toBeCloseTo(0.31326168751822286, 15);
    expect(f('softplus', 710)).toBe(710); // naive log(1 + exp(710)) is inf
  });

  it('sign returns -1, 0 or 1 in the argument type; sign(-0.0) = 0.0; sign(NaN) = NaN', () => {
    expect(fn('sign', TInt32, -7)).toBe(-1);
    expect(fn('sign', TInt32, 0)).toBe(0);
    expect(fn('sign', TInt32, I32_MIN)).toBe(-1);
    expect(fn('sign', TInt32, 7)).toBe(1);
    expect(fn('sign', TInt64, INT64_MIN)).toBe(-1n);
    expect(fn('sign', TInt64, 0n)).toBe(0n);
    expect(fn('sign', TInt64, 5n)).toBe(1n);
    expect(f('sign', -0)).toBe(0);
    expect(f('sign', 0)).toBe(0);
    expect(f('sign', NaN)).toBe(NaN);
    expect(f('sign', -Infinity)).toBe(-1);
    expect(f('sign', 0.5)).toBe(1);
    expect(f('sign', -Number.MIN_VALUE)).toBe(-1);
    expect(fn('sign', TFloat32, f32(-2.5))).toBe(-1);
    expect(fn('sign', TFloat32, -0)).toBe(0);
  });

  it('abs of floats', () => {
    expect(f('abs', -0)).toBe(0);
    expect(f('abs', -Infinity)).toBe(Infinity);
    expect(f('abs', NaN)).toBe(NaN);
    expect(f('abs', -2.5)).toBe(2.5);
    expect(fn('abs', TFloat32, f32(-0.1))).toBe(f32(0.1));
  });

  it('floor and ceil keep the type and IEEE signs', () => {
    expect(f('floor', 2.5)).toBe(2);
    expect(f('floor', -2.5)).toBe(-3);
    expect(f('floor', -0.5)).toBe(-1);
    expect(f('floor', -0)).toBe(-0);
    expect(f('floor', NaN)).toBe(NaN);
    expect(f('floor', Infinity)).toBe(Infinity);
    expect(f('floor', 1e300)).toBe(1e300);
    expect(f('ceil', 2.1)).toBe(3);
    expect(f('ceil', -2.1)).toBe(-2);
    expect(f('ceil', -0.5)).toBe(-0);
    expect(f('ceil', -Infinity)).toBe(-Infinity);
    expect(fn('floor', TFloat32, f32(2.7))).toBe(2);
    expect(fn('ceil', TFloat32, f32(2.2))).toBe(3);
    expect(fn('ceil', TFloat32, f32(-0.2))).toBe(-0);
  });

  it('isnan and is_finite', () => {
    for (const t of [TFloat64, TFloat32]) {
      expect(fn('isnan', t, NaN)).toBe(true);
      expect(fn('isnan', t, Infinity)).toBe(false);
      expect(fn('isnan', t, 0)).toBe(false);
      expect(fn('is_finite', t, Infinity)).toBe(false);
      expect(fn('is_finite', t, -Infinity)).toBe(false);
      expect(fn('is_finite', t, NaN)).toBe(false);
      expect(fn('is_finite', t, -0)).toBe(true);
      expect(fn('is_finite', t, 1)).toBe(true);
    }
  });

  it('toInt32, toInt64, toFloat64 behave as Cast', () => {
    expect(fn('toInt32', TFloat64, 2.9)).toBe(2);
    expect(fn('toInt32', TFloat64, -2.9)).toBe(-2);
    expect(errorOf(() => fn('toInt32', TFloat64, NaN))).toBe('CastOutOfRange');
    expect(fn('toInt32', TInt64, 5n)).toBe(5);
    expect(errorOf(() => fn('toInt32', TInt64, 2n ** 31n))).toBe('IntegerOverflow');
    expect(fn('toInt32', TInt32, 5)).toBe(5);
    expect(fn('toInt64', TInt32, -5)).toBe(-5n);
    expect(fn('toInt64', TFloat32, f32(-2.5))).toBe(-2n);
    expect(errorOf(() => fn('toInt64', TFloat64, 2 ** 63))).toBe('CastOutOfRange');
    expect(fn('toFloat64', TInt64, INT64_MAX)).toBe(2 ** 63);
    expect(fn('toFloat64', TFloat32, f32(0.1))).toBe(f32(0.1));
    expect(fn('toFloat64', TInt32, I32_MIN)).toBe(I32_MIN);
    const numeric: [Type, fc.Arbitrary<Value>][] = [
      [TInt32, nastyInt32],
      [TInt64, nastyInt64],
      [TFloat32, nastyFloat32s],
      [TFloat64, nastyFloats],
    ];
    for (const [from, arb] of numeric) {
      for (const [name, to] of [
        ['toInt32', TInt32],
        ['toInt64', TInt64],
        ['toFloat64', TFloat64],
      ] as const) {
        fc.assert(
          fc.property(arb, (x) => {
            const viaCast = errorOf(() => cast(from, to, x));
            const viaFn = errorOf(() => applyFunction(name, [from], [x]));
            expect(viaFn).toBe(viaCast);
            if (viaCast === 'none') expect(applyFunction(name, [from], [x])).toBe(cast(from, to, x));
          }),
          { numRuns: 200 },
        );
      }
    }
  });

  it('every function in the table is implemented and returns its declared type', () => {
    const sample = (t: Type): Value => (t.kind === 'Int64' ? 3n : t.kind === 'Float32' ? f32(0.25) : t.kind === 'Int32' ? 3 : 0.25);
    for (const name of fnNames) {
      const info = functions[name];
      for (const t of [TInt32, TInt64, TFloat32, TFloat64]) {
        const argTypes = Array<Type>(info.arity).fill(t);
        const rt = info.result(argTypes);
        if (rt === undefined) continue;
        const v = applyFunction(name, argTypes, argTypes.map(sample));
        const kind = rt.kind;
        if (kind === 'Boolean') expect(typeof v, name).toBe('boolean');
        else if (kind === 'Int64') expect(typeof v, name).toBe('bigint');
        else {
          expect(typeof v, `${name}(${t.kind})`).toBe('number');
          if (kind === 'Int32') expect(Number.isInteger(v), name).toBe(true);
          if (kind === 'Float32') expect(v, name).toBe(f32(v as number));
        }
      }
    }
  });
});

// ---- §4 conversions ---------------------------------------------------------------------------

describe('§4 casts', () => {
  it('integer to integer: exact, IntegerOverflow when out of range', () => {
    expect(cast(TInt32, TInt64, I32_MIN)).toBe(-2147483648n);
    expect(cast(TInt32, TInt64, I32_MAX)).toBe(2147483647n);
    expect(cast(TInt64, TInt32, 2147483647n)).toBe(I32_MAX);
    expect(cast(TInt64, TInt32, -2147483648n)).toBe(I32_MIN);
    expect(errorOf(() => cast(TInt64, TInt32, 2147483648n))).toBe('IntegerOverflow');
    expect(errorOf(() => cast(TInt64, TInt32, -2147483649n))).toBe('IntegerOverflow');
    expect(errorOf(() => cast(TInt64, TInt32, INT64_MAX))).toBe('IntegerOverflow');
    expect(cast(TInt64, TInt32, 0n)).toBe(0);
  });

  it('integer to float: round to nearest, ties to even', () => {
    expect(cast(TInt32, TFloat64, I32_MAX)).toBe(2147483647);
    expect(cast(TInt32, TFloat32, 16777217)).toBe(16777216);
    expect(cast(TInt32, TFloat32, 16777219)).toBe(16777220);
    expect(cast(TInt32, TFloat32, I32_MAX)).toBe(2147483648);
    expect(cast(TInt64, TFloat64, 9223372036854775807n)).toBe(9223372036854775808);
    expect(cast(TInt64, TFloat64, INT64_MIN)).toBe(-9223372036854775808);
    expect(cast(TInt64, TFloat64, 2n ** 53n + 1n)).toBe(2 ** 53);
    expect(cast(TInt64, TFloat64, 2n ** 53n + 3n)).toBe(2 ** 53 + 4);
    expect(cast(TInt64, TFloat64, -(2n ** 53n) - 1n)).toBe(-(2 ** 53));
  });

  it('Int64 to Float32 rounds once (no double rounding through Float64)', () => {
    const p60 = 2n ** 60n;
    // Float32 spacing at 2^60 is 2^37; 2^60 + 2^36 is a tie.
    expect(cast(TInt64, TFloat32, p60 + 2n ** 36n)).toBe(2 ** 60); // tie, to even
    expect(cast(TInt64, TFloat32, p60 + 3n * 2n ** 36n)).toBe(2 ** 60 + 2 ** 38); // tie, to even
    // Just above the tie: through Float64 the +1 is lost and the tie goes down; it must go up.
    expect(f32(Number(p60 + 2n ** 36n + 1n))).toBe(2 ** 60);
    expect(cast(TInt64, TFloat32, p60 + 2n ** 36n + 1n)).toBe(2 ** 60 + 2 ** 37);
    expect(cast(TInt64, TFloat32, -(p60 + 2n ** 36n + 1n))).toBe(-(2 ** 60 + 2 ** 37));
    expect(cast(TInt64, TFloat32, p60 + 2n ** 36n - 1n)).toBe(2 ** 60);
    expect(cast(TInt64, TFloat32, INT64_MAX)).toBe(2 ** 63);
    expect(cast(TInt64, TFloat32, INT64_MIN)).toBe(-(2 ** 63));
    expect(cast(TInt64, TFloat32, 16777217n)).toBe(16777216);
    expect(cast(TInt64, TFloat32, 0n)).toBe(0);
  });

  it('Int64 to Float32 is the nearest Float32, ties to even (property)', () => {
    const f32Bits = new Float32Array(1);
    const u32 = new Uint32Array(f32Bits.buffer);
    /** The Float32 next to `x` (finite, nonzero) away from zero by `step` ulps. */
    const neighbour = (x: number, step: 1 | -1): number => {
      f32Bits[0] = x;
      u32[0] = u32[0]! + step;
      return f32Bits[0]!;
    };
    const evenMantissa = (x: number): boolean => {
      f32Bits[0] = x;
      return (u32[0]! & 1) === 0;
    };
    // Near a given number of bits, with and without low bits set, to hit ties.
    const arb = fc.oneof(
      nastyInt64,
      fc.tuple(fc.integer({ min: 25, max: 62 }), fc.bigInt({ min: 0n, max: 2n ** 40n }), fc.boolean()).map(
        ([bits, low, neg]) => {
          const v = (1n << BigInt(bits)) + (low & ((1n << BigInt(bits - 1)) - 1n));
          return neg ? -v : v;
        },
      ),
      fc.tuple(fc.integer({ min: 25, max: 62 }), fc.integer({ min: -3, max: 3 })).map(
        ([bits, d]) => (1n << BigInt(bits)) + (1n << BigInt(bits - 24)) + BigInt(d),
      ),
    );
    fc.assert(
      fc.property(arb, (x) => {
        const y = cast(TInt64, TFloat32, x) as number;
        expect(y).toBe(f32(y));
        if (x > -(2n ** 24n) && x < 2n ** 24n) {
          expect(y).toBe(Number(x)); // exact below 2^24
          return;
        }
        // Candidates: y and its neighbours; none may be closer to x than y (exact bigint distance).
        const dist = (c: number) => {
          const d = BigInt(c) - x;
          return d < 0n ? -d : d;
        };
        const dy = dist(y);
        for (const c of [neighbour(y, 1), neighbour(y, -1)]) {
          if (!Number.isFinite(c)) continue;
          const dc = dist(c);
          expect(dc >= dy).toBe(true);
          if (dc === dy) expect(evenMantissa(y)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('Float64 to Int32: truncate toward zero; NaN, ±inf, out of range raise CastOutOfRange', () => {
    expect(cast(TFloat64, TInt32, 2147483647.9)).toBe(2147483647);
    expect(errorOf(() => cast(TFloat64, TInt32, 2147483648.0))).toBe('CastOutOfRange');
    expect(cast(TFloat64, TInt32, -2147483648.9)).toBe(I32_MIN);
    expect(errorOf(() => cast(TFloat64, TInt32, -2147483649.0))).toBe('CastOutOfRange');
    expect(cast(TFloat64, TInt32, -0.5)).toBe(0);
    expect(cast(TFloat64, TInt32, -0)).toBe(0);
    expect(cast(TFloat64, TInt32, 0.5)).toBe(0);
    expect(cast(TFloat64, TInt32, -1.5)).toBe(-1);
    expect(cast(TFloat64, TInt32, 2.999)).toBe(2);
    for (const bad of [NaN, Infinity, -Infinity, 1e300, -1e300]) {
      expect(errorOf(() => cast(TFloat64, TInt32, bad)), `${bad}`).toBe('CastOutOfRange');
    }
  });

  it('Float64 to Int64: 2^63 itself is out of range; -2^63 is in', () => {
    expect(cast(TFloat64, TInt64, 9223372036854774784)).toBe(9223372036854774784n); // 2^63 - 1024
    expect(errorOf(() => cast(TFloat64, TInt64, 2 ** 63))).toBe('CastOutOfRange');
    expect(cast(TFloat64, TInt64, -(2 ** 63))).toBe(INT64_MIN);
    expect(errorOf(() => cast(TFloat64, TInt64, -(2 ** 63) - 2048))).toBe('CastOutOfRange');
    expect(cast(TFloat64, TInt64, -0.5)).toBe(0n);
    expect(cast(TFloat64, TInt64, 2.9)).toBe(2n);
    expect(cast(TFloat64, TInt64, -2.9)).toBe(-2n);
    expect(cast(TFloat64, TInt64, 2 ** 53 + 2)).toBe(9007199254740994n);
    for (const bad of [NaN, Infinity, -Infinity, 1e300]) {
      expect(errorOf(() => cast(TFloat64, TInt64, bad)), `${bad}`).toBe('CastOutOfRange');
    }
  });

  it('Float32 to integers', () => {
    expect(errorOf(() => cast(TFloat32, TInt32, f32(2147483648)))).toBe('CastOutOfRange');
    expect(cast(TFloat32, TInt32, f32(2147483520))).toBe(2147483520); // largest Float32 below 2^31
    expect(cast(TFloat32, TInt32, f32(-2147483648))).toBe(I32_MIN);
    expect(cast(TFloat32, TInt32, f32(-0.5))).toBe(0);
    expect(errorOf(() => cast(TFloat32, TInt32, NaN))).toBe('CastOutOfRange');
    expect(errorOf(() => cast(TFloat32, TInt64, f32(2 ** 63)))).toBe('CastOutOfRange');
    expect(cast(TFloat32, TInt64, f32(-(2 ** 63)))).toBe(INT64_MIN);
    expect(cast(TFloat32, TInt64, F32_MAX > 2 ** 63 ? f32(2 ** 62) : 0)).toBe(2n ** 62n);
    expect(errorOf(() => cast(TFloat32, TInt64, Infinity))).toBe('CastOutOfRange');
  });

  it('float to integer: error exactly when the truncation is out of range (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nastyFloats,
          fc.double({ min: -1e19, max: 1e19 }),
          fc.double({ min: -3e9, max: 3e9 }),
          fc.constantFrom(2 ** 63, -(2 ** 63), 2 ** 31, -(2 ** 31), 2 ** 31 - 0.5, -(2 ** 31) - 0.5),
        ),
        (x) => {
          for (const [to, lo, hi] of [
            [TInt32, BigInt(I32_MIN), BigInt(I32_MAX)],
            [TInt64, INT64_MIN, INT64_MAX],
          ] as const) {
            const r = errorOf(() => cast(TFloat64, to, x));
            if (!Number.isFinite(x)) {
              expect(r).toBe('CastOutOfRange');
              continue;
            }
            const t = BigInt(Math.trunc(x)); // exact
            if (t < lo || t > hi) expect(r).toBe('CastOutOfRange');
            else {
              const v = cast(TFloat64, to, x);
              expect(typeof v === 'bigint' ? v : BigInt(v as number)).toBe(t);
              if (to === TInt32) expect(v).toBe(Number(t)); // and never -0
            }
          }
        },
      ),
    );
  });

  it('Float64 to Float32: round to nearest, out of range gives ±inf', () => {
    expect(cast(TFloat64, TFloat32, 0.1)).toBe(f32(0.1));
    expect(cast(TFloat64, TFloat32, 0.1)).not.toBe(0.1);
    expect(cast(TFloat64, TFloat32, 1e39)).toBe(Infinity);
    expect(cast(TFloat64, TFloat32, -1e39)).toBe(-Infinity);
    expect(cast(TFloat64, TFloat32, 1e-46)).toBe(0);
    expect(cast(TFloat64, TFloat32, -1e-46)).toBe(-0);
    expect(cast(TFloat64, TFloat32, NaN)).toBe(NaN);
    expect(cast(TFloat64, TFloat32, F32_MAX)).toBe(F32_MAX);
    expect(cast(TFloat64, TFloat32, 1 + 2 ** -24)).toBe(1); // tie, to even
    expect(cast(TFloat64, TFloat32, 1 + 3 * 2 ** -24)).toBe(1 + 2 ** -22); // tie, to even
  });

  it('Float32 to Float64 is exact; Cast to the same type is the identity', () => {
    expect(cast(TFloat32, TFloat64, f32(0.1))).toBe(f32(0.1));
    expect(cast(TFloat32, TFloat64, -0)).toBe(-0);
    expect(cast(TFloat64, TFloat64, -0)).toBe(-0);
    expect(cast(TFloat64, TFloat64, NaN)).toBe(NaN);
    expect(cast(TInt32, TInt32, I32_MIN)).toBe(I32_MIN);
    expect(cast(TInt64, TInt64, INT64_MAX)).toBe(INT64_MAX);
    expect(cast(TString, TString, 'x')).toBe('x');
    const s = tStruct([['a', TInt32]]);
    const v: Value = [1];
    expect(cast(s, s, v)).toBe(v);
  });
});

// ---- integer arithmetic against BigInt ----------------------------------------------------------

describe('integer arithmetic agrees with BigInt (property)', () => {
  const ops = [
    ['Add', (a: bigint, b: bigint) => a + b],
    ['Subtract', (a: bigint, b: bigint) => a - b],
    ['Multiply', (a: bigint, b: bigint) => a * b],
  ] as const;

  it('Int32: the exact result, or IntegerOverflow iff out of range', () => {
    fc.assert(
      fc.property(nastyInt32, nastyInt32, (l, r) => {
        for (const [op, exact] of ops) {
          const e = exact(BigInt(l), BigInt(r));
          if (e < BigInt(I32_MIN) || e > BigInt(I32_MAX)) expect(errorOf(() => bin(op, TInt32, l, r))).toBe('IntegerOverflow');
          else expect(bin(op, TInt32, l, r)).toBe(Number(e));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('Int64: the exact result, or IntegerOverflow iff out of range', () => {
    fc.assert(
      fc.property(nastyInt64, nastyInt64, (l, r) => {
        for (const [op, exact] of ops) {
          const e = exact(l, r);
          if (e < INT64_MIN || e > INT64_MAX) expect(errorOf(() => bin(op, TInt64, l, r))).toBe('IntegerOverflow');
          else expect(bin(op, TInt64, l, r)).toBe(e);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('Int32 and Int64 bit ops and shifts agree with BigInt two\u2019s complement', () => {
    fc.assert(
      fc.property(nastyInt64, nastyInt64, fc.integer(), (l, r, count) => {
        expect(bin('BitAnd', TInt64, l, r)).toBe(BigInt.asIntN(64, l & r));
        expect(bin('BitOr', TInt64, l, r)).toBe(BigInt.asIntN(64, l | r));
        expect(bin('BitXOr', TInt64, l, r)).toBe(BigInt.asIntN(64, l ^ r));
        const n = BigInt(((count % 64) + 64) % 64);
        expect(bin('LeftShift', TInt64, l, count)).toBe(BigInt.asIntN(64, l * 2n ** n));
        expect(bin('RightShift', TInt64, l, count)).toBe(floorDiv(l, 2n ** n));
        expect(bin('LogicalRightShift', TInt64, l, count)).toBe(BigInt.asIntN(64, BigInt.asUintN(64, l) / 2n ** n));
        const l32 = Number(BigInt.asIntN(32, l));
        const n32 = BigInt(((count % 32) + 32) % 32);
        expect(bin('LeftShift', TInt32, l32, count)).toBe(Number(BigInt.asIntN(32, BigInt(l32) * 2n ** n32)));
        expect(bin('RightShift', TInt32, l32, count)).toBe(Number(floorDiv(BigInt(l32), 2n ** n32)));
        expect(bin('LogicalRightShift', TInt32, l32, count)).toBe(
          Number(BigInt.asIntN(32, BigInt.asUintN(32, BigInt(l32)) / 2n ** n32)),
        );
        const ones = (x: bigint) => [...x.toString(2)].filter((c) => c === '1').length;
        expect(unaryOp('BitCount', TInt64, l)).toBe(ones(BigInt.asUintN(64, l)));
        expect(unaryOp('BitCount', TInt32, l32)).toBe(ones(BigInt.asUintN(32, BigInt(l32))));
      }),
      { numRuns: 1000 },
    );
  });
});

function floorDiv(a: bigint, b: bigint): bigint {
  // b > 0 here.
  return a >= 0n ? a / b : -((-a + b - 1n) / b);
}
