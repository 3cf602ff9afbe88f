// Whether a TableMapRows keeps every key field's value as it was (semantics.md §7: a keyed
// table stays in key order; a map that may change a key re-sorts the rows by it). Syntactic:
// the key field is `GetField k (Ref row)` in a MakeStruct, or untouched by an InsertFields or
// SelectFields of `Ref row`.

import type { IR, ValueIR } from '../ir/nodes.js';

const isRowField = (v: ValueIR, k: string): boolean => v.kind === 'GetField' && v.name === k && v.o.kind === 'Ref' && v.o.name === 'row';

export function keepsKey(newRow: ValueIR, key: readonly string[]): boolean {
  if (key.length === 0) return true;
  switch (newRow.kind) {
    case 'Ref':
      return newRow.name === 'row';
    case 'MakeStruct':
      return key.every((k) => newRow.fields.some((f) => f.name === k && isRowField(f.value, k)));
    case 'InsertFields':
      return keepsKey(newRow.old, key) && key.every((k) => newRow.fields.every((f) => f.name !== k || isRowField(f.value, k)));
    case 'SelectFields':
      return keepsKey(newRow.old, key);
    default:
      return false;
  }
}

export type { IR };
