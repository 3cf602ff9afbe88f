// Differentiation (issue 7): what `Gradient` costs once the pass (src/passes/differentiate.ts)
// has rewritten it into plain IR.
//
//   descent: gradient descent of a logistic regression, BENCH_GRAD_STEPS (300) steps over a
//            DuckDB table d(x, y) of BENCH_GRAD_ROWS (100,000) rows, learning rate
//            BENCH_GRAD_LR (7), as one recursive query: a StreamFold whose step takes
//            `Gradient (w b)` of the mean log-loss softplus(z) - y z, z = w x + b. Against the
//            same descent as a client loop (each step's `Gradient` compiled by irc with w, b as
//            literals, one query per step through the embedded API, the update in JS), and a
//            recursive CTE with the gradient written by hand, in the fastest form we found (the
//            step's aggregate reads the accumulator through a subquery of the working table,
//            as bench/lift.mjs). The data make the optimum exact: at x = 0 one label of four is
//            1, at x = 1 three of four, so sigmoid(b) = 1/4, sigmoid(w + b) = 3/4, i.e.
//            w = 2 ln 3, b = -ln 3. The rate 7 is near 2 / (sum of the Hessian's eigenvalues
//            at the optimum), 64/9, the fastest fixed rate (examples/logistic.ir).
//            BENCH_DUCKDB=0 skips it.
//   size:    P partials of one-hidden-layer MLP losses (src/testing/models.ts, mlpLoss(2, h) for
//            h in BENCH_GRAD_HIDDEN, 4,32,256: P = 16, 128, 1024, and the 129-parameter loss
//            with an output bias, for xarray-sql's published grad() sizes): IR nodes of the
//            loss and of its differentiated Gradient, the SQL irc emits for the program, and
//            the time of the pass and of compileSql. With, for P <= BENCH_GRAD_FORWARD_MAX
//            (129), the forward-mode baseline: P `Grad`s differentiated apart, one sweep each.
//
// The warm-up runs every side of the descent for BENCH_GRAD_CHECK_STEPS (5) steps and checks
// that they agree to 1e-9: a short run, because after 300 steps every side sits on the same
// fixed point whatever its gradient; after 5 the iterates still move, so agreement there
// checks the gradients. The timed runs then check again. Each side runs BENCH_GRAD_REPS
// times, alternating; the table shows medians and the median of each round's ratio. The
// default is one rep: irc's recursive query and the client loop each took about a minute at
// the default sizes (a shared 2-CPU machine), which alone fills the section's budget.
import os from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { compileSql, describeSources } from '../dist/backends/duckdb/index.js';
import { parse } from '../dist/parse/index.js';
import { countNodes } from '../dist/ir/walk.js';
import { differentiate } from '../dist/passes/differentiate.js';
import { mlpLoss } from '../dist/testing/models.js';

const rows = Number(process.env.BENCH_GRAD_ROWS ?? 100_000);
const steps = Number(process.env.BENCH_GRAD_STEPS ?? 300);
const lr = Number(process.env.BENCH_GRAD_LR ?? 7);
const reps = Number(process.env.BENCH_GRAD_REPS ?? 1);
const checkSteps = Number(process.env.BENCH_GRAD_CHECK_STEPS ?? 5);
const hidden = (process.env.BENCH_GRAD_HIDDEN ?? '4,32,256').split(',').map(Number);
const forwardMax = Number(process.env.BENCH_GRAD_FORWARD_MAX ?? 129);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const bytes = (s) => Buffer.byteLength(s, 'utf8');
const int = (n) => Math.round(n).toLocaleString('en-US');

