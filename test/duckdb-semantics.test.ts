// The DuckDB backend against semantics.md, point by point: every row of docs/design/003-duckdb.md's
// table of DuckDB behaviours the SQL must correct for, and the points of issue 4. Each program
// runs through BOTH the reference interpreter and the DuckDB backend (one in-memory connection
// for the file), and each result is compared with the value written here by hand, not only with
// the other backend's.
//
// Values are compared through `show`, which tells an Int64 (bigint) from an Int32 (number),
// -0.0 from 0.0, and prints NaN and the infinities; errors by their class (semantics.md §8).

import { describe, expect, test } from 'vitest';
import { memoryDuck } from './util.js';
import { compileProgram, runDuckDB } from '../src/backends/duckdb/index.js';
import { interpret, RuntimeError, type Result } from '../src/backends/interpret/index.js';
import type { RuntimeErrorClass } from '../src/backends/interpret/errors.js';
import type { IR, Span } from '../src/ir/nodes.js';
import { printName, printString } from '../src/ir/print.js';
import type { Value } from '../src/ir/value.js';
import { countNodes, forEachNode } from '../src/ir/walk.js';
import { parse } from '../src/parse/index.js';

const db = memoryDuck();

// ---- helpers ----------------------------------------------------------------------------------

interface Table {
  readonly rows: readonly Value[];
  readonly global: Value;
}
const isTable = (x: unknown): x is Table => typeof x === 'object' && x !== null && !Array.isArray(x) && 'rows' in x;

/** A faithful text for a value: bigint with `n`, -0, NaN, strings JSON-quoted. */
function show(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (isTable(v)) return `{rows: ${show(v.rows)}, global: ${show(v.global)}}`;
  return `<${typeof v}>`;
}

type Outcome = { readonly ok: true; readonly value: Value | Table } | { readonly ok: false; readonly error: unknown };

const fromResult = (r: Result): Value | Table => (r.kind === 'value' ? r.value : { rows: r.rows, global: r.global });

function describeOutcome(o: Outcome): string {
  if (o.ok) return show(o.value);
  const e = o.error;
  if (e instanceof RuntimeError) return `RuntimeError ${e.errorClass}: ${e.message}`;
  return `crash ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
}

async function both(text: string | IR): Promise<{ ir: IR; interp: Outcome; duck: Outcome }> {
  const ir = typeof text === 'string' ? parse(text) : text;
  let interp: Outcome;
  try {
    // strict: check every value against its node's type (slow on the 3,000-branch rule model)
    interp = { ok: true, value: fromResult(interpret(ir, { strict: countNodes(ir) < 5000 })) };
  } catch (error) {
    interp = { ok: false, error };
  }
  let duck: Outcome;
  try {
    duck = { ok: true, value: fromResult(await runDuckDB(ir, { connection: db.c })) };
  } catch (error) {
    duck = { ok: false, error };
  }
  return { ir, interp, duck };
}

/** `actual` is `expected`; long texts are compared around their first difference. */
function expectText(actual: string, expected: string, who: string): void {
  if (actual.length + expected.length < 4000 || actual === expected) {
    expect(actual, who).toBe(expected);
    return;
  }
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  const from = Math.max(0, i - 100);
  expect(`…${actual.slice(from, i + 100)}… (length ${actual.length})`, who).toBe(`…${expected.slice(from, i + 100)}… (length ${expected.length})`);
}

/** Both backends give exactly `expected`. */
async function expectValue(text: string | IR, expected: Value | Table): Promise<void> {
  const { interp, duck } = await both(text);
  expectText(describeOutcome(interp), show(expected), 'interpreter');
  expectText(describeOutcome(duck), show(expected), 'duckdb');
}

const table = (rows: readonly Value[], global: Value = []): Table => ({ rows, global });

/** The interpreter gives a result, and DuckDB the same (where writing the value out would add nothing). */
async function expectAgree(text: string): Promise<void> {
  const { interp, duck } = await both(text);
  expect(interp.ok).toBe(true);
  expect(describeOutcome(duck)).toBe(describeOutcome(interp));
}

/** Both backends raise a RuntimeError of `cls` (whose message contains `message`, if given). */
async function expectError(text: string, cls: RuntimeErrorClass, message?: string): Promise<{ ir: IR; errors: RuntimeError[] }> {
  const { ir, interp, duck } = await both(text);
  const errors: RuntimeError[] = [];
  for (const [who, o] of [
    ['interpreter', interp],
    ['duckdb', duck],
  ] as const) {
    expect(describeOutcome(o), who).toMatch(new RegExp(`^RuntimeError ${cls}: `));
    const e = (o as { error: RuntimeError }).error;
    if (message !== undefined) expect(e.message, who).toContain(message);
    errors.push(e);
  }
  return { ir, errors };
}

/** A constant of any type: `(Literal T "<json>")`. */
const lit = (type: string, json: unknown): string => `(Literal ${type} ${printString(typeof json === 'string' ? json : JSON.stringify(json))})`;

/** An unkeyed table of literal rows. */
const par = (rowType: string, rows: unknown[], globalType = 'Struct{}', global: unknown = {}): string =>
  `(TableParallelize None ${lit(`Struct{rows:Array[${rowType}],global:${globalType}}`, { rows, global })})`;

const keyBy = (keys: string, t: string): string => `(TableKeyBy (${keys}) False None ${t})`;
const collectRows = (t: string): string => `(GetField rows (TableCollect ${t}))`;
const streamAgg = (arrayType: string, json: unknown, agg: string): string => `(StreamAgg x (ToStream False ${lit(arrayType, json)}) ${agg})`;
const range = (a: number, b: number, s = 1): string => `(StreamRange -1 False (I32 ${a}) (I32 ${b}) (I32 ${s}))`;

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;

// ---- 003-duckdb.md: the table of DuckDB behaviours ----------------------------------------------

describe('003-duckdb.md: DuckDB 1.5.5 behaviours the SQL corrects for', () => {
  test('Int32 overflow in addition is IntegerOverflow', async () => {
    await expectError(`(ApplyBinaryPrimOp Add (I32 ${I32_MAX}) (I32 1))`, 'IntegerOverflow');
    await expectValue(`(ApplyBinaryPrimOp Add (I32 ${I32_MAX - 1}) (I32 1))`, I32_MAX);
  });

  test('the Int64 minimum literal is the value, alone and inside containers', async () => {
    await expectValue('(I64 -9223372036854775808)', I64_MIN);
    await expectValue('(I64 9223372036854775807)', I64_MAX);
    await expectValue(`(I32 ${I32_MIN})`, I32_MIN);
    await expectValue(
      `(MakeTuple (0 1 2) (Literal Array[Int64] '[-9223372036854775808,9223372036854775807]') (Literal Struct{a:Int64} '{"a":-9223372036854775808}') (ApplyBinaryPrimOp Add (I64 -9223372036854775808) (I64 1)))`,
      [[I64_MIN, I64_MAX], [I64_MIN], I64_MIN + 1n],
    );
  });

  test('empty collections never become an empty IN (): a Switch with no cases, empty literals, an empty table', async () => {
    await expectValue(
      `(MakeTuple (0 1 2 3 4 5) (Switch (I32 0) (I32 7)) (MakeArray Array[Int32]) ${lit('Set[Int32]', [])} ${lit('Dict[String,Int32]', [])}
        (ApplyComparisonOp EQ (MakeArray Array[Int32]) ${lit('Array[Int32]', [])})
        (TableCount ${par('Struct{a:Int32}', [])}))`,
      [7, [], [], [], true, 0n],
    );
  });

  test('ArrayRef is 0-based; out of range (past the end, negative, empty array) is ArrayIndexOutOfBounds', async () => {
    const a = lit('Array[Int32]', [10, 20, 30]);
    await expectValue(`(MakeArray None (ArrayRef -1 ${a} (I32 0)) (ArrayRef -1 ${a} (I32 2)) (ArrayRef -1 ${a} (NA Int32)) (ArrayRef -1 (NA Array[Int32]) (I32 0)))`, [10, 30, null, null]);
    await expectError(`(ArrayRef -1 ${a} (I32 3))`, 'ArrayIndexOutOfBounds');
    await expectError(`(ArrayRef -1 ${a} (I32 -1))`, 'ArrayIndexOutOfBounds');
    await expectError(`(ArrayRef -1 (MakeArray Array[Int32]) (I32 0))`, 'ArrayIndexOutOfBounds');
  });

  test('Sum over no rows is 0 (Int64 and Float64), Count 0, Product 1, Min/Max missing', async () => {
    const query = `(MakeStruct
      (si (ApplyAggOp Sum () ((Cast Int64 (GetField idx (Ref row))))))
      (sf (ApplyAggOp Sum () ((Cast Float64 (GetField idx (Ref row))))))
      (c (ApplyAggOp Count () ()))
      (pi (ApplyAggOp Product () ((Cast Int64 (GetField idx (Ref row))))))
      (pf (ApplyAggOp Product () ((Cast Float64 (GetField idx (Ref row))))))
      (mn (ApplyAggOp Min () ((GetField idx (Ref row)))))
      (mx (ApplyAggOp Max () ((GetField idx (Ref row))))))`;
    const empty = [0n, 0, 0n, 1n, 1, null, null];
    await expectValue(`(TableAggregate (TableRange 0 None) ${query})`, empty);
    await expectValue(`(TableAggregate (TableFilter (TableRange 5 None) (False)) ${query})`, empty);
    await expectValue(`(TableAggregate (TableRange 4 None) ${query})`, [6n, 6, 4n, 0n, 0, 0, 3]);
    await expectValue(
      `(MakeTuple (0 1 2 3 4) ${streamAgg('Array[Int64]', [], '(ApplyAggOp Sum () ((Ref x)))')} ${streamAgg('Array[Float64]', [], '(ApplyAggOp Sum () ((Ref x)))')}
         ${streamAgg('Array[Int64]', [], '(ApplyAggOp Product () ((Ref x)))')} ${streamAgg('Array[Int32]', [], '(ApplyAggOp Count () ())')} ${streamAgg('Array[Float64]', [], '(ApplyAggOp Max () ((Ref x)))')})`,
      [0n, 0, 1n, 0n, null],
    );
  });

  test('log is the natural logarithm (DuckDB log is base 10); log10 and log2 as named', async () => {
    await expectValue(
      '(MakeArray None (Apply -1 log () Float64 (F64 1.0)) (Apply -1 log () Float64 (F64 100.0)) (Apply -1 log10 () Float64 (F64 100.0)) (Apply -1 log2 () Float64 (F64 8.0)) (Apply -1 log () Float64 (F64 0.0)))',
      [0, Math.log(100), 2, 3, -Infinity],
    );
    expect(Math.log(100)).toBe(4.605170185988092);
  });

  test('RoundToNegInfDivide is floor division for negative operands (Int32, Int64, Float64)', async () => {
    const div = (t: string, a: number, b: number) => `(ApplyBinaryPrimOp RoundToNegInfDivide (${t} ${a}) (${t} ${b}))`;
    await expectValue(`(MakeArray None ${div('I32', -7, 2)} ${div('I32', 7, -2)} ${div('I32', -7, -2)} ${div('I32', 7, 2)} ${div('I32', -8, 2)} ${div('I32', 0, -3)} ${div('I32', -1, 5)})`, [-4, -4, 3, 3, -4, 0, -1]);
    await expectValue(`(MakeArray None ${div('I64', -7, 2)} ${div('I64', 7, -2)} ${div('I64', -7, -2)} ${div('I64', 7, 2)})`, [-4n, -4n, 3n, 3n]);
    await expectValue(`(MakeArray None ${div('F64', -7.0, 2.0)} ${div('F64', 7.5, 2.0)})`, [-4, 3]);
  });

  test('mod of integers is the floor modulo (sign of the divisor)', async () => {
    const mod = (t: string, ty: string, a: number, b: number) => `(Apply -1 mod () ${ty} (${t} ${a}) (${t} ${b}))`;
    await expectValue(
      `(MakeArray None ${[[7, 2], [-7, 2], [7, -2], [-7, -2], [6, -3], [-1, 5], [0, -3]].map(([a, b]) => mod('I32', 'Int32', a!, b!)).join(' ')})`,
      [1, 1, -1, -1, 0, 4, 0],
    );
    await expectValue(
      `(MakeArray None ${[[-7, 2], [7, -2], [-9223372036854775808n, -1]].map(([a, b]) => mod('I64', 'Int64', a as number, b as number)).join(' ')})`,
      [1n, -1n, 0n],
    );
  });

  test('integer division and modulo by zero are DivisionByZero (Int32 and Int64)', async () => {
    await expectError('(ApplyBinaryPrimOp RoundToNegInfDivide (I32 1) (I32 0))', 'DivisionByZero');
    await expectError('(ApplyBinaryPrimOp RoundToNegInfDivide (I64 -5) (I64 0))', 'DivisionByZero');
    await expectError('(Apply -1 mod () Int32 (I32 7) (I32 0))', 'DivisionByZero');
    await expectError('(Apply -1 mod () Int64 (I64 7) (I64 0))', 'DivisionByZero');
    // missing operands make it missing, not an error
    await expectValue('(ApplyBinaryPrimOp RoundToNegInfDivide (NA Int32) (I32 0))', null);
  });

  test('float division by zero gives +inf, -inf or NaN by the signs, never an error', async () => {
    const d = (a: string, b: string) => `(ApplyBinaryPrimOp FloatingPointDivide (F64 ${a}) (F64 ${b}))`;
    await expectValue(
      `(MakeArray None ${d('1.0', '0.0')} ${d('-1.0', '0.0')} ${d('0.0', '0.0')} ${d('1.0', '-0.0')} ${d('-1.0', '-0.0')} ${d('nan', '0.0')} ${d('inf', '0.0')} ${d('-0.0', '0.0')})`,
      [Infinity, -Infinity, NaN, -Infinity, Infinity, NaN, Infinity, NaN],
    );
    // integers convert to Float64 first
    await expectValue('(MakeArray None (ApplyBinaryPrimOp FloatingPointDivide (I32 1) (I32 0)) (ApplyBinaryPrimOp FloatingPointDivide (I64 -3) (I64 0)) (ApplyBinaryPrimOp FloatingPointDivide (I32 0) (I32 0)))', [Infinity, -Infinity, NaN]);
    await expectValue('(MakeArray None (ApplyBinaryPrimOp FloatingPointDivide (F32 1.0) (F32 -0.0)) (ApplyBinaryPrimOp FloatingPointDivide (F32 2.0) (F32 0.0)))', [-Infinity, Infinity]);
    // a divisor computed at run time, not a constant
    await expectValue(
      `(StreamAgg x (ToStream False ${lit('Array[Float64]', '[0.0,2.0,-0.0]')}) (ApplyAggOp Collect () ((ApplyBinaryPrimOp FloatingPointDivide (F64 1.0) (Ref x)))))`,
      [Infinity, 0.5, -Infinity],
    );
  });

  test('0.1 is the Float64 nearest 0.1, not a DECIMAL: 0.1 + 0.2 = 0.30000000000000004', async () => {
    await expectValue('(ApplyBinaryPrimOp Add (F64 0.1) (F64 0.2))', 0.30000000000000004);
    await expectValue(`(MakeArray None (F64 0.1) (ApplyBinaryPrimOp Multiply (F64 0.1) (F64 3.0)) (GetField a ${lit('Struct{a:Float64}', '{"a":0.1}')}))`, [0.1, 0.30000000000000004, 0.1]);
    await expectValue('(F32 0.1)', Math.fround(0.1));
  });

  test('NaN = NaN, NaN sorts after inf, -0.0 = 0.0: one total order', async () => {
    await expectValue(
      `(MakeArray None (ApplyComparisonOp EQ (F64 nan) (F64 nan)) (ApplyComparisonOp LT (F64 inf) (F64 nan)) (ApplyComparisonOp EQ (F64 -0.0) (F64 0.0))
        (ApplyComparisonOp LT (F64 -0.0) (F64 0.0)) (ApplyComparisonOp GT (F64 nan) (F64 1.0)) (ApplyComparisonOp NEQ (F64 nan) (F64 nan)))`,
      [true, true, true, false, true, false],
    );
    await expectValue('(MakeArray None (ApplyComparisonOp Compare (F64 nan) (F64 inf)) (ApplyComparisonOp Compare (F64 -0.0) (F64 0.0)) (ApplyComparisonOp Compare (F64 neginf) (F64 -1e308)))', [1, 0, -1]);
    await expectValue(`(ToSet (ToStream False ${lit('Array[Float64]', ['NaN', 'Infinity', 1, '-Infinity', 'NaN'])}))`, [-Infinity, 1, Infinity, NaN]);
  });

  test('[1,NA] = [1,NA] is true; NA = NA is missing', async () => {
    const a = lit('Array[Int32]', [1, null]);
    await expectValue(
      `(MakeArray None (ApplyComparisonOp EQ ${a} ${a}) (ApplyComparisonOp EQ (NA Int32) (NA Int32)) (ApplyComparisonOp LT ${a} ${lit('Array[Int32]', [1, 2])}) (ApplyComparisonOp EQ ${lit('Struct{a:Int32}', { a: null })} ${lit('Struct{a:Int32}', { a: null })}))`,
      [true, null, false, true],
    );
  });

  test('ORDER BY DESC puts missing last, as ascending does', async () => {
    const t = par('Struct{v:Int32}', [{ v: 2 }, { v: null }, { v: 3 }, { v: 1 }]);
    await expectValue(`(TableOrderBy (Dv) ${t})`, table([[3], [2], [1], [null]]));
    await expectValue(`(TableOrderBy (Av) ${t})`, table([[1], [2], [3], [null]]));
  });

  test('strings compare by code point: U+FFFF < U+1F600 (UTF-16 would say otherwise)', async () => {
    const s = (x: string) => `(Str ${printString(x)})`;
    await expectValue(`(MakeArray None (ApplyComparisonOp LT ${s('\uffff')} ${s('😀')}) (ApplyComparisonOp LT ${s('a')} ${s('b')}) (ApplyComparisonOp LT ${s('')} ${s('a')}))`, [true, true, true]);
    await expectValue(`(ToSet (ToStream False ${lit('Array[String]', ['😀', '\uffff', 'z'])}))`, ['z', '\uffff', '😀']);
  });

  test('float to int Cast truncates toward zero (DuckDB rounds half to even)', async () => {
    await expectValue(
      '(MakeArray None (Cast Int32 (F64 2.7)) (Cast Int32 (F64 -2.5)) (Cast Int32 (F64 2.5)) (Cast Int32 (F64 -2.7)) (Cast Int32 (F64 0.5)) (Cast Int32 (F32 3.5)) (Cast Int32 (F64 2147483647.9)) (Cast Int32 (F64 -2147483648.0)))',
      [2, -2, 2, -2, 0, 3, I32_MAX, I32_MIN],
    );
    await expectValue('(MakeArray None (Cast Int64 (F64 -2.7)) (Cast Int64 (F64 9007199254740993.0)) (Cast Int64 (F64 -9223372036854775808.0)))', [-2n, 9007199254740992n, I64_MIN]);
  });

  // The range check applies to the truncated value: -2147483648.9 truncates to Int32 MIN.
  test('float to int Cast: a negative value that fits after truncation (-2147483648.9 -> Int32 MIN)', async () => {
    await expectValue('(MakeArray None (Cast Int32 (F64 -2147483648.9)) (Cast Int32 (F64 -2147483648.5)))', [I32_MIN, I32_MIN]);
  });

  test('float to int Cast of NaN, inf or out of range is CastOutOfRange', async () => {
    await expectError('(Cast Int32 (F64 nan))', 'CastOutOfRange');
    await expectError('(Cast Int64 (F64 inf))', 'CastOutOfRange');
    await expectError('(Cast Int32 (F64 neginf))', 'CastOutOfRange');
    await expectError('(Cast Int32 (F64 2147483648.0))', 'CastOutOfRange');
    await expectError('(Cast Int32 (F64 -2147483649.0))', 'CastOutOfRange');
    await expectError('(Cast Int64 (F64 9223372036854775808.0))', 'CastOutOfRange');
    await expectError('(Cast Int32 (F32 nan))', 'CastOutOfRange');
    await expectValue('(Cast Int32 (NA Float64))', null);
  });
});

// ---- a 3,000-branch rule model ---------------------------------------------------------------------

describe('max_expression_depth: a 3,000-branch If chain', () => {
  const branches = 3000;
  /** If idx < 0 then 0 else if idx < 1 then 1 ... : row idx gets score (idx + 1) for idx < 3000. */
  function ruleModel(): string {
    const parts: string[] = [];
    for (let i = 0; i < branches; i++) parts.push(`(If (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 ${i})) (I32 ${i}) `);
    parts.push('(I32 -1)');
    parts.push(')'.repeat(branches));
    return `(TableMapRows (TableRange 3005 None) (InsertFields (Ref row) None (score ${parts.join('')})))`;
  }

  // Row idx gets the first i with idx < i, i.e. idx + 1, for idx < 2999; from 2999 on, -1.
  const scores = Array.from({ length: 3005 }, (_, idx) => (idx < branches - 1 ? idx + 1 : -1));

  test('compiles flat and runs on DuckDB with the interpreter result', async () => {
    const text = `(TableAggregate ${ruleModel()} (MakeStruct (s (ApplyAggOp Sum () ((Cast Int64 (GetField score (Ref row)))))) (m (ApplyAggOp Min () ((GetField score (Ref row))))) (l (ApplyAggOp Collect () ((GetField score (Ref row)))))))`;
    const ir = parse(text);
    expect(compileProgram(ir).depth).toBeLessThan(50);
    const sum = BigInt(((branches - 1) * branches) / 2 - 6); // 1 + ... + 2999, and six -1s
    expect(sum).toBe(4498494n);
    await expectValue(ir, [sum, -1, scores]);
  });

  test('as a table program too', async () => {
    const ir = parse(ruleModel());
    expect(compileProgram(ir).depth).toBeLessThan(50);
    await expectValue(ir, table(scores.map((s, idx) => [idx, s])));
  });
});

// ---- §2 integers --------------------------------------------------------------------------------

describe('§2 integer overflow is IntegerOverflow', () => {
  const cases: [string, string][] = [
    ['Int32 Add', `(ApplyBinaryPrimOp Add (I32 ${I32_MAX}) (I32 1))`],
    ['Int32 Add (negative)', `(ApplyBinaryPrimOp Add (I32 ${I32_MIN}) (I32 -1))`],
    ['Int32 Subtract', `(ApplyBinaryPrimOp Subtract (I32 0) (I32 ${I32_MIN}))`],
    ['Int32 Multiply', '(ApplyBinaryPrimOp Multiply (I32 65536) (I32 32768))'],
    ['Int32 Negate', `(ApplyUnaryPrimOp Negate (I32 ${I32_MIN}))`],
    ['Int32 abs(MIN)', `(Apply -1 abs () Int32 (I32 ${I32_MIN}))`],
    ['Int32 MIN // -1', `(ApplyBinaryPrimOp RoundToNegInfDivide (I32 ${I32_MIN}) (I32 -1))`],
    ['Int64 Add', '(ApplyBinaryPrimOp Add (I64 9223372036854775807) (I64 1))'],
    ['Int64 Subtract', '(ApplyBinaryPrimOp Subtract (I64 -9223372036854775808) (I64 1))'],
    ['Int64 Multiply', '(ApplyBinaryPrimOp Multiply (I64 4294967296) (I64 2147483648))'],
    ['Int64 Negate', '(ApplyUnaryPrimOp Negate (I64 -9223372036854775808))'],
    ['Int64 abs(MIN)', '(Apply -1 abs () Int64 (I64 -9223372036854775808))'],
    ['Int64 MIN // -1', '(ApplyBinaryPrimOp RoundToNegInfDivide (I64 -9223372036854775808) (I64 -1))'],
    ['Cast Int64 -> Int32 (high)', '(Cast Int32 (I64 2147483648))'],
    ['Cast Int64 -> Int32 (low)', '(Cast Int32 (I64 -2147483649))'],
    ['toInt32 of a large Int64', '(Apply -1 toInt32 () Int32 (I64 3000000000))'],
    ['Int32 Add of values from a table', `(TableAggregate (TableRange 3 None) (ApplyAggOp Collect () ((ApplyBinaryPrimOp Add (GetField idx (Ref row)) (I32 ${I32_MAX - 1})))))`],
    ['Int64 Multiply inside a stream', `(ToArray (StreamMap x ${range(0, 3)} (ApplyBinaryPrimOp Multiply (Cast Int64 (Ref x)) (I64 ${I64_MAX}))))`],
  ];
  test.each(cases)('%s', async (_name, text) => {
    await expectError(text, 'IntegerOverflow');
  });

  test('results right at the bounds do not overflow', async () => {
    await expectValue(
      `(MakeTuple (0 1 2 3 4 5) (ApplyBinaryPrimOp Add (I64 9223372036854775806) (I64 1)) (ApplyBinaryPrimOp Multiply (I64 -4611686018427387904) (I64 2))
        (ApplyUnaryPrimOp Negate (I64 9223372036854775807)) (ApplyBinaryPrimOp RoundToNegInfDivide (I32 ${I32_MIN}) (I32 1)) (Cast Int32 (I64 -2147483648)) (Apply -1 abs () Int32 (I32 ${I32_MIN + 1})))`,
      [I64_MAX, I64_MIN, -I64_MAX, I32_MIN, I32_MIN, I32_MAX],
    );
  });

  test('Sum of Int64 raises when only the result overflows; partial sums that overflow and come back do not', async () => {
    await expectError(streamAgg('Array[Int64]', '[9223372036854775807,1]', '(ApplyAggOp Sum () ((Ref x)))'), 'IntegerOverflow');
    await expectError(streamAgg('Array[Int64]', '[-9223372036854775808,-1]', '(ApplyAggOp Sum () ((Ref x)))'), 'IntegerOverflow');
    await expectValue(streamAgg('Array[Int64]', '[9223372036854775807,1,-1]', '(ApplyAggOp Sum () ((Ref x)))'), I64_MAX);
    await expectValue(streamAgg('Array[Int64]', '[9223372036854775807,9223372036854775807,-9223372036854775808,-9223372036854775808,1]', '(ApplyAggOp Sum () ((Ref x)))'), -1n);
    // the same over table rows
    const rows = (xs: string) => `(TableParallelize None (Literal Struct{rows:Array[Struct{v:Int64}],global:Struct{}} '{"rows":[${xs}],"global":{}}'))`;
    const sum = (xs: string) => `(TableAggregate ${rows(xs)} (ApplyAggOp Sum () ((GetField v (Ref row)))))`;
    await expectError(sum('{"v":9223372036854775807},{"v":2}'), 'IntegerOverflow');
    await expectValue(sum('{"v":9223372036854775807},{"v":2},{"v":null},{"v":-3}'), I64_MAX - 1n);
  });

  test('Product of Int64: exactly MIN is fine, past it is IntegerOverflow', async () => {
    await expectValue(streamAgg('Array[Int64]', '[4611686018427387904,-2]', '(ApplyAggOp Product () ((Ref x)))'), I64_MIN);
    await expectError(streamAgg('Array[Int64]', '[4611686018427387904,2]', '(ApplyAggOp Product () ((Ref x)))'), 'IntegerOverflow');
  });
});

// ---- §3 floats --------------------------------------------------------------------------------

describe('§2 integer overflow in a comparison with a constant', () => {
  test('DuckDB would move the constants across (x + c1 <= c2 to x <= c2 - c1) and never overflow', async () => {
    for (const [op, c] of [['Add', '2147483646'], ['Subtract', '-2147483647'], ['Multiply', '1073741824']] as const) {
      await expectError(`(TableFilter (TableRange 3 None) (ApplyComparisonOp LTEQ (ApplyBinaryPrimOp ${op} (GetField idx (Ref row)) (I32 ${c})) (I32 2147483647)))`, 'IntegerOverflow');
    }
    await expectError('(TableAggregate (TableRange 3 None) (ApplyComparisonOp GT (I64 9223372036854775807) (ApplyBinaryPrimOp Add (ApplyAggOp Count () ()) (I64 9223372036854775807))))', 'IntegerOverflow');
  });
});

describe('§2 a scan\'s Sum or Product is range-checked where its value is read', () => {
  test('rows whose value no branch reads raise nothing', async () => {
    const rows = { rows: [[0, null, null], [1, null, null], [2, null, null]], global: [] };
    await expectValue("(TableMapRows (TableRange 3 None)\n  (InsertFields (Ref row) None\n    (s (If (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))\n         (ApplyScanOp Sum () ((I64 7553101077806043493)))\n         (NA Int64)))\n    (p (If (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))\n         (AggExplode e True (ToStream False (Literal Array[Int32] \"[1]\")) (ApplyScanOp Product () ((I64 -5067495830778618749))))\n         (NA Int64)))))", rows);
    await expectValue("(TableMapRows (TableRange 3 None)\n  (InsertFields (Ref row) None\n    (p (If (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))\n         (AggExplode e True (ToStream False (Literal Array[Int32] \"[1]\")) (ApplyScanOp Product () ((I64 -5067495830778618749))))\n         (NA Int64)))))", { rows: rows.rows.map((r) => [r[0], null]), global: [] });
  });
  test('an aggregation\'s explode whose Product is out of range, in a branch not taken: the rows\' work runs, the range check does not', async () => {
    await expectValue("(TableAggregate\n  (TableOrderBy (Dfrom Dacc)\n    (TableAggregateByKey (TableRange 2 2) (NA Struct{from:Int64,acc:Boolean})))\n  (If\n    (ApplyAggOp Max () ((False)))\n    (AggExplode Let False\n      (ToStream False\n        (Literal Array[Struct{x:Boolean,`\"`:Float32}] \"[{\\\"x\\\":true,\\\"\\\\\\\"\\\":0},{\\\"x\\\":true,\\\"\\\\\\\"\\\":0.5},{\\\"x\\\":true,\\\"\\\\\\\"\\\":0.33333334},null]\"))\n      (ApplyAggOp Product () ((Literal Int64 \"-2147483649\"))))\n    (NA Int64)))", null);
  });
  test('a product past Int64 on the way back inside it is still an overflow, and a zero makes it 0', async () => {
    const prod = (xs: string) => `(StreamAgg x (ToStream False (Literal Array[Int64] "${xs}")) (ApplyAggOp Product () ((Ref x))))`;
    await expectError(prod('[4611686018427387904,4,-1]'), 'IntegerOverflow');
    await expectValue(prod('[4611686018427387904,4,0]'), 0n);
    await expectValue(prod('[-4611686018427387904,2]'), -9223372036854775808n);
  });
  test('a Sum or Product out of range raises where only its presence or a comparison with a constant is read', async () => {
    // DuckDB drops a CAST's range check there (`CAST(h AS BIGINT) = 5` becomes `h = 5`).
    const agg = (op: string, read: (x: string) => string) => `(TableAggregate (TableRange 9 None) ${read(`(ApplyAggOp ${op} () ((I64 1038706455176274780)))`)})`;
    for (const op of ['Sum', 'Product']) {
      await expectError(agg(op, (x) => `(ApplyComparisonOp NEQWithNA ${x} (NA Int64))`), 'IntegerOverflow');
      await expectError(agg(op, (x) => `(ApplyComparisonOp EQ ${x} (I64 5))`), 'IntegerOverflow');
    }
  });
  test('an operand a known branch makes missing makes the operation missing by its form: the other operand is not evaluated', async () => {
    await expectValue('(Let eval y (ApplyComparisonOp Compare (If (True) (NA Int32) (I32 2)) (ApplyBinaryPrimOp Multiply (I32 1186189520) (I32 63))) (ToArray (StreamTake (ToStream False (Literal Array[Int32] "[1,2]")) (Ref y))))', null);
  });
});

