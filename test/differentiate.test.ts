// The symbolic differentiation pass (src/passes/differentiate.ts): each rule against its
// analytic derivative, the conventions, missing values, control flow, structures, aggregations,
// higher derivatives, the errors, and the size of what it emits. Runs on the interpreter, and
// on DuckDB for the same programs (the two must agree: one semantics).

import { describe, expect, test } from 'vitest';
import { memoryDuck } from './util.js';
import { runDuckDB } from '../src/backends/duckdb/index.js';
import { interpret } from '../src/backends/interpret/index.js';
import { parse } from '../src/parse/index.js';
import { UserError } from '../src/diagnostics/diagnostic.js';
import { differentiate } from '../src/passes/differentiate.js';
import { countNodes, forEachNode } from '../src/ir/walk.js';
import { mlpLoss } from '../src/testing/models.js';
import type { Value } from '../src/ir/value.js';
import { TFloat64 } from '../src/ir/types.js';

const db = memoryDuck();

const value = (text: string): Value => {
  const r = interpret(parse(text));
  if (r.kind !== 'value') throw new Error('a table');
  return r.value;
};
const duck = async (text: string): Promise<Value> => {
  const r = await runDuckDB(parse(text), { connection: db.c });
  if (r.kind !== 'value') throw new Error('a table');
  return r.value;
};
/** Both backends, which must agree to the last bit or nearly (libm differs by an ulp). */
async function both(text: string): Promise<Value> {
  const a = value(text);
  const b = await duck(text);
  if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a)) expect(b).toBeCloseTo(a, 12);
  else expect(b).toEqual(a);
  return a;
}

const f = (x: number) => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? 'neginf' : Number.isInteger(x) ? `${x}.0` : `${x}`);
const ap = (fn: string, ...args: string[]) => `(Apply -1 ${fn} () Float64 ${args.join(' ')})`;
const bin = (op: string, l: string, r: string) => `(ApplyBinaryPrimOp ${op} ${l} ${r})`;
const x = '(Ref x)';
const y = '(Ref y)';
/** d body / dx at x (and y). */
const grad = (body: string, at: number, yAt = 0.5) => `(Let eval x (F64 ${f(at)}) (Let eval y (F64 ${f(yAt)}) (Grad x ${body})))`;

