// How `irc run` prints a result: JSON (semantics.md §9) or an aligned text table for people.

import type { Result } from '../backends/interpret/index.js';
import { printType } from '../ir/print.js';
import { tArray, type StructType, type Type } from '../ir/types.js';
import { encodeJson, type Value } from '../ir/value.js';

export function formatJson(r: Result): string {
  if (r.kind === 'value') return encodeJson(r.type as Type, r.value);
  const t = r.type as { row: StructType; global: StructType };
  return `{"rows":${encodeJson(tArray(t.row), r.rows)},"global":${encodeJson(t.global, r.global)}}`;
}

/** One cell: strings as they are, missing as NA, everything else as JSON. */
function cell(t: Type, v: Value): string {
  if (v === null) return 'NA';
  if (t.kind === 'String') return (v as string).replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
  return encodeJson(t, v);
}

function grid(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const isNumber = (t: Type) => t.kind === 'Int32' || t.kind === 'Int64' || t.kind === 'Float32' || t.kind === 'Float64';

function structTable(t: StructType, rows: readonly Value[]): string {
  const header = t.fields.map((f) => f.name);
  const cells = rows.map((r) => t.fields.map((f, j) => (r === null ? 'NA' : cell(f.type, (r as readonly Value[])[j]!))));
  return grid(header, cells, t.fields.map((f) => isNumber(f.type)));
}

export function formatTable(r: Result): string {
  if (r.kind === 'table') {
    const t = r.type as { row: StructType; global: StructType };
    const n = r.rows.length;
    let out = `${structTable(t.row, r.rows)}\n(${n} row${n === 1 ? '' : 's'})`;
    if (t.global.fields.length > 0) out += `\n\nglobal:\n${structTable(t.global, [r.global])}`;
    return out;
  }
  const t = r.type as Type;
  if (t.kind === 'Array' && t.element.kind === 'Struct' && r.value !== null) {
    const rows = r.value as readonly Value[];
    return `${structTable(t.element, rows)}\n(${rows.length} row${rows.length === 1 ? '' : 's'})`;
  }
  if (t.kind === 'Struct' && r.value !== null) {
    const v = r.value as readonly Value[];
    return grid(['field', 'value'], t.fields.map((f, j) => [f.name, cell(f.type, v[j]!)]), [false, false]);
  }
  return `${cell(t, r.value)}  : ${printType(t)}`;
}
