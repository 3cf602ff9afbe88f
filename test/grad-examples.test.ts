// The differentiation examples (examples/least-squares, logistic, trajectory, wind,
// clausius-clapeyron) on the interpreter and on DuckDB: each reaches its known optimum or value,
// computed here independently, and the two backends agree. The loops are one recursive CTE.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { compileProgram, runDuckDB } from '../src/backends/duckdb/index.js';
import { interpret, type Result } from '../src/backends/interpret/index.js';
import type { Value } from '../src/ir/value.js';
import { parse } from '../src/parse/index.js';
import { memoryDuck } from './util.js';

const db = memoryDuck();
/** DuckDB runs 2,000 recursive steps in tens of seconds on a loaded machine. */
const SLOW = 300_000;
// One thread: the recursive steps are tiny, and under load more threads are several times slower.
beforeAll(async () => {
  await db.c.run('SET threads = 1');
});

const source = (name: string) => readFileSync(`examples/${name}.ir`, 'utf8');

const runs = new Map<string, Promise<{ interp: Result; duck: Result }>>();
/** An example's result on both backends, each run once per file. */
function results(name: string): Promise<{ interp: Result; duck: Result }> {
  let p = runs.get(name);
  if (p === undefined) {
    const text = source(name);
    p = runDuckDB(parse(text), { connection: db.c }).then((duck) => ({ interp: interpret(parse(text)), duck }));
    runs.set(name, p);
  }
  return p;
}

/** The value of a value program (a struct is the array of its fields). */
function value(r: Result): readonly Value[] {
  if (r.kind !== 'value' || !Array.isArray(r.value)) throw new Error(`expected a struct value, got ${JSON.stringify(r)}`);
  return r.value;
}

/** The rows of a table program, each the array of its fields. */
function rows(r: Result): (readonly Value[])[] {
  if (r.kind !== 'table') throw new Error('expected a table');
  return r.rows.map((row) => {
    if (!Array.isArray(row)) throw new Error('expected struct rows');
    return row;
  });
}

const num = (v: Value | undefined): number => {
  if (typeof v !== 'number') throw new Error(`expected a number, got ${String(v)}`);
  return v;
};

/** Every number in `a` and `b` (same shape) within `rel` of each other, relatively. */
function expectClose(a: unknown, b: unknown, rel: number, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(Math.abs(a), Math.abs(b));
    expect(Math.abs(a - b) <= rel * scale, `${path}: ${a} vs ${b}`).toBe(true);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, path).toBe(b.length);
    a.forEach((x: unknown, i) => expectClose(x, b[i], rel, `${path}[${i}]`));
    return;
  }
  expect(a, path).toEqual(b);
}

async function backendsAgree(name: string): Promise<void> {
  const { interp, duck } = await results(name);
  expect(duck.kind).toBe(interp.kind);
  if (interp.kind === 'table' && duck.kind === 'table') {
    expectClose(duck.rows, interp.rows, 1e-12);
    expect(duck.global).toEqual(interp.global);
  } else if (interp.kind === 'value' && duck.kind === 'value') {
    expectClose(duck.value, interp.value, 1e-12);
  }
}

const recursiveCtes = (name: string) => {
  const sql = compileProgram(parse(source(name)));
  return [sql.main, sql.global ?? ''].join('\n').match(/WITH RECURSIVE/g)?.length ?? 0;
};

// The least-squares data of least-squares.ir and trajectory.ir.
const xs = [0, 1, 2, 3, 4];
const ys = [1, 3, 2, 5, 4];

/** Ordinary least squares in closed form: [slope, intercept]. */
function ols(): [number, number] {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) * (x - mx);
  });
  return [sxy / sxx, my - (sxy / sxx) * mx];
}

describe('least-squares.ir', () => {
  test('the closed form is slope 0.8, intercept 1.4', () => {
    const [w, b] = ols();
    expect(w).toBeCloseTo(0.8, 14);
    expect(b).toBeCloseTo(1.4, 14);
  });

  test('2,000 steps reach the least-squares fit within 1e-9 on both backends', { timeout: SLOW }, async () => {
    const [w, b] = ols();
    const { interp, duck } = await results('least-squares');
    for (const r of [interp, duck]) {
      const [gw, gb] = value(r);
      expect(Math.abs(num(gw) - w)).toBeLessThan(1e-9);
      expect(Math.abs(num(gb) - b)).toBeLessThan(1e-9);
    }
  });

  test('the backends agree to 1e-12', { timeout: SLOW }, () => backendsAgree('least-squares'));
  test('one WITH RECURSIVE', () => expect(recursiveCtes('least-squares')).toBe(1));
});