describe('rules against their analytic derivatives', () => {
  const cases: [string, string, (x: number, y: number) => number, number[]][] = [
    ['x*x*x', bin('Multiply', x, bin('Multiply', x, x)), (a) => 3 * a * a, [-1.5, 0.3, 2]],
    ['x/y', bin('FloatingPointDivide', x, y), (_a, b) => 1 / b, [1, 3]],
    ['y/x', bin('FloatingPointDivide', y, x), (a, b) => -b / (a * a), [0.7, -2]],
    ['x - 3x', bin('Subtract', x, bin('Multiply', '(F64 3.0)', x)), () => -2, [1]],
    ['-x', '(ApplyUnaryPrimOp Negate (Ref x))', () => -1, [4]],
    ['exp', ap('exp', x), (a) => Math.exp(a), [-1, 0.5, 3]],
    ['log', ap('log', x), (a) => 1 / a, [0.25, 7]],
    ['log10', ap('log10', x), (a) => 1 / (a * Math.LN10), [0.5, 40]],
    ['log2', ap('log2', x), (a) => 1 / (a * Math.LN2), [0.5, 40]],
    ['sqrt', ap('sqrt', x), (a) => 0.5 / Math.sqrt(a), [0.04, 9]],
    ['pow(x, y)', ap('pow', x, y), (a, b) => b * Math.pow(a, b - 1), [0.5, 3]],
    ['pow(y, x)', ap('pow', y, x), (a, b) => Math.pow(b, a) * Math.log(b), [-1, 2]],
    ['pow(x, x)', ap('pow', x, x), (a) => Math.pow(a, a) * (Math.log(a) + 1), [0.5, 2]],
    ['abs', ap('abs', x), (a) => (a < 0 ? -1 : 1), [-2, 3]],
    ['sin', ap('sin', x), Math.cos, [0.3, 2]],
    ['cos', ap('cos', x), (a) => -Math.sin(a), [0.3, 2]],
    ['tan', ap('tan', x), (a) => 1 / Math.cos(a) ** 2, [0.3, -1]],
    ['asin', ap('asin', x), (a) => 1 / Math.sqrt(1 - a * a), [0.3, -0.8]],
    ['acos', ap('acos', x), (a) => -1 / Math.sqrt(1 - a * a), [0.3, -0.8]],
    ['atan', ap('atan', x), (a) => 1 / (1 + a * a), [0.3, -4]],
    ['atan2(x, y)', ap('atan2', x, y), (a, b) => b / (a * a + b * b), [0.3, -4]],
    ['atan2(y, x)', ap('atan2', y, x), (a, b) => -b / (a * a + b * b), [0.3, -4]],
    ['sinh', ap('sinh', x), Math.cosh, [0.3, -2]],
    ['cosh', ap('cosh', x), Math.sinh, [0.3, -2]],
    ['tanh', ap('tanh', x), (a) => 1 - Math.tanh(a) ** 2, [0.3, -2]],
    ['log1p', ap('log1p', x), (a) => 1 / (1 + a), [0.3, 5]],
    ['expm1', ap('expm1', x), Math.exp, [0.3, -5]],
    ['sigmoid', ap('sigmoid', x), (a) => Math.exp(-a) / (1 + Math.exp(-a)) ** 2, [0.3, -5]],
    ['softplus', ap('softplus', x), (a) => 1 / (1 + Math.exp(-a)), [0.3, -5]],
    ['min(x, y)', ap('min', x, y), (a, b) => (a < b ? 1 : 0), [0.2, 0.9]],
    ['max(x, y)', ap('max', x, y), (a, b) => (a > b ? 1 : 0), [0.2, 0.9]],
    ['mod(x, y)', ap('mod', x, y), () => 1, [2.2]],
    ['mod(y, x)', ap('mod', y, x), (a, b) => -Math.floor(b / a), [0.2, 0.3]],
    ['floor', ap('floor', x), () => 0, [2.5]],
    ['sign', ap('sign', x), () => 0, [2.5]],
    ['toFloat64 of Int32', '(Apply -1 toFloat64 () Float64 (Apply -1 toInt32 () Int32 (Ref x)))', () => 0, [2.5]],
    ['Cast Float32', '(Cast Float64 (ApplyBinaryPrimOp Multiply (Cast Float32 (Ref x)) (F32 2.0)))', () => 2, [2.5]],
  ];
  for (const [name, body, d, points] of cases) {
    test(name, async () => {
      for (const at of points) {
        const got = await both(grad(body, at));
        expect(got).toBeCloseTo(d(at, 0.5), 10);
      }
    });
  }
});

describe('conventions', () => {
  test("abs'(0) = 1, and max(x, 0) (relu) has derivative 0 at 0; a tie of min or max takes the second argument", async () => {
    expect(await both(grad(ap('abs', x), 0))).toBe(1);
    expect(await both(grad(ap('max', x, '(F64 0.0)'), 0))).toBe(0);
    expect(await both(grad(ap('max', '(F64 0.0)', x), 0))).toBe(1);
    expect(await both(grad(ap('min', x, '(F64 0.0)'), 0))).toBe(0);
  });
  test('softplus is exact at ±1000: 1 and 0', async () => {
    expect(await both(grad(ap('softplus', x), 1000))).toBe(1);
    expect(await both(grad(ap('softplus', x), -1000))).toBe(0);
  });
  test('a guarded log at its guard point is 0 and raises nothing; pow(x, 0) is flat at 0', async () => {
    const guarded = `(If (ApplyComparisonOp GT (Ref x) (F64 0.0)) ${ap('log', x)} (F64 0.0))`;
    expect(await both(grad(guarded, 0))).toBe(0);
    expect(await both(grad(ap('pow', x, '(F64 0.0)'), 0))).toBe(0);
    // The base 0 gives no log term for d/dy: pow(0, y) is 0 for y > 0.
    expect(await both(`(Let eval x (F64 0.0) (Let eval y (F64 2.0) (Grad y ${ap('pow', x, y)})))`)).toBe(0);
    expect(await both(grad(ap('sqrt', x), 0))).toBe(Infinity);
    expect(await both(grad(ap('atan2', x, y), 0, 0))).toBe(0);
  });
  test('integer arithmetic is differentiated as if real, in Float64', async () => {
    expect(await both('(Let eval n (I32 3) (Grad n (ApplyBinaryPrimOp Multiply (Ref n) (Ref n))))')).toBe(6);
    expect(await both('(Let eval n (I64 3) (Grad n (Cast Float64 (ApplyBinaryPrimOp Multiply (Ref n) (I64 5)))))')).toBe(5);
    expect(await both('(Let eval n (I32 7) (Grad n (ApplyBinaryPrimOp RoundToNegInfDivide (Ref n) (I32 2))))')).toBe(0);
  });
  test('a / a is flat: the two operands\' terms cancel exactly, even where 1/a overflows', async () => {
    expect(await both('(Let eval a (F64 -1e-300) (Grad a (ApplyBinaryPrimOp Multiply (ApplyBinaryPrimOp FloatingPointDivide (Ref a) (Ref a)) (F64 3.0))))')).toBe(0);
  });
  test('other free variables are held fixed, even those computed from x outside the Grad', async () => {
    expect(await both('(Let eval x (F64 2.0) (Let eval z (ApplyBinaryPrimOp Multiply (Ref x) (Ref x)) (Grad x (ApplyBinaryPrimOp Multiply (Ref z) (Ref x)))))')).toBe(4);
  });
});

