// Every derivative three ways, on random differentiable programs (src/testing/grad.ts): the
// symbolic pass against the interpreter's dual numbers (an implementation written apart from
// it), against central finite differences, and on DuckDB against the interpreter.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { memoryDuck } from './util.js';
import { runDuckDB } from '../src/backends/duckdb/index.js';
import { interpret } from '../src/backends/interpret/index.js';
import { parse } from '../src/parse/index.js';
import { arbDifferentiable, arbPoint, at } from '../src/testing/grad.js';
import type { Value } from '../src/ir/value.js';

const db = memoryDuck();

const run = (text: string, grad?: 'dual'): Value => {
  const r = interpret(parse(text), grad ? { grad } : {});
  if (r.kind !== 'value') throw new Error('a table');
  return r.value;
};

/** Equal as derivatives: both missing, both NaN, the same infinity, or within `tol` relative. */
function close(a: Value, b: Value, tol: number): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== 'number' || typeof b !== 'number') return JSON.stringify(a) === JSON.stringify(b);
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

const runs = Number(process.env.GRAD_RUNS ?? 200);

describe('derivatives three ways', () => {
  test('symbolic = dual numbers (forward mode), for Grad and for each field of Gradient', () => {
    fc.assert(
      fc.property(arbDifferentiable(), arbPoint, ({ body }, p) => {
        const sym = run(at(p, `(Gradient (x y) ${body})`)) as Value[];
        const dual = run(at(p, `(Gradient (x y) ${body})`), 'dual') as Value[];
        // Sums of the same terms in another order differ in the last bits; conditioning can grow that.
        expect(close(sym[0]!, dual[0]!, 1e-9) && close(sym[1]!, dual[1]!, 1e-9), `${JSON.stringify(sym)} vs ${JSON.stringify(dual)}`).toBe(true);
        expect(close(run(at(p, `(Grad x ${body})`)), sym[0]!, 1e-12)).toBe(true);
      }),
      { numRuns: runs, seed: 7001 },
    );
  });

  test('symbolic = central finite differences, where the body is smooth around the point', () => {
    let compared = 0;
    fc.assert(
      fc.property(arbDifferentiable(), arbPoint, ({ body }, p) => {
        const f = (dx: number) => run(at({ x: p.x + dx, y: p.y }, body));
        const v = f(0);
        if (typeof v !== 'number' || !Number.isFinite(v)) return;
        const fd = (h: number) => ((f(h) as number) - (f(-h) as number)) / (2 * h);
        const [d1, d2] = [fd(1e-5), fd(2.5e-6)];
        // A kink or a branch between x - h and x + h, or rounding that swamps the step: skip.
        if (!Number.isFinite(d1) || Math.abs(d1 - d2) > 1e-5 * Math.max(1, Math.abs(d1))) return;
        const sym = run(at(p, `(Grad x ${body})`)) as number;
        compared++;
        expect(Math.abs(sym - d2), `symbolic ${sym}, finite differences ${d2}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(d2)));
      }),
      { numRuns: runs, seed: 7002 },
    );
    // Most random bodies are smooth at a random point: the check must not skip its way to passing.
    expect(compared).toBeGreaterThan(runs / 2);
  });

  test('symbolic on DuckDB = symbolic on the interpreter', async () => {
    await fc.assert(
      fc.asyncProperty(arbDifferentiable(), arbPoint, async ({ body }, p) => {
        const text = at(p, `(Gradient (x y) ${body})`);
        const here = run(text) as Value[];
        const r = await runDuckDB(parse(text), { connection: db.c });
        const there = (r.kind === 'value' ? r.value : null) as Value[];
        // libm differs by an ulp between DuckDB and V8; a derivative can grow that a little.
        expect(close(here[0]!, there[0]!, 1e-9) && close(here[1]!, there[1]!, 1e-9), `${JSON.stringify(here)} vs ${JSON.stringify(there)}`).toBe(true);
      }),
      { numRuns: Math.min(runs, 120), seed: 7003 },
    );
  }, 300_000);
});
