// DuckDB backend benchmark (issue 4): the runtime of irc's SQL against hand-written SQL for the
// same result (bench/duckdb-queries.mjs), on one DuckDB connection, alternating runs.
// Target: median ratio irc/hand <= 1.1, none over 1.5.
//
//   node bench/duckdb.mjs            time the queries over BENCH_DUCKDB_ROWS rows (10,000,000)
//   node bench/duckdb.mjs --verify   check each hand query against the reference interpreter
//                                    at BENCH_DUCKDB_VERIFY_ROWS rows (1000,5000)
//
// Other env: BENCH_DUCKDB_REPS (timed runs per side, 5; fewer when a query's pair of runs
// would take over BENCH_DUCKDB_QUERY_SECONDS, 60), BENCH_DUCKDB_QUERIES (names, comma
// separated, to run a subset).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from '../dist/parse/index.js';
import { runText } from '../dist/cli/run.js';
import { queries as allQueries, setupSql } from './duckdb-queries.mjs';

const only = process.env.BENCH_DUCKDB_QUERIES?.split(',').map((s) => s.trim());
const queries = only ? allQueries.filter((q) => only.includes(q.name)) : allQueries;

/** The emitter's compileSql, or undefined while it does not exist yet. */
async function loadCompiler() {
  try {
    const mod = await import('../dist/backends/duckdb/index.js');
    // With the connection's catalogue, as `irc run` compiles: columns of the declared type are
    // read without a CAST.
    if (typeof mod.compileSql === 'function') return async (ir, conn) => mod.compileSql(ir, conn ? await mod.describeSources(conn, ir) : {});
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
  return undefined;
}

async function ircSql(compileSql, text, conn) {
  const r = await compileSql(parse(text), conn);
  return typeof r === 'string' ? r : r.sql;
}

async function query(conn, sql) {
  const r = await conn.runAndReadAll(sql);
  return { columns: r.columnNames(), rows: r.getRowsJS() };
}

// ---- comparing results (semantics.md §9) ------------------------------------------------------

const special = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function sameScalar(a, b) {
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' && typeof b === 'number' && a in special) a = special[a];
  if (typeof b === 'string' && typeof a === 'number' && b in special) b = special[b];
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const big = (v) => (typeof v === 'bigint' ? v : Number.isInteger(v) ? BigInt(v) : undefined);
    return big(a) !== undefined && big(a) === big(b);
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** Structural equality: arrays elementwise, objects by field names in order. */
function sameValue(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  const isObj = (v) => v !== null && typeof v === 'object';
  if (isObj(a) || isObj(b)) {
    if (!isObj(a) || !isObj(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue(a[k], b[k]));
  }
  return sameScalar(a, b);
}

/** Every scalar in a value, depth first: compares results whose shapes may differ. */
function leaves(v, out = []) {
  if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) leaves(x, out);
  else out.push(v);
  return out;
}

/**
 * irc's result scalars, for comparison with the hand SQL's. A TableCollect may come back as one
 * {rows, global} struct; only its rows count here, as the hand SQL has no global (and DuckDB has
 * no empty struct, so an empty global is emitted as some placeholder).
 */
function ircLeaves(rows) {
  const v = rows.length === 1 && rows[0].length === 1 ? rows[0][0] : undefined;
  const isCollect = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).join() === 'rows,global';
  return leaves(isCollect ? v.rows : rows);
}

/** The hand SQL's rows as the program's value (see `shape` in duckdb-queries.mjs). */
function asValue({ columns, rows }, shape) {
  const obj = (r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]));
  switch (shape) {
    case 'scalar':
      return rows[0][0];
    case 'struct':
      return obj(rows[0]);
    case 'collect':
      return { rows: rows.map(obj), global: {} };
  }
  throw new Error(`unknown shape ${shape}`);
}

const show = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
const short = (s, n = 300) => (s.length > n ? s.slice(0, n) + '...' : s);

// ---- --verify: hand SQL against the interpreter -----------------------------------------------