describe('missing values', () => {
  test('the derivative is missing where the body is', async () => {
    expect(await both('(Let eval x (NA Float64) (Grad x (ApplyBinaryPrimOp Multiply (Ref x) (F64 3.0))))')).toBe(null);
    expect(await both(grad(bin('Add', x, '(NA Float64)'), 1))).toBe(null);
    expect(await both(`(Let eval x (F64 1.0) (Gradient (x) ${bin('Add', x, '(NA Float64)')}))`)).toEqual([null]);
  });
  test('Coalesce takes the derivative of its first present argument', async () => {
    expect(await both(grad(`(Coalesce (NA Float64) ${bin('Multiply', x, '(F64 3.0)')} ${bin('Multiply', x, '(F64 5.0)')})`, 2))).toBe(3);
    expect(await both(grad(`(Coalesce ${bin('Multiply', x, x)} (F64 5.0))`, 2))).toBe(4);
  });
  test('a body that does not depend on x has derivative 0', async () => {
    expect(await both(grad('(Ref y)', 2))).toBe(0);
  });
});

describe('sharing, control flow, structures', () => {
  test('Let: the chain rule through a shared intermediate', async () => {
    // u = x^2, body = u * u + u  ->  (2u + 1) 2x
    const body = `(Let eval u ${bin('Multiply', x, x)} ${bin('Add', bin('Multiply', '(Ref u)', '(Ref u)'), '(Ref u)')})`;
    expect(await both(grad(body, 1.5))).toBeCloseTo((2 * 2.25 + 1) * 3, 12);
  });
  test('If and Switch are differentiated branch-wise', async () => {
    const piecewise = `(If (ApplyComparisonOp GT (Ref x) (F64 0.0)) ${ap('log', x)} ${bin('Multiply', x, x)})`;
    expect(await both(grad(piecewise, -2))).toBe(-4);
    expect(await both(grad(piecewise, 4))).toBe(0.25);
    const sw = (k: number) => `(Let eval x (F64 1.0) (Grad x (Switch (I32 ${k}) ${x} ${bin('Multiply', x, '(F64 5.0)')} ${bin('Multiply', x, '(F64 7.0)')})))`;
    expect(await both(sw(0))).toBe(5);
    expect(await both(sw(1))).toBe(7);
    expect(await both(sw(9))).toBe(1);
  });
  test('a branch that reads a value computed outside it', async () => {
    const body = `(Let eval u ${bin('Multiply', x, x)} (If (ApplyComparisonOp GT (Ref y) (F64 0.0)) (ApplyBinaryPrimOp Multiply (Ref u) (Ref u)) (Ref u)))`;
    expect(await both(grad(body, 2, 1))).toBe(32);
    expect(await both(grad(body, 2, -1))).toBe(4);
  });
  test('struct and tuple paths', async () => {
    const s = `(Let eval s (MakeStruct (a ${bin('Multiply', x, x)}) (b (F64 1.0))) (Let eval t (MakeTuple (0 1) (GetField a (Ref s)) ${ap('exp', x)}) ${bin('Add', '(GetTupleElement 0 (Ref t))', '(GetTupleElement 1 (Ref t))')}))`;
    expect(await both(grad(s, 1))).toBeCloseTo(2 + Math.E, 12);
    const ins = `(GetField a (InsertFields (MakeStruct (a (F64 1.0))) None (a ${bin('Multiply', x, '(F64 4.0)')})))`;
    expect(await both(grad(ins, 1))).toBe(4);
  });
  test('a branch returning a struct', async () => {
    const body = `(GetField b (If (ApplyComparisonOp GT (Ref y) (F64 0.0)) (MakeStruct (a (F64 0.0)) (b ${bin('Multiply', x, '(F64 3.0)')})) (MakeStruct (a ${x}) (b (F64 1.0)))))`;
    expect(await both(grad(body, 2, 1))).toBe(3);
    expect(await both(grad(body, 2, -1))).toBe(0);
  });
  test('Gradient gives every partial from one sweep', async () => {
    const body = `(Gradient (x y) ${bin('Add', bin('Multiply', x, y), ap('sin', y))})`;
    expect(await both(`(Let eval x (F64 2.0) (Let eval y (F64 0.5) ${body}))`)).toEqual([0.5, 2 + Math.cos(0.5)]);
  });
  test('several Grads of one body share one sweep', async () => {
    const l = bin('Multiply', bin('Multiply', x, x), y);
    // (x and y not literals, which the simplifier would write into every read.)
    const text = `(Let eval x (GetField a (MakeStruct (a (F64 3.0)))) (Let eval y (GetField a (MakeStruct (a (F64 2.0)))) (MakeTuple (0 1) (Grad x ${l}) (ApplyBinaryPrimOp Multiply (F64 2.0) (Grad y ${l})))))`;
    expect(await both(text)).toEqual([12, 18]);
    // x * x is computed once for both.
    let squares = 0;
    forEachNode(differentiate(parse(text)).ir, (n) => {
      if (n.kind === 'ApplyBinaryPrimOp' && n.op === 'Multiply' && n.l.kind === 'Ref' && n.l.name === 'x' && n.r.kind === 'Ref' && n.r.name === 'x') squares++;
    });
    expect(squares).toBe(1);
    // Under a branch a Grad runs only when taken: it is not shared with one outside.
    const branch = `(Let eval x (F64 3.0) (Let eval y (F64 2.0) (MakeTuple (0 1) (Grad x ${l}) (If (ApplyComparisonOp GT (Ref y) (F64 0.0)) (Grad y ${l}) (F64 0.0)))))`;
    expect(await both(branch)).toEqual([12, 9]);
  });
});

