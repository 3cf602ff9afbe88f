// The functions `Apply` can call (spec: "Functions for Apply"; docs/design/typing.md): one
// entry per function, keyed by name. An entry says how many arguments the function takes and
// what it returns for given argument types; the interpreter, SQL and derivative rules join the
// same entries, so the compiler cannot know a function without knowing all of it.

import { TBoolean, TFloat64, TInt32, TInt64, isFloating, isNumeric, typeEqual, type Type } from './types.js';

export const fnNames = [
  'exp', 'log', 'log10', 'log2', 'sqrt', 'pow', 'abs', 'sign', 'floor', 'ceil', 'isnan', 'is_finite',
  'toInt32', 'toInt64', 'toFloat64', 'min', 'max', 'mod',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'log1p', 'expm1',
  'sigmoid', 'softplus',
] as const;
export type FnName = (typeof fnNames)[number];

export interface FnInfo {
  /** How many arguments the function takes. */
  readonly arity: number;
  /** The accepted argument types, for messages: `(Float64, Float64) -> Float64`. */
  readonly signature: string;
  /** The result for these argument types (exactly `arity` of them), or undefined if they do not fit. */
  readonly result: (args: readonly Type[]) => Type | undefined;
}

const float64Fn = (arity: 1 | 2): FnInfo => ({
  arity,
  signature: arity === 1 ? '(Float64) -> Float64' : '(Float64, Float64) -> Float64',
  result: (args) => (args.every((a) => a.kind === 'Float64') ? TFloat64 : undefined),
});

/** Numeric-generic: every argument the same numeric type, which is also the result. */
const sameNumericFn = (arity: 1 | 2): FnInfo => ({
  arity,
  signature: arity === 1 ? '(T) -> T for a numeric T' : '(T, T) -> T for a numeric T',
  result: (args) => {
    const t = args[0]!;
    return isNumeric(t) && args.every((a) => typeEqual(a, t)) ? t : undefined;
  },
});

const floatingFn = (result: 'same' | 'Boolean'): FnInfo => ({
  arity: 1,
  signature: result === 'same' ? '(T) -> T for T Float32 or Float64' : '(Float32 or Float64) -> Boolean',
  result: ([t]) => (t !== undefined && isFloating(t) ? (result === 'same' ? t : TBoolean) : undefined),
});

const conversionFn = (to: Type): FnInfo => ({
  arity: 1,
  signature: `(any numeric) -> ${to.kind}`,
  result: ([t]) => (t !== undefined && isNumeric(t) ? to : undefined),
});

export const functions = {
  exp: float64Fn(1),
  log: float64Fn(1),
  log10: float64Fn(1),
  log2: float64Fn(1),
  sqrt: float64Fn(1),
  pow: float64Fn(2),
  abs: sameNumericFn(1),
  sign: sameNumericFn(1),
  floor: floatingFn('same'),
  ceil: floatingFn('same'),
  isnan: floatingFn('Boolean'),
  is_finite: floatingFn('Boolean'),
  toInt32: conversionFn(TInt32),
  toInt64: conversionFn(TInt64),
  toFloat64: conversionFn(TFloat64),
  min: sameNumericFn(2),
  max: sameNumericFn(2),
  mod: sameNumericFn(2),
  sin: float64Fn(1),
  cos: float64Fn(1),
  tan: float64Fn(1),
  asin: float64Fn(1),
  acos: float64Fn(1),
  atan: float64Fn(1),
  atan2: float64Fn(2),
  sinh: float64Fn(1),
  cosh: float64Fn(1),
  tanh: float64Fn(1),
  log1p: float64Fn(1),
  expm1: float64Fn(1),
  sigmoid: float64Fn(1),
  softplus: float64Fn(1),
} satisfies Record<FnName, FnInfo>;

export function isFnName(name: string): name is FnName {
  // Own keys only: `toString` and friends are not functions of the language.
  return Object.hasOwn(functions, name);
}

export function lookupFunction(name: string): FnInfo | undefined {
  return isFnName(name) ? functions[name] : undefined;
}
