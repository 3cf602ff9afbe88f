// Aggregator state machines for the reference interpreter (docs/design/semantics.md §5).
//
// The evaluator creates one state per ApplyAggOp/ApplyScanOp, feeds each row's evaluated seq
// arguments in table order and reads `result()`: after the last row for an aggregation, before
// each row for a scan. Nothing here knows about IR traversal.
//
// Errors:
// - `Take`/`TakeBy` with a missing or negative count raise `InvalidArgument` from
//   `makeAggregator`, before any row is seen (so also over an empty table).
// - Int64 `Sum`/`Product` are exact and raise `IntegerOverflow` from `result()` when the
//   result is outside Int64 (a scan: when that row's value is), whatever partial totals did.
//
// Results are never mutated after `result()` returns them. Min/Max/PrevNonnull return a fed value
// itself (values are immutable). Container results are copied from the state once per change and
// cached, so two reads with no row between return the same array; a scan of Collect/Take/
// CollectAsSet/TakeBy over n rows costs O(n^2) copying in total: each row's output is itself an
// array of up to n elements, and plain arrays cannot share structure.

import { InternalError } from '../../diagnostics/diagnostic.js';
import type { AggOp } from '../../ir/nodes.js';
import { TInt64, isNumeric, tArray, tSet, type Type } from '../../ir/types.js';
import { INT64_MAX, INT64_MIN, compareValues, type Value } from '../../ir/value.js';
import { RuntimeError } from './errors.js';
import { nudged } from './nudge.js';

export interface Aggregator {
  /** Feeds one row's seq argument values (already evaluated, in order). */
  seq(args: readonly Value[]): void;
  /** The result so far (for an aggregation: after the last row; for a scan: before the current row). Must not disturb the state. */
  result(): Value;
}

const seqArity: { readonly [K in AggOp]: number } = {
  Count: 0,
  Sum: 1,
  Product: 1,
  Min: 1,
  Max: 1,
  Collect: 1,
  CollectAsSet: 1,
  Take: 1,
  TakeBy: 2,
  PrevNonnull: 1,
};

const initArity: { readonly [K in AggOp]: number } = {
  Count: 0,
  Sum: 0,
  Product: 0,
  Min: 0,
  Max: 0,
  Collect: 0,
  CollectAsSet: 0,
  Take: 1,
  TakeBy: 1,
  PrevNonnull: 0,
};

/** The result type of an aggregator (typing.md, "Aggregators"); the type checker has already accepted `seqTypes`. */
export function aggregatorResultType(op: AggOp, seqTypes: readonly Type[]): Type {
  if (seqTypes.length !== seqArity[op]) {
    throw new InternalError(`${op} takes ${seqArity[op]} seq arguments, got ${seqTypes.length}`);
  }
  const x = seqTypes[0]!;
  switch (op) {
    case 'Count':
      return TInt64;
    case 'Sum':
    case 'Product':
      if (x.kind !== 'Int64' && x.kind !== 'Float64') throw new InternalError(`${op} of ${x.kind}`);
      return x;
    case 'Min':
    case 'Max':
      if (x.kind !== 'Boolean' && x.kind !== 'String' && !isNumeric(x)) throw new InternalError(`${op} of ${x.kind}`);
      return x;
    case 'Collect':
    case 'Take':
    case 'TakeBy':
      return tArray(x);
    case 'CollectAsSet':
      return tSet(x);
    case 'PrevNonnull':
      return x;
  }
}

