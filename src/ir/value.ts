// Runtime values and their JSON encoding (used by `Literal` and, later, by `irc run`).
//
// Representation: `null` is missing; Boolean -> boolean; Int32, Float32, Float64 -> number;
// Int64 -> bigint (all 64 bits exact); String -> string; Array, Set, Tuple, Struct -> a
// readonly array (struct and tuple positionally, in field order; sets sorted, no duplicates);
// Dict -> a readonly array of [key, value] pairs sorted by key.

import type { Type } from './types.js';

export type Value = null | boolean | number | bigint | string | readonly Value[];

export class ValueError extends Error {}

// ---- JSON reading: numbers stay text so Int64 keeps every digit ---------------------------------

type Json =
  | { readonly t: 'null' }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'num'; readonly v: string }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'arr'; readonly v: Json[] }
  | { readonly t: 'obj'; readonly v: [string, Json][] };

const MAX_JSON_DEPTH = 1000;

function parseJson(text: string): Json {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new ValueError(`invalid JSON at offset ${i}: ${what}`);
  };
  const str = (): string => {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i));
    if (!m) fail('bad string');
    i += m![0].length;
    return JSON.parse(m![0]) as string;
  };
  const value = (depth: number): Json => {
    if (depth > MAX_JSON_DEPTH) fail(`nested deeper than ${MAX_JSON_DEPTH}`);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const fields: [string, Json][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'obj', v: fields };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a field name');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        fields.push([k, value(depth + 1)]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { t: 'obj', v: fields };
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const items: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'arr', v: items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return { t: 'arr', v: items };
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { t: 'str', v: str() };
    for (const [word, j] of [
      ['null', { t: 'null' }],
      ['true', { t: 'bool', v: true }],
      ['false', { t: 'bool', v: false }],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return j;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('unexpected character');
    i += m![0].length;
    return { t: 'num', v: m![0] };
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

function decode(t: Type, j: Json): Value {
  if (j.t === 'null') return null;
  const bad = (): never => {
    throw new ValueError(`JSON ${describe(j)} is not a value of type ${t.kind}`);
  };
  switch (t.kind) {
    case 'Boolean':
      return j.t === 'bool' ? j.v : bad();
    case 'Int32': {
      if (j.t !== 'num' || !/^-?\d+$/.test(j.v)) return bad();
      const n = Number(j.v);
      if (n < INT32_MIN || n > INT32_MAX) throw new ValueError(`${j.v} is out of range for Int32`);
      return n;
    }
    case 'Int64': {
      const s = j.t === 'num' || j.t === 'str' ? j.v : bad();
      if (!/^-?\d+$/.test(s)) return bad();
      const n = BigInt(s);
      if (n < INT64_MIN || n > INT64_MAX) throw new ValueError(`${s} is out of range for Int64`);
      return n;
    }
    case 'Float32':
    case 'Float64': {
      let n: number;
      if (j.t === 'num') n = Number(j.v);
      else if (j.t === 'str' && j.v === 'NaN') n = NaN;
      else if (j.t === 'str' && j.v === 'Infinity') n = Infinity;
      else if (j.t === 'str' && j.v === '-Infinity') n = -Infinity;
      else return bad();
      return t.kind === 'Float32' ? Math.fround(n) : n;
    }
    case 'String':
      return j.t === 'str' ? j.v : bad();
    case 'Void':
      return bad();
    case 'Array':
    case 'Stream':
      return j.t === 'arr' ? j.v.map((x) => decode(t.element, x)) : bad();
    case 'Set':
      return j.t === 'arr' ? canonicalSet(t.element, j.v.map((x) => decode(t.element, x))) : bad();
    case 'Dict': {
      if (j.t !== 'arr') return bad();
      const pairs = j.v.map((e): readonly Value[] => {
        if (e.t !== 'obj') return bad();
        const k = e.v.find(([n]) => n === 'key');
        const v = e.v.find(([n]) => n === 'value');
        if (!k || e.v.some(([n]) => n !== 'key' && n !== 'value')) return bad();
        return [decode(t.key, k[1]), v ? decode(t.value, v[1]) : null];
      });
      return canonicalDict(t.key, pairs);
    }
    case 'Tuple': {
      if (j.t !== 'arr' || j.v.length !== t.fields.length) return bad();
      return t.fields.map((f, i) => decode(f.type, j.v[i]!));
    }
    case 'Struct': {
      if (j.t !== 'obj') return bad();
      for (const [n] of j.v) {
        if (!t.fields.some((f) => f.name === n)) throw new ValueError(`field ${JSON.stringify(n)} is not in the struct type`);
      }
      return t.fields.map((f) => {
        const e = j.v.find(([n]) => n === f.name);
        return e ? decode(f.type, e[1]) : null;
      });
    }
  }
}

function describe(j: Json): string {
  switch (j.t) {
    case 'arr':
      return 'array';
    case 'obj':
      return 'object';
    case 'num':
      return j.v;
    case 'str':
      return JSON.stringify(j.v);
    case 'bool':
      return String(j.v);
    case 'null':
      return 'null';
  }
}

/** Decodes JSON text into a value of type `t`; throws `ValueError` when it does not fit. */
export function decodeJson(t: Type, text: string): Value {
  return decode(t, parseJson(text));
}

/** The canonical JSON text of a value (what `Literal` prints and `irc run` outputs). */
export function encodeJson(t: Type, v: Value): string {
  if (v === null) return 'null';
  switch (t.kind) {
    case 'Boolean':
      return v ? 'true' : 'false';
    case 'Int32':
    case 'Int64':
      return String(v);
    case 'Float32':
    case 'Float64': {
      const n = v as number;
      if (Number.isNaN(n)) return '"NaN"';
      if (n === Infinity) return '"Infinity"';
      if (n === -Infinity) return '"-Infinity"';
      if (Object.is(n, -0)) return '-0.0';
      return String(t.kind === 'Float32' ? shortestFloat32(n) : n);
    }
    case 'String':
      return JSON.stringify(v);
    case 'Void':
      return 'null';
    case 'Array':
    case 'Stream':
    case 'Set':
      return `[${(v as readonly Value[]).map((x) => encodeJson(t.element, x)).join(',')}]`;
    case 'Dict':
      return `[${(v as readonly (readonly Value[])[])
        .map((p) => `{"key":${encodeJson(t.key, p[0]!)},"value":${encodeJson(t.value, p[1]!)}}`)
        .join(',')}]`;
    case 'Tuple':
      return `[${t.fields.map((f, i) => encodeJson(f.type, (v as readonly Value[])[i]!)).join(',')}]`;
    case 'Struct':
      return `{${t.fields
        .map((f, i) => `${JSON.stringify(f.name)}:${encodeJson(f.type, (v as readonly Value[])[i]!)}`)
        .join(',')}}`;
  }
}

/**
 * The shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612),
 * at most `limit` in magnitude (Hail range-checks F32 literals as doubles).
 */
export function shortestFloat32(x: number, limit = Infinity): number {
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x && Math.abs(y) <= limit) return y;
  }
  return x;
}

// ---- ordering ---------------------------------------------------------------------------------

/**
 * Total order used for sets, dict keys and sorting: missing sorts last; NaN sorts after every
 * other number; -0.0 and 0.0 are equal; containers compare lexicographically.
 */
export function compareValues(t: Type, a: Value, b: Value): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  switch (t.kind) {
    case 'Boolean':
      return a === b ? 0 : a ? 1 : -1;
    case 'Int32':
    case 'Float32':
    case 'Float64': {
      const x = a as number;
      const y = b as number;
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'Int64':
      return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
    case 'String':
      return compareCodePoints(a as string, b as string);
    case 'Void':
      return 0;
    case 'Array':
    case 'Stream':
    case 'Set':
      return compareSeq(a as readonly Value[], b as readonly Value[], () => t.element);
    case 'Dict':
      return compareSeq(a as readonly Value[], b as readonly Value[], () => ({
        kind: 'Tuple',
        fields: [
          { index: 0, type: t.key },
          { index: 1, type: t.value },
        ],
      }));
    case 'Tuple':
      return compareSeq(a as readonly Value[], b as readonly Value[], (i) => t.fields[i]!.type);
    case 'Struct':
      return compareSeq(a as readonly Value[], b as readonly Value[], (i) => t.fields[i]!.type);
  }
}

/** Code point order (= UTF-8 byte order), not UTF-16 code unit order: they differ above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (0xD800-0xDFFF) starts a code point above 0xFFFF, so it sorts after 0xE000-0xFFFF.
    const hx = x >= 0xd800 && x <= 0xdfff;
    const hy = y >= 0xd800 && y <= 0xdfff;
    if (hx !== hy) return hx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function compareSeq(a: readonly Value[], b: readonly Value[], typeAt: (i: number) => Type): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(typeAt(i), a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

export function canonicalSet(element: Type, xs: readonly Value[]): Value {
  const sorted = [...xs].sort((a, b) => compareValues(element, a, b));
  return sorted.filter((x, i) => i === 0 || compareValues(element, sorted[i - 1]!, x) !== 0);
}

/** Sorted by key; for a repeated key the last pair wins (as `ToDict` does). */
export function canonicalDict(key: Type, pairs: readonly (readonly Value[])[]): Value {
  const indexed = pairs.map((p, i) => [p, i] as const);
  indexed.sort((x, y) => compareValues(key, x[0][0]!, y[0][0]!) || x[1] - y[1]);
  const out: (readonly Value[])[] = [];
  for (const [p] of indexed) {
    if (out.length > 0 && compareValues(key, out[out.length - 1]![0]!, p[0]!) === 0) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** Identity of values, as literals compare: NaN equals NaN, -0.0 differs from 0.0. */
export function valueIdentical(a: Value, b: Value): boolean {
  if (a === b) return typeof a !== "number" || Object.is(a, b);
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => valueIdentical(x, b[i]!));
  }
  return false;
}