describe('§3 floating point literals', () => {
  test('NaN, inf, neginf and -0.0 round-trip (F64, F32, Literal, NA stays missing)', async () => {
    const { interp, duck } = await both(
      `(MakeTuple (0 1 2 3 4 5 6 7) (F64 nan) (F64 inf) (F64 neginf) (F64 -0.0) (F32 -0.0) (F32 neginf) ${lit('Array[Float64]', '["NaN","Infinity","-Infinity",-0.0,0,null]')} (F64 0.0))`,
    );
    const expected = [NaN, Infinity, -Infinity, -0, -0, -Infinity, [NaN, Infinity, -Infinity, -0, 0, null], 0];
    for (const o of [interp, duck]) {
      expect(describeOutcome(o)).toBe(show(expected));
      if (!o.ok) throw new Error('expected a value');
      const v = o.value as Value[];
      expect(Object.is(v[3], -0)).toBe(true);
      expect(Object.is(v[7], 0)).toBe(true);
      expect(Object.is((v[6] as Value[])[3], -0)).toBe(true);
      expect(Number.isNaN(v[0])).toBe(true);
    }
  });

  test('-0.0 survives arithmetic; sign(-0.0) is 0.0', async () => {
    await expectValue('(MakeArray None (ApplyUnaryPrimOp Negate (F64 0.0)) (ApplyBinaryPrimOp Multiply (F64 -1.0) (F64 0.0)) (Apply -1 sign () Float64 (F64 -0.0)))', [-0, -0, 0]);
  });

  test('Float64 overflow gives inf, never an error', async () => {
    await expectValue('(MakeArray None (ApplyBinaryPrimOp Multiply (F64 1e308) (F64 10.0)) (ApplyBinaryPrimOp Multiply (F64 -1e308) (F64 10.0)) (Cast Float64 (Cast Float32 (F64 1e300))))', [Infinity, -Infinity, Infinity]);
  });
});

// BUG (backend): DuckDB 1.5.5 turns -0.0 into 0.0 in a LIST returned by a scalar subquery
// (`SELECT (SELECT [CAST('-0.0' AS DOUBLE)])` gives [0.0]) and in a DOUBLE column it sorts by
// (`... ORDER BY v` outputs 0.0), so -0.0 inside tables loses its sign; semantics.md §3: -0.0
// and 0.0 are equal but remain distinct values, and of two equal keys the first seen is kept.
describe('§3 -0.0 through tables', () => {
  const negZero = (rows: string) => `(TableParallelize None ${lit('Struct{rows:Array[Struct{k:Float64,v:Int32}],global:Struct{}}', `{"rows":[${rows}],"global":{}}`)})`;

  test('PrevNonnull over ordered rows keeps -0.0 (DuckDB ordered aggregates drop the sign)', async () => {
    await expectValue('(TableAggregate (TableRange 3 None) (ApplyAggOp PrevNonnull () ((ApplyUnaryPrimOp Negate (F64 0.0)))))', -0);
    await expectValue('(ApplyBinaryPrimOp RoundToNegInfDivide (F32 1.0) (TableAggregate (TableRange 10 None) (ApplyAggOp PrevNonnull () ((ApplyUnaryPrimOp Negate (F32 0.0))))))', -Infinity);
  });

  test('an aggregation returning a container keeps its -0.0s, PrevNonnull of a struct too', async () => {
    // Found by the harness: 0.33333334 / PrevNonnull({a: -0.0}).a, sign: -1 in the interpreter, 1 in DuckDB.
    await expectValue(
      `(ApplyBinaryPrimOp FloatingPointDivide (F32 1.0) (GetField a (StreamAgg k (ToStream False ${lit('Array[Int64]', '[42,7,-3]')}) (ApplyAggOp PrevNonnull () (${lit('Struct{a:Float32}', '{"a":-0.0}')})))))`,
      -Infinity,
    );
    await expectValue(`(StreamAgg k (ToStream False ${lit('Array[Float64]', '[-0.0,1.0]')}) (ApplyAggOp Collect () ((Ref k))))`, [-0, 1]);
    await expectValue(`(TableAggregate (TableRange 3 None) (MakeStruct (a (ApplyAggOp Collect () ((ApplyUnaryPrimOp Negate (F64 0.0)))))))`, [[-0, -0, -0]]);
  });
  test('a -0.0 row value of a table program keeps its sign', async () => {
    await expectValue(negZero('{"k":-0.0,"v":1}'), table([[-0, 1]]));
  });
  test('a closed global read through its CTE keeps -0.0', async () => {
    await expectValue('(ApplyBinaryPrimOp FloatingPointDivide (F32 2.0) (GetField idx (TableGetGlobals (TableParallelize 4 (Literal Struct{rows:Array[Struct{a:Int32}],global:Struct{idx:Float32,b:String}} "{\\"rows\\":[],\\"global\\":{\\"idx\\":-0.0,\\"b\\":\\"x\\"}}")))))', -Infinity);
  });
  test('a fold run as a recursive CTE keeps a -0.0 result (DuckDB turns a correlated ORDER BY ... LIMIT 1 into arg_max)', async () => {
    await expectValue("(ApplyBinaryPrimOp FloatingPointDivide (F32 -1.0) (StreamFold a z (ToStream False (Literal Array[Int32] \"[1,2]\")) (NA Float32) (ApplyBinaryPrimOp FloatingPointDivide (StreamAgg z (ToStream False (Literal Array[Float64] \"[2.0]\")) (ApplyAggOp PrevNonnull () ((F32 1e-45)))) (F32 neginf))))", Infinity);
  });
  test.fails('TableCollect and aggregators over table rows keep -0.0', async () => {
    await expectValue(`(TableCollect ${negZero('{"k":-0.0,"v":1}')})`, [[[-0, 1]], []]);
    await expectValue(`(TableAggregate ${negZero('{"k":-0.0,"v":1},{"k":0.0,"v":2}')} (MakeTuple (0 1) (ApplyAggOp Min () ((GetField k (Ref row)))) (ApplyAggOp Collect () ((GetField k (Ref row))))))`, [-0, [-0, 0]]);
  });
  test('sorting by a Float64 column (TableKeyBy, TableOrderBy) keeps -0.0', async () => {
    await expectValue(keyBy('k', negZero('{"k":1.0,"v":1},{"k":-0.0,"v":2}')), table([[-0, 2], [1, 1]]));
    await expectValue(`(TableOrderBy (Dk) ${negZero('{"k":0.0,"v":1},{"k":-0.0,"v":2},{"k":"NaN","v":3}')})`, table([[NaN, 3], [0, 1], [-0, 2]]));
  });
  test.fails('grouping keeps the first of -0.0 and 0.0 as the key (TableDistinct, AggGroupBy)', async () => {
    await expectValue(`(TableDistinct ${keyBy('k', negZero('{"k":-0.0,"v":1},{"k":0.0,"v":2}'))})`, table([[-0, 1]]));
    await expectValue(streamAgg('Array[Float64]', '[-0.0,0.0,1.0]', '(AggGroupBy False (Ref x) (ApplyAggOp Count () ()))'), [[-0, 2n], [1, 1n]]);
  });
  test('-0.0 in value-level collections keeps its sign (ToSet, ArraySort, Min)', async () => {
    await expectValue(
      `(MakeTuple (0 1 2) (ToSet (ToStream False ${lit('Array[Float64]', '[-0.0,0.0]')})) (ArraySort l r (ToStream False ${lit('Array[Float64]', '[1.0,-0.0]')}) (ApplyComparisonOp LT (Ref l) (Ref r))) ${streamAgg('Array[Float64]', '[-0.0,0.0]', '(ApplyAggOp Min () ((Ref x)))')})`,
      [[-0], [-0, 1], -0],
    );
  });
});

// ---- §1 missing values --------------------------------------------------------------------------

describe('§1 NULL handling', () => {
  test('comparisons with NA are missing; EQWithNA and NEQWithNA never are', async () => {
    await expectValue(
      `(MakeArray None (ApplyComparisonOp EQ (NA Int32) (I32 1)) (ApplyComparisonOp LT (I32 1) (NA Int32)) (ApplyComparisonOp NEQ (NA String) (Str "a")) (IsNA (ApplyComparisonOp Compare (NA Int32) (I32 1)))
        (ApplyComparisonOp EQWithNA (NA Int32) (NA Int32)) (ApplyComparisonOp EQWithNA (NA Int32) (I32 1)) (ApplyComparisonOp NEQWithNA (NA Int32) (NA Int32)) (ApplyComparisonOp NEQWithNA (I32 1) (NA Int32)) (ApplyComparisonOp EQWithNA (I32 2) (I32 2)))`,
      [null, null, null, true, true, false, false, true, true],
    );
  });

  test('a strict operation with a missing operand is missing (operands that cannot fail)', async () => {
    await expectValue(`(MakeArray None (ApplyBinaryPrimOp Add (NA Int32) (I32 1)) (ApplyBinaryPrimOp Add (GetField a ${lit('Struct{a:Int32}', { a: null })}) (I32 1)) (Apply -1 abs () Int32 (NA Int32)) (Cast Int32 (NA Int64)))`, [null, null, null, null]);
  });

  test('static missingness: an operand missing by its form folds the operation to missing, evaluating nothing else', async () => {
    await expectValue('(ApplyBinaryPrimOp Add (NA Int32) (Die Int32 -1 (Str "never")))', null);
    await expectValue('(ApplyBinaryPrimOp Add (ApplyUnaryPrimOp Negate (NA Int32)) (Die Int32 -1 (Str "never")))', null);
    await expectValue(`(ApplyComparisonOp EQ (Literal Int32 "null") (ArrayRef -1 (MakeArray Array[Int32]) (I32 0)))`, null);
  });

  test('an operand missing at run time (an aggregation result) does not stop the other operand from raising', async () => {
    await expectError('(TableAggregate (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))) (ApplyBinaryPrimOp Add (ApplyAggOp Min () ((GetField idx (Ref row)))) (Die Int32 -1 (Str "right operand"))))', 'Die', 'right operand');
  });

  test('an operand missing at run time (a table field) does not stop the other operand from raising', async () => {
    await expectError(
      `(TableAggregate ${par('Struct{v:Int32}', [{ v: null }])} (ApplyAggOp Collect () ((ApplyComparisonOp EQ (GetField v (Ref row)) (ArrayRef -1 (MakeArray Array[Int32]) (I32 0))))))`,
      'ArrayIndexOutOfBounds',
    );
  });

  test('If with a missing condition is missing and evaluates neither branch', async () => {
    await expectValue('(If (NA Boolean) (Die Int32 -1 (Str "then")) (Die Int32 -1 (Str "else")))', null);
    await expectValue('(If (ApplyComparisonOp LT (NA Int32) (I32 1)) (I32 1) (I32 2))', null);
    await expectValue('(MakeArray None (If (True) (I32 1) (Die Int32 -1 (Str "no"))) (If (False) (Die Int32 -1 (Str "no")) (I32 2)))', [1, 2]);
    // over rows: a condition computed per row, missing for some
    await expectValue(
      `(TableAggregate ${par('Struct{c:Boolean}', [{ c: true }, { c: null }, { c: false }])} (ApplyAggOp Collect () ((If (GetField c (Ref row)) (Str "t") (Str "f")))))`,
      ['t', null, 'f'],
    );
  });

  test('Coalesce returns the first present value, evaluating nothing after it', async () => {
    await expectValue(
      '(MakeArray None (Coalesce (NA Int32) (I32 2) (Die Int32 -1 (Str "lazy"))) (Coalesce (NA Int32) (NA Int32)) (Coalesce (I32 1) (NA Int32)))',
      [2, null, 1],
    );
  });

  test('IsNA is true or false, never missing', async () => {
    await expectValue(
      `(MakeArray None (IsNA (NA Int32)) (IsNA (I32 0)) (IsNA (NA Array[Int32])) (IsNA (MakeArray Array[Int32])) (IsNA (GetField a ${lit('Struct{a:String}', { a: null })})) (IsNA (Str "")) (IsNA (ApplyBinaryPrimOp Add (NA Int32) (I32 1))))`,
      [true, false, true, false, true, false, true],
    );
  });

  test('Count counts rows with missing values; Sum, Min and Max skip them', async () => {
    const t = par('Struct{v:Int64,f:Float64}', [{ v: null, f: null }, { v: 5, f: 2.5 }, { v: null, f: null }, { v: -2, f: -1 }]);
    await expectValue(
      `(TableAggregate ${t} (MakeTuple (0 1 2 3 4 5) (ApplyAggOp Count () ()) (ApplyAggOp Sum () ((GetField v (Ref row)))) (ApplyAggOp Min () ((GetField v (Ref row))))
        (ApplyAggOp Max () ((GetField f (Ref row)))) (ApplyAggOp Sum () ((GetField f (Ref row)))) (ApplyAggOp Product () ((GetField v (Ref row))))))`,
      [4n, 3n, -2n, 2.5, 1.5, -10n],
    );
    const allMissing = par('Struct{v:Int64}', [{ v: null }, { v: null }]);
    await expectValue(`(TableAggregate ${allMissing} (MakeTuple (0 1 2 3) (ApplyAggOp Count () ()) (ApplyAggOp Sum () ((GetField v (Ref row)))) (ApplyAggOp Min () ((GetField v (Ref row)))) (ApplyAggOp Product () ((GetField v (Ref row))))))`, [2n, 0n, null, 1n]);
  });
});

// ---- §6 collections ---------------------------------------------------------------------------------

describe('§6 lists, sets and dicts', () => {
  test('a missing element sorts last in ToSet; duplicates go', async () => {
    await expectValue(`(ToSet (ToStream False ${lit('Array[Int32]', [3, null, 1, 3, null, -2])}))`, [-2, 1, 3, null]);
    await expectValue(`(ToSet (ToStream False ${lit('Array[String]', ['b', null, 'a', 'b'])}))`, ['a', 'b', null]);
  });

  test('ToDict: sorted by key, the last pair for a repeated key wins, a missing key sorts last', async () => {
    await expectValue(
      `(ToDict (ToStream False ${lit('Array[Tuple[String,Int32]]', [['b', 1], ['a', 2], ['b', 3], [null, 4], ['a', null], [null, 5]])}))`,
      [['a', null], ['b', 3], [null, 5]],
    );
  });

  test('ArraySort by LT or GT: the total order, stable for equal values', async () => {
    await expectValue(`(ArraySort l r (ToStream False ${lit('Array[Int32]', [3, 1, 2, 1])}) (ApplyComparisonOp LT (Ref l) (Ref r)))`, [1, 1, 2, 3]);
    await expectValue(`(ArraySort l r (ToStream False ${lit('Array[Float64]', '[1.0,-0.0,"NaN","-Infinity",0.0]')}) (ApplyComparisonOp GT (Ref l) (Ref r)))`, [NaN, 1, -0, 0, -Infinity]);
    await expectValue(`(ArraySort l r (ToStream False ${lit('Array[Float64]', '[0.0,-0.0,-1.0]')}) (ApplyComparisonOp LT (Ref l) (Ref r)))`, [-1, 0, -0]);
    await expectValue(`(ArraySort l r (ToStream False ${lit('Array[Int32]', [2, null, 1])}) (ApplyComparisonOp LT (Ref l) (Ref r)))`, [1, 2, null]);
  });

  test('ArraySort: missing elements are not compared; they go last, in their original order (LT and GT)', async () => {
    const a = lit('Array[Struct{v:Int32,tag:String}]', [{ v: null, tag: 'n1' }, { v: 3, tag: 'a' }, { v: null, tag: 'n2' }, { v: 1, tag: 'b' }]);
    const byV = (op: string) => `(ToArray (StreamMap e (ToStream False (ArraySort l r (ToStream False (ToArray (StreamMap s (ToStream False ${a}) (GetField v (Ref s))))) (ApplyComparisonOp ${op} (Ref l) (Ref r)))) (Ref e)))`;
    await expectValue(byV('LT'), [1, 3, null, null]);
    await expectValue(byV('GT'), [3, 1, null, null]);
    await expectValue(`(ArraySort l r (ToStream False ${lit('Array[Int32]', [null, 1])}) (ApplyComparisonOp LT (Ref l) (Ref r)))`, [1, null]);
  });

  test('a missing collection stays missing through ToSet, ToDict, StreamTake, StreamDrop', async () => {
    await expectValue(
      `(MakeTuple (0 1 2 3) (ToSet (ToStream False (NA Array[Int32]))) (ToDict (ToStream False (NA Array[Tuple[Int32,Int32]]))) (ToArray (StreamTake (ToStream False (NA Array[Int32])) (I32 1))) (ToArray (StreamDrop (ToStream False (NA Array[Int32])) (I32 1))))`,
      [null, null, null, null],
    );
  });

  test('a stream over ToSet (or a struct ArraySort) of a missing array is missing', async () => {
    await expectValue('(StreamAgg x (ToStream False (ToSet (ToStream False (NA Array[Int32])))) (ApplyAggOp Count () ()))', null);
    await expectValue(
      '(StreamAgg x (ToStream False (ArraySort l r (ToStream False (NA Array[Struct{a:Int32}])) (ApplyComparisonOp LT (Ref l) (Ref r)))) (ApplyAggOp Count () ()))',
      null,
    );
  });

  test('Sets and dicts iterate in key order', async () => {
    await expectValue(`(ToArray (StreamMap p (ToStream False ${lit('Dict[Int32,String]', [{ key: 2, value: 'b' }, { key: 1, value: 'a' }])}) (GetField value (Ref p))))`, ['a', 'b']);
  });
});

describe('§6 streams', () => {
  test('StreamRange: ascending, descending, empty, missing bound', async () => {
    await expectValue(
      `(MakeTuple (0 1 2 3 4) (ToArray ${range(0, 5, 2)}) (ToArray ${range(5, 0, -2)}) (ToArray ${range(3, 3)}) (ToArray ${range(3, 0)}) (ToArray (StreamRange -1 False (I32 0) (NA Int32) (I32 1))))`,
      [[0, 2, 4], [5, 3, 1], [], [], null],
    );
    await expectValue(`(ToArray (StreamRange -1 False (I32 2147483645) (I32 ${I32_MAX}) (I32 5)))`, [2147483645]);
    await expectError(`(ToArray ${range(0, 5, 0)})`, 'InvalidArgument');
  });

  test('StreamFold goes left to right; over a missing stream it is missing', async () => {
    await expectValue(
      `(MakeTuple (0 1 2) (StreamFold acc x ${range(1, 5)} (I32 0) (ApplyBinaryPrimOp Subtract (ApplyBinaryPrimOp Multiply (Ref acc) (I32 10)) (Ref x)))
        (StreamFold acc x (ToStream False (NA Array[Int32])) (I32 0) (ApplyBinaryPrimOp Add (Ref acc) (Ref x)))
        (StreamFold acc x ${range(0, 0)} (I32 42) (ApplyBinaryPrimOp Add (Ref acc) (Ref x))))`,
      // ((((0*10-1)*10-2)*10-3)*10-4) = -1234
      [-1234, null, 42],
    );
  });

  test('StreamScan yields zero, then each accumulator; missing stream is missing', async () => {
    await expectValue(
      `(MakeTuple (0 1 2) (ToArray (StreamScan acc x ${range(1, 4)} (I32 0) (ApplyBinaryPrimOp Add (Ref acc) (Ref x)))) (ToArray (StreamScan acc x ${range(0, 0)} (I32 7) (Ref x)))
        (ToArray (StreamScan acc x (ToStream False (NA Array[Int32])) (I32 0) (Ref x))))`,
      [[0, 1, 3, 6], [7], null],
    );
  });

  test('StreamZip: TakeMinLength, ExtendNA, AssertSameLength, AssumeSameLength', async () => {
    const zip = (b: string, x: string, y: string) => `(ToArray (StreamZip -1 ${b} (a b) ${x} ${y} (MakeTuple (0 1) (Ref a) (Ref b))))`;
    await expectValue(zip('TakeMinLength', range(0, 3), range(10, 12)), [[0, 10], [1, 11]]);
    await expectValue(zip('ExtendNA', range(0, 3), range(10, 11)), [[0, 10], [1, null], [2, null]]);
    await expectValue(zip('ExtendNA', range(0, 1), range(10, 12)), [[0, 10], [null, 11]]);
    await expectValue(zip('AssertSameLength', range(0, 2), range(5, 7)), [[0, 5], [1, 6]]);
    await expectError(zip('AssertSameLength', range(0, 3), range(10, 12)), 'InvalidArgument');
    await expectError(zip('AssumeSameLength', range(0, 3), range(10, 12)), 'InvalidArgument');
  });

  test('StreamTake and StreamDrop; a negative count is InvalidArgument', async () => {
    await expectValue(`(MakeTuple (0 1 2) (ToArray (StreamTake ${range(0, 5)} (I32 2))) (ToArray (StreamDrop ${range(0, 5)} (I32 3))) (ToArray (StreamTake ${range(0, 2)} (I32 9))))`, [[0, 1], [3, 4], [0, 1]]);
    await expectError(`(ToArray (StreamTake ${range(0, 5)} (I32 -1)))`, 'InvalidArgument');
  });
});

// ---- §5 aggregation ------------------------------------------------------------------------------

describe('§5 aggregators', () => {
  test('AggGroupBy: missing is a key, sorted last', async () => {
    await expectValue(
      streamAgg('Array[Int32]', [2, null, 1, 2, null], '(AggGroupBy False (Ref x) (ApplyAggOp Count () ()))'),
      [[1, 1n], [2, 2n], [null, 2n]],
    );
    await expectValue(
      `(TableAggregate ${par('Struct{k:String,v:Int64}', [{ k: 'b', v: 1 }, { k: null, v: 2 }, { k: 'a', v: 3 }, { k: 'b', v: 4 }, { k: null, v: 5 }])}
        (AggGroupBy False (GetField k (Ref row)) (ApplyAggOp Collect () ((GetField v (Ref row))))))`,
      [['a', [3n]], ['b', [1n, 4n]], [null, [2n, 5n]]],
    );
  });

  test('Collect keeps row order and missing values', async () => {
    await expectValue(streamAgg('Array[Int32]', [3, null, 1, null], '(ApplyAggOp Collect () ((Ref x)))'), [3, null, 1, null]);
    await expectValue(`(TableAggregate ${par('Struct{s:String}', [{ s: 'z' }, { s: null }, { s: 'a' }])} (ApplyAggOp Collect () ((GetField s (Ref row)))))`, ['z', null, 'a']);
    await expectValue(`(TableAggregate (TableRange 5 None) (ApplyAggOp Collect () ((ApplyBinaryPrimOp Subtract (I32 10) (GetField idx (Ref row))))))`, [10, 9, 8, 7, 6]);
  });

  test('Take: the first n in row order, missing included; a negative count is InvalidArgument', async () => {
    await expectValue(
      `(MakeTuple (0 1 2) ${streamAgg('Array[Int32]', [null, 5, 6], '(ApplyAggOp Take ((I32 2)) ((Ref x)))')} ${streamAgg('Array[Int32]', [null, 5, 6], '(ApplyAggOp Take ((I32 9)) ((Ref x)))')} ${streamAgg('Array[Int32]', [1], '(ApplyAggOp Take ((I32 0)) ((Ref x)))')})`,
      [[null, 5], [null, 5, 6], []],
    );
    await expectValue(`(TableAggregate (TableRange 10 None) (ApplyAggOp Take ((I32 3)) ((GetField idx (Ref row)))))`, [0, 1, 2]);
    await expectError(streamAgg('Array[Int32]', [1], '(ApplyAggOp Take ((I32 -1)) ((Ref x)))'), 'InvalidArgument');
  });

  test('TakeBy: smallest keys first, missing keys last, ties in row order', async () => {
    const a = lit('Array[Struct{v:String,k:Int32}]', [{ v: 'a', k: 2 }, { v: 'b', k: null }, { v: 'c', k: 1 }, { v: 'd', k: 2 }, { v: 'e', k: 1 }]);
    await expectValue(
      `(MakeTuple (0 1) (StreamAgg x (ToStream False ${a}) (ApplyAggOp TakeBy ((I32 3)) ((GetField v (Ref x)) (GetField k (Ref x))))) (StreamAgg x (ToStream False ${a}) (ApplyAggOp TakeBy ((I32 10)) ((GetField v (Ref x)) (GetField k (Ref x))))))`,
      [['c', 'e', 'a'], ['c', 'e', 'a', 'd', 'b']],
    );
  });

  test('PrevNonnull: the last non-missing value; missing when none', async () => {
    await expectValue(
      `(MakeArray None ${streamAgg('Array[Int32]', [1, null, 3, null], '(ApplyAggOp PrevNonnull () ((Ref x)))')} ${streamAgg('Array[Int32]', [null, null], '(ApplyAggOp PrevNonnull () ((Ref x)))')})`,
      [3, null],
    );
  });

  test('Min and Max use the total order; the first of equal values is kept', async () => {
    await expectValue(
      `(MakeTuple (0 1 2 3) ${streamAgg('Array[Float64]', [1, 'NaN', -1], '(ApplyAggOp Max () ((Ref x)))')} ${streamAgg('Array[Float64]', [1, 'NaN', -1], '(ApplyAggOp Min () ((Ref x)))')}
        ${streamAgg('Array[Float64]', '[-0.0,0.0]', '(ApplyAggOp Min () ((Ref x)))')} ${streamAgg('Array[Float64]', '[0.0,-0.0]', '(ApplyAggOp Max () ((Ref x)))')})`,
      [NaN, -1, -0, 0],
    );
  });

  test('scans: row i sees rows 0..i-1', async () => {
    await expectValue(
      `(TableMapRows (TableRange 4 None) (InsertFields (Ref row) None
        (s (ApplyScanOp Sum () ((Cast Int64 (GetField idx (Ref row))))))
        (c (ApplyScanOp Count () ()))
        (m (ApplyScanOp Max () ((GetField idx (Ref row)))))
        (p (ApplyScanOp Collect () ((GetField idx (Ref row)))))
        (q (ApplyScanOp PrevNonnull () ((GetField idx (Ref row)))))))`,
      table([
        [0, 0n, 0n, null, [], null],
        [1, 0n, 1n, 0, [0], 0],
        [2, 1n, 2n, 1, [0, 1], 1],
        [3, 3n, 3n, 2, [0, 1, 2], 2],
      ]),
    );
    // on an unkeyed table, in its order
    await expectValue(
      `(TableMapRows ${par('Struct{v:Int32}', [{ v: 5 }, { v: null }, { v: 1 }])} (InsertFields (Ref row) None (p (ApplyScanOp Collect () ((GetField v (Ref row))))) (n (ApplyScanOp Min () ((GetField v (Ref row)))))))`,
      table([
        [5, [], null],
        [null, [5], 5],
        [1, [5, null], 5],
      ]),
    );
  });
});

// ---- §7 tables ------------------------------------------------------------------------------------

describe('§7 table order', () => {
  const kv = par('Struct{k:Int32,v:String}', [{ k: 2, v: 'a' }, { k: 1, v: 'b' }, { k: 2, v: 'c' }, { k: null, v: 'd' }, { k: 1, v: 'e' }]);

  test('TableCollect of an unkeyed table keeps array order; of a range, idx order', async () => {
    await expectValue(collectRows(kv), [[2, 'a'], [1, 'b'], [2, 'c'], [null, 'd'], [1, 'e']]);
    await expectValue(`(TableCollect (TableMapGlobals (TableRange 3 None) (MakeStruct (g (I32 9)))))`, [[[0], [1], [2]], [9]]);
  });

  test('TableHead and TableTail keep the order; all rows when fewer; none for 0', async () => {
    await expectValue(
      `(MakeTuple (0 1 2 3 4) ${collectRows(`(TableHead 2 ${kv})`)} ${collectRows(`(TableTail 2 ${kv})`)} ${collectRows(`(TableHead 9 ${kv})`)} ${collectRows(`(TableTail 0 ${kv})`)} ${collectRows(`(TableTail 2 ${keyBy('k', kv)})`)})`,
      [
        [[2, 'a'], [1, 'b']],
        [[null, 'd'], [1, 'e']],
        [[2, 'a'], [1, 'b'], [2, 'c'], [null, 'd'], [1, 'e']],
        [],
        [[2, 'c'], [null, 'd']],
      ],
    );
    await expectValue(`(TableHead 2 (TableOrderBy (Dk) ${kv}))`, table([[2, 'a'], [2, 'c']]));
  });

  test('TableOrderBy A and D: stable, missing last in both directions', async () => {
    await expectValue(`(TableOrderBy (Ak) ${kv})`, table([[1, 'b'], [1, 'e'], [2, 'a'], [2, 'c'], [null, 'd']]));
    await expectValue(`(TableOrderBy (Dk) ${kv})`, table([[2, 'a'], [2, 'c'], [1, 'b'], [1, 'e'], [null, 'd']]));
    await expectValue(`(TableOrderBy (Dk Dv) ${kv})`, table([[2, 'c'], [2, 'a'], [1, 'e'], [1, 'b'], [null, 'd']]));
    await expectValue(`(TableOrderBy (Dv) ${par('Struct{v:Float64}', [{ v: 1 }, { v: 'NaN' }, { v: null }, { v: 'Infinity' }])})`, table([[NaN], [Infinity], [1], [null]]));
  });

  test('TableKeyBy is a stable sort by the new key, missing last', async () => {
    await expectValue(keyBy('k', kv), table([[1, 'b'], [1, 'e'], [2, 'a'], [2, 'c'], [null, 'd']]));
    await expectValue(keyBy('k', `(TableOrderBy (Dv) ${kv})`), table([[1, 'e'], [1, 'b'], [2, 'c'], [2, 'a'], [null, 'd']]));
  });

  const left = keyBy('k', par('Struct{k:Int32,l:String}', [{ k: 1, l: 'a' }, { k: null, l: 'n' }, { k: 2, l: 'c' }, { k: 1, l: 'b' }]));
  const right = keyBy('k', par('Struct{k:Int32,r:String}', [{ k: 3, r: 'z' }, { k: 1, r: 'x' }, { k: null, r: 'm' }, { k: 1, r: 'y' }]));
  const both11 = [
    [1, 'a', 'x'],
    [1, 'a', 'y'],
    [1, 'b', 'x'],
    [1, 'b', 'y'],
  ];
  test('TableJoin inner: key order, left rows in order each with the right rows in order', async () => {
    await expectValue(`(TableJoin inner 1 ${left} ${right})`, table(both11));
  });
  test('TableJoin left: all left rows; the missing key matches nothing', async () => {
    await expectValue(`(TableJoin left 1 ${left} ${right})`, table([...both11, [2, 'c', null], [null, 'n', null]]));
  });
  test('TableJoin right: all right rows, the key taken from the right side', async () => {
    await expectValue(`(TableJoin right 1 ${left} ${right})`, table([...both11, [3, null, 'z'], [null, null, 'm']]));
  });
  test('TableJoin outer: both sides, keys from whichever side has the row', async () => {
    await expectValue(`(TableJoin outer 1 ${left} ${right})`, table([...both11, [2, 'c', null], [3, null, 'z'], [null, 'n', null], [null, null, 'm']]));
  });

  test('TableUnion: children in order (unkeyed); a stable merge by key (keyed)', async () => {
    const a = par('Struct{k:Int32,v:String}', [{ k: 3, v: 'b' }, { k: null, v: 'e' }, { k: 1, v: 'a' }]);
    const b = par('Struct{k:Int32,v:String}', [{ k: null, v: 'f' }, { k: 2, v: 'd' }, { k: 1, v: 'c' }]);
    await expectValue(`(TableUnion ${a} ${b})`, table([[3, 'b'], [null, 'e'], [1, 'a'], [null, 'f'], [2, 'd'], [1, 'c']]));
    await expectValue(`(TableUnion ${keyBy('k', a)} ${keyBy('k', b)})`, table([[1, 'a'], [1, 'c'], [2, 'd'], [3, 'b'], [null, 'e'], [null, 'f']]));
    await expectValue(`(TableCount (TableUnion (TableRange 3 None) (TableRange 2 None) (TableRange 0 None)))`, 5n);
  });

  test('TableExplode: elements in place and in order; a missing or empty array drops the row', async () => {
    const t = par('Struct{id:Int32,xs:Array[Int32]}', [{ id: 1, xs: [2, 1] }, { id: 2, xs: null }, { id: 3, xs: [] }, { id: 4, xs: [3, null] }]);
    await expectValue(`(TableExplode ("xs") ${t})`, table([[1, 2], [1, 1], [4, 3], [4, null]]));
    const s = par('Struct{id:Int32,xs:Set[String]}', [{ id: 1, xs: ['a', 'b'] }, { id: 2, xs: [] }]);
    await expectValue(`(TableExplode ("xs") ${s})`, table([[1, 'a'], [1, 'b']]));
  });

  test('TableDistinct keeps the first row of each key (missing keys one group)', async () => {
    await expectValue(`(TableDistinct ${keyBy('k', kv)})`, table([[1, 'b'], [2, 'a'], [null, 'd']]));
    await expectValue(`(TableDistinct ${keyBy('k', `(TableUnion ${kv} ${par('Struct{k:Int32,v:String}', [{ k: null, v: 'x' }])})`)})`, table([[1, 'b'], [2, 'a'], [null, 'd']]));
  });

  test('TableJoin with differently named keys: the row key has the left names, values from either side', async () => {
    const l = keyBy('k', par('Struct{k:Int32,a:String}', [{ k: 1, a: 'x' }, { k: 2, a: 'y' }], 'Struct{g:Int32}', { g: 1 }));
    const r = keyBy('j', par('Struct{j:Int32,b:String}', [{ j: 3, b: 'p' }, { j: 1, b: 'q' }], 'Struct{h:Int32}', { h: 2 }));
    await expectValue(`(TableJoin outer 1 ${l} ${r})`, table([[1, 'x', 'q'], [2, 'y', null], [3, null, 'p']], [1, 2]));
    await expectValue(`(TableJoin right 1 ${l} ${r})`, table([[1, 'x', 'q'], [3, null, 'p']], [1, 2]));
  });

  test('TableLeftJoinRightDistinct: left order, the first right row of the key', async () => {
    const l = keyBy('k', par('Struct{k:Int32,a:String}', [{ k: 2, a: 'x' }, { k: 1, a: 'y' }, { k: null, a: 'z' }, { k: 1, a: 'w' }]));
    const r = keyBy('k', par('Struct{k:Int32,b:String}', [{ k: 1, b: 'p' }, { k: 1, b: 'q' }, { k: null, b: 'n' }]));
    await expectValue(`(TableLeftJoinRightDistinct r ${l} ${r})`, table([[1, 'y', ['p']], [1, 'w', ['p']], [2, 'x', null], [null, 'z', null]]));
  });

  test('TableAggregateByKey and TableKeyByAndAggregate: one row per key, key order, missing last', async () => {
    await expectValue(`(TableAggregateByKey ${keyBy('k', kv)} (MakeStruct (vs (ApplyAggOp Collect () ((GetField v (Ref row)))))))`, table([[1, ['b', 'e']], [2, ['a', 'c']], [null, ['d']]]));
    await expectValue(
      `(TableKeyByAndAggregate None 50 ${kv} (MakeStruct (n (ApplyAggOp Count () ()))) (MakeStruct (odd (ApplyComparisonOp EQ (Apply -1 mod () Int32 (GetField k (Ref row)) (I32 2)) (I32 1)))))`,
      table([[false, 2n], [true, 2n], [null, 1n]]),
    );
  });

  test('TableFilter keeps rows whose predicate is true (missing drops)', async () => {
    await expectValue(`(TableFilter ${kv} (ApplyComparisonOp GT (GetField k (Ref row)) (I32 1)))`, table([[2, 'a'], [2, 'c']]));
  });
});

