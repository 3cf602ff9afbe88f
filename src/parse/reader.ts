// The production parser: tokens -> IR, on an explicit stack.
//
// Each node form is a small generator in `forms`: it reads its header attributes directly and
// `yield`s whenever it needs a child node; the driver parses that child and resumes it. Nesting
// therefore lives in the driver's array, not on the JavaScript call stack, and a program
// 100,000 levels deep reads like a flat one. `src/parse/ir.ohm` is the same syntax as a grammar
// (the reference parser); tests check the two agree.

import type { CodeName } from '../diagnostics/codes.js';
import { diagnostic, UserError } from '../diagnostics/diagnostic.js';
import { nearest } from '../diagnostics/suggest.js';
import * as N from '../ir/nodes.js';
import type { IR, Kind, TableIR, ValueIR } from '../ir/nodes.js';
import {
  primitive,
  tArray,
  tDict,
  tSet,
  tStream,
  tTupleFields,
  type StructType,
  type TableType,
  type Type,
  type TupleField,
} from '../ir/types.js';
import { decodeJson, INT64_MAX, INT64_MIN, ValueError } from '../ir/value.js';
import { forEachNode } from '../ir/walk.js';
import { Tok, tokenize, tokenNames, unquote, type Tokens } from './lexer.js';

/** Deepest node nesting accepted; deeper input gets `IRC1014` rather than exhausting memory. */
export const MAX_NESTING = 100_000;
/** Deepest type nesting accepted (types are read recursively). */
export const MAX_TYPE_NESTING = 500;

interface Need {
  readonly table: boolean;
}
const V: Need = { table: false };
const T: Need = { table: true };
type Gen = Generator<Need, IR, IR>;

// ---- token cursor ----------------------------------------------------------------------------

