// The reference interpreter's compiler: IR -> JavaScript closures, in one iterative fold
// (docs/design/002-interpreter.md). Each node compiles to
//   v:    (frame) => its value (a stream node returns a re-iterable `Stream`, a table node a
//         `TableValue`);
//   seq:  (frame, ctx) => void, the per-row work of the aggregations in its subtree that belong
//         to the enclosing aggregation scope (null when there is none);
//   scan: the same for scans (ApplyScanOp in TableMapRows).
// Laziness is in the closures: If, Switch and Coalesce run only the branches they take, and
// streams and table rows are pulled.

import { diagnostic, InternalError, UserError } from '../../diagnostics/diagnostic.js';
import { childEnv, emptyEnv, type Bind, type Env } from '../../ir/binds.js';
import type { FnName } from '../../ir/functions.js';
import { assertNever, isTableIR, plainSortOrder, type IR, type Span, type TableWriter, type ValueIR } from '../../ir/nodes.js';
import { elementType, fieldIndex, type StructType, type TableType, type Type } from '../../ir/types.js';
import { canonicalDict, canonicalSet, type Value } from '../../ir/value.js';
import { fold } from '../../ir/walk.js';
import type { AnyType } from '../../passes/typecheck.js';
import { AggContext } from './aggregate.js';
import { RuntimeError, type RuntimeErrorClass } from './errors.js';
import { findAgg, frame, lookup, type Frame, type Loc, type Stream } from './frames.js';
import { applyFunction, binaryOp, cast, comparisonOp, unaryOp } from './ops.js';
import { insertFields, selectFields } from './structs.js';
import { tableOps, type Row, type TableSource, type TableValue } from './tables.js';
import { foldsToMissing } from '../../passes/static-missing.js';
import type { DemandInfo } from '../../passes/demand.js';
import { compileGrad, type DualDeps } from './dual.js';

export type V = (f: Frame) => unknown;
type Seq = (f: Frame, ctx: AggContext) => void;

export interface Compiled {
  readonly v: V;
  readonly seq: Seq | null;
  readonly scan: Seq | null;
  /** The aggregation and scan scopes this node was compiled in (to tell which seqs belong). */
  readonly aggScope: IR | null;
  readonly scanScope: IR | null;
  /** Inside a Grad or Gradient body: the children's, which dual mode falls back on (dual.ts). */
  readonly parts?: readonly Compiled[];
}

interface Ctx {
  readonly env: Env<Loc>;
  readonly aggScope: IR | null;
  readonly scanScope: IR | null;
  /** Whether the node lies in the body of a Grad or Gradient. */
  readonly inGrad: boolean;
}

export interface CompileOptions {
  readonly types: ReadonlyMap<IR, AnyType>;
  /** Rows of a TableRead source, in the reader's type. */
  readonly source?: TableSource;
  /** Receives the rows of every TableWrite, in table order. */
  readonly sink?: (writer: TableWriter, type: TableType, rows: readonly Row[], span?: Span) => void;
  /** What the result needs of each node (passes/demand.ts); without it, everything. */
  readonly demand?: DemandInfo;
  /** Closed nested queries, evaluated once before the program (passes/fold-constants.ts). */
  readonly hoisted?: ReadonlySet<IR>;
  /** Called with every value a node produces (strict mode; the requiredness soundness test). */
  readonly check?: (node: IR, value: unknown) => void;
  /** Counts what runs: each evaluation of a table node (its rows and global made once more). */
  readonly stats?: { tableEvaluations: number };
}

/**
 * Where the last operation that may raise began: set just before it runs (no wrapper frames, so
 * deep programs keep their stack), read when a RuntimeError escapes to locate it.
 */
let raisedAt: Span | undefined;

function raise(node: IR, errorClass: RuntimeErrorClass, message: string): RuntimeError {
  const e = new RuntimeError(errorClass, message);
  e.span = node.span;
  return e;
}

/** Gives a RuntimeError without a location the location of the operation that raised it. */
export function locate(e: unknown): unknown {
  if (e instanceof RuntimeError && e.span === undefined) e.span = raisedAt;
  return e;
}

