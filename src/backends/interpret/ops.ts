// Scalar semantics of the reference interpreter (docs/design/semantics.md §1–§4): primitive
// operators, casts and the functions of `Apply`, over the values of src/ir/value.ts. Each
// takes the operand type(s), so Int32 / Int64 / Float32 / Float64 is explicit. All are strict
// (a missing operand gives missing) except `EQWithNA` / `NEQWithNA`.
//
// Int32 and the floats are JS numbers, Int64 is a bigint. Int32 results never carry -0.
// Float32 operands are assumed already rounded to Float32; every Float32 result is rounded
// with Math.fround. For + - * / of two Float32s, computing in double and rounding once is
// exact IEEE single arithmetic (a double has more than 2*24+2 bits, so no double rounding).

import type { FnName } from '../../ir/functions.js';
import type { BinaryOp, ComparisonOp, UnaryOp } from '../../ir/nodes.js';
import { TFloat64, TInt32, TInt64, type Type } from '../../ir/types.js';
import { INT64_MAX, INT64_MIN, compareValues, type Value } from '../../ir/value.js';
import { RuntimeError } from './errors.js';
import { nudged } from './nudge.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
// 2^63 is an exact double, so float -> Int64 range checks compare exactly.
const TWO_POW_63 = 9223372036854775808;
const TWO_POW_53 = 2n ** 53n;

type NumericKind = 'Int32' | 'Int64' | 'Float32' | 'Float64';

const f32 = Math.fround;

/** A compiler bug (ill-typed input), not a user error. */
function internal(message: string): never {
  throw new Error(`internal error: ${message}`);
}

function numericKind(t: Type, what: string): NumericKind {
  const k = t.kind;
  if (k === 'Int32' || k === 'Int64' || k === 'Float32' || k === 'Float64') return k;
  return internal(`${what} of non-numeric type ${k}`);
}

function show(x: Value): string {
  return typeof x === 'bigint' ? String(x) : Object.is(x, -0) ? '-0.0' : String(x);
}

function overflow(type: string, what: string, args: readonly Value[]): never {
  throw new RuntimeError('IntegerOverflow', `${type} overflow: ${what}(${args.map(show).join(', ')})`);
}

/** `x` when it is an Int32; `| 0` also turns -0 into 0. */
function int32(x: number, what: string, l: Value, r?: Value): number {
  if (x < INT32_MIN || x > INT32_MAX) overflow('Int32', what, r === undefined ? [l] : [l, r]);
  return x | 0;
}

function int64(x: bigint, what: string, l: Value, r?: Value): bigint {
  if (x < INT64_MIN || x > INT64_MAX) overflow('Int64', what, r === undefined ? [l] : [l, r]);
  return x;
}

function divisionByZero(what: string, l: Value): never {
  throw new RuntimeError('DivisionByZero', `${what}(${show(l)}, 0): integer division by zero`);
}

// Floor division of Int32s through doubles is exact: l / r is never rounded across an
// integer (its distance to one is at least 1/|r|, far more than half an ulp).
function floorDiv32(l: number, r: number): number {
  if (r === 0) divisionByZero('RoundToNegInfDivide', l);
  return int32(Math.floor(l / r), 'RoundToNegInfDivide', l, r);
}

function floorDiv64(l: bigint, r: bigint): bigint {
  if (r === 0n) divisionByZero('RoundToNegInfDivide', l);
  const q = l / r; // truncates
  const floored = l % r !== 0n && l < 0n !== r < 0n ? q - 1n : q;
  return int64(floored, 'RoundToNegInfDivide', l, r);
}

// ---- binary operators ---------------------------------------------------------------------

type ShiftOp = 'LeftShift' | 'RightShift' | 'LogicalRightShift';

interface BinaryImpl {
  readonly Int32?: (l: number, r: number) => Value;
  readonly Int64?: (l: bigint, r: bigint) => Value;
  readonly Float32?: (l: number, r: number) => Value;
  readonly Float64?: (l: number, r: number) => Value;
}

