import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregatorResultType, makeAggregator } from '../src/backends/interpret/aggregators.js';
import { RuntimeError, type RuntimeErrorClass } from '../src/backends/interpret/errors.js';
import { InternalError } from '../src/diagnostics/diagnostic.js';
import type { AggOp } from '../src/ir/nodes.js';
import {
  TBoolean,
  TFloat32,
  TFloat64,
  TInt32,
  TInt64,
  TString,
  tArray,
  tSet,
  tStruct,
  type Type,
} from '../src/ir/types.js';
import { INT64_MAX, INT64_MIN, canonicalSet, compareValues, type Value } from '../src/ir/value.js';
import { arbType, arbValue, nastyFloats, nastyInt64 } from '../src/testing/index.js';

/** Result after feeding every row. */
function aggregate(op: AggOp, init: readonly Value[], types: readonly Type[], rows: readonly (readonly Value[])[]): Value {
  const agg = makeAggregator(op, init, types);
  for (const r of rows) agg.seq(r);
  return agg.result();
}

/** What a scan sees: the result before each row, then the final result. */
function scan(op: AggOp, init: readonly Value[], types: readonly Type[], rows: readonly (readonly Value[])[]): Value[] {
  const agg = makeAggregator(op, init, types);
  const out: Value[] = [];
  for (const r of rows) {
    out.push(agg.result());
    agg.seq(r);
  }
  out.push(agg.result());
  return out;
}

/** One seq argument per row. */
const col = (xs: readonly Value[]): Value[][] => xs.map((x) => [x]);

function expectRuntimeError(f: () => unknown, errorClass: RuntimeErrorClass): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(RuntimeError);
  expect((caught as RuntimeError).errorClass).toBe(errorClass);
}

interface Case {
  readonly op: AggOp;
  readonly init: readonly Value[];
  readonly types: readonly Type[];
}

const i64 = [TInt64];
const f64 = [TFloat64];

// ---- empty input ------------------------------------------------------------------------------

describe('over no rows', () => {
  const cases: [string, Case, Value][] = [
    ['Count', { op: 'Count', init: [], types: [] }, 0n],
    ['Sum Int64', { op: 'Sum', init: [], types: i64 }, 0n],
    ['Sum Float64', { op: 'Sum', init: [], types: f64 }, 0],
    ['Product Int64', { op: 'Product', init: [], types: i64 }, 1n],
    ['Product Float64', { op: 'Product', init: [], types: f64 }, 1],
    ['Min', { op: 'Min', init: [], types: [TInt32] }, null],
    ['Max', { op: 'Max', init: [], types: [TString] }, null],
    ['Collect', { op: 'Collect', init: [], types: [TInt32] }, []],
    ['CollectAsSet', { op: 'CollectAsSet', init: [], types: [TInt32] }, []],
    ['Take', { op: 'Take', init: [3], types: [TInt32] }, []],
    ['TakeBy', { op: 'TakeBy', init: [3], types: [TInt32, TString] }, []],
    ['PrevNonnull', { op: 'PrevNonnull', init: [], types: [TInt32] }, null],
  ];
  it.each(cases)('%s', (_, c, expected) => {
    expect(aggregate(c.op, c.init, c.types, [])).toEqual(expected);
  });

  it('Sum Float64 is 0.0, not -0.0, and Int64 results are bigints', () => {
    expect(Object.is(aggregate('Sum', [], f64, []), 0)).toBe(true);
    expect(typeof aggregate('Count', [], [], [])).toBe('bigint');
    expect(typeof aggregate('Sum', [], i64, [])).toBe('bigint');
    expect(typeof aggregate('Product', [], i64, [])).toBe('bigint');
  });
});

// ---- all missing ------------------------------------------------------------------------------

