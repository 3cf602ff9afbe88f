// Forward-mode differentiation in the interpreter (`interpret(ir, { grad: 'dual' })`,
// src/backends/interpret/dual.ts) against the rules of docs/design/differentiation.md: analytic
// derivatives, the conventions, missing values, control flow, structures, aggregations, nested
// Grads, and central finite differences on random smooth expressions.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { interpret, RuntimeError } from '../src/backends/interpret/index.js';
import { UserError } from '../src/diagnostics/diagnostic.js';
import type { Value } from '../src/ir/value.js';
import { parse } from '../src/parse/index.js';

function run(src: string): Value {
  const r = interpret(parse(src), { grad: 'dual', strict: true });
  if (r.kind !== 'value') throw new Error('a table result');
  return r.value;
}

function num(src: string): number {
  const v = run(src);
  if (typeof v !== 'number') throw new Error(`not a number: ${String(v)}`);
  return v;
}

/** A Float64 literal, -0.0 and whole numbers included. */
const f64 = (x: number): string => `(F64 ${Object.is(x, -0) ? '-0.0' : Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? 'neginf' : String(x)})`;
const x = '(Ref x)';
const y = '(Ref y)';
const add = (a: string, b: string) => `(ApplyBinaryPrimOp Add ${a} ${b})`;
const sub = (a: string, b: string) => `(ApplyBinaryPrimOp Subtract ${a} ${b})`;
const mul = (a: string, b: string) => `(ApplyBinaryPrimOp Multiply ${a} ${b})`;
const div = (a: string, b: string) => `(ApplyBinaryPrimOp FloatingPointDivide ${a} ${b})`;
const cmp = (op: string, a: string, b: string) => `(ApplyComparisonOp ${op} ${a} ${b})`;
const fn = (name: string, ret: string, ...args: string[]) => `(Apply -1 ${name} () ${ret} ${args.join(' ')})`;
const f = (name: string, ...args: string[]) => fn(name, 'Float64', ...args);

/** d body / dx at x = x0 (a Float64 variable). */
const gradAt = (x0: number, body: string) => num(`(Let eval x ${f64(x0)} (Grad x ${body}))`);
/** d body / dx at (x0, y0). */
const gradXY = (x0: number, y0: number, body: string) => num(`(Let eval x eval y ${f64(x0)} ${f64(y0)} (Grad x ${body}))`);
const gradYX = (x0: number, y0: number, body: string) => num(`(Let eval x eval y ${f64(x0)} ${f64(y0)} (Grad y ${body}))`);

