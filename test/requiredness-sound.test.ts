// Requiredness is sound: on random well-typed programs, run through `prepare` as every backend
// runs them, no value the reference interpreter produces is missing where the analysis says it
// is required. The interpreter reports each node's values through compile's `check` hook.
//
// What is checked is what the interpreter computes: a node nothing needs is not evaluated,
// and a needed node computes only its needed parts (a MakeStruct leaves unneeded fields
// missing; semantics.md §1), so each value is checked only as far as `prepared.demand` says it
// is needed, and a table's rows and global only where they are needed.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compile } from '../src/backends/interpret/compile.js';
import { RuntimeError } from '../src/backends/interpret/errors.js';
import type { TableValue } from '../src/backends/interpret/tables.js';
import { UserError } from '../src/diagnostics/diagnostic.js';
import type { IR } from '../src/ir/nodes.js';
import { printIR, printRequiredType } from '../src/ir/print.js';
import { fieldIndex, type Req, type TableType, type Type } from '../src/ir/types.js';
import type { Demand } from '../src/passes/demand.js';
import { prepare, type Prepared } from '../src/passes/prepare.js';
import { analyzeRequiredness, type Requiredness } from '../src/passes/requiredness.js';
import { isTableType } from '../src/passes/typecheck.js';
import { arbProgram } from '../src/testing/arbitraries.js';
import { defaultExclude, usesExcluded } from '../src/testing/differential.js';

/** A value of type `t` that is missing where `r` says required, as far as `d` needs it: its path, or null. */
function missingWhereRequired(t: Type, r: Req, v: unknown, d: Demand, path = ''): string | null {
  if (d === null) return null;
  if (v === null || v === undefined) return r.required ? path || '(the value)' : null;
  const parts: [Type, Req, unknown, Demand, string][] = [];
  switch (t.kind) {
    case 'Struct':
    case 'Tuple': {
      const xs = v as readonly unknown[];
      if (d === 'all') t.fields.forEach((f: { readonly type: Type }, i: number) => parts.push([f.type, r.fields![i]!, xs[i], 'all', `${path}.${i}`]));
      else
        for (const [key, sub] of d) {
          const i = t.kind === 'Struct' ? fieldIndex(t, key) : t.fields.findIndex((f) => String(f.index) === key);
          parts.push([t.fields[i]!.type, r.fields![i]!, xs[i], sub, `${path}.${key}`]);
        }
      break;
    }
    case 'Array':
    case 'Set':
    case 'Stream':
      if (d === 'all') for (const x of v as Iterable<unknown>) parts.push([t.element, r.element!, x, 'all', `${path}[]`]);
      break;
    case 'Dict':
      if (d === 'all')
        for (const [k, x] of v as Iterable<readonly unknown[]>) {
          parts.push([t.key, r.key!, k, 'all', `${path}.key`], [t.value, r.value!, x, 'all', `${path}.value`]);
        }
      break;
    default:
      break;
  }
  for (const [pt, pr, pv, pd, pp] of parts) {
    const bad = missingWhereRequired(pt, pr, pv, pd, pp);
    if (bad !== null) return bad;
  }
  return null;
}

interface Run {
  readonly violations: string[];
  /** Values checked (nodes, rows and globals), to show the property is not vacuous. */
  checked: number;
}

/** Runs the prepared program on the interpreter, checking every value it produces against `req`. */
function runChecked(p: Prepared, req: Requiredness): Run {
  const run: Run = { violations: [], checked: 0 };
  const report = (node: IR, what: string, t: Type, r: Req, bad: string | null) => {
    run.checked++;
    if (bad !== null && run.violations.length < 5) {
      run.violations.push(`${node.kind} ${what} is missing at ${bad}, but its requiredness is ${printRequiredType(t, r)}: ${printIR(node).slice(0, 300)}`);
    }
  };
  const check = (node: IR, value: unknown): void => {
    const t = p.types.get(node)!;
    if (!isTableType(t)) {
      report(node, 'value', t, req.value(node)!, missingWhereRequired(t, req.value(node)!, value, p.demand.value(node)));
      return;
    }
    const d = p.demand.table(node);
    const r = req.table(node)!;
    const table = value as TableValue;
    // Reading rows or the global may raise: that error is the program's, not a violation.
    try {
      if (d.count) for (const row of table.rows()) report(node, 'row', t.row, r.row, missingWhereRequired(t.row, r.row, row, d.rows));
      if (d.global !== null) report(node, 'global', t.global, r.global, missingWhereRequired((t as TableType).global, r.global, table.global, d.global));
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
    }
  };
  const program = compile(p.ir, { types: p.types, demand: p.demand, hoisted: p.hoisted, check });
  try {
    program.v(null as never);
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
  }
  return run;
}

const programs = arbProgram({ exclude: defaultExclude }).filter((ir) => !usesExcluded(ir));

/** Prepares a program as the backends do; undefined when its constant folding rejects it. */
function prepared(ir: IR): Prepared | undefined {
  try {
    return prepare(ir);
  } catch (e) {
    if (e instanceof UserError || e instanceof RuntimeError) return undefined;
    throw e;
  }
}

/** The analysis, claiming every part of every node required: what the property must catch. */
function everythingRequired(real: Requiredness): Requiredness {
  const all = (r: Req): Req => ({
    required: true,
    ...(r.element ? { element: all(r.element) } : {}),
    ...(r.key ? { key: all(r.key), value: all(r.value!) } : {}),
    ...(r.fields ? { fields: r.fields.map(all) } : {}),
  });
  return {
    ...real,
    value: (n) => {
      const r = real.value(n);
      return r && all(r);
    },
    table: (n) => {
      const r = real.table(n);
      return r && { row: all(r.row), global: all(r.global) };
    },
  };
}

describe('requiredness: soundness on random programs', () => {
  test('no value marked required is missing when the interpreter computes it (3,000 programs)', () => {
    let checked = 0;
    let ran = 0;
    fc.assert(
      fc.property(programs, (ir) => {
        const p = prepared(ir);
        if (p === undefined) return true;
        const run = runChecked(p, analyzeRequiredness(p.ir, p.types));
        ran++;
        checked += run.checked;
        if (run.violations.length > 0) throw new Error(run.violations.join('\n'));
        return true;
      }),
      // (REQ_RUNS and REQ_SEED vary the run; REQ_NO_SHRINK=1 reports the first failure as found.)
      { numRuns: Number(process.env.REQ_RUNS ?? 3000), seed: Number(process.env.REQ_SEED ?? 20_505), endOnFailure: process.env.REQ_NO_SHRINK === '1' },
    );
    expect(ran).toBeGreaterThan(Number(process.env.REQ_RUNS ?? 3000) * 0.95);
    expect(checked).toBeGreaterThan(50_000);
  }, 60_000);

  test('an analysis that claims everything required is caught', () => {
    let caught = 0;
    fc.assert(
      fc.property(programs, (ir) => {
        const p = prepared(ir);
        if (p === undefined) return true;
        if (runChecked(p, everythingRequired(analyzeRequiredness(p.ir, p.types))).violations.length > 0) caught++;
        return true;
      }),
      { numRuns: 200, seed: 20_505 },
    );
    expect(caught).toBeGreaterThan(50);
  }, 60_000);
});