export class Reader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly toks: Tokens,
  ) {}

  peek(): Tok {
    return this.toks.kinds[this.pos] as Tok;
  }
  tokenText(i = this.pos): string {
    return this.text.slice(this.toks.starts[i], this.toks.ends[i]);
  }
  describe(i = this.pos): string {
    const k = this.toks.kinds[i] as Tok;
    if (k !== Tok.Ident && k !== Tok.Quoted && k !== Tok.Int && k !== Tok.Float && k !== Tok.String) return tokenNames[k];
    const t = this.tokenText(i);
    return `${tokenNames[k]} ${t.length > 40 ? t.slice(0, 37) + '...' : t}`;
  }
  fail(name: CodeName, message: string, hint?: string, at = this.pos): never {
    throw new UserError([diagnostic(name, { start: this.toks.starts[at]!, end: this.toks.ends[at]! }, message, hint)]);
  }
  failSpan(name: CodeName, start: number, end: number, message: string, hint?: string): never {
    throw new UserError([diagnostic(name, { start, end }, message, hint)]);
  }
  expected(what: string, hint?: string): never {
    if (this.peek() === Tok.End) this.fail('unexpectedEnd', `expected ${what} but the input ended`, hint ?? 'a closing parenthesis may be missing');
    return this.fail('unexpectedToken', `expected ${what} but found ${this.describe()}`, hint);
  }
  punct(k: Tok): void {
    if (this.peek() !== k) this.expected(tokenNames[k]);
    this.pos++;
  }
  atClose(): boolean {
    return this.peek() === Tok.RParen;
  }
  isWord(w: string): boolean {
    return this.peek() === Tok.Ident && this.tokenText() === w;
  }

  /** An identifier, plain or backticked. */
  name(what = 'a name'): string {
    const k = this.peek();
    if (k === Tok.Ident) return this.tokenText(this.pos++);
    if (k === Tok.Quoted) {
      const i = this.pos++;
      return unquote(this.text, this.toks.starts[i]!, this.toks.ends[i]!);
    }
    return this.expected(what);
  }
  word(): string {
    if (this.peek() !== Tok.Ident) this.expected('an identifier');
    return this.tokenText(this.pos++);
  }
  oneOf<W extends string>(words: readonly W[], what: string): W {
    const at = this.pos;
    const w = this.name(what);
    if (!(words as readonly string[]).includes(w)) {
      this.fail('unknownOperator', `unknown ${what} '${w}'`, `expected one of: ${words.join(', ')}`, at);
    }
    return w as W;
  }
  bool(): boolean {
    if (this.isWord('True')) {
      this.pos++;
      return true;
    }
    if (this.isWord('False')) {
      this.pos++;
      return false;
    }
    return this.expected('True or False');
  }
  private integer(): bigint {
    if (this.peek() !== Tok.Int) this.expected('an integer');
    return BigInt(this.tokenText(this.pos++));
  }
  int32(): number {
    const at = this.pos;
    const v = this.integer();
    if (v < -2147483648n || v > 2147483647n) this.fail('numberOutOfRange', `${v} is outside the Int32 range`, 'use I64 for larger integers', at);
    return Number(v);
  }
  int64(): bigint {
    const at = this.pos;
    const v = this.integer();
    if (v < INT64_MIN || v > INT64_MAX) this.fail('numberOutOfRange', `${v} is outside the Int64 range`, undefined, at);
    return v;
  }
  float64(): number {
    const k = this.peek();
    if (k === Tok.Float || k === Tok.Int) {
      const t = this.tokenText(this.pos++);
      // An integer read as a float is a whole number first, as in Hail: `-0` is 0.0, not -0.0.
      return t === '-inf' ? -Infinity : k === Tok.Int ? Number(t) + 0 : Number(t);
    }
    if (k === Tok.Ident) {
      const w = this.tokenText();
      const x = w === 'nan' ? NaN : w === 'inf' ? Infinity : w === 'neginf' ? -Infinity : undefined;
      if (x !== undefined) {
        this.pos++;
        return x;
      }
    }
    return this.expected('a float', 'floats look like 1.5, -2e-3, nan, inf or neginf');
  }
  float32(): number {
    const at = this.pos;
    const x = this.float64();
    // Out of range means it would round to infinity; the shortest text of the largest float32
    // (3.4028235e38) is itself a little above it as a float64.
    if (Number.isFinite(x) && !Number.isFinite(Math.fround(x))) this.fail('numberOutOfRange', `${this.tokenText(at)} is outside the Float32 range`, undefined, at);
    return Math.fround(x);
  }
  string(): string {
    if (this.peek() !== Tok.String) this.expected('a string');
    const i = this.pos++;
    return unquote(this.text, this.toks.starts[i]!, this.toks.ends[i]!);
  }
  /** `None`, or what `f` reads. */
  opt<X>(f: () => X): X | null {
    if (this.isWord('None')) {
      this.pos++;
      return null;
    }
    return f();
  }
  /** `( f* )` */
  list<X>(f: () => X): X[] {
    this.punct(Tok.LParen);
    const xs: X[] = [];
    while (!this.atClose()) xs.push(f());
    this.pos++;
    return xs;
  }

  type(depth = 0): Type {
    if (depth > MAX_TYPE_NESTING) this.fail('tooDeep', `type nested deeper than ${MAX_TYPE_NESTING} levels`);
    if (this.peek() === Tok.Plus) this.pos++; // requiredness marker: accepted, ignored
    const at = this.pos;
    const w = this.peek() === Tok.Ident ? this.word() : this.expected('a type');
    const inner = (open: Tok, close: Tok, f: () => void) => {
      this.punct(open);
      if (this.peek() !== close) {
        f();
        while (this.peek() === Tok.Comma) {
          this.pos++;
          f();
        }
      }
      this.punct(close);
    };
    switch (w) {
      case 'Boolean':
      case 'Int32':
      case 'Int64':
      case 'Float32':
      case 'Float64':
      case 'String':
      case 'Void':
        return primitive(w);
      case 'Int':
        return primitive('Int32');
      case 'Array':
      case 'Stream':
      case 'Set': {
        this.punct(Tok.LBracket);
        const e = this.type(depth + 1);
        this.punct(Tok.RBracket);
        return w === 'Array' ? tArray(e) : w === 'Stream' ? tStream(e) : tSet(e);
      }
      case 'Dict': {
        this.punct(Tok.LBracket);
        const k = this.type(depth + 1);
        this.punct(Tok.Comma);
        const v = this.type(depth + 1);
        this.punct(Tok.RBracket);
        return tDict(k, v);
      }
      case 'Tuple': {
        const fields: TupleField[] = [];
        inner(Tok.LBracket, Tok.RBracket, () => fields.push({ index: fields.length, type: this.type(depth + 1) }));
        return tTupleFields(fields);
      }
      case 'TupleSubset': {
        const fields: TupleField[] = [];
        inner(Tok.LBracket, Tok.RBracket, () => {
          const index = this.int32();
          this.punct(Tok.Colon);
          fields.push({ index, type: this.type(depth + 1) });
        });
        return tTupleFields(fields);
      }
      case 'Struct': {
        const fields: { name: string; type: Type }[] = [];
        inner(Tok.LBrace, Tok.RBrace, () => {
          const name = this.name('a field name');
          this.punct(Tok.Colon);
          fields.push({ name, type: this.type(depth + 1) });
        });
        return { kind: 'Struct', fields };
      }
      default:
        return this.fail('unknownType', `unknown type '${w}'`, hintFor(w, typeNames, 'types are'), at);
    }
  }

  struct(what: string): StructType {
    const at = this.pos;
    const t = this.type();
    if (t.kind !== 'Struct') this.fail('unexpectedToken', `the ${what} type must be a Struct`, undefined, at);
    return t as StructType;
  }

  tableType(): TableType {
    const at = this.pos;
    if (!this.isWord('Table')) this.expected('a table type Table{global:...,key:[...],row:...}');
    this.pos++;
    this.punct(Tok.LBrace);
    const label = (w: string) => {
      if (!this.isWord(w)) this.expected(`'${w}'`);
      this.pos++;
      this.punct(Tok.Colon);
    };
    label('global');
    const global = this.struct('global');
    this.punct(Tok.Comma);
    label('key');
    const key = this.opt(() => {
      const ks: string[] = [];
      this.punct(Tok.LBracket);
      if (this.peek() !== Tok.RBracket) {
        ks.push(this.name('a key field'));
        while (this.peek() === Tok.Comma) {
          this.pos++;
          ks.push(this.name('a key field'));
        }
      }
      this.punct(Tok.RBracket);
      return ks;
    }) ?? [];
    this.punct(Tok.Comma);
    label('row');
    const row = this.struct('row');
    this.punct(Tok.RBrace);
    void at;
    return { global, key, row };
  }
}