describe('aggregations', () => {
  const table = '(TableRange 5 None)';
  const idx = '(Cast Float64 (GetField idx (Ref row)))';
  test('Sum is linear, Count is a constant, and their quotient (a mean) follows the chain rule', async () => {
    // d/da sum(a^2 idx) = 2a sum(idx) = 2 * 2 * 10
    expect(await both(`(Let eval a (F64 2.0) (Grad a (TableAggregate ${table} (ApplyAggOp Sum () (${bin('Multiply', bin('Multiply', '(Ref a)', '(Ref a)'), idx)})))))`)).toBe(40);
    expect(await both(`(Let eval a (F64 2.0) (Grad a (TableAggregate ${table} ${bin('FloatingPointDivide', `(ApplyAggOp Sum () (${bin('Multiply', '(Ref a)', idx)}))`, '(Cast Float64 (ApplyAggOp Count () ()))')})))`)).toBe(2);
  });
  test('AggFilter and AggLet; rows whose value is missing are skipped as Sum skips them', async () => {
    const filtered = `(AggFilter False (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 3)) (ApplyAggOp Sum () (${bin('Multiply', '(Ref a)', idx)})))`;
    expect(await both(`(Let eval a (F64 2.0) (Grad a (TableAggregate ${table} ${filtered})))`)).toBe(3);
    const agglet = `(AggLet z False ${idx} (ApplyAggOp Sum () (${bin('Multiply', '(Ref a)', bin('Multiply', '(Ref z)', '(Ref z)'))})))`;
    expect(await both(`(Let eval a (F64 2.0) (Grad a (TableAggregate ${table} ${agglet})))`)).toBe(30);
    const gaps = `(ApplyAggOp Sum () ((If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 2)) (NA Float64) ${bin('Multiply', bin('Multiply', '(Ref a)', '(Ref a)'), idx)})))`;
    expect(await both(`(Let eval a (F64 2.0) (Grad a (TableAggregate ${table} ${gaps})))`)).toBe(32);
  });
  test('StreamAgg, and a mean over no rows (0/0: its derivative is NaN, as its value is)', async () => {
    const r = '(Cast Float64 (Ref r))';
    expect(await both(`(Let eval x (F64 2.0) (Grad x (StreamAgg r (StreamRange 0 False (I32 0) (I32 3) (I32 1)) ${bin('FloatingPointDivide', `(ApplyAggOp Sum () (${bin('Multiply', x, bin('Multiply', x, r))}))`, '(Cast Float64 (ApplyAggOp Count () ()))')})))`)).toBe(4);
    const empty = `(Let eval x (F64 2.0) (Grad x (TableAggregate (TableRange 0 None) ${bin('FloatingPointDivide', `(ApplyAggOp Sum () (${bin('Multiply', x, x)}))`, '(Cast Float64 (ApplyAggOp Count () ()))')})))`;
    expect(await both(empty)).toBeNaN();
  });
  test("a Grad in a query, over the query's own aggregators", async () => {
    const q = `(Grad x (ApplyAggOp Sum () (${bin('Multiply', x, bin('Multiply', x, idx))})))`;
    expect(await both(`(Let eval x (F64 2.0) (TableAggregate ${table} ${q}))`)).toBe(40);
  });
  test('a Grad per row (the variable bound inside the aggregation)', async () => {
    const q = `(ApplyAggOp Sum () ((Let eval t ${idx} (Grad t ${bin('Multiply', '(Ref t)', '(Ref t)')}))))`;
    expect(await both(`(TableAggregate ${table} ${q})`)).toBe(20);
  });
});

