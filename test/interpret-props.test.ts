// Property tests of the reference interpreter over random well-typed programs of every node
// kind: it never fails with anything but a documented user error (a RuntimeError of a
// semantics.md §8 class), and in strict mode every value it produces has its node's type.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { interpret, RuntimeError, type TableSource } from '../src/backends/interpret/index.js';
import { nonconformity } from '../src/backends/interpret/strict.js';
import { tArray } from '../src/ir/types.js';
import type { IR } from '../src/ir/nodes.js';
import { arbProgram } from '../src/testing/arbitraries.js';
import { UserError } from '../src/diagnostics/diagnostic.js';

const classes = new Set(['Die', 'ArrayIndexOutOfBounds', 'DivisionByZero', 'IntegerOverflow', 'CastOutOfRange', 'InvalidArgument', 'Input']);

function runOne(ir: IR, outcomes: Map<string, number>, source?: TableSource): void {
  let outcome: string;
  try {
    const r = interpret(ir, { strict: true, source });
    if (r.kind === 'value') {
      expect(nonconformity(r.type as never, r.value)).toBeNull();
    } else {
      const t = r.type as unknown as { row: never; global: never };
      expect(nonconformity(tArray(t.row), r.rows)).toBeNull();
      expect(nonconformity(t.global, r.global)).toBeNull();
    }
    outcome = r.kind;
  } catch (e) {
    // A Grad through a construct with no derivative rule is a compile error of the program.
    if (e instanceof UserError && e.diagnostics.every((d) => d.code === 'IRC2019')) {
      outcomes.set('IRC2019', (outcomes.get('IRC2019') ?? 0) + 1);
      return;
    }
    if (!(e instanceof RuntimeError)) throw e;
    expect(classes.has(e.errorClass)).toBe(true);
    outcome = e.errorClass;
  }
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
}

describe('interpreter properties', () => {
  test('programs of every node kind give a value of their type or a documented user error', () => {
    const outcomes = new Map<string, number>();
    fc.assert(fc.property(arbProgram({ maxDepth: 5 }), (ir: IR) => runOne(ir, outcomes)), { numRuns: 1000 });
  }, 120_000);

  test('programs that can run here mostly run to a result of their type', () => {
    // TableRead needs a source, TableWrite a sink; a random Grad body mostly reaches a construct
    // with no derivative rule (test/grad-props.test.ts generates differentiable ones).
    const outcomes = new Map<string, number>();
    const exclude = ['TableRead', 'TableWrite', 'Grad', 'Gradient'] as const;
    // Every TableRead declares its type here; an empty source stands in for the file.
    const empty: TableSource = () => [];
    fc.assert(fc.property(arbProgram({ maxDepth: 5, exclude: [...exclude] }), (ir: IR) => runOne(ir, outcomes, empty)), { numRuns: 1500 });
    const results = (outcomes.get('value') ?? 0) + (outcomes.get('table') ?? 0);
    // Most programs must run to a result (about two thirds do), or the property says little.
    expect(results, JSON.stringify(Object.fromEntries(outcomes))).toBeGreaterThan(750);
  }, 120_000);
});
