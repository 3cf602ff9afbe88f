// The SQL tree (src/backends/duckdb/sql.ts), its printer (print.ts) and the quoting module
// (quote.ts), checked against DuckDB itself: every printed statement must parse
// (json_serialize_sql reports no error), literals must come back as exactly the value they
// stand for, and parentheses must give the tree's meaning (random trees, evaluated by JS and
// by DuckDB).

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { memoryDuck } from './util.js';
import { printExpr, printSql } from '../src/backends/duckdb/print.js';
import { quoteIdent, quoteString } from '../src/backends/duckdb/quote.js';
import {
  bigint,
  binary,
  bool,
  call,
  cast,
  col,
  double,
  int,
  literal,
  scalarType,
  select,
  str,
  unary,
  type BinaryOp,
  type Expr,
  type From,
  type Query,
  type SqlNode,
} from '../src/backends/duckdb/sql.js';
import { InternalError } from '../src/diagnostics/diagnostic.js';
import {
  tArray,
  tDict,
  tSet,
  tStruct,
  tTuple,
  TBoolean,
  TFloat32,
  TFloat64,
  TInt32,
  TInt64,
  TString,
  type Type,
} from '../src/ir/types.js';
import { INT64_MAX, INT64_MIN, type Value } from '../src/ir/value.js';

const db = memoryDuck();

async function rows(sql: string): Promise<unknown[][]> {
  return (await db.c.runAndReadAll(sql)).getRowsJS() as unknown[][];
}

async function one(sql: string): Promise<unknown> {
  const r = await rows(sql);
  expect(r.length).toBe(1);
  return r[0]![0];
}

/** DuckDB's parser accepts the text: json_serialize_sql reports no error. */
async function expectParses(sql: string): Promise<void> {
  const json = JSON.parse((await one(`SELECT json_serialize_sql(${quoteString(sql)})`)) as string) as {
    error: boolean;
    error_message?: string;
  };
  expect(json.error, `${json.error_message ?? ''}\n${sql}`).toBe(false);
}

const value = (e: Expr, alias = 'v') => select([{ expr: e, alias }]);
const fromRange = (n: number, name = 'r', column = 'i'): From => ({
  kind: 'tableFunction',
  name: 'range',
  args: [bigint(BigInt(n))],
  alias: { name, columns: [column] },
});

// ---- quoting ----------------------------------------------------------------------------------

describe('quote.ts', () => {
  test('doubles the quote and nothing else', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent("it's")).toBe('"it\'s"');
    expect(quoteString("it's")).toBe("'it''s'");
    expect(quoteString('a\\n"\n')).toBe("'a\\n\"\n'");
  });

  test('a NUL is an internal error', () => {
    expect(() => quoteIdent('a\u0000b')).toThrow(InternalError);
    expect(() => quoteString('\u0000')).toThrow(InternalError);
  });

  const hostile = [
    'a"; DROP TABLE t; --',
    "'",
    '"',
    "''\"\"",
    'back\\slash\\',
    'new\nline\r\n',
    'tab\there',
    '日本語',
    '🎉 👩‍👩‍👧',
    'e\u0301',
    '\u202e',
    '/* not a comment */',
    '-- nor this',
    '$$dollar$$',
    'select',
    ' ',
  ];

  test('hostile table and column names and strings are data', async () => {
    for (const [i, name] of hostile.entries()) {
      const table = `${name}_${i}`;
      const column = `${name}_c`;
      await db.c.run(`CREATE TABLE ${quoteIdent(table)} (${quoteIdent(column)} VARCHAR)`);
      await db.c.run(`INSERT INTO ${quoteIdent(table)} VALUES (${quoteString(name)})`);
      const q = select([{ expr: col(column, 't'), alias: name }], { from: { kind: 'tableRef', name: table, alias: { name: 't' } } });
      const sql = printSql(q);
      await expectParses(sql);
      const r = await db.c.runAndReadAll(sql);
      expect(r.columnNames()).toEqual([name]);
      expect(r.getRowsJS()).toEqual([[name]]);
      await db.c.run(`DROP TABLE ${quoteIdent(table)}`);
    }
    // Nothing was dropped or created on the side.
    expect(await rows('SELECT table_name FROM information_schema.tables')).toEqual([]);
  });

  test('hostile strings as literals, struct field names, lambda parameters and aliases', async () => {
    for (const s of hostile) {
      const t = tStruct([[s, TString]]);
      const q = select([
        { expr: literal(TString, s), alias: s },
        { expr: literal(t, [s]), alias: 'st' },
        {
          expr: call('list_transform', [literal(tArray(TString), [s]), { kind: 'lambda', params: [s], body: binary('||', col(s), str(s)) }]),
          alias: 'l',
        },
      ]);
      const sql = printSql(q);
      await expectParses(sql);
      const r = await db.c.runAndReadAll(sql);
      expect(r.columnNames()).toEqual([s, 'st', 'l']);
      expect(r.getRowsJS()).toEqual([[s, { [s]: s }, [s + s]]]);
    }
  });
});

