// DuckDB 1.5 drops the sign of a -0.0 inside a list or struct that a scalar subquery returns
// (`(SELECT [-0.0::DOUBLE])` is `[0.0]`), though not of a scalar. A hoisted value is read
// through such a subquery, so its floats travel with their sign beside them: each float
// inside a container becomes `{'v': x, 's': signbit(x)}` in the CTE, and is rebuilt where read.

import type { Type } from '../../ir/types.js';
import { call, cast, double, type Expr, scalarType, type SqlType, str } from './sql.js';
import { isEmptyRecord, repType, sqlFieldNames } from './types.js';

/** Whether a float sits inside a container or struct of type `t`. */
export function floatInside(t: Type, inside = false): boolean {
  switch (t.kind) {
    case 'Float32':
    case 'Float64':
      return inside;
    case 'Array':
    case 'Set':
    case 'Stream':
      return floatInside(t.element, true);
    case 'Dict':
      return floatInside(t.key, true) || floatInside(t.value, true);
    case 'Struct':
    case 'Tuple':
      return t.fields.some((f) => floatInside(f.type, true));
    default:
      return false;
  }
}

interface Ctx {
  readonly fresh: (prefix: string) => string;
  /** `body` of `e` computed once. */
  readonly share: (e: Expr, body: (x: Expr) => Expr) => Expr;
}

/** `e` (of type `t`) with each float inside written as `{'v': x, 's': signbit(x)}`. */
export function withSigns(e: Expr, t: Type, ctx: Ctx): Expr {
  return convert(e, t, ctx, false, 'encode');
}

/** The value `withSigns` wrote, rebuilt: each float with its sign. */
export function fromSigns(e: Expr, t: Type, ctx: Ctx): Expr {
  return convert(e, t, ctx, false, 'decode');
}

/** The SQL type of `withSigns` of a `t`. */
function signedType(t: Type, inside: boolean): SqlType {
  if (!floatInside(t, inside)) return repType(t);
  switch (t.kind) {
    case 'Float32':
    case 'Float64':
      return { kind: 'structType', fields: [{ name: 'v', type: repType(t) }, { name: 's', type: scalarType('BOOLEAN') }] };
    case 'Array':
    case 'Set':
    case 'Stream':
      return { kind: 'listType', element: signedType(t.element, true) };
    case 'Dict':
      return { kind: 'listType', element: signedType(entryType(t), true) };
    case 'Struct':
    case 'Tuple': {
      const names = sqlFieldNames(t);
      return { kind: 'structType', fields: t.fields.map((f, i) => ({ name: names[i]!, type: signedType(f.type, true) })) };
    }
    default:
      return repType(t);
  }
}

const entryType = (t: Extract<Type, { kind: 'Dict' }>): Type => ({ kind: 'Struct', fields: [{ name: 'key', type: t.key }, { name: 'value', type: t.value }] });

function convert(e: Expr, t: Type, ctx: Ctx, inside: boolean, dir: 'encode' | 'decode'): Expr {
  const { fresh } = ctx;
  if (!floatInside(t, inside)) return e;
  switch (t.kind) {
    case 'Float32':
    case 'Float64': {
      if (dir === 'encode') return { kind: 'struct', fields: [{ name: 'v', value: e }, { name: 's', value: call('signbit', [e]) }] };
      const v = call('struct_extract', [e, str('v')]);
      const negZero = cast(double(-0), scalarType(t.kind === 'Float32' ? 'FLOAT' : 'DOUBLE'));
      // `v = 0` holds for -0.0 and 0.0 alike: the sign says which.
      return {
        kind: 'case',
        whens: [{ when: { kind: 'binary', op: 'AND', left: call('struct_extract', [e, str('s')]), right: { kind: 'binary', op: '=', left: v, right: double(0) } }, then: negZero }],
        else: v,
      };
    }
    case 'Array':
    case 'Set':
    case 'Stream': {
      const p = fresh('_z');
      return call('list_transform', [e, { kind: 'lambda', params: [p], body: convert({ kind: 'column', name: p }, t.element, ctx, true, dir) }]);
    }
    case 'Dict': {
      const p = fresh('_z');
      return call('list_transform', [e, { kind: 'lambda', params: [p], body: convert({ kind: 'column', name: p }, entryType(t), ctx, true, dir) }]);
    }
    case 'Struct':
    case 'Tuple': {
      if (isEmptyRecord(t)) return e;
      const names = sqlFieldNames(t);
      return ctx.share(e, (x) => {
        const fields = t.fields.map((f, i) => ({ name: names[i]!, value: convert(call('struct_extract', [x, str(names[i]!)]), f.type, ctx, true, dir) }));
        // A missing struct stays missing (a struct of missing fields is not one).
        const none: Expr = { kind: 'null', type: dir === 'encode' ? signedType(t, inside) : repType(t) };
        return { kind: 'case', whens: [{ when: { kind: 'isNull', operand: x, not: false }, then: none }], else: { kind: 'struct', fields } };
      });
    }
    default:
      return e;
  }
}