const typeNames = ['Boolean', 'Int32', 'Int64', 'Int', 'Float32', 'Float64', 'String', 'Void', 'Array', 'Stream', 'Set', 'Dict', 'Tuple', 'TupleSubset', 'Struct'];

/** "did you mean X?" when a known word is close, else the list of known words. */
export function hintFor(w: string, known: readonly string[], listIntro: string): string {
  const near = nearest(w, known, true);
  return near !== undefined ? `did you mean '${near}'?` : `${listIntro}: ${known.join(', ')}`;
}

// ---- readers and writers [ext] ---------------------------------------------------------------

function objectOf(r: Reader, at: number, text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return r.fail('badReaderWriter', `the ${what} is not valid JSON: ${(e as Error).message}`, undefined, at);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) r.fail('badReaderWriter', `the ${what} must be a JSON object`, undefined, at);
  return v as Record<string, unknown>;
}

function exactFields(r: Reader, at: number, o: Record<string, unknown>, fields: Record<string, 'string' | 'strings'>, what: string): void {
  const allowed = ['name', ...Object.keys(fields)];
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) r.fail('badReaderWriter', `the ${what} has an unknown field ${JSON.stringify(k)}`, `its fields are: ${allowed.join(', ')}`, at);
  }
  for (const [k, t] of Object.entries(fields)) {
    const v = o[k];
    const ok = t === 'string' ? typeof v === 'string' : Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!ok) r.fail('badReaderWriter', `the ${what} needs field ${JSON.stringify(k)} as ${t === 'string' ? 'a string' : 'an array of strings'}`, undefined, at);
  }
}

function readTableReader(r: Reader): N.TableReader {
  const at = r.pos;
  const o = objectOf(r, at, r.string(), 'reader');
  switch (o.name) {
    case 'DuckDBTableReader':
      exactFields(r, at, o, { table: 'string' }, o.name);
      return { name: o.name, table: o.table as string };
    case 'ParquetReader':
    case 'CSVReader':
      exactFields(r, at, o, { paths: 'strings' }, o.name);
      return { name: o.name, paths: o.paths as string[] };
    default:
      return r.fail('badReaderWriter', `unknown reader ${JSON.stringify(o.name)}`, 'readers: DuckDBTableReader, ParquetReader, CSVReader', at);
  }
}

function readTableWriter(r: Reader): N.TableWriter {
  const at = r.pos;
  const o = objectOf(r, at, r.string(), 'writer');
  switch (o.name) {
    case 'ParquetWriter':
      exactFields(r, at, o, { path: 'string' }, o.name);
      return { name: o.name, path: o.path as string };
    case 'DuckDBTableWriter':
      exactFields(r, at, o, { table: 'string' }, o.name);
      return { name: o.name, table: o.table as string };
    default:
      return r.fail('badReaderWriter', `unknown writer ${JSON.stringify(o.name)}`, 'writers: ParquetWriter, DuckDBTableWriter', at);
  }
}

// ---- node forms --------------------------------------------------------------------------------

interface Form {
  /** The written form, shown in hints. */
  readonly usage: string;
  readonly read: (r: Reader) => Gen;
}

const leaf = (usage: string, f: (r: Reader) => IR): Form => ({
  usage,
  // eslint-disable-next-line require-yield
  read: function* (r) {
    return f(r);
  },
});

function* valuesUntilClose(r: Reader): Generator<Need, ValueIR[], IR> {
  const xs: ValueIR[] = [];
  while (!r.atClose()) xs.push((yield V) as ValueIR);
  return xs;
}
function* valueGroup(r: Reader): Generator<Need, ValueIR[], IR> {
  r.punct(Tok.LParen);
  const xs = yield* valuesUntilClose(r);
  r.pos++;
  return xs;
}
function* namedValues(r: Reader): Generator<Need, N.NamedValue[], IR> {
  const fs: N.NamedValue[] = [];
  while (!r.atClose()) {
    r.punct(Tok.LParen);
    const name = r.name('a field name');
    const value = (yield V) as ValueIR;
    r.punct(Tok.RParen);
    fs.push({ name, value });
  }
  return fs;
}

const unary = <K extends Kind>(kind: K, usage: string): Form => ({
  usage,
  read: function* () {
    const a = (yield V) as ValueIR;
    return { kind, a } as unknown as IR;
  },
});
const tableToValue = (kind: 'TableCount' | 'TableCollect' | 'TableGetGlobals'): Form => ({
  usage: `(${kind} table)`,
  read: function* () {
    return { kind, child: (yield T) as TableIR };
  },
});
const tableToTable = (kind: 'TableDistinct'): Form => ({
  usage: `(${kind} table)`,
  read: function* () {
    return { kind, child: (yield T) as TableIR };
  },
});

