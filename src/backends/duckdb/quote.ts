// The one quoting module. Every identifier and every string that reaches SQL text goes through
// `quoteIdent` or `quoteString`; a grep for other quoting of SQL must find nothing.
//
// DuckDB's rules: the text between quotes with each quote doubled. Backslashes, newlines and any
// other character are literal inside both kinds of quotes (no escape syntax in '...'), so
// doubling the quote is the whole job. A NUL ends DuckDB's parse early, so it is refused here;
// callers report names with a NUL as user errors before they get this far.

import { InternalError } from '../../diagnostics/diagnostic.js';

function quoted(text: string, q: '"' | "'"): string {
  if (text.includes('\u0000')) throw new InternalError(`a NUL character reached SQL quoting: ${JSON.stringify(text)}`);
  return q + text.split(q).join(q + q) + q;
}

/** A DuckDB identifier: `"name"`, each `"` doubled. */
export function quoteIdent(name: string): string {
  return quoted(name, '"');
}

/** A DuckDB string literal: `'text'`, each `'` doubled. */
export function quoteString(text: string): string {
  return quoted(text, "'");
}
