// SQL size with and without requiredness (docs/design/requiredness.md): the DuckDB benchmark
// queries and 2,000 random programs. Run after `npm run build`: node bench/requiredness-sql.mjs
import fc from 'fast-check';
import { parse } from '../dist/parse/index.js';
import { compileProgram } from '../dist/backends/duckdb/run.js';
import { arbProgram, defaultExclude, usesExcluded } from '../dist/testing/index.js';
const { queries } = await import('../bench/duckdb-queries.mjs');
const size = (ir, use) => { const r = compileProgram(ir, { useRequiredness: use }); return r.main.length + (r.global?.length ?? 0); };
let a = 0, b = 0;
for (const q of queries) { const ir = parse(q.ir(1000)); const x = size(ir, false), y = size(ir, true); a += x; b += y; console.log(q.name.padEnd(24), x, y, (y / x).toFixed(3)); }
console.log('bench total', a, b, (b / a).toFixed(3));
let ra = 0, rb = 0, n = 0, changed = 0;
for (const ir of fc.sample(arbProgram({ exclude: defaultExclude }), { seed: 42, numRuns: 2000 })) {
  if (usesExcluded(ir)) continue;
  let x, y; try { x = size(ir, false); y = size(ir, true); } catch { continue; }
  ra += x; rb += y; n++; if (y < x) changed++;
}
console.log(`random: ${n} programs, ${changed} smaller, total ${ra} -> ${rb} (${(rb / ra).toFixed(3)})`);
