// The requiredness section of `npm run bench` (issue 5); alone: node --expose-gc bench/run.mjs requiredness.
// Analysis time on programs of 10^4, 10^5 and 10^6 nodes (table pipelines nested in value code,
// loops in their rows: bench/programs.mjs), with the growth per 10x (target <= 12: linear), in
// wall-clock time and in this process's CPU time (steadier on a busy machine),
// beside the naive way Hail recomputes it: again for the subtree of every table node. Each size
// runs in its own process. The naive runs stop once one would take longer than
// BENCH_REQ_NAIVE_BUDGET seconds (default 60), judged from the previous size's growth.
import { execFileSync } from 'node:child_process';

const sizes = (process.env.BENCH_REQ_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const budget = Number(process.env.BENCH_REQ_NAIVE_BUDGET ?? 60) * 1000;
const fmt = (x, d = 1) => (x === null ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(d));

// Rounds: every size once per round, interleaved, each size keeping its fastest round, so a
// burst of load on the machine spoils one round of one size rather than one ratio.
const rounds = Number(process.env.BENCH_REQ_ROUNDS ?? 3);
const rows = [];
for (let round = 0; round < rounds; round++) {
  for (const [i, n] of sizes.entries()) {
    const reps = n <= 10_000 ? 15 : n <= 100_000 ? 9 : 5;
    // The naive time grows faster than the size: predict it from the last two sizes (first round only).
    const [a, b] = [rows[i - 2], rows[i - 1]];
    const growth = a && b && a.naiveMs && b.naiveMs ? b.naiveMs / a.naiveMs : 40;
    const naive = round === 0 && (i === 0 || (b?.naiveMs != null && b.naiveMs * growth * (n / b.target / 10) <= budget));
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', 'bench/requiredness-one.mjs', String(n), String(reps), naive ? '1' : '0'], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop());
    const best = rows[i];
    if (best === undefined) rows[i] = r;
    else for (const k of ['ms', 'cpu', 'mapMs', 'rssMB']) best[k] = k === 'rssMB' ? Math.max(best[k], r[k]) : Math.min(best[k], r[k]);
  }
}

console.log(`\nrequiredness: analysis of the whole program once, and naively (again per table node subtree, as Hail does); fastest of ${rounds} rounds`);
const head = ['nodes', 'table nodes', 'once ms', 'x', 'cpu ms', 'us/node', 'x', 'map ms', 'x', 'naive ms', 'x', 'naive cpu ms', 'x', 'naive/once', 'peak RSS MB'];
const lines = rows.map((r, i) => {
  const p = rows[i - 1];
  const ratio = (k) => (p && p[k] && r[k] ? (r[k] / p[k]).toFixed(1) : '-');
  const skipped = r.naiveMs === null;
  return [
    String(r.nodes), String(r.tables), fmt(r.ms), ratio('ms'), fmt(r.cpu), ((r.cpu * 1000) / r.nodes).toFixed(2), ratio('cpu'), fmt(r.mapMs, 2), ratio('mapMs'),
    skipped ? 'skipped' : fmt(r.naiveMs), ratio('naiveMs'), skipped ? 'skipped' : fmt(r.naiveCpu), ratio('naiveCpu'),
    skipped ? '-' : (r.naiveCpu / r.cpu).toFixed(0), fmt(r.rssMB),
  ];
});
const widths = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
const show = (cells) => '| ' + cells.map((c, j) => c.padStart(widths[j])).join(' | ') + ' |';
console.log(show(head));
console.log('|' + widths.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|');
for (const l of lines) console.log(show(l));
console.log('map ms: one Map keyed by node, set and read per node, and the types read (the baseline any node-keyed side table pays; its x is the memory hierarchy, not the pass)');
