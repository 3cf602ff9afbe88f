// Random text and mutated programs never make the parser or the checker throw anything but
// diagnostics (UserError). The checker itself reports through its result and never throws.

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { UserError } from '../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../src/diagnostics/render.js';
import { Source } from '../src/diagnostics/source.js';
import { printIR } from '../src/ir/print.js';
import { parse } from '../src/parse/index.js';
import { typecheck } from '../src/passes/typecheck.js';
import { arbProgram } from '../src/testing/arbitraries.js';

const corpus: string[] = [];
for (const dir of ['examples', 'test/cases', 'test/errors']) {
  for (const f of readdirSync(dir)) if (f.endsWith('.ir')) corpus.push(readFileSync(`${dir}/${f}`, 'utf8'));
}

/** Parse then check; returns what happened. Anything but a UserError escapes and fails. */
function survive(text: string): 'ok' | 'syntax' | 'type' {
  let ir;
  try {
    ir = parse(text);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // Rendering must cope with every span the parser reports.
    renderDiagnostics(e.diagnostics, new Source('fuzz.ir', text));
    expect(e.diagnostics.length).toBeGreaterThan(0);
    return 'syntax';
  }
  const info = typecheck(ir);
  renderDiagnostics(info.diagnostics, new Source('fuzz.ir', text));
  return info.diagnostics.length === 0 ? 'ok' : 'type';
}

const alphabet = ['(', ')', '[', ']', '{', '}', ',', ':', '+', '"', '`', '\\', ';', '\n', ' ', '-', '.', '..', '0', '9', 'e', '-.', '+.',
  'I32', 'If', 'Let', 'eval', 'agg', 'Ref', 'x', 'row', 'None', 'True', 'Struct', 'Array', 'Int32', 'TableRange',
  'MakeStruct', 'ApplyAggOp', 'Sum', 'nan', 'inf', '\u00e9', '\ud83d\ude00', '\u0000'];
const tokenSoup = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((xs) => xs.join(''));

const mutation = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate', 'truncate', 'swap', 'swap'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 12 }),
  text: fc.oneof(fc.constantFrom(...alphabet), fc.string({ maxLength: 4 })),
});

// Words swapped for others of the same syntax class: the text still parses, the types often break.
const swaps: Record<string, string[]> = {
  I32: ['I64', 'F64'], I64: ['I32', 'F32'], F64: ['I32', 'F32'], F32: ['F64'],
  Int32: ['Int64', 'String'], Int64: ['Int32', 'Float64'], Float64: ['Int32', 'Boolean'], String: ['Int32'],
  Boolean: ['Int32'], True: ['False'], Add: ['BitAnd', 'Multiply'], EQ: ['Compare', 'LT'], Sum: ['Count', 'Collect'],
  row: ['global'], idx: ['y'],
};
const swapWord = new RegExp(`\\b(${Object.keys(swaps).join('|')})\\b`, 'g');

function mutate(src: string, ms: readonly { kind: string; at: number; len: number; text: string }[]): string {
  let s = src;
  for (const m of ms) {
    const i = s.length === 0 ? 0 : m.at % s.length;
    switch (m.kind) {
      case 'delete':
        s = s.slice(0, i) + s.slice(i + m.len);
        break;
      case 'insert':
        s = s.slice(0, i) + m.text + s.slice(i);
        break;
      case 'replace':
        s = s.slice(0, i) + m.text + s.slice(i + m.len);
        break;
      case 'duplicate':
        s = s.slice(0, i + m.len) + s.slice(i, i + m.len) + s.slice(i + m.len);
        break;
      case 'truncate':
        s = s.slice(0, i);
        break;
      case 'swap': {
        const hits = [...s.matchAll(swapWord)];
        if (hits.length === 0) break;
        const h = hits[m.at % hits.length]!;
        const alts = swaps[h[1]!]!;
        s = s.slice(0, h.index) + alts[m.len % alts.length] + s.slice(h.index! + h[1]!.length);
        break;
      }
    }
  }
  return s;
}

describe('robustness', () => {
  test('malformed numbers are diagnostics', () => {
    for (const t of ['(F64 ..5)', '(F64 1..5)', '(F64 -.)', '(F64 +.e5)', '(F64 .)', '(I32 --1)', '(F64 1e)']) {
      expect(() => parse(t), t).toThrow(UserError);
    }
    expect(Object.is((parse('(F64 -0)') as { value: number }).value, 0)).toBe(true);
    expect(Object.is((parse('(F64 -0.0)') as { value: number }).value, -0)).toBe(true);
    expect((parse('(F64 +.5)') as { value: number }).value).toBe(0.5);
  });

  test("names of Object.prototype's members are unknown names, not a crash (found by the property below)", () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(survive(`(${name}`)).toBe('syntax');
      expect(survive(`(${name} (I32 1))`)).toBe('syntax');
    }
  });

  test('random text gives diagnostics, never a crash', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), tokenSoup), (t) => {
      survive(t);
    }), { numRuns: 3000 });
  });

  test('mutated corpus programs give diagnostics, never a crash', () => {
    fc.assert(fc.property(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 4 }), (src, ms) => {
      survive(mutate(src, ms));
    }), { numRuns: 3000 });
  });

  test('mutated generated programs give diagnostics, never a crash', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(arbProgram({ maxDepth: 4 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (p, ms) => {
      seen.add(survive(mutate(printIR(p), ms)));
    }), { numRuns: 1000 });
    // The mutations must reach all three outcomes, or the test checks less than it claims.
    expect([...seen].sort()).toEqual(['ok', 'syntax', 'type']);
  });
});