// ---- names and strings ---------------------------------------------------------------------------------

describe('identifiers and strings come back intact', () => {
  test('struct fields that differ only by case', async () => {
    await expectValue('(MakeStruct (a (I32 1)) (A (I32 2)) (b (Str "x")))', [1, 2, 'x']);
    await expectValue('(GetField A (MakeStruct (a (I32 1)) (A (I32 2))))', 2);
    await expectValue('(GetField a (MakeStruct (a (I32 1)) (A (I32 2))))', 1);
    await expectValue(`(GetField A ${lit('Struct{a:Int32,A:Int32}', { a: 3, A: 4 })})`, 4);
    await expectValue(`(SelectFields (A) (MakeStruct (a (I32 1)) (A (I32 2))))`, [2]);
  });

  test('table columns x and X: rows, collected rows, filters and aggregations keep them apart', async () => {
    const t = par('Struct{x:Int32,X:Int32}', [{ x: 1, X: 10 }, { x: 2, X: 20 }]);
    await expectValue(t, table([[1, 10], [2, 20]]));
    await expectValue(collectRows(t), [[1, 10], [2, 20]]);
    await expectValue(`(TableAggregate ${t} (MakeStruct (x (ApplyAggOp Sum () ((Cast Int64 (GetField x (Ref row)))))) (X (ApplyAggOp Sum () ((Cast Int64 (GetField X (Ref row))))))))`, [3n, 30n]);
    await expectValue(`(TableFilter ${t} (ApplyComparisonOp EQ (GetField X (Ref row)) (I32 20)))`, table([[2, 20]]));
    await expectValue(`(TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (IDX (I32 5))))`, table([[0, 5], [1, 5]]));
    await expectValue(keyBy('X', t), table([[1, 10], [2, 20]]));
  });

  const hostile = ['a"; DROP TABLE t; --', "it's", '"', "''", 'back\\slash\\', 'new\nline', '日本語 🎉', '', ' ', 'select', 'e\u0301', 'A', 'a'];

  test('hostile field names', async () => {
    const fields = hostile.filter((h) => h !== 'A').map((h, i) => `(${printName(h)} (I32 ${i}))`);
    await expectValue(`(MakeStruct ${fields.join(' ')})`, fields.map((_, i) => i));
    const rowType = `Struct{${hostile.map((h) => `${printName(h)}:String`).join(',')}}`;
    const row = Object.fromEntries(hostile.map((h) => [h, h]));
    const t = par(rowType, [row]);
    await expectValue(t, table([hostile]));
    await expectValue(collectRows(t), [hostile]);
    await expectValue(`(GetField ${printName('a"; DROP TABLE t; --')} (MakeStruct (${printName('a"; DROP TABLE t; --')} (I32 7))))`, 7);
  });

  test('hostile string values: quotes, SQL, backslashes, unicode, empty', async () => {
    const strs = hostile.map((h) => `(Str ${printString(h)})`).join(' ');
    await expectValue(`(MakeArray None ${strs})`, hostile);
    await expectValue(lit('Array[String]', hostile), hostile);
    await expectValue(par('Struct{s:String}', hostile.map((s) => ({ s }))), table(hostile.map((s) => [s])));
    await expectValue(`(ApplyComparisonOp EQ (Str ${printString("it's")}) (Str ${printString("it's")}))`, true);
  });

  test('a NUL character in a string value', async () => {
    const s = 'a\u0000b';
    await expectValue(`(Str ${printString(s)})`, s);
    await expectValue(`(MakeArray None (Str ${printString('\u0000')}) (Str ${printString(s)}))`, ['\u0000', s]);
    await expectValue(lit('Array[String]', [s, '\u0000']), [s, '\u0000']);
    await expectValue(`(ApplyComparisonOp LT (Str ${printString('a')}) (Str ${printString(s)}))`, true);
  });

  test('a NUL or an empty name in a field name', async () => {
    await expectValue(`(MakeStruct (${printName('a\u0000b')} (I32 1)) (${printName('')} (I32 2)) (_ (I32 3)))`, [1, 2, 3]);
  });
});

// ---- errors ----------------------------------------------------------------------------------

function spanOf(ir: IR, pred: (n: IR) => boolean): Span | undefined {
  let span: Span | undefined;
  forEachNode(ir, (n) => {
    if (span === undefined && pred(n)) span = n.span;
  });
  return span;
}

describe('§8 errors', () => {
  test("Die's message and class come back, and the span points at the Die node", async () => {
    const { ir, errors } = await expectError('(ApplyBinaryPrimOp Add (I32 1)\n  (If (True) (Die Int32 -1 (Str "no way: \'quoted\' ; DROP")) (I32 2)))', 'Die');
    const die = spanOf(ir, (n) => n.kind === 'Die');
    expect(die).toBeDefined();
    for (const e of errors) {
      expect(e.message).toBe("no way: 'quoted' ; DROP");
      expect(e.span).toEqual(die);
    }
  });

  test('Die inside a table pipeline, with a message computed per row', async () => {
    const { ir, errors } = await expectError(
      `(TableCount (TableFilter (TableRange 10 None) (If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 7)) (Die Boolean -1 (Str "row seven")) (True))))`,
      'Die',
      'row seven',
    );
    const die = spanOf(ir, (n) => n.kind === 'Die');
    for (const e of errors) expect(e.span).toEqual(die);
  });

  test('a missing Die message reads <missing>', async () => {
    const { errors } = await expectError('(Die Int32 -1 (NA String))', 'Die');
    for (const e of errors) expect(e.message).toBe('<missing>');
  });

  test('dead bindings: a Let or RelationalLet read nowhere is not evaluated; one that is read is', async () => {
    await expectValue('(Let eval x (ArrayRef -1 (MakeArray Array[Int32]) (I32 0)) (I32 5))', 5);
    await expectValue('(Let eval x (Die Int32 -1 (Str "dead")) (I32 5))', 5);
    await expectValue('(RelationalLet r (ArrayRef -1 (MakeArray Array[Int32]) (I32 0)) (False))', false);
    // read where the read is not reached at run time: still evaluated
    await expectError('(ToArray (StreamMap i (StreamRange -1 False (I32 0) (I32 2) (I32 1)) (Let eval x (Die Int32 -1 (Str "read binding")) (If (ApplyComparisonOp GT (Ref i) (I32 5)) (Ref x) (I32 1)))))', 'Die', 'read binding');
    // read only in the branch a closed condition rules out: not needed
    await expectValue('(Let eval x (Die Int32 -1 (Str "read binding")) (If (False) (Ref x) (I32 1)))', 1);
  });

  test('closed expressions: a closed condition picks its branch; a closed missing operand makes a strict operation missing', async () => {
    await expectValue('(If (ApplyComparisonOp GT (I32 1) (I32 5)) (Die Int32 -1 (Str "untaken")) (I32 1))', 1);
    await expectValue('(Switch (ApplyBinaryPrimOp Add (I32 0) (I32 1)) (I32 9) (Die Int32 -1 (Str "case 0")) (I32 7))', 7);
    await expectValue('(ApplyBinaryPrimOp Add (If (IsNA (I32 1)) (I32 1) (NA Int32)) (ArrayRef -1 (MakeArray Array[Int32]) (I32 0)))', null);
    await expectValue('(Coalesce (Let eval y (I32 1) (NA Int32)) (I32 4) (Die Int32 -1 (Str "after")))', 4);
    // a closed expression that raises raises only where it is evaluated: not in a branch a row never takes
    await expectValue(
      '(ToArray (StreamMap i (StreamRange -1 False (I32 0) (I32 2) (I32 1)) (If (ApplyComparisonOp GT (Ref i) (I32 5)) (StreamAgg x (ToStream False (MakeArray Array[Int32] (I32 1))) (ArrayRef -1 (MakeArray Array[Int32]) (I32 3))) (Ref i))))',
      [0, 1],
    );
    await expectError('(If (ApplyComparisonOp LT (I32 1) (I32 5)) (ArrayRef -1 (MakeArray Array[Int32]) (I32 3)) (I32 1))', 'ArrayIndexOutOfBounds');
  });

  test('hoisting: a closed nested query runs once, before the program, even where it is not reached (§7)', async () => {
    const raising = '(TableAggregate (TableRange 2 None) (ArrayRef -1 (MakeArray Array[Int32]) (I32 4)))';
    // in a branch no row takes
    await expectError(`(ToArray (StreamMap i (StreamRange -1 False (I32 0) (I32 2) (I32 1)) (If (ApplyComparisonOp GT (Ref i) (I32 5)) ${raising} (Ref i))))`, 'ArrayIndexOutOfBounds');
    // in an aggregation over no rows
    await expectError(`(TableAggregate (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))) (ApplyAggOp Sum () ((Cast Int64 ${raising}))))`, 'ArrayIndexOutOfBounds');
    // but not over rows empty by their form: no row evaluates the aggregation's per-row parts
    await expectValue(`(TableAggregate (TableRange 0 None) (ApplyAggOp Sum () ((Cast Int64 ${raising}))))`, 0n);
    await expectValue(`(TableAggregate (TableFilter (TableRange 3 None) (NA Boolean)) (ApplyAggOp Min () ((Cast Int64 ${raising}))))`, null);
    // not when unneeded, nor in a branch a closed condition rules out
    await expectValue(`(GetField b (MakeStruct (a ${raising}) (b (I32 2))))`, 2);
    await expectValue(`(If (False) ${raising} (I32 3))`, 3);
  });

  test('an If whose branches are both missing constants is missing, its condition unevaluated', async () => {
    await expectValue('(ToArray (StreamMap i (StreamRange -1 False (I32 0) (I32 2) (I32 1)) (If (ArrayRef -1 (MakeArray Array[Boolean]) (Ref i)) (NA Int32) (Literal Int32 "null"))))', [null, null]);
  });

  test('rows known to be none compute no per-row value, hoisted queries included (TableHead 0, a false filter)', async () => {
    const raising = '(TableAggregate (TableRange 2 None) (ArrayRef -1 (MakeArray Array[Int32]) (I32 4)))';
    await expectValue(`(TableCount (TableMapRows (TableHead 0 (TableRange 3 None)) (InsertFields (Ref row) None (z ${raising}))))`, 0n);
    await expectValue(`(TableCollect (TableFilter (TableTail 0 (TableRange 3 None)) (ApplyComparisonOp EQ ${raising} (I32 1))))`, [[], []]);
    await expectValue(`(TableCount (TableMapRows (TableFilter (TableRange 3 None) (False)) (InsertFields (Ref row) None (z ${raising}))))`, 0n);
  });

  test('a conditional on a missing condition is missing by its form; Coalesce stops at a closed present argument', async () => {
    await expectValue('(ToArray (StreamMap i (StreamRange -1 False (I32 0) (I32 2) (I32 1)) (ApplyBinaryPrimOp Add (If (Let eval y (Ref i) (NA Boolean)) (I32 1) (I32 2)) (ArrayRef -1 (MakeArray Array[Int32]) (Ref i)))))', [null, null]);
    await expectValue('(Coalesce (I32 3) (TableAggregate (TableRange 2 None) (ArrayRef -1 (MakeArray Array[Int32]) (I32 4))))', 3);
  });

  test('a row built as a struct is needed only for its fields (a missing row is one of missing fields)', async () => {
    await expectValue('(TableCollect (TableAggregateByKey (TableKeyBy (idx) False (TableRange 2 None)) (ApplyAggOp PrevNonnull () ((If (ArrayRef -1 (MakeArray Array[Boolean]) (I32 1)) (MakeStruct) (MakeStruct))))))', [[[0], [1]], []]);
  });

  test('ArraySort with any comparator: by rank, ties in array order, missing last (§6)', async () => {
    const xs = '(ToStream False (Literal Array[Int32] "[3,null,1,2,1]"))';
    // a strict weak order on a derived key: the stable sort
    await expectValue(`(ArraySort l r ${xs} (ApplyComparisonOp LT (ApplyUnaryPrimOp Negate (Ref l)) (ApplyUnaryPrimOp Negate (Ref r))))`, [3, 2, 1, 1, null]);
    // not an order: each element by how many are "less" than it
    await expectValue(`(ArraySort l r ${xs} (ApplyComparisonOp NEQ (Ref l) (Ref r)))`, [1, 1, 3, 2, null]);
    // a comparator missing on a missing field counts as false
    await expectValue(
      '(ArraySort l r (ToStream False (Literal Array[Struct{a:Int32}] "[{\\"a\\":2},{\\"a\\":1},{\\"a\\":null},null]")) (ApplyComparisonOp LT (GetField a (Ref l)) (GetField a (Ref r))))',
      [[1], [null], [2], null],
    );
    await expectValue('(ArraySort l r (ToStream False (NA Array[Int32])) (True))', null);
  });

  test('an If whose condition is If c1 c2 False is missing when c1 is, even when c2 is false', async () => {
    await expectValue('(ToArray (StreamMap i (ToStream False (Literal Array[Boolean] "[null,true,false]")) (If (If (Ref i) (False) (False)) (I32 1) (I32 2))))', [null, 2, 2]);
    await expectValue('(ToArray (StreamMap i (ToStream False (Literal Array[Boolean] "[null,true,false]")) (If (If (Ref i) (Ref i) (False)) (I32 1) (I32 2))))', [null, 1, 2]);
  });

  test('more forms missing by their form evaluate nothing: a zip with a missing stream, an aggregation of a missing query, a missing per-element length', async () => {
    const raising = '(ArrayRef -1 (MakeArray Array[Int32]) (I32 7))';
    await expectValue(`(ToArray (StreamZip -1 TakeMinLength (y) (NA Stream[String]) ${raising}))`, null);
    await expectValue(`(ApplyBinaryPrimOp Multiply ${raising} (GetTupleElement 0 (TableAggregate (TableRange 10 None) (NA Tuple[Int32]))))`, null);
    await expectValue('(TableAggregate (TableParallelize None (NA Struct{rows:Array[Struct{a:Int32}],global:Struct{}})) (AggArrayPerElement e i False False (NA Array[Int32]) (NA Float32)))', null);
    await expectValue(`(TableAggregate (TableRange 3 None) (AggFilter False (Die Boolean -1 (Str "cond")) (NA Int32)))`, null);
  });

  test('CollectDistributedArray evaluates neither its dynamic ID nor globals its body does not read', async () => {
    await expectValue('(CollectDistributedArray s c g (ToStream False (Literal Array[Int32] "[1,2]")) (Die Int32 -1 (Str "globals")) (Ref c) (Die String -1 (Str "id")))', [1, 2]);
  });

  test('rows an AggFilter drops evaluate nothing of its aggregation, in windows too', async () => {
    const raising = '(ArrayRef -1 (MakeArray Array[Int32]) (I32 7))';
    await expectValue(`(TableAggregate (TableRange 3 None) (AggFilter False (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5)) (ApplyAggOp Sum () ((Cast Int64 ${raising})))))`, 0n);
    await expectValue(
      `(TableCollect (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (p (AggFilter True (NA Boolean) (ApplyScanOp PrevNonnull () (${raising})))))))`,
      [[[0, null], [1, null]], []],
    );
  });

  test('a join with a TableRange 0 side computes nothing of the other side', async () => {
    await expectValue('(TableCount (TableJoin inner 1 (TableRange 0 None) (TableFilter (TableRange 3 None) (Die Boolean -1 (Str "pred")))))', 0n);
  });

  test('a closed StreamAgg over a raising stream raises where only part of it is read (never up front)', async () => {
    const agg = '(StreamAgg a (StreamZip -1 AssertSameLength (f g) (ToStream False (Literal Array[Int32] "[]")) (ToStream False (Literal Array[Int32] "[1]")) (Ref f)) (MakeTuple (0 1) (ApplyAggOp Count () ()) (ApplyAggOp Count () ())))';
    await expectValue(`(ToArray (StreamMap x (ToStream False (Literal Array[Int32] "[]")) (GetTupleElement 1 ${agg})))`, []);
    await expectError(`(GetTupleElement 1 ${agg})`, 'InvalidArgument');
  });

  test('a RelationalLet read only in a branch a closed condition rules out is not evaluated', async () => {
    await expectValue('(RelationalLet r (ArrayRef -1 (MakeArray Array[Int32]) (I32 0)) (If (False) (RelationalRef r Int32) (I32 1)))', 1);
  });

  test('a table node that is run raises where its rows or global raise', async () => {
    await expectError('(TableCollect (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (z (Die Int32 -1 (Str "row"))))))', 'Die', 'row');
    await expectError('(TableCollect (TableMapGlobals (TableRange 2 None) (MakeStruct (g (Die Int32 -1 (Str "global"))))))', 'Die', 'global');
    // the rows of a table whose global alone is read are not computed
    await expectValue('(TableGetGlobals (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (z (Die Int32 -1 (Str "row"))))))', []);
  });

  test('unneeded values are not evaluated: unread row fields, globals, struct fields, aggregation parts (semantics.md §1)', async () => {
    await expectValue('(TableCount (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (z (Die Int32 -1 (Str "row"))))))', 2n);
    await expectValue('(TableCount (TableMapGlobals (TableRange 2 None) (MakeStruct (g (Die Int32 -1 (Str "global"))))))', 2n);
    await expectValue('(TableAggregate (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (z (ArrayRef -1 (MakeArray Array[Int32]) (GetField idx (Ref row)))))) (ApplyAggOp Count () ()))', 2n);
    await expectValue('(GetField b (MakeStruct (a (Die Int32 -1 (Str "a"))) (b (I32 2))))', 2);
    await expectValue('(GetTupleElement 1 (MakeTuple (0 1) (Die Int32 -1 (Str "a")) (I32 2)))', 2);
    // a row field read only by an unread field downstream
    await expectValue(
      '(TableCollect (TableMapRows (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (z (Die Int32 -1 (Str "z"))))) (MakeStruct (idx (GetField idx (Ref row))))))',
      [[[0], [1]], []],
    );
    // a field read downstream is evaluated
    await expectError('(TableCollect (TableMapRows (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (z (Die Int32 -1 (Str "z"))))) (MakeStruct (idx (GetField idx (Ref row))) (w (GetField z (Ref row))))))', 'Die', 'z');
    // an AggFilter condition with no aggregator inside runs for no row
    await expectValue('(TableAggregate (TableRange 2 None) (AggFilter False (ArrayRef -1 (MakeArray Array[Boolean]) (GetField idx (Ref row))) (I32 5)))', 5);
    // a TableFilter with a constant false predicate computes none of its child's rows
    await expectValue('(TableCount (TableFilter (TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (z (Die Int32 -1 (Str "z"))))) (False)))', 0n);
    await expectValue('(TableCount (TableFilter (TableExplode ("a") (TableParallelize None (Literal Struct{rows:Array[Struct{a:Array[Int32]}],global:Struct{}} "{\\"rows\\":[{\\"a\\":[1,2]}],\\"global\\":{}}"))) (False)))', 0n);
    // InsertFields on a missing struct evaluates none of its new fields
    await expectValue('(ToArray (StreamMap i (StreamRange -1 False (I32 0) (I32 2) (I32 1)) (IsNA (InsertFields (If (ApplyComparisonOp GTEQ (Ref i) (I32 0)) (NA Struct{a:Int32}) (MakeStruct (a (Ref i)))) None (b (Die Int32 -1 (Str "b")))))))', [true, true]);
  });

  test('streams are made whole: an element no later node reads still raises', async () => {
    await expectError(`(ToArray (StreamTake (StreamMap x ${range(0, 3)} (ArrayRef -1 (MakeArray None (I32 9)) (Ref x))) (I32 1)))`, 'ArrayIndexOutOfBounds');
  });

  test('a RelationalLet value is computed once and read twice', async () => {
    await expectValue('(RelationalLet r (TableCount (TableRange 3 None)) (MakeArray None (RelationalRef r Int64) (RelationalRef r Int64)))', [3n, 3n]);
  });

  test('a Die that the If does not take is not raised', async () => {
    await expectValue('(If (False) (Die Int32 -1 (Str "x")) (I32 3))', 3);
  });

  test('the span of an overflow or an index error is its node', async () => {
    const { ir, errors } = await expectError(`(MakeArray None (I32 1) (ApplyBinaryPrimOp Add (I32 ${I32_MAX}) (I32 1)))`, 'IntegerOverflow');
    const add = spanOf(ir, (n) => n.kind === 'ApplyBinaryPrimOp');
    for (const e of errors) expect(e.span).toEqual(add);
    const r = await expectError(`(MakeArray None (I32 1) (ArrayRef -1 (MakeArray None (I32 1)) (I32 5)))`, 'ArrayIndexOutOfBounds');
    const ref = spanOf(r.ir, (n) => n.kind === 'ArrayRef');
    for (const e of r.errors) expect(e.span).toEqual(ref);
  });
  test('a StreamAgg computes its whole stream, whatever its query reads (never missing, its elements raise)', async () => {
    const zip = `(StreamZip 1 AssertSameLength (a b) (ToStream False ${lit('Array[Int32]', '[1,2]')}) (ToStream False ${lit('Array[Int32]', '[1]')}) (Ref a))`;
    await expectError(`(StreamAgg x ${zip} (I32 7))`, 'InvalidArgument');
    await expectError(`(StreamAgg x ${zip} (ApplyAggOp Count () ()))`, 'InvalidArgument');
    // Each element a Sum over the rows that overflows; the query reads none.
    await expectError(
      '(TableAggregate (TableRange 10 None) (StreamAgg x (StreamMap i (ToStream False (Literal Array[Int32] "[1,2]")) (ApplyAggOp Sum () ((I64 5537119035785487646)))) (MakeStruct (v (NA String)))))',
      'IntegerOverflow',
    );
  });
  test('a fold over a stream empty once a closed If is folded is its zero: a filter on it keeps no row, and computes none', async () => {
    const empty = '(If (GetField a (Literal Struct{a:Boolean} "{\\"a\\":false}")) (NA Stream[Boolean]) (ToStream False (ArraySort l r (ToStream False (Literal Array[Boolean] "[]")) (Ref l))))';
    const rows = '(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (b (ArrayRef -1 (Literal Array[Float64] "[1.0]") (I32 5)))))';
    await expectValue(`(TableFilter ${rows} (StreamFold acc a ${empty} (NA Boolean) (Die Boolean 0 (NA String))))`, { rows: [], global: [] });
  });
  test('a fold whose body reads none of its bindings, over a stream with an element by its form, never raises its zero: a condition on it is known', async () => {
    const zero = '(StreamAgg y (StreamTake (ToStream False (Literal Array[Int32] "[1]")) (I32 -1)) (False))';
    // Known true, the If never reaches its other branch, and its query is not run ahead.
    await expectValue(`(If (StreamFold acc x (ToStream False (Literal Array[Int32] "[1,2]")) ${zero} (True)) (NA Float64) (TableAggregate (TableRange 3 None) (Die Float64 1 (NA String))))`, null);
  });
  test('an InsertFields that replaces every field of a struct that raises (never missing) raises', async () => {
    // Only the struct's presence is read; DuckDB dropped the unread column of a derived table.
    const old = '(InsertFields (ArrayRef 1 (Literal Array[Struct{global:Array[Float32]}] "[]") (I32 1)) None)';
    const rows = '(TableAggregate (TableRange 0 3) (ApplyAggOp Collect () ((NA Struct{f:Boolean}))))';
    await expectError(`(TableMapRows (TableParallelize None (InsertFields ${old} ("rows" "global") (global (NA Struct{value:Array[Float64]})) (rows ${rows}))) (NA Struct{f:Boolean}))`, 'ArrayIndexOutOfBounds');
  });
  test('a filter on a closed predicate that raises, over a join with no row, raises nothing', async () => {
    // Tied to one side's order column only, DuckDB pushed it below the join, onto that side's row.
    const right = '(TableKeyBy (idx) False (TableParallelize None (Literal Struct{rows:Array[Struct{idx:Int32}],global:Struct{}} "{\\"rows\\":[{\\"idx\\":100}],\\"global\\":{}}")))';
    const pred = '(StreamFold acc x (ToStream False (Literal Array[Boolean] "[false,false]")) (NA Boolean) (Die Boolean 0 (NA String)))';
    await expectValue(`(TableFilter (TableJoin inner 1 (TableRange 5 None) ${right}) ${pred})`, { rows: [], global: [] });
  });
  test('a scan computes no AggLet value read only by an aggregator under an AggFilter missing by its form', async () => {
    const zip = '(StreamZip 17 AssumeSameLength (a b) (ToStream False (Literal Array[Boolean] "[null]")) (ToStream False (Literal Array[Boolean] "[false,true]")) (NA Int64))';
    const g = `(AggLet o True (StreamAgg s ${zip} (I32 7)) (AggFilter True (NA Boolean) (ApplyScanOp Max () ((Ref o)))))`;
    await expectValue(`(TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (g ${g})))`, { rows: [[0, null], [1, null]], global: [] });
  });
  test('a scan computes no per-row part for an AggArrayPerElement of arrays missing by their form (nothing per row)', async () => {
    const rows = '(TableParallelize None (Literal Struct{rows:Array[Struct{elt:Int32}],global:Struct{}} "{\\"rows\\":[{\\"elt\\":1},{\\"elt\\":2}],\\"global\\":{}}"))';
    const agg = '(AggFilter True (IsNA (Apply 0 mod () Int32 (I32 0) (I32 0))) (AggArrayPerElement i b True True (NA Array[Boolean]) (NA Int32) (I32 3)))';
    await expectValue(`(TableMapRows ${rows} (MakeStruct (elt (GetField elt (Ref row))) (s ${agg})))`, { rows: [[1, [null, null, null]], [2, [null, null, null]]], global: [] });
  });
  test('a global with no field is {} (closed): a filter comparing it with a closed value keeps all rows or none, and computes none', async () => {
    const rows = '(TableMapRows (TableRange 3 None) (ArrayRef 17 (Literal Array[Struct{idx:Int32}] "[]") (I32 5)))';
    await expectValue(`(TableFilter ${rows} (ApplyComparisonOp LT (Ref global) (StreamAgg x (StreamRange 17 True (I32 -1) (I32 -2) (I32 1)) (Literal Struct{} "{}"))))`, { rows: [], global: [] });
    // An aggregation whose query is the global becomes {}, not a read of `global` outside it.
    await expectValue('(If (GetField x (TableAggregate (TableRange 0 None) (Literal Struct{x:Boolean} "{\\"x\\":false}"))) (Literal Struct{} "{}") (TableAggregate (TableRange 0 None) (Ref global)))', []);
  });
  test('a fold over a closed stream that raises, in a filter over a join with no row, raises nothing', async () => {
    // The stream sat in a derived table holding no column, which DuckDB computed up front.
    const right = '(TableKeyBy (c) False (TableMapRows (TableKeyBy () False (TableRange 5 1)) (InsertFields (Literal Struct{} "{}") None (c (I32 1180706210)))))';
    const left = '(TableKeyBy (idx) False (TableParallelize None (Literal Struct{rows:Array[Struct{idx:Int32}],global:Struct{}} "{\\"rows\\":[{\\"idx\\":42}],\\"global\\":{}}")))';
    const stream = '(StreamZip 1 ExtendNA (value) (ToStream False (Literal Array[Float64] "[1.5]")) (Die String 0 (NA String)))';
    const pred = `(StreamFold a y ${stream} (NA Boolean) (StreamAgg z (StreamMap g (ToStream False (Literal Array[String] "[\\"x\\"]")) (NA Float32)) (ApplyAggOp Min () ((False)))))`;
    await expectValue(`(TableFilter (TableJoin inner 1 ${left} ${right}) ${pred})`, { rows: [], global: [] });
  });
  test('a field of a SelectFields missing by its form makes a filter keep no row, and compute none', async () => {
    const rows = '(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (x (ArrayRef -1 (Literal Array[Boolean] "[false]") (I32 1)))))';
    const pred = '(GetField b (SelectFields (g b) (MakeStruct (b (NA Boolean)) (g (Die Int64 1 (NA String))))))';
    await expectValue(`(TableFilter ${rows} ${pred})`, { rows: [], global: [] });
  });
  test('a StreamAgg of a closed stream that raises, in the rows of a table with none, raises nothing', async () => {
    // DuckDB computed the stream (a derived table holding no column) once, before the rows.
    const stream = `(StreamFilter i (ToStream False ${lit('Array[Struct{a:String}]', '[{"a":"x"},{"a":"y"}]')}) (AggExplode j True (NA Stream[Int32]) (ArrayRef -1 ${lit('Array[Boolean]', '[true,true]')} (I32 2))))`;
    const none = '(TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5)))';
    await expectValue(`(TableMapRows ${none} (InsertFields (Ref row) None (g (StreamAgg x ${stream} (ApplyAggOp TakeBy ((NA Int32)) ((NA Boolean) (NA String)))))))`, { rows: [], global: [] });
  });
});