// ---- literals ---------------------------------------------------------------------------------

const f32 = Math.fround;

/** Our value as getRowsJS returns it: structs as objects, maps as {key, value} lists. */
function asJs(t: Type, v: Value): unknown {
  if (v === null) return null;
  switch (t.kind) {
    case 'Array':
    case 'Set':
    case 'Stream':
      return (v as readonly Value[]).map((x) => asJs(t.element, x));
    case 'Dict':
      return (v as readonly (readonly Value[])[]).map((p) => ({ key: asJs(t.key, p[0]!), value: asJs(t.value, p[1]!) }));
    case 'Struct':
      return Object.fromEntries(t.fields.map((f, i) => [f.name, asJs(f.type, (v as readonly Value[])[i]!)]));
    case 'Tuple':
      return Object.fromEntries(t.fields.map((f, i) => [String(f.index), asJs(f.type, (v as readonly Value[])[i]!)]));
    default:
      return v;
  }
}

const sqlTypeText: [Type, string][] = [
  [TBoolean, 'BOOLEAN'],
  [TInt32, 'INTEGER'],
  [TInt64, 'BIGINT'],
  [TFloat32, 'FLOAT'],
  [TFloat64, 'DOUBLE'],
  [TString, 'VARCHAR'],
];

async function roundTrip(t: Type, v: Value): Promise<void> {
  const sql = printSql(select([{ expr: literal(t, v), alias: 'v' }, { expr: { kind: 'call', name: 'typeof', args: [literal(t, v)] }, alias: 't' }]));
  await expectParses(sql);
  const r = await rows(sql);
  expect(r[0]![0], sql).toEqual(asJs(t, v));
  const typeName = sqlTypeText.find(([x]) => x === t)?.[1];
  if (typeName !== undefined) expect(r[0]![1]).toBe(typeName);
}

describe('literals', () => {
  const cases: [Type, Value][] = [
    [TBoolean, true],
    [TBoolean, false],
    [TInt32, 0],
    [TInt32, -1],
    [TInt32, 2147483647],
    [TInt32, -2147483648],
    [TInt64, 0n],
    [TInt64, INT64_MAX],
    [TInt64, INT64_MIN],
    [TInt64, 9007199254740993n],
    [TFloat64, 0.1],
    [TFloat64, NaN],
    [TFloat64, Infinity],
    [TFloat64, -Infinity],
    [TFloat64, -0],
    [TFloat64, 5e-324],
    [TFloat64, 1.7976931348623157e308],
    [TFloat64, 1.2345678901234567],
    [TFloat64, -2.5e-310],
    [TFloat32, f32(0.1)],
    [TFloat32, f32(3.4028234663852886e38)],
    [TFloat32, f32(1.401298464324817e-45)],
    [TFloat32, NaN],
    [TFloat32, -0],
    [TFloat32, -Infinity],
    [TString, ''],
    [TString, "it's \"quoted\" \\ \n 日本語 🎉"],
    [TString, 'nan'],
    [tArray(TFloat64), [1.5, NaN, null, -0, -Infinity]],
    [tArray(TInt32), []],
    [tArray(tArray(TString)), [[], null, ['a']]],
    [tSet(TInt64), [INT64_MIN, 1n, null]],
    [tStruct([['a', TInt32], ['B b', tArray(TBoolean)]]), [1, [true, null]]],
    [tStruct([['x', TString]]), [null]],
    [tTuple([TInt64, TString]), [INT64_MAX, 'x']],
    [tDict(TString, TFloat64), [['a', -0], ['b', NaN]]],
    [tDict(TInt32, tArray(TInt32)), []],
    [tArray(tStruct([['k', tDict(TInt32, TString)]])), [[[[1, 'one']]], null]],
  ];
  test.each(cases.map(([t, v], i) => [i, t, v] as const))('case %i', async (_, t, v) => {
    await roundTrip(t, v);
  });

  test('NULL keeps its type', async () => {
    const types: [Type, string][] = [
      ...sqlTypeText,
      [tArray(TInt32), 'INTEGER[]'],
      [tDict(TString, TInt64), 'MAP(VARCHAR, BIGINT)'],
      [tStruct([['a"b', TFloat32]]), 'STRUCT("a""b" FLOAT)'],
      [tTuple([TBoolean]), 'STRUCT("0" BOOLEAN)'],
    ];
    for (const [t, name] of types) {
      expect(await rows(printSql(value(call('typeof', [literal(t, null)]))))).toEqual([[name]]);
      expect(await rows(printSql(value(literal(t, null))))).toEqual([[null]]);
    }
  });

  test('-0.0 keeps its sign and the specials are what they say', async () => {
    const q = select([
      { expr: binary('/', double(1), literal(TFloat64, -0)) },
      { expr: binary('/', double(1), literal(TFloat32, -0)) },
      { expr: binary('/', double(1), literal(TFloat64, 0)) },
      { expr: call('isnan', [literal(TFloat64, NaN)]) },
      { expr: binary('>', literal(TFloat64, Infinity), literal(TFloat64, 1.7976931348623157e308)) },
    ]);
    expect(await rows(printSql(q))).toEqual([[-Infinity, -Infinity, Infinity, true, true]]);
  });

  test('out-of-range numbers are internal errors', () => {
    expect(() => printExpr(int(2147483648))).toThrow(InternalError);
    expect(() => printExpr(int(1.5))).toThrow(InternalError);
    expect(() => printExpr(bigint(INT64_MAX + 1n))).toThrow(InternalError);
    expect(() => printExpr({ kind: 'number', type: 'BIGINT', value: 1 })).toThrow(InternalError);
  });

  test('random doubles, floats, bigints and strings come back exactly', async () => {
    const cases = fc.oneof(
      fc.double().map((v) => [TFloat64, v] as [Type, Value]),
      fc.float().map((v) => [TFloat32, v] as [Type, Value]),
      fc.bigInt(INT64_MIN, INT64_MAX).map((v) => [TInt64, v] as [Type, Value]),
      fc.integer().map((v) => [TInt32, v] as [Type, Value]),
      fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000')).map((v) => [TString, v] as [Type, Value]),
    );
    const sample = fc.sample(fc.array(cases, { minLength: 50, maxLength: 50 }), { numRuns: 4, seed: 7 }).flat();
    // One query for all of them: a column each.
    const q = select(sample.map(([t, v]) => ({ expr: literal(t, v) })));
    const got = (await rows(printSql(q)))[0]!;
    sample.forEach(([, v], i) => expect(got[i], String(v)).toEqual(v));
    // And a property run through the same path, one value at a time.
    await fc.assert(
      fc.asyncProperty(cases, async ([t, v]) => {
        expect(await one(printSql(value(literal(t, v))))).toEqual(v);
      }),
      { numRuns: 100 },
    );
  });
});