const binaryTable: Record<Exclude<BinaryOp, ShiftOp>, BinaryImpl> = {
  Add: {
    Int32: (l, r) => int32(l + r, 'Add', l, r),
    Int64: (l, r) => int64(l + r, 'Add', l, r),
    Float32: (l, r) => f32(l + r),
    Float64: (l, r) => l + r,
  },
  Subtract: {
    Int32: (l, r) => int32(l - r, 'Subtract', l, r),
    Int64: (l, r) => int64(l - r, 'Subtract', l, r),
    Float32: (l, r) => f32(l - r),
    Float64: (l, r) => l - r,
  },
  Multiply: {
    // The double product may be rounded, but only when it is far outside Int32 range; the
    // range check is exact because rounding is monotonic and both bounds are doubles.
    Int32: (l, r) => int32(l * r, 'Multiply', l, r),
    Int64: (l, r) => int64(l * r, 'Multiply', l, r),
    Float32: (l, r) => f32(l * r),
    Float64: (l, r) => l * r,
  },
  FloatingPointDivide: {
    Int32: (l, r) => l / r,
    Int64: (l, r) => Number(l) / Number(r),
    Float32: (l, r) => f32(l / r),
    Float64: (l, r) => l / r,
  },
  RoundToNegInfDivide: {
    Int32: floorDiv32,
    Int64: floorDiv64,
    // The Float32 quotient is an operation of its own, so it is rounded before the floor.
    Float32: (l, r) => Math.floor(f32(l / r)),
    Float64: (l, r) => Math.floor(l / r),
  },
  BitAnd: { Int32: (l, r) => l & r, Int64: (l, r) => l & r },
  BitOr: { Int32: (l, r) => l | r, Int64: (l, r) => l | r },
  BitXOr: { Int32: (l, r) => l ^ r, Int64: (l, r) => l ^ r },
};

// The count is already reduced modulo the width (as the JVM does).
const shiftTable: Record<ShiftOp, { Int32: (l: number, n: number) => number; Int64: (l: bigint, n: bigint) => bigint }> = {
  LeftShift: { Int32: (l, n) => l << n, Int64: (l, n) => BigInt.asIntN(64, l << n) },
  RightShift: { Int32: (l, n) => l >> n, Int64: (l, n) => l >> n },
  LogicalRightShift: {
    Int32: (l, n) => (l >>> n) | 0,
    Int64: (l, n) => BigInt.asIntN(64, BigInt.asUintN(64, l) >> n),
  },
};

function isShift(op: BinaryOp): op is ShiftOp {
  return op === 'LeftShift' || op === 'RightShift' || op === 'LogicalRightShift';
}

/**
 * `ApplyBinaryPrimOp`. `t` is the operand type (for shifts, the left operand's; the count is
 * Int32). The result type is `t`, except `FloatingPointDivide` of integers gives Float64.
 */
export function binaryOp(op: BinaryOp, t: Type, l: Value, r: Value): Value {
  if (l === null || r === null) return null;
  const kind = numericKind(t, op);
  if (isShift(op)) {
    const count = r as number;
    if (kind === 'Int32') return shiftTable[op].Int32(l as number, count & 31);
    if (kind === 'Int64') return shiftTable[op].Int64(l as bigint, BigInt(count & 63));
    return internal(`${op} of ${kind}`);
  }
  const f = binaryTable[op][kind];
  if (f === undefined) return internal(`${op} of ${kind}`);
  return (f as (l: Value, r: Value) => Value)(l, r);
}

// ---- unary operators ----------------------------------------------------------------------

function popCount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/** `ApplyUnaryPrimOp`. `t` is the operand type; `BitCount` gives Int32, the others `t`. */
export function unaryOp(op: UnaryOp, t: Type, x: Value): Value {
  if (x === null) return null;
  if (op === 'Bang') {
    if (t.kind !== 'Boolean') return internal(`Bang of ${t.kind}`);
    return !(x as boolean);
  }
  const kind = numericKind(t, op);
  switch (op) {
    case 'Negate':
      switch (kind) {
        case 'Int32':
          if (x === INT32_MIN) overflow('Int32', 'Negate', [x]);
          return 0 - (x as number); // not -x, which gives -0 for 0
        case 'Int64':
          if (x === INT64_MIN) overflow('Int64', 'Negate', [x]);
          return -(x as bigint);
        default:
          return -(x as number);
      }
    case 'BitNot':
      if (kind === 'Int32') return ~(x as number);
      if (kind === 'Int64') return ~(x as bigint);
      return internal(`BitNot of ${kind}`);
    case 'BitCount': {
      if (kind === 'Int32') return popCount32((x as number) >>> 0);
      if (kind === 'Int64') {
        const u = BigInt.asUintN(64, x as bigint);
        return popCount32(Number(u & 0xffffffffn)) + popCount32(Number(u >> 32n));
      }
      return internal(`BitCount of ${kind}`);
    }
  }
}