describe('what a CASE or coalesce does not reach is not evaluated, in SQL too', () => {
  test('a correlated subquery in a branch the row does not take computes nothing (guards.ts)', async () => {
    await expectValue("(TableCollect (TableMapRows (TableRange 3 None)\n  (InsertFields (Ref row) None\n    (z (If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 1))\n      (StreamAgg s (StreamRange -1 False (I32 0) (GetField idx (Ref row)) (I32 1))\n        (ApplyAggOp Sum () ((Cast Int64 (ArrayRef -1 (MakeArray Array[Int32] (I32 10)) (ApplyBinaryPrimOp Subtract (GetField idx (Ref row)) (I32 1)))))))\n      (NA Int64))))))", [[[0, null], [1, 10n], [2, null]], []]);
  });
  test('nothing after a Coalesce argument present by its form is evaluated, hoisted queries included', async () => {
    await expectValue("(TableCollect (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (z (Coalesce (MakeArray Array[Float64] (Cast Float64 (GetField idx (Ref row)))) (TableAggregate (TableParallelize None (NA Struct{rows:Array[Struct{a:Float64}],global:Struct{}})) (ApplyAggOp Collect () ((GetField a (Ref row))))))))))", [[[0, [0]], [1, [1]]], []]);
  });
  test('a closed AggExplode array is computed per row: over no rows, never', async () => {
    await expectValue("(TableAggregate (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 10))) (AggExplode e False (StreamZip -1 AssertSameLength (a b) (ToStream False (Literal Array[Int32] \"[1]\")) (ToStream False (Literal Array[Int32] \"[]\")) (Ref a)) (ApplyAggOp Count () ())))", 0n);
    // Nor on the rows an AggFilter drops (DuckDB computes a lateral unnest before the WHERE).
    const none = '(TableCount (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))))';
    const drop = '(StreamDrop (ToStream False (Literal Array[Int32] "[1]")) (Apply -1 toInt32 () Int32 (I64 -3133399694956916313)))';
    await expectValue(`(StreamAgg x (ToStream False (Literal Array[Int32] "[1,2]")) (AggFilter False (ApplyComparisonOp GT ${none} (I64 0)) (AggExplode e False ${drop} (ApplyAggOp Count () ()))))`, 0n);
    // Rows of no order (the groups of a keyed aggregation): tied to a column instead.
    const zip = '(StreamZip -1 AssumeSameLength (a b) (ToStream False (MakeArray Array[Int32] (I32 1))) (ToStream False (MakeArray Array[Int32] (I32 1) (I32 2))) (Ref a))';
    const groups = '(TableKeyByAndAggregate None 5 (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))) (MakeStruct (n (ApplyAggOp Count () ()))) (MakeStruct))';
    await expectValue(`(TableKeyByAndAggregate None 5 ${groups} (MakeStruct (c (AggExplode x False ${zip} (ApplyAggOp Count () ())))) (MakeStruct))`, { rows: [], global: [] });
  });
  test('a closed CollectDistributedArray is folded like any closed expression: one that raises is not a subquery DuckDB runs up front', async () => {
    await expectValue("(Coalesce\n  (NA Dict[String,Tuple[Boolean,Float32]])\n  (TableAggregate\n    (TableExplode (\"f\")\n      (TableExplode (\"f\")\n        (TableMapRows (TableRange 17 None) (NA Struct{idx:Int32,f:Array[Array[Float32]]}))))\n    (AggGroupBy False (NA String) (NA Tuple[Boolean,Float32])))\n  (ToDict\n    (StreamZip 0 AssumeSameLength (i NULL acc)\n      (ToStream False (Literal Array[Int32] \"[]\"))\n      (ToStream False (Literal Array[Boolean] \"[true,false,false]\"))\n      (ToStream False\n        (CollectDistributedArray cda49 x g\n          (ToStream False (Literal Array[Int64] \"[]\"))\n          (NA Set[String])\n          (NA Float64)\n          (NA String)))\n      (NA Struct{key:String,value:Tuple[Boolean,Float32]}))))", []);
    await expectValue("(TableFilter\n  (TableAggregateByKey\n    (TableKeyBy () False 1 (TableRange 10 None))\n    (Die Struct{z:Float32} -1 (NA String)))\n  (StreamFold row a\n    (StreamMap `\u00df`\n      (ToStream False (Literal Array[Float32] \"[]\"))\n      (CollectDistributedArray cda72 `,` x\n        (ToStream False (Literal Array[Boolean] \"[false]\"))\n        (NA Float64)\n        (NA Float64)\n        (NA String)))\n    (NA Boolean)\n    (NA Boolean)))", { rows: [], global: [] });
  });
  test('a filter If(c, NA, False) still evaluates c (DuckDB folds `c AND NULL` in a WHERE to no rows)', async () => {
    await expectError('(TableCount (TableFilter (TableRange 3 None) (If (ArrayRef -1 (Literal Array[Boolean] "[true]") (GetField idx (Ref row))) (NA Boolean) (False))))', 'ArrayIndexOutOfBounds');
    await expectError('(TableCount (TableFilter (TableRange 3 None) (If (ArrayRef 1 (Literal Array[Boolean] "[true]") (I32 1)) (NA Boolean) (False))))', 'ArrayIndexOutOfBounds');
  });
  test('an aggregation needs the row order only for an aggregator whose result depends on it', async () => {
    // The map may change the key, so the rows re-sort by it: its value is computed when the order is needed.
    const t = '(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (idx (ArrayRef -1 (MakeArray Array[Int32] (I32 1)) (GetField idx (Ref row))))))';
    await expectValue(`(TableAggregate ${t} (ApplyAggOp Count () ()))`, 3n);
    await expectValue(`(TableAggregate ${t} (ApplyAggOp Sum () ((F64 0.5))))`, 1.5);
    await expectError(`(TableAggregate ${t} (ApplyAggOp Collect () ((I32 1))))`, 'ArrayIndexOutOfBounds');
  });
  test('a fold over a stream non-empty by its form needs its zero only as far as the accumulator is read', async () => {
    const zero = '(TableAggregate (TableRange 2 None) (ArrayRef -1 (MakeArray Array[Int32]) (I32 4)))';
    // The accumulator is read only where nothing is needed (the unread field of a struct).
    await expectValue(`(StreamFold acc x (ToStream False (Literal Array[Int32] "[1,2]")) ${zero} (GetField b (MakeStruct (a (Ref acc)) (b (Ref x)))))`, 2);
    // Read, or over a stream that may be empty: computed.
    await expectError(`(StreamFold acc x (ToStream False (Literal Array[Int32] "[1,2]")) ${zero} (ApplyBinaryPrimOp Add (Ref acc) (Ref x)))`, 'ArrayIndexOutOfBounds');
    await expectError(`(StreamFold acc x (ToStream False (Literal Array[Int32] "[]")) ${zero} (Ref x))`, 'ArrayIndexOutOfBounds');
  });
  test('a stream filter on a predicate false or missing by its form (closed too) has no element: the per-row parts of an aggregation over it are not needed', async () => {
    const q = '(ApplyAggOp Min () ((TableAggregate (TableParallelize None (NA Struct{rows:Array[Struct{x:Int32}],global:Struct{}})) (ApplyAggOp Sum () ((Ref key))))))';
    for (const pred of ['(ApplyUnaryPrimOp Bang (True))', '(NA Boolean)', '(False)']) {
      await expectValue(`(StreamAgg key (StreamFilter y (ToStream False (Literal Array[Int64] "[1,2]")) ${pred}) ${q})`, null);
    }
    // A predicate that may hold: the rows' parts run.
    await expectError(`(StreamAgg key (StreamFilter y (ToStream False (Literal Array[Int64] "[1,2]")) (ApplyComparisonOp EQ (Ref y) (I64 2))) ${q})`, 'InvalidArgument');
  });
  test('an unrolled fold computes a zero that may raise before a step that reads it only in a branch', async () => {
    // Found by the harness: the zero was written into the one branch that reads the accumulator.
    await expectError("(StreamFold `a b` global\n  (ToStream False (Literal Array[Boolean] \"[true]\"))\n  (StreamFold elt g\n    (StreamMap x\n      (StreamScan b `a\\\\\\`b`\n        (StreamRange 0 False (I32 0) (I32 9) (I32 1))\n        (NA Array[Int64])\n        (ArrayRef -1\n          (Literal Array[Array[Int64]] \"[[42,9007199254740992,-9223372036854775807,-1]]\")\n          (I32 2)))\n      (NA Dict[Float32,Boolean]))\n    (NA Void)\n    (StreamFold value value\n      (StreamMap `{}`\n        (ToStream False (Literal Array[Tuple[Float32,Int64,Boolean]] \"[]\"))\n        (NA Array[String]))\n      (NA Void)\n      (Ref elt)))\n  (TableAggregate\n    (TableMapGlobals (TableRange 10 None) (NA Struct{`a\\\\\\`b`:Int64}))\n    (If (ApplyAggOp Max () ((False))) (Ref `a b`) (NA Void))))", 'ArrayIndexOutOfBounds');
    const zero = '(ArrayRef -1 (MakeArray Array[Int32] (I32 1)) (I32 3))';
    await expectError(`(StreamFold acc x (StreamRange 0 False (I32 0) (I32 2) (I32 1)) ${zero} (If (ApplyComparisonOp EQ (Ref x) (I32 7)) (Ref acc) (Ref x)))`, 'ArrayIndexOutOfBounds');
  });
  test('a sort, a set or a dict of a stream with no element by its form has none', async () => {
    // Found by the harness: an aggregation let computed over a sort of an empty filter.
    await expectValue("(StreamAgg elt\n  (StreamMap `日本語`\n    (ToStream False\n      (ArraySort acc row\n        (StreamFilter y\n          (ToStream False\n            (Literal Array[Struct{g:Int64,`ñandú`:String,x:Int32}] \"[{\\\"g\\\":-9223372036854775808,\\\"ñandú\\\":\\\" \\\",\\\"x\\\":1073741824},{\\\"g\\\":null,\\\"ñandú\\\":\\\"\\\\n\\\",\\\"x\\\":1095408249}]\"))\n          (NA Boolean))\n        (NA Boolean)))\n    (NA Float64))\n  (Let agg `\\``\n    (Cast Int64\n      (ArrayRef 0\n        (Literal Array[Int32] \"[2147483647,-2147483647,-100,1675902986]\")\n        (I32 1073741824)))\n    (ApplyAggOp Product () ((Ref `\\``)))))", 1n);
  });
  test('an exploded field whose new value is empty by its form explodes to no row (missing struct or not)', async () => {
    // Found by the harness: DuckDB computed the per-row value of a map over the no rows.
    await expectAgree("(TableExplode (\"global\")\n  (TableMapRows\n    (TableExplode (\"row\" \"inf\")\n      (TableMapRows\n        (TableAggregateByKey\n          (TableKeyByAndAggregate 2 5\n            (TableRange 5 None)\n            (NA Struct{row:Int64})\n            (NA Struct{group:Float32,x:Int64}))\n          (NA Struct{x_1:Int64}))\n        (InsertFields\n          (Ref row)\n          None\n          (row (InsertFields (Ref global) None (inf (Literal Set[Dict[Boolean,String]] \"[]\")))))))\n    (InsertFields\n      (Ref row)\n      None\n      (global\n        (StreamAgg `a.b`\n          (StreamFilter i\n            (StreamZip 0 TakeMinLength (`‮abc` acc)\n              (ToStream False\n                (Literal Array[Struct{`O'Brien`:String}] \"[{\\\"O'Brien\\\":\\\"日本語\\\"},{\\\"O'Brien\\\":\\\"\\\"},{\\\"O'Brien\\\":\\\"é\\\"},{\\\"O'Brien\\\":\\\"\\\"}]\"))\n              (StreamZip -1 ExtendNA (global)\n                (ToStream False (Literal Array[Boolean] \"[false]\"))\n                (NA Array[Float32]))\n              (NA Struct{`1abc`:String,` `:String}))\n            (AggExplode select True\n              (NA Stream[Int32])\n              (ArrayRef -1 (Literal Array[Boolean] \"[true,true]\") (I32 2))))\n          (ApplyAggOp TakeBy ((NA Int32)) ((NA Boolean) (NA String))))))))");
  });
  test('a flat map has a length by its form: the product of its streams\', and none with a missing inner stream', async () => {
    const die = '(Die Int32 -1 (Str "zero"))';
    // Two elements by form: the zero is unneeded, so it is not evaluated.
    const two = '(StreamFlatMap g (ToStream False (Literal Array[Int32] "[1]")) (ToStream False (Literal Array[Int32] "[5,6]")))';
    await expectValue(`(StreamFold acc x ${two} ${die} (Ref x))`, 6);
    // A missing inner stream: no element, so the fold is its zero.
    await expectError(`(StreamFold acc x (StreamFlatMap g (ToStream False (Literal Array[Int32] "[1]")) (NA Stream[Int32])) ${die} (Ref x))`, 'Die', 'zero');
    // An aggregation over no element by form reads the accumulator nowhere: an outer zero is not needed.
    const inner = '(StreamAgg z (StreamFlatMap g (ToStream False (Literal Array[Boolean] "[]")) (NA Stream[Int32])) (ApplyAggOp Min () ((Ref acc))))';
    await expectValue(`(StreamFold acc i (ToStream False (Literal Array[Int32] "[1]")) (StreamFold a x (StreamFlatMap g (ToStream False (Literal Array[Int32] "[1]")) (NA Stream[Int32])) ${die} (Ref a)) ${inner})`, null);
  });
  test('a filter predicate that reads no column stays below the join it feeds (DuckDB pulls such a filter up, above an empty join)', async () => {
    await expectError('(TableCount (TableJoin inner 1 (TableRange 2 None) (TableFilter (TableKeyBy (idx) False (TableParallelize None (Literal Struct{rows:Array[Struct{idx:Int32}],global:Struct{}} "{\\"rows\\":[{\\"idx\\":1073741824}],\\"global\\":{}}"))) (Die Boolean -1 (Str "pred")))))', 'Die', 'pred');
    await expectError("(TableJoin inner 1\n  (TableRange 2 None)\n  (TableFilter\n    (TableKeyBy (idx) False 3\n      (TableParallelize 2\n        (TableGetGlobals\n          (TableKeyBy (key) False\n            (TableParallelize 1\n              (Literal Struct{rows:Array[Struct{key:String}],global:Struct{rows:Array[Struct{idx:Int32}],global:Struct{}}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"rows\\\":[{\\\"idx\\\":1073741824},{\\\"idx\\\":1958922526},{\\\"idx\\\":-2147483647}],\\\"global\\\":{}}}\"))))))\n    (Die Boolean -1 (NA String))))", 'Die');
  });
  test('the global of a TableParallelize of a closed value that raises raises where a field of it is needed', async () => {
    const t = (g: string) => `(TableParallelize None (MakeStruct (rows (MakeArray None (ArrayRef 0 (Literal Array[Struct{}] "[{}]") (I32 2)))) (global ${g})))`;
    await expectError(`(TableGetGlobals ${t('(NA Struct{eval:Float32})')})`, 'ArrayIndexOutOfBounds');
    // No field needed: nothing raises.
    await expectValue(`(TableCount (TableHead 0 ${t('(MakeStruct)')}))`, 0n);
  });
  test('the global of a TableMapGlobals of a literal is known by its form too (through a rename): a TableParallelize of it has its rows by form', async () => {
    // Found by the harness: DuckDB computed a per-group value over no groups.
    await expectValue("(TableKeyByAndAggregate None 1\n  (TableParallelize None\n    (TableGetGlobals\n      (TableRename (\"neginf\") (\"x\") (\"acc\" \"z\") (\"rows\" \"global\")\n        (TableMapGlobals\n          (TableMapRows\n            (TableKeyBy () False (TableRange 2 None))\n            (NA Struct{neginf:Int64,row:Tuple[]}))\n          (Literal Struct{acc:Array[Struct{}],z:Struct{value:Struct{`\\``:Int32}}} \"{\\\"acc\\\":[],\\\"z\\\":{\\\"value\\\":{\\\"`\\\":-2147483647}}}\")))))\n  (StreamAgg z\n    (StreamFlatMap `<>`\n      (StreamMap `a\\tb`\n        (StreamScan row global (ToStream False (Literal Array[Float32] \"[]\")) (NA Int32) (NA Int32))\n        (AggExplode z False (NA Stream[Array[Int64]]) (Ref `a\\tb`)))\n      (StreamMap value\n        (ToStream False (Literal Array[Int64] \"[-2147483649]\"))\n        (ArrayRef 1 (Literal Array[Int64] \"[]\") (I32 1))))\n    (ApplyAggOp PrevNonnull () ((Literal Struct{eval:Set[Float64]} \"{\\\"eval\\\":[null]}\"))))\n  (NA Struct{key:Boolean,``:Boolean}))", { rows: [], global: [[-2147483647]] });
  });
  test('the global of a TableParallelize of a constant is known by its form, or its error is: raised where it stands, not up front', async () => {
    const global = '(TableGetGlobals (TableKeyBy (a) False (TableParallelize 1 (NA Struct{rows:Array[Struct{a:Int32}],global:Struct{g:Int32}}))))';
    // A loop body no row runs: nothing raises (hoisted, it raised before the program).
    const rows = [[0, 0], [1, 0], [2, 0]];
    await expectValue(`(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (s (StreamFold acc x (StreamFilter y (StreamRange -1 False (I32 0) (GetField idx (Ref row)) (I32 1)) (ApplyComparisonOp GT (Ref y) (I32 5))) (I32 0) (GetField g ${global})))))`, table(rows));
    await expectError(`(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (s (StreamFold acc x (StreamRange -1 False (I32 0) (GetField idx (Ref row)) (I32 1)) (I32 0) (GetField g ${global})))))`, 'InvalidArgument');
    await expectValue(`(GetField g (TableGetGlobals (TableOrderBy (Aa) ${par('Struct{a:Int32}', [], 'Struct{g:Int32}', { g: 7 })})))`, 7);
    // A global none of whose fields is needed is not computed, so it raises nothing.
    await expectValue('(TableAggregateByKey (TableKeyBy (idx) False (TableRange 2 None)) (InsertFields (TableGetGlobals (TableParallelize None (NA Struct{rows:Array[Struct{x:Int32}],global:Struct{a:Boolean}}))) None (a (NA Boolean))))', table([[0, null], [1, null]]));
  });
  test('a fold over a present stream whose zero is known to raise raises, whatever its body reads', async () => {
    const zero = '(ArrayRef -1 (Literal Array[Float32] "[]") (I32 1))';
    await expectError(`(StreamFold z y (ToStream False (Literal Array[Boolean] "[false]")) ${zero} (TableAggregate (TableFilter (TableRange 17 None) (Ref y)) (ApplyAggOp Min () ((Ref z)))))`, 'ArrayIndexOutOfBounds');
    await expectError(`(ToArray (StreamScan z y (StreamRange -1 False (I32 0) (I32 2) (I32 1)) ${zero} (TableAggregate (TableRange 2 None) (ApplyAggOp Min () ((Ref z))))))`, 'ArrayIndexOutOfBounds');
  });
  test('a table query in a branch of a conditional whose condition is known to raise is not hoisted', async () => {
    const none = '(TableCount (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))))';
    const raising = '(If (ArrayRef -1 (Literal Array[Boolean] "[true]") (I32 -1)) (TableAggregate (TableRange 3 None) (ArrayRef -1 (ApplyAggOp Collect () ((I32 1))) (I32 5))) (I32 0))';
    await expectValue(`(If (ApplyComparisonOp EQ ${none} (I64 1)) ${raising} (I32 7))`, 7);
    await expectError(`(If (ApplyComparisonOp EQ ${none} (I64 0)) ${raising} (I32 7))`, 'ArrayIndexOutOfBounds', 'index -1');
  });
  test('a closed StreamAgg known to raise whatever of it is needed is that error per row: over no rows, never', async () => {
    const agg = '(StreamAgg x (ToStream False (Literal Array[Int32] "[1]")) (ArrayRef -1 (ApplyAggOp Take ((I32 0)) ((NA Struct{acc:Int32,b:Int32}))) (I32 3)))';
    await expectValue(`(TableMapRows (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))) (InsertFields (Ref row) None (a (GetField acc ${agg}))))`, table([]));
    await expectError(`(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (a (GetField acc ${agg}))))`, 'ArrayIndexOutOfBounds');
  });
  test('a fold whose zero raises over a closed stream that raises first: the error of the stream, where the fold stands', async () => {
    // Found by the harness: DuckDB ran the stream's error up front, over a table with no rows.
    await expectValue("(TableFilter\n  (TableKeyByAndAggregate None 50\n    (TableParallelize 1\n      (TableCollect\n        (TableParallelize None\n          (Literal Struct{rows:Array[Struct{acc:Struct{g:Int64,f:Boolean},g:Float64,acc_1:Array[Float64]}],global:Struct{g:Float64,i:Array[Int32]}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"g\\\":\\\"NaN\\\",\\\"i\\\":[null]}}\"))))\n    (NA Struct{global:Float64,Let:Int64})\n    (NA Struct{f:Dict[Boolean,Int32]}))\n  (StreamFold `%s` global\n    (StreamZip 17 AssertSameLength (`\u00df`)\n      (StreamTake (ToStream False (Literal Array[Struct{}] \"[{},{},{}]\")) (I32 -65537))\n      (ToDict (ToStream False (Literal Array[Tuple[Int32,String]] \"[]\"))))\n    (Switch\n      (ApplyBinaryPrimOp Subtract (I32 1073741824) (I32 -2147483648))\n      (NA Boolean)\n      (GetField idx\n        (Literal Struct{row:Set[Int32],idx:Boolean} \"{\\\"row\\\":[-2106576953,-1538906075,0,42],\\\"idx\\\":false}\")))\n    (NA Boolean)))", table([], [NaN, [null]]));
  });
  test('an open fold over a closed stream that raises is that error where it stands: in a grouped value over no groups, nowhere', async () => {
    // Found by the harness: DuckDB folded the constant StreamTake and raised over no groups.
    await expectValue("(TableAggregateByKey\n  (TableAggregateByKey\n    (TableExplode (\"a\")\n      (TableMapRows\n        (TableOrderBy (Dtable)\n          (TableKeyByAndAggregate 1 5\n            (TableRange 1 4)\n            (NA Struct{table:Int32})\n            (NA Struct{`<>`:Int64})))\n        (InsertFields\n          (Ref row)\n          None\n          (a (ApplyScanOp PrevNonnull () ((Literal Array[Boolean] \"[true,true]\")))))))\n    (NA Struct{i:Boolean}))\n  (MakeStruct\n    (x\n      (StreamFold z `1abc`\n        (StreamTake (ToStream False (Literal Array[Float32] \"[-1]\")) (Literal Int32 \"-875768299\"))\n        (NA Array[Int32])\n        (AggArrayPerElement `[x]` idx False False (Literal Array[Set[Float32]] \"[]\") (NA Int32))))\n    (idx (NA Dict[Boolean,Int32]))))", table([]));
  });
  test('a relational let whose binding is known to raise is that error where it stands (its CTE is not read up front)', async () => {
    await expectValue("(If\n  (StreamFold value x\n    (ToStream False (Literal Array[Float32] \"[16777216,3.4028235e+38,3.4028235e+38]\"))\n    (NA Boolean)\n    (TableAggregate\n      (TableExplode (\"z\")\n        (TableMapRows (TableRange 17 None) (NA Struct{idx:Int32,z:Array[String]})))\n      (Ref value)))\n  (RelationalLet `\u03a9`\n    (Let eval a eval f eval acc\n      (NA String)\n      (NA Int64)\n      (NA Array[Array[Float32]])\n      (ArrayRef 17 (Literal Array[Float32] \"[]\") (I32 207885300)))\n    (RelationalRef `\u03a9` Float32))\n  (NA Float32))", null);
    await expectError('(RelationalLet r (Let eval a (NA String) (ArrayRef -1 (Literal Array[Float32] "[]") (I32 3))) (RelationalRef r Float32))', 'ArrayIndexOutOfBounds');
  });
  test('a let whose closed body is known to raise is that error (its bindings unread); so is a conditional on it', async () => {
    // Found by the harness: a filter predicate over a join with no rows (DuckDB ran the error up front).
    await expectValue("(TableFilter\n  (TableKeyBy (row) False\n    (TableJoin inner 1\n      (TableRange 5 None)\n      (TableMapGlobals\n        (TableKeyBy (x acc) False 4\n          (TableParallelize 2\n            (Literal Struct{rows:Array[Struct{acc:TupleSubset[0:Float64,2:Boolean,3:Int32],x:Int32,row:Int32}],global:Struct{table:Boolean,`\\\\`:Float32}} \"{\\\"rows\\\":[{\\\"acc\\\":[0.1,false,42],\\\"x\\\":-100,\\\"row\\\":-65537}],\\\"global\\\":{\\\"table\\\":false,\\\"\\\\\\\\\\\":1.1920929e-7}}\")))\n        (NA Struct{}))))\n  (Switch\n    (Let eval f\n      (InsertFields\n        (Ref global)\n        (\"z\" \"\u0130\" \"global\")\n        (global (NA String))\n        (z (NA String))\n        (`\u0130` (NA Float64)))\n      (Cast Int32 (Apply 1 toInt64 () Int64 (F32 3.4028234663852886e+38))))\n    (NA Boolean)\n    (NA Boolean)\n    (ApplyComparisonOp GTEQ\n      (GetField elt\n        (TableGetGlobals\n          (TableParallelize None\n            (Literal Struct{rows:Array[Struct{}],global:Struct{y:Float64,elt:Float64}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"y\\\":\\\"-Infinity\\\",\\\"elt\\\":3.141592653589793}}\"))))\n      (F64 2.220446049250313e-16))\n    (NA Boolean)))", table([]));
    // A scan whose value reads a fold over a closed stream that raises: the error on every row.
    await expectError("(TableExplode (\"__rl1\")\n  (TableMapRows\n    (TableJoin outer 1\n      (TableMapGlobals (TableRange 10 None) (NA Struct{a:Boolean}))\n      (TableKeyBy (idx) False\n        (TableParallelize 4\n          (Literal Struct{rows:Array[Struct{idx:Int32,g:Int64}],global:Struct{a_1:Array[Float64]}} \"{\\\"rows\\\":[{\\\"idx\\\":42,\\\"g\\\":4294967296},{\\\"idx\\\":860922652,\\\"g\\\":null},{\\\"idx\\\":-907786798,\\\"g\\\":9223372036854775807},{\\\"idx\\\":null,\\\"g\\\":3878764601183630186}],\\\"global\\\":{\\\"a_1\\\":[1,\\\"Infinity\\\",2.5]}}\"))))\n    (InsertFields\n      (Ref row)\n      None\n      (__rl1\n        (Let scan z scan rows eval Let\n          (NA Dict[Set[Int64],Int64])\n          (StreamFold `\u200b` g\n            (StreamZip -1 ExtendNA (NA neginf)\n              (ToStream False (Literal Array[Dict[Int64,Float64]] \"[]\"))\n              (StreamDrop\n                (ToStream False (Literal Array[String] \"[\\\"\\\\\\\"a% '\\\"]\"))\n                (Literal Int32 \"-2147483647\"))\n              (NA Tuple[]))\n            (NA Float32)\n            (F32 neginf))\n          (NA Float32)\n          (ApplyScanOp PrevNonnull ()\n            ((StreamFold key `+`\n               (StreamMap g (ToStream False (Literal Array[Boolean] \"[]\")) (Ref rows))\n               (NA Set[String])\n               (ToSet (ToStream False (Literal Array[String] \"[\\\"\\\",\\\" \\\"]\")))))))))))", 'InvalidArgument', 'StreamDrop');
  });
  test('an InsertFields whose struct is known to raise whatever of it is needed is that error where it stands: over no groups, nowhere', async () => {
    // Found by the harness (DuckDB ran the struct, shared through a subquery, up front).
    await expectValue("(TableKeyByAndAggregate None 50\n  (TableParallelize 3\n    (TableCollect\n      (TableParallelize 4\n        (Literal Struct{rows:Array[Struct{}],global:Struct{` leading`:Int32,row:TupleSubset[1:Boolean]}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\" leading\\\":null,\\\"row\\\":[null]}}\"))))\n  (NA Struct{})\n  (InsertFields\n    (StreamFold g acc\n      (StreamZip -1 AssumeSameLength (value y)\n        (StreamZip 0 TakeMinLength (eval)\n          (ToStream False (Literal Array[Boolean] \"[true]\"))\n          (NA String))\n        (ToStream False\n          (Literal Array[Float64] \"[0.0002274763393215835,1e+300,44.941414589993656]\"))\n        (NA Int64))\n      (NA Struct{})\n      (Ref row))\n    None\n    (`[x]` (NA String))\n    (a\n      (TableAggregate\n        (TableJoin left 1\n          (TableRange 0 None)\n          (TableKeyBy (`a\\tb`) False\n            (TableParallelize 4\n              (NA Struct{rows:Array[Struct{value:Float32,value_1:Int64,idx_1:Float32,`a\\tb`:Int32}],global:Struct{inf:Float64,g:Tuple[Float64,Float32,Float32]}}))))\n        (ApplyAggOp Max () ((Literal Float64 \"\\\"-Infinity\\\"\")))))))", table([], [null, [null]]));
    // A closed strict operation that raises with only its presence needed raises whatever of it is needed.
    await expectValue("(TableKeyByAndAggregate 3 50\n  (TableFilter\n    (TableMapGlobals (TableRange 3 None) (NA Struct{z:Array[Float32]}))\n    (TableAggregate\n      (TableMapRows (TableRange 17 2) (NA Struct{idx:Int32,`[x]`:Tuple[String]}))\n      (ApplyAggOp PrevNonnull () ((Apply -1 isnan () Boolean (F32 -3.4028234663852886e+38))))))\n  (InsertFields\n    (ArrayRef 17 (Literal Array[Struct{}] \"[{},{}]\") (I32 2))\n    (\"a\\tb_1\" \"\ud83c\udf89\")\n    (`a\\tb_1` (NA String))\n    (`\ud83c\udf89`\n      (ApplyComparisonOp LTEQ\n        (Literal Dict[Array[Int32],Array[String]] \"[{\\\"key\\\":[],\\\"value\\\":[\\\"`\\\",\\\"\\\\r\\\\n\\\",\\\"'\\\"]},{\\\"key\\\":[7,2147483646,2147483647],\\\"value\\\":[\\\"\u65e5%\\\\\\\\'0'\\\"]}]\")\n        (ToDict\n          (StreamMap `a b`\n            (ToStream False\n              (Literal Array[Array[Float32]] \"[[-1,0.1],[null,-3.4028235e+38,-0.0],[7.0448055,1.1754944e-38,1.1920929e-7],[]]\"))\n            (NA Tuple[Array[Int32],Array[String]]))))))\n  (NA Struct{`SELECT * FROM t`:Float32,`a\\tb`:Dict[Float32,Float32]}))", table([], [null]));
  });
  test('a scan AggArrayPerElement array is computed only on the rows its filter keeps (DuckDB computes every operand of an AND, and a WHERE that reads no column up front)', async () => {
    // Found by the harness: under an AggFilter on a missing condition, under an AggExplode of a missing stream.
    await expectValue("(TableExplode (\"'\")\n  (TableMapRows\n    (TableMapRows\n      (TableLeftJoinRightDistinct row\n        (TableKeyByAndAggregate 4 5 (TableRange 2 None) (NA Struct{}) (NA Struct{`a.b`:Int32}))\n        (TableKeyBy (row) False 4\n          (TableParallelize 4\n            (Literal Struct{rows:Array[Struct{row:Int32}],global:Struct{g:Int32}} \"{\\\"rows\\\":[{\\\"row\\\":-65537}],\\\"global\\\":{\\\"g\\\":-1}}\"))))\n      (NA Struct{`a.b`:Int32}))\n    (InsertFields\n      (Ref row)\n      None\n      (`'`\n        (AggFilter True\n          (NA Boolean)\n          (AggArrayPerElement key global True True\n            (Die Array[Boolean] 1 (NA String))\n            (ApplyScanOp Max () ((Str \"\ud83c\udf89\")))\n            (I32 4)))))))", table([[null, null], [null, null], [null, null], [null, null]]));
    await expectValue("(TableCollect\n  (TableExplode (\"i\")\n    (TableMapRows\n      (TableMapRows (TableOrderBy (Didx) (TableRange 2 None)) (NA Struct{agg:Float32}))\n      (InsertFields\n        (Ref row)\n        None\n        (i\n          (AggExplode global True\n            (NA Stream[Float64])\n            (AggArrayPerElement f a True True\n              (ArrayRef 0\n                (Literal Array[Array[Int64]] \"[[],[-7555841314871271239,1197175062709290690,9007199254740992,1]]\")\n                (I32 2))\n              (NA Int64)\n              (I32 1))))))))", [[[null, null], [null, null]], []]);
    await expectValue("(TableExplode (\"z\")\n  (TableMapRows\n    (TableMapRows\n      (TableExplode (\"[x]\")\n        (TableMapRows\n          (TableMapGlobals (TableRange 17 3) (NA Struct{z:Boolean,select:Float32}))\n          (InsertFields (Ref row) None (`[x]` (ApplyScanOp Take ((I32 4)) ((NA Int32)))))))\n      (NA Struct{idx:Int32,`[x]`:Int32,idx_1:Float64,row:String}))\n    (InsertFields\n      (Ref row)\n      None\n      (z\n        (AggExplode global True\n          (NA Stream[Set[Float32]])\n          (AggArrayPerElement `a\\nb` `trailing ` True False\n            (Die Array[Boolean] 17 (NA String))\n            (NA Boolean)))))))", table([], [null, null]));
  });
  test('found by the harness: known errors in untaken places (a global read by field, a query inside a raising subquery, a map over a raising stream, a new field over a table global)', async () => {
    // A field of a global that raises, in a branch not taken: DuckDB read the global's CTE up front.
    await expectValue("(GetField f\n  (If\n    (TableAggregate\n      (TableRename (\"idx\") (\"x_1\") () ()\n        (TableJoin outer 1\n          (TableRange 2 4)\n          (TableKeyBy (value) False 2\n            (TableParallelize None\n              (Literal Struct{rows:Array[Struct{value:Int32,z:Dict[Float64,Float32],x:Boolean,`1abc`:Float64}],global:Struct{}} \"{\\\"rows\\\":[{\\\"value\\\":1073741824,\\\"z\\\":[{\\\"key\\\":1e-310,\\\"value\\\":0}],\\\"x\\\":true,\\\"1abc\\\":null}],\\\"global\\\":{}}\")))))\n      (ApplyAggOp Max () ((False))))\n    (TableGetGlobals\n      (TableParallelize 1 (NA Struct{rows:Array[Struct{}],global:Struct{f:Int64,key:Int64}})))\n    (NA Struct{f:Int64,key:Int64})))", null);
    // A stream that runs a table query, inside a StreamAgg known to raise: not hoisted.
    await expectValue("(If\n  (TableAggregate\n    (TableJoin inner 1\n      (TableRange 1 None)\n      (TableKeyBy (agg elt) False\n        (TableParallelize None\n          (Literal Struct{rows:Array[Struct{agg:Int32,elt:Boolean}],global:Struct{}} \"{\\\"rows\\\":[{\\\"agg\\\":1,\\\"elt\\\":false},{\\\"agg\\\":-1,\\\"elt\\\":false},{\\\"agg\\\":-65537,\\\"elt\\\":false}],\\\"global\\\":{}}\"))))\n    (ApplyAggOp Min () ((True))))\n  (NA String)\n  (StreamAgg z\n    (StreamZip -1 AssertSameLength (key null)\n      (ToStream False (Literal Array[Float64] \"[-49577.81850825995,null,2.220446049250313e-16]\"))\n      (StreamMap `\u200b` (ToStream False (Literal Array[Float64] \"[3.141592653589793]\")) (NA Int32))\n      (TableGetGlobals\n        (TableParallelize 3\n          (NA Struct{rows:Array[Struct{key:Float32,eval:Struct{z:Int32,x:Float32,` `:Float64},row:Boolean}],global:Struct{`\u200b`:String,idx:String}}))))\n    (Str \"b\\\\\")))", null);
    // A StreamAgg over a map of a stream that raises is that error where it stands (no rows: nowhere).
    await expectValue("(TableMapRows\n  (TableMapRows\n    (TableMapRows\n      (TableExplode (\"elt\" \"row\")\n        (TableMapRows\n          (TableRange 1 1)\n          (InsertFields (Ref row) None (elt (Literal Struct{row:Array[Float32]} \"{\\\"row\\\":[]}\")))))\n      (NA Struct{`+`:Float32,idx:Int32,elt:Struct{row:Float32}}))\n    (NA Struct{`+`:Float32,idx:Int32,elt:Struct{row:Float32},Let:Int64}))\n  (InsertFields\n    (Ref row)\n    None\n    (idx\n      (StreamAgg b\n        (StreamMap `@`\n          (StreamDrop\n            (ToStream False (Literal Array[Float32] \"[0.5,1e-45,-0.0,1.1920929e-7]\"))\n            (I32 -2147483648))\n          (ApplyScanOp PrevNonnull () ((False))))\n        (ApplyAggOp Max () ((Die Int32 -1 (NA String))))))))", table([]));
    // A new field of an InsertFields over the global decides a filter: the rows below are not computed.
    await expectValue("(TableFilter\n  (TableFilter (TableRange 10 1) (ArrayRef -1 (MakeArray Array[Boolean] (NA Boolean)) (I32 1)))\n  (GetField `SELECT * FROM t` (InsertFields (Ref global) None (`SELECT * FROM t` (False)))))", table([]));
  });
  test('an AggLet value read only where no row reaches (an AggExplode of a missing array, a false AggFilter) is not computed', async () => {
    // Found by the harness: the interpreter computed it on every row.
    await expectValue("(TableAggregateByKey\n  (TableKeyBy (`\u0130` elt) False\n    (TableOrderBy (Aelt)\n      (TableKeyByAndAggregate 3 1\n        (TableRange 5 None)\n        (NA Struct{elt:Float32})\n        (NA Struct{`\u0130`:Boolean}))))\n  (AggLet z False\n    (ArrayRef 0 (Literal Array[Boolean] \"[true]\") (I32 -2147483648))\n    (AggExplode b False\n      (NA Stream[String])\n      (ApplyAggOp PrevNonnull ()\n        ((MakeStruct (f (NA Dict[Int32,Float64])) (`\ud83c\udf89` (Ref b)) (`1abc` (Ref z))))))))", table([[null, null, null, null, null]]));
    await expectValue("(TableAggregate (TableRange 3 None) (AggLet z False (ArrayRef -1 (Literal Array[Int32] \"[]\") (Apply -1 toInt32 () Int32 (I64 0))) (AggFilter False (NA Boolean) (ApplyAggOp Collect () ((Ref z))))))", []);
  });
  test('no query in the aggregation of an AggExplode whose array is known to raise is hoisted', async () => {
    await expectValue("(TableExplode (\"key\")\n  (TableMapRows\n    (TableOrderBy (Dinf)\n      (TableJoin inner 1\n        (TableRange 10 None)\n        (TableKeyBy (`$1`) False\n          (TableParallelize 4\n            (Literal Struct{rows:Array[Struct{`$1`:Int32,inf:Float32}],global:Struct{acc:Float64,f:Tuple[]}} \"{\\\"rows\\\":[{\\\"$1\\\":-65537,\\\"inf\\\":null}],\\\"global\\\":null}\")))))\n    (InsertFields\n      (Ref row)\n      None\n      (key\n        (AggExplode y True\n          (StreamZip 1 TakeMinLength (select elt)\n            (StreamRange -1 False (I32 -2) (I32 0) (I32 1))\n            (StreamTake\n              (ToStream False (Literal Array[String] \"[\\\"_%\\\",\\\"None\\\",\\\"b\ud83c\udf89\\\\\\\"\\\\\\\"aZ\\\"]\"))\n              (Literal Int32 \"-2036224910\"))\n            (NA Int64))\n          (StreamAgg x\n            (StreamTake\n              (ToStream False\n                (Literal Set[Array[String]] \"[[\\\"\\\\t\\\",\\\"\\\\n\\\",\\\" \\\",\\\"\ud83c\udf89  '\\\"],[\\\"\\\\\\\"\u65e5\\\"],[\\\"\\\\\\\\\\\",\\\"\\\\n\\\\\\\"Z\\\",\\\"%\\\\\\\"_'\ud83c\udf89\u65e5\\\",\\\"\u202e\\\"],null]\"))\n              (ApplyScanOp Min () ((I32 -2147483647))))\n            (TableAggregate\n              (TableParallelize None\n                (NA Struct{rows:Array[Struct{`$1`:Int64}],global:Struct{acc:Float64}}))\n              (AggArrayPerElement I32 x False True\n                (Literal Array[String] \"[]\")\n                (NA Float64)\n                (I32 2)))))))))", table([], [null, null]));
  });
  test('a fold with a step by its form: its zero is unread when no step reads it (constants folded to Literals too), and a missing step makes it missing', async () => {
    // Found by the harness (a StreamAgg evaluated whole with its range's bounds as Literals).
    await expectValue("(StreamAgg z\n  (ToStream False (Literal Array[Float64] \"[-1.7976931348623157e+308,\\\"-Infinity\\\",0]\"))\n  (StreamFold `=` b\n    (StreamRange 1 True (I32 0) (I32 7) (I32 1))\n    (Die Dict[Struct{inf:Float64},Int32] 1 (NA String))\n    (NA Dict[Struct{inf:Float64},Int32])))", null);
    await expectValue("(StreamFold g `,`\n  (ToStream False (Literal Array[Boolean] \"[false]\"))\n  (CollectDistributedArray cda3 table `a\\\\\\`b`\n    (ToStream False\n      (ToArray (ToStream False (Literal Array[Int64] \"[3822216056476582236,null,-2147483649]\"))))\n    (NA String)\n    (NA Float32)\n    (NA String))\n  (StreamFold key b\n    (StreamRange 17 False (I32 0) (I32 1) (I32 2))\n    (ArraySort f ` leading`\n      (StreamZip 0 ExtendNA (g Let z)\n        (StreamRange -1 False (I32 -1) (I32 1) (I32 1))\n        (StreamMap row\n          (StreamRange 0 False (I32 1) (I32 11) (I32 2))\n          (NA Tuple[Float32,Int64,Int64]))\n        (StreamZip 0 AssertSameLength (select i idx)\n          (ToStream False (Literal Array[Boolean] \"[]\"))\n          (ToStream False (Literal Array[Struct{a:Int64}] \"[{\\\"a\\\":9223372036854775807}]\"))\n          (ToStream False (Ref g))\n          (NA Array[String]))\n        (NA Float32))\n      (NA Boolean))\n    (NA Array[Float32])))", null);
    // A filter on such a fold keeps no row: the rows below are not computed.
    await expectValue("(TableFilter\n  (TableKeyBy () False 3\n    (TableMapRows\n      (TableRange 10 3)\n      (InsertFields (Ref row) None (idx (Apply 17 toInt32 () Int32 (F32 3.4028234663852886e+38))))))\n  (GetField b\n    (StreamFold from `'; DROP TABLE t; --`\n      (StreamMap nan\n        (ToStream False\n          (Literal Array[Set[Float64]] \"[[1e-310,1.7976931348623157e+308,\\\"NaN\\\"],[5e-324,2.5],[]]\"))\n        (NA String))\n      (InsertFields (Ref global) None (b (NA Boolean)))\n      (NA Struct{b:Boolean}))))", table([]));
    await expectValue("(TableFilter\n  (TableRename (\"\") (\"b\") () ()\n    (TableFilter\n      (TableMapRows (TableRange 10 1) (NA Struct{`?`:Float32,``:Int64,idx:Int32}))\n      (ArrayRef -1 (Literal Array[Boolean] \"[false]\") (I32 1))))\n  (ApplyComparisonOp EQ\n    (F32 43421.44)\n    (StreamFold null `\u00c5\u00c6\u00d8`\n      (ToStream True (Literal Array[Float64] \"[-1.7670526751317085e-10,1e+300,1e+300]\"))\n      (ArrayRef 1\n        (Literal Array[Float32] \"[0.5,\\\"Infinity\\\",\\\"Infinity\\\",1.1920929e-7]\")\n        (I32 -65537))\n      (NA Float32))))", table([]));
  });
  test('a fold whose zero is a fold whose needed zero raises raises where it stands (a scan of a present stream is present)', async () => {
    await expectError("(StreamFold `1abc` acc\n  (ToStream False\n    (Literal Array[Int64] \"[9223372036854775807,9007199254740993,2824096561978304519]\"))\n  (StreamFold acc idx\n    (StreamScan x key\n      (ToStream True\n        (Literal Array[Dict[Float32,Float64]] \"[[{\\\"key\\\":-1,\\\"value\\\":0},{\\\"key\\\":null,\\\"value\\\":\\\"-Infinity\\\"}]]\"))\n      (NA Struct{elt:Float64,global:Float32,`\u200b`:Float64})\n      (NA Struct{elt:Float64,global:Float32,`\u200b`:Float64}))\n    (ApplyBinaryPrimOp Subtract (I32 7) (I32 -2147483647))\n    (Ref acc))\n  (StreamAgg b\n    (StreamFlatMap b (ToStream False (Literal Array[Boolean] \"[true,true]\")) (ToStream False (Literal Array[Float64] \"[1]\")))\n    (ApplyAggOp Min () ((Ref `1abc`)))))", 'IntegerOverflow');
  });
  test('a fold over a drop of a constant count that leaves no element is computed without its body', async () => {
    // Found by the harness: DuckDB ran the body's known error over no element.
    await expectValue("(StreamFold `{}` inf\n  (StreamDrop\n    (ToStream False (Literal Array[Int64] \"[1,4037767790366715964,-2147483649]\"))\n    (I32 2147483647))\n  (NA String)\n  (If\n    (TableAggregate\n      (TableKeyBy (b idx x) False\n        (TableMapRows (TableRange 3 None) (NA Struct{x:Float64,b:Float64,idx:Int32})))\n      (GetField False\n        (ApplyAggOp PrevNonnull () ((Literal Struct{False:Boolean} \"{\\\"False\\\":false}\")))))\n    (TableAggregate\n      (TableMapRows (TableRange 2 None) (NA Struct{`\u65e5\u672c\u8a9e`:Int64,idx:Int32}))\n      (ApplyAggOp Min () ((Str \"e\u0301\"))))\n    (If\n      (StreamAgg global\n        (StreamTake (ToStream False (Literal Array[Float32] \"[0.1,null]\")) (I32 -2147483647))\n        (True))\n      (Ref `{}`)\n      (NA String))))", null);
  });
  test('IsNA of a table row is false, unevaluated: a filter on it keeps no row and computes none', async () => {
    await expectValue("(TableFilter\n  (TableAggregateByKey\n    (TableParallelize 1\n      (ArrayRef 0\n        (Literal Array[Struct{rows:Array[Struct{key:String,row:Float32,y:Float64}],global:Struct{}}] \"[]\")\n        (I32 0)))\n    (Ref global))\n  (IsNA (Ref row)))", table([]));
  });
  test('an AggExplode array known to raise is not computed when no aggregator inside it gets rows (a missing AggFilter condition)', async () => {
    await expectValue("(TableAggregate\n  (TableOrderBy (`Aa-b`)\n    (TableMapRows\n      (TableAggregateByKey (TableRange 3 2) (NA Struct{y:Int64,`a-b`:String}))\n      (NA Struct{`a-b`:String,order:Float32,y:Int32,idx:Int32})))\n  (AggExplode y False\n    (StreamDrop (ToStream False (Literal Array[Float32] \"[]\")) (I32 -1627113197))\n    (AggFilter False\n      (NA Boolean)\n      (ApplyAggOp TakeBy ((I32 0)) ((NA Tuple[Dict[Float64,Float32],Boolean]) (Ref y))))))", []);
  });
  test('a join needs the key fields past its join key only when its row order is needed', async () => {
    const right = '(TableKeyBy (idx d) False (TableMapRows (TableRange 3 None) (MakeStruct (idx (GetField idx (Ref row))) (d (Die Int32 -1 (Str "no"))))))';
    await expectValue(`(TableCount (TableJoin inner 1 (TableRange 3 None) ${right}))`, 3n);
    await expectError(`(TableCollect (TableJoin inner 1 (TableRange 3 None) ${right}))`, 'Die', 'no');
  });
  test('a relational let whose body is known to raise is not hoisted: it raises where it stands', async () => {
    const body = '(StreamFold a x (StreamTake (ToStream False (Literal Array[Int64] "[1]")) (I32 -1)) (I64 0) (Ref a))';
    const none = '(TableCount (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))))';
    const let_ = `(RelationalLet n (ApplyBinaryPrimOp FloatingPointDivide (I64 5) ${none}) ${body})`;
    await expectValue(`(If (ApplyComparisonOp EQ ${none} (I64 0)) (I64 1) ${let_})`, 1n);
    await expectError(`(If (ApplyComparisonOp EQ ${none} (I64 1)) (I64 1) ${let_})`, 'InvalidArgument');
  });
  test('a new field of an InsertFields missing by its form is missing whatever the old struct is', async () => {
    await expectValue("(If\n  (Switch\n    (GetField agg\n      (InsertFields\n        (TableGetGlobals\n          (TableParallelize None (NA Struct{rows:Array[Struct{g:Boolean}],global:Struct{}})))\n        None\n        (agg (NA Int32))))\n    (NA Boolean)\n    (NA Boolean)\n    (NA Boolean)\n    (False))\n  (NA Array[Int64])\n  (If\n    (GetField `@`\n      (ArrayRef 17 (Literal Array[Struct{`@`:Boolean}] \"[{\\\"@\\\":true}]\") (I32 1073741824)))\n    (NA Array[Int64])\n    (StreamAgg group\n      (ToStream False (Literal Array[Float32] \"[3.1415927,0.5]\"))\n      (ApplyAggOp PrevNonnull () ((MakeArray None (NA Int64)))))))", null);
    await expectValue("(TableKeyByAndAggregate None 5\n  (TableExplode (\"x_1\")\n    (TableMapRows\n      (TableAggregateByKey\n        (TableKeyBy (x idx) False 4\n          (TableMapRows (TableRange 10 None) (NA Struct{idx:Int32,x:Int64})))\n        (NA Struct{`)`:String,global:Boolean,`a\\tb`:String}))\n      (InsertFields (Ref row) None (x_1 (NA Set[Dict[Int32,Float32]])))))\n  (TableAggregate\n    (TableOrderBy () (TableRange 3 None))\n    (Die Struct{g:Int32,a_1:Float32,f:Boolean} 1 (ApplyAggOp Min () ((Literal String \"\\\"\\\\n\\\"\")))))\n  (NA Struct{a:Array[Float64]}))", { rows: [], global: [] });
  });
  test('a field of an InsertFields written out is missing by its form when its value is', async () => {
    // x * NULL: DuckDB folds it to NULL without evaluating x, so x is not evaluated anywhere.
    await expectValue("(ApplyBinaryPrimOp Multiply\n  (StreamAgg value\n    (StreamScan `=` x\n      (StreamZip 17 ExtendNA (value)\n        (ToStream False (Literal Array[Dict[Float32,Boolean]] \"[]\"))\n        (NA Array[Float32]))\n      (ArrayRef 17\n        (ArraySort `+` x (ToStream False (Literal Array[Dict[String,Float32]] \"[]\")) (NA Boolean))\n        (I32 0))\n      (NA Dict[String,Float32]))\n    (F64 inf))\n  (GetField global\n    (InsertFields\n      (MakeStruct (f (NA Boolean)) (global (NA Float64)))\n      (\"f\" \"x\" \"global\")\n      (x (Apply 17 toInt32 () Int32 (I64 4114723132503045032))))))", null);
  });
  test('a StreamAgg over a closed collection that raises is that error where it stands, not a FROM argument computed up front', async () => {
    await expectValue("(TableKeyByAndAggregate None 5\n  (TableOrderBy (Aidx Aeval)\n    (TableMapRows\n      (TableRange 5 None)\n      (NA Struct{idx:Int32,eval:Float64,b:Struct{global:Boolean,key:Int32}})))\n  (If\n    (ApplyAggOp Max () ((True)))\n    (NA Struct{False:Boolean})\n    (StreamAgg `:`\n      (StreamTake (ToStream False (Literal Array[Float32] \"[0.1,3.1415927]\")) (I32 -514427462))\n      (ApplyAggOp PrevNonnull () ((InsertFields (Ref global) (\"False\") (False (NA Boolean)))))))\n  (NA Struct{neginf:Int32,i:Struct{}}))", { rows: [[null, null, null]], global: [] });
    await expectError('(StreamAgg x (StreamTake (ToStream False (Literal Array[Int32] "[1]")) (I32 -1)) (ApplyAggOp Count () ()))', 'InvalidArgument');
  });
  test('a Let whose body is a closed stream is that stream (its scan bindings are never evaluated)', async () => {
    const fold = '(StreamFold acc x (Let scan z (Die Int32 -1 (Str "binding")) (StreamZip -1 AssertSameLength (a b) (ToStream False (Literal Array[Int32] "[1,2]")) (ToStream False (Literal Array[Int32] "[1]")) (Ref a))) (I64 0) (TableCount (TableRange 1 None)))';
    await expectValue(`(TableCount (TableMapRows (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))) (InsertFields (Ref row) None (f ${fold}))))`, 0n);
    // Over rows none of which reach the map (found by the harness).
    await expectValue("(TableMapRows\n  (TableOrderBy (Didx Dg)\n    (TableExplode (\"g\" \"\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67\")\n      (TableMapRows\n        (TableMapGlobals (TableRange 17 3) (NA Struct{x:Tuple[]}))\n        (NA Struct{idx:Int32,g:Struct{`\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67`:Set[Int32]}}))))\n  (InsertFields\n    (Ref row)\n    (\"idx\" \"g\" \"f\")\n    (g (NA Float32))\n    (idx (NA Boolean))\n    (f\n      (StreamFold table order\n        (Let scan z scan NA\n          (NA Int32)\n          (NA String)\n          (StreamZip 1 AssertSameLength (`[x]` `a b`)\n            (ToStream False\n              (Literal Array[Int64] \"[-9223372036854775808,-417728040580587679,2512643609905103992]\"))\n            (ToStream False (Literal Array[String] \"[\\\"_\ud83c\udf89b%\\\",\\\"\\\\\\\"%b\\\",null,null]\"))\n            (NA Int32)))\n        (NA Dict[Float64,Float64])\n        (ToDict\n          (StreamMap value\n            (ToStream False (Literal Array[Int32] \"[7]\"))\n            (NA Struct{key:Float64,value:Float64})))))))", { rows: [], global: [null] });
    await expectError(`(TableCollect (TableMapRows (TableRange 1 None) (InsertFields (Ref row) None (f ${fold}))))`, 'InvalidArgument');
  });
  test('a scan AggArrayPerElement computes its result only over arrays before the current row', async () => {
    await expectValue('(TableCollect (TableMapRows (TableRange 1 None) (InsertFields (Ref row) None (a (AggArrayPerElement e j True False (MakeArray Array[Int32] (I32 1) (I32 2)) (Die Int32 -1 (Str "result")))))))', [[[0, null]], []]);
  });
  test('a fold over a stream empty by its form runs no body: what only the body reads is not needed', async () => {
    await expectValue("(TableFilter\n  (TableParallelize None\n    (MakeStruct\n      (rows (Literal Array[Struct{select:Int64}] \"[{\\\"select\\\":4294967296}]\"))\n      (global (NA Struct{global:Set[String]}))))\n  (RelationalLet `\\\\`\n    (ArrayRef 17 (Literal Array[Float64] \"[13.097168039530516]\") (I32 292144351))\n    (StreamFold scan idx\n      (ToStream False (Literal Set[Struct{b:Float64}] \"[]\"))\n      (NA Boolean)\n      (IsNA (RelationalRef `\\\\` Float64)))))", { rows: [], global: [null] });
  });
  test('a closed scalar field of a struct written out decides a condition, whatever its other fields do', async () => {
    await expectValue("(If\n  (GetField value\n    (MakeStruct\n      (value\n        (ApplyComparisonOp EQWithNA\n          (NA String)\n          (GetTupleElement 1\n            (Literal Tuple[Float32,String,Struct{__rl1:Boolean,`\u65e5\u672c\u8a9e`:Float64,f:Float32}] \"[0,\\\"hello\\\",{\\\"__rl1\\\":null,\\\"\u65e5\u672c\u8a9e\\\":1.7976931348623157e+308,\\\"f\\\":0}]\"))))\n      (idx\n        (StreamFold g row\n          (StreamZip 1 AssertSameLength (`+` i f)\n            (ToStream False (Literal Array[Struct{}] \"[{},{}]\"))\n            (ToStream False (Literal Array[Array[Boolean]] \"[[true,false,false,true]]\"))\n            (ToStream False\n              (Literal Array[Array[Int64]] \"[[2,-9223372036854775807,1,9223372036854775807]]\"))\n            (NA Int32))\n          (NA Float64)\n          (Ref g)))))\n  (Let eval z eval `)`\n    (TableCount (TableOrderBy (Didx) (TableRange 10 None)))\n    (NA Int32)\n    (ArrayRef 1 (Literal Array[Boolean] \"[false,false]\") (I32 2)))\n  (NA Boolean))", null);
  });
  test('a global of which no field is read is not needed (TableParallelize of a missing rows array does not fail)', async () => {
    await expectValue("(SelectFields ()\n  (TableGetGlobals\n    (TableRename () () (\"idx\" \"i\") (\"y\" \"f\")\n      (TableParallelize 4\n        (NA Struct{rows:Array[Struct{y:String}],global:Struct{idx:Boolean,i:Float32}})))))", []);
  });
  test('a let binding known to raise raises where the let is evaluated, even where its reads are not reached', async () => {
    await expectError("(TableKeyByAndAggregate 3 5\n  (TableParallelize 3\n    (MakeStruct\n      (rows\n        (Literal Array[Struct{scan:Struct{},f:Float64}] \"[{\\\"scan\\\":{},\\\"f\\\":\\\"NaN\\\"},{\\\"scan\\\":{},\\\"f\\\":-5e-324},null]\"))\n      (global (NA Struct{a:String}))))\n  (Let agg acc eval `'` agg `a\\nb`\n    (NA Array[Int64])\n    (Apply 17 mod () Int32 (I32 -1) (I32 0))\n    (NA Boolean)\n    (Switch\n      (ApplyAggOp PrevNonnull () ((Cast Int32 (F64 5e-324))))\n      (If\n        (ApplyComparisonOp LT (I32 65536) (Ref `'`))\n        (NA Struct{`a\"; DROP TABLE t; --`:Dict[Boolean,Boolean],row:Boolean})\n        (Literal Struct{`a\"; DROP TABLE t; --`:Dict[Boolean,Boolean],row:Boolean} \"{\\\"a\\\\\\\"; DROP TABLE t; --\\\":[{\\\"key\\\":true,\\\"value\\\":true}],\\\"row\\\":false}\"))\n      (NA Struct{`a\"; DROP TABLE t; --`:Dict[Boolean,Boolean],row:Boolean})))\n  (NA Struct{elt:Array[Int32],`\u0130`:Dict[Float32,String]}))", 'DivisionByZero');
    await expectError('(TableAggregate (TableRange 3 None) (Let eval b (Apply -1 mod () Int32 (I32 1) (I32 0)) (If (ApplyComparisonOp GT (ApplyAggOp Count () ()) (I64 5)) (Ref b) (I32 0))))', 'DivisionByZero');
  });
  test('a filter If(c, then, False) whose then is closed still evaluates c, and a predicate is tied to a column that is not constant', async () => {
    await expectError("(TableFilter\n  (TableRename (\"idx\") (\"trailing \") () ()\n    (TableMapGlobals\n      (TableMapRows (TableRange 1 None) (NA Struct{i:Array[Float32],idx:Int32}))\n      (NA Struct{f:Float32})))\n  (If\n    (ArrayRef 1 (Literal Array[Boolean] \"[false,false,true,false]\") (I32 -65537))\n    (IsNA (I64 9223372036854775807))\n    (False)))", 'ArrayIndexOutOfBounds');
  });
  test('exploding a field missing by its form gives no row and computes none of the child (DuckDB prunes the plan)', async () => {
    await expectValue("(TableExplode (\"g\")\n  (TableMapRows\n    (TableFilter\n      (TableFilter (TableRange 17 3) (ArrayRef 0 (Literal Array[Boolean] \"[false]\") (I32 7)))\n      (StreamFold acc value\n        (ToStream False (Literal Array[String] \"[\\\"_\u65e5\u65e5\\\\\\\\\\\",\\\"\\\\\\\\a\ud83c\udf89\ud83c\udf89;\\\"]\"))\n        (NA Boolean)\n        (Let eval x eval y eval group\n          (NA Float64)\n          (InsertFields (Ref row) None (idx (NA Float64)))\n          (NA Float64)\n          (Ref acc))))\n    (NA Struct{idx:Int32,g:Array[Int32]})))", { rows: [], global: [] });
    await expectValue('(TableCount (TableExplode ("a") (TableMapRows (TableFilter (TableRange 3 None) (Die Boolean -1 (Str "pred"))) (MakeStruct (idx (GetField idx (Ref row))) (a (NA Array[Int32]))))))', 0n);
  });
  test('a relational let of a constant scalar is that constant where it is read', async () => {
    await expectValue('(RelationalLetTable idx (I32 5) (TableAggregateByKey (TableRange 3 None) (Coalesce (GetField f (ApplyAggOp PrevNonnull () ((Literal Struct{f:Struct{b:Int32}} "{\\"f\\":{\\"b\\":1}}")))) (MakeStruct (b (ArrayRef -1 (Literal Array[Int32] "[1]") (RelationalRef idx Int32)))))))', { rows: [[0, 1], [1, 1], [2, 1]], global: [] });
  });
  test('Count, Sum and the other aggregators never missing are present by their form: nothing after them in a Coalesce runs', async () => {
    await expectValue("(TableCollect\n  (TableMapRows\n    (TableParallelize 1\n      (ArrayRef 0\n        (Literal Array[Struct{rows:Array[Struct{}],global:Struct{b:Int32,value:Set[String]}}] \"[{\\\"rows\\\":[{},{},{},{}],\\\"global\\\":{\\\"b\\\":-65537,\\\"value\\\":[\\\"%_\\\\\\\\\\\",\\\"0\\\\n\\\",\\\"b;\\\"]}},{\\\"rows\\\":[{},{},{}],\\\"global\\\":{\\\"b\\\":-2147483647,\\\"value\\\":[\\\"\\\\n0\ud83c\udf89Z\\\",null]}},{\\\"rows\\\":null,\\\"global\\\":{\\\"b\\\":-65537,\\\"value\\\":null}}]\")\n        (I32 0)))\n    (InsertFields\n      (Ref row)\n      (\"row\" \"g\")\n      (row\n        (Coalesce\n          (ApplyScanOp Max ()\n            ((StreamAgg y (ToStream False (Literal Array[String] \"[null,\\\"\\\"]\")) (I64 1))))\n          (ApplyScanOp Count () ())\n          (ApplyBinaryPrimOp RoundToNegInfDivide\n            (TableCount (TableRange 1 1))\n            (ApplyScanOp Sum () ((NA Int64))))))\n      (g (NA Float64)))))", [[[0n, null], [1n, null], [1n, null], [1n, null]], [-65537, ['%_\\', '0\n', 'b;']]]);
  });
  test('a TableParallelize of a known value with no rows is empty by its form', async () => {
    await expectValue("(TableAggregateByKey\n  (TableMapRows\n    (TableRename (\"g\") (\"\u65e5\u672c\u8a9e\") (\"__\") (\"z\")\n      (TableParallelize None\n        (StreamAgg I32\n          (ToStream False (Literal Array[Array[Float64]] \"[]\"))\n          (Literal Struct{rows:Array[Struct{f:String,y:Int32,g:Array[Int32]}],global:Struct{__:Dict[Float64,Int32],global:Array[Boolean]}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"__\\\":[],\\\"global\\\":[true,false,false]}}\"))))\n    (NA Struct{z:Float64,eval:Float64}))\n  (AggExplode `\u65e5\u672c\u8a9e` False\n    (NA Stream[Int32])\n    (Switch\n      (ArrayRef 1 (Literal Array[Int32] \"[65536,2147483646]\") (I32 1070577299))\n      (NA Struct{`a\\tb`:Set[String]})\n      (NA Struct{`a\\tb`:Set[String]})\n      (ApplyAggOp PrevNonnull () ((MakeStruct (`a\\tb` (NA Set[String]))))))))", { rows: [], global: [[], [true, false, false]] });
  });
  test('a hoisted value keeps the sign of a -0.0 inside it (DuckDB drops it in a container a scalar subquery returns)', async () => {
    const per = (v: string) => `(TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (c ${v})))`;
    const n = '(Cast Float64 (TableCount (TableRange 2 None)))';
    await expectValue(per(`(MakeArray Array[Float64] (F64 -0.0) ${n} (NA Float64))`), { rows: [[0, [-0, 2, null]], [1, [-0, 2, null]]], global: [] });
    await expectValue(per(`(MakeStruct (a (F32 -0.0)) (b (MakeArray Array[Float64] (F64 -0.0) ${n})) (c (NA Struct{d:Float64})))`), { rows: [[0, [-0, [-0, 2], null]], [1, [-0, [-0, 2], null]]], global: [] });
    await expectValue(per(`(MakeArray Array[Tuple[Float64,Float32]] (MakeTuple (0 1) (F64 -0.0) (F32 -0.0)) (MakeTuple (0 1) ${n} (F32 1.0)) (NA Tuple[Float64,Float32]))`), { rows: [[0, [[-0, -0], [2, 1], null]], [1, [[-0, -0], [2, 1], null]]], global: [] });
  });
  test('a closed table query with a float inside its value is hoisted like any other: it raises over rows a run-time filter removes', async () => {
    await expectError("(TableMapRows\n  (TableFilter\n    (TableMapGlobals\n      (TableOrderBy (Aidx)\n        (TableAggregateByKey (TableRange 3 1) (NA Struct{global:Float64,`{}`:Float32})))\n      (NA Struct{row:Boolean}))\n    (TableAggregate\n      (TableKeyBy () True (TableMapRows (TableRange 2 None) (NA Struct{value:Int32,idx:Int32})))\n      (ApplyAggOp Min ()\n        ((GetTupleElement 2 (Literal TupleSubset[0:Boolean,2:Boolean,3:Int64] \"[false,false,null]\"))))))\n  (InsertFields\n    (Ref row)\n    None\n    (f\n      (ToDict\n        (StreamZip 17 AssumeSameLength (`İ`)\n          (ToStream False (Literal Array[Tuple[]] \"[[],null,[]]\"))\n          (TableAggregate\n            (TableParallelize None\n              (NA Struct{rows:Array[Struct{}],global:Struct{`ñandú`:Array[Float64],z:Float64}}))\n            (ApplyAggOp PrevNonnull ()\n              ((Literal Struct{`trailing `:String,global:Float32} \"{\\\"trailing \\\":\\\"a\\\\\\\"; DROP TABLE t; --\\\",\\\"global\\\":1.1754944e-38}\")))))))))", 'InvalidArgument');
  });
  test('a strict operation on an operand known to raise is that error where it stands, beside a subquery operand', async () => {
    // The other operand (a StreamAgg) made the division a subquery, which DuckDB ran up front.
    await expectValue('(If (TableAggregate (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5))) (ApplyAggOp Max () ((True)))) (NA Float64) (ApplyBinaryPrimOp FloatingPointDivide (Cast Float64 (ArrayLen (ArrayRef 1 (Literal Array[Array[Int32]] "[]") (I32 2)))) (StreamAgg key (ToStream False (Literal Array[String] "[\\"a\\",\\"b\\"]")) (Cast Float64 (ApplyAggOp Min () ((I32 1)))))))', null);
  });
  test('an inner join with a key missing by its form on one side has no rows by its form: no per-row value of either side runs', async () => {
    // DuckDB prunes such a join from its statistics, so neither side's columns are computed.
    await expectValue("(TableJoin inner 1\n  (TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (v (Apply 0 toInt32 () Int32 (Literal Int64 \"4294967296\")))))\n  (TableKeyBy (idx) False (TableMapRows (TableKeyBy () False (TableRange 5 None)) (NA Struct{idx:Int32,w:Int32}))))", { rows: [], global: [] });
    await expectValue("(TableAggregateByKey\n  (TableJoin inner 2\n    (TableMapGlobals\n      (TableMapRows\n        (TableJoin right 1\n          (TableRange 17 None)\n          (TableKeyBy (`$1` global) False 4\n            (TableParallelize 3\n              (Literal Struct{rows:Array[Struct{global:Int32,`$1`:Int32}],global:Struct{idx:Float32}} \"{\\\"rows\\\":[{\\\"global\\\":-65537,\\\"$1\\\":0}],\\\"global\\\":{\\\"idx\\\":-1}}\"))))\n        (InsertFields\n          (Ref row)\n          None\n          (z (NA Float32))\n          (idx (Apply 0 toInt32 () Int32 (Literal Int64 \"4294967296\")))))\n      (NA Struct{`é`:Int64,`'`:Int64}))\n    (TableKeyBy (idx global) False\n      (TableMapRows (TableKeyBy () False (TableRange 5 None)) (NA Struct{idx:Int32,global:Int32}))))\n  (NA Struct{global_1:Float32,`é`:Dict[Boolean,Int32]}))", { rows: [], global: [null, null] });
  });
  test('a join whose keys DuckDB proves disjoint from statistics still evaluates a side that may raise', async () => {
    // Left keys 6, right keys -2147483648: DuckDB would compute nothing of the right side.
    await expectError("(TableLeftJoinRightDistinct elt\n  (TableMapRows\n    (TableRange 10 None)\n    (MakeStruct (b (NA String)) (idx (StreamLen (StreamRange 0 False (I32 -2) (I32 4) (I32 1))))))\n  (TableFilter\n    (TableRename (\"z\") (\"value\") () ()\n      (TableKeyBy (z) False\n        (TableMapRows\n          (TableKeyBy () False (TableRange 10 None))\n          (Literal Struct{`O'Brien`:String,z:Int32,b:Float64} \"{\\\"O'Brien\\\":null,\\\"z\\\":-2147483648,\\\"b\\\":2.220446049250313e-16}\"))))\n    (ApplyComparisonOp GT (ArrayRef 0 (Literal Array[Float64] \"[]\") (I32 2)) (F64 422.782264649868))))", 'ArrayIndexOutOfBounds');
    await expectError("(TableJoin inner 1\n  (TableMapRows\n    (TableKeyBy (eval) False\n      (TableKeyByAndAggregate None 5\n        (TableRange 3 None)\n        (NA Struct{idx:Float32,i:Set[String],row:Array[Int32]})\n        (Literal Struct{agg:String,eval:Int32} \"{\\\"agg\\\":\\\"👩‍👩‍👧\\\",\\\"eval\\\":732538553}\")))\n    (InsertFields (Ref row) None (select (NA String)) (global (NA Boolean))))\n  (TableKeyBy (value) False\n    (TableMapGlobals\n      (TableMapRows\n        (TableKeyBy () False (TableFilter (TableRange 5 2) (Die Boolean 17 (NA String))))\n        (Literal Struct{value:Int32} \"{\\\"value\\\":1073741824}\"))\n      (NA Struct{`1abc`:Array[Int32]}))))", 'Die');
    // The run restores the connection's setting, other disabled optimizers included.
    await db.c.run("SET disabled_optimizers = 'join_order'");
    await expectError("(TableJoin inner 1\n  (TableMapRows\n    (TableKeyBy (eval) False\n      (TableKeyByAndAggregate None 5\n        (TableRange 3 None)\n        (NA Struct{idx:Float32,i:Set[String],row:Array[Int32]})\n        (Literal Struct{agg:String,eval:Int32} \"{\\\"agg\\\":\\\"👩‍👩‍👧\\\",\\\"eval\\\":732538553}\")))\n    (InsertFields (Ref row) None (select (NA String)) (global (NA Boolean))))\n  (TableKeyBy (value) False\n    (TableMapGlobals\n      (TableMapRows\n        (TableKeyBy () False (TableFilter (TableRange 5 2) (Die Boolean 17 (NA String))))\n        (Literal Struct{value:Int32} \"{\\\"value\\\":1073741824}\"))\n      (NA Struct{`1abc`:Array[Int32]}))))", 'Die');
    const after = (await db.c.runAndReadAll("SELECT current_setting('disabled_optimizers')")).getRows()[0]![0];
    await db.c.run("SET disabled_optimizers = ''");
    expect(after).toBe('join_order');
  });
  test('a join side that raises by design is computed in full, though the other side is empty at run time', async () => {
    // DuckDB skips the probe side of a hash join whose build side is empty: a MATERIALIZED CTE.
    await expectError("(TableJoin right 1\n  (TableFilter\n    (TableJoin left 1\n      (TableRange 17 None)\n      (TableKeyBy (idx) False\n        (TableParallelize 4\n          (Literal Struct{rows:Array[Struct{idx:Int32}],global:Struct{acc:Struct{z:Float32,__:Int32},y:Int64}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"acc\\\":{\\\"z\\\":-1,\\\"__\\\":0},\\\"y\\\":-2147483649}}\"))))\n    (ArrayRef 17\n      (GetTupleElement 1\n        (Literal Tuple[Int64,Array[Boolean],Float32] \"[-9223372036854775808,[false,false],-1]\"))\n      (I32 2147483647)))\n  (TableKeyBy (idx x) False 2\n    (TableParallelize None\n      (TableCollect\n        (TableKeyBy (idx value) False\n          (TableParallelize 4\n            (Literal Struct{rows:Array[Struct{value:Tuple[],global:String,idx:Int32,x:Int32}],global:Struct{}} \"{\\\"rows\\\":[],\\\"global\\\":{}}\")))))))", 'ArrayIndexOutOfBounds');
  });
  test('statistics propagation stays on where no join side may raise (the benchmark join)', () => {
    const safe = '(TableAggregate (TableJoin inner 1 (TableKeyBy (k) False (TableMapRows (TableKeyBy () False (TableRange 10 None)) (MakeStruct (k (GetField idx (Ref row))) (x (F64 1.5))))) (TableKeyBy (k) False (TableMapRows (TableKeyBy () False (TableRange 5 None)) (MakeStruct (k (GetField idx (Ref row))) (w (ApplyBinaryPrimOp Multiply (F64 2.0) (Cast Float64 (GetField idx (Ref row))))))))) (ApplyAggOp Count () ()))';
    expect(compileProgram(parse(safe)).noStatistics).toBe(false);
    expect(compileProgram(parse(safe.replace('(F64 1.5)', '(Cast Float64 (ApplyBinaryPrimOp Add (GetField idx (Ref row)) (I32 1)))'))).noStatistics).toBe(true);
  });
  test('a RelationalLet whose value is known to raise raises where the let is evaluated, read or not', async () => {
    await expectError("(TableAggregate (TableRange 3 None)\n  (RelationalLet r (ToSet (StreamTake (ToStream False (Literal Array[Int64] \"[]\")) (I32 -5)))\n    (If (ApplyAggOp PrevNonnull () ((True))) (NA Int32) (ArrayLen (ToArray (ToStream False (RelationalRef r Set[Int64])))))))", 'InvalidArgument');
  });
  test('a fold whose stream is known to raise is that error where it stands, however little of it is needed', async () => {
    // A new key evaluated per row, over no rows: never (DuckDB ran the fold's recursive CTE up front).
    await expectValue("(TableKeyByAndAggregate None 50\n  (TableFilter (TableRange 3 None) (ApplyComparisonOp GT (GetField idx (Ref row)) (I32 5)))\n  (MakeStruct (n (ApplyAggOp Count () ())))\n  (StreamFold acc x\n    (StreamZip 1 AssertSameLength (a b)\n      (ToStream False (Literal Array[Int32] \"[1,2]\"))\n      (ToStream False (Literal Array[Int32] \"[1]\"))\n      (ApplyBinaryPrimOp Add (Ref a) (Ref b)))\n    (MakeStruct (s (I32 0)) (t (I32 0)))\n    (StreamAgg y (ToStream False (Literal Array[Int32] \"[1]\")) (MakeStruct (s (ApplyAggOp Max () ((Ref x)))) (t (Ref x))))))", { rows: [], global: [] });
  });
  test('IsNA of a value present by its form is false, the value unevaluated', async () => {
    // DuckDB folds `[NULL, error(...)] IS NULL` to FALSE.
    await expectValue('(IsNA (MakeArray Array[Int32] (NA Int32) (Die Int32 1 (Str "x"))))', false);
    await expectValue('(IsNA (Let eval a (NA Int64) (MakeArray None (Die Set[Int32] -1 (NA String)))))', false);
    await expectValue('(TableCollect (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (n (IsNA (MakeStruct (a (ArrayRef -1 (Literal Array[Int32] "[]") (GetField idx (Ref row))))))))))', [[[0, false], [1, false]], []]);
  });
  test('a filter predicate reading no column over rows with no order column is tied to a row column', async () => {
    // Else DuckDB pulls it above the join, where no joined row reaches it.
    await expectError("(TableJoin inner 1\n  (TableKeyBy (`a\\\\\\`b`) False\n    (TableFilter\n      (TableAggregateByKey\n        (TableOrderBy () (TableRange 3 None))\n        (SelectFields (g `a\\\\\\`b` neginf)\n          (Literal Struct{`a\\\\\\`b`:Array[Float64],neginf:String,g:String} \"{\\\"a\\\\\\\\`b\\\":[-373501.2044198811],\\\"neginf\\\":null,\\\"g\\\":\\\"\\\\r\\\\n\\\"}\")))\n      (Die Boolean 0 (NA String))))\n  (TableKeyBy (`a\\\\\\`b`) False\n    (TableParallelize None\n      (MakeStruct\n        (rows\n          (Literal Array[Struct{`a\\\\\\`b`:Array[Float64],i:Tuple[Float32]}] \"[{\\\"a\\\\\\\\`b\\\":[0.00003122832705266774,4.621577868238091e-7,1e-310],\\\"i\\\":[null]},{\\\"a\\\\\\\\`b\\\":[-49558486.78946495,5e-324,-0.2767461584880948],\\\"i\\\":[-3.4028235e+38]}]\"))\n        (global (NA Struct{}))))))", 'Die');
  });
  test('a join key missing by its form in an aggregated struct (TableAggregateByKey) matches nothing: the side is not evaluated', async () => {
    await expectValue("(TableJoin inner 1\n  (TableKeyBy (`a\\\\\\`b`) False\n    (TableFilter\n      (TableAggregateByKey\n        (TableOrderBy () (TableRange 3 None))\n        (NA Struct{g:String,`a\\\\\\`b`:Array[Float64],neginf:String}))\n      (Die Boolean 0 (NA String))))\n  (TableKeyBy (`a\\\\\\`b`) False\n    (TableParallelize None\n      (MakeStruct\n        (rows\n          (Literal Array[Struct{`a\\\\\\`b`:Array[Float64],i:Tuple[Float32]}] \"[{\\\"a\\\\\\\\`b\\\":[0.00003122832705266774,4.621577868238091e-7,1e-310],\\\"i\\\":[null]},{\\\"a\\\\\\\\`b\\\":[-49558486.78946495,5e-324,-0.2767461584880948],\\\"i\\\":[-3.4028235e+38]}]\"))\n        (global (NA Struct{}))))))", { rows: [], global: [] });
  });
  test('a scan aggregation with a closed body known to raise stays in its branch (not a column computed for every row)', async () => {
    await expectValue("(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (k (If (ApplyScanOp Max () ((False))) (AggExplode e True (NA Stream[Int32]) (ArrayRef -1 (Literal Array[Int32] \"[1]\") (I32 2))) (NA Int32)))))", { rows: [[0, null], [1, null], [2, null]], global: [] });
  });
  test('a closed Void expression known to raise is that error where it stands (a Switch case not taken)', async () => {
    await expectValue("(Switch\n  (TableAggregate\n    (TableMapRows (TableRange 3 2) (NA Struct{idx:Int32,g:Struct{}}))\n    (ApplyAggOp Min () ((I32 1073741824))))\n  (NA Void)\n  (NA Void)\n  (StreamAgg __\n    (ToStream False\n      (Literal Array[Int64] \"[6587991863007690077,2147483648,-7877912523174934914,null]\"))\n    (ArrayRef 1 (Literal Array[Void] \"[]\") (ApplyAggOp Min () ((I32 7))))))", null);
  });
  test('a scan AggExplode whose closed array is known to raise raises on any row, though its body reads no element', async () => {
    const array = '(StreamScan value False (StreamDrop (ToStream False (Literal Array[Int32] "[1,2]")) (I32 -5)) (NA Array[Boolean]) (NA Array[Boolean]))';
    await expectError(`(TableMapRows (TableRange 2 1) (InsertFields (Ref row) None (elt (AggExplode row True ${array} (ApplyScanOp Count () ())))))`, 'InvalidArgument');
    // An AggArrayPerElement of arrays missing by their form computes nothing per row: the
    // array is not needed (semantics.md §1).
    await expectValue(
      `(TableExplode ("elt") (TableMapRows (TableRange 2 1) (InsertFields (Ref row) None (elt (AggExplode row True ${array} (AggArrayPerElement e i True True (NA Array[String]) (NA Int32) (I32 2)))))))`,
      { rows: [[0, null], [0, null], [1, null], [1, null]], global: [] },
    );
  });
  test('an uncorrelated subquery in a CASE branch no row takes is guarded too (DuckDB runs it up front)', async () => {
    await expectValue("(TableMapRows\n  (TableRange 3 4)\n  (InsertFields\n    (Ref row)\n    None\n    (`日本語`\n      (Switch\n        (ApplyComparisonOp Compare (F32 -0.0) (ApplyScanOp Min () ((F32 nan))))\n        (NA Tuple[String])\n        (StreamAgg i\n          (StreamScan key `a b`\n            (ToStream False (Literal Array[Boolean] \"[true,true,true]\"))\n            (NA Float32)\n            (AggExplode x True (NA Stream[String]) (Ref key)))\n          (ApplyAggOp PrevNonnull () ((Die Tuple[String] 0 (NA String)))))\n        (NA Tuple[String])\n        (NA Tuple[String])))\n    (idx (NA Int32))\n    (acc (NA Set[Int32]))))", { rows: [[null, null, null], [null, null, null], [null, null, null]], global: [] });
    await expectValue("(If\n  (ApplyComparisonOp NEQ\n    (TableAggregate\n      (TableLeftJoinRightDistinct x\n        (TableRange 1 None)\n        (TableKeyBy (key) False\n          (TableParallelize None\n            (Literal Struct{rows:Array[Struct{key:Int32}],global:Struct{`(`:String}} \"{\\\"rows\\\":[null],\\\"global\\\":{\\\"(\\\":\\\"\\\\\\\\n\\\"}}\"))))\n      (ApplyAggOp PrevNonnull ()\n        ((Literal Tuple[Int32,Struct{row:Int64},Boolean] \"[-2147483648,{\\\"row\\\":42},true]\"))))\n    (Literal Tuple[Int32,Struct{row:Int64},Boolean] \"[65536,null,true]\"))\n  (NA Int32)\n  (GetField `'; DROP TABLE t; --`\n    (StreamAgg f\n      (StreamMap idx\n        (ToStream False\n          (Literal Array[Set[String]] \"[[\\\"\\\",\\\"\\\\r\\\\n\\\",null],[\\\"\\\\\\\\\\\",\\\"ñ\\\",\\\"‮\\\"]]\"))\n        (NA Int32))\n      (Die Struct{row:Boolean,i:Boolean,`'; DROP TABLE t; --`:Int32} 0\n        (ApplyAggOp PrevNonnull () ((Str \"\\\"%\\\"_\")))))))", null);
  });
  test('a fold over a StreamRange of constants has elements by its form: its zero is needed only as its body reads the accumulator', async () => {
    await expectValue("(StreamFold b global\n  (StreamRange 1 False (I32 -2) (I32 10) (I32 1))\n  (StreamFold b NA\n    (StreamScan acc `ÅÆØ`\n      (StreamTake (StreamRange -1 True (I32 3) (I32 4) (I32 -1)) (I32 -100))\n      (NA String)\n      (NA String))\n    (GetTupleElement 1 (Literal TupleSubset[0:Float32,1:String,3:Int32] \"[1e-45,\\\"\\\\t\\\",null]\"))\n    (Ref b))\n  (TableAggregate (TableRange 0 3) (ApplyAggOp Max () ((Ref b)))))", null);
  });
  test('the subqueries the lambda pass makes in a CASE branch are guarded too (the guards run after it)', async () => {
    await expectAgree("(TableMapRows\n  (TableKeyBy (`ß`) False\n    (TableMapGlobals\n      (TableAggregateByKey\n        (TableMapGlobals (TableRange 2 None) (NA Struct{z:Tuple[Float64]}))\n        (NA Struct{value:Tuple[],`ß`:Int32,a:Float64}))\n      (NA Struct{g:Int32,b:Boolean})))\n  (InsertFields\n    (Ref row)\n    None\n    (`\"`\n      (ToDict\n        (If\n          (ApplyScanOp PrevNonnull () ((False)))\n          (StreamZip 0 AssertSameLength (Let)\n            (StreamTake\n              (ToStream False (Literal Array[String] \"[\\\"a\\\",\\\"b🎉'\\\",\\\"​\\\"]\"))\n              (I32 -885835815))\n            (ApplyScanOp PrevNonnull () ((Literal Tuple[Float32,Int64] \"[\\\"Infinity\\\",null]\"))))\n          (NA Stream[Tuple[Float32,Int64]]))))\n    (neginf (NA Float64))\n    (g (NA Tuple[]))))");
  });
  test('a scan AggGroupBy whose key is known to raise raises on any row, inside a loop body over no element too', async () => {
    await expectError("(TableMapRows\n  (TableRange 3 None)\n  (InsertFields\n    (Ref row)\n    None\n    (idx_1 (NA Float32))\n    (acc\n      (StreamFold g a\n        (StreamMap f\n          (StreamFilter row (ToStream False (Literal Array[Tuple[]] \"[[],[],[]]\")) (If (IsNA (Ref row)) (True) (NA Boolean)))\n          (NA Float32))\n        (NA Dict[Float64,Float32])\n        (AggGroupBy True (Die Float64 17 (NA String)) (NA Float32))))\n    (__rl1 (NA Boolean))))", 'Die');
  });
  test('an aggregation AggExplode whose closed array is known to raise raises when there is a row, wherever it stands', async () => {
    await expectError("(TableAggregate (TableFilter (TableRange 3 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 3))) (StreamFold acc x (StreamFilter y (ToStream False (Literal Array[Int32] \"[1]\")) (ApplyComparisonOp EQ (Ref y) (I32 5))) (I64 0) (AggExplode e False (StreamDrop (ToStream False (Literal Array[Int32] \"[1]\")) (I32 -1)) (ApplyAggOp Count () ()))))", 'InvalidArgument');
    await expectValue("(TableAggregate (TableFilter (TableRange 3 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 0))) (StreamFold acc x (StreamFilter y (ToStream False (Literal Array[Int32] \"[1]\")) (ApplyComparisonOp EQ (Ref y) (I32 5))) (I64 0) (AggExplode e False (StreamDrop (ToStream False (Literal Array[Int32] \"[1]\")) (I32 -1)) (ApplyAggOp Count () ()))))", 0n);
  });
  test('the aggregators inside an AggArrayPerElement of arrays missing by their form read no row, a length given or not', async () => {
    const die = '(Die Boolean -1 (Str "pred"))';
    await expectValue(`(ArrayLen (TableAggregate (TableFilter (TableRange 5 None) ${die}) (AggArrayPerElement e i False True (NA Array[Array[Float32]]) (ApplyAggOp Count () ()) (I32 0))))`, 0);
    await expectError(`(ArrayLen (TableAggregate (TableFilter (TableRange 5 None) ${die}) (AggArrayPerElement e i False True (MakeArray Array[Int32] (I32 1)) (ApplyAggOp Count () ()) (I32 1))))`, 'Die', 'pred');
  });
  test('an AggExplode array known to raise is not evaluated when no aggregator needs it', async () => {
    await expectValue("(TableAggregate (TableRange 3 None) (AggExplode e False (ToStream False (ArrayRef -1 (Literal Array[Array[Int32]] \"[]\") (I32 1))) (TableCount (TableRange 2 None))))", 2n);
  });
  test('a StreamAgg over a stream empty by its form evaluates no per-row part (so a fold zero read only there is not needed)', async () => {
    await expectValue("(StreamFold f g\n  (If\n    (StreamFold x a\n      (ToStream True (Literal Array[Array[Float32]] \"[[3.1415927],[1e-45,\\\"Infinity\\\"]]\"))\n      (ArrayRef 1 (ArraySort z row (ToStream False (Literal Array[Boolean] \"[]\")) (Ref z)) (I32 0))\n      (StreamAgg `Ω`\n        (ToStream False (Literal Array[Array[String]] \"[]\"))\n        (ApplyAggOp Min () ((Ref x)))))\n    (NA Stream[Int64])\n    (ToStream False\n      (Literal Array[Int64] \"[-4794941730556601589,9223372036854775807,42,-9007199254740993]\")))\n  (NA Dict[Float32,Array[Int32]])\n  (StreamAgg `SELECT * FROM t`\n    (ToStream False (Literal Array[String] \"[\\\"\\\\\\\"'b\\\",\\\"\\\",\\\"%\\\"]\"))\n    (Ref f)))", null);
  });
  test('a closed fold over a stream empty by its form is its zero, though its body would raise: missing, it makes a comparison missing by its form', async () => {
    await expectValue("(If\n  (ApplyComparisonOp LTEQ\n    (StreamFold x scan\n      (ToStream False (Literal Array[Float64] \"[]\"))\n      (NA String)\n      (ArrayRef 1 (Literal Array[String] \"[]\") (I32 2080550312)))\n    (GetField value (Die Struct{value:String,elt:Tuple[Boolean,Int32]} -1 (NA String))))\n  (NA Array[Float32])\n  (MakeArray Array[Float32] (NA Float32) (NA Float32) (NA Float32)))", null);
  });
  test('an AggExplode array known to raise on rows an AggFilter drops raises nothing', async () => {
    await expectValue("(TableAggregateByKey\n  (TableAggregateByKey\n    (TableMapRows\n      (TableExplode (\"y\")\n        (TableMapRows\n          (TableRange 1 1)\n          (InsertFields\n            (Ref row)\n            None\n            (y\n              (CollectDistributedArray cda34 x `$1`\n                (ToStream False (Literal Array[String] \"[\\\"Z\\\",\\\"\\\"]\"))\n                (NA String)\n                (NA Float32)\n                (NA String))))))\n      (NA Struct{idx:Int32,y:Float32,x:Float64,`?`:Float32}))\n    (NA Struct{`a\\\\\\`b`:TupleSubset[1:Int64],`\\\\`:Float64}))\n  (AggFilter False\n    (NA Boolean)\n    (AggExplode z False\n      (StreamTake (ToStream False (Literal Array[Float32] \"[0.1,\\\"Infinity\\\"]\")) (I32 -65537))\n      (ApplyAggOp PrevNonnull ()\n        ((Literal Struct{key:Boolean,`a\\\\\\`b`:Boolean} \"{\\\"key\\\":true,\\\"a\\\\\\\\`b\\\":true}\"))))))", { rows: [[null, null, null]], global: [] });
  });
  test('a recursive fold in a CASE branch no row takes is guarded (its first rows too)', async () => {
    await expectValue("(TableAggregate\n  (TableExplode (\"group\")\n    (TableMapRows\n      (TableJoin left 1\n        (TableRange 5 2)\n        (TableKeyBy (idx) False\n          (TableParallelize None\n            (NA Struct{rows:Array[Struct{z:Float32,idx:Int32,row:Boolean}],global:Struct{a:Int64}}))))\n      (NA Struct{idx:Int32,z:Float32,row:Boolean,group:Array[String]})))\n  (StreamFold inf null\n    (ToStream False\n      (AggArrayPerElement `,` scan False False\n        (Literal Array[Tuple[Float32,Float64,String]] \"[[-3.4028235e+38,0,\\\"_\\\"],[null,null,\\\"NULL\\\"]]\")\n        (NA Tuple[String])))\n    (ArrayRef 0\n      (ApplyAggOp Take ((I32 2)) ((NA Int32)))\n      (ArrayLen\n        (ToArray\n          (ToStream False\n            (Literal Array[Array[Float64]] \"[[-1.7976931348623157e+308,1.7976931348623157e+308],[]]\")))))\n    (TableAggregate (TableRange 1 None) (ApplyAggOp Min () ((Literal Int32 \"-702266399\"))))))", null);
  });
  test('a closed fold over a take of an empty stream is its zero: missing, it makes a comparison missing by its form', async () => {
    await expectValue("(ApplyComparisonOp GT\n  (Apply 0 mod () Float32\n    (ApplyBinaryPrimOp Subtract (F32 0.5) (F32 0.5))\n    (StreamFold f `a.b`\n      (StreamTake (ToStream False (Literal Array[Struct{}] \"[]\")) (I32 829158961))\n      (NA Float32)\n      (ArrayRef 17 (Literal Array[Float32] \"[1.1920929e-7]\") (I32 1))))\n  (ArrayRef 17 (Literal Array[Float32] \"[2.5]\") (I32 -313202974)))", null);
  });
  test('an AggExplode array known to raise inside a scan explode over no element is never evaluated', async () => {
    await expectAgree("(TableMapRows\n  (TableParallelize 4\n    (SelectFields (rows global)\n      (SelectFields (global y rows)\n        (Literal Struct{global:Struct{f:Set[Float32],y:Boolean},y:String,rows:Array[Struct{`a\\\\\\`b`:Dict[Float64,String],NA:Tuple[Int64,String,Int32]}],acc:Float64} \"{\\\"global\\\":{\\\"f\\\":[-1,0],\\\"y\\\":true},\\\"y\\\":null,\\\"rows\\\":[{\\\"a\\\\\\\\`b\\\":[{\\\"key\\\":-4.759209968615323e-9,\\\"value\\\":\\\"\\\\u0000\\\"},{\\\"key\\\":0.5,\\\"value\\\":\\\" ;_\\\\n\\\"},{\\\"key\\\":3.141592653589793,\\\"value\\\":\\\"‮\\\"}],\\\"NA\\\":null},{\\\"a\\\\\\\\`b\\\":[{\\\"key\\\":-1e-300,\\\"value\\\":\\\"b🎉bb\\\"}],\\\"NA\\\":[4294967296,\\\"\\\\\\\"\\\",1073741824]}],\\\"acc\\\":null}\"))))\n  (InsertFields\n    (Ref row)\n    None\n    (idx (NA Array[Boolean]))\n    (i\n      (AggExplode b True\n        (NA Stream[String])\n        (AggExplode key True\n          (StreamMap acc\n            (StreamZip 17 AssertSameLength (g idx value)\n              (ToStream False (Literal Array[Boolean] \"[true,true]\"))\n              (ToStream False\n                (Literal Array[Float64] \"[0.3333333333333333,-1.7976931348623157e+308]\"))\n              (ToStream False\n                (Literal Array[String] \"[\\\"\\\\r\\\\n\\\",\\\"🎉\\\\\\\\\\\\\\\";;'\\\",\\\";\\\",\\\"日é0Z\\\\\\\\\\\\n\\\"]\"))\n              (NA Set[Boolean]))\n            (NA Boolean))\n          (ApplyScanOp Sum () ((NA Int64))))))\n    (`a\\\\\\`b` (NA Float32))))");
  });
  test('a conditional whose condition is known to raise is that error where it stands (a row field over no rows)', async () => {
    await expectAgree("(TableJoin left 2\n  (TableKeyBy (g row) False\n    (TableMapRows\n      (TableParallelize None\n        (TableGetGlobals\n          (TableParallelize 1\n            (Literal Struct{rows:Array[Struct{`Ω`:Int64}],global:Struct{rows:Array[Struct{row:Boolean}],global:Struct{`0`:Boolean}}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"rows\\\":[],\\\"global\\\":null}}\"))))\n      (InsertFields\n        (Ref row)\n        (\"=\" \"row\" \"table\" \"g\")\n        (`=`\n          (Switch\n            (Die Int32 -1 (NA String))\n            (StreamAgg value\n              (StreamMap b\n                (ToStream False\n                  (Literal Array[Float64] \"[-18.37210061494261,null,-1.7976931348623157e+308]\"))\n                (NA Array[String]))\n              (ApplyAggOp Max () ((I32 744903264))))\n            (NA Int32)))\n        (g (NA Boolean))\n        (table (NA Float64)))))\n  (TableRename (\"ß\") (\"NA\") () ()\n    (TableKeyBy (`ß` row) False\n      (TableParallelize None\n        (Literal Struct{rows:Array[Struct{`ß`:Boolean,row:Boolean}],global:Struct{}} \"{\\\"rows\\\":[null,{\\\"ß\\\":true,\\\"row\\\":false}],\\\"global\\\":{}}\")))))");
  });
  test('a scan AggLet read under an AggFilter false by its form is still bound', async () => {
    await expectValue("(TableMapRows (TableRange 3 None)\n  (InsertFields (Ref row) None\n    (m (AggLet y True (Cast Float64 (GetField idx (Ref row))) (AggFilter True (NA Boolean) (ApplyScanOp Min () ((Ref y))))))))", { rows: [[0, null], [1, null], [2, null]], global: [] });
  });
  test('an aggregation whose every aggregator is under an AggFilter false by its form reads no row', async () => {
    // DuckDB folds FILTER (WHERE FALSE) and never reads the table (here a TableParallelize that would raise).
    await expectValue("(TableAggregate\n  (TableParallelize None\n    (NA Struct{rows:Array[Struct{row:Struct{`日本語`:String,elt:Int32,a:Int32},z:Array[Float64],from:Boolean}],global:Struct{`?`:Float64,value:Boolean}}))\n  (AggFilter False (NA Boolean) (AggGroupBy False (NA Float64) (NA Float32))))", []);
    await expectValue("(TableAggregate\n  (TableParallelize None\n    (NA Struct{rows:Array[Struct{row:Struct{`日本語`:String,elt:Int32,a:Int32},z:Array[Float64],from:Boolean}],global:Struct{`?`:Float64,value:Boolean}}))\n  (AggFilter False (GetField f (Literal Struct{f:Boolean} \"{\\\"f\\\":false}\")) (AggGroupBy False (NA Float64) (NA Float32))))", []);
  });
  test('a Switch holding an aggregator whose index is known to raise is that error where it stands (a branch not taken)', async () => {
    await expectValue("(TableAggregateByKey\n  (TableRange 2 None)\n  (If\n    (If\n      (ApplyAggOp Min () ((False)))\n      (NA Boolean)\n      (ApplyComparisonOp LTEQ (F64 1e+300) (Literal Float64 \"0.5\")))\n    (Switch\n      (ApplyBinaryPrimOp Multiply (I32 -1488391111) (I32 921946912))\n      (NA Struct{acc:String,key:Int64,a:Tuple[Int64]})\n      (TableGetGlobals\n        (TableParallelize 4\n          (Literal Struct{rows:Array[Struct{b:Int64}],global:Struct{acc:String,key:Int64,a:Tuple[Int64]}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"acc\\\":\\\"🎉\\\",\\\"key\\\":2,\\\"a\\\":[2147483648]}}\")))\n      (NA Struct{acc:String,key:Int64,a:Tuple[Int64]})\n      (ApplyAggOp PrevNonnull ()\n        ((Literal Struct{acc:String,key:Int64,a:Tuple[Int64]} \"{\\\"acc\\\":\\\"b日\\\",\\\"key\\\":-1936317559318123035,\\\"a\\\":[9007199254740992]}\"))))\n    (NA Struct{acc:String,key:Int64,a:Tuple[Int64]})))", { rows: [[0, null, null, null], [1, null, null, null]], global: [] });
  });
  test('exploding a nested field missing by its form (inserted into the row) gives no row: nothing per row is needed', async () => {
    await expectAgree("(TableKeyByAndAggregate 1 1\n  (TableMapRows\n    (TableExplode (\"global\" \"f\")\n      (TableMapRows\n        (TableRange 10 3)\n        (InsertFields\n          (Ref row)\n          None\n          (global (MakeStruct (f (NA Array[TupleSubset[0:Boolean,2:Float32,3:Boolean]])))))))\n    (NA Struct{idx:Int32,global:Struct{f:TupleSubset[0:Boolean,2:Float32,3:Boolean]},z:Float64,x:Int64}))\n  (Ref global)\n  (StreamAgg `?`\n    (ToStream False (ToArray (ToStream False (Literal Array[Float32] \"[1.1754944e-38]\"))))\n    (StreamFold acc x\n      (StreamZip 0 AssertSameLength (`` f)\n        (StreamMap table\n          (ToStream False (Literal Array[Struct{}] \"[{},{},{},{}]\"))\n          (NA Tuple[String,Int32,Int32]))\n        (StreamScan key key\n          (ToStream False (Literal Array[Int64] \"[-8723326417176948719,-1]\"))\n          (NA Set[Int64])\n          (NA Set[Int64]))\n        (NA Tuple[Int32,Boolean]))\n      (NA Struct{x:Struct{acc:Boolean,acc_1:Int64}})\n      (ApplyAggOp PrevNonnull ()\n        ((Literal Struct{x:Struct{acc:Boolean,acc_1:Int64}} \"{\\\"x\\\":{\\\"acc\\\":true,\\\"acc_1\\\":6872495065310476643}}\"))))))");
  });
  test('a fold over a stream made an array and a stream again, empty by its form, needs no body (nor the hoisted query in it)', async () => {
    await expectValue("(StreamFold value nan\n  (ToStream False (ToArray (ToStream False (Literal Array[Dict[Boolean,Int64]] \"[]\"))))\n  (NA Int64)\n  (If\n    (ApplyComparisonOp EQ\n      (ArrayRef 17 (Literal Array[Int64] \"[]\") (I32 1))\n      (TableAggregate\n        (TableRange 3 None)\n        (ApplyBinaryPrimOp RoundToNegInfDivide (I64 2) (Literal Int64 \"0\"))))\n    (Ref value)\n    (NA Int64)))", null);
  });
  test('an AggArrayPerElement over arrays missing by their form skips every row: it reads none', async () => {
    await expectValue("(TableAggregate\n  (TableParallelize None (NA Struct{rows:Array[Struct{}],global:Struct{}}))\n  (AggArrayPerElement `?` a False True (NA Array[Int64]) (NA Set[Dict[String,Int64]]) (I32 0)))", []);
  });
  test('a closed subquery in a loop body runs per element: over no elements, never (unless hoisted)', async () => {
    // A closed table query is hoisted (semantics.md §7): it runs up front even in a loop over
    // no elements, with a float inside its value too (DuckDB reads it with the signs beside).
    await expectError("(ArraySort row x\n  (StreamZip 17 AssertSameLength (`\\`` key)\n    (StreamFilter x\n      (StreamZip -1 TakeMinLength (x i)\n        (ToStream False\n          (Literal Array[Float64] \"[-9.313565678894519e-7,1152575.4001922905,1e+300,3.141592653589793]\"))\n        (StreamMap `\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67`\n          (ToStream False (Literal Array[Int32] \"[-2094658012,-2147483648,-2036601833]\"))\n          (NA Float32))\n        (NA Boolean))\n      (NA Boolean))\n    (StreamMap null\n      (ToStream True (ArraySort x `0` (ToStream False (Literal Array[Float32] \"[]\")) (NA Boolean)))\n      (NA Array[Boolean]))\n    (TableAggregate\n      (TableJoin inner 1\n        (TableMapRows (TableRange 17 1) (NA Struct{idx:Int32,g:Struct{y:Float64},``:Set[Float32]}))\n        (TableMapGlobals\n          (TableKeyBy (idx global) False\n            (TableParallelize 3\n              (Literal Struct{rows:Array[Struct{`a\\\\\\`b`:Set[String],idx:Int32,global:Float64}],global:Struct{`{}`:Set[Boolean],x:Float32}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"{}\\\":[false,true],\\\"x\\\":3.1415927}}\")))\n          (NA Struct{g:String})))\n      (ArrayRef 0\n        (ApplyAggOp Collect () ((NA Dict[Float64,Boolean])))\n        (GetTupleElement 2 (Literal TupleSubset[0:Boolean,2:Int32] \"[true,2147483647]\")))))\n  (NA Boolean))",'ArrayIndexOutOfBounds');
    // A CollectDistributedArray body over no contexts.
    await expectValue('(CollectDistributedArray cda c g (ToStream False (Literal Array[Int32] "[]")) (I64 4294967296) (StreamAgg x (ToStream False (Literal Array[Int32] "[1,2,3]")) (ApplyAggOp Product () ((Ref g)))) (NA String))', []);
    await expectError('(ToArray (StreamMap x (ToStream False (Literal Array[Int32] "[]")) (TableAggregate (TableRange 2 None) (MakeArray Array[Float64] (ArrayRef -1 (MakeArray Array[Float64]) (I32 3))))))', 'ArrayIndexOutOfBounds');
  });
  test('a fold from a missing zero whose body is the accumulator is missing by its form; a TableCount is present by its form', async () => {
    await expectValue('(ApplyComparisonOp EQ (StreamFold acc x (ToStream False (Literal Array[Int32] "[1,2]")) (NA Int32) (Let eval y (I32 3) (Ref acc))) (Die Int32 -1 (Str "never")))', null);
    await expectValue('(TableCollect (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (a (Coalesce (TableCount (TableRange 2 None)) (ApplyScanOp Sum () ((I64 -8007819964637029242))))))))', [[[0, 2n], [1, 2n]], []]);
    // (Found by the harness.)
    await expectValue("(If\n  (ApplyComparisonOp EQ\n    (StreamFold `a\\tb` scan\n      (ToStream False (Literal Set[Boolean] \"[false,true]\"))\n      (NA Tuple[Boolean,Float32])\n      (Let eval key eval `trailing ` (TableCollect (TableRange 10 None)) (NA Float64) (Ref `a\\tb`)))\n    (Die Tuple[Boolean,Float32] -1 (NA String)))\n  (NA Int32)\n  (ArrayLen\n    (Literal Array[Array[Float32]] \"[null,[null,0.5],[3.1415927,2.5,16777216],[-3.4028235e+38,-1e-45]]\")))", null);
    const row = [null, null, null, null, 2n];
    await expectValue("(TableMapRows\n  (TableMapRows\n    (TableOrderBy (DFalse DStruct)\n      (TableAggregateByKey (TableRange 5 None) (NA Struct{Struct:String,False:String})))\n    (NA Struct{idx:Int32,Struct:String,False:String,from:Struct{key:Boolean,__rl1:Float32,i:Int64},a:String}))\n  (InsertFields\n    (Ref row)\n    (\"idx\" \"Struct\" \"from\" \"False\" \"a\")\n    (a\n      (Coalesce\n        (TableCount (TableRange 2 3))\n        (ApplyScanOp Sum () ((I64 -8007819964637029242)))\n        (AggExplode `a\\nb` True (NA Stream[Set[String]]) (ApplyScanOp Count () ()))))))", { rows: [row, row, row, row, row], global: [] });
  });
  test('a let-bound constant decides a condition at compile time, as DuckDB propagates it', async () => {
    // The If's condition is a let-bound NA: the hoisted query in its branch is not needed.
    await expectValue("(Let eval `\\`` eval i eval `a b`\n  (NA String)\n  (NA Boolean)\n  (NA Array[Array[Float32]])\n  (If\n    (Ref i)\n    (NA Int32)\n    (TableAggregate\n      (TableJoin right 1\n        (TableMapGlobals (TableRange 3 None) (NA Struct{`\u202eabc`:Float32,key:Float32}))\n        (TableKeyBy (idx) False 3\n          (TableMapGlobals\n            (TableMapRows\n              (TableKeyBy () False (TableRange 10 None))\n              (NA Struct{key:Float32,key_1:Set[Float32],idx:Int32,row:Int64}))\n            (NA Struct{`\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67`:Array[Boolean]}))))\n      (Cast Int32 (I64 2147483648)))))", null);
    await expectValue('(Let eval c (I32 1) (If (ApplyComparisonOp EQ (Ref c) (I32 1)) (I32 7) (TableAggregate (TableRange 2 None) (Die Int32 -1 (Str "other branch")))))', 7);
  });
  test('a constant field of a struct written out decides a Switch at compile time', async () => {
    await expectValue("(Switch\n  (GetField acc\n    (MakeStruct\n      (acc (I32 42))\n      (f (TableAggregate (TableRange 0 1) (NA Tuple[])))\n      (a (NA Array[String]))))\n  (NA Float32)\n  (NA Float32)\n  (NA Float32)\n  (StreamFold a f\n    (StreamMap idx\n      (StreamScan `a\\nb` key\n        (ToStream False\n          (Literal Array[Dict[Int32,String]] \"[[{\\\"key\\\":-1622829549,\\\"value\\\":\\\"\u200b\\\"}]]\"))\n        (NA Dict[Float32,Float64])\n        (Ref `a\\nb`))\n      (ApplyBinaryPrimOp Add (I32 2) (I32 2147483647)))\n    (StreamAgg `<>`\n      (ToStream False\n        (Literal Array[Dict[String,Int64]] \"[[{\\\"key\\\":\\\"\\\\n\\\\n \\\",\\\"value\\\":9223372036854775806}],[{\\\"key\\\":null,\\\"value\\\":-9007199254740993}],[{\\\"key\\\":\\\" \\\\\\\\\u00e9;\ud83c\udf890\\\",\\\"value\\\":2},{\\\"key\\\":\\\"b\\\\\\\\\u00e9Z%\\\",\\\"value\\\":-4768024843523447556},{\\\"key\\\":\\\"\u00e9_%\ud83c\udf89\\\",\\\"value\\\":2147483648}]]\"))\n      (ApplyAggOp Max () ((F32 nan))))\n    (NA Float32)))", null);
  });
});

