// One measurement in a fresh process, so peak memory belongs to this program size alone.
// Usage: node bench/one.mjs <shape> <nodes> <reps>; prints one JSON line.
import { parse, typecheck, printIR, countNodes } from '../dist/index.js';
import { shapes } from './programs.mjs';

const [shape, n, reps] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 1)];
const text = shapes[shape](n);
// The fastest of several runs: this VM's timings vary by up to 2x between runs at 10^6 nodes
// (garbage collection with large heaps), and the minimum is the least noisy estimate.
const best = (xs) => Math.min(...xs);
const time = (f) => {
  const t = process.hrtime.bigint();
  const r = f();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
};
const parseMs = [];
const checkMs = [];
const printMs = [];
let nodes = 0;
let outChars = 0;
let heapPeak = 0;
// Untimed runs first, so small sizes measure compiled code rather than JIT warm-up.
for (let i = 0; i < (n <= 10_000 ? 5 : n <= 100_000 ? 1 : 0); i++) printIR(parse(text));
for (let i = 0; i < reps; i++) {
  globalThis.gc?.();
  const [pt, ir] = time(() => parse(text));
  const [ct, info] = time(() => typecheck(ir));
  if (info.diagnostics.length > 0) throw new Error(`benchmark program does not type-check: ${info.diagnostics[0].message}`);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  const [wt, printed] = time(() => printIR(ir));
  outChars = printed.length;
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  nodes = countNodes(ir);
  parseMs.push(pt);
  checkMs.push(ct);
  printMs.push(wt);
}
console.log(JSON.stringify({
  shape, target: n, nodes, chars: text.length, outChars,
  parse: best(parseMs), check: best(checkMs), print: best(printMs),
  heapMB: heapPeak / 2 ** 20, rssMB: process.resourceUsage().maxRSS / 1024,
}));
