import { main } from '../src/cli/main.js';
import { afterAll, beforeAll } from 'vitest';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function runCli(args: string[], stdin = ''): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    stdin: () => stdin,
  });
  return { code, stdout, stderr };
}

/** A chain of `depth` nested Ifs ending in an I32 (the shape of a rule model). */
export function ifChain(depth: number): string {
  const parts: string[] = [];
  for (let i = 0; i < depth; i++) parts.push(`(If (ApplyComparisonOp LT (Ref x) (I32 ${i})) (I32 ${i}) `);
  parts.push('(I32 -1)');
  parts.push(')'.repeat(depth));
  return `(Let eval x (I32 7) ${parts.join('')})`;
}

/** A left-deep chain of `depth` Adds. */
export function addChain(depth: number): string {
  return '(ApplyBinaryPrimOp Add '.repeat(depth) + '(I32 1)' + ' (I32 2))'.repeat(depth);
}

/** A balanced tree of Adds with `leaves` leaves: about 2 * leaves nodes. */
export function balancedAdds(leaves: number): string {
  const out: string[] = [];
  const stack: (number | ')')[] = [leaves];
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (k === ')') {
      out.push(')');
    } else if (k <= 1) {
      out.push('(I64 3)');
    } else {
      out.push('(ApplyBinaryPrimOp Add ');
      stack.push(')', k - (k >> 1), k >> 1);
    }
  }
  return out.join('');
}

/** Runs `f` on a fresh DuckDB connection to `path` (a file, or ':memory:'), closing both after. */
export async function withDuck<T>(path: string, f: (c: import('@duckdb/node-api').DuckDBConnection) => Promise<T>): Promise<T> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    return await f(c);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** One in-memory DuckDB connection for a test file: opened before its tests, closed after. */
export function memoryDuck(): { readonly c: import('@duckdb/node-api').DuckDBConnection } {
  let instance: import('@duckdb/node-api').DuckDBInstance | undefined;
  let connection: import('@duckdb/node-api').DuckDBConnection | undefined;
  beforeAll(async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });
  return {
    get c() {
      if (connection === undefined) throw new Error('memoryDuck: used outside a test');
      return connection;
    },
  };
}