describe('scans, keys and Void', () => {
  test('a scan read by row number (its argument holds a subquery) still evaluates its arguments on the last row', async () => {
    await expectError("(TableCollect (TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (s (ApplyScanOp Sum () ((ArrayRef -1 (StreamAgg x (ToStream False (Literal Array[Int64] \"[5]\")) (ApplyAggOp Collect () ((Ref x)))) (GetField idx (Ref row)))))))))", 'ArrayIndexOutOfBounds');
  });
  test('scan aggregations over other rows (AggGroupBy, AggArrayPerElement, AggExplode) aggregate the rows before', async () => {
    await expectValue("(TableMapRows (TableRange 4 None)\n  (InsertFields (Ref row) None\n    (g (AggGroupBy True (ApplyBinaryPrimOp RoundToNegInfDivide (GetField idx (Ref row)) (I32 2)) (ApplyScanOp Count () ())))\n    (p (AggArrayPerElement e j True False\n         (MakeArray Array[Int32] (GetField idx (Ref row)) (I32 10))\n         (ApplyBinaryPrimOp Add (Cast Int64 (Ref j)) (ApplyScanOp Sum () ((Cast Int64 (Ref e)))))))\n    (x (AggExplode e True (ToStream False (MakeArray Array[Int32] (GetField idx (Ref row)) (GetField idx (Ref row))))\n         (ApplyScanOp Collect () ((Ref e)))))))", {
      rows: [
        [0, [], null, []],
        [1, [[0, 1n]], [0n, 11n], [0, 0]],
        [2, [[0, 2n]], [1n, 21n], [0, 0, 1, 1]],
        [3, [[0, 2n], [1, 1n]], [3n, 31n], [0, 0, 1, 1, 2, 2]],
      ],
      global: [],
    });
  });
  test('... and evaluate their per-row parts on the current row too, the last row included', async () => {
    const scan = (field: string) => `(TableCollect (TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (s ${field}))))`;
    const last = (then: string, other: string) => `(If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 2)) ${then} ${other})`;
    // A group key.
    await expectError(scan(`(AggGroupBy True ${last('(Die Int32 -1 (Str "key"))', '(I32 0)')} (ApplyScanOp Count () ()))`), 'Die', 'key');
    // An exploded array.
    await expectError(scan(`(AggExplode e True (ToStream False ${last('(Die Array[Int32] -1 (Str "array"))', '(MakeArray Array[Int32] (I32 1))')}) (ApplyScanOp Count () ()))`), 'Die', 'array');
    // A per-element array of another length, and an element's argument on the first row.
    await expectError(scan(`(AggArrayPerElement e j True False ${last('(MakeArray Array[Int32] (I32 1) (I32 2))', '(MakeArray Array[Int32] (I32 1))')} (ApplyScanOp Count () ()))`), 'InvalidArgument');
    await expectError(
      scan(`(AggArrayPerElement e j True False (MakeArray Array[Int32] (I32 1)) (ApplyScanOp Sum () ((If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 0)) (Die Int64 -1 (Str "element")) (I64 1)))))`),
      'Die',
      'element',
    );
  });
  test('a scan AggGroupBy runs the per-row work of the current row inside a group no row before has', async () => {
    await expectError('(TableCollect (TableMapRows (TableRange 1 None) (InsertFields (Ref row) None (g (AggGroupBy True (GetField idx (Ref row)) (AggExplode e True (ToStream False (ArrayRef -1 (MakeArray Array[Array[Int32]]) (GetField idx (Ref row)))) (ApplyScanOp Count () ())))))))', 'ArrayIndexOutOfBounds');
  });
  test('an AggExplode computes what it makes of its aggregates only in the branch that reads it (its rows\' work everywhere)', async () => {
    const explode = '(AggExplode e False (ToStream False (MakeArray Array[Int32] (GetField idx (Ref row)))) (ArrayRef -1 (ApplyAggOp Collect () ((Ref e))) (I32 9)))';
    await expectValue(`(TableAggregate (TableRange 3 None) (If (ApplyComparisonOp EQ (ApplyAggOp Count () ()) (I64 7)) ${explode} (NA Int32)))`, null);
    await expectError(`(TableAggregate (TableRange 3 None) (If (ApplyComparisonOp EQ (ApplyAggOp Count () ()) (I64 3)) ${explode} (NA Int32)))`, 'ArrayIndexOutOfBounds');
    // One that cannot raise stays one subquery, which keeps a -0.0's sign.
    await expectValue('(TableAggregate (TableRange 1 None) (ApplyBinaryPrimOp FloatingPointDivide (F64 1.0) (ArrayRef -1 (AggExplode e False (ToStream False (MakeArray Array[Float64] (ApplyUnaryPrimOp Negate (Cast Float64 (GetField idx (Ref row)))))) (ApplyAggOp Collect () ((Ref e)))) (I32 0))))', -Infinity);
  });
  test('an aggregation let binding a constant is computed per row: DuckDB folds an operation on a constant while planning, over no rows too', async () => {
    // Found by the harness: a Cast out of range of a constant bound per row, over a join with no match.
    await expectAgree("(TableAggregateByKey\n  (TableAggregateByKey\n    (TableJoin inner 1\n      (TableKeyBy (``) False\n        (TableMapRows\n          (TableRange 10 3)\n          (Literal Struct{``:String,idx:Int32} \"{\\\"\\\":\\\"\\\\\\\\n\\\",\\\"idx\\\":-2147483647}\")))\n      (TableKeyBy (``) False 1\n        (TableParallelize 3\n          (Literal Struct{rows:Array[Struct{``:String,g:Tuple[String],idx_1:Dict[Float64,Int32]}],global:Struct{`+`:Struct{},elt:Int32}} \"{\\\"rows\\\":[{\\\"\\\":null,\\\"g\\\":[\\\"\\\\\\\"ZZ0\\\"],\\\"idx_1\\\":[{\\\"key\\\":2.220446049250313e-16,\\\"value\\\":-2147483648},{\\\"key\\\":0.1,\\\"value\\\":1},{\\\"key\\\":0.5,\\\"value\\\":-2147483648},{\\\"key\\\":2.5,\\\"value\\\":2147483646}]}],\\\"global\\\":{\\\"+\\\":{},\\\"elt\\\":-2147483648}}\"))))\n    (NA Struct{}))\n  (Let eval `[x]` agg `Ω` eval ``\n    (NA Boolean)\n    (I64 -1755747103696235573)\n    (NA Boolean)\n    (ApplyAggOp PrevNonnull ()\n      ((Switch\n         (Cast Int32 (Ref `Ω`))\n         (NA Struct{acc:String,True:String,row:Float32})\n         (NA Struct{acc:String,True:String,row:Float32})\n         (InsertFields\n           (Literal Struct{acc:Int64,row:Set[Float32]} \"{\\\"acc\\\":-1,\\\"row\\\":[\\\"-Infinity\\\",-756433200,-1,0.5]}\")\n           (\"acc\" \"True\" \"row\")\n           (row (NA Float32))\n           (acc (NA String))\n           (True (NA String))))))))");
  });
  test('an AggGroupBy computes its groups\' values only in the branch that reads it (its rows\' work everywhere)', async () => {
    const groups = (count: number, i: number) => `(TableAggregate (TableRange 4 None) (If (ApplyComparisonOp EQ (ApplyAggOp Count () ()) (I64 ${count})) (AggGroupBy False (ApplyBinaryPrimOp RoundToNegInfDivide (GetField idx (Ref row)) (I32 2)) (ArrayRef -1 (ApplyAggOp Collect () ((GetField idx (Ref row)))) (I32 ${i}))) (NA Dict[Int32,Int32])))`;
    await expectValue(groups(7, 5), null);
    await expectError(groups(4, 5), 'ArrayIndexOutOfBounds');
    await expectValue(groups(4, 1), [[0, 1], [1, 3]]);
    // In a scan: the value computed only on the rows that take the branch.
    const scan = (k: number) => `(TableMapRows (TableRange 4 None) (InsertFields (Ref row) None (d (If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 ${k})) (AggGroupBy True (ApplyBinaryPrimOp RoundToNegInfDivide (GetField idx (Ref row)) (I32 2)) (ArrayRef -1 (ApplyScanOp Collect () ((GetField idx (Ref row)))) (I32 1))) (NA Dict[Int32,Int32])))))`;
    await expectValue(scan(9), { rows: [[0, null], [1, null], [2, null], [3, null]], global: [] });
    await expectError(scan(3), 'ArrayIndexOutOfBounds');
  });
  test('an AggExplode value computed over its aggregates in place, inside a lambda (a fold zero): the aggregates are bound outside it', async () => {
    // Found by the harness: the subquery of the aggregates landed in a lambda (a Binder Error).
    await expectAgree("(TableAggregate\n  (TableMapGlobals (TableRange 3 None) (NA Struct{key:Float64,x:Float32}))\n  (AggExplode table False\n    (NA Stream[String])\n    (Let eval `é`\n      (AggLet key False\n        (StreamAgg elt\n          (ToStream False (Literal Array[Float64] \"[-399875.57544372976,9007199254740994]\"))\n          (I32 -310479832))\n        (ApplyAggOp Min () ((F64 135284.74420309067))))\n      (StreamFold g `\\\\`\n        (ToStream False (Literal Array[String] \"[\\\"Zé ' é\\\"]\"))\n        (ApplyAggOp PrevNonnull ()\n          ((Literal Struct{`(`:Int64,False:Struct{}} \"{\\\"(\\\":2147483648,\\\"False\\\":{}}\")))\n        (Ref g)))))");
  });
  test('a closed struct present by its form does not raise where only a field of it is needed (its other fields unevaluated)', async () => {
    await expectValue('(GetField a (Let eval s (Literal Set[Int32] "[1]") (InsertFields (Literal Struct{} "{}") None (a (CollectDistributedArray c i g (StreamRange 1 False (I32 1) (I32 3) (I32 1)) (Ref s) (Ref i) (NA String))) (b (Die Int32 -1 (Str "b"))))))', [1, 2]);
    await expectError('(GetField b (Let eval s (Literal Set[Int32] "[1]") (InsertFields (Literal Struct{} "{}") None (a (CollectDistributedArray c i g (StreamRange 1 False (I32 1) (I32 3) (I32 1)) (Ref s) (Ref i) (NA String))) (b (Die Int32 -1 (Str "b"))))))', 'Die', 'b');
  });
  test('an AggGroupBy whose key is a subquery constant to DuckDB has no group over no rows (GROUP BY ALL of a constant is one group)', async () => {
    const rows = (n: number) => `(TableFilter (TableRange 3 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 ${n})))`;
    await expectValue(`(TableAggregate ${rows(0)} (AggGroupBy False (TableCount (TableRange 1 None)) (ApplyAggOp Count () ())))`, []);
    await expectValue(`(TableAggregate ${rows(2)} (AggGroupBy False (TableCount (TableRange 1 None)) (ApplyAggOp Count () ())))`, [[1n, 2n]]);
  });
  test('an AggGroupBy key that holds a subquery groups by GROUP BY ALL (the lambda pass rewrites its two copies apart)', async () => {
    // Found by the harness: a Binder Error, the grouped key and the selected key no longer the same text.
    await expectAgree("(StreamAgg `trailing `\n  (StreamRange 1 False (NA Int32) (NA Int32) (NA Int32))\n  (AggGroupBy False\n    (StreamAgg `👩‍👩‍👧`\n      (StreamDrop (ToStream False (Literal Array[Float64] \"[]\")) (Ref `trailing `))\n      (ApplyAggOp PrevNonnull () ((F32 -0.0))))\n    (NA Boolean)))");
  });
  test('an AggArrayPerElement of a given length computes its elements only in the branch that reads it', async () => {
    const per = (k: number) => `(AggArrayPerElement e i False True (MakeArray Array[Int32] (GetField idx (Ref row)) (I32 4)) (ArrayRef -1 (ApplyAggOp Collect () ((Ref e))) (ApplyBinaryPrimOp Add (Ref i) (I32 ${k}))) (I32 2))`;
    const at = (count: number, k: number) => `(TableAggregate (TableRange 3 None) (If (ApplyComparisonOp EQ (ApplyAggOp Count () ()) (I64 ${count})) ${per(k)} (NA Array[Int32])))`;
    await expectValue(at(7, 8), null);
    await expectError(at(3, 8), 'ArrayIndexOutOfBounds');
    await expectValue(at(3, 0), [0, 4]);
    // Found by the harness: a scan's element value (closed, raising) in a branch no row takes.
    await expectAgree("(TableMapRows\n  (TableRange 17 2)\n  (InsertFields\n    (Ref row)\n    None\n    (x\n      (If\n        (ApplyScanOp Max () ((True)))\n        (NA Array[Int64])\n        (AggArrayPerElement `a-b` `ñandú` True True\n          (NA Array[TupleSubset[0:Int32,1:Int64,3:Float64]])\n          (ApplyBinaryPrimOp Multiply (Literal Int64 \"-6373489582704922304\") (I64 -2147483649))\n          (I32 2))))\n    (idx (NA Int32))\n    (key (NA Boolean))))");
  });
  test('a scan read by row number computes what it makes of its aggregates only in the branch that reads it', async () => {
    // Every row's update runs; the out-of-bounds ArrayRef over the scan's result only where taken.
    const scan = '(AggExplode key True (NA Stream[Float64]) (ArrayRef 1 (ApplyScanOp Take ((I32 3)) ((NA Set[Int32]))) (I32 7)))';
    await expectValue(`(TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (g (If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 5)) ${scan} (NA Set[Int32])))))`, { rows: [[0, null], [1, null]], global: [] });
    await expectError(`(TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (g (If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 1)) ${scan} (NA Set[Int32])))))`, 'ArrayIndexOutOfBounds');
  });
  test('a scan read by row number runs each row\'s update even inside a loop body that runs on no element', async () => {
    await expectError("(TableMapRows\n  (TableExplode (\"idx\")\n    (TableMapRows\n      (TableMapRows\n        (TableMapRows\n          (TableKeyByAndAggregate 4 50\n            (TableRange 5 None)\n            (NA Struct{row:Float32,key:Int32,z:Int64})\n            (NA Struct{i:String}))\n          (NA Struct{i:String,row:Float32,key:Int32,z:Int64,null:Int64}))\n        (NA Struct{elt:Boolean,key:Int32,row:Float32,i:String,z:Int64,null:Int64}))\n      (InsertFields\n        (Ref row)\n        None\n        (idx\n          (StreamFold global `\u00c5\u00c6\u00d8`\n            (StreamMap neginf\n              (StreamFilter b\n                (ToStream False (Literal Array[Dict[Boolean,Boolean]] \"[[]]\"))\n                (If (IsNA (Ref b)) (True) (NA Boolean)))\n              (NA Int32))\n            (NA Set[Int64])\n            (AggExplode rows True\n              (StreamDrop (ToStream False (Literal Array[Float64] \"[]\")) (I32 -2147483647))\n              (ApplyScanOp CollectAsSet () ((NA Int64)))))))))\n  (NA Struct{elt:Boolean,key:Int32,row:Float32,i:String,z:Int64,null:Int64,idx:String,acc:Struct{}}))", 'InvalidArgument');
    await expectError("(TableLeftJoinRightDistinct null\n  (TableMapRows\n    (TableMapRows (TableRange 17 None) (NA Struct{idx:Int32,row:String,Let:Boolean}))\n    (InsertFields\n      (Ref row)\n      None\n      (b (NA Float64))\n      (idx\n        (StreamFold row value\n          (StreamFilter `'`\n            (StreamZip 0 TakeMinLength (b)\n              (ToStream False (Literal Array[Float64] \"[-1.7976931348623157e+308,1e+300]\"))\n              (NA Dict[Boolean,Float32]))\n            (If (IsNA (Ref `'`)) (True) (NA Boolean)))\n          (NA Int32)\n          (ApplyScanOp PrevNonnull () ((Cast Int32 (I64 -9223372036854775807))))))\n      (f (AggExplode `a\\`b` True (NA Stream[Float32]) (ApplyScanOp Min () ((Str \"\\t\")))))))\n  (TableKeyBy (key) False 1\n    (TableMapGlobals\n      (TableMapRows\n        (TableKeyBy () False\n          (TableLeftJoinRightDistinct b\n            (TableMapRows (TableRange 1 1) (NA Struct{z:Dict[String,Float64],idx:Int32}))\n            (TableKeyBy (x) False\n              (TableParallelize None\n                (Literal Struct{rows:Array[Struct{elt:Set[Float64],row:Int64,x:Int32}],global:Struct{i:Set[Float64]}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"i\\\":null}}\")))))\n        (NA Struct{key:Int32}))\n      (NA Struct{elt:Boolean}))))", 'IntegerOverflow');
  });
  test('an AggFilter in such a scan keeps its rows out of the aggregation', async () => {
    await expectValue("(TableMapRows (TableRange 3 None)\n  (InsertFields (Ref row) None\n    (e (ApplyScanOp PrevNonnull () ((TableAggregate (TableRange 0 1) (NA Dict[String,Boolean])))))\n    (s (AggFilter True (NA Boolean) (ApplyScanOp PrevNonnull () ((True)))))))", { rows: [[0, null, null], [1, null, null], [2, null, null]], global: [] });
  });
  test('an AggExplode whose aggregation is a constant is that constant: no row is read', async () => {
    await expectValue("(TableAggregate\n  (TableParallelize 3\n    (NA Struct{rows:Array[Struct{inf:Struct{`\\``:Boolean,`;`:Float64,a:Float32},g:String,value:Float32}],global:Struct{idx:Tuple[String],x:Float64}}))\n  (If\n    (AggExplode `\u202eabc` False (NA Stream[Float32]) (True))\n    (NA String)\n    (ApplyAggOp Max () ((NA String)))))", null);
  });
  test('a join with a TableParallelize of no literal rows computes nothing of the other side', async () => {
    await expectValue('(TableCount (TableJoin inner 1 (TableKeyBy (idx) False (TableParallelize None (Literal Struct{rows:Array[Struct{idx:Int32}],global:Struct{}} "{\\"rows\\":[],\\"global\\":{}}"))) (TableFilter (TableRange 3 None) (Die Boolean -1 (Str "pred")))))', 0n);
  });
  test('a node missing by its form is NA before folding, so it can decide a closed condition', async () => {
    await expectValue("(TableOrderBy (Drow Ay)\n  (TableFilter\n    (TableFilter\n      (TableMapRows (TableRange 10 None) (NA Struct{idx:Int32,y:String,x:Float64,row:Int32}))\n      (Die Boolean -1 (NA String)))\n    (ApplyComparisonOp EQWithNA (TableAggregate (TableRange 17 None) (NA String)) (Str \"Z\"))))", { rows: [], global: [] });
  });
  test('a nested AggFilter condition is not evaluated on rows the outer one drops', async () => {
    await expectValue("(TableMapRows (TableRange 4 None) (InsertFields (Ref row) None (m (AggFilter True (NA Boolean) (AggFilter True (Die Boolean -1 (NA String)) (ApplyScanOp Max () ((GetField idx (Ref row)))))))))", { rows: [[0, null], [1, null], [2, null], [3, null]], global: [] });
  });
  test('Min, Max and PrevNonnull of a value missing by its form are missing: no row is read', async () => {
    await expectValue("(TableFilter\n  (TableFilter\n    (TableMapGlobals\n      (TableAggregateByKey (TableRange 1 None) (NA Struct{y:Boolean,``:Int32}))\n      (NA Struct{key:Int32}))\n    (ArrayRef 1 (Literal Array[Boolean] \"[]\") (I32 -65537)))\n  (ApplyComparisonOp EQWithNA\n    (TableAggregate (TableRange 17 None) (ApplyAggOp PrevNonnull () ((NA String))))\n    (Str \"' \ud83c\udf89\\n \")))", { rows: [], global: [null] });
  });
  test('TableHead computes every row of its child (SQL computes the table under a LIMIT in batches)', async () => {
    await expectError("(TableHead 1 (TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (z (ArrayRef -1 (MakeArray Array[Int32] (I32 1) (I32 2)) (GetField idx (Ref row)))))))", 'ArrayIndexOutOfBounds');
  });
  test('a StreamFold over a missing stream evaluates no zero', async () => {
    await expectValue("(StreamFold z row\n  (ToStream True\n    (TableAggregate\n      (TableFilter (TableRange 2 2) (NA Boolean))\n      (ApplyAggOp PrevNonnull () ((Literal Set[Int32] \"[-893652351,0]\")))))\n  (StreamFold acc idx\n    (ToStream False\n      (Literal Array[Dict[Int64,String]] \"[[{\\\"key\\\":9007199254740992,\\\"value\\\":\\\"\\\\\\\\u0041\\\"}],null,[{\\\"key\\\":-6105285026271635095,\\\"value\\\":\\\"\u00e9;\u65e5\\\\\\\\\\\"},{\\\"key\\\":9007199254740993,\\\"value\\\":\\\"\u200b\\\"},{\\\"key\\\":4011668683595104878,\\\"value\\\":\\\"bab\\\\\\\\\\\"}]]\"))\n    (NA Int64)\n    (If (Die Boolean 17 (NA String)) (Ref acc) (NA Int64)))\n  (NA Int64))", null);
  });
  test("a scan's arguments are evaluated on every row, also when it sits in a branch the row does not take", async () => {
    await expectError("(TableMapRows\n  (TableRange 10 None)\n  (InsertFields\n    (Ref row)\n    None\n    (y\n      (If (ApplyScanOp Min () ((True))) (NA Int64) (ApplyScanOp Max () ((Cast Int64 (F64 1e+300))))))\n    (i (NA Struct{}))\n    (x\n      (AggExplode Struct True\n        (NA Stream[String])\n        (ApplyScanOp Max () ((GetField a (MakeStruct (a (F64 -3.793959738686681e-10))))))))))", 'CastOutOfRange');
  });
  test('a TableKeyByAndAggregate key with no fields is not evaluated (a missing key is one of missing fields)', async () => {
    await expectValue("(TableCount (TableKeyByAndAggregate None 1 (TableRange 5 None) (MakeStruct (n (ApplyAggOp Count () ()))) (Die Struct{} -1 (Str \"key\"))))", 1n);
  });
  test('Void is missing by its form: an If whose branches are NA and Void is missing, its condition unevaluated', async () => {
    await expectValue("(Coalesce\n  (If (ArrayRef 17 (Literal Array[Boolean] \"[]\") (I32 2)) (NA Void) (Void))\n  (GetField i\n    (Coalesce\n      (Literal Struct{i:Void,`%s`:Tuple[Float64],neginf:Int32} \"{\\\"i\\\":null,\\\"%s\\\":null,\\\"neginf\\\":-2147483647}\"))))", null);
  });
});