// ---- precedence -------------------------------------------------------------------------------

describe('precedence', () => {
  const a = col('a');
  const b = col('b');
  const c = col('c');

  test('parentheses where the tree needs them and nowhere else', () => {
    expect(printExpr(binary('*', binary('+', a, b), c))).toBe('("a" + "b") * "c"');
    expect(printExpr(binary('+', a, binary('*', b, c)))).toBe('"a" + "b" * "c"');
    expect(printExpr(binary('-', binary('-', a, b), c))).toBe('"a" - "b" - "c"');
    expect(printExpr(binary('-', a, binary('-', b, c)))).toBe('"a" - ("b" - "c")');
    expect(printExpr(unary('-', binary('-', a, b)))).toBe('-("a" - "b")');
    expect(printExpr(unary('-', unary('-', a)))).toBe('- -"a"');
    expect(printExpr(unary('NOT', binary('AND', a, b)))).toBe('NOT ("a" AND "b")');
    expect(printExpr(binary('AND', unary('NOT', a), b))).toBe('NOT "a" AND "b"');
    expect(printExpr(unary('NOT', binary('=', a, b)))).toBe('NOT "a" = "b"');
    expect(printExpr(binary('=', binary('<', a, b), c))).toBe('("a" < "b") = "c"');
    expect(printExpr(binary('OR', binary('AND', a, b), c))).toBe('"a" AND "b" OR "c"');
    expect(printExpr(binary('AND', binary('OR', a, b), c))).toBe('("a" OR "b") AND "c"');
    expect(printExpr({ kind: 'isNull', operand: binary('=', a, b), not: false })).toBe('"a" = "b" IS NULL');
    expect(printExpr(binary('=', { kind: 'isNull', operand: a, not: false }, b))).toBe('("a" IS NULL) = "b"');
    expect(printExpr(binary('=', a, unary('NOT', b)))).toBe('"a" = (NOT "b")');
    expect(printExpr(binary('*', a, unary('-', b)))).toBe('"a" * -"b"');
    expect(printExpr(call('f', [{ kind: 'lambda', params: ['x'], body: binary('OR', a, b) }]))).toBe('f(lambda "x": "a" OR "b")');
    expect(printExpr(binary('AND', { kind: 'lambda', params: ['x'], body: a }, b))).toBe('(lambda "x": "a") AND "b"');
    expect(printExpr(binary('+', binary('||', a, b), c))).toBe('("a" || "b") + "c"');
    expect(printExpr(binary('||', binary('+', a, b), c))).toBe('"a" + "b" || "c"');
  });

  // Each pair is (the tree, the value it means): DuckDB must agree, so the table matches DuckDB.
  const n = (x: number) => int(x);
  const agreed: [Expr, unknown][] = [
    [binary('*', binary('+', n(1), n(2)), n(3)), 9],
    [binary('-', n(10), binary('-', n(4), n(3))), 9],
    [unary('-', binary('-', n(1), n(2))), 1],
    [unary('-', unary('-', n(2))), 2],
    [binary('//', binary('+', n(2), n(5)), n(2)), 3],
    [binary('+', n(2), binary('//', n(5), n(2))), 4],
    [binary('*', n(7), binary('//', n(5), n(2))), 14],
    [binary('//', n(7), binary('*', n(2), n(3))), 1],
    [binary('%', n(10), binary('*', n(4), n(3))), 10],
    [binary('^', n(2), binary('^', n(3), n(2))), 512],
    [binary('^', binary('^', n(2), n(3)), n(2)), 64],
    [binary('^', unary('-', n(2)), n(2)), 4],
    [unary('-', binary('^', n(2), n(2))), -4],
    [binary('||', str('a'), binary('+', n(1), n(2))), 'a3'],
    [binary('||', binary('+', n(1), n(2)), n(3)), '33'],
    [unary('NOT', binary('AND', bool(true), bool(false))), true],
    [binary('AND', unary('NOT', bool(true)), bool(false)), false],
    [binary('=', binary('=', n(1), n(2)), bool(false)), true],
    [binary('=', bool(false), unary('NOT', bool(true))), true],
    [binary('=', { kind: 'isNull', operand: n(1), not: false }, bool(false)), true],
    [{ kind: 'isNull', operand: binary('=', n(1), literal(TInt32, null)), not: false }, true],
    [{ kind: 'isDistinct', left: binary('=', n(1), n(1)), right: bool(true), not: true }, true],
    [{ kind: 'in', operand: binary('+', n(1), n(1)), items: [n(2)], not: false }, true],
    [binary('=', { kind: 'in', operand: n(1), items: [n(2)], not: false }, bool(false)), true],
    [{ kind: 'in', operand: n(1), items: [], not: false }, false],
    [{ kind: 'in', operand: n(1), items: [], not: true }, true],
    [unary('NOT', { kind: 'in', operand: n(1), items: [n(1), n(2)], not: true }), true],
  ];
  test.each(agreed.map(([e, v], i) => [i, e, v] as const))('DuckDB agrees %#', async (_, e, v) => {
    const sql = printSql(value(e));
    await expectParses(sql);
    expect(await one(sql), sql).toEqual(v);
  });

  // Random arithmetic over small integers: JS (exact, bigint) and DuckDB (BIGINT) must agree.
  type Arith = { readonly e: Expr; readonly v: bigint };
  const arith: fc.Arbitrary<Arith> = fc.letrec<{ t: Arith }>((tie) => ({
    t: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: -9, max: 9 }).map((x) => ({ e: bigint(BigInt(x)), v: BigInt(x) })),
      tie('t').map((x) => ({ e: unary('-', x.e), v: -x.v })),
      fc.tuple(fc.constantFrom<BinaryOp>('+', '-', '*'), tie('t'), tie('t')).map(([op, x, y]) => ({
        e: binary(op, x.e, y.e),
        v: op === '+' ? x.v + y.v : op === '-' ? x.v - y.v : x.v * y.v,
      })),
    ),
  })).t;

  test('random arithmetic trees mean what DuckDB computes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arith, { minLength: 1, maxLength: 20 }), async (xs) => {
        // Values this small cannot overflow BIGINT at the depths fast-check builds.
        const fits = xs.filter((x) => x.v >= INT64_MIN && x.v <= INT64_MAX);
        if (fits.length === 0) return;
        const got = (await rows(printSql(select(fits.map((x) => ({ expr: x.e }))))))[0]!;
        fits.forEach((x, i) => expect(got[i], printExpr(x.e)).toBe(x.v));
      }),
      { numRuns: 60 },
    );
  });

  // Random boolean trees in three-valued logic, over comparisons of small integers.
  type Logic = { readonly e: Expr; readonly v: boolean | null };
  const small = fc.oneof(
    fc.integer({ min: 0, max: 3 }).map((x) => ({ e: int(x), v: x as number | null })),
    fc.constant({ e: literal(TInt32, null), v: null as number | null }),
  );
  const logic: fc.Arbitrary<Logic> = fc.letrec<{ t: Logic }>((tie) => ({
    t: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom<boolean | null>(true, false, null).map((v) => ({ e: v === null ? literal(TBoolean, null) : bool(v), v })),
      fc.tuple(fc.constantFrom<BinaryOp>('=', '<', '<>', '>='), small, small).map(([op, x, y]) => ({
        e: binary(op, x.e, y.e),
        v: x.v === null || y.v === null ? null : op === '=' ? x.v === y.v : op === '<' ? x.v < y.v : op === '<>' ? x.v !== y.v : x.v >= y.v,
      })),
      tie('t').map((x) => ({ e: unary('NOT', x.e), v: x.v === null ? null : !x.v })),
      tie('t').map((x) => ({ e: { kind: 'isNull', operand: x.e, not: false } as Expr, v: x.v === null })),
      fc.tuple(tie('t'), tie('t')).map(([x, y]) => ({ e: { kind: 'isDistinct', left: x.e, right: y.e, not: false } as Expr, v: x.v !== y.v })),
      fc.tuple(tie('t'), tie('t')).map(([x, y]) => ({
        e: binary('=', x.e, y.e),
        v: x.v === null || y.v === null ? null : x.v === y.v,
      })),
      fc.tuple(fc.constantFrom<BinaryOp>('AND', 'OR'), tie('t'), tie('t')).map(([op, x, y]) => ({
        e: binary(op, x.e, y.e),
        v:
          op === 'AND'
            ? x.v === false || y.v === false
              ? false
              : x.v === null || y.v === null
                ? null
                : true
            : x.v === true || y.v === true
              ? true
              : x.v === null || y.v === null
                ? null
                : false,
      })),
    ),
  })).t;

  test('random boolean trees mean what DuckDB computes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(logic, { minLength: 1, maxLength: 20 }), async (xs) => {
        const got = (await rows(printSql(select(xs.map((x) => ({ expr: x.e }))))))[0]!;
        xs.forEach((x, i) => expect(got[i], printExpr(x.e)).toBe(x.v));
      }),
      { numRuns: 60 },
    );
  });
});

