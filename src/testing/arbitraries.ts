// fast-check arbitraries for closed, well-typed IR programs (published as irc-compiler/testing).
//
// Design: one hand-written, type-directed generator (`Gen`) driven by a sequence of choices,
// as Hypothesis does it. `ChoiceArbitrary` draws the choices from fast-check's Random and keeps
// them as the value's context; shrinking replays shorter or smaller choice sequences. Running
// out of choices means "take option 0", and option 0 is always the simplest one (a leaf, an
// empty list, a primitive type), so every replay is again a closed, well-typed program that
// tends to be smaller. `fc.letrec` cannot carry the requested type and scope down the tree,
// and a seeded PRNG would shrink to unrelated programs, hence this choice.
// Scopes are not re-derived here: each child's environment comes from `childEnv` in
// src/ir/binds.ts, the function the type checker uses.

import fc from 'fast-check';
import { childEnv, emptyEnv, type Env } from '../ir/binds.js';
import { fnNames, functions } from '../ir/functions.js';
import {
  joinTypes,
  zipBehaviors,
  type AggOp,
  type BinaryOp,
  type Binding,
  type ComparisonOp,
  type IR,
  type Kind,
  type NamedValue,
  type SortField,
  type TableIR,
  type TableReader,
  type TableWriter,
  type UnaryOp,
  type ValueIR,
} from '../ir/nodes.js';
import {
  TBoolean,
  TFloat32,
  TFloat64,
  TInt32,
  TInt64,
  TString,
  TVoid,
  elementType,
  isNumeric,
  keyType,
  tArray,
  tDict,
  tSet,
  tStream,
  tStruct,
  typeEqual,
  type StreamType,
  type StructField,
  type StructType,
  type TableType,
  type TupleType,
  type Type,
} from '../ir/types.js';
import { INT64_MAX, INT64_MIN, canonicalDict, canonicalSet, type Value } from '../ir/value.js';

export interface GenOptions {
  /** Nesting budget: at 0 only leaves (literals, NA, Ref, RelationalRef). Default 5. */
  maxDepth?: number;
  /** Node budget per program: once spent, only leaves. Default 150. */
  maxNodes?: number;
  /** Binder and field names that need backticks, mixed with plain ones. Default true. */
  nastyNames?: boolean;
  /**
   * Kinds never chosen, e.g. `['Die']` or `relationalKinds`. Leaves (literals, NA, Ref) and the glue
   * some productions build around their node (Let, GetField, InsertFields, ToStream, StreamRange,
   * TableRange, TableRead, TableKeyBy, TableMapRows, TableMapGlobals) can still appear.
   */
  exclude?: readonly Kind[];
  /** Grad/Gradient bodies only from smooth Float64 arithmetic. Default false (half smooth, half any numeric). */
  smoothGrad?: boolean;
}

interface Options {
  readonly maxDepth: number;
  readonly maxNodes: number;
  readonly nastyNames: boolean;
  readonly exclude: ReadonlySet<Kind>;
  readonly smoothGrad: boolean;
}

function resolveOptions(o: GenOptions = {}): Options {
  return {
    maxDepth: o.maxDepth ?? 5,
    maxNodes: o.maxNodes ?? 150,
    nastyNames: o.nastyNames ?? true,
    exclude: new Set(o.exclude ?? []),
    smoothGrad: o.smoothGrad ?? false,
  };
}

/** Table nodes and the value nodes that consume or bind relational values. */
export const relationalKinds: readonly Kind[] = [
  'TableCount', 'TableAggregate', 'TableCollect', 'TableGetGlobals', 'TableWrite', 'RelationalLet',
  'RelationalRef', 'TableRange', 'TableRead', 'TableParallelize', 'TableFilter', 'TableMapRows',
  'TableMapGlobals', 'TableKeyBy', 'TableOrderBy', 'TableAggregateByKey', 'TableKeyByAndAggregate',
  'TableJoin', 'TableLeftJoinRightDistinct', 'TableUnion', 'TableHead', 'TableTail', 'TableExplode',
  'TableDistinct', 'TableRename', 'RelationalLetTable',
];

// ---- nasty data ---------------------------------------------------------------------------------

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const int32Pool = [
  0, 1, -1, 2, 7, 42, -100, INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1, 65536, -65537, 1 << 30,
];
const int64Pool = [
  0n, 1n, -1n, 2n, 42n, INT64_MAX, INT64_MIN, INT64_MAX - 1n, INT64_MIN + 1n, 2n ** 31n, -(2n ** 31n) - 1n,
  2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n,
];
const float64Pool = [
  0, 1, -1, 0.5, 2.5, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE,
  -Number.MIN_VALUE, 2.2250738585072014e-308, 1e-310, Number.EPSILON, 2 ** 53, 2 ** 53 + 2, 0.1, 1 / 3, 1e300,
  -1e-300, Math.PI,
];
const float32Pool = [
  0, 1, -1, 0.5, -0, NaN, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38,
  1.401298464324817e-45, -1.401298464324817e-45, 1.1754943508222875e-38, 1.1920928955078125e-7, 16777216, 0.1,
  1 / 3, Math.PI,
].map(Math.fround);

/** Identifiers a printer must backtick, or that collide with keywords and generated names. */
const nastyNameList = [
  'a b', ' ', ' leading', 'trailing ', '"', "'", '`', '\\', 'a`b', 'a\\`b', 'a"; DROP TABLE t; --', "O'Brien",
  "'; DROP TABLE t; --", 'None', 'True', 'False', 'row', 'global', 'eval', 'agg', 'scan', 'nan', 'inf', 'neginf',
  'NA', 'Let', 'I32', 'Struct', 'select', 'from', 'SELECT * FROM t', 'null', 'NULL', 'order', 'group', 'table',
  'key', 'value', 'rows', 'idx', 'ñandú', '日本語', '🎉', '👩‍👩‍👧', 'e\u0301', '\u200b', '\u202eabc',
  'a\nb', 'a\tb',
  '', '__rl1', '__', '1abc', '0', 'a.b', 'a-b', '$1', '?', '%s', '(', ')', '{}', '[x]', '<>', ',', ':', '+', '@',
  '=', ';', 'ÅÆØ', 'ß', 'İ', 'Ω',
];
const plainNameList = ['x', 'y', 'z', 'a', 'b', 'acc', 'elt', 'i', 'row', 'global', 'idx', 'key', 'value', 'f', 'g'];

const nastyStringList = [
  '', 'a', 'hello', ' ', '"', "'", '`', '\\', '\\n', '\n', '\t', '\r\n', 'a"; DROP TABLE t; --',
  "'; DROP TABLE t; --", '\u0000', 'ñ', '日本語', '🎉', '👩‍👩‍👧', 'e\u0301', '\u200b', '\u202e', 'NULL', 'null',
  'None',
  'NaN', '%', '_', '%_\\', '$$', '{}', '[]', '\\u0041', 'x'.repeat(300),
];
const stringAlphabet = ['a', 'b', 'Z', '0', ' ', '"', "'", '\\', '\n', 'é', '日', '🎉', '%', '_', ';'];

export const nastyNames: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyNameList) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
);
export const nastyStrings: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...nastyStringList) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);
/** Float64 values: NaN, ±0, ±inf, extremes, subnormals, then any double. */
export const nastyFloats: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...float64Pool), fc.double());
/** Float32-representable values (every one equals its `Math.fround`). */
export const nastyFloat32s: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...float32Pool), fc.float());
export const nastyInt32: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...int32Pool), fc.integer());
export const nastyInt64: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(...int64Pool),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
);

// ---- choices ------------------------------------------------------------------------------------

const CHOICE_MAX = 0xffff;

/** The generator's only source of randomness; 0 (also what an exhausted sequence yields) is "simplest". */
class Choices {
  readonly used: number[] = [];
  constructor(private readonly draw: () => number | undefined) {}