const forms: { readonly [K in Kind]: Form } = {
  I32: leaf('(I32 n)', (r) => ({ kind: 'I32', value: r.int32() })),
  I64: leaf('(I64 n)', (r) => ({ kind: 'I64', value: r.int64() })),
  F32: leaf('(F32 x)', (r) => ({ kind: 'F32', value: r.float32() })),
  F64: leaf('(F64 x)', (r) => ({ kind: 'F64', value: r.float64() })),
  Str: leaf('(Str "s")', (r) => ({ kind: 'Str', value: r.string() })),
  True: leaf('(True)', () => ({ kind: 'True' })),
  False: leaf('(False)', () => ({ kind: 'False' })),
  Void: leaf('(Void)', () => ({ kind: 'Void' })),
  NA: leaf('(NA type)', (r) => ({ kind: 'NA', type: r.type() })),
  Literal: leaf('(Literal type "json")', (r) => {
    const type = r.type();
    const at = r.pos;
    const json = r.string();
    try {
      return { kind: 'Literal', type, value: decodeJson(type, json) };
    } catch (e) {
      if (e instanceof ValueError) return r.fail('badLiteral', `Literal does not match its type: ${e.message}`, undefined, at);
      throw e;
    }
  }),
  Cast: {
    usage: '(Cast type value)',
    read: function* (r) {
      const type = r.type();
      return { kind: 'Cast', type, value: (yield V) as ValueIR };
    },
  },
  IsNA: {
    usage: '(IsNA value)',
    read: function* () {
      return { kind: 'IsNA', value: (yield V) as ValueIR };
    },
  },
  Coalesce: {
    usage: '(Coalesce value ...)',
    read: function* (r) {
      const values = yield* valuesUntilClose(r);
      if (values.length === 0) r.fail('arityMismatch', 'Coalesce needs at least one argument');
      return { kind: 'Coalesce', values };
    },
  },
  If: {
    usage: '(If cond then else)',
    read: function* () {
      const cond = (yield V) as ValueIR;
      const then = (yield V) as ValueIR;
      return { kind: 'If', cond, then, else: (yield V) as ValueIR };
    },
  },
  Switch: {
    usage: '(Switch x default case0 case1 ...)',
    read: function* (r) {
      const x = (yield V) as ValueIR;
      const d = (yield V) as ValueIR;
      return { kind: 'Switch', x, default: d, cases: yield* valuesUntilClose(r) };
    },
  },
  Let: {
    usage: '(Let eval x agg y ... v1 v2 ... body)',
    read: function* (r) {
      const heads: { scope: N.Scope; name: string }[] = [];
      while (r.peek() === Tok.Ident || r.peek() === Tok.Quoted) {
        const scope = r.oneOf(['eval', 'agg', 'scan'] as const, 'binding scope');
        heads.push({ scope, name: r.name('a binding name') });
      }
      const bindings: N.Binding[] = [];
      for (const h of heads) bindings.push({ scope: h.scope, name: h.name, value: (yield V) as ValueIR });
      return { kind: 'Let', bindings, body: (yield V) as ValueIR };
    },
  },
  AggLet: {
    usage: '(AggLet name isScan value body)',
    read: function* (r) {
      const name = r.name();
      const isScan = r.bool();
      const value = (yield V) as ValueIR;
      return { kind: 'AggLet', name, isScan, value, body: (yield V) as ValueIR };
    },
  },
  Ref: leaf('(Ref name)', (r) => ({ kind: 'Ref', name: r.name() })),
  ApplyBinaryPrimOp: {
    usage: '(ApplyBinaryPrimOp Op l r)',
    read: function* (r) {
      const op = r.oneOf(N.binaryOps, 'binary operator');
      const l = (yield V) as ValueIR;
      return { kind: 'ApplyBinaryPrimOp', op, l, r: (yield V) as ValueIR };
    },
  },
  ApplyUnaryPrimOp: {
    usage: '(ApplyUnaryPrimOp Op x)',
    read: function* (r) {
      const op = r.oneOf(N.unaryOps, 'unary operator');
      return { kind: 'ApplyUnaryPrimOp', op, x: (yield V) as ValueIR };
    },
  },
  ApplyComparisonOp: {
    usage: '(ApplyComparisonOp Op l r)',
    read: function* (r) {
      const op = r.oneOf(N.comparisonOps, 'comparison operator');
      const l = (yield V) as ValueIR;
      return { kind: 'ApplyComparisonOp', op, l, r: (yield V) as ValueIR };
    },
  },
  MakeStruct: {
    usage: '(MakeStruct (name value) ...)',
    read: function* (r) {
      return { kind: 'MakeStruct', fields: yield* namedValues(r) };
    },
  },
  InsertFields: {
    usage: '(InsertFields old None|("f" ...) (name value) ...)',
    read: function* (r) {
      const old = (yield V) as ValueIR;
      const fieldOrder = r.opt(() => r.list(() => r.string()));
      return { kind: 'InsertFields', old, fieldOrder, fields: yield* namedValues(r) };
    },
  },
  SelectFields: {
    usage: '(SelectFields (a b ...) old)',
    read: function* (r) {
      const fields = r.list(() => r.name('a field name'));
      return { kind: 'SelectFields', fields, old: (yield V) as ValueIR };
    },
  },
  GetField: {
    usage: '(GetField name struct)',
    read: function* (r) {
      const name = r.name('a field name');
      return { kind: 'GetField', name, o: (yield V) as ValueIR };
    },
  },
  MakeTuple: {
    usage: '(MakeTuple (0 1 ...) x y ...)',
    read: function* (r) {
      const indices = r.list(() => r.int32());
      const values = yield* valuesUntilClose(r);
      if (values.length !== indices.length) {
        r.fail('arityMismatch', `MakeTuple has ${indices.length} indices but ${values.length} values`);
      }
      return { kind: 'MakeTuple', indices, values };
    },
  },
  GetTupleElement: {
    usage: '(GetTupleElement i tuple)',
    read: function* (r) {
      const index = r.int32();
      return { kind: 'GetTupleElement', index, o: (yield V) as ValueIR };
    },
  },
  MakeArray: {
    usage: '(MakeArray Array[T]|None x ...)',
    read: function* (r) {
      const at = r.pos;
      const type = r.opt(() => r.type());
      if (type !== null && type.kind !== 'Array') r.fail('unexpectedToken', 'the MakeArray type must be an Array type', undefined, at);
      return { kind: 'MakeArray', type: type as N.MakeArray['type'], values: yield* valuesUntilClose(r) };
    },
  },
  ArrayRef: {
    usage: '(ArrayRef errorId array index)',
    read: function* (r) {
      const errorId = r.int32();
      const a = (yield V) as ValueIR;
      return { kind: 'ArrayRef', errorId, a, i: (yield V) as ValueIR };
    },
  },
  ArrayLen: unary('ArrayLen', '(ArrayLen array)'),
  ArraySort: {
    usage: '(ArraySort left right stream lessThan)',
    read: function* (r) {
      const left = r.name();
      const right = r.name();
      const a = (yield V) as ValueIR;
      return { kind: 'ArraySort', left, right, a, lessThan: (yield V) as ValueIR };
    },
  },
  ToArray: unary('ToArray', '(ToArray stream)'),
  ToStream: {
    usage: '(ToStream requiresMemoryManagement collection)',
    read: function* (r) {
      const requiresMemoryManagement = r.bool();
      return { kind: 'ToStream', requiresMemoryManagement, a: (yield V) as ValueIR };
    },
  },
  ToSet: unary('ToSet', '(ToSet stream)'),
  ToDict: unary('ToDict', '(ToDict stream)'),
  StreamRange: {
    usage: '(StreamRange errorId requiresMemoryManagement start stop step)',
    read: function* (r) {
      const errorId = r.int32();
      const requiresMemoryManagement = r.bool();
      const start = (yield V) as ValueIR;
      const stop = (yield V) as ValueIR;
      return { kind: 'StreamRange', errorId, requiresMemoryManagement, start, stop, step: (yield V) as ValueIR };
    },
  },
  StreamMap: {
    usage: '(StreamMap name stream body)',
    read: function* (r) {
      const name = r.name();
      const a = (yield V) as ValueIR;
      return { kind: 'StreamMap', name, a, body: (yield V) as ValueIR };
    },
  },
  StreamFilter: {
    usage: '(StreamFilter name stream cond)',
    read: function* (r) {
      const name = r.name();
      const a = (yield V) as ValueIR;
      return { kind: 'StreamFilter', name, a, cond: (yield V) as ValueIR };
    },
  },
  StreamFlatMap: {
    usage: '(StreamFlatMap name stream body)',
    read: function* (r) {
      const name = r.name();
      const a = (yield V) as ValueIR;
      return { kind: 'StreamFlatMap', name, a, body: (yield V) as ValueIR };
    },
  },
  StreamFold: {
    usage: '(StreamFold accum name stream zero body)',
    read: function* (r) {
      const accum = r.name();
      const name = r.name();
      const a = (yield V) as ValueIR;
      const zero = (yield V) as ValueIR;
      return { kind: 'StreamFold', accum, name, a, zero, body: (yield V) as ValueIR };
    },
  },
  StreamScan: {
    usage: '(StreamScan accum name stream zero body)',
    read: function* (r) {
      const accum = r.name();
      const name = r.name();
      const a = (yield V) as ValueIR;
      const zero = (yield V) as ValueIR;
      return { kind: 'StreamScan', accum, name, a, zero, body: (yield V) as ValueIR };
    },
  },
  StreamLen: unary('StreamLen', '(StreamLen stream)'),
  StreamTake: {
    usage: '(StreamTake stream n)',
    read: function* () {
      const a = (yield V) as ValueIR;
      return { kind: 'StreamTake', a, num: (yield V) as ValueIR };
    },
  },
  StreamDrop: {
    usage: '(StreamDrop stream n)',
    read: function* () {
      const a = (yield V) as ValueIR;
      return { kind: 'StreamDrop', a, num: (yield V) as ValueIR };
    },
  },
  StreamZip: {
    usage: '(StreamZip errorId behavior (names ...) streams ... body)',
    read: function* (r) {
      const errorId = r.int32();
      const behavior = r.oneOf(N.zipBehaviors, 'zip behavior');
      const names = r.list(() => r.name());
      const streams: ValueIR[] = [];
      for (let i = 0; i < names.length; i++) streams.push((yield V) as ValueIR);
      return { kind: 'StreamZip', errorId, behavior, names, streams, body: (yield V) as ValueIR };
    },
  },
  StreamAgg: {
    usage: '(StreamAgg name stream query)',
    read: function* (r) {
      const name = r.name();
      const a = (yield V) as ValueIR;
      return { kind: 'StreamAgg', name, a, query: (yield V) as ValueIR };
    },
  },
  ApplyAggOp: {
    usage: '(ApplyAggOp Op (initArgs ...) (seqArgs ...))',
    read: function* (r) {
      const op = r.oneOf(N.aggOps, 'aggregator');
      const initArgs = yield* valueGroup(r);
      return { kind: 'ApplyAggOp', op, initArgs, seqArgs: yield* valueGroup(r) };
    },
  },
  ApplyScanOp: {
    usage: '(ApplyScanOp Op (initArgs ...) (seqArgs ...))',
    read: function* (r) {
      const op = r.oneOf(N.aggOps, 'aggregator');
      const initArgs = yield* valueGroup(r);
      return { kind: 'ApplyScanOp', op, initArgs, seqArgs: yield* valueGroup(r) };
    },
  },
  AggFilter: {
    usage: '(AggFilter isScan cond agg)',
    read: function* (r) {
      const isScan = r.bool();
      const cond = (yield V) as ValueIR;
      return { kind: 'AggFilter', isScan, cond, agg: (yield V) as ValueIR };
    },
  },
  AggExplode: {
    usage: '(AggExplode name isScan stream agg)',
    read: function* (r) {
      const name = r.name();
      const isScan = r.bool();
      const array = (yield V) as ValueIR;
      return { kind: 'AggExplode', name, isScan, array, agg: (yield V) as ValueIR };
    },
  },
  AggGroupBy: {
    usage: '(AggGroupBy isScan key agg)',
    read: function* (r) {
      const isScan = r.bool();
      const key = (yield V) as ValueIR;
      return { kind: 'AggGroupBy', isScan, key, agg: (yield V) as ValueIR };
    },
  },
  AggArrayPerElement: {
    usage: '(AggArrayPerElement elementName indexName isScan hasKnownLength array agg [knownLength])',
    read: function* (r) {
      const elementName = r.name();
      const indexName = r.name();
      const isScan = r.bool();
      const hasKnownLength = r.bool();
      const a = (yield V) as ValueIR;
      const agg = (yield V) as ValueIR;
      const knownLength = hasKnownLength ? ((yield V) as ValueIR) : null;
      return { kind: 'AggArrayPerElement', elementName, indexName, isScan, a, agg, knownLength };
    },
  },
  Apply: {
    usage: '(Apply errorId fn (typeArgs ...) returnType args ...)',
    read: function* (r) {
      const errorId = r.int32();
      const fn = r.name('a function name');
      const typeArgs = r.list(() => r.type());
      const returnType = r.type();
      return { kind: 'Apply', errorId, fn, typeArgs, returnType, args: yield* valuesUntilClose(r) };
    },
  },
  Die: {
    usage: '(Die type errorId message)',
    read: function* (r) {
      const type = r.type();
      const errorId = r.int32();
      return { kind: 'Die', type, errorId, message: (yield V) as ValueIR };
    },
  },
  TableCount: tableToValue('TableCount'),
  TableAggregate: {
    usage: '(TableAggregate table query)',
    read: function* () {
      const child = (yield T) as TableIR;
      return { kind: 'TableAggregate', child, query: (yield V) as ValueIR };
    },
  },
  TableCollect: tableToValue('TableCollect'),
  TableGetGlobals: tableToValue('TableGetGlobals'),
  TableWrite: {
    usage: '(TableWrite "writer json" table)',
    read: function* (r) {
      const writer = readTableWriter(r);
      return { kind: 'TableWrite', writer, child: (yield T) as TableIR };
    },
  },
  RelationalLet: {
    usage: '(RelationalLet name value body)',
    read: function* (r) {
      const name = r.name();
      const value = (yield V) as ValueIR;
      return { kind: 'RelationalLet', name, value, body: (yield V) as ValueIR };
    },
  },
  RelationalRef: leaf('(RelationalRef name type)', (r) => {
    const name = r.name();
    return { kind: 'RelationalRef', name, type: r.type() };
  }),
  CollectDistributedArray: {
    usage: '(CollectDistributedArray staticId contextName globalName contexts globals body dynamicId)',
    read: function* (r) {
      const staticId = r.name('a static id');
      const contextName = r.name();
      const globalName = r.name();
      const contexts = (yield V) as ValueIR;
      const globals = (yield V) as ValueIR;
      const body = (yield V) as ValueIR;
      const dynamicId = (yield V) as ValueIR;
      return { kind: 'CollectDistributedArray', staticId, contextName, globalName, contexts, globals, body, dynamicId };
    },
  },
  Grad: {
    usage: '(Grad x body)',
    read: function* (r) {
      const name = r.name();
      return { kind: 'Grad', name, body: (yield V) as ValueIR };
    },
  },
  Gradient: {
    usage: '(Gradient (x y ...) body)',
    read: function* (r) {
      const names = r.list(() => r.name());
      return { kind: 'Gradient', names, body: (yield V) as ValueIR };
    },
  },

  TableRange: leaf('(TableRange n nPartitions|None)', (r) => {
    const n = r.int32();
    return { kind: 'TableRange', n, nPartitions: r.opt(() => r.int32()) };
  }),
  TableRead: leaf('(TableRead TableType|None dropRows "reader json")', (r) => {
    const type = r.opt(() => r.tableType());
    const dropRows = r.bool();
    return { kind: 'TableRead', type, dropRows, reader: readTableReader(r) };
  }),
  TableParallelize: {
    usage: '(TableParallelize nPartitions|None rowsAndGlobal)',
    read: function* (r) {
      const nPartitions = r.opt(() => r.int32());
      return { kind: 'TableParallelize', nPartitions, rowsAndGlobal: (yield V) as ValueIR };
    },
  },
  TableFilter: {
    usage: '(TableFilter table pred)',
    read: function* () {
      const child = (yield T) as TableIR;
      return { kind: 'TableFilter', child, pred: (yield V) as ValueIR };
    },
  },
  TableMapRows: {
    usage: '(TableMapRows table newRow)',
    read: function* () {
      const child = (yield T) as TableIR;
      return { kind: 'TableMapRows', child, newRow: (yield V) as ValueIR };
    },
  },
  TableMapGlobals: {
    usage: '(TableMapGlobals table newGlobal)',
    read: function* () {
      const child = (yield T) as TableIR;
      return { kind: 'TableMapGlobals', child, newGlobal: (yield V) as ValueIR };
    },
  },
  TableKeyBy: {
    usage: '(TableKeyBy (keys ...) isSorted [nPartitions|None] table)',
    read: function* (r) {
      const keys = r.list(() => r.name('a key field'));
      const isSorted = r.bool();
      // Hail writes no partition count here; the spec allows one.
      let nPartitions: number | null = null;
      if (r.peek() === Tok.Int) nPartitions = r.int32();
      else if (r.isWord('None')) r.pos++;
      return { kind: 'TableKeyBy', keys, isSorted, nPartitions, child: (yield T) as TableIR };
    },
  },
  TableOrderBy: {
    usage: '(TableOrderBy (Afield Dfield ...) table)',
    read: function* (r) {
      const sortFields = r.list((): N.SortField => {
        const at = r.pos;
        const s = r.name('a sort field');
        const order = s[0];
        if (order !== 'A' && order !== 'D') {
          r.fail('unexpectedToken', `sort field '${s}' must start with A (ascending) or D (descending)`, `write A${s} or D${s}`, at);
        }
        return { field: s.slice(1), order: order as "A" | "D" };
      });
      return { kind: 'TableOrderBy', sortFields, child: (yield T) as TableIR };
    },
  },
  TableAggregateByKey: {
    usage: '(TableAggregateByKey table expr)',
    read: function* () {
      const child = (yield T) as TableIR;
      return { kind: 'TableAggregateByKey', child, expr: (yield V) as ValueIR };
    },
  },
  TableKeyByAndAggregate: {
    usage: '(TableKeyByAndAggregate nPartitions|None bufferSize table expr newKey)',
    read: function* (r) {
      const nPartitions = r.opt(() => r.int32());
      const bufferSize = r.int32();
      const child = (yield T) as TableIR;
      const expr = (yield V) as ValueIR;
      return { kind: 'TableKeyByAndAggregate', nPartitions, bufferSize, child, expr, newKey: (yield V) as ValueIR };
    },
  },
  TableJoin: {
    usage: '(TableJoin inner|left|right|outer joinKey left right)',
    read: function* (r) {
      const joinType = r.oneOf(N.joinTypes, 'join type');
      const joinKey = r.int32();
      const left = (yield T) as TableIR;
      return { kind: 'TableJoin', joinType, joinKey, left, right: (yield T) as TableIR };
    },
  },
  TableLeftJoinRightDistinct: {
    usage: '(TableLeftJoinRightDistinct root left right)',
    read: function* (r) {
      const root = r.name('a field name');
      const left = (yield T) as TableIR;
      return { kind: 'TableLeftJoinRightDistinct', root, left, right: (yield T) as TableIR };
    },
  },
  TableUnion: {
    usage: '(TableUnion table ...)',
    read: function* (r) {
      const children: TableIR[] = [];
      while (!r.atClose()) children.push((yield T) as TableIR);
      return { kind: 'TableUnion', children };
    },
  },
  TableHead: {
    usage: '(TableHead n table)',
    read: function* (r) {
      const n = r.int64();
      return { kind: 'TableHead', n, child: (yield T) as TableIR };
    },
  },
  TableTail: {
    usage: '(TableTail n table)',
    read: function* (r) {
      const n = r.int64();
      return { kind: 'TableTail', n, child: (yield T) as TableIR };
    },
  },
  TableExplode: {
    usage: '(TableExplode ("field" ...) table)',
    read: function* (r) {
      const path = r.list(() => r.string());
      return { kind: 'TableExplode', path, child: (yield T) as TableIR };
    },
  },
  TableDistinct: tableToTable('TableDistinct'),
  TableRename: {
    usage: '(TableRename ("old" ...) ("new" ...) ("oldGlobal" ...) ("newGlobal" ...) table)',
    read: function* (r) {
      const at = r.pos;
      const rk = r.list(() => r.string());
      const rv = r.list(() => r.string());
      const gk = r.list(() => r.string());
      const gv = r.list(() => r.string());
      if (rk.length !== rv.length || gk.length !== gv.length) {
        r.fail('arityMismatch', 'TableRename needs as many new names as old names', undefined, at);
      }
      return {
        kind: 'TableRename',
        rowMap: rk.map((k, i) => [k, rv[i]!] as const),
        globalMap: gk.map((k, i) => [k, gv[i]!] as const),
        child: (yield T) as TableIR,
      };
    },
  },
  RelationalLetTable: {
    usage: '(RelationalLetTable name value table)',
    read: function* (r) {
      const name = r.name();
      const value = (yield V) as ValueIR;
      return { kind: 'RelationalLetTable', name, value, body: (yield T) as TableIR };
    },
  },
};

