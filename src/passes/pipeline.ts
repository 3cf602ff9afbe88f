// The compiler's stages, in order. Each later issue adds its pass here (requiredness,
// lift-relational-lets, differentiate, lower-stages, emit), so this file is the pipeline's
// table of contents. See docs/design/architecture.md.

import { UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Source } from '../diagnostics/source.js';
import type { IR } from '../ir/nodes.js';
import { parseSource } from '../parse/index.js';
import { typecheck, type TypeInfo, type TypecheckOptions } from './typecheck.js';

export interface Checked {
  readonly ir: IR;
  readonly source: Source;
  readonly types: TypeInfo['types'];
}

/** Parse and type-check. Throws `UserError` with every diagnostic found. */
export function check(text: string, name = '<input>', options?: TypecheckOptions): Checked {
  const { ir, source } = parseSource(text, name);
  const info = typecheck(ir, options);
  if (info.diagnostics.length > 0) throw new UserError(info.diagnostics as Diagnostic[]);
  return { ir, source, types: info.types };
}