describe('over only missing values', () => {
  const three = col([null, null, null]);
  const cases: [string, Case, Value[][], Value][] = [
    ['Count', { op: 'Count', init: [], types: [] }, [[], [], []], 3n],
    ['Sum Int64', { op: 'Sum', init: [], types: i64 }, three, 0n],
    ['Sum Float64', { op: 'Sum', init: [], types: f64 }, three, 0],
    ['Product Int64', { op: 'Product', init: [], types: i64 }, three, 1n],
    ['Product Float64', { op: 'Product', init: [], types: f64 }, three, 1],
    ['Min', { op: 'Min', init: [], types: f64 }, three, null],
    ['Max', { op: 'Max', init: [], types: f64 }, three, null],
    ['Collect', { op: 'Collect', init: [], types: [TInt32] }, three, [null, null, null]],
    ['CollectAsSet', { op: 'CollectAsSet', init: [], types: [TInt32] }, three, [null]],
    ['Take', { op: 'Take', init: [2], types: [TInt32] }, three, [null, null]],
    [
      'TakeBy',
      { op: 'TakeBy', init: [2], types: [TInt32, TInt32] },
      [
        [null, null],
        [null, null],
        [null, null],
      ],
      [null, null],
    ],
    ['PrevNonnull', { op: 'PrevNonnull', init: [], types: [TInt32] }, three, null],
  ];
  it.each(cases)('%s', (_, c, rows, expected) => {
    expect(aggregate(c.op, c.init, c.types, rows)).toEqual(expected);
  });
});

// ---- mixed input ------------------------------------------------------------------------------

describe('over mixed values', () => {
  const ints = col([3n, null, -5n, 10n, null]);
  const floats = col([1.5, null, -2.25, 4]);
  const cases: [string, Case, Value[][], Value][] = [
    ['Count counts missing rows', { op: 'Count', init: [], types: [] }, [[], [], [], [], []], 5n],
    ['Sum Int64', { op: 'Sum', init: [], types: i64 }, ints, 8n],
    ['Sum Float64', { op: 'Sum', init: [], types: f64 }, floats, 3.25],
    ['Product Int64', { op: 'Product', init: [], types: i64 }, ints, -150n],
    ['Product Float64', { op: 'Product', init: [], types: f64 }, floats, -13.5],
    ['Min Int64', { op: 'Min', init: [], types: i64 }, ints, -5n],
    ['Max Int64', { op: 'Max', init: [], types: i64 }, ints, 10n],
    ['Min Int32', { op: 'Min', init: [], types: [TInt32] }, col([7, null, 2, 9]), 2],
    ['Max Float32', { op: 'Max', init: [], types: [TFloat32] }, col([Math.fround(0.1), null, -1]), Math.fround(0.1)],
    ['Min String', { op: 'Min', init: [], types: [TString] }, col(['b', null, 'B', 'a']), 'B'],
    ['Max String', { op: 'Max', init: [], types: [TString] }, col(['b', null, 'B', 'a']), 'b'],
    ['Min Boolean', { op: 'Min', init: [], types: [TBoolean] }, col([true, null, false, true]), false],
    ['Max Boolean', { op: 'Max', init: [], types: [TBoolean] }, col([false, null, true, false]), true],
    ['Collect keeps order and missing', { op: 'Collect', init: [], types: i64 }, ints, [3n, null, -5n, 10n, null]],
    ['CollectAsSet', { op: 'CollectAsSet', init: [], types: i64 }, col([3n, null, -5n, 3n, 10n, null]), [-5n, 3n, 10n, null]],
    ['Take keeps missing', { op: 'Take', init: [3], types: i64 }, ints, [3n, null, -5n]],
    [
      'TakeBy',
      { op: 'TakeBy', init: [2], types: [TString, TInt32] },
      [
        ['a', 5],
        [null, 1],
        ['c', 3],
        ['d', null],
      ],
      [null, 'c'],
    ],
    ['PrevNonnull skips trailing missing', { op: 'PrevNonnull', init: [], types: i64 }, ints, 10n],
  ];
  it.each(cases)('%s', (_, c, rows, expected) => {
    expect(aggregate(c.op, c.init, c.types, rows)).toEqual(expected);
  });

  it('Collect and CollectAsSet of structs', () => {
    const t = tStruct([
      ['a', TInt32],
      ['b', TString],
    ]);
    const rows = col([[2, 'x'], null, [1, null], [2, 'x'], [1, 'y']]);
    expect(aggregate('Collect', [], [t], rows)).toEqual([[2, 'x'], null, [1, null], [2, 'x'], [1, 'y']]);
    expect(aggregate('CollectAsSet', [], [t], rows)).toEqual([[1, 'y'], [1, null], [2, 'x'], null]);
  });

  it('Float64 Sum adds in row order', () => {
    expect(aggregate('Sum', [], f64, col([1e16, 1, -1e16]))).toBe(0);
    expect(aggregate('Sum', [], f64, col([1e16, -1e16, 1]))).toBe(1);
    expect(aggregate('Sum', [], f64, col([0.1, 0.2, 0.3]))).toBe(0.1 + 0.2 + 0.3);
  });

  it('Float64 Product multiplies in row order', () => {
    expect(aggregate('Product', [], f64, col([1e308, 10, 1e-308]))).toBe(Infinity);
    expect(aggregate('Product', [], f64, col([1e308, 1e-308, 10]))).toBeCloseTo(10, 10);
  });

  it('Float64 Sum and Product carry NaN and infinities', () => {
    expect(aggregate('Sum', [], f64, col([1, NaN, 2]))).toBeNaN();
    expect(aggregate('Sum', [], f64, col([Infinity, -Infinity]))).toBeNaN();
    expect(aggregate('Product', [], f64, col([Infinity, 0]))).toBeNaN();
    expect(aggregate('Sum', [], f64, col([Infinity, 1]))).toBe(Infinity);
  });
});

