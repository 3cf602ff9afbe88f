// Long differential runs against the built dist: npm run fuzz -- --runs 100000 [--seed S]
// [--backend interpret] [--path P] [--error-classes exact|failure] [--batch N].
// Runs go in batches (seed, seed+1, ...) so progress shows; a mismatch prints the seed and path
// that replay it (--seed S --path P --runs 1).

import { parseArgs } from 'node:util';
import { checkBackend, formatReport, interpreterBackend } from '../dist/testing/index.js';

// Backends by name; each loads lazily so an engine's dependencies load only when asked for.
const backends = {
  interpret: async () => interpreterBackend,
  duckdb: async () => (await import('../dist/backends/duckdb/index.js')).duckdbBackend(),
};

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    path: { type: 'string' },
    backend: { type: 'string', default: 'interpret' },
    'error-classes': { type: 'string', default: 'exact' },
    batch: { type: 'string', default: '10000' },
  },
});

const load = backends[values.backend];
if (!load) {
  console.error(`unknown backend ${JSON.stringify(values.backend)}; known: ${Object.keys(backends).join(', ')}`);
  process.exit(2);
}
const errorClasses = values['error-classes'];
if (errorClasses !== 'exact' && errorClasses !== 'failure') {
  console.error('--error-classes is exact or failure');
  process.exit(2);
}
const total = Number(values.runs);
const batch = Number(values.batch);
if (!(Number.isInteger(total) && total > 0 && Number.isInteger(batch) && batch > 0)) {
  console.error('--runs and --batch take positive integers');
  process.exit(2);
}
const backend = await load();
const base = values.seed === undefined ? (Date.now() ^ (Math.random() * 0x100000000)) | 0 : Number(values.seed);

const sum = { runs: 0, compared: 0, skipped: 0, agreedErrors: 0, classDifferences: 0 };
const start = performance.now();
let failed = false;
for (let i = 0; sum.runs < total && !failed; i++) {
  const runs = values.path ? total : Math.min(batch, total - sum.runs);
  const report = await checkBackend(backend, { runs, seed: (base + i) | 0, path: values.path, errorClasses });
  for (const k of Object.keys(sum)) sum[k] += report[k];
  const secs = (performance.now() - start) / 1000;
  if (report.mismatches.length > 0) {
    console.log(formatReport(report));
    failed = true;
  } else {
    console.log(`batch ${i} (seed ${report.seed}): ${sum.runs}/${total} programs, ${(sum.runs / secs).toFixed(0)} runs/s`);
  }
  if (values.path) break;
}
const secs = (performance.now() - start) / 1000;
console.log(
  `${failed ? 'FAIL' : 'ok'} ${backend.name}: ${sum.runs} programs in ${secs.toFixed(1)} s (${(sum.runs / secs).toFixed(0)} runs/s), ` +
    `${sum.compared} compared, ${sum.agreedErrors} both raised, ${sum.skipped} skipped` +
    (sum.classDifferences > 0 ? `, ${sum.classDifferences} error class differences` : '') +
    `, ${failed ? 1 : 0} mismatches, seed ${base}`,
);
process.exit(failed ? 1 : 0);