describe('logistic.ir', () => {
  test('reaches w = 2 ln 3, b = -ln 3 within 1e-9 on both backends', { timeout: SLOW }, async () => {
    const { interp, duck } = await results('logistic');
    for (const r of [interp, duck]) {
      const [w, b] = value(r);
      expect(Math.abs(num(w) - 2 * Math.log(3))).toBeLessThan(1e-9);
      expect(Math.abs(num(b) + Math.log(3))).toBeLessThan(1e-9);
    }
  });

  test('the optimum fits the data: sigmoid(b) = 1/4, sigmoid(w + b) = 3/4', () => {
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    expect(sigmoid(-Math.log(3))).toBeCloseTo(0.25, 15);
    expect(sigmoid(Math.log(3))).toBeCloseTo(0.75, 15);
    // The labels in the example: one of four positive at x = 0, three of four at x = 1.
    const data = /"\{\\"rows\\":(\[.*\]),\\"global/.exec(source('logistic'))![1]!.replace(/\\"/g, '"');
    const parsed = JSON.parse(data) as { x: number; y: number }[];
    const mean = (x: number) => {
      const at = parsed.filter((r) => r.x === x);
      return at.reduce((s, r) => s + r.y, 0) / at.length;
    };
    expect([mean(0), mean(1)]).toEqual([0.25, 0.75]);
  });

  test('the backends agree to 1e-12', { timeout: SLOW }, () => backendsAgree('logistic'));
  test('one WITH RECURSIVE', () => expect(recursiveCtes('logistic')).toBe(1));
});

describe('trajectory.ir', () => {
  /** The 50 steps of descent recomputed with the gradient written out: [step, w, b] rows. */
  function expected(): [number, number, number][] {
    const out: [number, number, number][] = [[0, 0, 0]];
    let w = 0;
    let b = 0;
    for (let step = 1; step <= 50; step++) {
      let gw = 0;
      let gb = 0;
      xs.forEach((x, i) => {
        const e = w * x + b - ys[i]!;
        gw += (2 * e * x) / xs.length;
        gb += (2 * e) / xs.length;
      });
      w -= 0.05 * gw;
      b -= 0.05 * gb;
      out.push([step, w, b]);
    }
    return out;
  }

  test('the start and 50 steps, in order, as the written-out descent gives them', { timeout: SLOW }, async () => {
    const { interp, duck } = await results('trajectory');
    for (const r of [interp, duck]) {
      const got = rows(r);
      expect(got.map((row) => row[0])).toEqual(Array.from({ length: 51 }, (_, i) => i));
      expectClose(
        got.map((row) => [num(row[1]), num(row[2])]),
        expected().map(([, w, b]) => [w, b]),
        1e-12,
      );
    }
  });

  test('the backends agree to 1e-12', { timeout: SLOW }, () => backendsAgree('trajectory'));
  test('one WITH RECURSIVE', () => expect(recursiveCtes('trajectory')).toBe(1));
});

describe('wind.ir', () => {
  test('dspeed_du is u / sqrt(u^2 + v^2) on every row', { timeout: SLOW }, async () => {
    const { interp, duck } = await results('wind');
    for (const r of [interp, duck]) {
      const got = rows(r);
      expect(got.length).toBe(6);
      for (const [u, v, d] of got) {
        const want = num(u) / Math.sqrt(num(u) ** 2 + num(v) ** 2);
        expect(Math.abs(num(d) - want), `u=${String(u)} v=${String(v)}`).toBeLessThanOrEqual(1e-14 * Math.abs(want));
      }
    }
  });

  test('the backends agree to 1e-12', { timeout: SLOW }, () => backendsAgree('wind'));
});

describe('clausius-clapeyron.ir', () => {
  const slope = (t: number) => (6.112 * Math.exp((17.67 * t) / (t + 243.5)) * 17.67 * 243.5) / (t + 243.5) ** 2;

  test('des_dT is the analytic derivative on every row, 1.448182 at T = 20', { timeout: SLOW }, async () => {
    const { interp, duck } = await results('clausius-clapeyron');
    for (const r of [interp, duck]) {
      const got = rows(r);
      expect(got.map((row) => row[0])).toContain(20);
      for (const [t, d] of got) {
        expect(Math.abs(num(d) - slope(num(t))), `T=${String(t)}`).toBeLessThanOrEqual(1e-12 * slope(num(t)));
        if (t === 20) expect(num(d).toFixed(6)).toBe('1.448182');
      }
    }
  });

  test('the backends agree to 1e-12', { timeout: SLOW }, () => backendsAgree('clausius-clapeyron'));
});