describe('aggregations nested in AggGroupBy', () => {
  test('AggGroupBy, AggExplode and AggArrayPerElement inside AggGroupBy see the rows of their group', async () => {
    const ir = `(TableAggregate (TableRange 6 None)
  (AggGroupBy False (ApplyBinaryPrimOp BitAnd (GetField idx (Ref row)) (I32 1))
    (MakeStruct
      (inner (AggGroupBy False (ApplyBinaryPrimOp RoundToNegInfDivide (GetField idx (Ref row)) (I32 3)) (ApplyAggOp Count () ())))
      (ex (AggExplode e False (ToStream False (MakeArray Array[Int32] (GetField idx (Ref row)) (I32 1))) (ApplyAggOp Sum () ((Cast Int64 (Ref e))))))
      (pe (AggArrayPerElement e i False False (MakeArray Array[Int32] (GetField idx (Ref row))) (ApplyAggOp Collect () ((Ref e))))))))`;
    await expectValue(ir, [
      [0, [[[0, 2n], [1, 1n]], 9n, [[0, 2, 4]]]],
      [1, [[[0, 1n], [1, 2n]], 12n, [[1, 3, 5]]]],
    ]);
  });
});

describe('SQL shapes DuckDB 1.5.5 fails to bind are not emitted (programs the harness found)', () => {
  test('an AggExplode\'s aggregates read in a lambda inside a subquery (a zip in a StreamAgg\'s shared stream) are bound outside it', async () => {
    const zip = '(StreamZip 1 AssertSameLength (row k) (ToStream False (Literal Array[Array[Boolean]] "[[false,true],null]")) (StreamMap m (ToStream False (Literal Array[Int32] "[1,2,3]")) (NA Int64)) (ApplyAggOp PrevNonnull () ((False))))';
    const agg = `(AggExplode e False (NA Stream[Float32]) (StreamAgg s ${zip} (ApplyAggOp PrevNonnull () ((Literal Struct{v:Int32} "{\\"v\\":-1}")))))`;
    await expectError(`(TableKeyByAndAggregate None 50 (TableMapRows (TableKeyBy () True 3 (TableRange 1 None)) (NA Struct{})) ${agg} (NA Struct{agg:Int64}))`, 'InvalidArgument');
  });
  test('a recursive CTE in a correlated subquery whose step holds an uncorrelated subquery', async () => {
    await expectValue("(StreamFold f y\n  (ToStream False\n    (Literal Array[Dict[Int32,Int32]] \"[[{\\\"key\\\":-2147483647,\\\"value\\\":42},{\\\"key\\\":1073741824,\\\"value\\\":1688635933}],[{\\\"key\\\":1073741824,\\\"value\\\":2147483647}],null]\"))\n  (NA Tuple[])\n  (StreamAgg ``\n    (StreamTake\n      (ToStream False (Literal Array[Tuple[Int32,Float32]] \"[[7,\\\"Infinity\\\"]]\"))\n      (I32 2147483646))\n    (ApplyAggOp PrevNonnull ()\n      ((GetField `(` (Literal Struct{table:Int32,`(`:Tuple[]} \"{\\\"table\\\":null,\\\"(\\\":[]}\"))))))", []);
  });
  test('the same, with a lateral unnest in the step', async () => {
    await expectError("(TableParallelize None\n  (StreamFold `trailing ` x\n    (StreamZip -1 AssertSameLength (g inf `\u03a9`)\n      (NA Stream[Int64])\n      (NA Stream[Set[Float32]])\n      (NA Stream[Float32])\n      (NA Boolean))\n    (NA Struct{rows:Array[Struct{null:Float32,y:Float64,y_1:String}],global:Struct{}})\n    (TableCollect\n      (TableRename (\"order\") (\"y\") () ()\n        (TableKeyBy (order null) False\n          (TableParallelize 2\n            (NA Struct{rows:Array[Struct{null:Float32,order:Float64,y_1:String}],global:Struct{}})))))))", 'InvalidArgument');
  });
  test('the same, with a LEFT JOIN in the step', async () => {
    await expectError("(StreamFold y scan\n  (StreamMap key (ToStream False (Literal Array[Int32] \"[42,-450444073]\")) (NA Boolean))\n  (NA Float32)\n  (TableAggregate\n    (TableLeftJoinRightDistinct `\u200b`\n      (TableRange 17 1)\n      (TableKeyBy (g) False 1\n        (TableParallelize 3\n          (NA Struct{rows:Array[Struct{g:Int32,key:Array[String]}],global:Struct{acc:String}}))))\n    (ApplyAggOp PrevNonnull () ((Ref y)))))", 'InvalidArgument');
  });
  test('the same, with an unnest of a constant list in the step', async () => {
    await expectValue("(StreamAgg f\n  (ToStream False\n    (Literal Array[Dict[Boolean,Float64]] \"[[{\\\"key\\\":false,\\\"value\\\":0.1},{\\\"key\\\":true,\\\"value\\\":-564.9472493678331}],[{\\\"key\\\":true,\\\"value\\\":\\\"Infinity\\\"}],[{\\\"key\\\":false,\\\"value\\\":0.0004247300373390317},{\\\"key\\\":true,\\\"value\\\":1.5486149140633643e-10}]]\"))\n  (StreamFold y row\n    (ToStream False (Literal Array[String] \"[\\\"b;\\\\\\\" ;\\\",\\\"; b\\\",\\\"e\u0301\\\",\\\"\\\\u0000\\\"]\"))\n    (NA Boolean)\n    (AggExplode `\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67` False\n      (StreamMap inf\n        (ToStream False (Literal Array[Int32] \"[-2147483647,0,1,-65537]\"))\n        (NA Float64))\n      (ApplyAggOp PrevNonnull () ((False))))))", false);
    await expectValue("(StreamFold acc `\u65e5\u672c\u8a9e`\n  (StreamScan `SELECT * FROM t` key\n    (StreamScan value f\n      (StreamMap `\u65e5\u672c\u8a9e`\n        (StreamScan f i\n          (ToStream False\n            (Literal Array[Set[Float32]] \"[[-0.0,374396160,\\\"NaN\\\"],[],[2.220446e-16,null]]\"))\n          (NA Float32)\n          (Ref f))\n        (NA Array[Float64]))\n      (NA String)\n      (NA String))\n    (NA Int64)\n    (NA Int64))\n  (NA String)\n  (GetTupleElement 0\n    (StreamAgg x\n      (StreamMap `\u65e5\u672c\u8a9e`\n        (ToStream False (Literal Array[Int32] \"[2147483647,-65537,-100,-2034435351]\"))\n        (NA String))\n      (AggExplode global False\n        (StreamMap b\n          (ToStream False (Literal Array[Tuple[Int64]] \"[[9223372036854775806],null,[1]]\"))\n          (NA Float32))\n        (ApplyAggOp PrevNonnull () ((Literal Tuple[String] \"[\\\"NULL\\\"]\")))))))", 'NULL');
  });
  test('a per-element aggregation in a scan, with no aggregate in it', async () => {
    await expectValue("(TableMapRows\n  (TableRange 2 None)\n  (MakeStruct\n    (idx (GetField idx (Ref row)))\n    (nan\n      (AggArrayPerElement I32 b True True\n          (NA Array[Float64])\n          (NA Dict[Boolean,Boolean])\n          (NA Int32)))))", { rows: [[0, null], [1, null]], global: [] });
  });
  test('a lambda whose list reads an outer column and whose body reads a local one', async () => {
    await expectValue("(TableAggregate\n  (TableOrderBy () (TableRange 5 None))\n  (ApplyBinaryPrimOp RoundToNegInfDivide\n    (TableAggregate (TableRange 10 None) (NA Float32))\n    (Switch\n      (AggFilter False (NA Boolean) (NA Int32))\n      (NA Float32)\n      (ApplyAggOp PrevNonnull () ((NA Float32)))\n      (TableAggregate (TableRange 2 None) (NA Float32))\n      (NA Float32))))", null);
  });
  test('a correlated TableHead/TableTail of 1,000,000 rows or more (DuckDB rewrites ORDER BY + LIMIT to arg_min, which caps n)', async () => {
    const per = (head: string) => `(ToArray (StreamMap x ${range(0, 3)} (GetField rows (TableCollect (${head} (TableFilter (TableRange 5 1) (ApplyComparisonOp LT (GetField idx (Ref row)) (Ref x))))))))`;
    await expectValue(per('TableHead 4611686018427387904'), [[], [[0]], [[0], [1]]]);
    await expectValue(per('TableTail 2000000'), [[], [[0]], [[0], [1]]]);
    await expectValue(per('TableTail 1'), [[], [[0]], [[1]]]);
  });
  test('an outer TableJoin whose side reads an enclosing row, and one in a fold step with a literal side', async () => {
    // "Unsupported join type for flattening correlated subquery"; "Failed to bind column reference".
    const rows = [[[1, 10n], [3, 30n], [null, 5n]], [[0, null], [1, 10n], [3, 30n], [null, 5n]], [[0, null], [1, 10n], [3, 30n], [null, 5n]]];
    await expectValue("(ToArray (StreamMap x (StreamRange -1 False (I32 0) (I32 3) (I32 1))\n  (GetField rows (TableCollect\n    (TableJoin outer 1\n      (TableFilter (TableRange 4 1) (ApplyComparisonOp LT (GetField idx (Ref row)) (Ref x)))\n      (TableKeyBy (k) False\n        (TableParallelize None\n          (Literal Struct{rows:Array[Struct{k:Int32,v:Int64}],global:Struct{}} \"{\\\"rows\\\":[{\\\"k\\\":1,\\\"v\\\":10},{\\\"k\\\":3,\\\"v\\\":30},{\\\"k\\\":null,\\\"v\\\":5}],\\\"global\\\":{}}\"))))))))", rows);
    await expectValue("(StreamFold `trailing ` b\n  (StreamDrop\n    (ToStream False (Literal Array[Float64] \"[1e-310]\"))\n    (Cast Int32 (F64 3.141592653589793)))\n  (NA Struct{})\n  (TableAggregate\n    (TableJoin outer 1\n      (TableRange 2 2)\n      (TableKeyBy (agg g) False 1\n        (TableParallelize None\n          (NA Struct{rows:Array[Struct{g:Boolean,agg:Int32,g_1:Int64,i:Int32}],global:Struct{}}))))\n    (ApplyAggOp PrevNonnull () ((Ref `trailing `)))))", null);
  });
  test('an aggregator whose argument reads only an outer column, over rows with no order column (one group of all rows)', async () => {
    // DuckDB binds an aggregate of outer columns only to the outer query: anchored to a row column.
    await expectError("(StreamFold y True\n  (StreamTake\n    (ToStream False (Literal Array[Int64] \"[-9223372036854775808,8010510165026964929]\"))\n    (I32 -1))\n  (NA String)\n  (TableAggregate\n    (TableAggregateByKey\n      (TableParallelize None\n        (NA Struct{rows:Array[Struct{z:Float64,`,`:Array[Int32]}],global:Struct{}}))\n      (NA Struct{elt:Boolean,i:Struct{__:String,`a.b`:Float64},g:Int32}))\n    (ApplyAggOp PrevNonnull () ((Ref y)))))", 'InvalidArgument');
    await expectValue('(StreamFold acc x (ToStream False (Literal Array[Int32] "[1,2]")) (I32 0) (TableAggregate (TableAggregateByKey (TableKeyBy () False (TableRange 3 None)) (MakeStruct)) (ApplyAggOp Max () ((ApplyBinaryPrimOp Add (Ref acc) (Ref x))))))', 3);
    // A loop variable named `row` is not a column of the aggregated rows.
    await expectValue("(StreamFold eval row\n  (StreamZip -1 TakeMinLength (value) (ToStream False (Literal Array[Int64] \"[]\")) (NA Int64))\n  (GetTupleElement 0 (MakeTuple (0) (F32 -3.4028234663852886e+38)))\n  (StreamAgg table\n    (ToStream False (Literal Array[Float64] \"[4354885.17396152,1e-310,\\\"-Infinity\\\"]\"))\n    (ApplyAggOp Min () ((Ref eval)))))", -3.4028234663852886e38);
  });
  test('an aggregate of AggGroupBy inside a subquery of its value', async () => {
    await expectValue("(StreamAgg b\n  (ToStream False (Literal Array[Boolean] \"[true,false,true]\"))\n  (AggGroupBy False\n    (Let eval `\u200b` (Str \"{}\") (TableAggregate (TableKeyBy () False 1 (TableRange 5 2)) (I32 -65537)))\n    (ArrayRef -1\n      (ToArray (ToStream False (Literal Array[String] \"[]\")))\n      (ApplyAggOp Min () ((TableAggregate (TableRange 1 2) (NA Int32)))))))", [[-65537, null]]);
  });
  test('a correlated TableHead under an ordered window (TableDistinct)', async () => {
    // DuckDB's decorrelated ORDER BY + LIMIT under a window: "Failed to bind column reference".
    await expectValue(`(ToArray (StreamMap x ${range(0, 3)} (GetField rows (TableCollect (TableDistinct (TableHead 5 (TableFilter (TableRange 5 1) (ApplyComparisonOp LT (GetField idx (Ref row)) (Ref x)))))))))`, [[], [[0]], [[0], [1]]]);
  });
  test('CollectAsSet of a value the lambda pass rewrites (a fold reading a loop variable)', async () => {
    // "In a DISTINCT aggregate, ORDER BY expressions must appear in the argument list".
    await expectValue('(ToArray (StreamMap x (ToStream False (Literal Array[Int64] "[5,7]")) (TableAggregate (TableRange 3 None) (ApplyAggOp CollectAsSet () ((StreamFold acc y (ToStream False (Literal Array[Int64] "[1]")) (Ref x) (ApplyBinaryPrimOp Add (Ref acc) (Ref y))))))))', [[6n], [8n]]);
  });
  test('a hoisted value read in a recursive fold step over a scan window (tied to the step; its CTE materialized)', async () => {
    // "More than one row returned by a subquery used as an expression".
    await expectValue("(TableMapRows (TableRange 3 None)\n  (InsertFields (Ref row) None\n    (k (StreamFold a x (ToStream False (Literal Array[Int32] \"[1,2]\"))\n         (NA Array[Float32])\n         (If (TableAggregate (TableRange 17 None) (ApplyAggOp Max () ((False))))\n             (NA Array[Float32])\n             (ApplyScanOp Take ((I32 2)) ((Cast Float32 (GetField idx (Ref row))))))))))", { rows: [[0, []], [1, [0]], [2, [0, 1]]], global: [] });
  });
  test('a fold whose step reads a column, over an empty list on one row (DuckDB list_reduce with an initial value shifts the columns)', async () => {
    await expectValue("(TableMapRows (TableRange 4 None) (InsertFields (Ref row) None (x (StreamFold a e (If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 0)) (ToStream False (Literal Array[Int32] \"[]\")) (ToStream False (Literal Array[Int32] \"[7]\"))) (I32 -1) (GetField idx (Ref row))))))", { rows: [[0, -1], [1, 1], [2, 2], [3, 3]], global: [] });
  });
  test('a recursive fold step reading a hoisted value or a join side materialized elsewhere (DuckDB races a recursive CTE against a MATERIALIZED one)', async () => {
    // The race showed about one run in five (also with CTEs DuckDB chose to materialize, so
    // with a recursive CTE every CTE is NOT MATERIALIZED): ten runs each.
    for (let i = 0; i < 10; i++) {
      await expectValue("(StreamFold g ` `\n  (StreamMap y\n    (ToStream False (Literal Array[Boolean] \"[true,true,true]\"))\n    (Literal Float32 \"16777216\"))\n  (NA Int64)\n  (TableCount\n    (TableUnion\n      (TableMapRows (TableRange 17 None) (NA Struct{g:Int32,f:Float64,idx:Int32}))\n      (TableRename (\"acc\") (\"idx\") () ()\n        (TableKeyBy (acc) False 4\n          (TableParallelize None\n            (Literal Struct{rows:Array[Struct{g:Int32,f:Float64,acc:Int32}],global:Struct{}} \"{\\\"rows\\\":[{\\\"g\\\":-65537,\\\"f\\\":0,\\\"acc\\\":2147483646}],\\\"global\\\":{}}\")))))))", 18n);
      await expectValue("(StreamFold acc x (StreamMap y (ToStream False (Literal Array[Boolean] \"[true,true,true]\")) (I32 1)) (NA Int64)\n  (TableCount (TableJoin inner 1\n    (TableFilter (TableRange 5 None) (ArrayRef -1 (Literal Array[Boolean] \"[true,true,true,true,true]\") (GetField idx (Ref row))))\n    (TableRange 3 None))))", 3n);
    }
  });
  test('a recursive fold step reads no one-row CTE of a lifted value: the first row reads it, and each step carries it (a read tied to the step row came back NULL now and then)', async () => {
    // Found by the harness: the global came back missing in about 3 runs in 100 (forty runs here).
    const program = "(TableFilter\n  (TableExplode (\"Let\")\n    (TableMapRows\n      (TableParallelize 3\n        (StreamFold `a\\\\\\`b` `e\u0301`\n          (ToStream True (Literal Array[Int32] \"[-1226772659]\"))\n          (GetField `\\``\n            (Literal Struct{`\\``:Struct{rows:Array[Struct{`O'Brien`:Int64,z:Struct{rows:Boolean,`a\\tb`:Int32,key:Float32},group:Struct{elt:Boolean,row:Boolean,elt_1:Float64}}],global:Struct{False:Int64}},g:Float32,__:TupleSubset[0:String,2:Boolean,4:Boolean]} \"{\\\"`\\\":{\\\"rows\\\":[{\\\"O'Brien\\\":null,\\\"z\\\":{\\\"rows\\\":null,\\\"a\\\\tb\\\":1,\\\"key\\\":0.5},\\\"group\\\":{\\\"elt\\\":true,\\\"row\\\":false,\\\"elt_1\\\":1}},{\\\"O'Brien\\\":2147483648,\\\"z\\\":{\\\"rows\\\":true,\\\"a\\\\tb\\\":706970009,\\\"key\\\":0.33333334},\\\"group\\\":{\\\"elt\\\":true,\\\"row\\\":false,\\\"elt_1\\\":\\\"NaN\\\"}},{\\\"O'Brien\\\":-1,\\\"z\\\":{\\\"rows\\\":false,\\\"a\\\\tb\\\":-65537,\\\"key\\\":1},\\\"group\\\":{\\\"elt\\\":false,\\\"row\\\":true,\\\"elt_1\\\":491397.9144766927}}],\\\"global\\\":{\\\"False\\\":null}},\\\"g\\\":-0.0,\\\"__\\\":[\\\"\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67\\\",false,true]}\"))\n          (TableCollect\n            (TableParallelize 3\n              (Literal Struct{rows:Array[Struct{`O'Brien`:Int64,z:Struct{rows:Boolean,`a\\tb`:Int32,key:Float32},group:Struct{elt:Boolean,row:Boolean,elt_1:Float64}}],global:Struct{False:Int64}} \"{\\\"rows\\\":[],\\\"global\\\":{\\\"False\\\":9223372036854775806}}\")))))\n      (InsertFields\n        (Ref row)\n        None\n        (Let\n          (If\n            (ApplyScanOp PrevNonnull () ((Let eval global (True) (Ref global))))\n            (TableAggregate\n              (TableAggregateByKey (TableRange 10 4) (Literal Struct{} \"{}\"))\n              (ApplyAggOp PrevNonnull () ((Literal Set[Float32] \"[0.5,\\\"NaN\\\"]\"))))\n            (Die Set[Float32] -1 (Coalesce (Str \" ;\u00e9Z%\") (Str \" \"))))))))\n  (GetTupleElement 2\n    (Coalesce\n      (Let eval `\u202eabc` eval elt eval i\n        (Cast Int64 (Literal Int64 \"4294967296\"))\n        (Let eval idx\n          (F32 0.000013567835)\n          (Literal Struct{`\\\\`:Struct{},`O'Brien`:Float64} \"{\\\"\\\\\\\\\\\":{},\\\"O'Brien\\\":-5e-324}\"))\n        (Let eval acc (TableCollect (TableRange 2 None)) (Void))\n        (ArrayRef -1\n          (Literal Array[Tuple[String,Array[Float32],Boolean]] \"[[\\\"\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67\\\",[-1,-3.4028235e+38],false],[\\\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\\",null,true]]\")\n          (I32 7))))))";
    const sql = compileProgram(parse(program)).global!;
    expect(sql).toMatch(/WITH RECURSIVE/);
    expect(sql).toMatch(/"f\d+"\."u0" AS "u0"/);
    expect(sql).not.toMatch(/FROM "(v|rl_)\d+"\s+WHERE/);
    for (let i = 0; i < 40; i++) {
      const { duck } = await both(program);
      expect(duck.ok && (duck.value as { readonly global: Value }).global).toEqual([9223372036854775806n]);
    }
  });
  test('a fold of a scan in a row map: each step reads the step before', async () => {
    // Each step's per-row value reads the one before: one projection layer per step, not one select.
    const rows = Array.from({ length: 3 }, (_, i) => [i, null]);
    await expectValue('(TableMapRows (TableRange 3 None) (MakeStruct (idx (GetField idx (Ref row))) (s (StreamFold acc b (StreamRange 1 False (I32 2) (I32 8) (I32 1)) (NA Struct{idx:Int32}) (AggExplode i True (NA Stream[Set[Int32]]) (Ref acc))))))', { rows, global: [] });
  });
});

