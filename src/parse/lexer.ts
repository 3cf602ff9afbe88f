// Tokens of the IR text format (spec "Lexical"), as Hail's IRLexer reads them.
// Stored as parallel typed arrays: a 1,000,000-node program has ~5,000,000 tokens.

import { diagnostic, UserError } from '../diagnostics/diagnostic.js';

export const enum Tok {
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Less,
  Greater,
  Comma,
  Colon,
  Plus,
  At,
  Equals,
  Ident, // plain identifier
  Quoted, // backticked identifier
  Int,
  Float,
  String,
  End,
}

export const tokenNames: Record<Tok, string> = {
  [Tok.LParen]: "'('",
  [Tok.RParen]: "')'",
  [Tok.LBracket]: "'['",
  [Tok.RBracket]: "']'",
  [Tok.LBrace]: "'{'",
  [Tok.RBrace]: "'}'",
  [Tok.Less]: "'<'",
  [Tok.Greater]: "'>'",
  [Tok.Comma]: "','",
  [Tok.Colon]: "':'",
  [Tok.Plus]: "'+'",
  [Tok.At]: "'@'",
  [Tok.Equals]: "'='",
  [Tok.Ident]: 'identifier',
  [Tok.Quoted]: 'identifier',
  [Tok.Int]: 'integer',
  [Tok.Float]: 'float',
  [Tok.String]: 'string',
  [Tok.End]: 'end of input',
};

const punct: Record<string, Tok> = {
  '(': Tok.LParen,
  ')': Tok.RParen,
  '[': Tok.LBracket,
  ']': Tok.RBracket,
  '{': Tok.LBrace,
  '}': Tok.RBrace,
  '<': Tok.Less,
  '>': Tok.Greater,
  ',': Tok.Comma,
  ':': Tok.Colon,
  '+': Tok.Plus,
  '@': Tok.At,
  '=': Tok.Equals,
};

export interface Tokens {
  readonly count: number;
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** `;` comments as [start, end) ranges, in order: kept so `irc fmt` can print them back. */
  readonly comments: readonly (readonly [number, number])[];
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdPart = (c: number) => isIdStart(c) || isDigit(c);

export function tokenize(text: string): Tokens {
  let cap = Math.max(16, text.length >> 2);
  let kinds = new Uint8Array(cap);
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let n = 0;
  const push = (k: Tok, s: number, e: number) => {
    if (n === cap) {
      cap *= 2;
      const k2 = new Uint8Array(cap);
      k2.set(kinds);
      kinds = k2;
      const s2 = new Int32Array(cap);
      s2.set(starts);
      starts = s2;
      const e2 = new Int32Array(cap);
      e2.set(ends);
      ends = e2;
    }
    kinds[n] = k;
    starts[n] = s;
    ends[n] = e;
    n++;
  };
  const fail = (name: 'unexpectedChar' | 'unterminatedString' | 'badEscape', s: number, e: number, msg: string, hint?: string): never => {
    throw new UserError([diagnostic(name, { start: s, end: e }, msg, hint)]);
  };
  const comments: [number, number][] = [];
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (c === 59 /* ; */) {
      const from = i;
      while (i < len && text.charCodeAt(i) !== 10) i++;
      comments.push([from, text.charCodeAt(i - 1) === 13 ? i - 1 : i]);
      continue;
    }
    const start = i;
    if (isIdStart(c)) {
      i++;
      while (i < len && isIdPart(text.charCodeAt(i))) i++;
      push(Tok.Ident, start, i);
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */ || c === 96 /* ` */) {
      i++;
      for (;;) {
        if (i >= len || text.charCodeAt(i) === 10) {
          fail('unterminatedString', start, i, c === 96 ? 'unterminated backticked name' : 'unterminated string',
            `close it with ${String.fromCharCode(c)}`);
        }
        const d = text.charCodeAt(i);
        if (d === c) break;
        if (d === 92 /* \ */) {
          const e = text[i + 1];
          if (e === 'u') {
            if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
              fail('badEscape', i, Math.min(len, i + 6), 'a \\u escape needs four hex digits');
            }
            i += 6;
            continue;
          }
          if (e === undefined || !`"\\/bfnrt'\``.includes(e)) {
            fail('badEscape', i, i + 2, `invalid escape '\\${e ?? ''}'`, 'allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX \\\' \\`');
          }
          i += 2;
          continue;
        }
        i++;
      }
      i++;
      push(c === 96 ? Tok.Quoted : Tok.String, start, i);
      continue;
    }
    const sign = c === 45 || c === 43;
    const next = text.charCodeAt(i + 1);
    if (isDigit(c) || ((sign || c === 46) && isDigit(next)) || (sign && next === 46 && isDigit(text.charCodeAt(i + 2)))) {
      // Hail: floats are [+-]?\d+(\.\d+)?[eE][+-]?\d+ or [+-]?\d*\.\d+; integers -?\d+.
      let j = i;
      if (c === 45 || c === 43) j++;
      while (j < len && isDigit(text.charCodeAt(j))) j++;
      let isFloat = false;
      if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
        isFloat = true;
        j++;
        while (j < len && isDigit(text.charCodeAt(j))) j++;
      }
      const e = text.charCodeAt(j);
      if (e === 101 || e === 69) {
        let k = j + 1;
        if (text.charCodeAt(k) === 43 || text.charCodeAt(k) === 45) k++;
        if (isDigit(text.charCodeAt(k))) {
          isFloat = true;
          while (k < len && isDigit(text.charCodeAt(k))) k++;
          j = k;
        }
      }
      if (!isFloat && j === start + 1 && c === 46) fail('unexpectedChar', start, j, "a number cannot start with '.' unless digits follow");
      if (!isFloat && c === 43) {
        // `+5` is the punctuation `+` then an integer, as in Hail.
        push(Tok.Plus, i, i + 1);
        i++;
        continue;
      }
      push(isFloat ? Tok.Float : Tok.Int, start, j);
      i = j;
      continue;
    }
    if (c === 45 && text.startsWith('-inf', i) && !isIdPart(text.charCodeAt(i + 4))) {
      push(Tok.Float, i, i + 4);
      i += 4;
      continue;
    }
    const p = punct[text[i]!];
    if (p !== undefined) {
      push(p, i, i + 1);
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    fail('unexpectedChar', i, i + ch.length, `unexpected character ${JSON.stringify(ch)}`,
      isIdPart(c) || cp > 127 ? 'names with other characters must be written in backticks: `like this`' : undefined);
  }
  push(Tok.End, len, len);
  return { count: n, kinds, starts, ends, comments };
}

/** The text of a string or backticked token, escapes resolved. */
export function unquote(text: string, start: number, end: number): string {
  const body = text.slice(start + 1, end - 1);
  if (!body.includes('\\')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'u':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return e;
    }
  });
}