// ---- comparisons --------------------------------------------------------------------------

/**
 * `ApplyComparisonOp`, for operands of any type `t`, by the total order of `compareValues`
 * (NaN = NaN and greatest, -0.0 = 0.0; inside containers missing sorts last). `Compare` gives
 * an Int32 -1/0/1, the others a Boolean.
 */
export function comparisonOp(op: ComparisonOp, t: Type, l: Value, r: Value): Value {
  if (op === 'EQWithNA' || op === 'NEQWithNA') {
    const eq = l === null || r === null ? l === r : compareValues(t, l, r) === 0;
    return op === 'EQWithNA' ? eq : !eq;
  }
  if (l === null || r === null) return null;
  const c = compareValues(t, l, r);
  switch (op) {
    case 'EQ':
      return c === 0;
    case 'NEQ':
      return c !== 0;
    case 'LT':
      return c < 0;
    case 'LTEQ':
      return c <= 0;
    case 'GT':
      return c > 0;
    case 'GTEQ':
      return c >= 0;
    case 'Compare':
      return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
}

// ---- casts --------------------------------------------------------------------------------

function castOutOfRange(x: number, to: string): never {
  throw new RuntimeError('CastOutOfRange', `cannot cast ${show(x)} to ${to}`);
}

function floatToInt32(x: number): number {
  const t = Math.trunc(x);
  if (!(t >= INT32_MIN && t <= INT32_MAX)) castOutOfRange(x, 'Int32'); // NaN fails too
  return t | 0;
}

function floatToInt64(x: number): bigint {
  const t = Math.trunc(x);
  if (!(t >= -TWO_POW_63 && t < TWO_POW_63)) castOutOfRange(x, 'Int64');
  return BigInt(t);
}

/**
 * Int64 to the nearest Float32. `fround(Number(x))` would round twice (to double, then to
 * float) and can miss a tie; instead keep 24 bits, a round bit and a sticky bit (the OR of
 * every lower bit), which a double holds exactly, and round that once.
 */
function int64ToFloat32(x: bigint): number {
  const m = x < 0n ? -x : x;
  if (m < TWO_POW_53) return f32(Number(x));
  const shift = m.toString(2).length - 26;
  let top = m >> BigInt(shift);
  if ((m & ((1n << BigInt(shift)) - 1n)) !== 0n) top |= 1n;
  const y = f32(Number(top) * 2 ** shift);
  return x < 0n ? -y : y;
}

function int64ToInt32(x: bigint): number {
  if (x < BigInt(INT32_MIN) || x > BigInt(INT32_MAX)) {
    throw new RuntimeError('IntegerOverflow', `Int32 overflow: cannot cast ${x} to Int32`);
  }
  return Number(x);
}

const castTable: Record<NumericKind, Record<NumericKind, (x: Value) => Value>> = {
  Int32: {
    Int32: (x) => x,
    Int64: (x) => BigInt(x as number),
    Float32: (x) => f32(x as number),
    Float64: (x) => x,
  },
  Int64: {
    Int32: (x) => int64ToInt32(x as bigint),
    Int64: (x) => x,
    Float32: (x) => int64ToFloat32(x as bigint),
    Float64: (x) => Number(x as bigint), // round to nearest (ties to even)
  },
  Float32: {
    Int32: (x) => floatToInt32(x as number),
    Int64: (x) => floatToInt64(x as number),
    Float32: (x) => x,
    Float64: (x) => x,
  },
  Float64: {
    Int32: (x) => floatToInt32(x as number),
    Int64: (x) => floatToInt64(x as number),
    Float32: (x) => f32(x as number),
    Float64: (x) => x,
  },
};

/** `Cast` (§4): numeric to numeric, or any type to itself (the identity). */
export function cast(from: Type, to: Type, v: Value): Value {
  if (v === null) return null;
  if (from.kind === to.kind) return v;
  return castTable[numericKind(from, 'Cast')][numericKind(to, 'Cast')](v);
}

// ---- functions (Apply) --------------------------------------------------------------------

/** C99 / IEEE pow: Math.pow differs only at pow(1, y) (always 1) and pow(-1, ±inf) (1). */
function pow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

// exp is evaluated only at non-positive arguments, so neither overflows.
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x); // NaN lands here too, and stays NaN
  return e / (1 + e);
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function abs(kind: NumericKind, x: Value): Value {
  switch (kind) {
    case 'Int32':
      if (x === INT32_MIN) overflow('Int32', 'abs', [x]);
      return Math.abs(x as number);
    case 'Int64':
      if (x === INT64_MIN) overflow('Int64', 'abs', [x]);
      return (x as bigint) < 0n ? -(x as bigint) : x;
    default:
      return Math.abs(x as number);
  }
}

