// Dead bindings (semantics.md §1): a Let or AggLet binding whose name is not read anywhere in
// its scope is not evaluated, in every backend (SQL engines never compute what nothing reads).
// "Read" is syntactic and ignores shadowing, so a shadowed name counts as read: conservative.
// An analysis: memoized name sets in a side table, the IR is untouched.

import type { IR } from '../ir/nodes.js';
import { memoFold } from '../ir/walk.js';

/** Above this many distinct names a subtree counts as reading every name. */
const LIMIT = 64;
const ALL: ReadonlySet<string> = new Set();
const memo = new WeakMap<IR, ReadonlySet<string>>();

/** The names read by `Ref`s in `n` (ALL when too many to track). Iterative, memoized. */
function namesRead(n: IR): ReadonlySet<string> {
  return memoFold(n, memo, (x, kids) => {
    let out: ReadonlySet<string> | undefined;
    if (x.kind === 'Ref') out = new Set([x.name]);
    else if (x.kind === 'RelationalRef') out = new Set([REL + x.name]);
    for (const s of kids) {
      if (s.size === 0 && s !== ALL) continue;
      if (s === ALL || out === ALL) return ALL;
      if (out === undefined) out = s;
      else {
        const u = new Set(out);
        for (const name of s) u.add(name);
        if (u.size > LIMIT) return ALL;
        out = u;
      }
    }
    return out ?? EMPTY;
  });
}
const EMPTY: ReadonlySet<string> = new Set<string>();
/** Relational names live in their own namespace (no value name contains a NUL). */
const REL = '\u0000';

function reads(nodes: readonly IR[], name: string): boolean {
  return nodes.some((x) => {
    const s = namesRead(x);
    return s === ALL || s.has(name);
  });
}

/** Whether binding `j` of a Let is dead: no later binding value nor the body reads its name. */
export function deadLetBinding(node: Extract<IR, { kind: 'Let' }>, j: number): boolean {
  const name = node.bindings[j]!.name;
  return !reads([...node.bindings.slice(j + 1).map((b) => b.value), node.body], name);
}

/** Whether a RelationalLet's or RelationalLetTable's value is dead: no RelationalRef reads it. */
export function deadRelationalLet(node: Extract<IR, { kind: 'RelationalLet' | 'RelationalLetTable' }>): boolean {
  return !reads([node.body], REL + node.name);
}

/** Whether an AggLet's binding is dead. */
export function deadAggLet(node: Extract<IR, { kind: 'AggLet' }>): boolean {
  return !reads([node.body], node.name);
}
