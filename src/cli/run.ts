// `irc run`: parse, check and run a program, and format its result. Programs nested deeper
// than the main thread's stack allows run in a worker with a large stack
// (docs/design/002-interpreter.md, "Depth").

import { Worker } from 'node:worker_threads';
import { interpret, RuntimeError, type RuntimeErrorClass } from '../backends/interpret/index.js';
import { prepareSources } from '../backends/interpret/read.js';
import { performWrites, type Write } from '../backends/interpret/write.js';
import { UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { forEachNode, maxDepth } from '../ir/walk.js';
import type { Span } from '../ir/nodes.js';
import { parse } from '../parse/index.js';
import { formatJson, formatTable } from './output.js';

export interface RunOptions {
  readonly backend: 'interpret';
  readonly format: 'json' | 'table';
  readonly db?: string;
}

/** Deepest program run on the calling thread; deeper ones go to a worker. */
export const IN_THREAD_DEPTH = 5_000;
const WORKER_STACK_MB = 256;

export async function runText(text: string, options: RunOptions, where: { inThread?: boolean } = {}): Promise<string> {
  const ir = parse(text);
  if (!where.inThread && maxDepth(ir) > IN_THREAD_DEPTH) return runInWorker(text, options);
  let reads = false;
  forEachNode(ir, (n) => {
    if (n.kind === 'TableRead') reads = true;
  });
  const sources = reads ? await prepareSources(ir, { db: options.db }) : undefined;
  try {
    const writes: Write[] = [];
    const result = interpret(ir, {
      readerType: sources?.readerType,
      source: sources?.source,
      sink: (writer, type, rows, span) => void writes.push({ writer, type, rows, span }),
    });
    // After the run (DuckDB is asynchronous): a program never reads its own writes.
    await performWrites(writes, { db: options.db });
    return options.format === 'json' ? formatJson(result) : formatTable(result);
  } finally {
    await sources?.close();
  }
}

/** What crosses back from the worker. */
export type WorkerReply =
  | { readonly ok: string }
  | { readonly user: readonly Diagnostic[] }
  | { readonly runtime: { readonly errorClass: RuntimeErrorClass; readonly message: string; readonly span: Span | undefined } }
  | { readonly internal: string };

function runInWorker(text: string, options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./run-worker.js', import.meta.url), {
      workerData: { text, options },
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
