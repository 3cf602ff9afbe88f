// Struct rebuilding closures shared by the interpreter's compiler and its dual-number mode: they
// move field values around without reading them, so either kind of value passes through.

import type { InsertFields } from '../../ir/nodes.js';
import { fieldIndex, type StructType } from '../../ir/types.js';
import type { Frame } from './frames.js';

type V = (f: Frame) => unknown;

/** `InsertFields`: each output field from the old struct or a new value, by name. */
export function insertFields(node: InsertFields, oldT: StructType, outT: StructType, old: V, vals: readonly V[]): V {
  const plan = outT.fields.map((fld) => {
    const j = node.fields.findIndex((x) => x.name === fld.name);
    return j >= 0 ? { from: 'new' as const, i: j } : { from: 'old' as const, i: fieldIndex(oldT, fld.name) };
  });
  return (f) => {
    // A missing struct stays missing; its new fields are not evaluated (semantics.md §1).
    const o = old(f) as readonly unknown[] | null;
    if (o === null) return null;
    const news = vals.map((a) => a(f));
    return plan.map((p) => (p.from === 'new' ? news[p.i] : o[p.i]));
  };
}

/** `SelectFields`: the named fields of the old struct, in the order given. */
export function selectFields(fields: readonly string[], oldT: StructType, old: V): V {
  const idx = fields.map((n) => fieldIndex(oldT, n));
  return (f) => {
    const o = old(f) as readonly unknown[] | null;
    return o === null ? null : idx.map((i) => o[i]);
  };
}