/** `initArgs` are the evaluated init arguments; `seqTypes` the types of the seq arguments (from the type checker). */
export function makeAggregator(op: AggOp, initArgs: readonly Value[], seqTypes: readonly Type[]): Aggregator {
  const resultType = aggregatorResultType(op, seqTypes);
  if (initArgs.length !== initArity[op]) {
    throw new InternalError(`${op} takes ${initArity[op]} init arguments, got ${initArgs.length}`);
  }
  const x = seqTypes[0]!;
  switch (op) {
    case 'Count':
      return new Count();
    case 'Sum':
      return resultType.kind === 'Int64' ? new Int64Fold('Sum', 0n, (a, b) => a + b) : new Float64Fold(0, (a, b) => a + b);
    case 'Product':
      return resultType.kind === 'Int64' ? new Int64Fold('Product', 1n, (a, b) => a * b) : new Float64Fold(1, (a, b) => a * b);
    case 'Min':
      return new Extremum(x, -1);
    case 'Max':
      return new Extremum(x, 1);
    case 'Collect':
      return new Collect();
    case 'CollectAsSet':
      return new CollectAsSet(x);
    case 'Take':
      return new Take(count(op, initArgs[0]!));
    case 'TakeBy':
      return new TakeBy(count(op, initArgs[0]!), seqTypes[1]!);
    case 'PrevNonnull':
      return new PrevNonnull();
  }
}

function count(op: AggOp, n: Value): number {
  if (n === null) throw new RuntimeError('InvalidArgument', `${op}: the count is missing`);
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new InternalError(`${op}: the count is not an Int32`);
  if (n < 0) throw new RuntimeError('InvalidArgument', `${op}: the count ${n} is negative`);
  return n;
}

class Count implements Aggregator {
  private rows = 0;
  seq(): void {
    this.rows++;
  }
  result(): Value {
    return BigInt(this.rows);
  }
}

/**
 * Int64 Sum and Product are exact: only a result outside Int64 is an error, not a partial
 * total on the way (semantics.md §5), as SQL engines sum in wider integers. A product's
 * magnitude is capped once far out of range (only a later zero can bring it back).
 */
class Int64Fold implements Aggregator {
  private acc: bigint;
  private zero = false;
  constructor(
    private readonly op: 'Sum' | 'Product',
    start: bigint,
    private readonly step: (a: bigint, b: bigint) => bigint,
  ) {
    this.acc = start;
  }
  seq(args: readonly Value[]): void {
    const x = args[0]! as bigint | null;
    if (x === null) return;
    if (this.op === 'Product' && x === 0n) this.zero = true;
    let next = this.step(this.acc, x);
    if (this.op === 'Product' && (next > PRODUCT_CAP || next < -PRODUCT_CAP)) next = next > 0n ? PRODUCT_CAP : -PRODUCT_CAP;
    this.acc = next;
  }
  result(): Value {
    const v = this.zero ? 0n : this.acc;
    if (v < INT64_MIN || v > INT64_MAX) throw new RuntimeError('IntegerOverflow', `${this.op} is outside Int64: ${v === PRODUCT_CAP || v === -PRODUCT_CAP ? (v > 0n ? 'too large' : 'too small') : v}`);
    return v;
  }
}

const PRODUCT_CAP = 2n ** 130n;

// Starts at 0.0 / 1.0, so a Sum of only -0.0 is 0.0 (as Hail, whose zero is 0.0). With three
// values or more, the order of adding can change the last bit (see nudge.ts).
class Float64Fold implements Aggregator {
  private count = 0;
  constructor(
    private acc: number,
    private readonly step: (a: number, b: number) => number,
  ) {}
  seq(args: readonly Value[]): void {
    const x = args[0]!;
    if (x === null) return;
    this.acc = this.step(this.acc, x as number);
    this.count++;
  }
  result(): Value {
    return this.count >= 3 ? nudged(this.acc) : this.acc;
  }
}

/** Min (sign -1) or Max (sign 1); only a strictly better value replaces, so ties keep the first seen. */
class Extremum implements Aggregator {
  private best: Value = null;
  constructor(
    private readonly type: Type,
    private readonly sign: -1 | 1,
  ) {}
  seq(args: readonly Value[]): void {
    const x = args[0]!;
    if (x === null) return;
    if (this.best === null || compareValues(this.type, x, this.best) * this.sign > 0) this.best = x;
  }
  result(): Value {
    return this.best;
  }
}

/** Shared by the container aggregators: a copy of the state, cached until the state changes. */
abstract class Snapshotting implements Aggregator {
  private snapshot: readonly Value[] | null = null;
  abstract seq(args: readonly Value[]): void;
  protected abstract copy(): readonly Value[];
  protected changed(): void {
    this.snapshot = null;
  }
  result(): Value {
    return (this.snapshot ??= this.copy());
  }
}

