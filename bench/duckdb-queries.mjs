// The ten queries of the DuckDB backend benchmark (issue 4): each an IR program and the best
// SQL we could write by hand for the same result, over the tables that `setupSql` creates.
// Results are small (aggregates, a head of 10, a filtered collect), so timings measure DuckDB's
// work rather than result transfer. `shape` says how the hand SQL's rows map to the program's
// value: 'scalar' (one row, one column), 'struct' (one row, columns = fields in order) or
// 'collect' (rows in order, as TableCollect's `rows`; global is {}).

/** SQL creating `t` (n rows) and `d` (1,000 rows, keyed by k; half of t's k values match). */
export function setupSql(n) {
  return [
    'DROP TABLE IF EXISTS t',
    'DROP TABLE IF EXISTS d',
    // y is missing on about 1% of rows, so the programs meet real missing values.
    `CREATE TABLE t AS SELECT
       range::BIGINT AS id,
       (range % 1000)::INTEGER AS k,
       ((range * 7919) % 100003)::DOUBLE / 100.0 AS x,
       CASE WHEN range % 97 = 13 THEN NULL ELSE ((range * 104729) % 1000003)::DOUBLE / 1000.0 - 500.0 END AS y,
       ['alpha', 'beta', 'gamma', 'delta', 'epsilon'][(range // 7) % 5 + 1] AS cat
     FROM range(${n}) ORDER BY range`,
    `CREATE TABLE d AS SELECT
       (range * 2)::INTEGER AS k,
       (range % 17)::DOUBLE / 4.0 AS w,
       'g' || (range % 10)::VARCHAR AS grp
     FROM range(1000) ORDER BY range`,
  ];
}

const reader = (table) => JSON.stringify(JSON.stringify({ name: 'DuckDBTableReader', table }));
const T = `(TableRead Table{global:Struct{},key:[],row:Struct{id:Int64,k:Int32,x:Float64,y:Float64,cat:String}} False ${reader('t')})`;
const D = `(TableRead Table{global:Struct{},key:[k],row:Struct{k:Int32,w:Float64,grp:String}} False ${reader('d')})`;

// Small IR builders, to keep the programs readable.
const f = (name) => `(GetField ${name} (Ref row))`;
const f64 = (v) => `(F64 ${Number.isInteger(v) ? v.toFixed(1) : String(v)})`;
const cmp = (op, l, r) => `(ApplyComparisonOp ${op} ${l} ${r})`;
const bin = (op, l, r) => `(ApplyBinaryPrimOp ${op} ${l} ${r})`;
const and = (a, b) => `(If ${a} ${b} (False))`; // the IR has no AND; If is short-circuit AND when a is present
const count = '(ApplyAggOp Count () ())';
const sum = (x) => `(ApplyAggOp Sum () (${x}))`;
const max = (x) => `(ApplyAggOp Max () (${x}))`;
const min = (x) => `(ApplyAggOp Min () (${x}))`;
const struct = (fields) => `(MakeStruct ${Object.entries(fields).map(([k, v]) => `(${k} ${v})`).join(' ')})`;
const mean = (x) => bin('FloatingPointDivide', sum(x), `(Cast Float64 ${count})`);

// A double literal DuckDB reads as DOUBLE (a plain `0.25` would be a DECIMAL), exactly.
const dbl = (v) => v.toExponential();

// Deterministic pseudo-random numbers for the rule model (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A decision list of `branches` rules over k, x and cat (never-missing columns, so the IR's If
 * chain and SQL's CASE agree: a missing condition would make the If missing but only skip a
 * WHEN). Each rule matches about 7% of rows, so a row walks ~14 rules on average (DuckDB
 * evaluates each WHEN only on the rows no earlier one matched).
 */
export function ruleModel(branches = 1000, seed = 4) {
  const r = rng(seed);
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const rules = [];
  for (let i = 0; i < branches; i++) {
    const kind = i % 3;
    const out = Math.round(r() * 4000 - 2000) / 4; // a multiple of 0.25: exact in both
    if (kind === 0) {
      const a = Math.floor(r() * 300) + 1;
      const b = Math.floor(r() * 1000);
      rules.push({ ir: and(cmp('LT', f('x'), f64(a)), cmp('GT', f('k'), `(I32 ${b})`)), sql: `x < ${a} AND k > ${b}`, out });
    } else if (kind === 1) {
      const c = cats[Math.floor(r() * 5)];
      const a = 500 + Math.floor(r() * 500);
      rules.push({ ir: and(cmp('EQ', f('cat'), `(Str "${c}")`), cmp('GT', f('x'), f64(a))), sql: `cat = '${c}' AND x > ${a}`, out });
    } else {
      const a = Math.floor(r() * 920);
      rules.push({ ir: and(cmp('GTEQ', f('k'), `(I32 ${a})`), cmp('LT', f('k'), `(I32 ${a + 80})`)), sql: `k >= ${a} AND k < ${a + 80}`, out });
    }
  }
  let ir = f64(0);
  for (let i = rules.length - 1; i >= 0; i--) ir = `(If ${rules[i].ir} ${f64(rules[i].out)} ${ir})`;
  const sql = `CASE\n${rules.map((x) => `  WHEN ${x.sql} THEN ${dbl(x.out)}`).join('\n')}\n  ELSE 0e0 END`;
  return { ir, sql };
}

