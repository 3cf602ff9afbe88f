// The `irc` command line. Exit codes: 0 success, 1 user error, 2 internal error (a bug in irc).

import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { RuntimeError, type RuntimeErrorClass } from '../backends/interpret/index.js';
import type { CodeName } from '../diagnostics/codes.js';
import { diagnostic, InternalError, UserError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readRequiredness, runJob, type RunOptions } from './run.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import { Source } from '../diagnostics/source.js';
import { isTableIR } from '../ir/nodes.js';
import { printIR, printRequiredTableType, printRequiredType } from '../ir/print.js';
import { parseWithComments } from '../parse/index.js';
import { check } from '../passes/pipeline.js';
import { hasGrad } from '../passes/differentiate.js';
import { liftRelationalLets } from '../passes/lift-relational-lets.js';
import { analyzeRequiredness } from '../passes/requiredness.js';
import { isTableType } from '../passes/typecheck.js';

const version: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly stdin: () => string;
}

const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdin: () => readFileSync(0, 'utf8'),
};

/** The input being compiled, kept so diagnostics can quote it. */
let current: Source | null = null;

/** Reads FILE, or standard input for `-`. A missing file is a user error, not a crash. */
function readInput(file: string, io: Io): { name: string; text: string } {
  try {
    const name = file === '-' ? '<stdin>' : file;
    current = new Source(name, file === '-' ? io.stdin() : readFileSync(file, 'utf8'));
    return { name, text: current.text };
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UserError([diagnostic('fileNotFound', null, `cannot read '${file}': ${why}`, 'check the path, or pass - to read standard input')]);
  }
}

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function program(io: Io): Command {
  const cmd = new Command('irc')
    .description('A compiler for Hail-syntax query IR: type-check, format, compile and run programs.')
    .version(version, '-V, --version')
    .showHelpAfterError('(run irc --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  cmd
    .command('check')
    .description('parse and type-check a program; report every error found')
    .argument('<file>', 'the .ir file, or - for standard input')
    .action(async (file: string) => {
      const { name, text } = readInput(file, io);
      const checked = check(text, name);
      // A Grad through a construct with no derivative rule is an error of the program too.
      if (hasGrad(checked.ir)) await runJob(text, { kind: 'grad' });
      io.stderr(`${name}: ok\n`);
    });

  cmd
    .command('fmt')
    .description('print a program in canonical formatting')
    .argument('<file>', 'the .ir file, or - for standard input')
    .option('-w, --write', 'rewrite the file in place instead of printing it')
    .option('--check', 'exit 1 if the file is not already formatted')
    .action((file: string, opts: { write?: boolean; check?: boolean }) => {
      const { name, text } = readInput(file, io);
      const { ir, comments } = parseWithComments(text);
      const formatted = printIR(ir, { comments }) + '\n';
      if (opts.check) {
        if (formatted !== text) {
          io.stderr(`${name}: not formatted (run irc fmt --write ${file})\n`);
          throw new Exit(1);
        }
        return;
      }
      if (opts.write && file !== '-') {
        if (formatted !== text) {
          try {
            writeFileSync(file, formatted);
          } catch (e) {
            throw new UserError([diagnostic('fileWrite', null, `cannot write '${file}': ${(e as Error).message}`)]);
          }
        }
        return;
      }
      io.stdout(formatted);
    });

  cmd
    .command('compile')
    .description('type-check a program and print it at a stage of the pipeline')
    .argument('<file>', 'the .ir file, or - for standard input')
    .option('--emit <what>', 'ir: the checked IR; grad: after differentiation (Grad and Gradient rewritten); lifted: after lifting nested queries into relational lets; typed: every node with its type (+: never missing); sql: the DuckDB SQL', 'ir')
    .option('--db <path>', 'with --emit sql or typed: the DuckDB database whose tables TableRead names')
    .action(async (file: string, opts: { emit: string; db?: string }) => {
      const { name, text } = readInput(file, io);
      if (opts.emit !== 'ir' && opts.emit !== 'grad' && opts.emit !== 'lifted' && opts.emit !== 'typed' && opts.emit !== 'sql') {
        io.stderr(`irc: unknown --emit '${opts.emit}' (choose ir, grad, lifted, typed or sql)\n`);
        throw new Exit(1);
      }
      if (opts.emit === 'sql') {
        const r = await runJob(text, { kind: 'sql', ...(opts.db ? { db: opts.db } : {}) });
        io.stdout(r.out);
        return;
      }
      const checked = check(text, name);
      if (opts.emit === 'ir') {
        io.stdout(printIR(checked.ir) + '\n');
        return;
      }
      if (opts.emit === 'grad') {
        io.stdout((await runJob(text, { kind: 'grad' })).out + '\n');
        return;
      }
      if (opts.emit === 'lifted') {
        io.stdout(printIR(liftRelationalLets(checked.ir, checked.types).ir) + '\n');
        return;
      }
      // Each type marked with its requiredness: `+` where the value is never missing.
      // (A TableRead's columns are as its source declares them: NOT NULL, Parquet's required.)
      const req = analyzeRequiredness(checked.ir, checked.types, await readRequiredness(checked.ir, opts.db));
      const annotate = (n: Parameters<typeof isTableIR>[0]) => {
        const t = checked.types.get(n);
        if (t === undefined) return undefined;
        return isTableType(t) ? printRequiredTableType(t, req.table(n)!) : printRequiredType(t, req.value(n)!);
      };
      io.stdout(printIR(checked.ir, { annotate }) + '\n');
    });

  cmd
    .command('grad')
    .description('print a program with its Grad and Gradient nodes differentiated (as compile --emit grad)')
    .argument('<file>', 'the .ir file, or - for standard input')
    .action(async (file: string) => {
      const { name, text } = readInput(file, io);
      check(text, name);
      io.stdout((await runJob(text, { kind: 'grad' })).out + '\n');
    });

  cmd
    .command('run')
    .description('run a program and print its result')
    .argument('<file>', 'the .ir file, or - for standard input')
    .addOption(new Option('--backend <name>', 'duckdb: compile to SQL and run it on DuckDB; interpret: the reference interpreter').choices(['duckdb', 'interpret']).default('duckdb'))
    .addOption(new Option('--format <format>', 'json: one JSON document; table: aligned text').choices(['json', 'table']).default('json'))
    .option('--db <path>', 'a DuckDB database file for DuckDB tables read (TableRead) and written (TableWrite)')
    .action(async (file: string, opts: RunOptions) => {
      const { text } = readInput(file, io);
      const r = await runJob(text, { kind: 'run', options: opts });
      for (const n of r.notes) io.stderr(n + '\n');
      io.stdout(r.out + '\n');
    });

  return cmd;
}

const runtimeHints: Partial<Record<RuntimeErrorClass, string>> = {
  IntegerOverflow: 'Cast to Int64 or Float64 before the operation',
  DivisionByZero: 'guard the divisor with If, or divide as floats (FloatingPointDivide)',
  ArrayIndexOutOfBounds: 'compare the index with ArrayLen first',
  CastOutOfRange: 'check isnan / is_finite and the range before casting',
};

/** A failure while the program ran, as a located diagnostic. */
function runtimeDiagnostic(e: RuntimeError): Diagnostic {
  return diagnostic(`run${e.errorClass}` as CodeName, e.span, `${e.errorClass}: ${e.message}`, runtimeHints[e.errorClass]);
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  current = null;
  try {
    await program(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage mistakes with 1.
      return e.exitCode === 0 ? 0 : 1;
    }
    if (e instanceof UserError || e instanceof RuntimeError) {
      const ds = e instanceof UserError ? e.diagnostics : [runtimeDiagnostic(e)];
      io.stderr(renderDiagnostics(ds, current) + '\n');
      if (e instanceof RuntimeError) return 1;
      const n = ds.length;
      io.stderr(`${n} error${n === 1 ? '' : 's'}\n`);
      return 1;
    }
    const err = e as Error;
    const detail = e instanceof InternalError && e.context ? `\n${e.context}` : '';
    io.stderr(`irc: internal error: ${err?.message ?? String(e)}${detail}\nThis is a bug in irc, not in your program. Please report it with the input that caused it.\n`);
    if (process.env.IRC_DEBUG) io.stderr(`${err?.stack ?? ''}\n`);
    return 2;
  }
}