async function verify() {
  const sizes = (process.env.BENCH_DUCKDB_VERIFY_ROWS ?? '1000,5000').split(',').map(Number);
  const compileSql = await loadCompiler();
  const dir = mkdtempSync(join(tmpdir(), 'irc-bench-'));
  let failures = 0;
  try {
    for (const n of sizes) {
      const db = join(dir, `t${n}.duckdb`);
      // Hand (and irc) SQL first, then close: the interpreter opens the file itself.
      const instance = await DuckDBInstance.create(db);
      const conn = await instance.connect();
      for (const s of setupSql(n)) await conn.run(s);
      const hand = [];
      const irc = [];
      for (const q of queries) {
        hand.push(await query(conn, q.hand(n)));
        if (compileSql) {
          try {
            irc.push(await query(conn, await ircSql(compileSql, q.ir(n), conn)));
          } catch (e) {
            irc.push({ error: e });
          }
        }
      }
      conn.closeSync();
      instance.closeSync();

      console.log(`\nverify at ${n} rows: hand SQL vs the reference interpreter${compileSql ? ' (and irc SQL vs hand SQL)' : ''}`);
      for (const [i, q] of queries.entries()) {
        const t = performance.now();
        const expected = JSON.parse(await runText(q.ir(n), { backend: 'interpret', format: 'json', db }));
        const ms = performance.now() - t;
        const got = asValue(hand[i], q.shape);
        const ok = sameValue(expected, got);
        const size = q.shape === 'collect' ? `${expected.rows.length} rows` : short(show(expected), 80);
        let line = `  ${ok ? 'ok  ' : 'FAIL'} ${q.name}: ${size} (interpreter ${ms.toFixed(0)} ms)`;
        if (!ok) {
          failures++;
          line += `\n       interpreter: ${short(show(expected))}\n       hand SQL:    ${short(show(got))}`;
        }
        if (compileSql) {
          const r = irc[i];
          if (r.error) line += `\n       irc SQL: error: ${r.error.message.split('\n')[0]}`;
          else if (!sameValue(ircLeaves(r.rows), leaves(hand[i].rows))) {
            failures++;
            line += `\n       irc SQL differs from hand SQL: ${short(show(r.rows))}`;
          } else line += ' (irc SQL agrees)';
        }
        console.log(line);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures > 0) {
    console.log(`\n${failures} disagreement(s)`);
    process.exitCode = 1;
  } else console.log('\nall agree');
}

// ---- timing ---------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function timed(conn, sql) {
  const t = performance.now();
  const r = await query(conn, sql);
  return [performance.now() - t, r];
}

async function bench() {
  const n = Number(process.env.BENCH_DUCKDB_ROWS ?? 10_000_000);
  const reps = Number(process.env.BENCH_DUCKDB_REPS ?? 5);
  const budget = Number(process.env.BENCH_DUCKDB_QUERY_SECONDS ?? 60);
  const compileSql = await loadCompiler();
  if (!compileSql) {
    console.log('\nirc SQL: dist/backends/duckdb/index.js has no compileSql yet (issue 4); timing the hand SQL only.');
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const t0 = performance.now();
  for (const s of setupSql(n)) await conn.run(s);
  console.log(`\nDuckDB backend: ${queries.length} queries over t (${n.toLocaleString('en-US')} rows) and d (1,000 rows); ` +
    `table built in ${((performance.now() - t0) / 1000).toFixed(1)} s; median of at least ${reps} alternating runs (about 2 s of them for a fast query) after one warm-up each; ratio: median of irc/hand per run pair`);

  const rows = [];
  for (const q of queries) {
    const row = { name: q.name, hand: NaN, irc: NaN, ratio: NaN, note: '' };
    let sql;
    if (compileSql) {
      try {
        sql = await ircSql(compileSql, q.ir(n), conn);
      } catch (e) {
        row.note = `compileSql failed: ${e.message.split('\n')[0]}`;
      }
    }
    // Warm-up runs, which also check that irc's SQL gives the hand SQL's result. The shapes
    // of the two may differ (columns vs one struct, say), so their scalars are compared in order.
    const [handWarm, handResult] = await timed(conn, q.hand(n));
    let ircWarm = 0;
    if (sql !== undefined) {
      try {
        const [ms, ircResult] = await timed(conn, sql);
        ircWarm = ms;
        if (!sameValue(ircLeaves(ircResult.rows), leaves(handResult.rows))) row.note = `RESULT DIFFERS: ${short(show(ircResult.rows), 120)}`;
      } catch (e) {
        row.note = `irc SQL failed: ${e.message.split('\n')[0]}`;
        sql = undefined;
      }
    }
    const handMs = [];
    const ircMs = [];
    // Fewer runs for a query whose pair of runs is slow, so one query cannot take many minutes;
    // more for a fast one (up to 50, about 2 s of pairs), whose single runs vary by more than
    // the difference measured.
    const pair = handWarm + ircWarm;
    const runs = Math.max(1, Math.min(Math.max(reps, Math.min(50, Math.floor(2000 / pair))), Math.floor((budget * 1000) / pair)));
    if (runs < reps) row.note += `${row.note ? '; ' : ''}${runs} run${runs === 1 ? '' : 's'} (slow)`;
    for (let i = 0; i < runs; i++) {
      handMs.push((await timed(conn, q.hand(n)))[0]);
      if (sql !== undefined) ircMs.push((await timed(conn, sql))[0]);
    }
    row.hand = median(handMs);
    if (sql !== undefined) {
      row.irc = median(ircMs);
      // The median of each run's ratio to the hand run just before it: this VM's load drifts,
      // and neighbouring runs see the same load.
      row.ratio = median(ircMs.map((t, i) => t / handMs[i]));
    }
    rows.push(row);
  }
  conn.closeSync();
  instance.closeSync();

  const fmt = (x) => (Number.isNaN(x) ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const head = ['query', 'hand ms', 'irc ms', 'ratio', 'note'];
  const lines = rows.map((r) => [r.name, fmt(r.hand), fmt(r.irc), Number.isNaN(r.ratio) ? '-' : r.ratio.toFixed(2), r.note]);
  const widths = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
  const showRow = (cells) => '| ' + cells.map((c, j) => (j === 0 || j === 4 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join(' | ') + ' |';
  console.log(showRow(head));
  console.log('|' + widths.map((w, j) => (j === 0 || j === 4 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const l of lines) console.log(showRow(l));

  const ratios = rows.filter((r) => !Number.isNaN(r.ratio)).map((r) => r.ratio);
  if (ratios.length > 0) {
    const med = median(ratios);
    const worst = Math.max(...ratios);
    const missing = rows.length - ratios.length;
    const differ = rows.filter((r) => r.note.startsWith('RESULT DIFFERS')).length;
    console.log(`\nmedian ratio ${med.toFixed(2)} (target <= 1.1: ${med <= 1.1 ? 'met' : 'NOT met'}); ` +
      `max ratio ${worst.toFixed(2)} (target <= 1.5: ${worst <= 1.5 ? 'met' : 'NOT met'})` +
      (missing > 0 ? `; ${missing} quer${missing === 1 ? 'y' : 'ies'} without irc timing` : '') +
      (differ > 0 ? `; ${differ} with a different result (see note)` : ''));
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

if (process.argv.includes('--verify')) await verify();
else await bench();