const rules = ruleModel();

// Horner's rule for sum_{i<10} z^(9-i) / (i+1), one step per stream element.
const foldSteps = 10;
const foldIr = `(Let eval z ${bin('FloatingPointDivide', f('x'), f64(1000))}
  (StreamFold acc i (StreamRange -1 False (I32 0) (I32 ${foldSteps}) (I32 1)) ${f64(0)}
    ${bin('Add', bin('Multiply', '(Ref acc)', '(Ref z)'), bin('FloatingPointDivide', f64(1), `(Cast Float64 ${bin('Add', '(Ref i)', '(I32 1)')})`))}))`;
// The same steps unrolled (the first, 0 * z + 1, is exactly 1 for finite z).
let foldSql = '1e0';
for (let i = 1; i < foldSteps; i++) foldSql = `(${foldSql} * z + ${dbl(1 / (i + 1))})`;

const columns = 'id, k, x, y, cat';

/** The queries; `ir(n)` and `hand(n)` for the row count n of t. */
export const queries = [
  {
    name: 'filter',
    shape: 'scalar',
    ir: () => `(TableCount (TableFilter ${T}
      ${and(cmp('GT', f('x'), f64(250)), and(cmp('EQ', f('cat'), '(Str "beta")'), cmp('LT', f('y'), f64(100))))}))`,
    hand: () => `SELECT count(*) FROM t WHERE x > 250 AND cat = 'beta' AND y < 100`,
  },
  {
    name: 'map',
    shape: 'struct',
    ir: () => `(TableAggregate
      (TableMapRows ${T}
        (InsertFields (Ref row) None
          (z ${bin('Multiply', '(Apply -1 sqrt () Float64 (GetField x (Ref row)))', f('y'))})
          (u ${bin('Subtract', f('x'), `(Cast Float64 ${f('k')})`)})))
      ${struct({ s: sum(f('z')), m: max(f('u')) })})`,
    hand: () => `SELECT sum(sqrt(x) * y) AS s, max(x - k) AS m FROM t`,
  },
  {
    name: 'aggregate',
    shape: 'struct',
    ir: () => `(TableAggregate ${T}
      ${struct({ n: count, sx: sum(f('x')), mean: mean(f('x')), lo: min(f('y')), hi: max(f('y')), sid: sum(f('id')) })})`,
    hand: () => `SELECT count(*) AS n, sum(x) AS sx, avg(x) AS mean, min(y) AS lo, max(y) AS hi, sum(id) AS sid FROM t`,
  },
  {
    name: 'key-by-aggregate',
    shape: 'collect',
    ir: () => `(TableCollect (TableKeyByAndAggregate None 50 ${T}
      ${struct({ n: count, s: sum(f('x')), m: max(f('y')) })}
      ${struct({ k: f('k') })}))`,
    hand: () => `SELECT k, count(*) AS n, sum(x) AS s, max(y) AS m FROM t GROUP BY k ORDER BY k`,
  },
  {
    name: 'join',
    shape: 'struct',
    ir: () => `(TableAggregate (TableJoin inner 1 (TableKeyBy (k) False ${T}) ${D})
      ${struct({ n: count, s: sum(bin('Multiply', f('x'), f('w'))) })})`,
    hand: () => `SELECT count(*) AS n, sum(t.x * d.w) AS s FROM t JOIN d ON t.k = d.k`,
  },
  {
    name: 'order-by + head',
    shape: 'collect',
    ir: () => `(TableCollect (TableHead 10 (TableOrderBy (Dx Aid) ${T})))`,
    hand: () => `SELECT ${columns} FROM t ORDER BY x DESC, id LIMIT 10`,
  },
  {
    // About 50 rows whatever n (k = 7 is n/1000 rows; the x bound keeps ~50 of them), in
    // table order, which is id order.
    name: 'collect small',
    shape: 'collect',
    ir: (n) => `(TableCollect (TableFilter ${T}
      ${and(cmp('EQ', f('k'), '(I32 7)'), cmp('LT', f('x'), f64(collectBound(n))))}))`,
    hand: (n) => `SELECT ${columns} FROM t WHERE k = 7 AND x < ${collectBound(n)} ORDER BY id`,
  },
  {
    name: 'nested aggregate',
    shape: 'struct',
    ir: () => `(TableAggregate
      (TableFilter ${T} ${cmp('GT', f('x'), `(TableAggregate ${T} ${mean(f('x'))})`)})
      ${struct({ n: count, s: sum(f('y')) })})`,
    hand: () => `SELECT count(*) AS n, sum(y) AS s FROM t WHERE x > (SELECT avg(x) FROM t)`,
  },
  {
    name: 'rule model (1000 branches)',
    shape: 'scalar',
    ir: () => `(TableAggregate ${T} ${sum(rules.ir)})`,
    hand: () => `SELECT sum(${rules.sql}) FROM t`,
  },
  {
    name: 'stream fold',
    shape: 'scalar',
    ir: () => `(TableAggregate ${T} ${sum(foldIr)})`,
    hand: () => `SELECT sum(${foldSql}) FROM (SELECT x / 1000.0 AS z FROM t)`,
  },
];

function collectBound(n) {
  return Math.min(1001, Math.max(1, Math.round(5e7 / n)));
}
