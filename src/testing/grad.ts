// Random differentiable programs, for checking a differentiation three ways: the symbolic pass
// against dual numbers, against central finite differences, and on a backend against the
// interpreter. Bodies read two Float64 variables, x and y, and are smooth almost everywhere
// (branches, min, max and abs have kinks only on thin sets).

import fc from 'fast-check';

export interface DiffProgram {
  /** A Float64 body reading `x` and `y` (and `idx` rows inside its aggregations). */
  readonly body: string;
}

const num = (v: number) => (Number.isInteger(v) ? `${v}.0` : `${v}`);
const bin = (op: string, l: string, r: string) => `(ApplyBinaryPrimOp ${op} ${l} ${r})`;
const ap = (fn: string, ...args: string[]) => `(Apply -1 ${fn} () Float64 ${args.join(' ')})`;
/** e*e + c: positive, so log, sqrt, pow and division stay away from their singular points. */
const pos = (e: string, c = 1) => bin('Add', bin('Multiply', e, e), `(F64 ${num(c)})`);

/** Bodies of at most `depth` levels; `row` adds the row's index as a leaf (inside aggregations). */
function bodies(depth: number, row: boolean, lets: readonly string[]): fc.Arbitrary<string> {
  const leaves: fc.Arbitrary<string>[] = [
    fc.constantFrom('(Ref x)', '(Ref y)', ...lets.map((n) => `(Ref ${n})`)),
    fc.integer({ min: -20, max: 20 }).map((k) => `(F64 ${num(k / 10)})`),
  ];
  if (row) leaves.push(fc.constant('(Cast Float64 (GetField idx (Ref row)))'));
  const leaf = fc.oneof(...leaves);
  if (depth <= 0) return leaf;
  const sub = bodies(depth - 1, row, lets);
  const unary = fc.tuple(
    fc.constantFrom('exp∘tanh', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'atan', 'sqrt∘pos', 'log∘pos', 'log10∘pos', 'log2∘pos', 'log1p∘sq', 'expm1∘tanh', 'abs', 'sinh∘tanh', 'cosh∘tanh', 'asin∘tanh', 'acos∘tanh', 'neg', 'pow∘pos'),
    sub,
    fc.integer({ min: -3, max: 3 }),
  ).map(([f, e, k]) => {
    switch (f) {
      case 'exp∘tanh':
        return ap('exp', ap('tanh', e));
      case 'sqrt∘pos':
        return ap('sqrt', pos(e));
      case 'log∘pos':
      case 'log10∘pos':
      case 'log2∘pos':
        return ap(f.slice(0, f.indexOf('∘')), pos(e));
      case 'log1p∘sq':
        return ap('log1p', bin('Multiply', e, e));
      case 'expm1∘tanh':
      case 'sinh∘tanh':
      case 'cosh∘tanh':
        return ap(f.slice(0, f.indexOf('∘')), ap('tanh', e));
      case 'asin∘tanh':
      case 'acos∘tanh':
        return ap(f.slice(0, f.indexOf('∘')), bin('Multiply', ap('tanh', e), '(F64 0.9)'));
      case 'neg':
        return `(ApplyUnaryPrimOp Negate ${e})`;
      case 'pow∘pos':
        return ap('pow', pos(e, 0.5), `(F64 ${num(k / 2)})`);
      default:
        return ap(f, e);
    }
  });
  const binary = fc.tuple(fc.constantFrom('Add', 'Subtract', 'Multiply', 'Divide', 'min', 'max', 'atan2', 'pow'), sub, sub).map(([op, a, b]) => {
    switch (op) {
      case 'Divide':
        return bin('FloatingPointDivide', a, pos(b));
      case 'min':
      case 'max':
      case 'atan2':
        return ap(op, a, b);
      case 'pow':
        return ap('pow', pos(a, 0.5), ap('tanh', b));
      default:
        return bin(op, a, b);
    }
  });
  const branch = fc.tuple(fc.constantFrom('LT', 'GT'), sub, sub, sub, sub).map(([op, a, b, t, e]) => `(If (ApplyComparisonOp ${op} ${a} ${b}) ${t} ${e})`);
  const sw = fc.tuple(fc.integer({ min: 0, max: 2 }), sub, sub, sub).map(([k, d, c0, c1]) => `(Switch (I32 ${k}) ${d} ${c0} ${c1})`);
  const coalesce = fc.tuple(sub, sub).map(([a, b]) => `(Coalesce (NA Float64) ${a} ${b})`);
  const struct = fc.tuple(sub, sub, fc.boolean()).map(([a, b, first]) => `(GetField ${first ? 'a' : 'b'} (MakeStruct (a ${a}) (b ${b})))`);
  const name = `v${lets.length}`;
  const letE = fc.tuple(sub, bodies(depth - 1, row, [...lets, name])).map(([v, body]) => `(Let eval ${name} ${v} ${body})`);
  const kinds: fc.Arbitrary<string>[] = [leaf, unary, unary, binary, binary, branch, sw, coalesce, struct, letE];
  if (!row) {
    const agg = bodies(Math.min(depth - 1, 2), true, lets);
    kinds.push(
      fc.tuple(fc.integer({ min: 0, max: 5 }), agg, fc.boolean()).map(([n, f, mean]) => {
        const sum = `(ApplyAggOp Sum () (${f}))`;
        return `(TableAggregate (TableRange ${n} None) ${mean ? bin('FloatingPointDivide', sum, bin('Add', '(Cast Float64 (ApplyAggOp Count () ()))', '(F64 1.0)')) : sum})`;
      }),
    );
  }
  return fc.oneof(...kinds);
}

/** A differentiable body of up to `depth` levels (4 by default). */
export function arbDifferentiable(depth = 4): fc.Arbitrary<DiffProgram> {
  return bodies(depth, false, []).map((body) => ({ body }));
}

/** A point to differentiate at, away from 0 where a few conventions (abs'(0)) apply. */
export const arbPoint: fc.Arbitrary<{ x: number; y: number }> = fc.record({
  x: fc.integer({ min: -150, max: 150 }).map((k) => (k === 0 ? 0.37 : k / 50)),
  y: fc.integer({ min: -150, max: 150 }).map((k) => (k === 0 ? -0.41 : k / 50)),
});

/** The program binding x and y, around `inner` (the body, or a Grad of it). */
export function at(point: { x: number; y: number }, inner: string): string {
  return `(Let eval x (F64 ${num(point.x)}) (Let eval y (F64 ${num(point.y)}) ${inner}))`;
}
