// DuckDB backend benchmark (issue 4), compile time per IR node: parse + type-check (`check`)
// and, separately, compileSql, for generated programs of about 10^3, 10^4 and 10^5 nodes
// (BENCH_DUCKDB_COMPILE_SIZES), with each size's time over the previous one's (~10 is linear).
// Times are the fastest of 15/5/3 runs, after untimed warm-up runs.
import { countNodes } from '../dist/index.js';
import { check } from '../dist/passes/pipeline.js';
import { letProgram, tableProgram } from './programs.mjs';

/** A balanced tree of Int64 additions over row fields and constants, summed over a TableRange. */
function aggTreeProgram(nodes) {
  const leaves = Math.max(1, Math.floor(nodes / 3));
  const out = [];
  const stack = [leaves];
  let i = 0;
  while (stack.length > 0) {
    const k = stack.pop();
    if (k === ')') out.push(')');
    else if (k <= 1) out.push(i++ % 2 ? '(I64 3)' : '(Cast Int64 (GetField idx (Ref row)))');
    else {
      out.push('(ApplyBinaryPrimOp Add ');
      stack.push(')', k - (k >> 1), k >> 1);
    }
  }
  return `(TableAggregate (TableRange 1000 None) (ApplyAggOp Sum () (${out.join('')})))`;
}

const shapes = { let: letProgram, 'agg-tree': aggTreeProgram, table: tableProgram };

let compileSql;
try {
  ({ compileSql } = await import('../dist/backends/duckdb/index.js'));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
}
if (typeof compileSql !== 'function') {
  console.log('\nDuckDB compile time: dist/backends/duckdb/index.js has no compileSql yet (issue 4); skipped.');
  process.exit(0);
}

const sizes = (process.env.BENCH_DUCKDB_COMPILE_SIZES ?? '1000,10000,100000').split(',').map(Number);
const best = (xs) => Math.min(...xs);
async function time(f) {
  const t = process.hrtime.bigint();
  const r = await f();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}
const sqlText = (r) => (typeof r === 'string' ? r : r.sql);
const fmt = (x, d = 1) => (x >= 100 ? x.toFixed(0) : x.toFixed(d));

console.log('\nDuckDB compile time per IR node: parse + type-check (check) and compileSql, fastest of 15/5/3 runs');
for (const [shape, generate] of Object.entries(shapes)) {
  const rows = [];
  for (const n of sizes) {
    const text = generate(n);
    const reps = n <= 10_000 ? 15 : n <= 100_000 ? 5 : 3;
    const checkMs = [];
    const compileMs = [];
    let nodes = 0;
    let sqlChars = 0;
    let error;
    let stage = 'check';
    try {
      const ir = check(text).ir;
      stage = 'compileSql';
      for (let i = 0; i < (n <= 10_000 ? 5 : 1); i++) await compileSql(ir);
      for (let i = 0; i < reps; i++) {
        globalThis.gc?.();
        stage = 'check';
        const [ct, checked] = await time(() => check(text));
        stage = 'compileSql';
        const [st, sql] = await time(() => compileSql(checked.ir));
        checkMs.push(ct);
        compileMs.push(st);
        nodes = countNodes(checked.ir);
        sqlChars = sqlText(sql).length;
      }
    } catch (e) {
      error = `${stage}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
    rows.push({ n, nodes, sqlChars, check: checkMs.length ? best(checkMs) : NaN, compile: compileMs.length ? best(compileMs) : NaN, error });
  }
  console.log(`\nshape: ${shape}`);
  const head = ['nodes', 'check ms', 'us/node', 'x', 'compileSql ms', 'us/node', 'x', 'SQL chars'];
  const lines = rows.map((r, i) => {
    if (r.error) return [String(r.n), '-', '-', '-', '-', '-', '-', `failed: ${r.error}`];
    const p = rows[i - 1];
    const ratio = (k) => (p && !p.error ? (r[k] / p[k]).toFixed(1) : '-');
    const per = (k) => ((r[k] * 1000) / r.nodes).toFixed(2);
    return [String(r.nodes), fmt(r.check), per('check'), ratio('check'), fmt(r.compile), per('compile'), ratio('compile'), String(r.sqlChars)];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
  const show = (cells) => '| ' + cells.map((c, j) => c.padStart(widths[j])).join(' | ') + ' |';
  console.log(show(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|');
  for (const l of lines) console.log(show(l));
}