describe('a table of the database read once per step or element', () => {
  // A read of the table in a recursive CTE's step, or per element of a stream, once took
  // `LIMIT 1` (meant for one-row CTEs), so it saw one row.
  const u = `(TableRead Table{global:Struct{},key:[],row:Struct{x:Int32}} False "{\\"name\\":\\"DuckDBTableReader\\",\\"table\\":\\"steps_src\\"}")`;
  const run = async (text: string) => {
    await db.c.run('CREATE OR REPLACE TABLE steps_src AS SELECT range::INTEGER AS x FROM range(10)');
    const r = await runDuckDB(parse(text), { connection: db.c });
    return r.kind === 'value' ? r.value : r;
  };
  test('in a recursive fold: each step counts all ten rows', async () => {
    // acc: 0, then the number of rows with x <= acc: 1, 2, ..., 10, 10, ... (40 steps: not unrolled).
    const fold = `(StreamFold acc i (StreamRange 0 False (I32 0) (I32 40) (I32 1)) (I64 0)
      (TableCount (TableFilter ${u} (ApplyComparisonOp LTEQ (Cast Int64 (GetField x (Ref row))) (Ref acc)))))`;
    expect(compileProgram(parse(fold)).main).toMatch(/WITH RECURSIVE/);
    expect(await run(fold)).toBe(10n);
  });
  test('per element of a stream', async () => {
    const map = `(ToArray (StreamMap e (StreamRange 0 False (I32 0) (I32 4) (I32 1)) (TableCount (TableFilter ${u} (ApplyComparisonOp LT (GetField x (Ref row)) (Ref e))))))`;
    expect(await run(map)).toEqual([0n, 1n, 2n, 3n]);
  });
});