// ---- Min and Max on awkward floats ------------------------------------------------------------

describe('Min and Max use the total order', () => {
  const cases: [AggOp, Value[], Value][] = [
    ['Min', [NaN, 1, -Infinity, Infinity], -Infinity],
    ['Max', [NaN, 1, -Infinity, Infinity], NaN],
    ['Max', [Infinity, null, NaN], NaN],
    ['Min', [NaN, null], NaN],
    ['Min', [NaN, 5], 5],
    ['Max', [-Infinity, -1e308], -1e308],
    ['Min', [-0, 0], -0],
    ['Min', [0, -0], 0],
    ['Max', [-0, 0], -0],
    ['Max', [0, -0], 0],
    ['Min', [1, -0, 0], -0],
    ['Min', [1, 0, -0], 0],
  ];
  it.each(cases)('%s of %j', (op, xs, expected) => {
    expect(aggregate(op, [], f64, col(xs))).toEqual(expected);
    expect(aggregate(op, [], [TFloat32], col(xs))).toEqual(expected);
  });
});

// ---- Int64 overflow ---------------------------------------------------------------------------

describe('Int64 overflow', () => {
  it('Sum reaches both ends of the range exactly', () => {
    expect(aggregate('Sum', [], i64, col([INT64_MAX - 1n, 1n]))).toBe(INT64_MAX);
    expect(aggregate('Sum', [], i64, col([INT64_MIN + 1n, -1n]))).toBe(INT64_MIN);
    expect(aggregate('Sum', [], i64, col([INT64_MAX, INT64_MIN]))).toBe(-1n);
  });

  it('Sum one past either end raises when the result is read', () => {
    for (const [a, b] of [
      [INT64_MAX, 1n],
      [INT64_MIN, -1n],
      [INT64_MAX, INT64_MAX],
    ] as const) {
      const agg = makeAggregator('Sum', [], i64);
      agg.seq([a]);
      agg.seq([b]);
      expectRuntimeError(() => agg.result(), 'IntegerOverflow');
    }
  });

  it('Sum is exact: a partial total outside Int64 is fine when the result fits', () => {
    expect(aggregate('Sum', [], i64, col([INT64_MAX, 1n, -1n]))).toBe(INT64_MAX);
  });

  it('Sum skips missing values without overflowing', () => {
    expect(aggregate('Sum', [], i64, col([INT64_MAX, null, null]))).toBe(INT64_MAX);
  });

  it('Product reaches both ends of the range exactly', () => {
    expect(aggregate('Product', [], i64, col([-(2n ** 62n), 2n]))).toBe(INT64_MIN);
    expect(aggregate('Product', [], i64, col([INT64_MIN, 1n]))).toBe(INT64_MIN);
    expect(aggregate('Product', [], i64, col([INT64_MAX, -1n]))).toBe(INT64_MIN + 1n);
    expect(aggregate('Product', [], i64, col([3037000499n, 3037000499n]))).toBe(9223372030926249001n);
    expect(aggregate('Product', [], i64, col([INT64_MIN, 0n]))).toBe(0n);
  });

  it('Product one past either end raises when the result is read', () => {
    for (const [a, b] of [
      [2n ** 62n, 2n],
      [INT64_MIN, -1n],
      [3037000500n, 3037000500n],
      [-(2n ** 62n) - 1n, 2n],
    ] as const) {
      const agg = makeAggregator('Product', [], i64);
      agg.seq([a]);
      agg.seq([b]);
      expectRuntimeError(() => agg.result(), 'IntegerOverflow');
    }
  });

  it('Product is exact: a later zero makes any partial product fine', () => {
    expect(aggregate('Product', [], i64, col([2n ** 62n, 4n, 0n]))).toBe(0n);
    const huge = Array.from({ length: 200 }, () => INT64_MAX);
    expect(aggregate('Product', [], i64, col([...huge, 0n]))).toBe(0n);
    expectRuntimeError(() => aggregate('Product', [], i64, col(huge)), 'IntegerOverflow');
    expect(aggregate('Product', [], i64, col([INT64_MAX, -1n, -1n]))).toBe(INT64_MAX);
  });

  it('a scan raises only when a row reads an out-of-range total', () => {
    const agg = makeAggregator('Sum', [], i64);
    expect(agg.result()).toBe(0n);
    agg.seq([INT64_MAX]);
    expect(agg.result()).toBe(INT64_MAX);
    agg.seq([1n]);
    expectRuntimeError(() => agg.result(), 'IntegerOverflow');
    agg.seq([-1n]);
    expect(agg.result()).toBe(INT64_MAX);
  });

  it('Float64 Sum overflows to infinity without raising', () => {
    expect(aggregate('Sum', [], f64, col([Number.MAX_VALUE, Number.MAX_VALUE]))).toBe(Infinity);
  });
});