/** Hail spells `Let` also as `Block`. */
// A Map, not an object: a name like `toString` must not find Object.prototype's.
const aliases: ReadonlyMap<string, Kind> = new Map([['Block', 'Let']]);
const kindNames = Object.keys(forms);

export function formUsage(kind: Kind): string {
  return forms[kind].usage;
}

// ---- driver -------------------------------------------------------------------------------------

interface Frame {
  readonly gen: Gen;
  readonly kind: Kind;
  readonly start: number;
  /** The child just parsed, to resume the generator with. */
  resume: IR | undefined;
}

/** Comments, attached to the node that follows each (or trailing, after the last node). */
export interface Comments {
  readonly leading: ReadonlyMap<IR, readonly string[]>;
  readonly trailing: readonly string[];
}

/** Parses one program, keeping its comments (for `irc fmt`). */
export function readIRWithComments(text: string): { ir: IR; comments: Comments } {
  const toks = tokenize(text);
  const ir = readTokens(text, toks);
  const leading = new Map<IR, string[]>();
  const trailing: string[] = [];
  let c = 0;
  const cs = toks.comments;
  // Nodes in pre-order start in source order, so one merge pass attaches every comment.
  forEachNode(ir, (node) => {
    const start = node.span!.start;
    while (c < cs.length && cs[c]![0] < start) {
      const list = leading.get(node) ?? [];
      list.push(text.slice(cs[c]![0], cs[c]![1]));
      leading.set(node, list);
      c++;
    }
  });
  for (; c < cs.length; c++) trailing.push(text.slice(cs[c]![0], cs[c]![1]));
  return { ir, comments: { leading, trailing } };
}