// ---- every node kind --------------------------------------------------------------------------

const ALL_KINDS = {
  column: true,
  star: true,
  null: true,
  boolean: true,
  number: true,
  string: true,
  list: true,
  struct: true,
  map: true,
  unary: true,
  binary: true,
  call: true,
  window: true,
  case: true,
  cast: true,
  isNull: true,
  isDistinct: true,
  in: true,
  subquery: true,
  exists: true,
  lambda: true,
  scalarType: true,
  listType: true,
  structType: true,
  mapType: true,
  tableRef: true,
  tableFunction: true,
  subqueryFrom: true,
  join: true,
  select: true,
  unionAll: true,
  with: true,
} satisfies Record<SqlNode['kind'], true>;

/** The kinds of every node under `root` (any object with a known `kind`). */
function kindsIn(root: unknown): Set<string> {
  const seen = new Set<string>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    const kind = (x as { kind?: unknown }).kind;
    if (typeof kind === 'string' && kind in ALL_KINDS) seen.add(kind);
    stack.push(...Object.values(x));
  }
  return seen;
}

const i = col('i', 'r');
const lit = [{ key: 'k', value: [{ q: 1 }, null] }];
const asc = (expr: Expr) => ({ expr });

// Each statement with the rows it returns.
const statements: [string, Query, unknown[][]][] = [
  [
    'select clauses, aggregates with DISTINCT, ORDER BY and FILTER',
    select(
      [
        { expr: binary('%', i, bigint(3n)), alias: 'g' },
        { expr: call('count', [{ kind: 'star' }]), alias: 'n' },
        { expr: call('list', [i], { orderBy: [{ expr: i, desc: true, nulls: 'LAST' }] }), alias: 'l' },
        { expr: call('count', [binary('%', i, bigint(2n))], { distinct: true }), alias: 'd' },
        { expr: call('sum', [i], { filter: binary('>', i, bigint(4n)) }), alias: 's' },
      ],
      {
        from: fromRange(10),
        where: binary('<>', i, bigint(9n)),
        groupBy: [binary('%', i, bigint(3n))],
        having: binary('>', call('count', [{ kind: 'star' }]), bigint(2n)),
        orderBy: [{ expr: col('g'), desc: true }],
        limit: int(2),
        offset: int(0),
      },
    ),
    [
      [2n, 3n, [8n, 5n, 2n], 2n, 13n],
      [1n, 3n, [7n, 4n, 1n], 2n, 7n],
    ],
  ],
  [
    'window functions and QUALIFY',
    select(
      [
        { expr: i },
        {
          expr: {
            kind: 'window',
            call: call('sum', [i]),
            partitionBy: [binary('%', i, bigint(2n))],
            orderBy: [asc(i)],
            frame: { unit: 'ROWS', start: { kind: 'preceding', offset: 1 }, end: { kind: 'currentRow' } },
          },
          alias: 'w',
        },
        {
          expr: {
            kind: 'window',
            call: call('count', [{ kind: 'star' }]),
            partitionBy: [],
            orderBy: [],
            frame: { unit: 'ROWS', start: { kind: 'unboundedPreceding' }, end: { kind: 'unboundedFollowing' } },
          },
          alias: 'all',
        },
        {
          expr: {
            kind: 'window',
            call: call('list', [i]),
            partitionBy: [],
            orderBy: [{ expr: i, desc: true }],
            frame: { unit: 'RANGE', start: { kind: 'currentRow' }, end: { kind: 'following', offset: 1 } },
          },
          alias: 'next',
        },
      ],
      {
        from: fromRange(5),
        qualify: binary('<', { kind: 'window', call: call('row_number', []), partitionBy: [], orderBy: [asc(i)] }, bigint(3n)),
        orderBy: [asc(i)],
      },
    ),
    [
      [0n, 0n, 5n, [0n]],
      [1n, 1n, 5n, [1n, 0n]],
    ],
  ],
  [
    'CASE, CAST, lists, structs, maps, lambdas, IN and IS',
    select(
      [
        {
          expr: {
            kind: 'case',
            whens: [
              { when: binary('=', i, bigint(0n)), then: str('zero') },
              { when: { kind: 'in', operand: i, items: [bigint(1n), bigint(2n)], not: false }, then: str('small') },
            ],
            else: str('big'),
          },
          alias: 'c',
        },
        { expr: { kind: 'case', whens: [{ when: bool(true), then: int(1) }] }, alias: 'c1' },
        { expr: cast(i, scalarType('VARCHAR')), alias: 'v' },
        {
          expr: call('list_transform', [{ kind: 'list', items: [i, bigint(10n)] }, { kind: 'lambda', params: ['x'], body: binary('+', col('x'), bigint(1n)) }]),
          alias: 'l',
        },
        {
          expr: call('list_reduce', [{ kind: 'list', items: [i, bigint(10n)] }, { kind: 'lambda', params: ['x', 'y'], body: binary('*', col('x'), col('y')) }]),
          alias: 'r',
        },
        { expr: { kind: 'struct', fields: [{ name: 'a', value: i }, { name: 'b', value: str('s') }] }, alias: 's' },
        { expr: { kind: 'map', entries: [{ key: str('k'), value: i }] }, alias: 'm' },
        { expr: { kind: 'isNull', operand: i, not: true }, alias: 'nn' },
        { expr: { kind: 'isDistinct', left: i, right: literal(TInt64, null), not: false }, alias: 'dist' },
        { expr: { kind: 'in', operand: i, items: [], not: false }, alias: 'none' },
        { expr: unary('-', i), alias: 'neg' },
        { expr: literal(tDict(TString, tArray(tStruct([['q', TInt32]]))), [['k', [[1], null]]]), alias: 'lit' },
      ],
      { from: fromRange(2), orderBy: [asc(i)] },
    ),
    [
      ['zero', 1, '0', [1n, 11n], 0n, { a: 0n, b: 's' }, [{ key: 'k', value: 0n }], true, true, false, 0n, lit],
      ['small', 1, '1', [2n, 11n], 10n, { a: 1n, b: 's' }, [{ key: 'k', value: 1n }], true, true, false, -1n, lit],
    ],
  ],
  [
    'subqueries: scalar, EXISTS, NOT EXISTS, in FROM, LATERAL',
    select(
      [
        { expr: i },
        { expr: { kind: 'subquery', query: select([{ expr: call('max', [col('j', 's')]) }], { from: fromRange(3, 's', 'j') }) }, alias: 'm' },
        {
          expr: {
            kind: 'exists',
            not: false,
            query: select([{ expr: int(1) }], { from: fromRange(3, 's', 'j'), where: binary('=', col('j', 's'), i) }),
          },
          alias: 'e',
        },
        {
          expr: {
            kind: 'exists',
            not: true,
            query: select([{ expr: int(1) }], { from: fromRange(1, 's', 'j'), where: binary('=', col('j', 's'), i) }),
          },
          alias: 'ne',
        },
        { expr: col('k', 'lat') },
      ],
      {
        from: {
          kind: 'join',
          type: 'CROSS',
          left: {
            kind: 'subqueryFrom',
            query: select([{ expr: { kind: 'star' } }], { from: fromRange(5) }),
            alias: { name: 'r' },
          },
          right: {
            kind: 'subqueryFrom',
            lateral: true,
            query: select([{ expr: binary('*', i, bigint(10n)), alias: 'k' }]),
            alias: { name: 'lat' },
          },
        },
        where: binary('<', i, bigint(2n)),
        orderBy: [asc(i)],
      },
    ),
    [
      [0n, 2n, true, false, 0n],
      [1n, 2n, true, true, 10n],
    ],
  ],
  [
    'joins: INNER ON, LEFT USING, RIGHT, FULL, a join on the right, a LATERAL table function',
    select(
      [{ expr: col('i', 'a') }, { expr: col('i', 'b') }, { expr: col('i', 'c') }, { expr: col('x', 'u') }],
      {
        from: {
          kind: 'join',
          type: 'LEFT',
          left: {
            kind: 'join',
            type: 'FULL',
            left: fromRange(3, 'a'),
            right: {
              kind: 'join',
              type: 'INNER',
              left: fromRange(4, 'b'),
              right: fromRange(4, 'c'),
              on: binary('=', col('i', 'b'), col('i', 'c')),
            },
            on: binary('=', binary('+', col('i', 'a'), bigint(1n)), col('i', 'b')),
          },
          right: { kind: 'tableFunction', name: 'unnest', args: [{ kind: 'list', items: [col('i', 'a')] }], lateral: true, alias: { name: 'u', columns: ['x'] } },
          on: bool(true),
        },
        orderBy: [{ expr: col('i', 'b'), nulls: 'FIRST' }],
      },
    ),
    [
      [null, 0n, 0n, null],
      [0n, 1n, 1n, 0n],
      [1n, 2n, 2n, 1n],
      [2n, 3n, 3n, 2n],
    ],
  ],
  [
    'RIGHT JOIN and USING',
    select([{ expr: col('i') }, { expr: col('v', 'b') }], {
      from: {
        kind: 'join',
        type: 'RIGHT',
        left: fromRange(2, 'a'),
        right: { kind: 'subqueryFrom', query: select([{ expr: col('i', 'r'), alias: 'i' }, { expr: str('b'), alias: 'v' }], { from: fromRange(3) }), alias: { name: 'b' } },
        using: ['i'],
      },
      orderBy: [asc(col('i'))],
    }),
    [
      [0n, 'b'],
      [1n, 'b'],
      [2n, 'b'],
    ],
  ],
  [
    'WITH RECURSIVE, UNION ALL, a branch with its own ORDER BY and LIMIT, DISTINCT',
    {
      kind: 'with',
      recursive: true,
      ctes: [
        {
          name: 'fib',
          columns: ['n', 'a', 'b'],
          query: {
            kind: 'unionAll',
            queries: [
              select([{ expr: int(1) }, { expr: bigint(0n) }, { expr: bigint(1n) }]),
              select([{ expr: binary('+', col('n'), int(1)) }, { expr: col('b') }, { expr: binary('+', col('a'), col('b')) }], {
                from: { kind: 'tableRef', name: 'fib' },
                where: binary('<', col('n'), int(10)),
              }),
            ],
          },
        },
        { name: 'ten', query: select([{ expr: col('a'), alias: 'a' }], { from: { kind: 'tableRef', name: 'fib' }, where: binary('=', col('n'), int(10)) }) },
      ],
      body: {
        kind: 'unionAll',
        queries: [
          select([{ expr: col('a') }], { from: { kind: 'tableRef', name: 'ten' } }),
          select([{ expr: col('a') }], { from: { kind: 'tableRef', name: 'fib' }, orderBy: [{ expr: col('a'), desc: true }], limit: int(1) }),
          {
            kind: 'with',
            recursive: false,
            ctes: [{ name: 'z', query: select([{ expr: bigint(7n), alias: 'a' }]) }],
            body: select([{ expr: col('a') }], { distinct: true, from: { kind: 'tableRef', name: 'z' } }),
          },
        ],
      },
    },
    [[34n], [34n], [7n]],
  ],
];

