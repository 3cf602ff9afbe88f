// SQL rules for the functions of `Apply` (src/ir/functions.ts) and IEEE float division.
// DuckDB raises where C math returns a value (ln(0), sqrt(-1), asin(2), sin(inf)) and has no
// log1p or expm1; these rules give semantics.md §3's values instead.

import { InternalError } from '../../diagnostics/diagnostic.js';
import type { FnName } from '../../ir/functions.js';
import type { IR, ValueIR } from '../../ir/nodes.js';
import type { Type } from '../../ir/types.js';
import { binary, call, cast, scalarType, type Expr } from './sql.js';
import { repType } from './types.js';
import type { EmitterApi } from './emit.js';
import { castValue, floorMod, whenMissing } from './values.js';

const dbl = (v: number): Expr => ({ kind: 'number', type: 'DOUBLE', value: v });
const NAN = dbl(NaN);
const caseWhen = (whens: readonly (readonly [Expr, Expr])[], otherwise: Expr): Expr => ({
  kind: 'case',
  whens: whens.map(([when, then]) => ({ when, then })),
  else: otherwise,
});
const isNull = (e: Expr): Expr => ({ kind: 'isNull', operand: e, not: false });

/** IEEE division: x/0 is ±inf or NaN (DuckDB gives NULL). */
export function floatDivide(em: EmitterApi, l: Expr, r: Expr): Expr {
  // A nonzero constant divisor needs no guard.
  if (r.kind === 'number' && typeof r.value === 'number' && r.value !== 0 && !Number.isNaN(r.value)) return binary('/', l, r);
  return em.shareAll([l, r], ([a, b]) => {
    const zeroT = dbl(0);
    return caseWhen(
      [
        [
          binary('=', b!, zeroT),
          caseWhen(
            [
              [isNull(a!), { kind: 'null', type: scalarType('DOUBLE') }],
              [binary('OR', call('isnan', [a!]), binary('=', a!, zeroT)), NAN],
              [binary('<>', call('signbit', [a!]), call('signbit', [b!])), dbl(-Infinity)],
            ],
            dbl(Infinity),
          ),
        ],
      ],
      binary('/', a!, b!),
    );
  });
}


