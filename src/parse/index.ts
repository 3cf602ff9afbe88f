// Parsing entry points. `parse` is the production reader; `src/parse/ir.ohm` is the grammar
// (reference parser) it is tested against.

import { Source } from '../diagnostics/source.js';
import type { IR } from '../ir/nodes.js';
import { readIR, readIRWithComments, type Comments } from './reader.js';

export { MAX_NESTING, MAX_TYPE_NESTING, formUsage, type Comments } from './reader.js';

/** Parses one program. Throws `UserError` (with a located diagnostic) on malformed input. */
export function parse(text: string): IR {
  return readIR(text);
}

export interface Parsed {
  readonly ir: IR;
  readonly source: Source;
}

export function parseSource(text: string, name = '<input>'): Parsed {
  return { ir: readIR(text), source: new Source(name, text) };
}

/** Parses one program and keeps its `;` comments, attached to the nodes they precede. */
export function parseWithComments(text: string): { ir: IR; comments: Comments } {
  return readIRWithComments(text);
}