describe('every node kind', () => {
  test('the statements below use every kind', () => {
    const seen = new Set<string>();
    for (const [, q] of statements) for (const k of kindsIn(q)) seen.add(k);
    expect([...seen].sort()).toEqual(Object.keys(ALL_KINDS).sort());
  });

  test.each(statements)('%s', async (_, q, expected) => {
    const sql = printSql(q);
    await expectParses(sql);
    expect(await rows(sql), sql).toEqual(expected);
  });

  test('malformed trees are internal errors', () => {
    const r = fromRange(1);
    expect(() => printSql(select([]))).toThrow(InternalError);
    expect(() => printExpr(call('f; DROP', []))).toThrow(InternalError);
    expect(() => printExpr({ kind: 'case', whens: [] })).toThrow(InternalError);
    expect(() => printExpr({ kind: 'struct', fields: [] })).toThrow(InternalError);
    expect(() => printExpr({ kind: 'null', type: { kind: 'structType', fields: [] } })).toThrow(InternalError);
    expect(() => printSql(select([{ expr: int(1) }], { from: { kind: 'join', type: 'INNER', left: r, right: r } }))).toThrow(InternalError);
    expect(() => printSql(select([{ expr: int(1) }], { from: { kind: 'join', type: 'CROSS', left: r, right: r, on: bool(true) } }))).toThrow(InternalError);
    expect(() => printSql({ kind: 'unionAll', queries: [select([{ expr: int(1) }])] })).toThrow(InternalError);
    // DuckDB cannot parse `WITH a AS (...) (WITH b AS (...) SELECT ...)`.
    const inner: Query = { kind: 'with', recursive: false, ctes: [{ name: 'b', query: select([{ expr: int(2) }]) }], body: select([{ expr: int(1) }]) };
    expect(() => printSql({ kind: 'with', recursive: false, ctes: [{ name: 'a', query: select([{ expr: int(1) }]) }], body: inner })).toThrow(InternalError);
  });
});

