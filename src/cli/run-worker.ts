// Runs one `irc run` in a worker thread whose stack fits the deepest programs the reader accepts.

import { parentPort, workerData } from 'node:worker_threads';
import { RuntimeError } from '../backends/interpret/index.js';
import { UserError } from '../diagnostics/diagnostic.js';
import { runText, type RunOptions, type WorkerReply } from './run.js';

const { text, options } = workerData as { text: string; options: RunOptions };

async function reply(): Promise<WorkerReply> {
  try {
    return { ok: await runTextHere(text, options) };
  } catch (e) {
    if (e instanceof UserError) return { user: e.diagnostics };
    if (e instanceof RuntimeError) return { runtime: { errorClass: e.errorClass, message: e.message, span: e.span } };
    return { internal: (e as Error)?.stack ?? String(e) };
  }
}

/** Here the stack is large: run in this thread whatever the depth. */
function runTextHere(t: string, o: RunOptions): Promise<string> {
  return runText(t, o, { inThread: true });
}

parentPort!.postMessage(await reply());