  private next(): number {
    const v = this.draw();
    if (v === undefined) return 0;
    this.used.push(v);
    return v;
  }
  /** 0 .. n-1. */
  int(n: number): number {
    if (n <= 1) return 0;
    if (n <= CHOICE_MAX + 1) return this.next() % n;
    return (this.next() * (CHOICE_MAX + 1) + this.next()) % n;
  }
  /** True with probability p; false for choice 0. */
  chance(p: number): boolean {
    return this.next() % 1000 >= 1000 - Math.round(p * 1000);
  }
  pick<X>(xs: readonly X[]): X {
    return xs[this.int(xs.length)]!;
  }
  weighted<X>(options: readonly (readonly [number, X])[]): X {
    const total = options.reduce((s, [w]) => s + w, 0);
    let r = ((this.next() % 10000) / 10000) * total;
    for (const [w, x] of options) {
      if (r < w) return x;
      r -= w;
    }
    return options[options.length - 1]![1];
  }
  subset<X>(xs: readonly X[], p: number): X[] {
    return xs.filter(() => this.chance(p));
  }
  shuffle<X>(xs: readonly X[]): X[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  /** `min` .. `max - 1` items. */
  list<X>(f: () => X, max: number, min = 0): X[] {
    const n = min + this.int(max - min);
    return Array.from({ length: n }, f);
  }
}

/** Shrink candidates for a choice sequence: shorter first, then smaller values. */
function* shrinkChoices(cs: readonly number[]): IterableIterator<number[]> {
  const n = cs.length;
  for (const len of new Set([0, n >> 2, n >> 1, (3 * n) >> 2, n - 1])) if (len >= 0 && len < n) yield cs.slice(0, len);
  for (let size = 32; size >= 1; size >>= 1) {
    for (let i = 0; i + size <= n; i += size) yield [...cs.slice(0, i), ...cs.slice(i + size)];
  }
  for (let i = 0; i < n; i++) {
    const v = cs[i]!;
    for (const w of new Set([0, v >> 1, v - 1])) {
      if (w >= 0 && w < v) yield [...cs.slice(0, i), w, ...cs.slice(i + 1)];
    }
  }
}

function shortlexLess(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

class ChoiceArbitrary<X> extends fc.Arbitrary<X> {
  constructor(private readonly build: (c: Choices) => X) {
    super();
  }
  override generate(mrng: fc.Random, _biasFactor: number | undefined): fc.Value<X> {
    const c = new Choices(() => mrng.nextInt(0, CHOICE_MAX));
    const x = this.build(c);
    return new fc.Value(x, c.used);
  }
  override canShrinkWithoutContext(_value: unknown): _value is X {
    return false;
  }
  override shrink(_value: X, context: unknown): fc.Stream<fc.Value<X>> {
    if (!Array.isArray(context)) return fc.Stream.nil();
    const original = context as number[];
    return new fc.Stream(shrinkChoices(original))
      .map((cs) => this.replay(cs))
      .filter((v) => shortlexLess(v.context as number[], original));
  }
  private replay(cs: readonly number[]): fc.Value<X> {
    let i = 0;
    const c = new Choices(() => (i < cs.length ? cs[i++] : undefined));
    const x = this.build(c);
    return new fc.Value(x, c.used);
  }
}

// ---- scopes -------------------------------------------------------------------------------------

type Scope = Env<Type>;
type Slot = Type | TableType;

const HOLE: ValueIR = { kind: 'Void' };
// Fresh objects each time: generated trees share no node (analyses key side tables by identity).
const refRow = (): ValueIR => ({ kind: 'Ref', name: 'row' });
const unkey = (child: TableIR): TableIR => ({
  kind: 'TableKeyBy',
  keys: [],
  isSorted: false,
  nPartitions: null,
  child,
});
const TABLE_HOLE: TableIR = { kind: 'TableRange', n: 0, nPartitions: null };

/** The environment child `i` of `node` sees; `slots[j]` is the (table) type of child j. */
function envAt(node: IR, i: number, env: Scope, slots: readonly Slot[]): Scope {
  return childEnv<Type>(node, i, env, (_n, bind) => {
    const s = bind.source;
    switch (s.of) {
      case 'int32':
        return TInt32;
      case 'type':
        return slots[s.child] as Type;
      case 'element':
        return elementType(slots[s.child] as Type)!;
      case 'row':
        return (slots[s.child] as TableType).row;
      case 'global':
        return (slots[s.child] as TableType).global;
    }
  });
}

function namesWhere(scope: Env<Type>['eval'], f: (t: Type) => boolean): string[] {
  const out: string[] = [];
  for (const [name, t] of scope) if (f(t)) out.push(name);
  return out;
}

/** An environment without aggregation scopes, for code that runs once (init args, knownLength). */
const noAgg = (env: Scope): Scope => ({ eval: env.eval, agg: null, scan: null, rel: env.rel });

// ---- typing helpers -----------------------------------------------------------------------------

const numericTypes: readonly Type[] = [TInt32, TInt64, TFloat32, TFloat64];
const valuePrimitives: readonly Type[] = [TInt32, TInt64, TFloat32, TFloat64, TBoolean, TString];

/** Every (function, argument types) pair of the function table whose arguments share one numeric type. */
const applySignatures: readonly { fn: string; args: Type[]; result: Type }[] = fnNames.flatMap((fn) => {
  const info = functions[fn];
  return numericTypes.flatMap((t) => {
    const args = Array.from({ length: info.arity }, () => t);
    const result = info.result(args);
    return result ? [{ fn, args, result }] : [];
  });
});

function insertFieldsType(
  old: StructType,
  fields: readonly StructField[],
  order: readonly string[] | null,
): StructType {
  const out = [...old.fields];
  for (const f of fields) {
    const i = out.findIndex((g) => g.name === f.name);
    if (i >= 0) out[i] = f;
    else out.push(f);
  }
  return { kind: 'Struct', fields: order ? order.map((n) => out.find((f) => f.name === n)!) : out };
}

const collectType = (t: TableType): StructType =>
  tStruct([
    ['rows', tArray(t.row)],
    ['global', t.global],
  ]);
const rangeType: TableType = { row: tStruct([['idx', TInt32]]), key: ['idx'], global: tStruct([]) };
const isPrefix = (a: readonly string[], b: readonly string[]) => a.length <= b.length && a.every((x, i) => x === b[i]);

const intOps: readonly BinaryOp[] = ['Add', 'Subtract', 'Multiply', 'RoundToNegInfDivide', 'BitAnd', 'BitOr', 'BitXOr'];
const shiftOps: readonly BinaryOp[] = ['LeftShift', 'RightShift', 'LogicalRightShift'];
const arithOps: readonly BinaryOp[] = ['Add', 'Subtract', 'Multiply', 'RoundToNegInfDivide'];
const booleanComparisons: readonly ComparisonOp[] = ['EQ', 'NEQ', 'LT', 'LTEQ', 'GT', 'GTEQ', 'EQWithNA', 'NEQWithNA'];

/** The kinds `dependentCount` builds. */
const DEPENDENT_COUNT: readonly Kind[] = ['Let', 'TableCount', 'TableFilter', 'TableRange', 'GetField', 'ApplyComparisonOp', 'Ref', 'Cast'];
const bin = (op: BinaryOp, l: ValueIR, r: ValueIR): ValueIR => ({ kind: 'ApplyBinaryPrimOp', op, l, r });
const unary = (op: UnaryOp, x: ValueIR): ValueIR => ({ kind: 'ApplyUnaryPrimOp', op, x });

type Prod<R> = readonly [kind: Kind | null, weight: number, run: () => R];
type Typed = [ValueIR, Type];
type TypedTable = [TableIR, TableType];

// ---- the generator ------------------------------------------------------------------------------

class Gen {
  private fuel: number;

  constructor(
    private readonly c: Choices,
    private readonly o: Options,
  ) {
    this.fuel = o.maxNodes;
  }

  private choose<R>(ps: readonly Prod<R>[]): R {
    const ok = ps.filter(([k, w]) => w > 0 && (k === null || !this.o.exclude.has(k)));
    return this.c.weighted(ok.map(([, w, run]) => [w, run] as const))();
  }

  /** Leaves are rare at the root, so few programs are trivial. */
  private leafWeight(childDepth: number, w: number): number {
    return childDepth >= this.o.maxDepth - 1 ? w / 6 : w;
  }

  /** Takes one node from the budget; false means "make a leaf". */
  private spend(d: number): boolean {
    if (d <= 0 || this.fuel <= 0) return false;
    this.fuel--;
    return true;
  }

  // ---- names, types, values ----

  name(): string {
    if (this.o.nastyNames && this.c.chance(0.4)) return this.c.pick(nastyNameList);
    return this.c.pick(plainNameList);
  }

  /** `n` distinct names, none in `avoid`. */
  names(n: number, avoid: Iterable<string> = []): string[] {
    const taken = new Set(avoid);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const base = this.name();
      let s = base;
      for (let k = 1; taken.has(s); k++) s = `${base}_${k}`;
      taken.add(s);
      out.push(s);
    }
    return out;
  }

  type(d = 2): Type {
    if (d > 0 && this.c.chance(0.3)) {
      switch (this.c.int(5)) {
        case 0:
          return tArray(this.type(d - 1));
        case 1:
          return tSet(this.type(d - 1));
        case 2:
          return tDict(this.type(d - 1), this.type(d - 1));
        case 3:
          return this.tupleType(d - 1);
        default:
          return this.structType(d - 1);
      }
    }
    return this.c.pick(valuePrimitives);
  }

  numericType(): Type {
    return this.c.pick(numericTypes);
  }

  /** Tuple indices are increasing but sometimes skip, e.g. `(0 2)`. */
  tupleType(d: number, max = 4): TupleType {
    let index = this.c.chance(0.1) ? 1 : 0;
    const fields = this.c.list(() => {
      const f = { index, type: this.type(d) };
      index += this.c.chance(0.2) ? 2 : 1;
      return f;
    }, max);
    return { kind: 'Tuple', fields };
  }

  structType(d: number, avoid: Iterable<string> = [], max = 4, min = 0): StructType {
    const names = this.names(min + this.c.int(max - min), avoid);
    return { kind: 'Struct', fields: names.map((name) => ({ name, type: this.type(d) })) };
  }

  int32(): number {
    return this.c.chance(0.3) ? this.c.int(2 ** 32) - 2 ** 31 : this.c.pick(int32Pool);
  }
  int64(): bigint {
    if (!this.c.chance(0.3)) return this.c.pick(int64Pool);
    return BigInt.asIntN(64, (BigInt(this.c.int(2 ** 32)) << 32n) | BigInt(this.c.int(2 ** 32)));
  }
  float64(): number {
    if (!this.c.chance(0.3)) return this.c.pick(float64Pool);
    return (this.c.int(2 ** 32) / 2 ** 32 - 0.5) * 10 ** (this.c.int(21) - 10);
  }
  float32(): number {
    return this.c.chance(0.3) ? Math.fround(this.float64()) : this.c.pick(float32Pool);
  }
  string(): string {
    if (this.c.chance(0.5)) return this.c.pick(nastyStringList);
    return this.c.list(() => this.c.pick(stringAlphabet), 7).join('');
  }

  /** A value in src/ir/value.ts's representation; sets and dicts canonical. */
  value(t: Type): Value {
    if (this.c.chance(0.08)) return null;
    switch (t.kind) {
      case 'Boolean':
        return this.c.chance(0.5);
      case 'Int32':
        return this.int32();
      case 'Int64':
        return this.int64();
      case 'Float32':
        return this.float32();
      case 'Float64':
        return this.float64();
      case 'String':
        return this.string();
      case 'Void':
        return null;
      case 'Array':
      case 'Stream':
        return this.c.list(() => this.value(t.element), 5);
      case 'Set':
        return canonicalSet(t.element, this.c.list(() => this.value(t.element), 5));
      case 'Dict':
        return canonicalDict(
          t.key,
          this.c.list(() => [this.value(t.key), this.value(t.value)], 5),
        );
      case 'Tuple':
      case 'Struct':
        return t.fields.map((f) => this.value(f.type));
    }
  }

  errorId(): number {
    return this.c.pick([-1, 0, 1, 17]);
  }
  parts(): number | null {
    return this.c.chance(0.4) ? 1 + this.c.int(4) : null;
  }
  smallInt(max = 6): ValueIR {
    return { kind: 'I32', value: this.c.int(max) };
  }
  path(): string {
    return this.c.pick(['/tmp/t.parquet', 'out dir/ünï.parquet', "it's.parquet", 'x"; DROP TABLE t; --.parquet']);
  }

  // ---- value programs ----

  /** A program of type `t` in `env`. */
  gen(t: Type, env: Scope, d: number): ValueIR {
    if (t.kind === 'Stream') return this.stream(t, env, d);
    if (!this.spend(d)) return this.leaf(t, env);
    return this.choose(this.productions(t, env, d - 1));
  }

  leaf(t: Type, env: Scope): ValueIR {
    if (t.kind === 'Stream') return this.streamLeaf(t, env);
    const refs = namesWhere(env.eval, (u) => typeEqual(u, t));
    const rels = namesWhere(env.rel, (u) => typeEqual(u, t));
    return this.choose<ValueIR>([
      [null, 4, () => this.constant(t)],
      [null, refs.length > 0 ? 4 : 0, () => ({ kind: 'Ref', name: this.c.pick(refs) })],
      [null, rels.length > 0 ? 3 : 0, () => ({ kind: 'RelationalRef', name: this.c.pick(rels), type: t })],
      [null, 0.7, () => ({ kind: 'NA', type: t })],
    ]);
  }

  constant(t: Type): ValueIR {
    if (this.c.chance(0.15) || (t.kind === 'Void' && this.c.chance(0.2))) {
      return { kind: 'Literal', type: t, value: this.value(t) };
    }
    switch (t.kind) {
      case 'Int32':
        return { kind: 'I32', value: this.int32() };
      case 'Int64':
        return { kind: 'I64', value: this.int64() };
      case 'Float32':
        return { kind: 'F32', value: this.float32() };
      case 'Float64':
        return { kind: 'F64', value: this.float64() };
      case 'String':
        return { kind: 'Str', value: this.string() };
      case 'Boolean':
        return this.c.chance(0.5) ? { kind: 'True' } : { kind: 'False' };
      case 'Void':
        return { kind: 'Void' };
      default:
        return { kind: 'Literal', type: t, value: this.value(t) };
    }
  }

  private productions(t: Type, env: Scope, d: number): Prod<ValueIR>[] {
    const g = (u: Type, e: Scope = env): ValueIR => this.gen(u, e, d);
    const ps: Prod<ValueIR>[] = [
      [null, this.leafWeight(d, 3), () => this.leaf(t, env)],
      ['If', 2, () => ({ kind: 'If', cond: g(TBoolean), then: g(t), else: g(t) })],
      ['Switch', 0.7, () => ({ kind: 'Switch', x: g(TInt32), default: g(t), cases: this.c.list(() => g(t), 4) })],
      ['Coalesce', 0.7, () => ({ kind: 'Coalesce', values: this.c.list(() => g(t), 4, 1) })],
      ['Let', 3, () => this.let(t, env, d)],
      ['GetField', 1, () => this.getField(t, env, d)],
      ['GetTupleElement', 0.7, () => this.getTupleElement(t, env, d)],
      [
        'ArrayRef',
        0.7,
        () => ({
          kind: 'ArrayRef',
          errorId: this.errorId(),
          a: g(tArray(t)),
          i: this.c.chance(0.5) ? this.smallInt(3) : g(TInt32),
        }),
      ],
      ['StreamFold', 1, () => this.streamFold(t, env, d)],
      ['StreamAgg', 1, () => this.streamAgg(t, env, d)],
      ['TableAggregate', 1, () => this.tableAggregate(t, env, d)],
      ['RelationalLet', 0.6, () => this.relationalLet(t, env, d)],
      ['Die', 0.15, () => ({ kind: 'Die', type: t, errorId: this.errorId(), message: g(TString) })],
      [
        'Cast',
        isNumeric(t) ? 1 : 0.2,
        () => ({ kind: 'Cast', type: t, value: isNumeric(t) ? g(this.numericType()) : g(t) }),
      ],
    ];
    this.aggProductions(ps, t, env, d);
    // A count that reads an enclosing Int32 variable, or a field of the row (bound by a Let
    // first: the table's own row shadows it): a row- or loop-dependent query (issue 6).
    if (isNumeric(t)) {
      const vars = namesWhere(env.eval, (u) => u.kind === 'Int32').filter((v) => v !== 'row' && v !== 'global');
      const row = env.eval.get('row');
      const fields = row?.kind === 'Struct' ? row.fields.filter((f) => f.type.kind === 'Int32').map((f) => f.name) : [];
      if (vars.length + fields.length > 0 && this.allows(DEPENDENT_COUNT)) {
        ps.push(['TableCount', 2, () => (t.kind === 'Int64' ? this.dependentCount(vars, fields) : { kind: 'Cast', type: t, value: this.dependentCount(vars, fields) })]);
      }
    }
    const apply = (): ValueIR => {
      const sig = this.c.pick(applySignatures.filter((s) => typeEqual(s.result, t)));
      const args = sig.args.map((a) => g(a));
      return { kind: 'Apply', errorId: this.errorId(), fn: sig.fn, typeArgs: [], returnType: t, args };
    };
    switch (t.kind) {
      case 'Int32':
      case 'Int64':
        ps.push(
          ['ApplyBinaryPrimOp', 3, () => bin(this.c.pick(intOps), g(t), g(t))],
          ['ApplyBinaryPrimOp', 1, () => bin(this.c.pick(shiftOps), g(t), g(TInt32))],
          ['ApplyUnaryPrimOp', 1, () => unary(this.c.pick(['Negate', 'BitNot'] as const), g(t))],
          ['Apply', 1.5, apply],
        );
        if (t.kind === 'Int32') {
          ps.push(
            ['ApplyUnaryPrimOp', 0.7, () => unary('BitCount', g(this.c.pick([TInt32, TInt64])))],
            ['ApplyComparisonOp', 0.7, () => this.comparison('Compare', env, d)],
            ['ArrayLen', 1, () => ({ kind: 'ArrayLen', a: g(tArray(this.type(1))) })],
            ['StreamLen', 1, () => ({ kind: 'StreamLen', a: g(tStream(this.type(1))) })],
          );
        } else {
          const skel: IR = { kind: 'TableCount', child: TABLE_HOLE };
          const count = (): ValueIR => ({ kind: 'TableCount', child: this.table(envAt(skel, 0, env, []), d)[0] });
          ps.push(['TableCount', 1.5, count]);

        }
        break;
      case 'Float32':
      case 'Float64':
        ps.push(
          ['ApplyBinaryPrimOp', 3, () => bin(this.c.pick(arithOps), g(t), g(t))],
          [
            'ApplyBinaryPrimOp',
            1.5,
            () => {
              const u = t.kind === 'Float32' ? TFloat32 : this.c.pick([TFloat64, TInt32, TInt64]);
              return bin('FloatingPointDivide', g(u), g(u));
            },
          ],
          ['ApplyUnaryPrimOp', 1, () => unary('Negate', g(t))],
          ['Apply', 3, apply],
        );
        if (t.kind === 'Float64') {
          ps.push(
            ['Grad', 1.5, () => this.grad(env, d)],
            [
              'Gradient',
              1,
              () => {
                const s = this.structType(0, [], 3, 1);
                const names = s.fields.map((f) => f.name);
                return { kind: 'GetField', name: this.c.pick(names), o: this.gradient(names, env, d) };
              },
            ],
          );
        }
        break;
      case 'Boolean':
        ps.push(
          [
            'ApplyComparisonOp',
            3,
            () => this.comparison(this.c.pick(booleanComparisons), env, d),
          ],
          ['ApplyUnaryPrimOp', 1, () => unary('Bang', g(t))],
          ['IsNA', 1, () => ({ kind: 'IsNA', value: g(this.type()) })],
          ['Apply', 1, apply],
        );
        break;
      case 'Void':
        ps.push(['TableWrite', 4, () => this.tableWrite(env, d)]);
        break;
      case 'Array': {
        const e = t.element;
        ps.push(
          [
            'MakeArray',
            2,
            () => {
              const values = this.c.list(() => g(e), 4);
              return { kind: 'MakeArray', type: values.length === 0 || this.c.chance(0.5) ? t : null, values };
            },
          ],
          ['ToArray', 2, () => ({ kind: 'ToArray', a: g(tStream(e)) })],
          ['ArraySort', 1.5, () => this.arraySort(t.element, env, d)],
          ['CollectDistributedArray', 1, () => this.collectDistributedArray(e, env, d)],
        );
        if (e.kind === 'Struct') {
          ps.push([
            'TableCollect',
            1,
            () => {
              const tt = { row: e, key: this.keyOf(e), global: this.structType(1) };
              const child = this.tableOfType(tt, noAgg(env), d);
              return { kind: 'GetField', name: 'rows', o: { kind: 'TableCollect', child } };
            },
          ]);
        }
        break;
      }
      case 'Set':
        ps.push(['ToSet', 2, () => ({ kind: 'ToSet', a: g(tStream(t.element)) })]);
        break;
      case 'Dict':
        ps.push(['ToDict', 2, () => ({ kind: 'ToDict', a: g(tStream(this.pairType(t.key, t.value))) })]);
        break;
      case 'Tuple':
        ps.push([
          'MakeTuple',
          3,
          () => ({ kind: 'MakeTuple', indices: t.fields.map((f) => f.index), values: t.fields.map((f) => g(f.type)) }),
        ]);
        break;
      case 'Struct': {
        ps.push(
          [
            'MakeStruct',
            3,
            () => ({ kind: 'MakeStruct', fields: t.fields.map((f) => ({ name: f.name, value: g(f.type) })) }),
          ],
          ['InsertFields', 2, () => this.insertFieldsTo(t, env, d)],
          ['SelectFields', 1.5, () => this.selectFieldsTo(t, env, d)],
          [
            'TableGetGlobals',
            1,
            () => {
              const row = this.structType(1);
              const child = this.tableOfType({ row, key: this.keyOf(row), global: t }, noAgg(env), d);
              return { kind: 'TableGetGlobals', child };
            },
          ],
        );
        const names = t.fields.map((f) => f.name);
        if (names.length > 0 && t.fields.every((f) => f.type.kind === 'Float64')) {
          ps.push(['Gradient', 3, () => this.gradient(names, env, d)]);
        }
        const [rows, global] = t.fields;
        if (
          t.fields.length === 2 &&
          rows!.name === 'rows' &&
          global!.name === 'global' &&
          rows!.type.kind === 'Array' &&
          rows!.type.element.kind === 'Struct' &&
          global!.type.kind === 'Struct'
        ) {
          const tt = { row: rows!.type.element, key: this.keyOf(rows!.type.element), global: global!.type };
          ps.push(['TableCollect', 3, () => ({ kind: 'TableCollect', child: this.tableOfType(tt, noAgg(env), d) })]);
        }
        break;
      }
      default:
        break;
    }
    return ps;
  }

  /** Aggregations that can produce `t`, when an aggregation (or, alone, a scan) scope is open. */
  private aggProductions(ps: Prod<ValueIR>[], t: Type, env: Scope, d: number): void {
    // A scan scope under a newer agg scope (StreamAgg inside TableMapRows) is left alone.
    const isScan = env.agg === null;
    if (env.agg === null && env.scan === null) return;
    const opKind = isScan ? 'ApplyScanOp' : 'ApplyAggOp';
    const ops: AggOp[] = ['PrevNonnull'];
    if (t.kind === 'Int64') ops.push('Count');
    if (t.kind === 'Int64' || t.kind === 'Float64') ops.push('Sum', 'Product');
    if (isNumeric(t) || t.kind === 'Boolean' || t.kind === 'String') ops.push('Min', 'Max');
    if (t.kind === 'Array') ops.push('Collect', 'Take', 'TakeBy');
    if (t.kind === 'Set') ops.push('CollectAsSet');
    for (const op of ops) ps.push([opKind, 6 / ops.length + 1, () => this.aggOp(op, isScan, t, env, d)]);
    ps.push(
      ['AggFilter', 1.5, () => this.aggFilter(isScan, t, env, d)],
      ['AggExplode', 1.5, () => this.aggExplode(isScan, t, env, d)],
      ['AggLet', 1.5, () => this.aggLet(isScan, t, env, d)],
    );
    if (t.kind === 'Array') {
      ps.push(['AggArrayPerElement', 2, () => this.aggArrayPerElement(isScan, t.element, env, d)]);
    }
    if (t.kind === 'Dict') ps.push(['AggGroupBy', 3, () => this.aggGroupBy(isScan, t.key, t.value, env, d)]);
  }

  private aggOp(op: AggOp, isScan: boolean, t: Type, env: Scope, d: number): ValueIR {
    const kind = isScan ? 'ApplyScanOp' : 'ApplyAggOp';
    const initArgs: ValueIR[] = op === 'Take' || op === 'TakeBy' ? [this.smallInt()] : [];
    const inner = envAt({ kind, op, initArgs, seqArgs: [] }, initArgs.length, env, []);
    const g = (u: Type) => this.gen(u, inner, d);
    const e = t.kind === 'Array' || t.kind === 'Set' ? t.element : t;
    let seqArgs: ValueIR[];
    switch (op) {
      case 'Count':
        seqArgs = [];
        break;
      case 'Collect':
      case 'CollectAsSet':
      case 'Take':
        seqArgs = [g(e)];
        break;
      case 'TakeBy':
        seqArgs = [g(e), g(this.type(1))];
        break;
      default:
        seqArgs = [g(t)];
    }
    return { kind, op, initArgs, seqArgs };
  }

  private aggFilter(isScan: boolean, t: Type, env: Scope, d: number): ValueIR {
    const skel: IR = { kind: 'AggFilter', isScan, cond: HOLE, agg: HOLE };
    const cond = this.gen(TBoolean, envAt(skel, 0, env, []), d);
    return { kind: 'AggFilter', isScan, cond, agg: this.gen(t, envAt(skel, 1, env, [TBoolean]), d) };
  }

  private aggExplode(isScan: boolean, t: Type, env: Scope, d: number): ValueIR {
    const name = this.name();
    const s = tStream(this.type(1));
    const skel: IR = { kind: 'AggExplode', name, isScan, array: HOLE, agg: HOLE };
    const array = this.gen(s, envAt(skel, 0, env, []), d);
    return { kind: 'AggExplode', name, isScan, array, agg: this.gen(t, envAt(skel, 1, env, [s]), d) };
  }

  private aggLet(isScan: boolean, t: Type, env: Scope, d: number): ValueIR {
    const name = this.name();
    const skel: IR = { kind: 'AggLet', name, isScan, value: HOLE, body: HOLE };
    const [value, vt] = this.any(envAt(skel, 0, env, []), d);
    return { kind: 'AggLet', name, isScan, value, body: this.gen(t, envAt(skel, 1, env, [vt]), d) };
  }

  private aggArrayPerElement(isScan: boolean, e: Type, env: Scope, d: number): ValueIR {
    const [elementName, indexName] = [this.name(), this.name()];
    const at = tArray(this.type(1));
    const skel: IR = {
      kind: 'AggArrayPerElement',
      elementName,
      indexName,
      isScan,
      a: HOLE,
      agg: HOLE,
      knownLength: null,
    };
    const a = this.gen(at, envAt(skel, 0, env, []), d);
    const agg = this.gen(e, envAt(skel, 1, env, [at]), d);
    // A length, so small: the result has that many elements.
    const knownLength = this.c.chance(0.4) ? this.smallInt() : null;
    return { kind: 'AggArrayPerElement', elementName, indexName, isScan, a, agg, knownLength };
  }

  private aggGroupBy(isScan: boolean, k: Type, v: Type, env: Scope, d: number): ValueIR {
    const skel: IR = { kind: 'AggGroupBy', isScan, key: HOLE, agg: HOLE };
    const key = this.gen(k, envAt(skel, 0, env, []), d);
    return { kind: 'AggGroupBy', isScan, key, agg: this.gen(v, envAt(skel, 1, env, [k]), d) };
  }

  /** Any expression and its type: mostly top-down from a random type, sometimes bottom-up. */
  any(env: Scope, d: number): Typed {
    const numeric = namesWhere(env.eval, isNumeric);
    const structs = namesWhere(env.eval, (t) => t.kind === 'Struct');
    return this.choose<Typed>([
      [
        null,
        8,
        () => {
          const t = this.type();
          return [this.gen(t, env, d), t];
        },
      ],
      [
        'TableCollect',
        0.5,
        () => {
          const [child, tt] = this.table(noAgg(env), d);
          return [{ kind: 'TableCollect', child }, collectType(tt)];
        },
      ],
      [
        'TableGetGlobals',
        0.3,
        () => {
          const [child, tt] = this.table(noAgg(env), d);
          return [{ kind: 'TableGetGlobals', child }, tt.global];
        },
      ],
      [
        'Gradient',
        numeric.length > 0 ? 0.4 : 0,
        () => {
          const names = this.c.shuffle(numeric).slice(0, 1 + this.c.int(2));
          return [this.gradientOver(names, env, d), tStruct(names.map((n) => [n, TFloat64]))];
        },
      ],
      [
        'InsertFields',
        structs.length > 0 ? 0.7 : 0,
        () => {
          const s = this.c.pick(structs);
          const old = env.eval.get(s) as StructType;
          return this.insertFieldsFrom({ kind: 'Ref', name: s }, old, [], env, d);
        },
      ],
      [null, 0.2, () => [this.gen(TVoid, env, d), TVoid]],
    ]);
  }

  private let(t: Type, env: Scope, d: number): ValueIR {
    const n = 1 + this.c.int(3);
    const bindings: Binding[] = [];
    const skel = { kind: 'Let' as const, bindings, body: HOLE };
    const slots: Type[] = [];
    const values: ValueIR[] = [];
    for (let j = 0; j < n; j++) {
      const perRow = (env.agg !== null || env.scan !== null) && this.c.chance(0.35);
      const scope = !perRow ? 'eval' : env.agg !== null ? 'agg' : 'scan';
      bindings.push({ scope, name: this.name(), value: HOLE });
      const [v, vt] = this.any(envAt(skel, j, env, slots), d);
      values.push(v);
      slots.push(vt);
    }
    const body = this.gen(t, envAt(skel, n, env, slots), d);
    return { kind: 'Let', bindings: bindings.map((b, j) => ({ ...b, value: values[j]! })), body };
  }

  private getField(t: Type, env: Scope, d: number): ValueIR {
    const s = this.structType(1, [], 3);
    const name = this.names(1, s.fields.map((f) => f.name))[0]!;
    const fields = [...s.fields];
    fields.splice(this.c.int(fields.length + 1), 0, { name, type: t });
    return { kind: 'GetField', name, o: this.gen({ kind: 'Struct', fields }, env, d) };
  }

  private getTupleElement(t: Type, env: Scope, d: number): ValueIR {
    const before = this.c.int(3);
    const after = this.c.int(2);
    const some = (n: number) => Array.from({ length: n }, () => this.type(1));
    const types = [...some(before), t, ...some(after)];
    let index = 0;
    const fields = types.map((type) => {
      const f = { index, type };
      index += this.c.chance(0.25) ? 2 : 1;
      return f;
    });
    return { kind: 'GetTupleElement', index: fields[before]!.index, o: this.gen({ kind: 'Tuple', fields }, env, d) };
  }

  /** Whether none of `kinds` is excluded. */
  private allows(kinds: readonly Kind[]): boolean {
    return kinds.every((k) => !this.o.exclude.has(k));
  }

  /** `(Let eval k v (TableCount (TableFilter (TableRange n) (op idx k))))`, v a variable or a row field. */
  private dependentCount(vars: readonly string[], fields: readonly string[]): ValueIR {
    const k = this.names(1, ['row', 'global'])[0]!;
    const value: ValueIR =
      fields.length > 0 && (vars.length === 0 || this.c.chance(0.6))
        ? { kind: 'GetField', name: this.c.pick(fields), o: refRow() }
        : { kind: 'Ref', name: this.c.pick(vars) };
    const pred: ValueIR = { kind: 'ApplyComparisonOp', op: this.c.pick(['LT', 'GTEQ', 'EQ'] as const), l: { kind: 'GetField', name: 'idx', o: refRow() }, r: { kind: 'Ref', name: k } };
    const child: TableIR = { kind: 'TableFilter', child: { kind: 'TableRange', n: 1 + this.c.int(12), nPartitions: null }, pred };
    return { kind: 'Let', bindings: [{ scope: 'eval', name: k, value }], body: { kind: 'TableCount', child } };
  }

  private streamFold(t: Type, env: Scope, d: number): ValueIR {
    const [accum, name] = [this.name(), this.name()];
    // Now and then a range longer than the DuckDB backend writes out (a recursive CTE there),
    // with a query reading the element in each step. Only for a number: a longer accumulator
    // (a flat map of it, say) could grow by a factor in each of the 50 steps.
    const long = isNumeric(t) && this.allows(['StreamRange', 'I32', 'ApplyBinaryPrimOp', ...DEPENDENT_COUNT]) && this.c.chance(0.15);
    const s = long ? tStream(TInt32) : tStream(this.type(1));
    const skel: IR = { kind: 'StreamFold', accum, name, a: HOLE, zero: HOLE, body: HOLE };
    const i32 = (value: number): ValueIR => ({ kind: 'I32', value });
    const a: ValueIR = long ? { kind: 'StreamRange', errorId: this.errorId(), requiresMemoryManagement: false, start: i32(0), stop: i32(33 + this.c.int(20)), step: i32(1) } : this.gen(s, env, d);
    const zero = this.gen(t, env, d);
    let body = this.gen(t, envAt(skel, 2, env, [s, t]), d);
    if (long) {
      const count = this.dependentCount([name], []);
      body = bin('Add', body, t.kind === 'Int64' ? count : { kind: 'Cast', type: t, value: count });
    }
    return { kind: 'StreamFold', accum, name, a, zero, body };
  }

  private streamAgg(t: Type, env: Scope, d: number): ValueIR {
    const name = this.name();
    const s = tStream(this.type(1));
    const skel: IR = { kind: 'StreamAgg', name, a: HOLE, query: HOLE };
    const a = this.gen(s, env, d);
    return { kind: 'StreamAgg', name, a, query: this.gen(t, envAt(skel, 1, env, [s]), d) };
  }

  private tableAggregate(t: Type, env: Scope, d: number): ValueIR {
    const skel: IR = { kind: 'TableAggregate', child: TABLE_HOLE, query: HOLE };
    const [child, tt] = this.table(envAt(skel, 0, env, []), d);
    return { kind: 'TableAggregate', child, query: this.gen(t, envAt(skel, 1, env, [tt]), d) };
  }

  private relationalLet(t: Type, env: Scope, d: number): ValueIR {
    const name = this.name();
    const skel: IR = { kind: 'RelationalLet', name, value: HOLE, body: HOLE };
    const [value, vt] = this.any(env, d);
    return { kind: 'RelationalLet', name, value, body: this.gen(t, envAt(skel, 1, env, [vt]), d) };
  }

  private comparison(op: ComparisonOp, env: Scope, d: number): ValueIR {
    const t = this.c.chance(0.6) ? this.c.pick(valuePrimitives) : this.type();
    return { kind: 'ApplyComparisonOp', op, l: this.gen(t, env, d), r: this.gen(t, env, d) };
  }

  private arraySort(e: Type, env: Scope, d: number): ValueIR {
    const [left, right] = this.names(2);
    const s = tStream(e);
    const skel: IR = { kind: 'ArraySort', left, right, a: HOLE, lessThan: HOLE };
    const a = this.gen(s, env, d);
    // Mostly a real order: with an arbitrary predicate the result depends on the sort algorithm.
    const lessThan: ValueIR = !this.c.chance(0.25)
      ? {
          kind: 'ApplyComparisonOp',
          op: this.c.pick(['LT', 'GT'] as const),
          l: { kind: 'Ref', name: left },
          r: { kind: 'Ref', name: right },
        }
      : this.gen(TBoolean, envAt(skel, 1, env, [s]), d);
    return { kind: 'ArraySort', left, right, a, lessThan };
  }

  private collectDistributedArray(e: Type, env: Scope, d: number): ValueIR {
    const [contextName, globalName] = [this.name(), this.name()];
    const s = tStream(this.type(1));
    const gt = this.type(1);
    const staticId = `cda${this.c.int(100)}`;
    const skel: IR = {
      kind: 'CollectDistributedArray',
      staticId,
      contextName,
      globalName,
      contexts: HOLE,
      globals: HOLE,
      body: HOLE,
      dynamicId: HOLE,
    };
    const contexts = this.gen(s, env, d);
    const globals = this.gen(gt, env, d);
    const body = this.gen(e, envAt(skel, 2, env, [s, gt]), d);
    const dynamicId = this.gen(TString, env, d);
    return { kind: 'CollectDistributedArray', staticId, contextName, globalName, contexts, globals, body, dynamicId };
  }

  /** A two-field element type that `ToDict` turns into `Dict[k, v]`. */
  private pairType(k: Type, v: Type): Type {
    if (this.c.chance(0.25)) {
      return { kind: 'Tuple', fields: [{ index: 0, type: k }, { index: this.c.chance(0.2) ? 2 : 1, type: v }] };
    }
    const [a, b] = this.c.chance(0.6) ? ['key', 'value'] : this.names(2);
    return tStruct([
      [a!, k],
      [b!, v],
    ]);
  }

  /** Top-down InsertFields: split `t` into an old struct and inserted fields. */
  private insertFieldsTo(t: StructType, env: Scope, d: number): ValueIR {
    const g = (u: Type) => this.gen(u, env, d);
    if (this.c.chance(0.35)) {
      // With an order: any old subset in any order; the order restores t's.
      const kept = this.c.shuffle(this.c.subset(t.fields, 0.5));
      const replaced = new Set(this.c.subset(kept, 0.3).map((f) => f.name));
      const oldType: StructType = {
        kind: 'Struct',
        fields: kept.map((f) => (replaced.has(f.name) ? { name: f.name, type: this.type(1) } : f)),
      };
      const inserted = this.c.shuffle(t.fields.filter((f) => !kept.includes(f) || replaced.has(f.name)));
      return {
        kind: 'InsertFields',
        old: g(oldType),
        fieldOrder: t.fields.map((f) => f.name),
        fields: inserted.map((f) => ({ name: f.name, value: g(f.type) })),
      };
    }
    // Without: the old struct is a prefix of t, the rest is appended in order.
    const m = this.c.int(t.fields.length + 1);
    const prefix = t.fields.slice(0, m);
    const replaced = this.c.subset(prefix, 0.3);
    const oldType: StructType = {
      kind: 'Struct',
      fields: prefix.map((f) => (replaced.includes(f) ? { name: f.name, type: this.type(1) } : f)),
    };
    const inserted = [...t.fields.slice(m)];
    for (const f of replaced) inserted.splice(this.c.int(inserted.length + 1), 0, f);
    return {
      kind: 'InsertFields',
      old: g(oldType),
      fieldOrder: null,
      fields: inserted.map((f) => ({ name: f.name, value: g(f.type) })),
    };
  }

  /** Bottom-up InsertFields on `old` (e.g. `Ref row`); fields in `keep` may only be replaced by their own type. */
  private insertFieldsFrom(old: ValueIR, oldType: StructType, keep: readonly string[], env: Scope, d: number): Typed {
    const existing = oldType.fields.map((f) => f.name);
    const n = 1 + this.c.int(3);
    const fields: StructField[] = [];
    for (let i = 0; i < n; i++) {
      const taken = fields.map((f) => f.name);
      const candidates = existing.filter((x) => !taken.includes(x));
      if (candidates.length > 0 && this.c.chance(0.4)) {
        const name = this.c.pick(candidates);
        const type = keep.includes(name) ? oldType.fields.find((f) => f.name === name)!.type : this.type(1);
        fields.push({ name, type });
      } else {
        fields.push({ name: this.names(1, [...existing, ...taken])[0]!, type: this.type(1) });
      }
    }
    const unordered = insertFieldsType(oldType, fields, null);
    const fieldOrder = this.c.chance(0.3) ? this.c.shuffle(unordered.fields.map((f) => f.name)) : null;
    const values: NamedValue[] = fields.map((f) => ({ name: f.name, value: this.gen(f.type, env, d) }));
    return [{ kind: 'InsertFields', old, fieldOrder, fields: values }, insertFieldsType(oldType, fields, fieldOrder)];
  }

  private selectFieldsTo(t: StructType, env: Scope, d: number): ValueIR {
    const extra = this.structType(1, t.fields.map((f) => f.name), 3);
    const source: StructType = { kind: 'Struct', fields: this.c.shuffle([...t.fields, ...extra.fields]) };
    return { kind: 'SelectFields', fields: t.fields.map((f) => f.name), old: this.gen(source, env, d) };
  }

  /** `Grad x body` over a numeric variable in scope, binding one first when there is none. */
  private grad(env: Scope, d: number): ValueIR {
    const numeric = namesWhere(env.eval, isNumeric);
    if (numeric.length > 0 && this.c.chance(0.6)) {
      return { kind: 'Grad', name: this.c.pick(numeric), body: this.gradBody(env, d) };
    }
    const name = this.name();
    return this.bindNumeric([name], env, d, (inner) => ({ kind: 'Grad', name, body: this.gradBody(inner, d) }));
  }

  /** `Gradient` over `names`, bound here as numeric variables. */
  private gradient(names: readonly string[], env: Scope, d: number): ValueIR {
    return this.bindNumeric(names, env, d, (inner) => this.gradientOver(names, inner, d));
  }

  private gradientOver(names: readonly string[], env: Scope, d: number): ValueIR {
    return { kind: 'Gradient', names, body: this.gradBody(env, d) };
  }

  private bindNumeric(names: readonly string[], env: Scope, d: number, body: (inner: Scope) => ValueIR): ValueIR {
    const bindings: Binding[] = [];
    const skel = { kind: 'Let' as const, bindings, body: HOLE };
    const slots: Type[] = [];
    for (const name of names) {
      const t = this.numericType();
      const value = this.gen(t, envAt(skel, bindings.length, env, slots), d);
      bindings.push({ scope: 'eval', name, value });
      slots.push(t);
    }
    return { kind: 'Let', bindings, body: body(envAt(skel, bindings.length, env, slots)) };
  }

  private gradBody(env: Scope, d: number): ValueIR {
    return this.o.smoothGrad || this.c.chance(0.5) ? this.smooth(env, d) : this.gen(this.numericType(), env, d);
  }

  /** Float64 arithmetic with derivatives almost everywhere, for Grad bodies. */
  private smooth(env: Scope, d: number): ValueIR {
    const f64 = namesWhere(env.eval, (t) => t.kind === 'Float64');
    const numeric = namesWhere(env.eval, isNumeric);
    const leaf = (): ValueIR =>
      this.choose<ValueIR>([
        [null, 2, () => ({ kind: 'F64', value: this.c.pick([0, 1, -1, 0.5, 2, 3.25, -0.75]) })],
        [null, f64.length > 0 ? 3 : 0, () => ({ kind: 'Ref', name: this.c.pick(f64) })],
        [
          null,
          numeric.length > 0 ? 2 : 0,
          () => ({ kind: 'Cast', type: TFloat64, value: { kind: 'Ref', name: this.c.pick(numeric) } }),
        ],
      ]);
    if (!this.spend(d)) return leaf();
    const s = (e: Scope = env) => this.smooth(e, d - 1);
    const smoothFns = ['exp', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'atan', 'sinh', 'expm1'];
    return this.choose<ValueIR>([
      [null, 2, leaf],
      [
        'ApplyBinaryPrimOp',
        3,
        () => bin(this.c.pick(['Add', 'Subtract', 'Multiply', 'FloatingPointDivide'] as const), s(), s()),
      ],
      ['ApplyUnaryPrimOp', 1, () => unary('Negate', s())],
      [
        'Apply',
        2,
        () => {
          const fn = this.c.pick(smoothFns);
          return { kind: 'Apply', errorId: -1, fn, typeArgs: [], returnType: TFloat64, args: [s()] };
        },
      ],
      ['If', 1, () => ({ kind: 'If', cond: this.gen(TBoolean, env, d - 1), then: s(), else: s() })],
      [
        'Let',
        1,
        () => {
          const name = this.name();
          const value = s();
          const skel: IR = { kind: 'Let', bindings: [{ scope: 'eval', name, value: HOLE }], body: HOLE };
          return { kind: 'Let', bindings: [{ scope: 'eval', name, value }], body: s(envAt(skel, 1, env, [TFloat64])) };
        },
      ],
      [
        'ApplyAggOp',
        env.agg !== null ? 2 : 0,
        () => {
          const inner = envAt({ kind: 'ApplyAggOp', op: 'Sum', initArgs: [], seqArgs: [] }, 0, env, []);
          return { kind: 'ApplyAggOp', op: 'Sum', initArgs: [], seqArgs: [s(inner)] };
        },
      ],
    ]);
  }

  // ---- streams ----

  private streamLeaf(t: StreamType, env: Scope): ValueIR {
    const e = t.element;
    if (e.kind === 'Int32' && this.c.chance(0.5)) return this.smallRange();
    const arrays = namesWhere(env.eval, (u) => u.kind === 'Array' && typeEqual(u.element, e));
    const a: ValueIR =
      arrays.length > 0 && this.c.chance(0.5)
        ? { kind: 'Ref', name: this.c.pick(arrays) }
        : { kind: 'Literal', type: tArray(e), value: this.c.list(() => this.value(e), 5) };
    return { kind: 'ToStream', requiresMemoryManagement: false, a };
  }

  /** Literal bounds only, so no program loops for billions of steps. */
  private smallRange(): ValueIR {
    return {
      kind: 'StreamRange',
      errorId: this.errorId(),
      requiresMemoryManagement: this.c.chance(0.2),
      start: { kind: 'I32', value: this.c.int(6) - 2 },
      stop: { kind: 'I32', value: this.c.int(14) - 2 },
      step: { kind: 'I32', value: this.c.pick([1, 1, 1, 2, 3, -1]) },
    };
  }

  private stream(t: StreamType, env: Scope, d: number): ValueIR {
    if (!this.spend(d)) return this.streamLeaf(t, env);
    d -= 1;
    const e = t.element;
    const g = (u: Type, en: Scope = env) => this.gen(u, en, d);
    const isEntry =
      e.kind === 'Struct' && e.fields.length === 2 && e.fields[0]!.name === 'key' && e.fields[1]!.name === 'value';
    const elem = () => this.type(1);
    const bound = <N extends IR>(skel: N, i: number, slots: Slot[], u: Type) => g(u, envAt(skel, i, env, slots));
    return this.choose<ValueIR>([
      [null, this.leafWeight(d, 2), () => this.streamLeaf(t, env)],
      [
        'ToStream',
        3,
        () => {
          const source = this.c.weighted<Type>([
            [3, tArray(e)],
            [1, tSet(e)],
            ...(isEntry && e.kind === 'Struct' ? [[2, tDict(e.fields[0]!.type, e.fields[1]!.type)] as const] : []),
          ]);
          return { kind: 'ToStream', requiresMemoryManagement: this.c.chance(0.2), a: g(source) };
        },
      ],
      ['StreamRange', e.kind === 'Int32' ? 2 : 0, () => this.smallRange()],
      [
        'StreamMap',
        3,
        () => {
          const name = this.name();
          const s = tStream(elem());
          const a = g(s);
          const skel: IR = { kind: 'StreamMap', name, a: HOLE, body: HOLE };
          return { kind: 'StreamMap', name, a, body: bound(skel, 1, [s], e) };
        },
      ],
      [
        'StreamFilter',
        2,
        () => {
          const name = this.name();
          const a = g(t);
          const skel: IR = { kind: 'StreamFilter', name, a: HOLE, cond: HOLE };
          return { kind: 'StreamFilter', name, a, cond: bound(skel, 1, [t], TBoolean) };
        },
      ],
      [
        'StreamFlatMap',
        1.5,
        () => {
          const name = this.name();
          const s = tStream(elem());
          const a = g(s);
          const skel: IR = { kind: 'StreamFlatMap', name, a: HOLE, body: HOLE };
          return { kind: 'StreamFlatMap', name, a, body: bound(skel, 1, [s], t) };
        },
      ],
      [
        'StreamScan',
        1,
        () => {
          const [accum, name] = [this.name(), this.name()];
          const s = tStream(elem());
          const a = g(s);
          const zero = g(e);
          const skel: IR = { kind: 'StreamScan', accum, name, a: HOLE, zero: HOLE, body: HOLE };
          return { kind: 'StreamScan', accum, name, a, zero, body: bound(skel, 2, [s, e], e) };
        },
      ],
      ['StreamTake', 1, () => ({ kind: 'StreamTake', a: g(t), num: g(TInt32) })],
      ['StreamDrop', 1, () => ({ kind: 'StreamDrop', a: g(t), num: g(TInt32) })],
      [
        'StreamZip',
        2,
        () => {
          const streams = Array.from({ length: 1 + this.c.int(3) }, () => tStream(elem()));
          const names = streams.map(() => this.name());
          const behavior = this.c.pick(zipBehaviors);
          const errorId = this.errorId();
          const values = streams.map((s) => g(s));
          const skel: IR = { kind: 'StreamZip', errorId, behavior, names, streams: values, body: HOLE };
          const body = bound(skel, values.length, streams, e);
          return { kind: 'StreamZip', errorId, behavior, names, streams: values, body };
        },
      ],
      ['If', 0.5, () => ({ kind: 'If', cond: g(TBoolean), then: g(t), else: g(t) })],
      ['Let', 0.5, () => this.let(t, env, d)],
    ]);
  }

  // ---- tables ----

  private tableWrite(env: Scope, d: number): ValueIR {
    const writer: TableWriter = this.c.chance(0.5)
      ? { name: 'ParquetWriter', path: this.path() }
      : { name: 'DuckDBTableWriter', table: this.name() };
    const skel: IR = { kind: 'TableWrite', writer, child: TABLE_HOLE };
    return { kind: 'TableWrite', writer, child: this.table(envAt(skel, 0, env, []), d)[0] };
  }

  /** A key for `row`: distinct fields, in any order. */
  keyOf(row: StructType, max = 2): string[] {
    return this.c.shuffle(this.c.subset(row.fields.map((f) => f.name), 0.4)).slice(0, max);
  }

  tableType(): TableType {
    const row = this.structType(1, [], 5);
    return { row, key: this.keyOf(row), global: this.structType(1, [], 3) };
  }

  private tableLeaf(): TypedTable {
    return this.choose<TypedTable>([
      [null, 2, () => [this.tableRange([0, 1, 2, 3, 5, 10, 17]), rangeType]],
      ['TableRead', 1, () => this.tableRead(this.tableType())],
    ]);
  }

  /** A leaf table of type `tt`: a TableRead, or (TableRead excluded) literal rows keyed by `tt`'s key. */
  private tableLeafOfType(tt: TableType): TableIR {
    if (!this.o.exclude.has('TableRead')) return this.tableRead(tt)[0];
    const v = tStruct([
      ['rows', tArray(tt.row)],
      ['global', tt.global],
    ]);
    const value: Value = [this.c.list(() => this.value(tt.row), 2), this.value(tt.global)];
    const t: TableIR = { kind: 'TableParallelize', nPartitions: this.parts(), rowsAndGlobal: { kind: 'Literal', type: v, value } };
    return tt.key.length > 0 ? { kind: 'TableKeyBy', keys: tt.key, isSorted: false, nPartitions: this.parts(), child: t } : t;
  }

  private tableRead(type: TableType): TypedTable {
    const paths = () => this.c.list(() => this.path(), 3, 1);
    const reader: TableReader = this.c.pick<() => TableReader>([
      () => ({ name: 'DuckDBTableReader', table: this.name() }),
      () => ({ name: 'ParquetReader', paths: paths() }),
      () => ({ name: 'CSVReader', paths: paths() }),
    ])();
    return [{ kind: 'TableRead', type, dropRows: this.c.chance(0.2), reader }, type];
  }

  /** Any closed-over table program and its type. */
  table(env: Scope, d: number): TypedTable {
    if (!this.spend(d)) return this.tableLeaf();
    d -= 1;
    const child = (node: IR, i = 0) => this.table(envAt(node, i, env, []), d);
    return this.choose<TypedTable>([
      [null, this.leafWeight(d, 2), () => this.tableLeaf()],
      [
        'TableParallelize',
        1.5,
        () => {
          const tt: TableType = { row: this.structType(1, [], 4), key: [], global: this.structType(1, [], 3) };
          return [this.parallelize(tt, env, d), tt];
        },
      ],
      [
        'TableFilter',
        2,
        () => {
          const skel: IR = { kind: 'TableFilter', child: TABLE_HOLE, pred: HOLE };
          const [c, ct] = child(skel);
          return [{ kind: 'TableFilter', child: c, pred: this.gen(TBoolean, envAt(skel, 1, env, [ct]), d) }, ct];
        },
      ],
      ['TableMapRows', 3, () => this.mapRows(env, d)],
      [
        'TableMapGlobals',
        1.5,
        () => {
          const skel: IR = { kind: 'TableMapGlobals', child: TABLE_HOLE, newGlobal: HOLE };
          const [c, ct] = child(skel);
          const global = this.structType(1, [], 3);
          const newGlobal = this.gen(global, envAt(skel, 1, env, [ct]), d);
          return [{ kind: 'TableMapGlobals', child: c, newGlobal }, { ...ct, global }];
        },
      ],
      [
        'TableKeyBy',
        1.5,
        () => {
          const skel: IR = { kind: 'TableKeyBy', keys: [], isSorted: false, nPartitions: null, child: TABLE_HOLE };
          const [c, ct] = child(skel);
          const keys = this.keyOf(ct.row, 3);
          const isSorted = isPrefix(keys, ct.key) && this.c.chance(0.5);
          return [{ kind: 'TableKeyBy', keys, isSorted, nPartitions: this.parts(), child: c }, { ...ct, key: keys }];
        },
      ],
      [
        'TableOrderBy',
        1,
        () => {
          const [c, ct] = child({ kind: 'TableOrderBy', sortFields: [], child: TABLE_HOLE });
          const sortFields = this.sortFields(ct.row);
          return [{ kind: 'TableOrderBy', sortFields, child: c }, { ...ct, key: [] }];
        },
      ],
      [
        'TableAggregateByKey',
        1.5,
        () => {
          const skel: IR = { kind: 'TableAggregateByKey', child: TABLE_HOLE, expr: HOLE };
          const [c, ct] = child(skel);
          const e = this.structType(1, ct.key, 4);
          const expr = this.gen(e, envAt(skel, 1, env, [ct]), d);
          const row: StructType = { kind: 'Struct', fields: [...keyType(ct).fields, ...e.fields] };
          return [{ kind: 'TableAggregateByKey', child: c, expr }, { ...ct, row }];
        },
      ],
      [
        'TableKeyByAndAggregate',
        1.5,
        () => {
          const nPartitions = this.parts();
          const bufferSize = this.c.pick([50, 1, 5]);
          const skel: IR = {
            kind: 'TableKeyByAndAggregate',
            nPartitions,
            bufferSize,
            child: TABLE_HOLE,
            expr: HOLE,
            newKey: HOLE,
          };
          const [c, ct] = child(skel);
          const k = this.structType(1, [], 3, this.c.chance(0.9) ? 1 : 0);
          const e = this.structType(1, k.fields.map((f) => f.name), 4);
          const expr = this.gen(e, envAt(skel, 1, env, [ct]), d);
          const newKey = this.gen(k, envAt(skel, 2, env, [ct]), d);
          const tt: TableType = {
            row: { kind: 'Struct', fields: [...k.fields, ...e.fields] },
            key: k.fields.map((f) => f.name),
            global: ct.global,
          };
          return [{ kind: 'TableKeyByAndAggregate', nPartitions, bufferSize, child: c, expr, newKey }, tt];
        },
      ],
      ['TableJoin', 1.5, () => this.join(env, d)],
      ['TableLeftJoinRightDistinct', 1, () => this.leftJoinRightDistinct(env, d)],
      [
        'TableUnion',
        1,
        () => {
          const [c, ct] = child({ kind: 'TableUnion', children: [] });
          const others = this.c.list(
            () => this.tableOfType({ ...ct, global: this.c.chance(0.5) ? ct.global : this.structType(1) }, env, d),
            3,
            1,
          );
          return [{ kind: 'TableUnion', children: [c, ...others] }, ct];
        },
      ],
      [
        'TableHead',
        1,
        () => {
          const [c, ct] = child({ kind: 'TableHead', n: 0n, child: TABLE_HOLE });
          return [{ kind: 'TableHead', n: this.rowCount(), child: c }, ct];
        },
      ],
      [
        'TableTail',
        1,
        () => {
          const [c, ct] = child({ kind: 'TableTail', n: 0n, child: TABLE_HOLE });
          return [{ kind: 'TableTail', n: this.rowCount(), child: c }, ct];
        },
      ],
      ['TableExplode', 1, () => this.explode(env, d)],
      [
        'TableDistinct',
        1,
        () => {
          const [c, ct] = child({ kind: 'TableDistinct', child: TABLE_HOLE });
          return [{ kind: 'TableDistinct', child: c }, ct];
        },
      ],
      ['TableRename', 1, () => this.rename(env, d)],
      [
        'RelationalLetTable',
        0.7,
        () => {
          const name = this.name();
          const [value, vt] = this.any(env, d);
          const skel: IR = { kind: 'RelationalLetTable', name, value: HOLE, body: TABLE_HOLE };
          const [body, bt] = this.table(envAt(skel, 1, env, [vt]), d);
          return [{ kind: 'RelationalLetTable', name, value, body }, bt];
        },
      ],
    ]);
  }

  private tableRange(sizes: readonly number[]): TableIR {
    return { kind: 'TableRange', n: this.c.pick(sizes), nPartitions: this.parts() };
  }

  private sortFields(row: StructType): SortField[] {
    return this.c
      .shuffle(this.c.subset(row.fields, 0.5))
      .map((f) => ({ field: f.name, order: this.c.pick(['A', 'D'] as const) }));
  }

  private rowCount(): bigint {
    return this.c.pick([0n, 1n, 2n, 3n, 5n, 10n, 1000n, 2n ** 62n]);
  }

  private parallelize(tt: TableType, env: Scope, d: number): TableIR {
    const v = tStruct([
      ['rows', tArray(tt.row)],
      ['global', tt.global],
    ]);
    return { kind: 'TableParallelize', nPartitions: this.parts(), rowsAndGlobal: this.gen(v, env, d) };
  }

  private mapRows(env: Scope, d: number): TypedTable {
    const skel: IR = { kind: 'TableMapRows', child: TABLE_HOLE, newRow: HOLE };
    const [c, ct] = this.table(envAt(skel, 0, env, []), d);
    const inner = envAt(skel, 1, env, [ct]);
    const keys = keyType(ct).fields;
    const typed = this.choose<Typed>([
      [null, 1, () => {
        const extra = this.structType(1, ct.key, 3);
        const row: StructType = { kind: 'Struct', fields: this.c.shuffle([...keys, ...extra.fields]) };
        return [this.gen(row, inner, d), row];
      }],
      ['InsertFields', 2, () => this.insertFieldsFrom(refRow(), ct.row, ct.key, inner, d)],
      [
        'MakeStruct',
        1,
        () => {
          const extra = this.structType(1, ct.key, 3);
          const fields = this.c.shuffle([...keys, ...extra.fields]);
          const value = (f: StructField): ValueIR =>
            ct.key.includes(f.name) && this.c.chance(0.7)
              ? { kind: 'GetField', name: f.name, o: refRow() }
              : this.gen(f.type, inner, d);
          const made: ValueIR = { kind: 'MakeStruct', fields: fields.map((f) => ({ name: f.name, value: value(f) })) };
          return [made, { kind: 'Struct', fields }];
        },
      ],
    ]);
    return [{ kind: 'TableMapRows', child: c, newRow: typed[0] }, { ...ct, row: typed[1] as StructType }];
  }

  /** A table with a non-empty key. */
  private keyedTable(env: Scope, d: number): TypedTable {
    const [t, tt] = this.table(env, d);
    if (tt.key.length > 0) return [t, tt];
    if (tt.row.fields.length === 0) return [this.tableRange([0, 3, 7]), rangeType];
    const keys = this.c.shuffle(tt.row.fields.map((f) => f.name)).slice(0, 1 + this.c.int(2));
    return [{ kind: 'TableKeyBy', keys, isSorted: false, nPartitions: null, child: t }, { ...tt, key: keys }];
  }

  private join(env: Scope, d: number): TypedTable {
    const joinType = this.c.pick(joinTypes);
    const [l, lt] = this.keyedTable(env, d);
    const n = 1 + this.c.int(lt.key.length);
    const leftNames = lt.row.fields.map((f) => f.name);
    const joinFields: StructField[] = [];
    for (const k of lt.key.slice(0, n)) {
      const taken = joinFields.map((f) => f.name);
      const name = this.c.chance(0.5) && !taken.includes(k) ? k : this.names(1, taken)[0]!;
      joinFields.push({ name, type: lt.row.fields.find((f) => f.name === k)!.type });
    }
    const others = this.structType(1, [...leftNames, ...joinFields.map((f) => f.name)], 4);
    const extraKey = this.c.subset(others.fields, 0.3).slice(0, 1).map((f) => f.name);
    const rt: TableType = {
      row: { kind: 'Struct', fields: this.c.shuffle([...joinFields, ...others.fields]) },
      key: [...joinFields.map((f) => f.name), ...extraKey],
      global: this.structType(1, lt.global.fields.map((f) => f.name), 3),
    };
    const r = this.tableOfType(rt, env, d);
    const leftJoin = lt.key.slice(0, n);
    const rightJoin = rt.key.slice(0, n);
    const row: StructType = {
      kind: 'Struct',
      fields: [
        ...leftJoin.map((k) => lt.row.fields.find((f) => f.name === k)!),
        ...lt.row.fields.filter((f) => !leftJoin.includes(f.name)),
        ...rt.row.fields.filter((f) => !rightJoin.includes(f.name)),
      ],
    };
    const tt: TableType = {
      row,
      key: [...lt.key, ...rt.key.slice(n)],
      global: { kind: 'Struct', fields: [...lt.global.fields, ...rt.global.fields] },
    };
    return [{ kind: 'TableJoin', joinType, joinKey: n, left: l, right: r }, tt];
  }

  private leftJoinRightDistinct(env: Scope, d: number): TypedTable {
    const [l, lt] = this.keyedTable(env, d);
    const k = 1 + this.c.int(lt.key.length);
    const keyNames = this.names(k);
    const keyFields = keyType(lt).fields.slice(0, k).map((f, i) => ({ name: keyNames[i]!, type: f.type }));
    const values = this.structType(1, keyNames, 3);
    const rt: TableType = {
      row: { kind: 'Struct', fields: this.c.shuffle([...keyFields, ...values.fields]) },
      key: keyNames,
      global: this.structType(1, [], 2),
    };
    const r = this.tableOfType(rt, env, d);
    const root = this.names(1, lt.row.fields.map((f) => f.name))[0]!;
    const nested: StructType = { kind: 'Struct', fields: rt.row.fields.filter((f) => !keyNames.includes(f.name)) };
    const tt: TableType = { ...lt, row: { kind: 'Struct', fields: [...lt.row.fields, { name: root, type: nested }] } };
    return [{ kind: 'TableLeftJoinRightDistinct', root, left: l, right: r }, tt];
  }

  private explode(env: Scope, d: number): TypedTable {
    let [t, tt] = this.table(env, d);
    const paths: string[][] = [];
    const walk = (s: StructType, prefix: string[]) => {
      for (const f of s.fields) {
        if (prefix.length === 0 && tt.key.includes(f.name)) continue;
        if (f.type.kind === 'Array' || f.type.kind === 'Set') paths.push([...prefix, f.name]);
        else if (f.type.kind === 'Struct') walk(f.type, [...prefix, f.name]);
      }
    };
    walk(tt.row, []);
    if (paths.length === 0 || this.c.chance(0.3)) {
      // Give the table something to explode: a new (possibly nested) array or set field.
      const name = this.names(1, tt.row.fields.map((f) => f.name))[0]!;
      const e = this.type(1);
      const leafType = this.c.chance(0.7) ? tArray(e) : tSet(e);
      const inner = this.c.chance(0.3) ? this.name() : null;
      const type = inner === null ? leafType : tStruct([[inner, leafType]]);
      const skel: IR = { kind: 'TableMapRows', child: TABLE_HOLE, newRow: HOLE };
      const value = this.gen(type, envAt(skel, 1, env, [tt]), d);
      const newRow: ValueIR = { kind: 'InsertFields', old: refRow(), fieldOrder: null, fields: [{ name, value }] };
      t = { kind: 'TableMapRows', child: t, newRow };
      tt = { ...tt, row: insertFieldsType(tt.row, [{ name, type }], null) };
      paths.length = 0;
      paths.push(inner === null ? [name] : [name, inner]);
    }
    const path = this.c.pick(paths);
    const replace = (s: StructType, i: number): StructType => ({
      kind: 'Struct',
      fields: s.fields.map((f) => {
        if (f.name !== path[i]) return f;
        if (i === path.length - 1) return { name: f.name, type: elementType(f.type)! };
        return { name: f.name, type: replace(f.type as StructType, i + 1) };
      }),
    });
    return [{ kind: 'TableExplode', path, child: t }, { ...tt, row: replace(tt.row, 0) }];
  }

  private rename(env: Scope, d: number): TypedTable {
    const [t, tt] = this.table(env, d);
    const renames = (s: StructType): [string, string][] => {
      const olds = this.c.subset(s.fields.map((f) => f.name), 0.4);
      const news = this.names(olds.length, s.fields.map((f) => f.name));
      return olds.map((o, i) => [o, news[i]!]);
    };
    const rowMap = renames(tt.row);
    const globalMap = renames(tt.global);
    const apply = (m: [string, string][], n: string) => m.find(([o]) => o === n)?.[1] ?? n;
    const applyStruct = (m: [string, string][], s: StructType): StructType => ({
      kind: 'Struct',
      fields: s.fields.map((f) => ({ name: apply(m, f.name), type: f.type })),
    });
    const out: TableType = {
      row: applyStruct(rowMap, tt.row),
      key: tt.key.map((k) => apply(rowMap, k)),
      global: applyStruct(globalMap, tt.global),
    };
    return [{ kind: 'TableRename', rowMap, globalMap, child: t }, out];
  }

  /** A table program of exactly type `tt`. */
  tableOfType(tt: TableType, env: Scope, d: number): TableIR {
    if (!this.spend(d)) return this.tableLeafOfType(tt);
    d -= 1;
    const same = () => this.tableOfType(tt, env, d);
    const keyed = (t: TableIR): TableIR =>
      tt.key.length > 0 || this.c.chance(0.3)
        ? { kind: 'TableKeyBy', keys: tt.key, isSorted: false, nPartitions: this.parts(), child: t }
        : t;
    return this.choose<TableIR>([
      [null, 1, () => this.tableLeafOfType(tt)],
      ['TableParallelize', 2, () => keyed(this.parallelize({ ...tt, key: [] }, env, d))],
      [
        'TableMapRows',
        2,
        () => {
          const [c, ct] = this.table(env, d);
          let t: TableIR = ct.key.length > 0 ? unkey(c) : c;
          const unkeyed: TableType = { ...ct, key: [] };
          const rows: IR = { kind: 'TableMapRows', child: TABLE_HOLE, newRow: HOLE };
          t = { kind: 'TableMapRows', child: t, newRow: this.gen(tt.row, envAt(rows, 1, env, [unkeyed]), d) };
          if (!typeEqual(ct.global, tt.global) || this.c.chance(0.3)) {
            const globals: IR = { kind: 'TableMapGlobals', child: TABLE_HOLE, newGlobal: HOLE };
            const newGlobal = this.gen(tt.global, envAt(globals, 1, env, [{ ...unkeyed, row: tt.row }]), d);
            t = { kind: 'TableMapGlobals', child: t, newGlobal };
          }
          return keyed(t);
        },
      ],
      [
        'TableFilter',
        1,
        () => {
          const skel: IR = { kind: 'TableFilter', child: TABLE_HOLE, pred: HOLE };
          return { kind: 'TableFilter', child: same(), pred: this.gen(TBoolean, envAt(skel, 1, env, [tt]), d) };
        },
      ],
      ['TableHead', 0.7, () => ({ kind: 'TableHead', n: this.rowCount(), child: same() })],
      ['TableTail', 0.7, () => ({ kind: 'TableTail', n: this.rowCount(), child: same() })],
      ['TableDistinct', 0.7, () => ({ kind: 'TableDistinct', child: same() })],
      [
        'TableUnion',
        0.7,
        () => ({
          kind: 'TableUnion',
          children: [same(), ...this.c.list(() => this.tableOfType({ ...tt, global: this.structType(1) }, env, d), 2)],
        }),
      ],
      [
        'TableKeyBy',
        1,
        () => {
          const child = this.tableOfType({ ...tt, key: this.keyOf(tt.row) }, env, d);
          return { kind: 'TableKeyBy', keys: tt.key, isSorted: false, nPartitions: this.parts(), child };
        },
      ],
      [
        'TableOrderBy',
        tt.key.length === 0 ? 1 : 0,
        () => {
          const child = this.tableOfType({ ...tt, key: this.keyOf(tt.row) }, env, d);
          const sortFields = this.sortFields(tt.row);
          return { kind: 'TableOrderBy', sortFields, child };
        },
      ],
      [
        'TableMapGlobals',
        1,
        () => {
          const inner: TableType = { ...tt, global: this.structType(1, [], 3) };
          const skel: IR = { kind: 'TableMapGlobals', child: TABLE_HOLE, newGlobal: HOLE };
          const child = this.tableOfType(inner, env, d);
          return { kind: 'TableMapGlobals', child, newGlobal: this.gen(tt.global, envAt(skel, 1, env, [inner]), d) };
        },
      ],
      [
        'TableRename',
        1,
        () => {
          // Rename some fields from fresh old names to the wanted ones.
          const back = (s: StructType, avoid: string[]): [string, string][] => {
            const wanted = this.c.subset(s.fields.map((f) => f.name), 0.4);
            const olds = this.names(wanted.length, [...avoid, ...s.fields.map((f) => f.name)]);
            return wanted.map((w, i) => [olds[i]!, w]);
          };
          const rowMap = back(tt.row, []);
          const globalMap = back(tt.global, []);
          const undo = (m: [string, string][], n: string) => m.find(([, w]) => w === n)?.[0] ?? n;
          const undoStruct = (m: [string, string][], s: StructType): StructType => ({
            kind: 'Struct',
            fields: s.fields.map((f) => ({ name: undo(m, f.name), type: f.type })),
          });
          const inner: TableType = {
            row: undoStruct(rowMap, tt.row),
            key: tt.key.map((k) => undo(rowMap, k)),
            global: undoStruct(globalMap, tt.global),
          };
          return { kind: 'TableRename', rowMap, globalMap, child: this.tableOfType(inner, env, d) };
        },
      ],
      [
        'RelationalLetTable',
        0.5,
        () => {
          const name = this.name();
          const [value, vt] = this.any(env, d);
          const skel: IR = { kind: 'RelationalLetTable', name, value: HOLE, body: TABLE_HOLE };
          return { kind: 'RelationalLetTable', name, value, body: this.tableOfType(tt, envAt(skel, 1, env, [vt]), d) };
        },
      ],
    ]);
  }

  // ---- programs ----

  topType(): Type {
    return this.c.chance(0.06) ? TVoid : this.type(3);
  }

  valueProgram(): ValueIR {
    if (this.c.chance(0.2)) return this.any(emptyEnv(), this.o.maxDepth)[0];
    return this.gen(this.topType(), emptyEnv(), this.o.maxDepth);
  }

  tableProgram(): TableIR {
    return this.table(emptyEnv(), this.o.maxDepth)[0];
  }

  program(): IR {
    return this.c.chance(0.4) ? this.tableProgram() : this.valueProgram();
  }
}

// ---- arbitraries --------------------------------------------------------------------------------

function arb<X>(opts: GenOptions | undefined, f: (g: Gen) => X): fc.Arbitrary<X> {
  const o = resolveOptions(opts);
  return new ChoiceArbitrary((c) => f(new Gen(c, o)));
}

/** Value types (no Stream), nested up to three levels; Void only at the top. */
export function arbType(opts?: GenOptions): fc.Arbitrary<Type> {
  return arb(opts, (g) => g.topType());
}

/** Table types: a row struct, a key of distinct row fields, a global struct. */
export function arbTableType(opts?: GenOptions): fc.Arbitrary<TableType> {
  return arb(opts, (g) => g.tableType());
}

/** A runtime value of type `t` (src/ir/value.ts representation; `null` is missing). */
export function arbValue(t: Type, opts?: GenOptions): fc.Arbitrary<Value> {
  return arb(opts, (g) => g.value(t));
}

/** A closed, well-typed value program of any type. */
export function arbValueIR(opts?: GenOptions): fc.Arbitrary<ValueIR> {
  return arb(opts, (g) => g.valueProgram());
}

/** A closed, well-typed value program of type `t`. */
export function arbValueIROfType(t: Type, opts?: GenOptions): fc.Arbitrary<ValueIR> {
  return arb(opts, (g) => g.gen(t, emptyEnv(), resolveOptions(opts).maxDepth));
}

/** A closed, well-typed table program. */
export function arbTableIR(opts?: GenOptions): fc.Arbitrary<TableIR> {
  return arb(opts, (g) => g.tableProgram());
}

/** A closed, well-typed table program of type `tt`. */
export function arbTableIROfType(tt: TableType, opts?: GenOptions): fc.Arbitrary<TableIR> {
  return arb(opts, (g) => g.tableOfType(tt, emptyEnv(), resolveOptions(opts).maxDepth));
}

/** A value program (60%) or a table program. */
export function arbProgram(opts?: GenOptions): fc.Arbitrary<IR> {
  return arb<IR>(opts, (g) => g.program());
}