function runtimeError(src: string): RuntimeError {
  try {
    run(src);
  } catch (e) {
    if (e instanceof RuntimeError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('functions (differentiation.md, Rules)', () => {
  const sech2 = (a: number) => 1 / Math.cosh(a) ** 2;
  const sig = (a: number) => 1 / (1 + Math.exp(-a));
  const unary: [string, (a: number) => number, number[]][] = [
    ['exp', Math.exp, [-1.5, 0, 2]],
    ['log', (a) => 1 / a, [0.25, 1, 7]],
    ['log10', (a) => 1 / (a * Math.LN10), [0.5, 3]],
    ['log2', (a) => 1 / (a * Math.LN2), [0.5, 3]],
    ['sqrt', (a) => 0.5 / Math.sqrt(a), [0.25, 2, 9]],
    ['sin', Math.cos, [-1, 0.3, 2]],
    ['cos', (a) => -Math.sin(a), [-1, 0.3, 2]],
    ['tan', (a) => 1 + Math.tan(a) ** 2, [-1, 0.3, 1.2]],
    ['asin', (a) => 1 / Math.sqrt(1 - a * a), [-0.5, 0, 0.9]],
    ['acos', (a) => -1 / Math.sqrt(1 - a * a), [-0.5, 0, 0.9]],
    ['atan', (a) => 1 / (1 + a * a), [-3, 0, 0.5]],
    ['sinh', Math.cosh, [-2, 0, 1]],
    ['cosh', Math.sinh, [-2, 0, 1]],
    ['tanh', sech2, [-2, 0, 0.7]],
    ['log1p', (a) => 1 / (1 + a), [-0.5, 0, 3]],
    ['expm1', Math.exp, [-2, 0, 1.5]],
    ['sigmoid', (a) => sig(a) * (1 - sig(a)), [-3, 0, 2]],
    ['softplus', sig, [-3, 0, 2]],
    ['abs', (a) => Math.sign(a), [-2.5, 3]],
  ];
  for (const [name, d, points] of unary) {
    test(`${name}' at ${points.join(', ')}`, () => {
      for (const p of points) expect(gradAt(p, f(name, x))).toBeCloseTo(d(p), 12);
    });
  }

  test('the chain rule through a function: exp(sin(x) * x)', () => {
    const p = 0.7;
    expect(gradAt(p, f('exp', mul(f('sin', x), x)))).toBeCloseTo(Math.exp(Math.sin(p) * p) * (Math.cos(p) * p + Math.sin(p)), 12);
  });

  test('pow by its base and by its exponent', () => {
    for (const [a, b] of [
      [2, 3],
      [1.5, -0.5],
      [0.3, 2.5],
    ] as const) {
      expect(gradXY(a, b, f('pow', x, y))).toBeCloseTo(b * a ** (b - 1), 12);
      expect(gradYX(a, b, f('pow', x, y))).toBeCloseTo(a ** b * Math.log(a), 12);
    }
    // A negative base with a constant exponent: no ln(a) term is built.
    expect(gradAt(-2, f('pow', x, f64(3)))).toBe(12);
  });

  test('atan2 by y and by x', () => {
    for (const [a, b] of [
      [1, 2],
      [-0.5, 0.3],
    ] as const) {
      expect(gradXY(a, b, f('atan2', x, y))).toBeCloseTo(b / (a * a + b * b), 12);
      expect(gradYX(a, b, f('atan2', x, y))).toBeCloseTo(-a / (a * a + b * b), 12);
    }
  });

  test('floating mod: da - floor(a/b)·db', () => {
    expect(gradXY(7.5, 2, f('mod', x, y))).toBe(1);
    expect(gradYX(7.5, 2, f('mod', x, y))).toBe(-3);
    expect(gradYX(-7.5, 2, f('mod', x, y))).toBe(4);
  });

  test('min and max pick the derivative of the argument they pick', () => {
    expect(gradAt(3, f('min', x, mul(x, x)))).toBe(1);
    expect(gradAt(3, f('max', x, mul(x, x)))).toBe(6);
    expect(gradAt(0.5, f('max', x, mul(x, x)))).toBe(1);
  });

  test('toFloat64 passes the derivative; steps give 0', () => {
    expect(num(`(Let eval x (I32 3) (Grad x ${fn('toFloat64', 'Float64', mul(x, x))}))`)).toBe(6);
    for (const step of ['sign', 'floor', 'ceil']) expect(gradAt(2.5, mul(f(step, x), x))).toBe(step === 'sign' ? 1 : Math[step as 'floor' | 'ceil'](2.5));
    expect(gradAt(2.5, fn('toInt32', 'Int32', mul(x, x)))).toBe(0);
    expect(gradAt(2.5, fn('toInt64', 'Int64', mul(x, x)))).toBe(0);
  });
});

describe('conventions', () => {
  test("abs'(0) = 1, at both zeros", () => {
    expect(gradAt(0, f('abs', x))).toBe(1);
    expect(gradAt(-0, f('abs', x))).toBe(1);
    expect(gradAt(-1e-300, f('abs', x))).toBe(-1);
  });

  test('a tie of min or max takes the second argument', () => {
    expect(gradAt(2, f('min', x, f64(2)))).toBe(0);
    expect(gradAt(2, f('min', f64(2), x))).toBe(1);
    expect(gradAt(2, f('max', x, f64(2)))).toBe(0);
    expect(gradAt(2, f('max', f64(2), x))).toBe(1);
    // relu'(0) = 0 (JAX)
    expect(gradAt(0, f('max', x, f64(0)))).toBe(0);
    expect(gradAt(0.1, f('max', x, f64(0)))).toBe(1);
    // min(x, x²) at 1: both arguments tie, the second's derivative 2x
    expect(gradAt(1, f('min', x, mul(x, x)))).toBe(2);
  });

  test('pow: the da term is 0 where b = 0, the db term where a = 0', () => {
    // Unguarded, 0·pow(0, -1) = 0·inf and pow(0, y)·ln(0) = 0·-inf would be NaN.
    expect(gradAt(0, f('pow', x, f64(0)))).toBe(0);
    expect(gradYX(0, 2, f('pow', x, y))).toBe(0);
    expect(gradXY(0, 2, f('pow', x, y))).toBe(0);
    expect(gradXY(0, 0, f('pow', x, y))).toBe(0);
  });

  test('atan2 at the origin is 0', () => {
    expect(gradXY(0, 0, f('atan2', x, y))).toBe(0);
    expect(gradYX(0, 0, f('atan2', x, y))).toBe(0);
  });

  test('sqrt at 0 is +inf, at either zero', () => {
    expect(gradAt(0, f('sqrt', x))).toBe(Infinity);
    expect(gradAt(-0, f('sqrt', x))).toBe(Infinity);
  });

  test("softplus' is a stable sigmoid: exactly 1 at 1000 and 0 at -1000", () => {
    expect(gradAt(1000, f('softplus', x))).toBe(1);
    expect(gradAt(-1000, f('softplus', x))).toBe(0);
    expect(gradAt(40, f('softplus', x))).toBe(1 / (1 + Math.exp(-40)));
  });

  test('a body that does not read x has derivative 0; a variable bound outside is a constant', () => {
    expect(gradAt(3, f64(7))).toBe(0);
    expect(num(`(Let eval x (F64 3.0) (Let eval c ${mul(x, x)} (Grad x ${mul('(Ref c)', x)})))`)).toBe(9);
  });

  test('a term whose tangent is 0 is still built (as the symbolic pass builds it), so inf·0 is NaN', () => {
    const inf = f64(Infinity);
    // The branch taken carries no tangent, the other would: the term is 0, times inf.
    expect(gradAt(-1, mul(inf, `(If ${cmp('GT', x, f64(0))} ${x} ${f64(2)})`))).toBeNaN();
    expect(gradAt(2, mul(inf, f('min', x, f64(2))))).toBeNaN();
    const none = `(TableAggregate (TableRange 3 1) (ApplyAggOp Sum () ((If ${cmp('GT', '(GetField idx (Ref row))', '(I32 5)')} ${x} ${f64(1)}))))`;
    expect(gradAt(1, mul(inf, none))).toBeNaN();
    // x only in the condition: no term at all.
    expect(gradAt(-1, mul(inf, `(If ${cmp('GT', x, f64(0))} ${f64(1)} ${f64(2)})`))).toBe(0);
  });

  test('a derivative raises only where its body does', () => {
    expect(runtimeError(`(Let eval x (I32 2147483647) (Grad x ${add(x, '(I32 1)')}))`).errorClass).toBe('IntegerOverflow');
    expect(gradAt(0, div(f64(1), x))).toBe(-Infinity);
  });
});

describe('missing values', () => {
  test('a missing variable or body makes the derivative missing', () => {
    expect(run(`(Let eval x (NA Float64) (Grad x ${mul(x, x)}))`)).toBeNull();
    expect(run(`(Let eval x (NA Float64) (Grad x (F64 1.0)))`)).toBe(0);
    const partial = `(If ${cmp('GT', x, f64(0))} ${mul(x, x)} (NA Float64))`;
    expect(gradAt(3, partial)).toBe(6);
    expect(run(`(Let eval x (F64 -3.0) (Grad x ${partial}))`)).toBeNull();
    // A strict operation with a missing operand is missing.
    expect(run(`(Let eval x (F64 1.0) (Let eval m (If ${cmp('GT', x, f64(5))} (F64 1.0) (NA Float64)) (Grad x ${add(mul(x, x), '(Ref m)')})))`)).toBeNull();
    expect(run(`(Let eval x (F64 1.0) (Grad x ${f('exp', '(NA Float64)')}))`)).toBeNull();
  });

  test('each field of a Gradient is missing where the body is; the struct is present', () => {
    const body = `(If ${cmp('GT', x, y)} ${mul(x, y)} (NA Float64))`;
    expect(run(`(Let eval x eval y (F64 1.0) (F64 2.0) (Gradient (x y) ${body}))`)).toEqual([null, null]);
    expect(run(`(Let eval x eval y (F64 3.0) (F64 2.0) (Gradient (x y) ${body}))`)).toEqual([2, 3]);
  });

  test('IsNA is not differentiated', () => {
    expect(gradAt(2, `(If (IsNA ${x}) (F64 0.0) ${mul(x, x)})`)).toBe(4);
  });
});

describe('Let, control flow, structures', () => {
  test('Let bindings are followed (chain rule through shared intermediates)', () => {
    const p = 0.8;
    const body = `(Let eval u eval v ${mul(x, x)} ${f('sin', '(Ref u)')} ${mul('(Ref v)', '(Ref u)')})`;
    // d/dx [sin(x²)·x²] = cos(x²)·2x·x² + sin(x²)·2x
    expect(gradAt(p, body)).toBeCloseTo(Math.cos(p * p) * 2 * p * p * p + Math.sin(p * p) * 2 * p, 12);
    // A binding not depending on x is a constant inside.
    expect(gradAt(2, `(Let eval k (F64 5.0) ${mul('(Ref k)', x)})`)).toBe(5);
    // A binding that shadows x is not x.
    expect(gradAt(2, `(Let eval x (F64 5.0) ${mul(x, x)})`)).toBe(0);
  });

  test('If, Switch and Coalesce are differentiated branch-wise', () => {
    const iff = `(If ${cmp('LT', x, f64(1))} ${mul(x, f64(3))} ${mul(x, x)})`;
    expect(gradAt(0.5, iff)).toBe(3);
    expect(gradAt(2, iff)).toBe(4);
    const sw = `(Switch (Cast Int32 ${x}) ${f('sin', x)} ${mul(x, f64(10))} ${mul(x, x)})`;
    expect(gradAt(0.5, sw)).toBe(10);
    expect(gradAt(1.5, sw)).toBe(3);
    expect(gradAt(4, sw)).toBeCloseTo(Math.cos(4), 14);
    const co = `(Coalesce (If ${cmp('GT', x, f64(0))} ${mul(x, x)} (NA Float64)) ${mul(x, f64(-7))})`;
    expect(gradAt(3, co)).toBe(6);
    expect(gradAt(-3, co)).toBe(-7);
  });

  test('struct and tuple fields carry the derivative of what made them', () => {
    const s = `(MakeStruct (a ${mul(x, x)}) (b ${f('exp', x)}) (c (Str "s")))`;
    expect(gradAt(2, `(GetField a ${s})`)).toBe(4);
    expect(gradAt(2, `(GetField b (Let eval s ${s} (Ref s)))`)).toBeCloseTo(Math.exp(2), 12);
    expect(gradAt(2, `(GetField b (SelectFields (b) ${s}))`)).toBeCloseTo(Math.exp(2), 12);
    expect(gradAt(2, `(GetField d (InsertFields ${s} None (d ${mul(x, f64(4))})))`)).toBe(4);
    expect(gradAt(2, `(GetField a (InsertFields ${s} None (d ${mul(x, f64(4))})))`)).toBe(4);
    const t = `(MakeTuple (0 3) ${mul(x, f64(9))} ${mul(x, mul(x, x))})`;
    expect(gradAt(2, `(GetTupleElement 0 ${t})`)).toBe(9);
    expect(gradAt(2, `(GetTupleElement 3 ${t})`)).toBe(12);
    // Comparing structs compares their values.
    expect(gradAt(2, `(If ${cmp('EQ', s, s)} (GetField a ${s}) (F64 0.0))`)).toBe(4);
  });
});

describe('numeric types', () => {
  test('Int32 and Int64 arithmetic is differentiated as if real, in Float64', () => {
    expect(num(`(Let eval x (I32 3) (Grad x ${mul(x, x)}))`)).toBe(6);
    expect(num(`(Let eval x (I64 3) (Grad x ${mul(x, mul(x, '(I64 5)'))}))`)).toBe(30);
    expect(num(`(Let eval x (I32 3) (Grad x ${div(x, '(I32 2)')}))`)).toBe(0.5);
    expect(num(`(Let eval x (I32 -4) (Grad x ${fn('abs', 'Int32', x)}))`)).toBe(-1);
    expect(num(`(Let eval x (I32 3) (Grad x (Cast Float64 ${mul(x, x)})))`)).toBe(6);
  });

  test('integer steps have derivative 0', () => {
    expect(num(`(Let eval x (I32 7) (Grad x (ApplyBinaryPrimOp RoundToNegInfDivide ${mul(x, x)} (I32 2))))`)).toBe(0);
    expect(num(`(Let eval x (I32 7) (Grad x (ApplyBinaryPrimOp BitAnd ${x} (I32 3))))`)).toBe(0);
    expect(num(`(Let eval x (I32 7) (Grad x ${fn('mod', 'Int32', mul(x, x), '(I32 5)')}))`)).toBe(0);
    expect(gradAt(2.5, `(Cast Int32 ${mul(x, x)})`)).toBe(0);
    expect(gradAt(2.5, `(Cast Int64 ${mul(x, x)})`)).toBe(0);
  });

  test('Float32: primals rounded to Float32 as the interpreter does, tangents in Float64', () => {
    const p = Math.fround(0.1);
    expect(num(`(Let eval x (F32 0.1) (Grad x ${mul(x, x)}))`)).toBe(2 * p);
    // d/dx (x·x·x) = x·x + x·(x + x) with the Float32 primal x·x rounded.
    expect(num(`(Let eval x (F32 0.1) (Grad x ${mul(mul(x, x), x)}))`)).toBe(Math.fround(p * p) + p * (p + p));
    expect(gradAt(0.1, `(Cast Float32 ${mul(x, f64(3))})`)).toBe(3);
  });
});

describe('aggregations', () => {
  const sumOver = (n: number, e: string) => `(TableAggregate (TableRange ${n} 1) (ApplyAggOp Sum () (${e})))`;
  const idx = '(Cast Float64 (GetField idx (Ref row)))';

  test('Sum: the sum of the rows’ derivatives', () => {
    // Σ x²·idx over idx 0..4: 2x·10
    expect(gradAt(3, sumOver(5, mul(mul(x, x), idx)))).toBe(60);
    expect(gradAt(3, mul(x, sumOver(5, mul(x, idx))))).toBe(60);
    // A row that does not depend on x adds nothing to the derivative.
    expect(gradAt(3, sumOver(5, `(If ${cmp('EQ', idx, f64(4))} ${idx} ${mul(x, idx)})`))).toBe(6);
  });

  test('Sum skips the rows where its value is missing, derivative included', () => {
    expect(gradAt(3, sumOver(5, `(If ${cmp('EQ', idx, f64(2))} (NA Float64) ${mul(x, idx)})`))).toBe(8);
  });

  test('Sum over Int64 values', () => {
    expect(num(`(Let eval x (I64 3) (Grad x ${sumOver(4, mul(x, '(Cast Int64 (GetField idx (Ref row)))'))}))`)).toBe(6);
  });

  test('the mean Sum/Count by the chain rule; Count has derivative 0', () => {
    const mean = `(TableAggregate (TableRange 5 1) ${div(`(ApplyAggOp Sum () (${mul(mul(x, x), idx)}))`, '(Cast Float64 (ApplyAggOp Count () ()))')})`;
    // mean of x²·idx = 2x²; derivative 4x
    expect(gradAt(3, mean)).toBe(12);
    expect(gradAt(3, `(Cast Float64 (TableAggregate (TableRange 5 1) (ApplyAggOp Count () ())))`)).toBe(0);
  });

  test('AggFilter: the rows kept, the condition not differentiated', () => {
    const q = `(TableAggregate (TableRange 6 1) (AggFilter False ${cmp('LT', idx, x)} (ApplyAggOp Sum () (${mul(mul(x, x), idx)}))))`;
    // rows idx < 3.5: 0..3, Σidx = 6; derivative 2x·6
    expect(gradAt(3.5, q)).toBe(42);
  });

  test('an agg-scope Let binding inside the query', () => {
    const q = `(TableAggregate (TableRange 4 1) (Let agg w ${mul(x, idx)} (ApplyAggOp Sum () (${mul('(Ref w)', '(Ref w)')}))))`;
    // Σ (x·idx)² = x²·14; derivative 28x
    expect(gradAt(2, q)).toBe(56);
  });

  test('StreamAgg', () => {
    const q = `(StreamAgg e (ToStream False (Literal Array[Float64] "[1.0,2.0,null,4.0]")) (ApplyAggOp Sum () (${mul(x, '(Ref e)')})))`;
    expect(gradAt(5, q)).toBe(7);
    expect(gradAt(5, `(StreamAgg e (ToStream False (Literal Array[Float64] "[1.0,2.0]")) ${mul(x, '(Cast Float64 (ApplyAggOp Count () ()))')})`)).toBe(2);
  });

  test('a Grad inside the query: its variable varies in the rows it aggregates', () => {
    const sumX = `(ApplyAggOp Sum () (${mul(mul(x, x), idx)}))`;
    // d/dx Σ x²·idx over idx 0..3 = 2x·6
    expect(num(`(Let eval x (F64 3.0) (TableAggregate (TableRange 4 1) (Grad x ${sumX})))`)).toBe(36);
    // Its result read twice, and a Sum not depending on x beside it.
    const mixed = add(mul(x, sumX), `(ApplyAggOp Sum () (${idx}))`);
    // d/dx (x·Σ x²·idx + Σ idx) = Σ x²·idx + x·2x·Σ idx = 3x²·6
    expect(num(`(Let eval x (F64 3.0) (TableAggregate (TableRange 4 1) (Grad x ${mixed})))`)).toBe(162);
    // A Grad whose body does not read its variable.
    expect(num(`(Let eval x (F64 3.0) (TableAggregate (TableRange 4 1) (Grad x (ApplyAggOp Sum () (${idx})))))`)).toBe(0);
    // A Gradient: each variable in turn, the rows fed once (Count sees 4 rows).
    const q = `(MakeStruct (g (Gradient (x y) (ApplyAggOp Sum () (${mul(mul(x, y), idx)})))) (n (ApplyAggOp Count () ())))`;
    expect(run(`(Let eval x eval y (F64 3.0) (F64 5.0) (TableAggregate (TableRange 4 1) ${q}))`)).toEqual([[30, 18], 4n]);
    // A StreamAgg, and a filter whose condition reads x.
    const s = `(StreamAgg e (ToStream False (Literal Array[Float64] "[1.0,2.0,4.0]")) (Grad x (AggFilter False ${cmp('LT', '(Ref e)', x)} (ApplyAggOp Sum () (${mul(mul(x, x), '(Ref e)')})))))`;
    expect(num(`(Let eval x (F64 3.0) ${s})`)).toBe(18);
  });

  test('nested Grads around and inside the aggregation', () => {
    const sum = `(ApplyAggOp Sum () (${mul(mul(mul(x, x), y), idx)}))`;
    // Σ x²·y·idx over idx 0..3 = 6x²y; d²/dxdy = 12x.
    expect(gradXY(2, 5, `(TableAggregate (TableRange 4 1) (Grad y ${sum}))`)).toBe(24);
    expect(num(`(Let eval x eval y (F64 2.0) (F64 5.0) (TableAggregate (TableRange 4 1) (Grad x (Grad y ${sum}))))`)).toBe(24);
    expect(num(`(Let eval x eval y (F64 2.0) (F64 5.0) (TableAggregate (TableRange 4 1) (Grad y (Grad x ${sum}))))`)).toBe(24);
    // d/dx d/dx d/dy: 12
    expect(gradXY(2, 5, `(TableAggregate (TableRange 4 1) (Grad x (Grad y ${sum})))`)).toBe(12);
    expect(num(`(Let eval x eval y (F64 2.0) (F64 5.0) (TableAggregate (TableRange 4 1) (Grad x (Grad x ${sum}))))`)).toBe(60);
    // The same variable perturbed by the Grad outside and the one inside.
    expect(gradAt(2, `(TableAggregate (TableRange 4 1) (Grad x (ApplyAggOp Sum () (${mul(mul(x, mul(x, x)), idx)}))))`)).toBe(72);
  });

  test('a Grad inside per-row code: each row its own derivative', () => {
    const q = `(Let eval x (F64 3.0) (TableAggregate (TableRange 4 1) (ApplyAggOp Sum () ((Grad x ${mul(mul(x, x), idx)})))))`;
    expect(num(q)).toBe(36);
  });
});

describe('Gradient and nested derivatives', () => {
  test('Gradient is a struct of the partial derivatives', () => {
    const p = [0.5, -1.25];
    const body = add(mul(x, y), f('sin', x));
    expect(run(`(Let eval x eval y ${f64(p[0]!)} ${f64(p[1]!)} (Gradient (x y) ${body}))`)).toEqual([p[1]! + Math.cos(p[0]!), p[0]]);
    expect(run(`(Let eval x eval y ${f64(p[0]!)} ${f64(p[1]!)} (Gradient (y) ${body}))`)).toEqual([p[0]]);
  });

  test('second derivatives by nested Grads', () => {
    expect(gradAt(2, `(Grad x ${mul(x, mul(x, x))})`)).toBe(12);
    expect(gradAt(0.3, `(Grad x ${f('sin', x)})`)).toBeCloseTo(-Math.sin(0.3), 14);
    expect(gradAt(0.3, `(Grad x (Grad x ${f('exp', mul(x, f64(2)))}))`)).toBeCloseTo(8 * Math.exp(0.6), 12);
    expect(gradAt(1.5, `(Grad x ${f('softplus', x)})`)).toBeCloseTo(Math.exp(-1.5) / (1 + Math.exp(-1.5)) ** 2, 14);
  });

  test('mixed partials', () => {
    // d/dy d/dx (x²·y³) = 6x·y²
    const body = mul(mul(x, x), mul(y, mul(y, y)));
    expect(gradYX(2, 3, `(Grad x ${body})`)).toBe(108);
    expect(gradXY(2, 3, `(Grad y ${body})`)).toBe(108);
    // Row x of the Hessian through a Gradient inside a Grad, and a Gradient of a Grad.
    expect(gradXY(2, 3, `(GetField y (Gradient (x y) ${body}))`)).toBe(108);
    expect(run(`(Let eval x eval y (F64 2.0) (F64 3.0) (Gradient (x y) (Grad x ${body})))`)).toEqual([54, 108]);
  });

  test('no perturbation confusion: d/dx (x · d/dy (x + y)) = 1', () => {
    expect(gradXY(5, 7, mul(x, `(Grad y ${add(x, y)})`))).toBe(1);
    // The same variable, nested: d/dx (x · d/dx (x + x·x)) = 1 + 4x
    expect(gradAt(3, mul(x, `(Grad x ${add(x, mul(x, x))})`))).toBe(13);
  });

  test('a Grad inside a stream body differentiates by the element', () => {
    expect(run(`(ToArray (StreamMap e (ToStream False (Literal Array[Float64] "[1.0,2.0,3.0]")) (Grad e ${mul('(Ref e)', mul('(Ref e)', '(Ref e)'))})))`)).toEqual([3, 12, 27]);
  });
});

describe('what dual numbers cannot differentiate', () => {
  test('an unsupported construct depending on x is an error naming it', () => {
    const fold = `(StreamFold acc e (ToStream False (Literal Array[Float64] "[1.0,2.0]")) ${x} ${mul('(Ref acc)', '(Ref e)')})`;
    const e = runtimeError(`(Let eval x (F64 2.0) (Grad x ${fold}))`);
    expect(e.errorClass).toBe('InvalidArgument');
    expect(e.message).toBe('Grad cannot differentiate through StreamFold');
    const max = `(TableAggregate (TableRange 3 1) (ApplyAggOp Max () (${mul(x, '(Cast Float64 (GetField idx (Ref row)))')})))`;
    expect(runtimeError(`(Let eval x (F64 2.0) (Gradient (x) ${max}))`).message).toBe('Gradient cannot differentiate through ApplyAggOp Max');
    const arr = `(ArrayRef -1 (MakeArray Array[Float64] ${x}) (I32 0))`;
    const inQuery = `(Let eval x (F64 2.0) (TableAggregate (TableRange 3 1) (Grad x (ApplyAggOp Min () (${mul(x, '(Cast Float64 (GetField idx (Ref row)))')})))))`;
    expect(runtimeError(inQuery).message).toBe('Grad cannot differentiate through ApplyAggOp Min');
    expect(runtimeError(`(Let eval x (F64 2.0) (Grad x ${arr}))`).message).toContain('through MakeArray');
  });

  test('even in a branch not taken (as the symbolic pass refuses it whole)', () => {
    const fold = `(StreamFold acc e (ToStream False (Literal Array[Float64] "[1.0]")) ${x} (Ref acc))`;
    expect(runtimeError(`(Let eval x (F64 2.0) (Grad x (If ${cmp('GT', x, f64(0))} ${x} ${fold})))`).message).toContain('StreamFold');
  });

  test('the same construct not depending on x is a constant', () => {
    const fold = `(StreamFold acc e (ToStream False (Literal Array[Float64] "[1.0,2.0]")) (F64 1.0) ${add('(Ref acc)', '(Ref e)')})`;
    expect(gradAt(2, mul(x, fold))).toBe(4);
  });
});

describe('depth', () => {
  test('a 10,000-deep Add chain inside a Grad runs, or says it is too deep (as the interpreter does)', () => {
    const chain = (n: number) => '(ApplyBinaryPrimOp Add '.repeat(n) + x + ` ${x})`.repeat(n);
    expect(gradAt(1, chain(5_000))).toBe(5_001);
    const n = 10_000;
    const body = chain(n);
    let out: number | undefined;
    try {
      out = gradAt(1, body);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).diagnostics[0]!.message).toContain('nests too deeply');
    }
    if (out !== undefined) expect(out).toBe(n + 1);
  });
});

// ---- finite differences --------------------------------------------------------------------------

/** Smooth expressions of x and y, kept away from singularities and overflow. */
const arbSmooth: fc.Memo<string> = fc.memo((d) => {
  const leaf = fc.oneof(fc.constant(x), fc.constant(y), fc.double({ min: -2, max: 2, noNaN: true }).map(f64));
  if (d <= 1) return leaf;
  const e = arbSmooth(d - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 1 },
    { arbitrary: fc.tuple(e, e).map(([a, b]) => add(a, b)), weight: 2 },
    { arbitrary: fc.tuple(e, e).map(([a, b]) => sub(a, b)), weight: 1 },
    { arbitrary: fc.tuple(e, e).map(([a, b]) => mul(a, b)), weight: 2 },
    // Denominators at least 1.
    { arbitrary: fc.tuple(e, e).map(([a, b]) => div(a, add(f64(1), mul(b, b)))), weight: 1 },
    { arbitrary: e.map((a) => f('exp', f('tanh', a))), weight: 1 },
    ...['sin', 'tanh', 'sigmoid', 'softplus'].map((name) => ({ arbitrary: e.map((a) => f(name, a)), weight: 1 })),
  );
});

