// User errors raised while a program runs (semantics.md §8). Compile-time problems are
// diagnostics (src/diagnostics), never these.

import type { Span } from '../../ir/nodes.js';

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
  /** The node that raised it, filled in by the interpreter on the way out. */
  span: Span | undefined;

  constructor(
    readonly errorClass: RuntimeErrorClass,
    message: string,
  ) {
    super(message);
  }
}
