// Lifting nested relational queries (src/passes/lift-relational-lets.ts): that each lifted query
// runs once (the interpreter's count of table evaluations), where each one goes, sharing up to
// bound names, deep programs, and properties over random programs: types kept, idempotent, and
// the same result on the reference interpreter. The IR before and after for the programs in
// test/cases is golden (NAME.lifted, test/cases.test.ts).

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compile } from '../src/backends/interpret/compile.js';
import { interpret, RuntimeError, type Result } from '../src/backends/interpret/index.js';
import { UserError } from '../src/diagnostics/diagnostic.js';
import type { IR } from '../src/ir/nodes.js';
import { printIR } from '../src/ir/print.js';
import { countNodes, forEachNode } from '../src/ir/walk.js';
import { parse } from '../src/parse/index.js';
import { liftRelationalLets } from '../src/passes/lift-relational-lets.js';
import { prepare } from '../src/passes/prepare.js';
import { typecheck } from '../src/passes/typecheck.js';
import { arbProgram } from '../src/testing/arbitraries.js';
import { defaultExclude, usesExcluded } from '../src/testing/differential.js';

function lifted(text: string): { ir: IR; printed: string; lets: number; replaced: number } {
  const ir = parse(text);
  const info = typecheck(ir);
  expect(info.diagnostics).toEqual([]);
  const r = liftRelationalLets(ir, info.types);
  return { ...r, printed: printIR(r.ir) };
}

/** Table-node evaluations of a checked program on the interpreter, nothing hoisted ahead. */
function tableEvaluations(ir: IR): { count: number; value: unknown } {
  const info = typecheck(ir);
  expect(info.diagnostics).toEqual([]);
  const stats = { tableEvaluations: 0 };
  const value = compile(ir, { types: info.types, stats }).v(null as never);
  return { count: stats.tableEvaluations, value };
}

const nestedFilter = `(TableAggregate
  (TableFilter (TableRange 100 None)
    (ApplyComparisonOp LT (Cast Int64 (GetField idx (Ref row)))
      (TableAggregate (TableRange 10 None) (ApplyAggOp Sum () ((Cast Int64 (GetField idx (Ref row))))))))
  (ApplyAggOp Count () ()))`;