// ---- formatting and depth ---------------------------------------------------------------------

describe('layout', () => {
  test('clauses on their own lines, subqueries indented', () => {
    const q: Query = {
      kind: 'with',
      recursive: false,
      ctes: [{ name: 't', query: select([{ expr: col('i', 'r'), alias: 'x' }], { from: fromRange(3) }) }],
      body: select(
        [
          { expr: col('x'), alias: 'x' },
          { expr: { kind: 'subquery', query: select([{ expr: call('count', [{ kind: 'star' }]) }], { from: { kind: 'tableRef', name: 't' } }) }, alias: 'n' },
        ],
        { from: { kind: 'tableRef', name: 't' }, where: binary('>', col('x'), bigint(0n)), orderBy: [{ expr: col('x'), desc: true }] },
      ),
    };
    expect(printSql(q)).toBe(
      [
        'WITH',
        '  "t" AS (',
        '    SELECT "r"."i" AS "x"',
        '    FROM range(CAST(3 AS BIGINT)) AS "r"("i")',
        '  )',
        'SELECT',
        '  "x" AS "x",',
        '  (',
        '    SELECT count(*)',
        '    FROM "t"',
        '  ) AS "n"',
        'FROM "t"',
        'WHERE "x" > CAST(0 AS BIGINT)',
        'ORDER BY "x" DESC',
      ].join('\n'),
    );
  });
});

