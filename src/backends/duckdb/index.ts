// The DuckDB backend: IR to SQL (emit.ts, values.ts, functions.ts), run in-process (run.ts).

import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../../diagnostics/diagnostic.js';
import type { IR } from '../../ir/nodes.js';
import type { Backend } from '../../testing/differential.js';
import { compileProgram, runDuckDB } from './run.js';

export { compileProgram, compileSql, describeSources, expressionDepth, formatSql, runDuckDB, sqlDepth, type CompileOptions, type CompiledSql, type DuckRunOptions } from './run.js';

/** Whether the DuckDB backend can express a (well-typed) program: no IRC4001 when compiled. */
export function duckdbSupports(ir: IR): boolean {
  try {
    compileProgram(ir);
    return true;
  } catch (e) {
    if (e instanceof UserError && e.diagnostics.every((d) => d.code === 'IRC4001')) return false;
    return true; // other failures are for `run` to report
  }
}

/**
 * The DuckDB backend for the differential harness, on one connection (a fresh in-memory
 * database unless one is given). `close()` releases it. A program that runs longer than
 * `timeoutMs` (default 60 s) is interrupted and fails (IRC4002), so a long run cannot hang.
 */
export async function duckdbBackend(options: { connection?: DuckDBConnection; timeoutMs?: number } = {}): Promise<Backend & { close(): void }> {
  let connection = options.connection;
  let close = (): void => {};
  if (connection === undefined) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    connection = c;
    close = () => {
      c.closeSync();
      instance.closeSync();
    };
  }
  const conn = connection;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const run = async (ir: IR) => {
    const timer = setTimeout(() => conn.interrupt(), timeoutMs);
    try {
      return await runDuckDB(ir, { connection: conn });
    } finally {
      clearTimeout(timer);
    }
  };
  return { name: 'duckdb', run, supports: duckdbSupports, close };
}
