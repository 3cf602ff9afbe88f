// Runs one `irc run` or `irc compile --emit sql` in a worker thread whose stack fits the deepest
// programs the reader accepts.

import { parentPort, workerData } from 'node:worker_threads';
import { RuntimeError } from '../backends/interpret/index.js';
import { UserError } from '../diagnostics/diagnostic.js';
import { runJob, type Job, type WorkerReply } from './run.js';

const { text, job } = workerData as { text: string; job: Job };

async function reply(): Promise<WorkerReply> {
  try {
    // Here the stack is large: run in this thread whatever the depth.
    return { ok: await runJob(text, job, { inThread: true }) };
  } catch (e) {
    if (e instanceof UserError) return { user: e.diagnostics };
    if (e instanceof RuntimeError) return { runtime: { errorClass: e.errorClass, message: e.message, span: e.span } };
    return { internal: (e as Error)?.stack ?? String(e) };
  }
}

parentPort!.postMessage(await reply());
