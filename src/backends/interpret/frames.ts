// Runtime environments of the interpreter (docs/design/002-interpreter.md).
//
// A frame holds the values one binder node binds, in slots. Names are resolved at compile time
// (through binds.ts) to a binder node and a slot; at run time a lookup walks up to the nearest
// frame of that binder. Keying frames by binder rather than by depth keeps the scope rules in
// one place (binds.ts): promotion to an aggregation scope, fresh CDA scopes and table scopes
// need no bookkeeping here.

import { InternalError } from '../../diagnostics/diagnostic.js';
import type { IR } from '../../ir/nodes.js';
import type { Value } from '../../ir/value.js';
import type { AggContext } from './aggregate.js';

export interface Frame {
  readonly binder: IR | null;
  readonly slots: unknown[];
  readonly parent: Frame | null;
  /** The aggregation whose results this frame's subtree reads (result phase). */
  readonly agg?: AggContext;
  /** The scan whose results this frame's subtree reads (TableMapRows). */
  readonly scan?: AggContext;
}

/** Where a name's value lives: the frame of `binder`, at `slot`. */
export interface Loc {
  readonly binder: IR | null;
  readonly slot: number;
}

export function frame(binder: IR | null, slots: unknown[], parent: Frame | null, extra?: { agg?: AggContext; scan?: AggContext }): Frame {
  return extra ? { binder, slots, parent, ...extra } : { binder, slots, parent };
}

export function lookup(f: Frame | null, loc: Loc): unknown {
  for (let x = f; x !== null; x = x.parent) {
    if (x.binder === loc.binder) return x.slots[loc.slot];
  }
  throw new InternalError(`interpreter: no frame binds slot ${loc.slot} of ${loc.binder?.kind ?? 'the root'}`);
}

export function findAgg(f: Frame | null, scan: boolean): AggContext {
  for (let x = f; x !== null; x = x.parent) {
    const c = scan ? x.scan : x.agg;
    if (c !== undefined) return c;
  }
  throw new InternalError(`interpreter: an ${scan ? 'ApplyScanOp' : 'ApplyAggOp'} ran outside its aggregation`);
}

/** A stream value: re-iterable, so a stream bound by Let can be read more than once. */
export type Stream = Iterable<Value>;