describe('lift-relational-lets: each lifted query runs once', () => {
  test('a nested aggregate in a filter predicate: about 100 table evaluations before, 3 after', () => {
    const before = tableEvaluations(parse(nestedFilter));
    const after = tableEvaluations(lifted(nestedFilter).ir);
    // Before: the outer range and filter, and the inner range once per outer row (100).
    expect(before.count).toBe(102);
    // After: the outer range and filter, and the inner range once.
    expect(after.count).toBe(3);
    expect(after.value).toBe(before.value);
    expect(after.value).toBe(45n);
  });

  test('a query in a loop that reads only a Let runs once per Let, not per element', () => {
    const text = `(Let eval k (I32 4) (ToArray (StreamMap x (StreamRange 0 False (I32 0) (I32 50) (I32 1))
      (TableCount (TableFilter (TableRange 10 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (Ref k)))))))`;
    const before = tableEvaluations(parse(text));
    const after = tableEvaluations(lifted(text).ir);
    expect(before.count).toBe(100);
    expect(after.count).toBe(2);
    expect(after.value).toEqual(before.value);
  });

  test('interpret() lifts: the nested aggregate runs once, and equal queries share one let', () => {
    const count = (text: string, lift: boolean): number => {
      const stats = { tableEvaluations: 0 };
      interpret(parse(text), { stats, lift });
      return stats.tableEvaluations;
    };
    expect(count(nestedFilter, true)).toBe(3);
    // Two equal closed counts in a 50-element loop: hoisted, each once; lifted, once for both.
    const twice = `(ToArray (StreamMap x (StreamRange 0 False (I32 0) (I32 50) (I32 1))
      (MakeTuple (0 1) (TableCount (TableRange 10 None)) (TableCount (TableRange 10 None)))))`;
    expect(count(twice, false)).toBe(2);
    expect(count(twice, true)).toBe(1);
  });

  test('the pipeline lifts the whole expression evaluated ahead, not only the query in it (an ArrayRef of its rows raises ahead too)', () => {
    // Found by the DuckDB harness (seed 4700053): the Switch's index is past its cases, so the
    // condition is missing and the branch is never reached; §7 still evaluates the closed
    // ArrayRef of the collected rows ahead, and it raises. Lifting only the TableCollect left
    // the ArrayRef in the branch, and the program gave missing.
    const text = `(If
      (Switch (ApplyBinaryPrimOp BitOr (Apply 1 toInt32 () Int32 (TableCount (TableRange 2 None))) (I32 -2147483647))
        (NA Boolean) (NA Boolean) (True))
      (ArrayRef 0 (GetField rows (TableCollect (TableRange 0 None))) (I32 42))
      (NA Struct{idx:Int32}))`;
    const outcome = (lift: boolean): string => {
      try {
        return JSON.stringify(interpret(parse(text), { lift }).kind);
      } catch (e) {
        return e instanceof RuntimeError ? e.errorClass : String(e);
      }
    };
    expect(outcome(false)).toBe('ArrayIndexOutOfBounds');
    expect(outcome(true)).toBe('ArrayIndexOutOfBounds');
  });

  test('the pipeline: a query reading a root relational let, or Lets whose values read nothing that varies, runs once', () => {
    const count = (text: string, lift: boolean): { n: number; value: unknown } => {
      const stats = { tableEvaluations: 0 };
      const r = interpret(parse(text), { stats, lift });
      return { n: stats.tableEvaluations, value: r.kind === 'value' ? r.value : undefined };
    };
    const reading = (v: string) => `(TableAggregate (TableFilter (TableRange 100 None)
        (ApplyComparisonOp LT (Cast Int64 (GetField idx (Ref row)))
          (TableCount (TableFilter (TableRange 10 None) (ApplyComparisonOp LT (Cast Int64 (GetField idx (Ref row))) ${v})))))
      (ApplyAggOp Count () ()))`;
    const programs = [
      `(RelationalLet r (TableCount (TableRange 5 None)) ${reading('(RelationalRef r Int64)')})`,
      `(Let eval k (TableCount (TableRange 5 None)) ${reading('(Ref k)')})`,
      // Two rounds: k2's query reads k1's, which reads a lifted one.
      `(Let eval k1 (TableCount (TableRange 5 None)) (Let eval k2 (TableCount (TableFilter (TableRange 8 None) (ApplyComparisonOp LT (Cast Int64 (GetField idx (Ref row))) (Ref k1)))) ${reading('(Ref k2)')}))`,
      // A Let of a value computed from a lifted one, and a chain of two.
      `(Let eval n (TableCount (TableRange 10 None)) (Let eval half (ApplyBinaryPrimOp RoundToNegInfDivide (Ref n) (I64 2)) ${reading('(Ref half)')}))`,
      `(Let eval n (TableCount (TableRange 8 None)) (Let eval a (ApplyBinaryPrimOp Add (Ref n) (I64 1)) (Let eval b (ApplyBinaryPrimOp Subtract (Ref a) (I64 4)) ${reading('(Ref b)')})))`,
      // A Let of a closed value that runs no query (an array written out).
      `(Let eval ids (Literal Array[Int64] "[3,5,7]") ${reading('(ArrayRef -1 (Ref ids) (I32 1))')})`,
    ];
    for (const text of programs) {
      const [before, after] = [count(text, false), count(text, true)];
      // Before: the outer range and filter, the inner range and filter per outer row, the
      // let's range (and filter). After: each once.
      expect(before.n).toBeGreaterThanOrEqual(202);
      expect(after.n).toBeLessThanOrEqual(7);
      expect(after.value).toBe(before.value);
      expect(after.value).toBe(5n);
    }
    // The lifted program reads the root lets directly, in order.
    expect(printIR(prepare(parse(programs[1]!)).ir)).toMatch(/^\(RelationalLet __rel0\s+\(TableCount \(TableRange 5 None\)\)\s+\(RelationalLet __rel1\s+\(TableCount\s+\(TableFilter[^]*\(RelationalRef __rel0 Int64\)/);
    // A Let variable that varies (a loop's element bound by a Let) still keeps its query in the loop.
    const perElement = `(ToArray (StreamMap x (StreamRange 0 False (I32 0) (I32 3) (I32 1)) (Let eval k (Cast Int64 (Ref x)) (TableCount (TableFilter (TableRange 10 None) (ApplyComparisonOp LT (Cast Int64 (GetField idx (Ref row))) (Ref k)))))))`;
    expect(count(perElement, true)).toEqual({ n: 6, value: [0n, 1n, 2n] });
  });

  test('the count is reported by interpret() too', () => {
    const stats = { tableEvaluations: 0 };
    interpret(parse('(TableCount (TableFilter (TableRange 10 None) (True)))'), { stats });
    expect(stats.tableEvaluations).toBe(2);
  });
});

describe('lift-relational-lets: where queries go', () => {
  test('a closed query goes to the root; a table root gets a RelationalLetTable', () => {
    const r = lifted('(TableMapGlobals (TableRange 3 None) (MakeStruct (n (TableCount (TableRange 7 None)))))');
    expect(r.printed).toBe(
      '(RelationalLetTable __rel0\n  (TableCount (TableRange 7 None))\n  (TableMapGlobals (TableRange 3 None) (MakeStruct (n (RelationalRef __rel0 Int64)))))',
    );
  });

  test('the root query and relational let values stay; an existing name is not reused', () => {
    const r = lifted('(RelationalLet __rel0 (TableCount (TableRange 2 None)) (ApplyBinaryPrimOp Add (RelationalRef __rel0 Int64) (TableCount (TableRange 3 None))))');
    expect(r.lets).toBe(1);
    expect(r.printed).toContain('(RelationalLet __rel1\n');
    expect(r.printed).toContain('(RelationalLet __rel0\n    (TableCount (TableRange 2 None))');
    expect(lifted('(TableCount (TableRange 3 None))').lets).toBe(0);
  });

  test('a query reading a row, an element or an accumulator stays; what it holds that reads none is lifted', () => {
    const row = lifted(`(TableAggregate (TableRange 5 None) (ApplyAggOp Sum () ((TableCount (TableFilter (TableRange 5 None)
      (ApplyComparisonOp LT (GetField idx (Ref row)) (Cast Int32 (TableCount (TableRange 2 None)))))))))`);
    // The inner filter's own row is bound inside the query: the count of it is closed.
    expect(row.lets).toBe(2);
    const elem = lifted(`(ToArray (StreamMap x (StreamRange 0 False (I32 0) (I32 3) (I32 1))
      (TableCount (TableFilter (TableRange 10 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (ApplyBinaryPrimOp Add (Ref x) (Cast Int32 (TableCount (TableRange 4 None)))))))))`);
    expect(elem.lets).toBe(1);
    expect(elem.printed.startsWith('(RelationalLet __rel0\n  (TableCount (TableRange 4 None))')).toBe(true);
    expect(elem.printed).toContain('(TableCount\n');
  });

  test('a query reading the row of the table whose per-row code holds it stays', () => {
    const r = lifted(`(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None
      (c (TableCount (TableParallelize None (MakeStruct (rows (MakeArray None (Ref row) (Ref row))) (global (MakeStruct))))))
      (d (TableCount (TableRange 4 None)))))`);
    expect(r.lets).toBe(1);
    expect(r.printed).toMatch(/\(c\s+\(TableCount\s+\(TableParallelize/);
    expect(r.printed).toContain('(d (RelationalRef __rel0 Int64))');
  });

  test('queries equal up to bound names share one let; different ones do not', () => {
    const a = '(TableAggregate (TableRange 4 None) (ApplyAggOp Sum () ((StreamFold acc x (StreamRange 0 False (I32 0) (GetField idx (Ref row)) (I32 1)) (I64 0) (ApplyBinaryPrimOp Add (Ref acc) (Cast Int64 (Ref x)))))))';
    const b = '(TableAggregate (TableRange 4 None) (ApplyAggOp Sum () ((StreamFold s y (StreamRange 0 False (I32 0) (GetField idx (Ref row)) (I32 1)) (I64 0) (ApplyBinaryPrimOp Add (Ref s) (Cast Int64 (Ref y)))))))';
    const same = lifted(`(MakeTuple (0 1) ${a} ${b})`);
    expect(same.lets).toBe(1);
    expect(same.replaced).toBe(2);
    const other = lifted(`(MakeTuple (0 1) ${a} ${a.replace('(TableRange 4 None)', '(TableRange 5 None)')})`);
    expect(other.lets).toBe(2);
    // Free variables must be the same ones: k and j are different bindings.
    const free = lifted(`(Let eval k (I32 1) (Let eval j (I32 2) (ToArray (StreamMap x (StreamRange 0 False (I32 0) (I32 2) (I32 1)) (MakeTuple (0 1)
      (TableCount (TableFilter (TableRange 5 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (Ref k))))
      (TableCount (TableFilter (TableRange 5 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (Ref j)))))))))`);
    expect(free.lets).toBe(2);
  });

  test('a query that holds a Grad stays (differentiation has not run)', () => {
    const text = `(Let eval w (F64 2) (ToArray (StreamMap x (StreamRange 0 False (I32 0) (I32 2) (I32 1))
      (TableAggregate (TableRange 3 None) (ApplyAggOp Sum () ((Grad w (ApplyBinaryPrimOp Multiply (Ref w) (Ref w)))))))))`;
    expect(lifted(text).lets).toBe(0);
  });
});

describe('lift-relational-lets: deep and large programs', () => {
  test('10,000 nested Lets around a query: lifted to the root without overflowing', () => {
    let text = '(TableCount (TableRange 5 None))';
    for (let i = 0; i < 10_000; i++) text = `(Let eval x${i} (I32 ${i}) ${text})`;
    text = `(ApplyBinaryPrimOp Add (I64 1) ${text})`;
    const r = lifted(text);
    expect(r.lets).toBe(1);
    expect(r.ir.kind).toBe('RelationalLet');
  });

  test('5,000 queries nested in each other, each reading its own row: each lifted out of the next', () => {
    let q = '(TableCount (TableRange 1 None))';
    for (let i = 0; i < 5_000; i++) q = `(TableCount (TableFilter (TableRange 2 None) (ApplyComparisonOp LT (I64 -1) ${q})))`;
    const r = lifted(`(ApplyBinaryPrimOp Add (I64 1) ${q})`);
    expect(r.lets).toBe(5_001);
    let lets = 0;
    forEachNode(r.ir, (n) => {
      if (n.kind === 'RelationalLet') lets++;
    });
    expect(lets).toBe(5_001);
  });
});

describe('lift-relational-lets: random programs', () => {
  const programs = fc.sample(arbProgram({ maxNodes: 120 }), { numRuns: 1500, seed: 6 }).filter((p) => !usesExcluded(p, defaultExclude));
  let madeLets = 0;

  test('the lifted program type-checks, with the same type; lifting again changes nothing', () => {
    for (const ir of programs) {
      const info = typecheck(ir);
      const r = liftRelationalLets(ir, info.types);
      madeLets += r.lets > 0 ? 1 : 0;
      const again = typecheck(r.ir);
      expect(again.diagnostics, printIR(r.ir)).toEqual([]);
      expect(again.types.get(r.ir)).toEqual(info.types.get(ir));
      expect(countNodes(r.ir)).toBeLessThanOrEqual(countNodes(ir) + 2 * r.lets);
      const second = liftRelationalLets(r.ir, again.types);
      expect(second.lets).toBe(0);
      expect(second.ir).toBe(r.ir);
    }
    // Not vacuous: nested queries are common in the generator's programs.
    expect(madeLets).toBeGreaterThan(programs.length / 10);
  });

  test('the interpreter gives the same result, lifting what the semantics evaluates once (semantics.md §7)', () => {
    const outcome = (ir: IR, lift: boolean): Result | string => {
      try {
        return interpret(ir, { lift });
      } catch (e) {
        if (e instanceof RuntimeError) return `raises ${e.errorClass}`;
        if (e instanceof UserError) return `rejected ${e.diagnostics[0]!.code}`;
        throw e;
      }
    };
    let compared = 0;
    let changed = 0;
    for (const ir of programs) {
      let prepared;
      try {
        prepared = prepare(ir);
      } catch {
        continue;
      }
      if (prepared.lets === 0) continue;
      changed++;
      expect(outcome(ir, true), `${printIR(ir)}\n-- lifted --\n${printIR(prepared.ir)}`).toEqual(outcome(ir, false));
      compared++;
    }
    expect(changed).toBeGreaterThan(20);
    expect(compared).toBe(changed);
  });
});
