// The reference interpreter: the oracle every backend is compared with (semantics.md).

import { diagnostic, UserError } from '../../diagnostics/diagnostic.js';
import { maxDepth } from '../../ir/walk.js';
import type { IR, Span, TableWriter } from '../../ir/nodes.js';
import type { TableType } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { isTableType, type AnyType } from '../../passes/typecheck.js';
import { prepare, type PrepareOptions } from '../../passes/prepare.js';
import { compile, locate } from './compile.js';
import type { Row, TableSource, TableValue } from './tables.js';
import { strictChecker } from './strict.js';

export { RuntimeError, type RuntimeErrorClass } from './errors.js';
export { withInexactNudge } from './nudge.js';
export type { TableSource, TableValue, Row } from './tables.js';

export interface InterpretOptions extends PrepareOptions {
  /** Check every value against its node's type (on in tests). */
  readonly strict?: boolean;
  readonly source?: TableSource;
  /**
   * Receives each TableWrite's rows as it runs; the caller performs the writes afterwards
   * (`performWrites`). Without it, TableWrite is an `Input` error.
   */
  readonly sink?: (writer: TableWriter, type: TableType, rows: readonly Row[], span?: Span) => void;
  /** Counts what runs: each evaluation of a table node adds one to `tableEvaluations`. */
  readonly stats?: { tableEvaluations: number };
}

/** A program's result: a value, or a table's rows and global. */
export type Result =
  | { readonly kind: 'value'; readonly type: AnyType; readonly value: Value }
  | { readonly kind: 'table'; readonly type: AnyType; readonly rows: readonly Value[]; readonly global: Value };

/**
 * Runs a program. Type errors throw `UserError`; a failure while running (Die, overflow, ...)
 * throws `RuntimeError` with its class (semantics.md §8).
 */
export function interpret(ir: IR, options: InterpretOptions = {}): Result {
  const prepared = prepare(ir, options);
  const check = options.strict ? strictChecker(prepared.types) : undefined;
  const program = compile(prepared.ir, { types: prepared.types, source: options.source, sink: options.sink, check, demand: prepared.demand, hoisted: prepared.hoisted, ...(options.stats ? { stats: options.stats } : {}) });
  const type = prepared.types.get(prepared.ir)!;
  let out: unknown;
  try {
    out = program.v(null as never);
  } catch (e) {
    // Closures nest as deep as the program; past this thread's stack, say so plainly.
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      throw new UserError([
        diagnostic('tooDeep', ir.span, `the program nests too deeply (${maxDepth(ir)} levels) for this thread's stack`, 'run it with `irc run`, which uses a worker with a larger stack'),
      ]);
    }
    throw locate(e);
  }
  if (isTableType(type)) {
    const t = out as TableValue;
    try {
      return { kind: 'table', type, rows: [...t.rows()], global: t.global };
    } catch (e) {
      throw locate(e);
    }
  }
  return { kind: 'value', type, value: out as Value };
}
