// Renders diagnostics as `file:line:col: error IRC1234: message`, the source line, a caret
// under the span and an optional hint.

import type { Diagnostic } from './diagnostic.js';
import type { Source } from './source.js';

const MAX_LINE = 160;

export function renderDiagnostic(d: Diagnostic, source: Source | null): string {
  if (d.span === null || source === null) {
    const where = source ? `${source.name}: ` : '';
    return `${where}${d.severity} ${d.code}: ${d.message}${d.hint ? `\n  = hint: ${d.hint}` : ''}`;
  }
  const { line, column } = source.position(d.span.start);
  const end = source.position(Math.max(d.span.start, d.span.end - 1));
  const head = `${source.name}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}`;
  let text = source.lineText(line).replace(/\t/g, ' ');
  let col = column - 1;
  // Long lines (generated programs) are cut around the caret.
  if (text.length > MAX_LINE) {
    const from = Math.max(0, col - 60);
    text = (from > 0 ? '...' : '') + text.slice(from, from + MAX_LINE) + (from + MAX_LINE < text.length ? '...' : '');
    col = col - from + (from > 0 ? 3 : 0);
  }
  const width = end.line === line ? Math.max(1, Math.min(end.column - column + 1, text.length - col, 80)) : 1;
  const gutter = String(line).length;
  const pad = ' '.repeat(gutter);
  const lines = [head, `${pad} |`, `${line} | ${text}`, `${pad} | ${' '.repeat(Math.max(0, col))}${'^'.repeat(width)}`];
  if (d.hint) lines.push(`${pad} = hint: ${d.hint}`);
  return lines.join('\n');
}

export function renderDiagnostics(ds: readonly Diagnostic[], source: Source | null): string {
  return ds.map((d) => renderDiagnostic(d, source)).join('\n\n');
}