function printTable(head, lines, right) {
  const widths = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
  const show = (cells) => '| ' + cells.map((c, j) => (right.has(j) ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join(' | ') + ' |';
  console.log(show(head));
  console.log('|' + widths.map((w, j) => (right.has(j) ? '-'.repeat(w + 1) + ':' : ':' + '-'.repeat(w + 1))).join('|') + '|');
  for (const l of lines) console.log(show(l));
}

const load = `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`;

// ---- descent ------------------------------------------------------------------------------------

if (process.env.BENCH_DUCKDB !== '0') {
  const reader = JSON.stringify(JSON.stringify({ name: 'DuckDBTableReader', table: 'd' }));
  const D = `(TableRead Table{global:Struct{},key:[],row:Struct{x:Float64,y:Float64}} False ${reader})`;
  const bin = (op, a, b) => `(ApplyBinaryPrimOp ${op} ${a} ${b})`;
  const field = (f) => `(GetField ${f} (Ref row))`;
  // mean over d of softplus(z) - y z, z = w x + b; w and b free.
  const loss = `(TableAggregate ${D}
    ${bin('FloatingPointDivide',
      `(ApplyAggOp Sum () ((Let eval z ${bin('Add', bin('Multiply', '(Ref w)', field('x')), '(Ref b)')}
        ${bin('Subtract', '(Apply -1 softplus () Float64 (Ref z))', bin('Multiply', field('y'), '(Ref z)'))})))`,
      '(Cast Float64 (ApplyAggOp Count () ()))')})`;
  // (String(x) is the shortest text that reads back as x; the reader takes 1e-7 and 0.)
  const f64 = (x) => `(F64 ${String(x)})`;
  const update = (k) => bin('Subtract', `(Ref ${k})`, bin('Multiply', f64(lr), `(GetField ${k} (Ref g))`));
  const descentIR = (n) => `(StreamFold acc i (StreamRange 0 False (I32 0) (I32 ${n}) (I32 1))
    (MakeStruct (w (F64 0.0)) (b (F64 0.0)))
    (Let eval w (GetField w (Ref acc)) (Let eval b (GetField b (Ref acc))
      (Let eval g (Gradient (w b) ${loss})
        (MakeStruct (w ${update('w')}) (b ${update('b')}))))))`;
  const stepIR = (w, b) => `(Let eval w ${f64(w)} (Let eval b ${f64(b)} (Gradient (w b) ${loss})))`;

  // d/dw = mean((sigmoid(z) - y) x), d/db = mean(sigmoid(z) - y). The accumulator comes in as
  // a subquery of the working table joined inside the aggregate (fastest of the forms we
  // tried: two scalar subqueries, a LATERAL join, the accumulator's columns read directly).
  const sigmoid = (z) => `(1.0 / (1.0 + exp(-(${z}))))`;
  const handSQL = (n) => `WITH RECURSIVE g(i, w, b) AS (SELECT 0, 0.0::DOUBLE, 0.0::DOUBLE UNION ALL
    SELECT g.i + 1, g.w - ${lr} * s.gw, g.b - ${lr} * s.gb
    FROM g, (SELECT sum(e * x) / count(*) AS gw, sum(e) / count(*) AS gb
             FROM (SELECT ${sigmoid('p.w * x + p.b')} - y AS e, x FROM d, (SELECT w, b FROM g) AS p)) AS s
    WHERE g.i < ${n})
  SELECT w, b FROM g WHERE i = ${n}`;

  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const t0 = performance.now();
  // NOT NULL, as a table of training data is: irc then knows no row's loss is missing.
  await conn.run('CREATE TABLE d (x DOUBLE NOT NULL, y DOUBLE NOT NULL)');
  await conn.run(`INSERT INTO d SELECT (range % 2)::DOUBLE AS x,
    CASE WHEN (range % 2 = 0 AND range % 8 = 0) OR (range % 2 = 1 AND range % 8 <> 7) THEN 1.0 ELSE 0.0 END::DOUBLE AS y
    FROM range(${rows})`);
  const built = performance.now() - t0;
  const sources = await describeSources(conn, parse(stepIR(0, 0)));

  const compiled = (n) => {
    const t = performance.now();
    const sql = compileSql(parse(descentIR(n)), sources);
    return { sql, ms: performance.now() - t };
  };
  const irc = { [checkSteps]: compiled(checkSteps), [steps]: compiled(steps) };
  const recursive = (irc[steps].sql.match(/WITH RECURSIVE/g) ?? []).length;
  const hand = { [checkSteps]: handSQL(checkSteps), [steps]: handSQL(steps) };
  const first = async (sql) => (await conn.runAndReadAll(sql)).getRowsJS()[0];
  let stepBytes = 0;
  const clientCompileMs = [];
  const sides = [
    ['irc, one recursive query', async (n) => (await first(irc[n].sql))[0]],
    [`client loop (${steps} queries)`, async (n) => {
      let w = 0, b = 0;
      let compileMs = 0;
      for (let k = 0; k < n; k++) {
        const t = performance.now();
        const sql = compileSql(parse(stepIR(w, b)), sources);
        compileMs += performance.now() - t;
        if (k === 0) stepBytes = bytes(sql);
        const g = (await first(sql))[0];
        // The same double arithmetic as the fold's update: w - lr * dw.
        w = w - lr * g.w;
        b = b - lr * g.b;
      }
      if (n === steps) clientCompileMs.push(compileMs);
      return { w, b };
    }],
    ['hand, fastest found', async (n) => {
      const [w, b] = await first(hand[n]);
      return { w, b };
    }],
  ];
  const timed = async (run, n) => {
    const t = performance.now();
    const v = await run(n);
    return [performance.now() - t, v];
  };
  const agree = (rs) => rs.every((r) => close(r.w, rs[0].w) && close(r.b, rs[0].b));
  const warm = [];
  for (const [, run] of sides) warm.push(await run(checkSteps));
  const ms = sides.map(() => []);
  const results = [];
  const warmAgree = agree(warm);
  let timedAgree = true;
  for (let k = 0; k < reps; k++) {
    const round = [];
    for (const [j, [, run]] of sides.entries()) {
      const [t, v] = await timed(run, steps);
      ms[j].push(t);
      round.push(v);
    }
    if (!agree(round)) {
      timedAgree = false;
      console.log(`SIDES DISAGREE after ${steps} steps: ${round.map((r) => `(${r.w}, ${r.b})`).join(', ')}`);
    }
    if (k === 0) results.push(...round);
  }
  conn.closeSync();
  instance.closeSync();

  const W = 2 * Math.log(3), B = -Math.log(3);
  console.log(`\ngradient descent of a logistic regression on DuckDB: d ${rows.toLocaleString('en-US')} rows (built in ${(built / 1000).toFixed(1)} s), ` +
    `${steps} steps, rate ${lr}; median of ${reps} alternating run${reps === 1 ? '' : 's'} after a ${checkSteps}-step warm-up; ${load}`);
  if (recursive !== 1) console.log(`irc's query has ${recursive} WITH RECURSIVE, not 1`);
  const lines = sides.map(([name], j) => [
    name,
    j === 1 ? `${int(stepBytes)} each` : int(bytes(j === 0 ? irc[steps].sql : hand[steps])),
    j === 0 ? irc[steps].ms.toFixed(0) : j === 1 ? median(clientCompileMs).toFixed(0) : '-',
    median(ms[j]).toFixed(0),
    j === 0 ? '-' : median(ms[0].map((t, k) => t / ms[j][k])).toFixed(2),
    String(results[j].w),
    String(results[j].b),
    Math.max(Math.abs(results[j].w - W), Math.abs(results[j].b - B)).toExponential(1),
  ]);
  printTable(['side', 'SQL bytes', 'compile ms', 'ms', 'irc / this', 'w', 'b', 'distance to optimum'], lines, new Set([1, 2, 3, 4, 7]));
  if (!warmAgree) console.log(`SIDES DISAGREE after ${checkSteps} steps: ${warm.map((r) => `(${r.w}, ${r.b})`).join(', ')}`);
  if (warmAgree && timedAgree) console.log(`all sides agree to 1e-9 after ${checkSteps} steps and after ${steps}; irc's query has ${recursive} WITH RECURSIVE; the client loop's ms include its compile ms`);
}

// ---- size ---------------------------------------------------------------------------------------

// The partials are differentiated with the parameters as free Float64 variables (typecheck's
// env), so the output is the derivative alone: nothing to step past, and no constant written
// into it by the simplifier.
const freeParams = (m) => ({ env: new Map(m.params.map((p) => [p, { kind: 'Float64' }])) });

/** `f`'s result and the median of its times over up to `reps` runs (fewer past `budgetMs`). */
function timeOf(f, reps = 5, budgetMs = 2000) {
  const times = [];
  let out;
  const start = performance.now();
  for (let k = 0; k < reps && (k === 0 || performance.now() - start < budgetMs); k++) {
    const t = performance.now();
    out = f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { out, ms: times[times.length >> 1] };
}

const models = [...hidden.map((h) => ({ label: `mlpLoss(2, ${h})`, m: mlpLoss(2, h) })), { label: 'mlpLoss(2, 32, outputBias)', m: mlpLoss(2, 32, { outputBias: true }) }]
  .sort((a, b) => a.m.params.length - b.m.params.length);
const sizeLines = [];
const failures = [];
let xarray;
for (const { label, m } of models) {
  const P = m.params.length;
  const lossNodes = countNodes(parse(m.body));
  const program = parse(m.program((b) => `(Gradient (${m.params.join(' ')}) ${b})`));
  const d = timeOf(() => differentiate(parse(`(Gradient (${m.params.join(' ')}) ${m.body})`), freeParams(m)).ir);
  const gradNodes = countNodes(d.out);
  // compileSql runs prepare(), so its time includes the pass.
  let sql, sqlMs, err;
  try {
    const c = timeOf(() => compileSql(program), 3, 5000);
    sql = c.out;
    sqlMs = c.ms;
  } catch (e) {
    err = String(e).split('\n')[0];
  }
  // Forward-mode baseline: one sweep per parameter. The P Grads go through the pass apart,
  // since it merges Grads of one body in one strict region into a single Gradient (so a
  // MakeStruct of P Grads would cost what the Gradient costs).
  let fwd = ['-', '-', '-'];
  if (P <= forwardMax) {
    let nodes = 0, fms = 0;
    for (const p of m.params) {
      const ir = parse(`(Grad ${p} ${m.body})`);
      const t = performance.now();
      const out = differentiate(ir, freeParams(m)).ir;
      fms += performance.now() - t;
      nodes += countNodes(out);
    }
    fwd = [int(nodes), (nodes / gradNodes).toFixed(1), fms.toFixed(0)];
  }
  if (P === 129) xarray = sql === undefined ? 'fails' : `${(bytes(sql) / 1000).toFixed(1)} KB`;
  if (err !== undefined) failures.push(`${label}: compileSql fails: ${err}`);
  sizeLines.push([label, String(P), int(lossNodes), int(gradNodes), (gradNodes / lossNodes).toFixed(2), ...fwd,
    sql === undefined ? 'fails (below)' : int(bytes(sql)), d.ms.toFixed(1), sqlMs === undefined ? '-' : sqlMs.toFixed(0)]);
}
console.log(`\nsize of P partials: MLP losses over 20 rows of TableRange; times are medians of up to 5 runs (pass) and 3 (compileSql); ${load}`);
printTable(['loss', 'P', 'loss IR nodes', 'Gradient IR nodes', 'x loss', `P Grads apart: nodes`, 'x Gradient', 'apart: pass ms', 'SQL bytes', 'pass ms', 'compileSql ms'],
  sizeLines, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
for (const f of failures) console.log(f);
if (xarray !== undefined) console.log(`129 parameters: irc's SQL ${xarray}; xarray-sql grad() (published): 445 KB in forward mode without sharing, 4.3 KB with sharing`);