/** Slot of a binding in its binder's frame (see frames.ts); the order binds.ts adds them in. */
function slotOf(binder: IR, bind: Bind, ordinal: number): number {
  switch (binder.kind) {
    case 'Let':
      return (bind.source as { child: number }).child;
    case 'StreamFold':
    case 'StreamScan':
      return bind.source.of === 'type' ? 0 : 1;
    case 'StreamZip':
      return (bind.source as { child: number }).child;
    case 'CollectDistributedArray':
      return bind.source.of === 'element' ? 0 : 1;
    default:
      return ordinal;
  }
}

const rootBinder: IR = { kind: 'Void' };

/** Compiles a checked program. The result's `v` evaluates it. */
export function compile(root: IR, options: CompileOptions, rootEnv?: ReadonlyMap<string, unknown>): Compiled {
  const types = options.types;
  const typeOf = (n: IR): Type => {
    const t = types.get(n);
    if (t === undefined || !('kind' in t)) throw new InternalError(`interpreter: no value type for ${n.kind}`);
    return t;
  };
  const tableTypeOf = (n: IR): TableType => {
    const t = types.get(n);
    if (t === undefined || 'kind' in t) throw new InternalError(`interpreter: no table type for ${n.kind}`);
    return t;
  };
  let env0 = emptyEnv<Loc>();
  const rootSlots: unknown[] = [];
  if (rootEnv) {
    let i = 0;
    for (const [name, value] of rootEnv) {
      env0 = { ...env0, eval: env0.eval.set(name, { binder: rootBinder, slot: i }) };
      rootSlots[i++] = value;
    }
  }
  const resolve = (binder: IR, bind: Bind, _scope: string, ordinal: number): Loc => ({ binder, slot: slotOf(binder, bind, ordinal) });
  const check = options.check;
  const demand = options.demand;
  const tables = tableOps({ typeOf, tableTypeOf, source: options.source, ...(options.demand ? { demand: options.demand } : {}) });

  const rootFrame = frame(rootBinder, rootSlots, null);
  const preludes: (() => unknown)[] = [];
  const skipped = (node: IR): boolean => !isTableIR(node) && ((demand !== undefined && !demand.needed(node)) || foldsToMissing(node));
  let dualDeps: DualDeps | undefined;
  const compiled = fold<Ctx, Compiled>(root, { env: env0, aggScope: null, scanScope: null, inGrad: false }, {
    enter: (node, i, ctx) => {
      // Which aggregation a child's aggregators feed is whichever node opened its scope (binds.ts).
      const env = childEnv(node, i, ctx.env, resolve);
      return {
        env,
        aggScope: env.agg !== null ? (env.aggOwner ?? null) : null,
        scanScope: env.scan !== null ? (env.scanOwner ?? null) : null,
        inGrad: ctx.inGrad || node.kind === 'Grad' || node.kind === 'Gradient',
      };
    },
    leave: (node, ctx, kids) => {
      // Inside a Grad body dual mode falls back on the children's closures.
      const withParts = (c: Compiled): Compiled => (ctx.inGrad ? { ...c, parts: kids } : c);
      const own = (k: Compiled, scope: 'agg' | 'scan') =>
        scope === 'agg' ? (k.aggScope === ctx.aggScope ? k.seq : null) : k.scanScope === ctx.scanScope ? k.scan : null;
      // By default a node's seq runs its children's seqs (aggregations inside, say, an Add).
      const passSeq = (scope: 'agg' | 'scan'): Seq | null => {
        const fs = kids.map((k) => own(k, scope)).filter((s): s is Seq => s !== null);
        if (fs.length === 0) return null;
        if (fs.length === 1) return fs[0]!;
        return (f, c) => {
          for (const s of fs) s(f, c);
        };
      };
      // A value nothing needs is not evaluated (semantics.md §1), aggregators included.
      // So is one missing by its form (static missingness).
      if (skipped(node)) {
        return withParts({ v: () => null, seq: null, scan: null, aggScope: ctx.aggScope, scanScope: ctx.scanScope });
      }
      let seq = passSeq('agg');
      let scan = passSeq('scan');
      const special: { v?: V; seq?: Seq | null; scan?: Seq | null } | null =
        node.kind === 'Grad' || node.kind === 'Gradient' ? gradNode(node, ctx, kids) : aggregationNode(node, kids, own);
      if (special) {
        if (special.seq !== undefined) seq = special.seq;
        if (special.scan !== undefined) scan = special.scan;
      }
      let v = special?.v ?? (isTableIR(node) ? tables.table(node, kids, compileAggregation) : value(node as ValueIR, ctx, kids));
      const stats = options.stats;
      if (stats !== undefined && isTableIR(node)) {
        const inner = v;
        v = (f) => {
          stats.tableEvaluations++;
          return inner(f);
        };
      }
      if (check) {
        const inner = v;
        v = (f) => {
          const x = inner(f);
          check(node, x);
          return x;
        };
      }
      if (options.hoisted?.has(node) && (demand === undefined || demand.needed(node))) v = hoist(v);
      return withParts({ v, seq, scan, aggScope: ctx.aggScope, scanScope: ctx.scanScope });
    },
  });

  return {
    ...compiled,
    v: (f) => {
      for (const p of preludes) p();
      return compiled.v(f ?? rootFrame);
    },
  };

  /** A closed nested query: evaluated once, before the program (semantics.md §7). */
  function hoist(inner: V): V {
    let done = false;
    let value: unknown;
    const run = (): unknown => {
      if (!done) {
        value = inner(rootFrame);
        done = true;
      }
      return value;
    };
    preludes.push(run);
    return run;
  }

  /** Grad and Gradient the differentiation pass left in place: by dual numbers (dual.ts). */
  function gradNode(node: IR & { kind: 'Grad' | 'Gradient' }, ctx: Ctx, kids: readonly Compiled[]): { v: V; seq?: Seq | null } {
    dualDeps ??= {
      typeOf,
      resolve,
      skipped,
      demand,
      at: (span) => {
        raisedAt = span;
      },
    };
    return compileGrad(node, ctx.env, ctx.aggScope, kids[0]!, dualDeps);
  }

  // ---- aggregation ---------------------------------------------------------------------------

  /** The run-time side of an aggregation scope: feed rows, then read the query. */
  function compileAggregation(query: Compiled, scopeNode: IR) {
    return {
      start: () => new AggContext(),
      seq: query.seq ?? ((): void => {}),
      result: (f: Frame, ctx: AggContext) => query.v(frame(scopeNode, f.slots, f.parent, { agg: ctx })),
    };
  }

  function aggregationNode(
    node: IR,
    kids: readonly Compiled[],
    own: (k: Compiled, scope: 'agg' | 'scan') => Seq | null,
  ): { v?: V; seq?: Seq | null; scan?: Seq | null } | null {
    const isScanCtx = (isScan: boolean): 'agg' | 'scan' => (isScan ? 'scan' : 'agg');
    switch (node.kind) {
      case 'ApplyAggOp':
      case 'ApplyScanOp': {
        const scan = node.kind === 'ApplyScanOp';
        const nInit = node.initArgs.length;
        const init = kids.slice(0, nInit).map((k) => k.v);
        const args = kids.slice(nInit).map((k) => k.v);
        const seqTypes = node.seqArgs.map(typeOf);
        const span = node.span;
        const feed: Seq = (f, c) => {
          const xs = args.map((a) => a(f) as Value);
          raisedAt = span;
          c.feed(node, node.op, seqTypes, xs);
        };
        const v: V = (f) => {
          const c = findAgg(f, scan);
          const getInit = () => init.map((a) => a(f) as Value);
          raisedAt = span;
          return c.result(node, node.op, seqTypes, () => {
            const xs = getInit();
            raisedAt = span;
            return xs;
          });
        };
        return scan ? { v, scan: feed, seq: null } : { v, seq: feed };
      }
      case 'AggFilter': {
        const cond = kids[0]!.v;
        const inner = own(kids[1]!, isScanCtx(node.isScan));
        const s: Seq | null = inner && ((f, c) => (cond(f) === true ? inner(f, c) : undefined));
        return { v: kids[1]!.v, [node.isScan ? 'scan' : 'seq']: s };
      }
      case 'AggExplode': {
        const arr = kids[0]!.v;
        const inner = own(kids[1]!, isScanCtx(node.isScan));
        const s: Seq | null =
          inner &&
          ((f, c) => {
            const xs = arr(f) as Stream | null;
            if (xs !== null) for (const x of xs) inner(frame(node, [x], f), c);
          });
        return { v: kids[1]!.v, [node.isScan ? 'scan' : 'seq']: s };
      }
      case 'AggGroupBy': {
        const key = kids[0]!.v;
        const kt = typeOf(node.key);
        const inner = own(kids[1]!, isScanCtx(node.isScan));
        const body = kids[1]!.v;
        const s: Seq = (f, c) => {
          const g = c.group(node, kt, key(f) as Value);
          inner?.(f, g);
        };
        const v: V = (f) => {
          const c = findAgg(f, node.isScan);
          return c.groupResults(node, kt, (g) => body(frame(node, [], f, node.isScan ? { scan: g } : { agg: g })) as Value);
        };
        return { v, [node.isScan ? 'scan' : 'seq']: s };
      }
      case 'AggArrayPerElement': {
        const arr = kids[0]!.v;
        const inner = own(kids[1]!, isScanCtx(node.isScan));
        const body = kids[1]!.v;
        const known = kids[2]?.v;
        const s: Seq = (f, c) => {
          const a = arr(f) as readonly Value[] | null;
          if (a === null) return;
          if (known === undefined && c.noteLength(node, a.length) !== a.length) {
            throw raise(node, 'InvalidArgument', `AggArrayPerElement: arrays of lengths ${c.firstLength(node)} and ${a.length}`);
          }
          for (let j = 0; j < a.length; j++) {
            const sub = c.element(node, j);
            inner?.(frame(node, [a[j]], f), sub);
          }
        };
        const v: V = (f) => {
          const c = findAgg(f, node.isScan);
          let n: number | undefined;
          if (known !== undefined) {
            const k = known(f) as number | null;
            if (k === null) return null;
            if (k < 0 || c.maxElement(node) > k) {
              throw raise(node, 'InvalidArgument', `AggArrayPerElement: an array is longer than the known length ${k}`);
            }
            n = k;
          } else {
            n = c.firstLength(node);
            if (n === undefined) return null;
          }
          const out: Value[] = [];
          for (let j = 0; j < n; j++) {
            const sub = c.element(node, j);
            out.push(body(frame(node, [j], f, node.isScan ? { scan: sub } : { agg: sub })) as Value);
          }
          return out;
        };
        return { v, [node.isScan ? 'scan' : 'seq']: s };
      }
      case 'AggLet': {
        // (An unneeded value compiles to missing: passes/demand.ts.)
        const value = kids[0]!.v;
        const inner = own(kids[1]!, isScanCtx(node.isScan));
        const s: Seq | null = inner && ((f, c) => inner(frame(node, [value(f)], f), c));
        return { v: kids[1]!.v, [node.isScan ? 'scan' : 'seq']: s };
      }
      case 'Let': {
        if (node.bindings.every((b) => b.scope === 'eval')) return null;
        // Agg (scan) bindings are computed per row in the seq phase; eval ones in the result phase.
        const n = node.bindings.length;
        const values = kids.slice(0, n);
        const body = kids[n]!;
        const phase = (scope: 'agg' | 'scan'): Seq | null => {
          const parts = node.bindings.map((b, j) => (b.scope === scope ? null : own(values[j]!, scope)));
          const bodySeq = own(body, scope);
          if (!node.bindings.some((b) => b.scope === scope) && parts.every((p) => p === null) && bodySeq === null) return null;
          return (f, c) => {
            const af = frame(node, [], f);
            node.bindings.forEach((b, j) => {
              if (b.scope === scope) af.slots[j] = values[j]!.v(af);
              else parts[j]?.(af, c);
            });
            bodySeq?.(af, c);
          };
        };
        const v: V = (f) => {
          const ef = frame(node, [], f);
          node.bindings.forEach((b, j) => {
            if (b.scope === 'eval') ef.slots[j] = values[j]!.v(ef);
          });
          return body.v(ef);
        };
        return { v, seq: phase('agg'), scan: phase('scan') };
      }
      case 'StreamAgg': {
        const a = kids[0]!.v;
        const agg = compileAggregation(kids[1]!, node);
        const v: V = (f) => {
          const xs = a(f) as Stream | null;
          if (xs === null) return null;
          const c = agg.start();
          for (const x of xs) agg.seq(frame(node, [x], f), c);
          return agg.result(frame(node, [], f), c);
        };
        return { v };
      }
      default:
        return null;
    }
  }

  // ---- value nodes ---------------------------------------------------------------------------

  function value(node: ValueIR, ctx: Ctx, kids: readonly Compiled[]): V {
    // A strict operation on a statically missing operand evaluates nothing (semantics.md §1).
    if (foldsToMissing(node)) return () => null;
    const k = kids.map((c) => c.v);
    const t = () => typeOf(node);
    switch (node.kind) {
      case 'I32':
      case 'F32':
      case 'F64':
      case 'Str': {
        const x = node.value;
        return () => x;
      }
      case 'I64': {
        const x = node.value;
        return () => x;
      }
      case 'True':
        return () => true;
      case 'False':
        return () => false;
      case 'Void':
        return () => null;
      case 'NA':
        return () => null;
      case 'Literal': {
        const x = node.value;
        return () => x;
      }
      case 'Cast': {
        const from = typeOf(node.value);
        const to = node.type;
        const a = k[0]!;
        const span = node.span;
        return (f) => {
          const x = a(f) as Value;
          raisedAt = span;
          return cast(from, to, x);
        };
      }
      case 'IsNA': {
        const a = k[0]!;
        return (f) => a(f) === null;
      }
      case 'Coalesce':
        return (f) => {
          for (const a of k) {
            const x = a(f);
            if (x !== null) return x;
          }
          return null;
        };
      case 'If': {
        const [c, a, b] = k as [V, V, V];
        return (f) => {
          const x = c(f);
          return x === null ? null : x ? a(f) : b(f);
        };
      }
      case 'Switch': {
        const [x, d, ...cases] = k as [V, V, ...V[]];
        return (f) => {
          const i = x(f) as number | null;
          if (i === null) return null;
          return i >= 0 && i < cases.length ? cases[i]!(f) : d(f);
        };
      }
      case 'Let': {
        // Eval-only Lets (others are aggregationNode's): one frame for all bindings.
        const n = node.bindings.length;
        // (An unneeded binding's value compiles to missing: passes/demand.ts.)
        const vals = k.slice(0, n);
        const body = k[n]!;
        return (f) => {
          const ef = frame(node, new Array(n), f);
          for (let j = 0; j < n; j++) ef.slots[j] = vals[j]!(ef);
          return body(ef);
        };
      }
      case 'Ref': {
        const loc = ctx.env.eval.get(node.name);
        if (loc === undefined) throw new InternalError(`interpreter: unbound ${node.name}`);
        return (f) => lookup(f, loc);
      }
      case 'RelationalRef': {
        const loc = ctx.env.rel.get(node.name);
        if (loc === undefined) throw new InternalError(`interpreter: unbound relational ${node.name}`);
        return (f) => lookup(f, loc);
      }
      case 'ApplyBinaryPrimOp': {
        const lt = typeOf(node.l);
        const [l, r] = k as [V, V];
        const op = node.op;
        const span = node.span;
        return (f) => {
          const x = l(f) as Value;
          const y = r(f) as Value;
          raisedAt = span;
          return binaryOp(op, lt, x, y);
        };
      }
      case 'ApplyUnaryPrimOp': {
        const xt = typeOf(node.x);
        const [x] = k as [V];
        const op = node.op;
        const span = node.span;
        return (f) => {
          const v = x(f) as Value;
          raisedAt = span;
          return unaryOp(op, xt, v);
        };
      }
      case 'ApplyComparisonOp': {
        const lt = typeOf(node.l);
        const [l, r] = k as [V, V];
        const op = node.op;
        return (f) => comparisonOp(op, lt, l(f) as Value, r(f) as Value);
      }
      case 'MakeStruct':
      case 'MakeTuple':
        return (f) => k.map((a) => a(f));
      case 'InsertFields': {
        const [old, ...vals] = k as [V, ...V[]];
        return insertFields(node, typeOf(node.old) as StructType, t() as StructType, old, vals);
      }
      case 'SelectFields':
        return selectFields(node.fields, typeOf(node.old) as StructType, k[0] as V);
      case 'RelationalLet': {
        const [val, body] = k as [V, V];
        return (f) => body(frame(node, [val(f)], f));
      }
      case 'GetField': {
        const i = fieldIndex(typeOf(node.o) as StructType, node.name);
        const [o] = k as [V];
        return (f) => {
          const s = o(f) as readonly Value[] | null;
          return s === null ? null : s[i];
        };
      }
      case 'GetTupleElement': {
        const tt = typeOf(node.o);
        const i = tt.kind === 'Tuple' ? tt.fields.findIndex((x) => x.index === node.index) : -1;
        const [o] = k as [V];
        return (f) => {
          const s = o(f) as readonly Value[] | null;
          return s === null ? null : s[i];
        };
      }
      case 'MakeArray':
        return (f) => k.map((a) => a(f));
      case 'ArrayRef': {
        const [a, i] = k as [V, V];
        return (f) => {
          const xs = a(f) as readonly Value[] | null;
          const j = i(f) as number | null;
          if (xs === null || j === null) return null;
          if (j < 0 || j >= xs.length) {
            throw raise(node, 'ArrayIndexOutOfBounds', `array index ${j} out of bounds for length ${xs.length}`);
          }
          return xs[j];
        };
      }
      case 'ArrayLen': {
        const [a] = k as [V];
        return (f) => {
          const xs = a(f) as readonly Value[] | null;
          return xs === null ? null : xs.length;
        };
      }
      case 'ArraySort': {
        const [a, lt] = k as [V, V];
        const plain = plainSortOrder(node) !== undefined;
        return (f) => {
          const xs = a(f) as Stream | null;
          if (xs === null) return null;
          const arr = [...xs];
          // Missing elements go last, in order (semantics.md §6). With `<` or `>` of the two
          // elements, a stable merge sort; with any other comparator, by rank.
          const less = (x: Value, y: Value) => lt(frame(node, [x, y], f)) === true;
          const present = arr.filter((x) => x !== null);
          return [...(plain ? mergeSort(present, less) : rankSort(present, less)), ...arr.filter((x) => x === null)];
        };
      }
      case 'ToArray': {
        const [a] = k as [V];
        return (f) => {
          const xs = a(f) as Stream | null;
          return xs === null ? null : [...xs];
        };
      }
      case 'ToStream': {
        const [a] = k as [V];
        return (f) => a(f);
      }
      case 'ToSet': {
        const et = elementType(t())!;
        const [a] = k as [V];
        return (f) => {
          const xs = a(f) as Stream | null;
          return xs === null ? null : canonicalSet(et, [...xs]);
        };
      }
      case 'ToDict': {
        const dt = t();
        const kt = dt.kind === 'Dict' ? dt.key : dt;
        const [a] = k as [V];
        return (f) => {
          const xs = a(f) as Stream | null;
          if (xs === null) return null;
          const pairs: Value[][] = [];
          for (const e of xs) if (e !== null) pairs.push([(e as readonly Value[])[0]!, (e as readonly Value[])[1]!]);
          return canonicalDict(kt, pairs);
        };
      }
      case 'StreamRange': {
        const [s0, s1, s2] = k as [V, V, V];
        return (f) => {
          const start = s0(f) as number | null;
          const stop = s1(f) as number | null;
          const step = s2(f) as number | null;
          if (start === null || stop === null || step === null) return null;
          if (step === 0) throw raise(node, 'InvalidArgument', 'StreamRange: step is 0');
          // Streams are made whole where they are made (semantics.md §6).
          if (Math.ceil((stop - start) / step) > MAX_STREAM) throw tooLarge(node);
          const out: number[] = [];
          if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
          else for (let i = start; i > stop; i += step) out.push(i);
          return out;
        };
      }
      case 'StreamMap':
      case 'StreamFlatMap':
      case 'StreamFilter': {
        const [a, body] = k as [V, V];
        const kind = node.kind;
        return (f) => {
          const xs = a(f) as Stream | null;
          if (xs === null) return null;
          const out: Value[] = [];
          for (const x of xs) {
            const y = body(frame(node, [x], f));
            if (kind === 'StreamMap') out.push(y as Value);
            else if (kind === 'StreamFilter') {
              if (y === true) out.push(x);
            } else if (y !== null) {
              for (const z of y as Stream) out.push(z);
              if (out.length > MAX_STREAM) throw tooLarge(node);
            }
          }
          return out;
        };
      }
      case 'StreamFold': {
        const [a, zero, body] = k as [V, V, V];
        return (f) => {
          const xs = a(f) as Stream | null;
          if (xs === null) return null;
          let acc = zero(f);
          for (const x of xs) acc = body(frame(node, [acc, x], f));
          return acc;
        };
      }
      case 'StreamScan': {
        const [a, zero, body] = k as [V, V, V];
        return (f) => {
          const xs = a(f) as Stream | null;
          if (xs === null) return null;
          let acc = zero(f);
          const out: Value[] = [acc as Value];
          for (const x of xs) {
            acc = body(frame(node, [acc, x], f));
            out.push(acc as Value);
          }
          return out;
        };
      }
      case 'StreamLen': {
        const [a] = k as [V];
        return (f) => {
          const xs = a(f) as Stream | null;
          if (xs === null) return null;
          let n = 0;
          for (const _ of xs) n++;
          return n;
        };
      }
      case 'StreamTake':
      case 'StreamDrop': {
        const [a, num] = k as [V, V];
        const take = node.kind === 'StreamTake';
        return (f) => {
          const xs = a(f) as Stream | null;
          const n = num(f) as number | null;
          if (xs === null || n === null) return null;
          if (n < 0) throw raise(node, 'InvalidArgument', `${node.kind}: negative count ${n}`);
          const all = [...xs];
          return take ? all.slice(0, n) : all.slice(n);
        };
      }
      case 'StreamZip': {
        const streams = k.slice(0, node.streams.length);
        const body = k[node.streams.length]!;
        const behavior = node.behavior;
        return (f) => {
          const xss = streams.map((s) => s(f) as Stream | null);
          if (xss.some((x) => x === null)) return null;
          const arrays = xss.map((xs) => [...xs!]);
          const lengths = arrays.map((xs) => xs.length);
          const shortest = Math.min(...lengths);
          const longest = Math.max(...lengths);
          if (shortest !== longest && behavior !== 'TakeMinLength' && behavior !== 'ExtendNA') {
            throw raise(node, 'InvalidArgument', `StreamZip (${behavior}): streams of different lengths`);
          }
          const n = behavior === 'TakeMinLength' ? shortest : longest;
          const out: Value[] = [];
          for (let i = 0; i < n; i++) out.push(body(frame(node, arrays.map((xs) => (i < xs.length ? xs[i]! : null)), f)) as Value);
          return out;
        };
      }
      case 'Apply': {
        const argTypes = node.args.map(typeOf);
        const fn = node.fn as FnName;
        const span = node.span;
        return (f) => {
          const xs = k.map((a) => a(f) as Value);
          raisedAt = span;
          return applyFunction(fn, argTypes, xs);
        };
      }
      case 'Die': {
        const [msg] = k as [V];
        return (f) => {
          const m = msg(f) as string | null;
          throw raise(node, 'Die', m ?? '<missing>');
        };
      }
      case 'TableCount': {
        const [tv] = k as [V];
        return (f) => {
          let n = 0n;
          for (const _ of (tv(f) as TableValue).rows()) n++;
          return n;
        };
      }
      case 'TableAggregate': {
        const [tv] = k as [V];
        const agg = compileAggregation(kids[1]!, node);
        // The global is read only when needed (reading it may raise: semantics.md §7).
        const readGlobal = demand === undefined || demand.table(node.child).global !== null;
        // Without a needed aggregator the rows are not read (semantics.md §1).
        const readRows = demand === undefined || demand.table(node.child).count;
        return (f) => {
          const table = tv(f) as TableValue;
          const global = readGlobal ? table.global : null;
          const c = agg.start();
          if (readRows) for (const row of table.rows()) agg.seq(frame(node, [global, row], f), c);
          return agg.result(frame(node, [global], f), c);
        };
      }
      case 'TableCollect': {
        const [tv] = k as [V];
        return (f) => {
          const table = tv(f) as TableValue;
          return [[...table.rows()], table.global];
        };
      }
      case 'TableGetGlobals': {
        const [tv] = k as [V];
        return (f) => (tv(f) as TableValue).global;
      }
      case 'TableWrite': {
        const [tv] = k as [V];
        const sink = options.sink;
        const writer = node.writer;
        const type = tableTypeOf(node.child);
        if (sink === undefined) {
          return () => {
            throw raise(node, 'Input', 'TableWrite: this interpreter was given nowhere to write (no sink); `irc run` performs writes');
          };
        }
        return (f) => {
          sink(writer, type, [...(tv(f) as TableValue).rows()], node.span);
          return null;
        };
      }
      case 'CollectDistributedArray': {
        const [contexts, globals, body, dyn] = k as [V, V, V, V];
        return (f) => {
          const cs = contexts(f) as Stream | null;
          const g = globals(f);
          dyn(f);
          if (cs === null) return null;
          const out: Value[] = [];
          for (const c of cs) out.push(body(frame(node, [c, g], f)) as Value);
          return out;
        };
      }
      case 'Grad':
      case 'Gradient':
        throw new InternalError(`interpreter: ${node.kind} is compiled by gradNode`);
      case 'AggLet':
      case 'AggFilter':
      case 'AggExplode':
      case 'AggGroupBy':
      case 'AggArrayPerElement':
      case 'ApplyAggOp':
      case 'ApplyScanOp':
      case 'StreamAgg':
        throw new InternalError(`interpreter: ${node.kind} is compiled by aggregationNode`);
      default:
        return assertNever(node);
    }
  }
}

