import { writeFileSync } from 'node:fs';
const require_log = (t: string) => writeFileSync('/tmp/fuzz-last.txt', t);
import { test } from 'vitest';
import fc from 'fast-check';
import { parseReference } from '../src/parse/reference.js';
import { parse } from '../src/parse/index.js';
import { UserError } from '../src/diagnostics/diagnostic.js';
import { readFileSync, readdirSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
const seeds = readFileSync('test/reference-parser.test.ts', 'utf8').match(/'\((?:[^'\\\n]|\\.)*\)'/g)!.map((s) => { try { return eval(s) as string; } catch { return ''; } }).filter(Boolean);
for (const d of ['test/cases', 'examples', 'test/errors']) for (const f of readdirSync(d)) if (f.endsWith('.ir')) seeds.push(readFileSync(`${d}/${f}`, 'utf8'));
const alphabet = ['(', ')', ' ', '`', '"', "'", '\\', '-', '+', '.', '0', '1', 'e', 'E', 'x', 'A', 'D', 'None', 'True', 'False', ';', '\n', '[', ']', '{', '}', ',', ':', '(I32 1)', '(TableRange 1 None)', 'Int32', 'inf', 'nan', '\t', '\r', '\u00a0', '\u000b', 'é', '$', '@', '<', '>', '='];
const run = (p: (t: string) => unknown, t: string) => { try { return { ok: true as const, v: p(t) }; } catch (e) { if (e instanceof UserError) return { ok: false as const, e }; if (e instanceof RangeError) return { ok: 'overflow' as const }; throw e; } };
test('fuzz', () => {
  const seen = new Map<string, string>();
  fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...alphabet)), { minLength: 1, maxLength: 3 }), (seed, edits) => {
    let t = seed;
    for (const [pos, op, ins] of edits) {
      const i = pos % (t.length + 1);
      if (op === 0) t = t.slice(0, i) + t.slice(i + 1);
      else if (op === 1) t = t.slice(0, i) + ins + t.slice(i);
      else if (op === 2) t = t.slice(0, i) + ins + t.slice(i + 1);
      else { const j = (i * 7) % (t.length + 1); t = t.slice(0, i) + t.slice(Math.min(i, j), Math.max(i, j)) + t.slice(i); }
    }
    require_log(t); if (/\.\.\d/.test(t)) return;
    const a = run(parse, t), b = run(parseReference, t);
    if (a.ok === 'overflow' || b.ok === 'overflow') return;
    let bad = '';
    if (a.ok !== b.ok) bad = `reader ${a.ok ? 'accepts' : 'rejects ' + (a as any).e.message} grammar ${b.ok ? 'accepts' : 'rejects ' + (b as any).e.message}`;
    else if (a.ok && b.ok && !isDeepStrictEqual(a.v, b.v)) bad = 'different IR';
    if (bad && seen.size < 60) seen.set(t, bad);
  }), { numRuns: 40000 });
  for (const [t, w] of seen) console.log(JSON.stringify(t), '\n   ', w);
}, 600000);
