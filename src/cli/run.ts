// `irc run` and `irc compile --emit sql`: parse, check, compile or run a program, and format its
// result. Programs nested deeper than the main thread's stack allows go to a worker with a large
// stack (docs/design/002-interpreter.md, "Depth").

import { Worker } from 'node:worker_threads';
import { interpret, RuntimeError, type RuntimeErrorClass } from '../backends/interpret/index.js';
import { openForReading, prepareSources } from '../backends/interpret/read.js';
import { performWrites, type Write } from '../backends/interpret/write.js';
import { compileProgram, describeSources, formatSql, runDuckDB, sqlDepth } from '../backends/duckdb/index.js';
import { UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { forEachNode, nestingDepth } from '../ir/walk.js';
import type { IR, Span } from '../ir/nodes.js';
import { parse } from '../parse/index.js';
import { printIR } from '../ir/print.js';
import { differentiate } from '../passes/differentiate.js';
import type { RequirednessOptions } from '../passes/requiredness.js';
import { formatJson, formatTable } from './output.js';

export interface RunOptions {
  readonly backend: 'duckdb' | 'interpret';
  readonly format: 'json' | 'table';
  readonly db?: string;
}

/** What a job prints: its output, and notes for standard error. */
export interface JobResult {
  readonly out: string;
  readonly notes: readonly string[];
}

export type Job = { readonly kind: 'run'; readonly options: RunOptions } | { readonly kind: 'sql'; readonly db?: string } | { readonly kind: 'grad' };

/** Deepest program run on the calling thread; deeper ones go to a worker. */
export const IN_THREAD_DEPTH = 250;
const WORKER_STACK_MB = 256;

/**
 * DuckDB binds deeply nested expressions in time that grows steeply with the depth (measured
 * with DuckDB 1.5.5: 15 s for a 900-deep chain of additions, 170 s for 2,000). Programs whose
 * SQL nests deeper than this run on the interpreter, with a note.
 */
export const DUCKDB_MAX_SQL_DEPTH = 200;

export async function runJob(text: string, job: Job, where: { inThread?: boolean } = {}): Promise<JobResult> {
  const ir = parse(text);
  if (!where.inThread && nestingDepth(ir) > IN_THREAD_DEPTH) return runInWorker(text, job);
  if (job.kind === 'sql') return { out: await compileText(ir, job.db), notes: [] };
  // (The differentiation pass recurses per level of a Grad's body: deep ones run in the worker.)
  if (job.kind === 'grad') return { out: printIR(differentiate(ir).ir), notes: [] };
  return run(ir, job.options);
}

/** `irc run`: the formatted result. */
export async function runText(text: string, options: RunOptions, where: { inThread?: boolean } = {}): Promise<string> {
  return (await runJob(text, { kind: 'run', options }, where)).out;
}

async function compileText(ir: IR, db: string | undefined): Promise<string> {
  if (!reads(ir)) return formatSql(compileProgram(ir));
  return formatSql(compileProgram(ir, await withSources(ir, db)));
}

/** What the sources a program reads say of their columns: types, and which are never missing. */
async function withSources(ir: IR, db: string | undefined): ReturnType<typeof describeSources> {
  const instance = await openForReading(db);
  const c = await instance.connect();
  try {
    return await describeSources(c, ir);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** `irc compile --emit typed`: the requiredness of the columns each `TableRead` reads (NOT NULL, Parquet's required). */
export async function readRequiredness(ir: IR, db: string | undefined): Promise<RequirednessOptions> {
  if (!reads(ir)) return {};
  return { readerRequiredness: (await withSources(ir, db)).readerRequiredness };
}

function reads(ir: IR): boolean {
  let found = false;
  forEachNode(ir, (n) => {
    if (n.kind === 'TableRead') found = true;
    return found ? false : undefined;
  });
  return found;
}

async function run(ir: IR, options: RunOptions): Promise<JobResult> {
  const notes: string[] = [];
  const format = (r: Parameters<typeof formatJson>[0]) => (options.format === 'json' ? formatJson(r) : formatTable(r));
  if (options.backend === 'duckdb') {
    const depth = reads(ir) ? 0 : sqlDepth(compileProgram(ir));
    if (depth <= DUCKDB_MAX_SQL_DEPTH) return { out: format(await runDuckDB(ir, { ...(options.db ? { db: options.db } : {}) })), notes };
    notes.push(
      `irc: note: the compiled SQL nests ${depth} expressions deep, past the ${DUCKDB_MAX_SQL_DEPTH} DuckDB binds quickly; running on the interpreter`,
    );
  }
  const sources = reads(ir) ? await prepareSources(ir, { db: options.db }) : undefined;
  try {
    const writes: Write[] = [];
    const result = interpret(ir, {
      readerType: sources?.readerType,
      source: sources?.source,
      sink: (writer, type, rows, span) => void writes.push({ writer, type, rows, span }),
    });
    // After the run (DuckDB is asynchronous): a program never reads its own writes.
    await performWrites(writes, { db: options.db });
    return { out: format(result), notes };
  } finally {
    await sources?.close();
  }
}

/** What crosses back from the worker. */
export type WorkerReply =
  | { readonly ok: JobResult }
  | { readonly user: readonly Diagnostic[] }
  | { readonly runtime: { readonly errorClass: RuntimeErrorClass; readonly message: string; readonly span: Span | undefined } }
  | { readonly internal: string };

function runInWorker(text: string, job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./run-worker.js', import.meta.url), {
      workerData: { text, job },
      resourceLimits: { stackSizeMb: WORKER_STACK_MB },
    });
    w.once('message', (m: WorkerReply) => {
      void w.terminate();
      if ('ok' in m) resolve(m.ok);
      else if ('user' in m) reject(new UserError(m.user));
      else if ('runtime' in m) {
        const e = new RuntimeError(m.runtime.errorClass, m.runtime.message);
        e.span = m.runtime.span;
        reject(e);
      } else reject(new Error(m.internal));
    });
    w.once('error', reject);
  });
}
