// User errors raised while a program runs (semantics.md §8). Compile-time problems are
// diagnostics (src/diagnostics), never these.

export type RuntimeErrorClass =
  | 'Die'
  | 'ArrayIndexOutOfBounds'
  | 'DivisionByZero'
  | 'IntegerOverflow'
  | 'CastOutOfRange'
  | 'InvalidArgument'
  | 'Input';

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';

  constructor(
    readonly errorClass: RuntimeErrorClass,
    message: string,
  ) {
    super(message);
  }
}
