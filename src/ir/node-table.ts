// A side table keyed by node that also numbers its nodes: node i is the i-th one set. The type
// checker fills one in the post-order of its walk, so an analysis that walks the same tree the
// same way meets the nodes in index order and reads their types by position, with no hash
// lookup (`at`). Its own results can then live in arrays by that index, not in a second
// node-keyed map: past the caches, a lookup keyed by node is a cache miss. Two per node took
// about a third of the requiredness analysis's time on a million-node program, and made it
// grow faster than the program (docs/design/requiredness.md).

import type { IR } from './nodes.js';

export class NodeTable<V> implements ReadonlyMap<IR, V> {
  private readonly index = new Map<IR, number>();
  /** Node i, in the order first set, and its value. */
  readonly nodeList: IR[] = [];
  readonly valueList: V[] = [];

  static from<V>(m: ReadonlyMap<IR, V>): NodeTable<V> {
    if (m instanceof NodeTable) return m as NodeTable<V>;
    const t = new NodeTable<V>();
    for (const [n, v] of m) t.set(n, v);
    return t;
  }

  get size(): number {
    return this.nodeList.length;
  }

  /** Sets `n`'s value; a node set again keeps its index. */
  set(n: IR, v: V): this {
    const i = this.index.get(n);
    if (i === undefined) {
      this.index.set(n, this.nodeList.length);
      this.nodeList.push(n);
      this.valueList.push(v);
    } else this.valueList[i] = v;
    return this;
  }

  /** `n`'s index, or -1. */
  indexOf(n: IR): number {
    return this.index.get(n) ?? -1;
  }

  /**
   * `n`'s index, looked for first at `hint` (where a walk in the table's order expects it):
   * a pointer comparison, not a hash lookup, when the walk is in step. -1 when absent.
   */
  at(n: IR, hint: number): number {
    return this.nodeList[hint] === n ? hint : this.indexOf(n);
  }

  get(n: IR): V | undefined {
    const i = this.index.get(n);
    return i === undefined ? undefined : this.valueList[i];
  }

  has(n: IR): boolean {
    return this.index.has(n);
  }

  forEach(f: (v: V, n: IR, m: ReadonlyMap<IR, V>) => void, self?: unknown): void {
    for (let i = 0; i < this.nodeList.length; i++) f.call(self, this.valueList[i]!, this.nodeList[i]!, this);
  }

  *entries(): MapIterator<[IR, V]> {
    for (let i = 0; i < this.nodeList.length; i++) yield [this.nodeList[i]!, this.valueList[i]!];
  }

  keys(): MapIterator<IR> {
    return this.nodeList[Symbol.iterator]();
  }

  values(): MapIterator<V> {
    return this.valueList[Symbol.iterator]();
  }

  [Symbol.iterator](): MapIterator<[IR, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'NodeTable';
  }
}