describe('depth', () => {
  /** A left-deep chain x0 + x1 + ... and a right-deep one x0 - (x1 - (...)), `n` operators each. */
  function chains(n: number): { left: Expr; right: Expr } {
    let left: Expr = bigint(0n);
    let right: Expr = bigint(0n);
    for (let k = 1; k <= n; k++) {
      left = binary('+', left, bigint(1n));
      right = binary('-', bigint(1n), right);
    }
    return { left, right };
  }

  test('100,000-deep expressions print without recursion', () => {
    const { left, right } = chains(100_000);
    const l = printExpr(left);
    expect(l.startsWith('CAST(0 AS BIGINT) + CAST(1 AS BIGINT) + ')).toBe(true);
    expect(l).not.toContain('(CAST(0');
    const r = printExpr(right);
    expect(r.endsWith('CAST(0 AS BIGINT)' + ')'.repeat(99_999))).toBe(true);
    let nots: Expr = bool(true);
    for (let k = 0; k < 100_000; k++) nots = unary(k % 2 === 0 ? 'NOT' : '-', nots);
    expect(printExpr(nots).length).toBeGreaterThan(300_000);
  });

  test('moderately deep chains mean what they say in DuckDB', async () => {
    const { left, right } = chains(200);
    expect(await rows(printSql(select([{ expr: left }, { expr: right }])))).toEqual([[200n, 0n]]);
  });

  test('a 3,000-branch CASE prints and runs', async () => {
    const whens = Array.from({ length: 3000 }, (_, k) => ({ when: binary('=', col('i', 'r'), bigint(BigInt(k))), then: int(k * 2) }));
    const q = select([{ expr: { kind: 'case', whens, else: int(-1) } }], { from: fromRange(3001), orderBy: [{ expr: col('i', 'r'), desc: true }], limit: int(2) });
    const sql = printSql(q);
    await expectParses(sql);
    expect(await rows(sql)).toEqual([[-1], [5998]]);
  });
});
