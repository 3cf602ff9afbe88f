// The type checker (docs/design/typing.md): infers a type for every node and reports every rule
// a program breaks, as diagnostics from the catalogue. It never throws for a user's mistake.
//
// One `fold` over the IR (no native recursion, so any depth is safe): environments flow down
// through `childEnv` (binds.ts), whose bindings resolve against the types of earlier children;
// types flow up. A node whose type cannot be known gets UNKNOWN, which silences every check
// that involves it, so one mistake gives one diagnostic.
//
// Sharing rule: the result is a side table keyed by node identity. A node object reached more
// than once (a shared subtree) is checked at each place it occurs and must get the same type at
// each; a different type means some pass shared a subtree between scopes that disagree, a
// compiler bug (InternalError). Nodes whose type is unknown after an error are left out.

import { Map as IMap } from 'immutable';
import { childEnv, type Bind, type Env } from '../ir/binds.js';
import { fnNames, lookupFunction } from '../ir/functions.js';
import {
  assertNever,
  isTableIR,
  type AggOp,
  type IR,
  type TableIR,
  type TableReader,
  type ValueIR,
} from '../ir/nodes.js';
import { printName, printTableType, printType } from '../ir/print.js';
import {
  TBoolean,
  TFloat32,
  TFloat64,
  TInt32,
  TInt64,
  TString,
  TVoid,
  elementType,
  fieldType,
  isIntegral,
  isNumeric,
  keyType,
  tArray,
  tDict,
  tSet,
  tStream,
  tStruct,
  tTupleFields,
  tableTypeEqual,
  typeEqual,
  type StructField,
  type StructType,
  type TableType,
  type Type,
} from '../ir/types.js';
import { children } from '../ir/children.js';
import { nearest } from '../diagnostics/suggest.js';
import { fold } from '../ir/walk.js';
import { NodeTable } from '../ir/node-table.js';
import type { CodeName } from '../diagnostics/codes.js';
import { InternalError, UserError, diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export type AnyType = Type | TableType;

export interface TypeInfo {
  /**
   * The type of every node whose type is known (all of them when there are no diagnostics); a
   * `NodeTable`, numbering the nodes in the post-order of the checker's walk.
   */
  readonly types: ReadonlyMap<IR, AnyType>;
  /** In the order nodes are finished: a node's children before the node itself. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface TypecheckOptions {
  /** bindings visible at the root (eval scope), e.g. for checking a fragment */
  readonly env?: ReadonlyMap<string, Type>;
  /** supplies the type of `TableRead` nodes whose type is None */
  readonly readerType?: (r: TableReader) => TableType | undefined;
}

export function isTableType(t: AnyType): t is TableType {
  return !('kind' in t);
}

/** Checks `ir`, returning the type of every node and every diagnostic. */
export function typecheck(ir: IR, options: TypecheckOptions = {}): TypeInfo {
  return new Checker(options).run(ir);
}

/** The type of `ir`; throws `UserError` with every diagnostic if the program is not well typed. */
export function typeOf(ir: IR, options: TypecheckOptions = {}): AnyType {
  const info = typecheck(ir, options);
  if (info.diagnostics.length > 0) throw new UserError(info.diagnostics);
  const t = info.types.get(ir);
  if (t === undefined) throw new InternalError(`typecheck: no type for the root ${ir.kind} and no diagnostic`);
  return t;
}

/** The type of a constant node, which its kind (and header) alone gives; undefined for others. */
export function constantType(n: IR): Type | undefined {
  switch (n.kind) {
    case 'I32':
      return TInt32;
    case 'I64':
      return TInt64;
    case 'F32':
      return TFloat32;
    case 'F64':
      return TFloat64;
    case 'Str':
      return TString;
    case 'True':
    case 'False':
      return TBoolean;
    case 'Void':
      return TVoid;
    case 'NA':
    case 'Literal':
      return n.type;
    default:
      return undefined;
  }
}

export function formatType(t: AnyType): string {
  return isTableType(t) ? printTableType(t) : printType(t);
}

// ---- internals --------------------------------------------------------------------------------

/** The type of a node that could not be typed; never leaves this module. */
interface Unknown {
  readonly kind: 'Unknown';
}
const UNKNOWN: Unknown = Object.freeze({ kind: 'Unknown' });

type VT = Type | Unknown;
type Ty = VT | TableType;

function known<T extends object>(t: T | Unknown): t is T {
  return t !== UNKNOWN;
}
const isTable = (t: Ty): t is TableType => !('kind' in t);

interface Ctx {
  readonly env: Env<VT>;
  /**
   * Inside an aggregation node that is out of place: that node reported the mistake, so
   * unbound names and further misplaced aggregations below it stay quiet.
   */
  readonly quiet: boolean;
}

const show = printType;
const list = (xs: readonly string[]) => xs.map((x) => `\`${x}\``).join(', ');
const fieldNames = (s: StructType) => s.fields.map((f) => f.name);

/** How far apart two names are (edits, counting a swap of neighbours as one), for hints. */
/** At most `n` keys of a scope, so hints stay short and cheap in huge scopes. */
function someKeys<T>(m: IMap<string, T>, n: number): string[] {
  const out: string[] = [];
  for (const k of m.keys()) {
    if (out.length >= n) break;
    out.push(k);
  }
  return out;
}

function didYouMean(name: string, candidates: readonly string[]): string {
  const near = nearest(name, candidates);
  return near === undefined ? '' : `did you mean \`${near}\`? `;
}

function describeScope(label: string, m: IMap<string, unknown> | null): string | undefined {
  if (m === null) return undefined;
  const names = someKeys(m, 12);
  if (names.length === 0) return `${label}: nothing`;
  return `${label}: ${list(names)}${m.size > names.length ? ', ...' : ''}`;
}

function unboundHint(name: string, env: Env<VT>): string {
  if (env.agg?.has(name)) {
    return (
      `\`${name}\` is bound in the aggregation scope: read it in an aggregator's arguments, ` +
      `e.g. (ApplyAggOp Collect () ((Ref ${printName(name)})))`
    );
  }
  if (env.scan?.has(name)) {
    return (
      `\`${name}\` is bound in the scan scope: read it in a scan's arguments, ` +
      `e.g. (ApplyScanOp Collect () ((Ref ${printName(name)})))`
    );
  }
  if (env.rel.has(name)) return `\`${name}\` is a relational binding: read it with (RelationalRef ${printName(name)} T)`;
  if ((name === 'row' || name === 'global') && !env.eval.has(name)) {
    return `\`${name}\` is bound only inside table operations, such as the predicate of TableFilter or the query of TableAggregate`;
  }
  if (env.eval.size === 0 && !env.agg?.size && !env.scan?.size) return 'no variables are in scope here';
  const scopes = [describeScope('eval', env.eval), describeScope('agg', env.agg), describeScope('scan', env.scan)];
  const candidates = env.eval.size <= 2000 ? [...env.eval.keys()] : someKeys(env.eval, 2000);
  return `${didYouMean(name, candidates)}in scope here: ${scopes.filter((s) => s !== undefined).join('; ')}`;
}

/** Widest of two numeric types, for Cast hints. */
function wider(a: Type, b: Type): Type {
  const rank = ['Int32', 'Int64', 'Float32', 'Float64'];
  return rank.indexOf(a.kind) >= rank.indexOf(b.kind) ? a : b;
}

function sameAnyType(a: AnyType, b: AnyType): boolean {
  if (isTableType(a) || isTableType(b)) return isTableType(a) && isTableType(b) && tableTypeEqual(a, b);
  return typeEqual(a, b);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** First name that occurs twice, if any. */
function firstDuplicate(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return n;
    seen.add(n);
  }
  return undefined;
}

interface AggRule {
  readonly init: number;
  readonly seq: number;
  readonly signature: string;
  readonly result: (init: readonly Type[], seq: readonly Type[]) => Type | undefined;
}

const anyElement = (f: (t: Type) => Type): AggRule => ({
  init: 0,
  seq: 1,
  signature: '() (x: T)',
  result: (_, [x]) => f(x!),
});

const aggRules: { readonly [K in AggOp]: AggRule } = {
  Count: { init: 0, seq: 0, signature: '() ()', result: () => TInt64 },
  Sum: {
    init: 0,
    seq: 1,
    signature: '() (x: Int64 or Float64)',
    result: (_, [x]) => (x!.kind === 'Int64' || x!.kind === 'Float64' ? x : undefined),
  },
  Product: {
    init: 0,
    seq: 1,
    signature: '() (x: Int64 or Float64)',
    result: (_, [x]) => (x!.kind === 'Int64' || x!.kind === 'Float64' ? x : undefined),
  },
  Min: {
    init: 0,
    seq: 1,
    signature: '() (x: Boolean, numeric or String)',
    result: (_, [x]) => (x!.kind === 'Boolean' || x!.kind === 'String' || isNumeric(x!) ? x : undefined),
  },
  Max: {
    init: 0,
    seq: 1,
    signature: '() (x: Boolean, numeric or String)',
    result: (_, [x]) => (x!.kind === 'Boolean' || x!.kind === 'String' || isNumeric(x!) ? x : undefined),
  },
  Collect: anyElement(tArray),
  CollectAsSet: anyElement(tSet),
  Take: {
    init: 1,
    seq: 1,
    signature: '(n: Int32) (x: T)',
    result: ([n], [x]) => (n!.kind === 'Int32' ? tArray(x!) : undefined),
  },
  TakeBy: {
    init: 1,
    seq: 2,
    signature: '(n: Int32) (x: T, key: K)',
    result: ([n], [x]) => (n!.kind === 'Int32' ? tArray(x!) : undefined),
  },
  PrevNonnull: anyElement((t) => t),
};

/** The scope that child `i` of an aggregation node runs in, per row; null for other children. */
function rowScope(node: IR, i: number): 'agg' | 'scan' | null {
  const s = (isScan: boolean) => (isScan ? 'scan' : 'agg');
  switch (node.kind) {
    case 'Let': {
      const b = node.bindings[i];
      return b === undefined || b.scope === 'eval' ? null : b.scope;
    }
    case 'ApplyAggOp':
      return i >= node.initArgs.length ? 'agg' : null;
    case 'ApplyScanOp':
      return i >= node.initArgs.length ? 'scan' : null;
    case 'AggLet':
    case 'AggFilter':
    case 'AggExplode':
    case 'AggGroupBy':
    case 'AggArrayPerElement':
      return i === 0 ? s(node.isScan) : null;
    default:
      return null;
  }
}

/** The scope an aggregation node itself needs, or null for other nodes. */
function neededScope(node: IR): 'agg' | 'scan' | null {
  switch (node.kind) {
    case 'ApplyAggOp':
      return 'agg';
    case 'ApplyScanOp':
      return 'scan';
    case 'AggLet':
    case 'AggFilter':
    case 'AggExplode':
    case 'AggGroupBy':
    case 'AggArrayPerElement':
      return node.isScan ? 'scan' : 'agg';
    default:
      return null;
  }
}

const scopeHint = (scope: 'agg' | 'scan') =>
  scope === 'agg'
    ? 'aggregate rows with (TableAggregate t query) or (TableKeyByAndAggregate ...), or a stream with (StreamAgg x s query)'
    : "a scan scope is open only in TableMapRows' new row";

class Checker {
  private readonly types = new NodeTable<AnyType>();
  private readonly diagnostics: Diagnostic[] = [];
  /** Diagnostics already given per node, so a shared subtree reports each mistake once. */
  private readonly reported = new Map<IR, Set<string>>();

  constructor(private readonly options: TypecheckOptions) {}

  run(root: IR): TypeInfo {
    const env: Env<VT> = {
      eval: this.options.env ? IMap<string, VT>(this.options.env) : IMap<string, VT>(),
      agg: null,
      scan: null,
      rel: IMap<string, VT>(),
    };
    fold<Ctx, Ty>(root, { env, quiet: false }, {
      enter: (node, i, ctx, done) => this.enter(node, i, ctx, done),
      leave: (node, ctx, results) => this.leave(node, ctx, results),
    });
    return { types: this.types, diagnostics: this.diagnostics };
  }

  private enter(node: IR, i: number, ctx: Ctx, done: readonly Ty[]): Ctx {
    const env = childEnv<VT>(node, i, ctx.env, (_n: IR, b: Bind) => resolve(b, done));
    // Quiet starts below an aggregation node whose scope is missing (it reports that) and ends
    // where fresh scopes begin, whose mistakes are their own.
    const fresh =
      isTableIR(node) ||
      (i === 1 && (node.kind === 'StreamAgg' || node.kind === 'TableAggregate')) ||
      (i === 2 && node.kind === 'CollectDistributedArray');
    const needed = neededScope(node) ?? rowScope(node, i);
    const quiet = (needed !== null && ctx.env[needed] === null) || (ctx.quiet && !fresh);
    return env === ctx.env && quiet === ctx.quiet ? ctx : { env, quiet };
  }

  private leave(node: IR, ctx: Ctx, results: readonly Ty[]): Ty {
    const t = isTableIR(node) ? this.table(node, results) : this.value(node, ctx, results as readonly VT[]);
    if (known(t)) {
      const prev = this.types.get(node);
      if (prev !== undefined && !sameAnyType(prev, t)) {
        throw new InternalError(
          `typecheck: a shared ${node.kind} node has type ${formatType(prev)} in one place ` +
            `and ${formatType(t)} in another; ` +
            'a pass shared a subtree between scopes that disagree',
        );
      }
      this.types.set(node, t);
    }
    return t;
  }

  private fail(node: IR, name: CodeName, message: string, hint?: string): Unknown {
    let seen = this.reported.get(node);
    if (seen === undefined) {
      seen = new Set();
      this.reported.set(node, seen);
    }
    const key = `${name}\n${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      this.diagnostics.push(diagnostic(name, node.span, message, hint));
    }
    return UNKNOWN;
  }

  /** Reports unless `t` is unknown or satisfies `ok`; true when there is nothing to report. */
  private expect(node: IR, t: VT, ok: (t: Type) => boolean, what: string, want: string, hint?: string): boolean {
    if (!known(t) || ok(t)) return true;
    this.fail(node, 'typeMismatch', `${what} must be ${want}, got ${show(t)}`, hint);
    return false;
  }

  private expectInt32(node: IR, t: VT, what: string): boolean {
    return this.expect(node, t, (x) => x.kind === 'Int32', what, 'Int32');
  }

  /** The element type of a stream operand; reports (once) when it is not a stream. */
  private stream(node: IR, t: VT, what: string): VT {
    if (!known(t)) return UNKNOWN;
    if (t.kind === 'Stream') return t.element;
    const iterable = t.kind === 'Array' || t.kind === 'Set' || t.kind === 'Dict';
    const hint = iterable ? 'convert it with (ToStream False ...)' : undefined;
    this.fail(node, 'notAStream', `${what} must be a Stream, got ${show(t)}`, hint);
    return elementType(t) ?? UNKNOWN;
  }

  private array(node: IR, t: VT, what: string): VT {
    if (!known(t)) return UNKNOWN;
    if (t.kind === 'Array') return t.element;
    const hint = t.kind === 'Stream' ? 'convert it with (ToArray ...)' : undefined;
    this.fail(node, 'typeMismatch', `${what} must be an Array, got ${show(t)}`, hint);
    return UNKNOWN;
  }

  private struct(node: IR, t: VT, what: string): StructType | Unknown {
    if (!known(t)) return UNKNOWN;
    if (t.kind === 'Struct') return t;
    return this.fail(node, 'notAStruct', `${what} must be a struct, got ${show(t)}`);
  }

  /** Every known operand must have one type; returns it (unknown if none is known). */
  private same(node: IR, ts: readonly VT[], what: string, label: (i: number) => string): VT {
    let first = -1;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      if (!known(t)) continue;
      if (first < 0) first = i;
      else if (!typeEqual(t, ts[first] as Type)) {
        this.fail(
          node,
          'typeMismatch',
          `${what} must all have one type: ${label(first)} is ${show(ts[first] as Type)} but ${label(i)} is ${show(t)}`,
        );
      }
    }
    return first < 0 ? UNKNOWN : ts[first]!;
  }

  private noSuchField(node: IR, name: string, s: StructType, where: string): Unknown {
    const names = fieldNames(s);
    return this.fail(
      node,
      'noSuchField',
      `${where} has no field \`${name}\` (type ${show(s)})`,
      names.length === 0 ? undefined : `${didYouMean(name, names)}fields: ${list(names)}`,
    );
  }

  private checkPartitions(node: IR, n: number | null): void {
    if (n !== null && n <= 0) this.fail(node, 'invalidCount', `${node.kind} needs a positive partition count, got ${n}`);
  }

  // ---- value nodes ----------------------------------------------------------------------------

  private value(node: ValueIR, ctx: Ctx, rs: readonly VT[]): VT {
    const env = ctx.env;
    const r = (i: number): VT => rs[i]!;
    // A mistake in one operand is reported at that operand.
    const at = (i: number): IR => children(node)[i]!;
    switch (node.kind) {
      case 'I32':
      case 'I64':
      case 'F32':
      case 'F64':
      case 'Str':
      case 'True':
      case 'False':
      case 'Void':
      case 'NA':
      case 'Literal':
        return constantType(node)!;
      case 'Cast': {
        const x = r(0);
        if (known(x) && !((isNumeric(x) && isNumeric(node.type)) || typeEqual(x, node.type))) {
          this.fail(node, 'badCast', `cannot Cast ${show(x)} to ${show(node.type)}: Cast converts between numeric types`);
        }
        return node.type;
      }
      case 'IsNA':
        return TBoolean;
      case 'Coalesce':
        if (rs.length === 0) return this.fail(node, 'missingOperand', 'Coalesce needs at least one operand');
        return this.same(node, rs, 'the operands of Coalesce', (i) => `operand ${i}`);
      case 'If':
        this.expect(at(0), r(0), (t) => t.kind === 'Boolean', 'the condition of If', 'Boolean');
        return this.same(node, [r(1), r(2)], 'the branches of If', (i) => (i === 0 ? 'the then branch' : 'the else branch'));
      case 'Switch':
        this.expectInt32(at(0), r(0), 'the selector of Switch');
        return this.same(node, rs.slice(1), 'the default and cases of Switch', (i) =>
          i === 0 ? 'the default' : `case ${i - 1}`,
        );
      case 'Let':
        node.bindings.forEach((b) => {
          if (b.scope !== 'eval' && env[b.scope] === null && !ctx.quiet) {
            this.fail(
              node,
              'aggOutsideAggregation',
              `Let binds \`${b.name}\` in the ${b.scope} scope, but no ${b.scope} scope is open here`,
              scopeHint(b.scope),
            );
          }
        });
        return r(node.bindings.length);
      case 'AggLet':
        this.needScope(node, ctx, `AggLet \`${node.name}\``);
        return r(1);
      case 'Ref': {
        const t = env.eval.get(node.name);
        if (t !== undefined) return t;
        if (ctx.quiet) return UNKNOWN;
        return this.fail(node, 'unboundVariable', `variable \`${node.name}\` is not bound here`, unboundHint(node.name, env));
      }
      case 'ApplyBinaryPrimOp':
        return this.binary(node, node.op, r(0), r(1));
      case 'ApplyUnaryPrimOp': {
        const x = r(0);
        switch (node.op) {
          case 'Negate':
            return this.expect(node, x, isNumeric, 'the operand of Negate', 'numeric') ? x : UNKNOWN;
          case 'Bang':
            this.expect(node, x, (t) => t.kind === 'Boolean', 'the operand of Bang', 'Boolean');
            return TBoolean;
          case 'BitNot':
            return this.expect(node, x, isIntegral, 'the operand of BitNot', 'Int32 or Int64') ? x : UNKNOWN;
          case 'BitCount':
            this.expect(node, x, isIntegral, 'the operand of BitCount', 'Int32 or Int64');
            return TInt32;
        }
      }
      case 'ApplyComparisonOp': {
        const [l, rt] = [r(0), r(1)];
        if (known(l) && known(rt) && !typeEqual(l, rt)) {
          const hint = isNumeric(l) && isNumeric(rt) ? `convert one side with (Cast ${show(wider(l, rt))} ...)` : undefined;
          this.fail(node, 'typeMismatch', `${node.op} compares values of one type, got ${show(l)} and ${show(rt)}`, hint);
        }
        return node.op === 'Compare' ? TInt32 : TBoolean;
      }
      case 'MakeStruct': {
        const names = node.fields.map((f) => f.name);
        const dup = firstDuplicate(names);
        if (dup !== undefined) return this.fail(node, 'duplicateField', `MakeStruct gives field \`${dup}\` twice`);
        if (!rs.every(known)) return UNKNOWN;
        return tStruct(names.map((n, i) => [n, rs[i] as Type]));
      }
      case 'InsertFields':
        return this.insertFields(node, rs);
      case 'SelectFields': {
        const dup = firstDuplicate(node.fields);
        if (dup !== undefined) return this.fail(node, 'duplicateField', `SelectFields selects \`${dup}\` twice`);
        const o = this.struct(at(0), r(0), 'the operand of SelectFields');
        if (!known(o)) return UNKNOWN;
        const out: StructField[] = [];
        let ok = true;
        for (const f of node.fields) {
          const t = fieldType(o, f);
          if (t === undefined) {
            this.noSuchField(node, f, o, 'the operand of SelectFields');
            ok = false;
          } else out.push({ name: f, type: t });
        }
        return ok ? { kind: 'Struct', fields: out } : UNKNOWN;
      }
      case 'GetField': {
        const o = this.struct(at(0), r(0), `the operand of GetField \`${node.name}\``);
        if (!known(o)) return UNKNOWN;
        return fieldType(o, node.name) ?? this.noSuchField(node, node.name, o, 'the struct');
      }
      case 'MakeTuple': {
        if (node.indices.length !== node.values.length) {
          return this.fail(
            node,
            'arityMismatch',
            `MakeTuple has ${node.indices.length} indices but ${node.values.length} values`,
          );
        }
        const bad = node.indices.findIndex((ix, i) => ix < 0 || (i > 0 && ix <= node.indices[i - 1]!));
        if (bad >= 0) {
          return this.fail(
            node,
            'badTupleIndex',
            `MakeTuple indices must be non-negative and strictly increasing, got (${node.indices.join(' ')})`,
          );
        }
        if (!rs.every(known)) return UNKNOWN;
        return tTupleFields(node.indices.map((index, i) => ({ index, type: rs[i] as Type })));
      }
      case 'GetTupleElement': {
        const o = r(0);
        if (!known(o)) return UNKNOWN;
        if (o.kind !== 'Tuple') {
          return this.fail(node, 'typeMismatch', `the operand of GetTupleElement must be a Tuple, got ${show(o)}`);
        }
        const f = o.fields.find((x) => x.index === node.index);
        if (f === undefined) {
          return this.fail(
            node,
            'badTupleIndex',
            `${show(o)} has no element ${node.index}`,
            `its indices are ${o.fields.map((x) => x.index).join(', ') || 'none'}`,
          );
        }
        return f.type;
      }
      case 'MakeArray': {
        if (node.type !== null) {
          const elem = node.type.element;
          rs.forEach((t, i) => {
            if (known(t) && !typeEqual(t, elem)) {
              this.fail(node, 'typeMismatch', `element ${i} of MakeArray must be ${show(elem)}, got ${show(t)}`);
            }
          });
          return node.type;
        }
        if (rs.length === 0) {
          return this.fail(node, 'missingOperand', 'an empty MakeArray needs its type', 'write it: (MakeArray Array[Int32])');
        }
        const e = this.same(node, rs, 'the elements of MakeArray', (i) => `element ${i}`);
        return known(e) ? tArray(e) : UNKNOWN;
      }
      case 'ArrayRef': {
        this.expectInt32(at(1), r(1), 'the index of ArrayRef');
        return this.array(at(0), r(0), 'the operand of ArrayRef');
      }
      case 'ArrayLen':
        this.array(at(0), r(0), 'the operand of ArrayLen');
        return TInt32;
      case 'ArraySort': {
        const e = this.stream(at(0), r(0), 'the operand of ArraySort');
        this.expect(at(1), r(1), (t) => t.kind === 'Boolean', 'the comparison of ArraySort', 'Boolean');
        return known(e) ? tArray(e) : UNKNOWN;
      }
      case 'ToArray': {
        const e = this.stream(at(0), r(0), 'the operand of ToArray');
        return known(e) ? tArray(e) : UNKNOWN;
      }
      case 'ToSet': {
        const e = this.stream(at(0), r(0), 'the operand of ToSet');
        return known(e) ? tSet(e) : UNKNOWN;
      }
      case 'ToStream': {
        const a = r(0);
        if (!known(a)) return UNKNOWN;
        if (a.kind === 'Array' || a.kind === 'Set' || a.kind === 'Dict') return tStream(elementType(a)!);
        if (a.kind === 'Stream') {
          this.fail(node, 'typeMismatch', `the operand of ToStream is already a Stream (${show(a)})`, 'remove the ToStream');
          return a;
        }
        return this.fail(node, 'typeMismatch', `the operand of ToStream must be an Array, Set or Dict, got ${show(a)}`);
      }
      case 'ToDict': {
        const e = this.stream(at(0), r(0), 'the operand of ToDict');
        if (!known(e)) return UNKNOWN;
        if ((e.kind === 'Struct' || e.kind === 'Tuple') && e.fields.length === 2) {
          return tDict(e.fields[0]!.type, e.fields[1]!.type);
        }
        return this.fail(
          node,
          'typeMismatch',
          `ToDict needs a stream of structs or tuples with two fields (key, value), got elements of type ${show(e)}`,
        );
      }
      case 'StreamRange':
        this.expectInt32(at(0), r(0), 'the start of StreamRange');
        this.expectInt32(at(1), r(1), 'the stop of StreamRange');
        this.expectInt32(at(2), r(2), 'the step of StreamRange');
        return tStream(TInt32);
      case 'StreamMap': {
        this.stream(at(0), r(0), 'the operand of StreamMap');
        const b = r(1);
        return known(b) ? tStream(b) : UNKNOWN;
      }
      case 'StreamFilter': {
        const e = this.stream(at(0), r(0), 'the operand of StreamFilter');
        this.expect(at(1), r(1), (t) => t.kind === 'Boolean', 'the condition of StreamFilter', 'Boolean');
        return known(e) ? tStream(e) : UNKNOWN;
      }
      case 'StreamFlatMap': {
        this.stream(at(0), r(0), 'the operand of StreamFlatMap');
        const e = this.stream(at(1), r(1), 'the body of StreamFlatMap');
        return known(e) ? tStream(e) : UNKNOWN;
      }
      case 'StreamFold':
      case 'StreamScan': {
        this.stream(at(0), r(0), `the operand of ${node.kind}`);
        const [zero, body] = [r(1), r(2)];
        if (known(zero) && known(body) && !typeEqual(zero, body)) {
          this.fail(
            node,
            'typeMismatch',
            `the body of ${node.kind} must have the type of its zero (${show(zero)}), got ${show(body)}`,
          );
        }
        if (!known(zero)) return UNKNOWN;
        return node.kind === 'StreamFold' ? zero : tStream(zero);
      }
      case 'StreamLen':
        this.stream(at(0), r(0), 'the operand of StreamLen');
        return TInt32;
      case 'StreamTake':
      case 'StreamDrop': {
        const e = this.stream(at(0), r(0), `the operand of ${node.kind}`);
        this.expectInt32(at(1), r(1), `the count of ${node.kind}`);
        return known(e) ? tStream(e) : UNKNOWN;
      }
      case 'StreamZip': {
        if (node.names.length !== node.streams.length) {
          this.fail(
            node,
            'arityMismatch',
            `StreamZip has ${node.names.length} names for ${node.streams.length} streams`,
          );
        }
        node.streams.forEach((_, i) => this.stream(at(i), r(i), `stream ${i} of StreamZip`));
        const b = r(node.streams.length);
        return known(b) ? tStream(b) : UNKNOWN;
      }
      case 'StreamAgg':
        this.stream(at(0), r(0), 'the operand of StreamAgg');
        return r(1);
      case 'ApplyAggOp':
      case 'ApplyScanOp':
        return this.aggOp(node, ctx, rs);
      case 'AggFilter':
        this.needScope(node, ctx, 'AggFilter');
        this.expect(at(0), r(0), (t) => t.kind === 'Boolean', 'the condition of AggFilter', 'Boolean');
        return r(1);
      case 'AggExplode':
        this.needScope(node, ctx, 'AggExplode');
        this.stream(at(0), r(0), 'the operand of AggExplode');
        return r(1);
      case 'AggGroupBy': {
        this.needScope(node, ctx, 'AggGroupBy');
        const [k, a] = [r(0), r(1)];
        return known(k) && known(a) ? tDict(k, a) : UNKNOWN;
      }
      case 'AggArrayPerElement': {
        this.needScope(node, ctx, 'AggArrayPerElement');
        this.array(at(0), r(0), 'the operand of AggArrayPerElement');
        if (node.knownLength !== null) this.expectInt32(at(2), r(2), 'the known length of AggArrayPerElement');
        const a = r(1);
        return known(a) ? tArray(a) : UNKNOWN;
      }
      case 'Apply':
        this.apply(node, rs);
        return node.returnType;
      case 'Die':
        this.expect(at(0), r(0), (t) => t.kind === 'String', 'the message of Die', 'String');
        return node.type;
      case 'TableCount':
        return TInt64;
      case 'TableAggregate':
        return r(1);
      case 'TableCollect': {
        const t = rs[0] as Ty;
        if (!isTable(t)) return UNKNOWN;
        return tStruct([
          ['rows', tArray(t.row)],
          ['global', t.global],
        ]);
      }
      case 'TableGetGlobals': {
        const t = rs[0] as Ty;
        return isTable(t) ? t.global : UNKNOWN;
      }
      case 'TableWrite':
        return TVoid;
      case 'RelationalLet':
        return r(1);
      case 'RelationalRef': {
        const t = env.rel.get(node.name);
        if (t === undefined) {
          const near = nearest(node.name, env.rel.size <= 2000 ? [...env.rel.keys()] : someKeys(env.rel, 2000));
          this.fail(
            node,
            'unboundRelational',
            `no relational let binds \`${node.name}\` here`,
            near === undefined ? 'bind it with (RelationalLet name value body)' : `did you mean \`${near}\`?`,
          );
        } else if (known(t) && !typeEqual(t, node.type)) {
          this.fail(
            node,
            'relationalRefType',
            `RelationalRef \`${node.name}\` says ${show(node.type)}, but its binding has type ${show(t)}`,
          );
        }
        return node.type;
      }
      case 'CollectDistributedArray': {
        this.stream(at(0), r(0), 'the contexts of CollectDistributedArray');
        this.expect(at(3), r(3), (t) => t.kind === 'String', 'the dynamic id of CollectDistributedArray', 'String');
        const b = r(2);
        return known(b) ? tArray(b) : UNKNOWN;
      }
      case 'Grad':
        this.gradVariable(node, ctx, node.name);
        this.expect(at(0), r(0), isNumeric, 'the body of Grad', 'numeric');
        return TFloat64;
      case 'Gradient': {
        const dup = firstDuplicate(node.names);
        node.names.forEach((n) => this.gradVariable(node, ctx, n));
        this.expect(at(0), r(0), isNumeric, 'the body of Gradient', 'numeric');
        if (dup !== undefined) return this.fail(node, 'duplicateField', `Gradient names \`${dup}\` twice`);
        return tStruct(node.names.map((n) => [n, TFloat64]));
      }
    }
    return assertNever(node);
  }

  private needScope(node: IR, ctx: Ctx, what: string): boolean {
    const scope = neededScope(node);
    if (scope === null || ctx.env[scope] !== null) return true;
    if (!ctx.quiet) {
      const label = scope === 'agg' ? 'an aggregation' : 'a scan';
      this.fail(node, 'aggOutsideAggregation', `${what} needs ${label} scope, and none is open here`, scopeHint(scope));
    }
    return false;
  }

  private gradVariable(node: IR, ctx: Ctx, name: string): void {
    const t = ctx.env.eval.get(name);
    if (t === undefined) {
      if (!ctx.quiet) {
        const message = `${node.kind} differentiates with respect to \`${name}\`, which is not bound here`;
        this.fail(node, 'unboundVariable', message, unboundHint(name, ctx.env));
      }
      return;
    }
    this.expect(node, t, isNumeric, `the variable \`${name}\` of ${node.kind}`, 'numeric');
  }

  private binary(node: IR, op: string, l: VT, r: VT): VT {
    if (!known(l) || !known(r)) return UNKNOWN;
    const castHint =
      isNumeric(l) && isNumeric(r) && !typeEqual(l, r) ? `convert one side with (Cast ${show(wider(l, r))} ...)` : undefined;
    const got = `got ${show(l)} and ${show(r)}`;
    switch (op) {
      case 'Add':
      case 'Subtract':
      case 'Multiply':
      case 'RoundToNegInfDivide':
      case 'FloatingPointDivide':
        if (!isNumeric(l) || !typeEqual(l, r)) {
          return this.fail(node, 'typeMismatch', `${op} needs two operands of one numeric type, ${got}`, castHint);
        }
        if (op !== 'FloatingPointDivide') return l;
        return l.kind === 'Float32' ? TFloat32 : TFloat64;
      case 'BitAnd':
      case 'BitOr':
      case 'BitXOr':
        if (!isIntegral(l) || !typeEqual(l, r)) {
          return this.fail(node, 'typeMismatch', `${op} needs two operands of one type, Int32 or Int64, ${got}`, castHint);
        }
        return l;
      default: {
        // LeftShift, RightShift, LogicalRightShift: the shift count is always Int32.
        if (!this.expect(node, l, isIntegral, `the left operand of ${op}`, 'Int32 or Int64')) return UNKNOWN;
        this.expectInt32(node, r, `the shift count of ${op}`);
        return l;
      }
    }
  }

  private insertFields(node: Extract<ValueIR, { kind: 'InsertFields' }>, rs: readonly VT[]): VT {
    const names = node.fields.map((f) => f.name);
    const dup = firstDuplicate(names);
    if (dup !== undefined) return this.fail(node, 'duplicateField', `InsertFields inserts \`${dup}\` twice`);
    const o = this.struct(node, rs[0]!, 'the operand of InsertFields');
    if (!known(o)) return UNKNOWN;
    const fields: { name: string; type: VT }[] = o.fields.map((f) => ({ name: f.name, type: f.type }));
    node.fields.forEach((f, i) => {
      const t = rs[i + 1]!;
      const at = fields.findIndex((x) => x.name === f.name);
      if (at >= 0) fields[at] = { name: f.name, type: t };
      else fields.push({ name: f.name, type: t });
    });
    let ordered = fields;
    if (node.fieldOrder !== null) {
      const order = node.fieldOrder;
      const result = fields.map((f) => f.name);
      const missing = result.filter((n) => !order.includes(n));
      const extra = order.filter((n) => !result.includes(n));
      const twice = firstDuplicate(order);
      if (missing.length > 0 || extra.length > 0 || twice !== undefined) {
        const why = [
          missing.length > 0 ? `it leaves out ${list(missing)}` : '',
          extra.length > 0 ? `it names ${list(extra)}, which the result does not have` : '',
          twice !== undefined ? `it names \`${twice}\` twice` : '',
        ].filter((s) => s !== '');
        return this.fail(
          node,
          'badFieldOrder',
          `the field order of InsertFields must be a permutation of the result's fields: ${why.join('; ')}`,
          `the result's fields are ${list(result)}`,
        );
      }
      ordered = order.map((n) => fields.find((f) => f.name === n)!);
    }
    if (!ordered.every((f) => known(f.type))) return UNKNOWN;
    return { kind: 'Struct', fields: ordered as StructField[] };
  }

  private aggOp(node: Extract<ValueIR, { kind: 'ApplyAggOp' | 'ApplyScanOp' }>, ctx: Ctx, rs: readonly VT[]): VT {
    this.needScope(node, ctx, `${node.kind} ${node.op}`);
    const rule = aggRules[node.op];
    if (node.initArgs.length !== rule.init || node.seqArgs.length !== rule.seq) {
      return this.fail(
        node,
        'wrongArgCount',
        `${node.op} takes ${rule.init} init and ${rule.seq} seq arguments, ` +
          `got ${node.initArgs.length} and ${node.seqArgs.length}`,
        `its signature is ${node.op} ${rule.signature}`,
      );
    }
    if (!rs.every(known)) return UNKNOWN;
    const init = rs.slice(0, rule.init) as Type[];
    const seq = rs.slice(rule.init) as Type[];
    const t = rule.result(init, seq);
    if (t !== undefined) return t;
    return this.fail(
      node,
      'typeMismatch',
      `${node.op} takes ${rule.signature}, got (${init.map(show).join(', ')}) (${seq.map(show).join(', ')})`,
    );
  }

  private apply(node: Extract<ValueIR, { kind: 'Apply' }>, rs: readonly VT[]): void {
    const fn = lookupFunction(node.fn);
    if (fn === undefined) {
      const near = nearest(node.fn, fnNames);
      this.fail(
        node,
        'unknownFunction',
        `unknown function \`${node.fn}\``,
        near !== undefined ? `did you mean \`${near}\`?` : `known functions: ${fnNames.join(' ')}`,
      );
      return;
    }
    if (node.typeArgs.length > 0) {
      this.fail(node, 'unexpectedTypeArgs', `\`${node.fn}\` takes no type arguments, got ${node.typeArgs.length}`, 'write ()');
    }
    if (rs.length !== fn.arity) {
      this.fail(
        node,
        'wrongArgCount',
        `\`${node.fn}\` takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}, got ${rs.length}`,
        `its signature is ${node.fn}${fn.signature}`,
      );
      return;
    }
    if (!rs.every(known)) return;
    const result = fn.result(rs as Type[]);
    if (result === undefined) {
      this.fail(
        node,
        'typeMismatch',
        `\`${node.fn}\` takes ${fn.signature}, got (${(rs as Type[]).map(show).join(', ')})`,
        fn.signature.startsWith('(Float64') ? 'convert the arguments with (Cast Float64 ...)' : undefined,
      );
      return;
    }
    if (!typeEqual(result, node.returnType)) {
      this.fail(
        node,
        'returnTypeMismatch',
        `\`${node.fn}\` returns ${show(result)} for these arguments, but the Apply says ${show(node.returnType)}`,
      );
    }
  }

  // ---- table nodes ----------------------------------------------------------------------------

  private table(node: TableIR, rs: readonly Ty[]): TableType | Unknown {
    const tab = (i: number): TableType | Unknown => {
      const t = rs[i]!;
      return isTable(t) ? t : UNKNOWN;
    };
    const val = (i: number): VT => {
      const t = rs[i]!;
      return isTable(t) ? UNKNOWN : t;
    };
    switch (node.kind) {
      case 'TableRange':
        if (node.n < 0) this.fail(node, 'invalidCount', `TableRange needs a non-negative row count, got ${node.n}`);
        this.checkPartitions(node, node.nPartitions);
        return { global: tStruct([]), key: ['idx'], row: tStruct([['idx', TInt32]]) };
      case 'TableRead':
        return this.tableRead(node);
      case 'TableParallelize': {
        this.checkPartitions(node, node.nPartitions);
        const v = val(0);
        if (!known(v)) return UNKNOWN;
        const pair = v.kind === 'Struct' && v.fields.length === 2 ? v.fields : undefined;
        const rows = pair?.[0]!.name === 'rows' ? pair[0]!.type : undefined;
        const global = pair?.[1]!.name === 'global' ? pair[1]!.type : undefined;
        if (rows?.kind !== 'Array' || rows.element.kind !== 'Struct' || global?.kind !== 'Struct') {
          return this.fail(
            node,
            'typeMismatch',
            `the operand of TableParallelize must be Struct{rows:Array[Struct{...}],global:Struct{...}}, got ${show(v)}`,
          );
        }
        return { global, key: [], row: rows.element };
      }
      case 'TableFilter':
        this.expect(node, val(1), (t) => t.kind === 'Boolean', 'the predicate of TableFilter', 'Boolean');
        return tab(0);
      case 'TableMapRows': {
        const t = tab(0);
        const row = this.struct(node, val(1), 'the new row of TableMapRows');
        if (!known(t) || !known(row)) return UNKNOWN;
        for (const k of t.key) {
          const want = fieldType(t.row, k)!;
          const got = fieldType(row, k);
          if (got === undefined || !typeEqual(want, got)) {
            return this.fail(
              node,
              'keyFieldDropped',
              got === undefined
                ? `TableMapRows drops the key field \`${k}\``
                : `TableMapRows changes the key field \`${k}\` from ${show(want)} to ${show(got)}`,
              'keep every key field unchanged, or re-key first with (TableKeyBy () False t)',
            );
          }
        }
        return { global: t.global, key: t.key, row };
      }
      case 'TableMapGlobals': {
        const t = tab(0);
        const g = this.struct(node, val(1), 'the new globals of TableMapGlobals');
        if (!known(t) || !known(g)) return UNKNOWN;
        return { global: g, key: t.key, row: t.row };
      }
      case 'TableKeyBy': {
        this.checkPartitions(node, node.nPartitions);
        const dup = firstDuplicate(node.keys);
        if (dup !== undefined) return this.fail(node, 'duplicateField', `TableKeyBy names the key \`${dup}\` twice`);
        const t = tab(0);
        if (!known(t)) return UNKNOWN;
        const missing = node.keys.find((k) => fieldType(t.row, k) === undefined);
        if (missing !== undefined) return this.noSuchField(node, missing, t.row, 'the row');
        return { global: t.global, key: node.keys, row: t.row };
      }
      case 'TableOrderBy': {
        const t = tab(0);
        if (!known(t)) return UNKNOWN;
        const missing = node.sortFields.find((f) => fieldType(t.row, f.field) === undefined);
        if (missing !== undefined) return this.noSuchField(node, missing.field, t.row, 'the row');
        return { global: t.global, key: [], row: t.row };
      }
      case 'TableAggregateByKey': {
        const t = tab(0);
        const e = this.struct(node, val(1), 'the expression of TableAggregateByKey');
        if (!known(t) || !known(e)) return UNKNOWN;
        const clash = e.fields.find((f) => t.key.includes(f.name));
        if (clash !== undefined) {
          return this.fail(node, 'fieldCollision', `TableAggregateByKey computes \`${clash.name}\`, which is a key field`);
        }
        return { global: t.global, key: t.key, row: { kind: 'Struct', fields: [...keyType(t).fields, ...e.fields] } };
      }
      case 'TableKeyByAndAggregate': {
        this.checkPartitions(node, node.nPartitions);
        if (node.bufferSize <= 0) {
          this.fail(node, 'invalidCount', `TableKeyByAndAggregate needs a positive buffer size, got ${node.bufferSize}`);
        }
        const t = tab(0);
        const e = this.struct(node, val(1), 'the expression of TableKeyByAndAggregate');
        const k = this.struct(node, val(2), 'the new key of TableKeyByAndAggregate');
        if (!known(t) || !known(e) || !known(k)) return UNKNOWN;
        const clash = e.fields.find((f) => fieldType(k, f.name) !== undefined);
        if (clash !== undefined) {
          return this.fail(
            node,
            'fieldCollision',
            `TableKeyByAndAggregate computes \`${clash.name}\` both in the new key and in the expression`,
          );
        }
        return { global: t.global, key: fieldNames(k), row: { kind: 'Struct', fields: [...k.fields, ...e.fields] } };
      }
      case 'TableJoin':
        return this.tableJoin(node, tab(0), tab(1));
      case 'TableLeftJoinRightDistinct':
        return this.leftJoinRightDistinct(node, tab(0), tab(1));
      case 'TableUnion': {
        if (node.children.length === 0) return this.fail(node, 'missingOperand', 'TableUnion needs at least one table');
        let first: TableType | undefined;
        rs.forEach((x, i) => {
          if (!isTable(x)) return;
          if (first === undefined) first = x;
          else if (!typeEqual(x.row, first.row) || !sameNames(x.key, first.key)) {
            this.fail(
              node,
              'tableTypeMismatch',
              `the tables of TableUnion must have one row type and key: table ${i} has row ${show(x.row)} ` +
                `and key [${x.key.join(',')}], the first has row ${show(first.row)} and key [${first.key.join(',')}]`,
            );
          }
        });
        return tab(0);
      }
      case 'TableHead':
      case 'TableTail':
        if (node.n < 0n) this.fail(node, 'invalidCount', `${node.kind} needs a non-negative row count, got ${node.n}`);
        return tab(0);
      case 'TableExplode':
        return this.tableExplode(node, tab(0));
      case 'TableDistinct':
        return tab(0);
      case 'TableRename':
        return this.tableRename(node, tab(0));
      case 'RelationalLetTable':
        return tab(1);
    }
    return assertNever(node);
  }

  private tableRead(node: Extract<TableIR, { kind: 'TableRead' }>): TableType | Unknown {
    const t = node.type ?? this.options.readerType?.(node.reader);
    if (t === undefined || t === null) {
      return this.fail(
        node,
        'missingTableType',
        this.options.readerType === undefined
          ? `the type of this ${node.reader.name} TableRead must be given: there is no catalogue to read it from`
          : `the catalogue has no type for this ${node.reader.name} source, so the TableRead must give it`,
        'write the table type in the node, e.g. (TableRead Table{global:Struct{},key:[],row:Struct{a:Int32}} False "...")',
      );
    }
    const dup = firstDuplicate(t.key);
    if (dup !== undefined) return this.fail(node, 'duplicateField', `the table type names the key \`${dup}\` twice`);
    const missing = t.key.find((k) => fieldType(t.row, k) === undefined);
    if (missing !== undefined) return this.noSuchField(node, missing, t.row, 'the row of the table type');
    return t;
  }

  private tableJoin(
    node: Extract<TableIR, { kind: 'TableJoin' }>,
    l: TableType | Unknown,
    r: TableType | Unknown,
  ): TableType | Unknown {
    if (!known(l) || !known(r)) return UNKNOWN;
    const n = node.joinKey;
    if (n < 0 || n > l.key.length || n > r.key.length) {
      return this.fail(
        node,
        'joinKeyMismatch',
        `TableJoin joins on ${n} key fields, ` +
          `but the left key is [${l.key.join(',')}] and the right key is [${r.key.join(',')}]`,
      );
    }
    for (let i = 0; i < n; i++) {
      const lt = fieldType(l.row, l.key[i]!)!;
      const rt = fieldType(r.row, r.key[i]!)!;
      if (!typeEqual(lt, rt)) {
        return this.fail(
          node,
          'joinKeyMismatch',
          `TableJoin key field ${i} is ${show(lt)} on the left (\`${l.key[i]}\`) ` +
            `but ${show(rt)} on the right (\`${r.key[i]}\`)`,
        );
      }
    }
    const lKey = l.key.slice(0, n);
    const rKey = r.key.slice(0, n);
    const row = [
      ...lKey.map((k) => ({ name: k, type: fieldType(l.row, k)! })),
      ...l.row.fields.filter((f) => !lKey.includes(f.name)),
      ...r.row.fields.filter((f) => !rKey.includes(f.name)),
    ];
    const rowClash = firstDuplicate(row.map((f) => f.name));
    if (rowClash !== undefined) {
      const message = `both sides of TableJoin have a row field \`${rowClash}\``;
      return this.fail(node, 'fieldCollision', message, 'rename one side with TableRename');
    }
    const global = [...l.global.fields, ...r.global.fields];
    const globalClash = firstDuplicate(global.map((f) => f.name));
    if (globalClash !== undefined) {
      const message = `both sides of TableJoin have a global field \`${globalClash}\``;
      return this.fail(node, 'fieldCollision', message, 'rename one side with TableRename');
    }
    return {
      global: { kind: 'Struct', fields: global },
      key: [...l.key, ...r.key.slice(n)],
      row: { kind: 'Struct', fields: row },
    };
  }

  private leftJoinRightDistinct(
    node: Extract<TableIR, { kind: 'TableLeftJoinRightDistinct' }>,
    l: TableType | Unknown,
    r: TableType | Unknown,
  ): TableType | Unknown {
    if (!known(l) || !known(r)) return UNKNOWN;
    const fits =
      r.key.length > 0 &&
      r.key.length <= l.key.length &&
      r.key.every((k, i) => typeEqual(fieldType(r.row, k)!, fieldType(l.row, l.key[i]!)!));
    if (!fits) {
      return this.fail(
        node,
        'joinKeyMismatch',
        `TableLeftJoinRightDistinct needs the right key to be a non-empty prefix of the left key by type: ` +
          `left key ${show(keyType(l))}, right key ${show(keyType(r))}`,
      );
    }
    if (fieldType(l.row, node.root) !== undefined) {
      return this.fail(node, 'fieldCollision', `the left row already has a field \`${node.root}\``, 'pick another root name');
    }
    const values: StructType = { kind: 'Struct', fields: r.row.fields.filter((f) => !r.key.includes(f.name)) };
    const row: StructType = { kind: 'Struct', fields: [...l.row.fields, { name: node.root, type: values }] };
    return { global: l.global, key: l.key, row };
  }

  private tableExplode(node: Extract<TableIR, { kind: 'TableExplode' }>, t: TableType | Unknown): TableType | Unknown {
    if (node.path.length === 0) return this.fail(node, 'missingOperand', 'TableExplode needs a field path');
    if (!known(t)) return UNKNOWN;
    if (t.key.includes(node.path[0]!)) {
      return this.fail(node, 'keyFieldDropped', `TableExplode cannot explode the key field \`${node.path[0]}\``);
    }
    // Walk down the path, then rebuild the structs on the way back up.
    const structs: StructType[] = [];
    let cur: Type = t.row;
    for (const [i, name] of node.path.entries()) {
      if (cur.kind !== 'Struct') {
        return this.fail(node, 'notAStruct', `TableExplode path step \`${node.path[i - 1]}\` is ${show(cur)}, not a struct`);
      }
      const next = fieldType(cur, name);
      if (next === undefined) return this.noSuchField(node, name, cur, i === 0 ? 'the row' : `\`${node.path[i - 1]}\``);
      structs.push(cur);
      cur = next;
    }
    if (cur.kind !== 'Array' && cur.kind !== 'Set') {
      const at = node.path.join('.');
      return this.fail(node, 'typeMismatch', `TableExplode needs an Array or Set at \`${at}\`, got ${show(cur)}`);
    }
    let replaced: Type = cur.element;
    for (let i = structs.length - 1; i >= 0; i--) {
      const s = structs[i]!;
      const name = node.path[i]!;
      replaced = { kind: 'Struct', fields: s.fields.map((f) => (f.name === name ? { name, type: replaced } : f)) };
    }
    return { global: t.global, key: t.key, row: replaced as StructType };
  }

  private tableRename(node: Extract<TableIR, { kind: 'TableRename' }>, t: TableType | Unknown): TableType | Unknown {
    if (!known(t)) return UNKNOWN;
    const rename = (s: StructType, map: readonly (readonly [string, string])[], where: string): StructType | Unknown => {
      const dup = firstDuplicate(map.map(([o]) => o));
      if (dup !== undefined) return this.fail(node, 'duplicateField', `TableRename renames the ${where} field \`${dup}\` twice`);
      for (const [o] of map) if (fieldType(s, o) === undefined) return this.noSuchField(node, o, s, `the ${where}`);
      const to = new Map(map);
      const fields = s.fields.map((f) => ({ name: to.get(f.name) ?? f.name, type: f.type }));
      const clash = firstDuplicate(fields.map((f) => f.name));
      if (clash !== undefined) {
        return this.fail(node, 'fieldCollision', `TableRename gives two ${where} fields the name \`${clash}\``);
      }
      return { kind: 'Struct', fields };
    };
    const row = rename(t.row, node.rowMap, 'row');
    const global = rename(t.global, node.globalMap, 'global');
    if (!known(row) || !known(global)) return UNKNOWN;
    const to = new Map(node.rowMap);
    return { global, key: t.key.map((k) => to.get(k) ?? k), row };
  }
}

/** A binding's type, from the types of the children before it. */
function resolve(b: Bind, done: readonly Ty[]): VT {
  const s = b.source;
  if (s.of === 'int32') return TInt32;
  const t = done[s.child];
  if (t === undefined) return UNKNOWN; // e.g. a StreamZip with more names than streams
  switch (s.of) {
    case 'type':
      return isTable(t) ? UNKNOWN : t;
    case 'element':
      return isTable(t) || !known(t) ? UNKNOWN : (elementType(t) ?? UNKNOWN);
    case 'row':
      return isTable(t) ? t.row : UNKNOWN;
    case 'global':
      return isTable(t) ? t.global : UNKNOWN;
  }
}