describe('higher derivatives', () => {
  test('nested Grad: d²/dx² x³ = 6x', async () => {
    expect(await both(grad(`(Grad x ${bin('Multiply', x, bin('Multiply', x, x))})`, 2))).toBe(12);
  });
  test("Rosenbrock's Hessian", async () => {
    // f = (1 - x)^2 + 100 (y - x^2)^2
    const rosen = bin('Add', ap('pow', bin('Subtract', '(F64 1.0)', x), '(F64 2.0)'), bin('Multiply', '(F64 100.0)', ap('pow', bin('Subtract', y, bin('Multiply', x, x)), '(F64 2.0)')));
    const at = (v: string, w: string) => `(Let eval x (F64 1.5) (Let eval y (F64 2.5) (Grad ${v} (Grad ${w} ${rosen}))))`;
    const [X, Y] = [1.5, 2.5];
    expect(await both(at('x', 'x'))).toBeCloseTo(2 - 400 * (Y - X * X) + 800 * X * X, 9);
    expect(await both(at('y', 'x'))).toBeCloseTo(-400 * X, 9);
    expect(await both(at('x', 'y'))).toBeCloseTo(-400 * X, 9);
    expect(await both(at('y', 'y'))).toBeCloseTo(200, 9);
  });
  test('a second derivative through a branch', async () => {
    const piecewise = `(If (ApplyComparisonOp GT (Ref x) (F64 0.0)) ${ap('exp', bin('Multiply', '(F64 2.0)', x))} ${bin('Multiply', x, bin('Multiply', x, x))})`;
    expect(await both(grad(`(Grad x ${piecewise})`, 0.5))).toBeCloseTo(4 * Math.E, 12);
    expect(await both(grad(`(Grad x ${piecewise})`, -1))).toBe(-6);
  });
});