const arbPoint = fc.double({ min: -2, max: 2, noNaN: true });

function valueAt(body: string, x0: number, y0: number): number {
  return num(`(Let eval x eval y ${f64(x0)} ${f64(y0)} ${body})`);
}

/** |a - b| within a relative 1e-4 plus an absolute part scaled by the function's size. */
function close(a: number, b: number, scale: number): boolean {
  return Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(a), Math.abs(b)) + 1e-6 * (1 + scale);
}

describe('against central finite differences', () => {
  test('Gradient of random smooth expressions', () => {
    const h = 1e-6;
    fc.assert(
      fc.property(arbSmooth(4), arbPoint, arbPoint, (body, x0, y0) => {
        const g = run(`(Let eval x eval y ${f64(x0)} ${f64(y0)} (Gradient (x y) ${body}))`) as number[];
        const fx = (valueAt(body, x0 + h, y0) - valueAt(body, x0 - h, y0)) / (2 * h);
        const fy = (valueAt(body, x0, y0 + h) - valueAt(body, x0, y0 - h)) / (2 * h);
        const size = Math.abs(valueAt(body, x0, y0));
        expect(close(g[0]!, fx, size), `d/dx ${g[0]} vs ${fx}`).toBe(true);
        expect(close(g[1]!, fy, size), `d/dy ${g[1]} vs ${fy}`).toBe(true);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  test('second derivatives (nested Grad) against differences of the first', () => {
    const h = 1e-5;
    fc.assert(
      fc.property(arbSmooth(3), arbPoint, arbPoint, (body, x0, y0) => {
        const first = (a: number, b: number) => num(`(Let eval x eval y ${f64(a)} ${f64(b)} (Grad x ${body}))`);
        const dxy = num(`(Let eval x eval y ${f64(x0)} ${f64(y0)} (Grad y (Grad x ${body})))`);
        const dxx = num(`(Let eval x eval y ${f64(x0)} ${f64(y0)} (Grad x (Grad x ${body})))`);
        const size = Math.abs(first(x0, y0)) + Math.abs(valueAt(body, x0, y0));
        expect(close(dxx, (first(x0 + h, y0) - first(x0 - h, y0)) / (2 * h), size * 100)).toBe(true);
        expect(close(dxy, (first(x0, y0 + h) - first(x0, y0 - h)) / (2 * h), size * 100)).toBe(true);
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
