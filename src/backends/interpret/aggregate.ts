// The state of one aggregation (or scan) while rows stream through it: an aggregator per
// ApplyAggOp node, and nested contexts for AggGroupBy (one per key) and AggArrayPerElement (one
// per index). See docs/design/002-interpreter.md, "Aggregation".

import type { IR } from '../../ir/nodes.js';
import type { Type } from '../../ir/types.js';
import { canonicalDict, encodeJson, type Value } from '../../ir/value.js';
import { makeAggregator, type Aggregator } from './aggregators.js';

/**
 * `Take` and `TakeBy` take their count from init arguments that may depend on bindings only
 * the result phase has, so their rows are buffered and the aggregator is built at the end.
 * Every other aggregator has no init arguments and runs as rows arrive.
 */
interface State {
  agg: Aggregator | null;
  buffered: (readonly Value[])[] | null;
}

/** Group keys compare by the total order: -0.0 groups with 0.0 (NaN with NaN already does). */
export function keyString(t: Type, v: Value): string {
  return encodeJson(t, normalizeZero(t, v));
}

function normalizeZero(t: Type, v: Value): Value {
  if (v === null) return v;
  switch (t.kind) {
    case 'Float32':
    case 'Float64':
      return Object.is(v, -0) ? 0 : v;
    case 'Array':
    case 'Stream':
    case 'Set':
      return (v as readonly Value[]).map((x) => normalizeZero(t.element, x));
    case 'Dict':
      return (v as readonly (readonly Value[])[]).map((p) => [normalizeZero(t.key, p[0]!), normalizeZero(t.value, p[1]!)]);
    case 'Tuple':
    case 'Struct':
      return (v as readonly Value[]).map((x, i) => normalizeZero(t.fields[i]!.type, x));
    default:
      return v;
  }
}

export class AggContext {
  private readonly states = new Map<IR, State>();
  private readonly groups = new Map<IR, Map<string, { key: Value; ctx: AggContext }>>();
  private readonly elements = new Map<IR, AggContext[]>();
  private readonly lengths = new Map<IR, number>();

  /** Feeds one row's seq arguments to the aggregator of `node`. */
  feed(node: IR, op: string, seqTypes: readonly Type[], args: readonly Value[]): void {
    let s = this.states.get(node);
    if (s === undefined) {
      const buffers = op === 'Take' || op === 'TakeBy';
      s = { agg: buffers ? null : makeAggregator(op as never, [], seqTypes), buffered: buffers ? [] : null };
      this.states.set(node, s);
    }
    if (s.buffered !== null) s.buffered.push(args);
    else s.agg!.seq(args);
  }

  /** The current result of `node`'s aggregator; `initArgs` are evaluated by the caller. */
  result(node: IR, op: string, seqTypes: readonly Type[], initArgs: () => readonly Value[]): Value {
    const s = this.states.get(node);
    if (s === undefined || s.buffered !== null) {
      const agg = makeAggregator(op as never, initArgs(), seqTypes);
      for (const args of s?.buffered ?? []) agg.seq(args);
      return agg.result();
    }
    return s.agg!.result();
  }

  /** The nested context of an AggGroupBy for one key, created on first sight. */
  group(node: IR, keyType: Type, key: Value): AggContext {
    let m = this.groups.get(node);
    if (m === undefined) {
      m = new Map();
      this.groups.set(node, m);
    }
    const k = keyString(keyType, key);
    let g = m.get(k);
    if (g === undefined) {
      g = { key, ctx: new AggContext() };
      m.set(k, g);
    }
    return g.ctx;
  }

  /** Every group of an AggGroupBy as a dict, in key order. */
  groupResults(node: IR, keyType: Type, value: (ctx: AggContext) => Value): Value {
    const m = this.groups.get(node);
    const pairs = [...(m?.values() ?? [])].map((g) => [g.key, value(g.ctx)]);
    return canonicalDict(keyType, pairs);
  }

  /** The nested context of an AggArrayPerElement for index `i`. */
  element(node: IR, i: number): AggContext {
    let xs = this.elements.get(node);
    if (xs === undefined) {
      xs = [];
      this.elements.set(node, xs);
    }
    while (xs.length <= i) xs.push(new AggContext());
    return xs[i]!;
  }

  /** Records an array length seen by an AggArrayPerElement; returns the first one recorded. */
  noteLength(node: IR, n: number): number {
    const first = this.lengths.get(node);
    if (first === undefined) {
      this.lengths.set(node, n);
      return n;
    }
    return first;
  }

  firstLength(node: IR): number | undefined {
    return this.lengths.get(node);
  }

  maxElement(node: IR): number {
    return this.elements.get(node)?.length ?? 0;
  }
}
