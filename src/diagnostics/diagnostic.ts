// Diagnostics are data (code, message, span, hint); user errors and compiler bugs are separate.

import type { Span } from '../ir/nodes.js';
import { codes, type CodeName } from './codes.js';

export interface Diagnostic {
  readonly code: string;
  readonly name: CodeName;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly span: Span | null;
  readonly hint?: string;
}

export function diagnostic(name: CodeName, span: Span | null | undefined, message: string, hint?: string): Diagnostic {
  const d: Diagnostic = { code: codes[name].code, name, severity: 'error', message, span: span ?? null };
  return hint === undefined ? d : { ...d, hint };
}

/** A program the user wrote is wrong. Carries every diagnostic found, not just the first. */
export class UserError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
    this.name = 'UserError';
  }
}

/** A bug in irc: an invariant that should hold did not. Never the user's fault. */
export class InternalError extends Error {
  constructor(
    message: string,
    readonly context?: string,
  ) {
    super(message);
    this.name = 'InternalError';
  }
}

export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new InternalError(message);
}