describe('what it cannot differentiate', () => {
  const code = (text: string) => {
    try {
      differentiate(parse(text));
    } catch (e) {
      if (e instanceof UserError) return e.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
      throw e;
    }
    return 'no error';
  };
  test('a loop whose value depends on the variable names the construct', () => {
    const fold = '(Let eval x (F64 1.0) (Grad x (StreamFold acc i (StreamRange 0 False (I32 0) (I32 3) (I32 1)) (F64 0.0) (ApplyBinaryPrimOp Add (Ref acc) (Ref x)))))';
    expect(code(fold)).toMatch(/IRC2019 Grad cannot differentiate through StreamFold \(its value depends on `x`\)/);
  });
  test('an aggregator other than Sum and Count, and a table whose rows depend on the variable', () => {
    expect(code('(Let eval a (F64 1.0) (Grad a (TableAggregate (TableRange 3 None) (ApplyAggOp Max () ((ApplyBinaryPrimOp Multiply (Ref a) (Cast Float64 (GetField idx (Ref row)))))))))')).toMatch(/IRC2019 Grad cannot differentiate the aggregator Max/);
    expect(code('(Let eval a (F64 1.0) (Grad a (TableAggregate (TableFilter (TableRange 3 None) (ApplyComparisonOp LT (Cast Float64 (GetField idx (Ref row))) (Ref a))) (ApplyAggOp Count () ()))))')).toMatch(/IRC2019 the rows of the table depend on `a`/);
  });
  test('a loop that does not depend on the variable is a constant', async () => {
    const fold = '(StreamFold acc i (StreamRange 0 False (I32 0) (I32 3) (I32 1)) (F64 0.0) (ApplyBinaryPrimOp Add (Ref acc) (F64 2.0)))';
    expect(await both(grad(bin('Multiply', x, fold), 1))).toBe(6);
  });
});

describe('the output', () => {
  // Sharing: all P partials of an MLP's loss from one sweep, at most 4x the loss itself.
  for (const [inputs, hidden] of [[2, 4], [2, 32]] as const) {
    test(`an MLP loss with ${hidden * (inputs + 2)} parameters: the Gradient is at most 4x the loss`, () => {
      const m = mlpLoss(inputs, hidden);
      const loss = parse(m.body);
      // The parameters free (typecheck's env): the output is the partials alone.
      const env = new Map(m.params.map((p) => [p, TFloat64]));
      const out = differentiate(parse(`(Gradient (${m.params.join(' ')}) ${m.body})`), { env }).ir;
      expect(out.kind).toBe('TableAggregate'); // the loss is one aggregation: so are its partials
      const ratio = countNodes(out) / countNodes(loss);
      expect(m.params.length).toBe(hidden * (inputs + 2));
      expect(ratio).toBeLessThanOrEqual(4);
      expect(ratio).toBeGreaterThan(1);
    });
  }

  test('no Grad or Gradient is left, and nothing it builds multiplies by 1', () => {
    const m = mlpLoss(2, 4);
    const out = differentiate(parse(m.program((b) => `(Gradient (${m.params.join(' ')}) ${b})`))).ir;
    forEachNode(out, (n) => {
      expect(n.kind === 'Grad' || n.kind === 'Gradient').toBe(false);
      if (n.kind === 'ApplyBinaryPrimOp' && n.op === 'Multiply') expect([n.l, n.r].some((c) => c.kind === 'F64' && c.value === 1)).toBe(false);
    });
  });
  test('the gradient of an MLP loss is right: against central differences of the loss', async () => {
    const m = mlpLoss(2, 3, { outputBias: true });
    const g = value(m.program((b) => `(Gradient (${m.params.join(' ')}) ${b})`)) as number[];
    const loss = (p: string, h: number) => value(m.program((b) => `(Let eval ${p} (ApplyBinaryPrimOp Add (Ref ${p}) (F64 ${f(h)})) ${b})`)) as number;
    m.params.forEach((p, i) => {
      const fd = (loss(p, 1e-6) - loss(p, -1e-6)) / 2e-6;
      expect(Math.abs(g[i]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    });
    expect(await duck(m.program((b) => `(Gradient (${m.params.join(' ')}) ${b})`))).toEqual(g.map((v) => expect.closeTo(v, 12)));
  });
});