class Collect extends Snapshotting {
  private readonly items: Value[] = [];
  override seq(args: readonly Value[]): void {
    this.items.push(args[0]!);
    this.changed();
  }
  protected override copy(): readonly Value[] {
    return this.items.slice();
  }
}

/**
 * `items` is sorted by the total order with one value per equivalence class, the first seen (as
 * `canonicalSet` keeps); new rows wait in `pending` and are merged in once there are as many of
 * them as items (or on `result()`), so a row costs amortized O(log n) and memory stays within
 * about twice the number of distinct values.
 */
class CollectAsSet extends Snapshotting {
  private items: Value[] = [];
  private pending: Value[] = [];
  constructor(private readonly type: Type) {
    super();
  }
  override seq(args: readonly Value[]): void {
    this.pending.push(args[0]!);
    if (this.pending.length >= Math.max(64, this.items.length)) this.merge();
    this.changed();
  }
  // Changes the representation only, so `result()` may call it.
  private merge(): void {
    if (this.pending.length === 0) return;
    const cmp = (a: Value, b: Value) => compareValues(this.type, a, b);
    // Stable sort, and items before pending on ties: the first seen wins.
    const incoming = this.pending.sort(cmp);
    const old = this.items;
    const out: Value[] = [];
    const add = (x: Value) => {
      if (out.length === 0 || cmp(out[out.length - 1]!, x) !== 0) out.push(x);
    };
    let i = 0;
    let j = 0;
    while (i < old.length || j < incoming.length) {
      if (j === incoming.length || (i < old.length && cmp(old[i]!, incoming[j]!) <= 0)) add(old[i++]!);
      else add(incoming[j++]!);
    }
    this.items = out;
    this.pending = [];
  }
  protected override copy(): readonly Value[] {
    this.merge();
    return this.items.slice();
  }
}

class Take extends Snapshotting {
  private readonly items: Value[] = [];
  constructor(private readonly n: number) {
    super();
  }
  override seq(args: readonly Value[]): void {
    if (this.items.length >= this.n) return;
    this.items.push(args[0]!);
    this.changed();
  }
  protected override copy(): readonly Value[] {
    return this.items.slice();
  }
}

interface Keyed {
  readonly value: Value;
  readonly key: Value;
  readonly row: number;
}

/**
 * The n entries smallest by (key, row), in a binary max-heap so the largest kept entry is at the
 * root: O(log n) per row. A later row never beats an equal key already kept, so ties keep row order.
 * Reading sorts the kept entries: O(n log n) per `result()`.
 */
class TakeBy extends Snapshotting {
  private readonly heap: Keyed[] = [];
  private rows = 0;
  constructor(
    private readonly n: number,
    private readonly keyType: Type,
  ) {
    super();
  }
  private compare(a: Keyed, b: Keyed): number {
    return compareValues(this.keyType, a.key, b.key) || a.row - b.row;
  }
  override seq(args: readonly Value[]): void {
    const entry: Keyed = { value: args[0]!, key: args[1]!, row: this.rows++ };
    const heap = this.heap;
    if (heap.length < this.n) {
      heap.push(entry);
      this.siftUp(heap.length - 1);
    } else if (heap.length > 0 && this.compare(entry, heap[0]!) < 0) {
      heap[0] = entry;
      this.siftDown(0);
    } else {
      return;
    }
    this.changed();
  }
  private siftUp(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(heap[i]!, heap[parent]!) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }
  private siftDown(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && this.compare(heap[l]!, heap[top]!) > 0) top = l;
      if (r < heap.length && this.compare(heap[r]!, heap[top]!) > 0) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  }
  protected override copy(): readonly Value[] {
    return this.heap
      .slice()
      .sort((a, b) => this.compare(a, b))
      .map((e) => e.value);
  }
}

class PrevNonnull implements Aggregator {
  private last: Value = null;
  seq(args: readonly Value[]): void {
    const x = args[0]!;
    if (x !== null) this.last = x;
  }
  result(): Value {
    return this.last;
  }
}