// ---- Take -------------------------------------------------------------------------------------

describe('Take', () => {
  const rows = col([1, null, 3]);
  it('n = 0 takes nothing', () => {
    expect(aggregate('Take', [0], [TInt32], rows)).toEqual([]);
  });
  it('n > rows takes every row', () => {
    expect(aggregate('Take', [10], [TInt32], rows)).toEqual([1, null, 3]);
  });
  it('n = rows takes every row', () => {
    expect(aggregate('Take', [3], [TInt32], rows)).toEqual([1, null, 3]);
  });
  it('a missing n raises InvalidArgument at creation', () => {
    expectRuntimeError(() => makeAggregator('Take', [null], [TInt32]), 'InvalidArgument');
  });
  it('a negative n raises InvalidArgument at creation', () => {
    expectRuntimeError(() => makeAggregator('Take', [-1], [TInt32]), 'InvalidArgument');
    expectRuntimeError(() => makeAggregator('Take', [-2147483648], [TInt32]), 'InvalidArgument');
  });
});

// ---- TakeBy -----------------------------------------------------------------------------------

describe('TakeBy', () => {
  it('ties keep row order', () => {
    const rows = [
      ['a', 2],
      ['b', 1],
      ['c', 2],
      ['d', 1],
      ['e', 2],
    ];
    expect(aggregate('TakeBy', [3], [TString, TInt32], rows)).toEqual(['b', 'd', 'a']);
    expect(aggregate('TakeBy', [4], [TString, TInt32], rows)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('-0.0 and 0.0 keys tie', () => {
    const rows = [
      ['a', 0],
      ['b', -0],
      ['c', 0],
    ];
    expect(aggregate('TakeBy', [2], [TString, TFloat64], rows)).toEqual(['a', 'b']);
  });

  it('missing keys sort last, after NaN, and tie with each other in row order', () => {
    const rows = [
      ['m1', null],
      ['nan', NaN],
      ['m2', null],
      ['one', 1],
      ['inf', Infinity],
    ];
    expect(aggregate('TakeBy', [10], [TString, TFloat64], rows)).toEqual(['one', 'inf', 'nan', 'm1', 'm2']);
    expect(aggregate('TakeBy', [4], [TString, TFloat64], rows)).toEqual(['one', 'inf', 'nan', 'm1']);
  });

  it('keeps missing values', () => {
    expect(
      aggregate('TakeBy', [2], [TInt32, TInt32], [
        [null, 2],
        [7, 3],
        [null, 1],
      ]),
    ).toEqual([null, null]);
  });

  it('n = 0 takes nothing; n > rows sorts every row', () => {
    const rows = [
      [1, 'z'],
      [2, 'y'],
    ];
    expect(aggregate('TakeBy', [0], [TInt32, TString], rows)).toEqual([]);
    expect(aggregate('TakeBy', [5], [TInt32, TString], rows)).toEqual([2, 1]);
  });

  it('a missing or negative n raises InvalidArgument at creation', () => {
    expectRuntimeError(() => makeAggregator('TakeBy', [null], [TInt32, TInt32]), 'InvalidArgument');
    expectRuntimeError(() => makeAggregator('TakeBy', [-3], [TInt32, TInt32]), 'InvalidArgument');
  });

  it('orders by a struct key lexicographically', () => {
    const kt = tStruct([
      ['a', TInt32],
      ['b', TString],
    ]);
    const rows: Value[][] = [
      [1, [2, 'a']],
      [2, [1, null]],
      [3, [1, 'z']],
      [4, null],
    ];
    expect(aggregate('TakeBy', [3], [TInt32, kt], rows)).toEqual([3, 2, 1]);
  });
});

// ---- scans ------------------------------------------------------------------------------------

describe('scan: the result before each row', () => {
  const cases: [string, Case, Value[][], Value[]][] = [
    ['Count', { op: 'Count', init: [], types: [] }, [[], [], []], [0n, 1n, 2n, 3n]],
    ['Sum Int64', { op: 'Sum', init: [], types: i64 }, col([2n, null, 5n]), [0n, 2n, 2n, 7n]],
    ['Sum Float64', { op: 'Sum', init: [], types: f64 }, col([0.5, null, 1]), [0, 0.5, 0.5, 1.5]],
    ['Product Int64', { op: 'Product', init: [], types: i64 }, col([2n, null, -3n]), [1n, 2n, 2n, -6n]],
    ['Product Float64', { op: 'Product', init: [], types: f64 }, col([2, -0.5]), [1, 2, -1]],
    ['Min', { op: 'Min', init: [], types: f64 }, col([null, 3, 0, -0, NaN]), [null, null, 3, 0, 0, 0]],
    ['Max', { op: 'Max', init: [], types: f64 }, col([null, -0, 0, NaN, 7]), [null, null, -0, -0, NaN, NaN]],
    ['Collect', { op: 'Collect', init: [], types: [TInt32] }, col([1, null, 1]), [[], [1], [1, null], [1, null, 1]]],
    [
      'CollectAsSet',
      { op: 'CollectAsSet', init: [], types: [TInt32] },
      col([2, null, 1, 2]),
      [[], [2], [2, null], [1, 2, null], [1, 2, null]],
    ],
    ['Take', { op: 'Take', init: [2], types: [TInt32] }, col([5, null, 7]), [[], [5], [5, null], [5, null]]],
    [
      'TakeBy',
      { op: 'TakeBy', init: [2], types: [TString, TInt32] },
      [
        ['a', 3],
        ['b', 1],
        ['c', 2],
        ['d', 1],
      ],
      [[], ['a'], ['b', 'a'], ['b', 'c'], ['b', 'd']],
    ],
    ['PrevNonnull', { op: 'PrevNonnull', init: [], types: [TInt32] }, col([null, 4, null, 6]), [null, null, 4, 4, 6]],
  ];
  it.each(cases)('%s', (_, c, rows, expected) => {
    expect(scan(c.op, c.init, c.types, rows)).toEqual(expected);
  });

  it('earlier results are not changed by later rows, and reading twice gives the same value', () => {
    for (const c of [
      { op: 'Collect', init: [], types: [TInt32] },
      { op: 'CollectAsSet', init: [], types: [TInt32] },
      { op: 'Take', init: [5], types: [TInt32] },
      { op: 'TakeBy', init: [5], types: [TInt32, TInt32] },
    ] as const) {
      const agg = makeAggregator(c.op, c.init, c.types);
      agg.seq([3, 3]);
      const first = agg.result();
      expect(agg.result()).toEqual(first);
      agg.seq([1, 1]);
      agg.seq([2, 2]);
      expect(first).toEqual([3]);
      expect((agg.result() as readonly Value[]).length).toBe(3);
    }
  });
});

// ---- result types -----------------------------------------------------------------------------

describe('aggregatorResultType', () => {
  const cases: [AggOp, Type[], Type][] = [
    ['Count', [], TInt64],
    ['Sum', [TInt64], TInt64],
    ['Sum', [TFloat64], TFloat64],
    ['Product', [TFloat64], TFloat64],
    ['Min', [TString], TString],
    ['Max', [TBoolean], TBoolean],
    ['Max', [TFloat32], TFloat32],
    ['Collect', [TInt32], tArray(TInt32)],
    ['CollectAsSet', [TString], tSet(TString)],
    ['Take', [TFloat64], tArray(TFloat64)],
    ['TakeBy', [TString, TInt32], tArray(TString)],
    ['PrevNonnull', [tArray(TInt64)], tArray(TInt64)],
  ];
  it.each(cases)('%s %j', (op, types, expected) => {
    expect(aggregatorResultType(op, types)).toEqual(expected);
  });

  it('rejects what the type checker rejects, as an internal error', () => {
    expect(() => aggregatorResultType('Sum', [TInt32])).toThrow(InternalError);
    expect(() => aggregatorResultType('Min', [tArray(TInt32)])).toThrow(InternalError);
    expect(() => aggregatorResultType('TakeBy', [TInt32])).toThrow(InternalError);
    expect(() => makeAggregator('Take', [], [TInt32])).toThrow(InternalError);
  });
});

// ---- properties -------------------------------------------------------------------------------

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
const int64s = fc.oneof(nastyInt64, fc.bigInt({ min: -1000n, max: 1000n }));


function checkInt64Fold(op: 'Sum' | 'Product', zero: bigint, step: (a: bigint, b: bigint) => bigint, xs: (bigint | null)[]) {
  // Exact arithmetic: every prefix's result is the exact fold, an error iff outside Int64.
  const agg = makeAggregator(op, [], i64);
  let exact = zero;
  const check = () => {
    if (exact < INT64_MIN || exact > INT64_MAX) expectRuntimeError(() => agg.result(), 'IntegerOverflow');
    else expect(agg.result()).toBe(exact);
  };
  check();
  for (const x of xs) {
    agg.seq([x]);
    if (x !== null) exact = step(exact, x);
    check();
  }
}

/** The first element x with x <= y (Min) or x >= y (Max) for every y, found without folding. */
function firstExtreme(t: Type, xs: readonly Value[], sign: -1 | 1): Value {
  const present = xs.filter((x) => x !== null);
  return present.find((x) => present.every((y) => compareValues(t, x, y) * sign >= 0)) ?? null;
}

describe('properties', () => {
  it('Int64 Sum is the exact sum of each prefix, an error iff it is outside Int64', () => {
    fc.assert(
      fc.property(fc.array(optional(int64s), { maxLength: 12 }), (xs) => {
        checkInt64Fold('Sum', 0n, (a, b) => a + b, xs);
      }),
      { numRuns: 500 },
    );
  });

  it('Int64 Product is the exact product of each prefix, an error iff it is outside Int64', () => {
    const factors = fc.oneof(int64s, fc.bigInt({ min: -5n, max: 5n }), fc.constantFrom(2n ** 31n, -(2n ** 32n)));
    fc.assert(
      fc.property(fc.array(optional(factors), { maxLength: 12 }), (xs) => {
        checkInt64Fold('Product', 1n, (a, b) => a * b, xs);
      }),
      { numRuns: 500 },
    );
  });

  it('Min and Max are the first minimal and maximal element by compareValues', () => {
    const samples: [Type, fc.Arbitrary<Value>][] = [
      [TFloat64, fc.oneof(nastyFloats, fc.constantFrom(0, -0, NaN))],
      [TInt64, fc.bigInt({ min: -3n, max: 3n })],
      [TString, fc.string({ maxLength: 3 })],
      [TBoolean, fc.boolean()],
    ];
    for (const [t, arb] of samples) {
      fc.assert(
        fc.property(fc.array(optional(arb), { maxLength: 15 }), (xs) => {
          const rows = col(xs);
          expect(aggregate('Min', [], [t], rows)).toEqual(firstExtreme(t, xs, -1));
          expect(aggregate('Max', [], [t], rows)).toEqual(firstExtreme(t, xs, 1));
        }),
        { numRuns: 200 },
      );
    }
  });

  it('TakeBy is a stable sort by key, then the first n', () => {
    const keys = fc.constantFrom<Value>(0, -0, 1, -1, NaN, Infinity, -Infinity, 2.5, null);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(optional(fc.integer({ min: 0, max: 99 })), keys), { maxLength: 30 }),
        fc.nat({ max: 35 }),
        (rows, n) => {
          const expected = rows
            .map((r, i) => [r, i] as const)
            .sort((a, b) => compareValues(TFloat64, a[0][1], b[0][1]) || a[1] - b[1])
            .slice(0, n)
            .map(([r]) => r[0]);
          expect(aggregate('TakeBy', [n], [TInt32, TFloat64], rows)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('TakeBy matches a stable sort for keys of any type', () => {
    const typed = arbType({ maxDepth: 2 }).chain((t) =>
      fc.tuple(fc.constant(t), fc.array(arbValue(t, { maxDepth: 2 }), { maxLength: 12 }), fc.nat({ max: 14 })),
    );
    fc.assert(
      fc.property(typed, ([t, keys, n]) => {
        const expected = keys
          .map((k, i) => [k, i] as const)
          .sort((a, b) => compareValues(t, a[0], b[0]) || a[1] - b[1])
          .slice(0, n)
          .map(([, i]) => i);
        const rows = keys.map((k, i) => [i, k]);
        expect(aggregate('TakeBy', [n], [TInt32, t], rows)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('CollectAsSet is canonicalSet of Collect', () => {
    const typed = arbType({ maxDepth: 2 }).chain((t) =>
      fc.tuple(fc.constant(t), fc.array(arbValue(t, { maxDepth: 2 }), { maxLength: 15 })),
    );
    fc.assert(
      fc.property(typed, ([t, xs]) => {
        const collected = aggregate('Collect', [], [t], col(xs));
        expect(collected).toEqual(xs);
        expect(aggregate('CollectAsSet', [], [t], col(xs))).toEqual(canonicalSet(t, collected as Value[]));
      }),
      { numRuns: 200 },
    );
  });

  it('CollectAsSet keeps the first of equal floats, as canonicalSet does', () => {
    fc.assert(
      fc.property(fc.array(optional(fc.constantFrom(0, -0, NaN, 1)), { maxLength: 10 }), (xs) => {
        expect(aggregate('CollectAsSet', [], f64, col(xs))).toEqual(canonicalSet(TFloat64, xs));
      }),
    );
  });

  it('CollectAsSet over many rows, read at random points, is canonicalSet of the prefix', () => {
    // Long enough that rows are merged into the set mid-stream, not only when read.
    const step = fc.oneof(
      { weight: 20, arbitrary: optional(fc.constantFrom(0, -0, NaN, 1, -1, Infinity, 2.5)).map((x) => ({ x })) },
      { weight: 1, arbitrary: fc.constant('read' as const) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const agg = makeAggregator('CollectAsSet', [], f64);
        const seen: Value[] = [];
        for (const s of [...steps, 'read' as const]) {
          if (s === 'read') {
            expect(agg.result()).toEqual(canonicalSet(TFloat64, seen));
          } else {
            agg.seq([s.x]);
            seen.push(s.x);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('CollectAsSet of many distinct values', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 1009) - 500);
    expect(aggregate('CollectAsSet', [], [TInt32], col(xs))).toEqual(canonicalSet(TInt32, xs));
    expect((aggregate('CollectAsSet', [], [TInt32], col(xs)) as Value[]).length).toBe(1009);
  });

  it('Take is the first n rows; Count the number of rows; PrevNonnull the last present value', () => {
    fc.assert(
      fc.property(fc.array(optional(fc.integer()), { maxLength: 20 }), fc.nat({ max: 25 }), (xs, n) => {
        const rows = col(xs);
        expect(aggregate('Take', [n], [TInt32], rows)).toEqual(xs.slice(0, n));
        expect(aggregate('Count', [], [], xs.map(() => []))).toBe(BigInt(xs.length));
        expect(aggregate('PrevNonnull', [], [TInt32], rows)).toEqual(xs.filter((x) => x !== null).at(-1) ?? null);
      }),
    );
  });

  it('a scan at row i equals the aggregation over rows before i', () => {
    const cases: Case[] = [
      { op: 'Count', init: [], types: [] },
      { op: 'Sum', init: [], types: f64 },
      { op: 'Product', init: [], types: f64 },
      { op: 'Min', init: [], types: f64 },
      { op: 'Max', init: [], types: f64 },
      { op: 'Collect', init: [], types: f64 },
      { op: 'CollectAsSet', init: [], types: f64 },
      { op: 'Take', init: [3], types: f64 },
      { op: 'TakeBy', init: [3], types: [TFloat64, TFloat64] },
      { op: 'PrevNonnull', init: [], types: f64 },
    ];
    const floats = optional(fc.oneof(nastyFloats, fc.constantFrom(0, -0, 1, NaN)));
    for (const c of cases) {
      fc.assert(
        fc.property(fc.array(fc.tuple(floats, floats), { maxLength: 10 }), (pairs) => {
          const rows = pairs.map((p) => p.slice(0, c.types.length));
          const seen = scan(c.op, c.init, c.types, rows);
          expect(seen).toHaveLength(rows.length + 1);
          seen.forEach((v, i) => {
            expect(v).toEqual(aggregate(c.op, c.init, c.types, rows.slice(0, i)));
          });
        }),
        { numRuns: 100 },
      );
    }
  });
});