export function applyFunction(em: EmitterApi, n: Extract<ValueIR, { kind: 'Apply' }>, args: readonly Expr[], types: readonly Type[]): Expr {
  const fn = n.fn as FnName;
  const x = args[0]!;
  const t = types[0]!;
  const out = repType(em.typeOf(n));
  const f32 = t.kind === 'Float32';
  // Float32 results round to Float32 after each step.
  const round = (e: Expr): Expr => (f32 ? cast(e, scalarType('FLOAT')) : e);
  switch (fn) {
    case 'exp':
      return call('exp', [x]);
    case 'log':
    case 'log10':
    case 'log2': {
      const name = fn === 'log' ? 'ln' : fn;
      return em.share(x, (v) =>
        caseWhen(
          [
            [binary('=', v, dbl(0)), dbl(-Infinity)],
            [binary('<', v, dbl(0)), NAN],
          ],
          call(name, [v]),
        ),
      );
    }
    case 'sqrt':
      return em.share(x, (v) => caseWhen([[binary('<', v, dbl(0)), NAN]], call('sqrt', [v])));
    case 'pow':
      return call('pow', [x, args[1]!]);
    case 'abs':
      return call('abs', [x]);
    case 'sign':
      if (t.kind === 'Int32' || t.kind === 'Int64') return cast(call('sign', [x]), out);
      return em.share(x, (v) => caseWhen([[call('isnan', [v]), v]], cast(call('sign', [v]), out)));
    case 'floor':
    case 'ceil':
      return round(call(fn, [x]));
    case 'isnan':
      return call('isnan', [x]);
    case 'is_finite':
      return call('isfinite', [x]);
    case 'toInt32':
    case 'toInt64':
    case 'toFloat64': {
      const to: Type = { kind: fn === 'toInt32' ? 'Int32' : fn === 'toInt64' ? 'Int64' : 'Float64' };
      return castValue(em, n, x, t, to);
    }
    case 'min':
    case 'max': {
      // By the total order, missing if either is, the first on ties.
      const better = fn === 'min' ? '<' : '>';
      return em.shareAll([x, args[1]!], ([a, b]) => caseWhen([...whenMissing(em, [[n.args[0]!, a!], [n.args[1]!, b!]], em.typeOf(n)), [binary(better, b!, a!), b!]], a!));
    }
    case 'mod':
      if (t.kind === 'Int32' || t.kind === 'Int64') return floorMod(em, n, x, args[1]!, t);
      // x - y * floor(x / y), each step in the argument's type.
      return em.shareAll([x, args[1]!], ([a, b]) => round(binary('-', a!, round(binary('*', b!, round(call('floor', [round(floatDivide(em, a!, b!))])))))));
    case 'sin':
    case 'cos':
    case 'tan':
      return em.share(x, (v) => caseWhen([[call('isinf', [v]), NAN]], call(fn, [v])));
    case 'asin':
    case 'acos':
      return em.share(x, (v) => caseWhen([[binary('OR', binary('<', v, dbl(-1)), binary('>', v, dbl(1))), NAN]], call(fn, [v])));
    case 'atan':
    case 'sinh':
    case 'cosh':
    case 'tanh':
      return call(fn, [x]);
    case 'atan2':
      return call('atan2', [x, args[1]!]);
    case 'log1p':
      return log1p(em, x);
    case 'expm1':
      // Kahan: u = e^x; (u - 1) * x / ln(u), exact where u rounds to 1.
      return em.share(x, (v) =>
        em.share(call('exp', [v]), (u) =>
          caseWhen(
            [
              [binary('=', u, dbl(1)), v],
              [binary('=', binary('-', u, dbl(1)), dbl(-1)), dbl(-1)],
              [call('isinf', [u]), u],
              // Away from 0 there is no cancellation, and (u - 1) * x could overflow.
              [binary('>=', call('abs', [v]), dbl(1)), binary('-', u, dbl(1))],
            ],
            binary('/', binary('*', binary('-', u, dbl(1)), v), call('ln', [u])),
          ),
        ),
      );
    case 'sigmoid':
      return em.share(x, (v) =>
        caseWhen(
          [[binary('>=', v, dbl(0)), binary('/', dbl(1), binary('+', dbl(1), call('exp', [{ kind: 'unary', op: '-', operand: v }])))]],
          em.share(call('exp', [v]), (e) => binary('/', e, binary('+', dbl(1), e))),
        ),
      );
    case 'softplus':
      // max(x, 0) + log1p(exp(-|x|)): no overflow for large |x|.
      return em.share(x, (v) =>
        caseWhen(
          [[call('isnan', [v]), v]],
          binary('+', call('greatest', [v, dbl(0)]), log1p(em, call('exp', [{ kind: 'unary', op: '-', operand: call('abs', [v]) }]))),
        ),
      );
  }
  throw new InternalError(`no SQL rule for function ${String(fn)}`);
}

/** ln(1 + x) accurately for small x (Kahan's trick: x * ln(u) / (u - 1) with u = 1 + x). */
function log1p(em: EmitterApi, x: Expr): Expr {
  return em.share(x, (v) =>
    em.share(binary('+', dbl(1), v), (u) =>
      caseWhen(
        [
          [binary('=', v, dbl(-1)), dbl(-Infinity)],
          [binary('<', v, dbl(-1)), NAN],
          [binary('=', u, dbl(1)), v],
          [call('isinf', [u]), u],
          // Away from 0 there is no cancellation, and x * ln(u) could overflow.
          [binary('>=', v, dbl(1)), call('ln', [u])],
        ],
        binary('/', binary('*', v, call('ln', [u])), binary('-', u, dbl(1))),
      ),
    ),
  );
}

export type { IR };
