// The catalogue: small programs with HAND-CHECKED expected results (test/catalogue/*.ir).
//
// Each file starts with `;` comment lines, then the program:
//   ; rule: semantics.md §2 floor division with negative operands   (one or more; required)
//   ; expect: -4                                                     (the result, canonical JSON)
// or
//   ; error: DivisionByZero                                          (a RuntimeError class)
//   ; message: by zero                                               (optional: a substring of the message)
//
// The expected values were worked out by hand from docs/design/semantics.md, never pasted from
// the interpreter's output. A value program's result is encoded with `encodeJson` by its type;
// a table program's as `{"rows":[...],"global":{...}}` with each row encoded by the row type.
//
// Comparison: the `; expect:` text must be written in the canonical form of semantics.md §9
// exactly as `encodeJson` writes it (no whitespace; floats in shortest form, so `1.0` is `1`
// and `-0.0` is `-0.0`; Int64 as exact integers; NaN and infinities as strings). The test
// compares the TEXT, so Int64 stays exact and `-0.0` is told from `0`.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { interpret, RuntimeError, type Result } from '../src/backends/interpret/index.js';
import type { RuntimeErrorClass } from '../src/backends/interpret/errors.js';
import { allKinds } from '../src/ir/children.js';
import type { IR, Kind } from '../src/ir/nodes.js';
import { encodeJson } from '../src/ir/value.js';
import { forEachNode } from '../src/ir/walk.js';
import { parse } from '../src/parse/index.js';
import { isTableType } from '../src/passes/typecheck.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'catalogue');

const errorClasses: readonly RuntimeErrorClass[] = [
  'Die',
  'ArrayIndexOutOfBounds',
  'DivisionByZero',
  'IntegerOverflow',
  'CastOutOfRange',
  'InvalidArgument',
  'Input',
];

/**
 * Node kinds the catalogue need not contain. Each still has a reason to be here:
 * - TableRead: needs a file or a DuckDB table; covered by the reader tests, not here.
 * - TableWrite: needs a file; the catalogue checks that without a sink the interpreter raises Input (irc run supplies one: test/interpret-write.test.ts)
 *   (class Input, table-write.ir).
 */
const exemptKinds: readonly Kind[] = ['TableRead', 'TableWrite'];

type Expectation =
  | { readonly kind: 'value'; readonly json: string }
  | { readonly kind: 'error'; readonly errorClass: RuntimeErrorClass; readonly message: string | null };

interface Entry {
  readonly name: string;
  readonly text: string;
  readonly rules: readonly string[];
  readonly expectation: Expectation;
}

function readEntry(name: string): Entry {
  const text = readFileSync(join(dir, name), 'utf8');
  const rules: string[] = [];
  let json: string | null = null;
  let errorClass: string | null = null;
  let message: string | null = null;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith(';')) break; // the header ends where the program starts
    const m = /^;\s*(rule|expect|error|message):\s?(.*)$/.exec(trimmed);
    if (m === null) continue; // a free comment
    const [, key, rest] = m as unknown as [string, string, string];
    const value = rest.trim();
    if (key === 'rule') rules.push(value);
    else if (key === 'expect') {
      if (json !== null) throw new Error(`${name}: two expect lines`);
      json = value;
    } else if (key === 'error') {
      if (errorClass !== null) throw new Error(`${name}: two error lines`);
      errorClass = value;
    } else message = value;
  }
  if ((json === null) === (errorClass === null)) throw new Error(`${name}: needs exactly one of '; expect:' and '; error:'`);
  if (message !== null && errorClass === null) throw new Error(`${name}: '; message:' without '; error:'`);
  if (errorClass !== null && !(errorClasses as readonly string[]).includes(errorClass)) {
    throw new Error(`${name}: unknown error class ${errorClass}`);
  }
  const expectation: Expectation =
    json !== null
      ? { kind: 'value', json }
      : { kind: 'error', errorClass: errorClass as RuntimeErrorClass, message };
  return { name, text, rules, expectation };
}

/** The result as canonical JSON text (semantics.md §9), built from `encodeJson` pieces. */
function encodeResult(r: Result): string {
  if (r.kind === 'value') {
    if (isTableType(r.type)) throw new Error('a value result with a table type');
    return encodeJson(r.type, r.value);
  }
  if (!isTableType(r.type)) throw new Error('a table result without a table type');
  const rowType = r.type.row;
  const rows = r.rows.map((row) => encodeJson(rowType, row)).join(',');
  return `{"rows":[${rows}],"global":${encodeJson(r.type.global, r.global)}}`;
}

/** Runs `f`, returning the RuntimeError it raises (or null). Other exceptions propagate. */
function runtimeErrorOf(f: () => unknown): RuntimeError | null {
  try {
    f();
  } catch (e) {
    if (e instanceof RuntimeError) return e;
    throw e;
  }
  return null;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ir'))
  .sort();
const entries = files.map(readEntry);

/** Parsed lazily, so one malformed file fails its own test (and the coverage test), not the suite. */
const parsed = new Map<string, IR>();
function program(e: Entry): IR {
  let ir = parsed.get(e.name);
  if (ir === undefined) {
    ir = parse(e.text);
    parsed.set(e.name, ir);
  }
  return ir;
}

describe('catalogue: hand-checked programs', () => {
  it('has at least 120 programs, each naming the rule it checks', () => {
    expect(entries.length).toBeGreaterThanOrEqual(120);
    for (const e of entries) expect(e.rules.length, `${e.name} has no '; rule:' line`).toBeGreaterThan(0);
  });

  for (const e of entries) {
    const x = e.expectation;
    if (x.kind === 'value') {
      it(`${e.name} = ${x.json.length > 60 ? `${x.json.slice(0, 57)}...` : x.json}`, () => {
        const got = encodeResult(interpret(program(e), { strict: true }));
        expect(got).toBe(x.json);
      });
    } else {
      it(`${e.name} raises ${x.errorClass}`, () => {
        const ir = program(e);
        const err = runtimeErrorOf(() => interpret(ir, { strict: true }));
        expect(err, 'no RuntimeError was raised').not.toBeNull();
        expect(err!.errorClass).toBe(x.errorClass);
        if (x.message !== null) expect(err!.message).toContain(x.message);
      });
    }
  }
});

describe('catalogue: coverage', () => {
  it('lists only real node kinds as exempt', () => {
    for (const k of exemptKinds) expect(allKinds).toContain(k);
  });

  it('contains every node kind that is not exempt', () => {
    const seen = new Set<Kind>();
    for (const e of entries) forEachNode(program(e), (n) => void seen.add(n.kind));
    const missing = allKinds.filter((k) => !seen.has(k) && !exemptKinds.includes(k));
    expect(missing).toEqual([]);
  });
});
