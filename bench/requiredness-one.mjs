// One requiredness measurement in a fresh process (issue 5). Usage:
//   node --expose-gc bench/requiredness-one.mjs <nodes> <reps> <naive: 0|1>
// Prints one JSON line: the analysis time (fastest of <reps> runs, wall clock and this process's
// CPU time, which other processes on the machine disturb less), and with naive=1 the same for
// Hail's way (the whole program, then again for the subtree of every table node), run once.
import { parse, typecheck, analyzeRequiredness, countNodes, forEachNode, isTableIR } from '../dist/index.js';
import { requirednessProgram } from './programs.mjs';

const [n, reps, naive] = [Number(process.argv[2]), Number(process.argv[3] ?? 3), process.argv[4] === '1'];
const ir = parse(requirednessProgram(n));
const info = typecheck(ir);
if (info.diagnostics.length > 0) throw new Error(`benchmark program does not type-check: ${info.diagnostics[0].message}`);
const tables = [];
forEachNode(ir, (x) => {
  if (isTableIR(x)) tables.push(x);
});
const time = (f) => {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  const r = f();
  const d = process.cpuUsage(c);
  return [Number(process.hrtime.bigint() - t) / 1e6, (d.user + d.system) / 1000, r];
};
// Untimed runs first, so small sizes measure compiled code rather than JIT warm-up.
for (let i = 0; i < (n <= 10_000 ? 5 : n <= 100_000 ? 1 : 0); i++) analyzeRequiredness(ir, info.types);
const ms = [];
const cpu = [];
let required = false;
for (let i = 0; i < reps; i++) {
  globalThis.gc?.();
  const [t, c, r] = time(() => analyzeRequiredness(ir, info.types));
  ms.push(t);
  cpu.push(c);
  required = r.isRequired(ir);
}
// The machine's own step: a Map keyed by node, set and read once per node, and the types read
// (what any node-keyed side table costs), timed the same way. Its growth per 10x is what the
// memory hierarchy adds to a linear pass once its tables outgrow the caches.
const nodes = [];
forEachNode(ir, (x) => {
  nodes.push(x);
});
const mapRun = () => {
  const m = new Map();
  let k = 0;
  for (const x of nodes) if (m.get(x) === undefined && info.types.get(x) !== undefined) m.set(x, k++);
  return m.size;
};
for (let i = 0; i < (n <= 10_000 ? 5 : n <= 100_000 ? 1 : 0); i++) mapRun();
const mapMs = [];
for (let i = 0; i < reps; i++) {
  globalThis.gc?.();
  mapMs.push(time(mapRun)[0]);
}
let naiveMs = null;
let naiveCpu = null;
if (naive) {
  globalThis.gc?.();
  [naiveMs, naiveCpu] = time(() => {
    analyzeRequiredness(ir, info.types);
    for (const t of tables) analyzeRequiredness(t, info.types);
  });
}
console.log(JSON.stringify({
  target: n, nodes: countNodes(ir), tables: tables.length, ms: Math.min(...ms), cpu: Math.min(...cpu), mapMs: Math.min(...mapMs), naiveMs, naiveCpu, required,
  rssMB: process.resourceUsage().maxRSS / 1024,
}));