describe('names the emitter makes up', () => {
  test('a DuckDB table named like a generated CTE (t1..t9, any case) is still the table read', async () => {
    for (let i = 1; i <= 9; i++) await db.c.run(`CREATE OR REPLACE TABLE "T${i}" AS SELECT ${i} AS v`);
    const read = (i: number) =>
      `(TableAggregate (TableRead Table{global:Struct{},key:[],row:Struct{v:Int32}} False "{\\"name\\":\\"DuckDBTableReader\\",\\"table\\":\\"t${i}\\"}") (ApplyAggOp Sum () ((Cast Int64 (GetField v (Ref row))))))`;
    const r = await runDuckDB(parse(`(MakeArray None ${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(read).join(' ')})`), { connection: db.c });
    expect(r.kind === 'value' && r.value).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
  });
});

describe('requiredness in the SQL (passes/requiredness.ts)', () => {
  // idx of a TableRange, a MakeArray and a StreamRange of required bounds are never missing.
  const program = '(TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (y (ArrayRef -1 (MakeArray Array[Int32] (GetField idx (Ref row)) (I32 2)) (GetField idx (Ref row)))) (z (ToArray (StreamRange 0 False (I32 0) (GetField idx (Ref row)) (I32 1))))))';
  test('a NULL check of a value never missing is left out, and the answer is the same', async () => {
    const ir = parse(program);
    const sql = (use: boolean) => compileProgram(ir, { useRequiredness: use }).main;
    expect(sql(false)).toMatch(/IS NULL/);
    expect(sql(true)).not.toMatch(/IS NULL/);
    expect(sql(true).length).toBeLessThan(sql(false).length);
    await expectValue(program, { rows: [[0, 0, []], [1, 2, [0]]], global: [] });
  });
  test('an integer Product of an operand never missing keeps no NULL filter; one that may be missing does', async () => {
    const req = '(TableAggregate (TableRange 5 1) (ApplyAggOp Product () ((Cast Int64 (ApplyBinaryPrimOp Add (GetField idx (Ref row)) (I32 1))))))';
    const opt = '(TableAggregate (TableRange 5 1) (ApplyAggOp Product () ((If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 0)) (NA Int64) (Cast Int64 (GetField idx (Ref row)))))))';
    expect(compileProgram(parse(req)).main).not.toMatch(/IS NOT NULL/);
    expect(compileProgram(parse(opt)).main).toMatch(/IS NOT NULL/);
    await expectValue(req, 120n);
    await expectValue(opt, 24n);
  });
  test('a Switch with no case on an index never missing is its default (no CASE without a WHEN)', async () => {
    await expectValue('(TableMapRows (TableRange 2 None) (InsertFields (Ref row) None (s (Switch (GetField idx (Ref row)) (I32 5)))))', { rows: [[0, 5], [1, 5]], global: [] });
    // Its index is still computed, and raises.
    const global = '(GetField a (TableGetGlobals (TableParallelize None (Literal Struct{rows:Array[Struct{x:Int64}],global:Struct{a:Int32}} "{\\"rows\\":[],\\"global\\":{\\"a\\":1}}"))))';
    await expectError(`(Switch (TableAggregate (TableRange 2 None) (Apply 1 toInt32 () Int32 (ApplyBinaryPrimOp FloatingPointDivide (I32 7) (I32 0)))) ${global})`, 'CastOutOfRange');
    // An index that is a variable: its binding, needed, is computed and raises.
    const fold = '(StreamFold v acc (ToStream False (Literal Array[String] "[\\"a\\"]")) (I32 1) (Apply -1 toInt32 () Int32 (F64 -1.7976931348623157e+308)))';
    const rows = '(TableParallelize None (Switch (Ref g) (Literal Struct{rows:Array[Struct{idx:String}],global:Struct{}} "{\\"rows\\":[{\\"idx\\":\\"_\\"}],\\"global\\":{}}")))';
    await expectError(`(Let eval g ${fold} (TableCount ${rows}))`, 'CastOutOfRange');
  });
  test('a value that may be missing keeps its check', () => {
    const ir = parse('(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (y (ArrayRef -1 (MakeArray Array[Int32] (I32 1) (I32 2)) (If (ApplyComparisonOp EQ (GetField idx (Ref row)) (I32 1)) (NA Int32) (I32 0))))))');
    expect(compileProgram(ir).main).toMatch(/IS NULL/);
  });
});