/** Parses one program (a value or table node). Throws `UserError` with one diagnostic. */
export function readIR(text: string): IR {
  return readTokens(text, tokenize(text));
}

function readTokens(text: string, toks: Tokens): IR {
  const r: Reader = new Reader(text, toks);
  if (r.peek() === Tok.End) r.fail('emptyProgram', 'the input holds no program', 'a program is one node, such as (I32 1)');
  const stack: Frame[] = [];

  const open = (need: Need | null, parent: Frame | undefined): void => {
    if (r.peek() !== Tok.LParen) {
      const what = need === null ? 'a node' : need.table ? 'a table node' : 'a value node';
      if (parent && r.peek() === Tok.End) {
        r.failSpan('unexpectedEnd', parent.start, parent.start + 1, `this ${parent.kind} is never finished: the input ends first`, `${parent.kind} is written ${forms[parent.kind].usage}`);
      }
      if (parent && r.atClose()) {
        r.expected(what, `${parent.kind} is written ${forms[parent.kind].usage}`);
      }
      r.expected(`${what} '('`);
    }
    const start = toks.starts[r.pos]!;
    r.pos++;
    const at = r.pos;
    if (r.peek() !== Tok.Ident) r.expected('a node name');
    const word = r.word();
    const kind = (Object.hasOwn(forms, word) ? word : aliases.get(word)) as Kind | undefined;
    if (kind === undefined) r.fail('unknownNode', `unknown node '${word}'`, hintFor(word, kindNames, 'see the spec for the node list'), at);
    if (need !== null && need.table !== N.isTableKind(kind)) {
      r.fail('wrongIRKind', `${kind} is a ${need.table ? 'value' : 'table'} node, but a ${need.table ? 'table' : 'value'} node is expected here`,
        parent ? `${parent.kind} is written ${forms[parent.kind].usage}` : undefined, at);
    }
    if (stack.length >= MAX_NESTING) r.fail('tooDeep', `the program is nested deeper than ${MAX_NESTING} levels`, 'bind intermediate results with Let to flatten it', at);
    stack.push({ gen: forms[kind].read(r), kind, start, resume: undefined });
  };

  open(null, undefined);
  for (;;) {
    const top = stack[stack.length - 1]!;
    const step = top.gen.next(top.resume as IR);
    top.resume = undefined;
    if (!step.done) {
      open(step.value, top);
      continue;
    }
    if (r.peek() === Tok.End) {
      r.failSpan('unexpectedEnd', top.start, top.start + 1, `this ${top.kind} is never closed: the input ends first`, `add the missing ')'; ${top.kind} is written ${forms[top.kind].usage}`);
    }
    if (!r.atClose()) r.expected("')'", `${top.kind} is written ${forms[top.kind].usage}`);
    const end = toks.ends[r.pos]!;
    r.pos++;
    const node = step.value as { span?: N.Span };
    node.span = { start: top.start, end };
    stack.pop();
    if (stack.length === 0) {
      if (r.peek() !== Tok.End) r.fail('trailingInput', `unexpected ${r.describe()} after the end of the program`, 'a file holds one program');
      return step.value;
    }
    stack[stack.length - 1]!.resume = step.value;
  }
}
