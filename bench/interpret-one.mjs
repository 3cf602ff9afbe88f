// One interpreter measurement in a fresh process: filter + aggregate over TableRange n.
// Usage: node bench/interpret-one.mjs <rows>; prints one JSON line.
import { parse } from '../dist/index.js';
import { interpret } from '../dist/backends/interpret/index.js';

const n = Number(process.argv[2]);
const program = `(TableAggregate
  (TableFilter (TableRange ${n} None)
    (ApplyComparisonOp LT (Apply -1 mod () Int32 (GetField idx (Ref row)) (I32 7)) (I32 3)))
  (MakeStruct
    (n (ApplyAggOp Count () ()))
    (s (ApplyAggOp Sum () ((Cast Int64 (GetField idx (Ref row))))))))`;
const ir = parse(program);
const t = process.hrtime.bigint();
const r = interpret(ir);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
// Checked by hand: idx mod 7 in {0,1,2}.
let count = 0n;
let sum = 0n;
for (let i = 0; i < n; i++) if (i % 7 < 3) {
  count++;
  sum += BigInt(i);
}
if (r.value[0] !== count || r.value[1] !== sum) throw new Error(`wrong answer: ${r.value} vs ${count},${sum}`);
console.log(JSON.stringify({ rows: n, ms, rowsPerSec: n / (ms / 1000), rssMB: process.resourceUsage().maxRSS / 1024 }));
