// Classifies random programs on the DuckDB backend the way test/duckdb-differential.test.ts
// does, for runs longer than CI's: node scripts/fuzz-classify.mjs [programs] [first seed].
// Prints running counts; writes programs with different values to wrong-programs.txt.

import fc from 'fast-check';
import { appendFileSync } from 'node:fs';
import { arbProgram, backendOutcome, classify, defaultExclude, interpretOutcome, usesExcluded } from '../dist/testing/index.js';
import { duckdbBackend } from '../dist/backends/duckdb/index.js';
import { printIR } from '../dist/ir/print.js';

const total = Number(process.argv[2] ?? 10_000);
const first = Number(process.argv[3] ?? 1);
const backend = await duckdbBackend();
const counts = { same: 0, skipped: 0, oneSided: 0, rejected: 0, wrong: 0 };
const start = performance.now();
for (let batch = 0; batch * 1000 < total; batch++) {
  const seed = first + batch;
  for (const ir of fc.sample(arbProgram({ exclude: defaultExclude }), { seed, numRuns: Math.min(1000, total - batch * 1000) })) {
    if (usesExcluded(ir) || !backend.supports(ir)) {
      counts.skipped++;
      continue;
    }
    const { verdict, reason } = classify(interpretOutcome(ir), await backendOutcome(backend, ir), ir);
    counts[verdict]++;
    if (verdict === 'wrong') appendFileSync('wrong-programs.txt', `--- seed ${seed}: ${reason}\n${printIR(ir)}\n`);
  }
  console.log(`${Math.min(total, (batch + 1) * 1000)} programs, ${((performance.now() - start) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
}
backend.close();
if (counts.wrong > 0) process.exit(1);