function sign(kind: NumericKind, x: Value): Value {
  if (kind === 'Int64') return (x as bigint) > 0n ? 1n : (x as bigint) < 0n ? -1n : 0n;
  const n = x as number;
  // Both zeros give +0 (Math.sign keeps -0); NaN gives NaN.
  return n > 0 ? 1 : n < 0 ? -1 : n === 0 ? 0 : n;
}

function mod(kind: NumericKind, l: Value, r: Value): Value {
  switch (kind) {
    case 'Int32': {
      const [x, y] = [l as number, r as number];
      if (y === 0) divisionByZero('mod', x);
      const m = x % y;
      return (m !== 0 && m < 0 !== y < 0 ? m + y : m) | 0; // | 0: -0 from % becomes 0
    }
    case 'Int64': {
      const [x, y] = [l as bigint, r as bigint];
      if (y === 0n) divisionByZero('mod', x);
      const m = x % y;
      return m !== 0n && m < 0n !== y < 0n ? m + y : m;
    }
    case 'Float32': {
      const [x, y] = [l as number, r as number];
      return f32(x - f32(y * Math.floor(f32(x / y))));
    }
    case 'Float64': {
      const [x, y] = [l as number, r as number];
      return x - y * Math.floor(x / y);
    }
  }
}

type FnImpl = (types: readonly Type[], args: readonly Value[]) => Value;

const float1 =
  (f: (x: number) => number): FnImpl =>
  (_types, args) =>
    f(args[0] as number);
const float2 =
  (f: (x: number, y: number) => number): FnImpl =>
  (_types, args) =>
    f(args[0] as number, args[1] as number);

const libm1 = (f: (x: number) => number): FnImpl => float1((x) => nudged(f(x)));
const libm2 = (f: (x: number, y: number) => number): FnImpl => float2((x, y) => nudged(f(x, y)));
const conversion =
  (to: Type): FnImpl =>
  (types, args) =>
    cast(types[0]!, to, args[0]!);

/** Every function of src/ir/functions.ts; arguments are never missing here. */
const fnTable: Record<FnName, FnImpl> = {
  exp: libm1(Math.exp),
  log: libm1(Math.log),
  log10: libm1(Math.log10),
  log2: libm1(Math.log2),
  sqrt: float1(Math.sqrt),
  pow: libm2(pow),
  abs: (types, args) => abs(numericKind(types[0]!, 'abs'), args[0]!),
  sign: (types, args) => sign(numericKind(types[0]!, 'sign'), args[0]!),
  floor: float1(Math.floor),
  ceil: float1(Math.ceil),
  isnan: (_types, args) => Number.isNaN(args[0]),
  is_finite: (_types, args) => Number.isFinite(args[0]),
  toInt32: conversion(TInt32),
  toInt64: conversion(TInt64),
  toFloat64: conversion(TFloat64),
  // On a tie the first argument is kept (min(-0.0, 0.0) = -0.0).
  min: (types, args) => (compareValues(types[0]!, args[1]!, args[0]!) < 0 ? args[1]! : args[0]!),
  max: (types, args) => (compareValues(types[0]!, args[1]!, args[0]!) > 0 ? args[1]! : args[0]!),
  mod: (types, args) => mod(numericKind(types[0]!, 'mod'), args[0]!, args[1]!),
  sin: libm1(Math.sin),
  cos: libm1(Math.cos),
  tan: libm1(Math.tan),
  asin: libm1(Math.asin),
  acos: libm1(Math.acos),
  atan: libm1(Math.atan),
  atan2: libm2(Math.atan2),
  sinh: libm1(Math.sinh),
  cosh: libm1(Math.cosh),
  tanh: libm1(Math.tanh),
  log1p: libm1(Math.log1p),
  expm1: libm1(Math.expm1),
  sigmoid: libm1(sigmoid),
  softplus: libm1(softplus),
};

/** `Apply fn args` with the arguments' types; missing when any argument is missing. */
export function applyFunction(fn: FnName, argTypes: readonly Type[], args: readonly Value[]): Value {
  for (const a of args) if (a === null) return null;
  return fnTable[fn](argTypes, args);
}