/**
 * Each element placed by its rank, the number of elements y with less(y, x) (x included), ties
 * in array order: the stable sort when `less` is a strict weak order, and a well-defined
 * order when it is not (semantics.md §6). Asks `less` for every pair: quadratic.
 */
function rankSort(xs: Value[], less: (a: Value, b: Value) => boolean): Value[] {
  const ranks = xs.map((x) => xs.reduce<number>((r, y) => (less(y, x) ? r + 1 : r), 0));
  return xs.map((_x, i) => i).sort((i, j) => ranks[i]! - ranks[j]! || i - j).map((i) => xs[i]!);
}

function mergeSort(xs: Value[], less: (a: Value, b: Value) => boolean): Value[] {
  let src = xs;
  for (let width = 1; width < src.length; width *= 2) {
    const dst: Value[] = [];
    for (let lo = 0; lo < src.length; lo += 2 * width) {
      const mid = Math.min(lo + width, src.length);
      const hi = Math.min(lo + 2 * width, src.length);
      let i = lo;
      let j = mid;
      while (i < mid && j < hi) dst.push(less(src[j]!, src[i]!) ? src[j++]! : src[i++]!);
      while (i < mid) dst.push(src[i++]!);
      while (j < hi) dst.push(src[j++]!);
    }
    src = dst;
  }
  return src;
}

/** Streams are held whole: one longer than this stops the run with a diagnostic, not a crash of the JavaScript heap. */
const MAX_STREAM = 50_000_000;

function tooLarge(node: IR): UserError {
  return new UserError([diagnostic('tooLarge', node.span, `a stream of more than ${MAX_STREAM.toLocaleString('en-US')} elements`, 'the interpreter holds a stream in memory; run the program on DuckDB (--backend duckdb)')]);
}
