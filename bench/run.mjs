// `npm run bench`: parse, type-check and print times (fastest of 15/5/3 runs) and peak memory
// for generated programs
// of 10^3..10^6 nodes, with the growth ratio of each size to the previous one (target: <= 12
// per 10x, i.e. near-linear). Each size runs in its own process. Printing is linear in the
// text it writes; for a balanced tree that text grows a little faster than the node count,
// because lines are indented by depth (capped at 60 columns).
// Sections, all by default or those named: `node --expose-gc bench/run.mjs requiredness` runs
// only the requiredness one (sections: front, interpret, duckdb, requiredness, lift, grad).
import { execFileSync } from 'node:child_process';

const only = process.argv.slice(2);
const want = (section) => only.length === 0 || only.includes(section);

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000,1000000').split(',').map(Number);
const shapes = (process.env.BENCH_SHAPES ?? 'let,balanced,table').split(',');
const fmt = (x, d = 1) => (x >= 100 ? x.toFixed(0) : x.toFixed(d));

for (const shape of want('front') ? shapes : []) {
  const rows = [];
  for (const n of sizes) {
    const reps = n <= 10_000 ? 15 : n <= 100_000 ? 5 : 3;
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', 'bench/one.mjs', shape, String(n), String(reps)], {
      encoding: 'utf8',
    });
    rows.push(JSON.parse(out.trim().split('\n').pop()));
  }
  console.log(`\nshape: ${shape}`);
  const head = ['nodes', 'in chars', 'parse ms', 'x', 'check ms', 'x', 'out chars', 'print ms', 'x', 'heap MB', 'peak RSS MB'];
  const lines = rows.map((r, i) => {
    const p = rows[i - 1];
    const ratio = (k) => (p ? (r[k] / p[k]).toFixed(1) : '-');
    return [String(r.nodes), String(r.chars), fmt(r.parse), ratio('parse'), fmt(r.check), ratio('check'), String(r.outChars), fmt(r.print), ratio('print'), fmt(r.heapMB), fmt(r.rssMB)];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
  const show = (cells) => '| ' + cells.map((c, j) => c.padStart(widths[j])).join(' | ') + ' |';
  console.log(show(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(show(l));
}

// Reference interpreter: a filter plus an aggregate over TableRange (issue 3); constant memory
// is the point, so peak RSS should not grow with the row count.
if (want('interpret')) {
  const rows = (process.env.BENCH_ROWS ?? '1000000,10000000').split(',').map(Number);
  console.log('\ninterpreter: TableAggregate (Count, Sum) of TableFilter (idx mod 7 < 3) over TableRange n');
  const head = ['rows', 'ms', 'rows/s', 'peak RSS MB'];
  const lines = rows.map((n) => {
    const r = JSON.parse(execFileSync(process.execPath, ['bench/interpret-one.mjs', String(n)], { encoding: 'utf8' }).trim());
    return [String(r.rows), fmt(r.ms), Math.round(r.rowsPerSec).toLocaleString('en-US'), fmt(r.rssMB)];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
  const show = (cells) => '| ' + cells.map((c, j) => c.padStart(widths[j])).join(' | ') + ' |';
  console.log(show(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(show(l));
}

// DuckDB backend (issue 4): compile time per IR node, then irc's SQL against hand-written SQL
// on a 10,000,000-row table. BENCH_DUCKDB=0 skips both; BENCH_DUCKDB_ROWS and
// BENCH_DUCKDB_COMPILE_SIZES size them (see bench/duckdb.mjs, bench/duckdb-compile.mjs).
if (want('duckdb') && process.env.BENCH_DUCKDB !== '0') {
  execFileSync(process.execPath, ['--expose-gc', 'bench/duckdb-compile.mjs'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['bench/duckdb.mjs'], { stdio: 'inherit' });
}

// Requiredness (issue 5): the analysis once against a recomputation per table subtree.
if (want('requiredness')) execFileSync(process.execPath, ['--expose-gc', 'bench/requiredness.mjs'], { stdio: 'inherit' });

// Nested queries (issue 6): a filter with a nested aggregate over 10,000,000 rows, and a
// 100-step fold aggregating 1,000,000 rows per step, against hand SQL and a client loop.
if (want('lift') && process.env.BENCH_DUCKDB !== '0') execFileSync(process.execPath, ['bench/lift.mjs'], { stdio: 'inherit' });

// Differentiation (issue 7): gradient descent of a logistic regression with `Gradient` as one
// recursive query on DuckDB, against a client loop and hand SQL (BENCH_DUCKDB=0 skips that
// part), and the size of P partials of MLP losses after the pass (see bench/grad.mjs).
// (A larger stack, within the thread's 8 MB: the SQL emitter recurses per nesting level, and
// the 1,024 parameters are 1,024 nested lets.)
if (want('grad')) execFileSync(process.execPath, ['--stack-size=7000', 'bench/grad.mjs'], { stdio: 'inherit' });
