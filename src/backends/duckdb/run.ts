// Running a program on DuckDB: emit, execute on an in-process connection, convert the result to
// our values, and turn DuckDB's errors into RuntimeErrors (located at the IR node whose SQL
// raised them) or diagnostics.

import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { diagnostic, UserError } from '../../diagnostics/diagnostic.js';
import { isTableIR, type IR, type Span, type TableReader, type TableWriter } from '../../ir/nodes.js';
import { forEachNode } from '../../ir/walk.js';
import { isTableType, type AnyType, type TypecheckOptions } from '../../passes/typecheck.js';
import { RuntimeError, type RuntimeErrorClass } from '../interpret/errors.js';
import type { Result } from '../interpret/index.js';
import { prepare } from '../../passes/prepare.js';
import { Emitter, ERROR_PREFIX, type Emitted } from './emit.js';
import { printSql } from './print.js';
import type { Query } from './sql.js';
import { fixLambdas } from './lambdas.js';
import { guardBranches } from './guards.js';
import { raising } from './pruning.js';

const LAMBDA_PASS_DEPTH = 2_000;
import { quoteIdent, quoteString } from './quote.js';
import { fromDuck } from './types.js';
import { performWrites } from '../interpret/write.js';
import type { Row } from '../interpret/tables.js';
import { describeReader, fromClause, irType, readerKey, sourceRequiredness } from '../interpret/read.js';
import { analyzeRequiredness, type RequirednessOptions, type SourceReq } from '../../passes/requiredness.js';
import { emptyStruct, tStruct, type TableType } from '../../ir/types.js';

export interface CompiledSql {
  /** The rows (table program) or the value (value program): one query. */
  readonly main: string;
  /** A table program's global: one row, one column. */
  readonly global?: string;
  /** Where a TableWrite at the root sends the rows. */
  readonly write?: TableWriter;
  readonly type: AnyType;
  /** Spans of the nodes that `error()` messages name, by id. */
  readonly spans: readonly (Span | undefined)[];
  /** The deepest nesting of expressions within one query (what DuckDB's binder recurses on). */
  readonly depth: number;
  /** The type of the table whose rows `main` gives (the program, or the child of a TableWrite). */
  readonly rowType?: TableType;
  /** Whether the run disables DuckDB's statistics propagation (`pruning.ts`). */
  readonly noStatistics: boolean;
}

/** The setting a run with `noStatistics` adds to the connection's `disabled_optimizers`. */
export const NO_STATISTICS = 'statistics_propagation';

const QUERY_KINDS: ReadonlySet<string> = new Set(['select', 'unionAll', 'with']);

/** The deepest chain of nested expressions inside any one query of `q`. */
export function expressionDepth(q: Query): number {
  let deepest = 0;
  const stack: [object, number][] = [[q, 0]];
  while (stack.length > 0) {
    const [x, d0] = stack.pop()!;
    const kind = (x as { kind?: string }).kind;
    const d = kind === undefined ? d0 : QUERY_KINDS.has(kind) ? 0 : d0 + 1;
    if (d > deepest) deepest = d;
    for (const v of Object.values(x)) {
      if (Array.isArray(v)) {
        for (const y of v) if (y !== null && typeof y === 'object') stack.push([y, d]);
      } else if (v !== null && typeof v === 'object') stack.push([v, d]);
    }
  }
  return deepest;
}

export function sqlDepth(c: CompiledSql): number {
  return c.depth;
}

export interface CompileOptions extends TypecheckOptions, RequirednessOptions {
  /** Each source's columns and DuckDB type names (see `describeSources`). */
  readonly sourceColumns?: (r: TableReader) => ReadonlyMap<string, string> | undefined;
  /** Leave out the NULL checks of values never missing (passes/requiredness.ts); default true. */
  readonly useRequiredness?: boolean;
}

/** Type-checks and compiles a program to DuckDB SQL. Type errors and unsupported constructs throw UserError. */
export function compileProgram(ir: IR, options: CompileOptions = {}): CompiledSql {
  const info = prepare(ir, options);
  ir = info.ir;
  const raise = raising(ir, info.types);
  const req = options.useRequiredness === false ? undefined : analyzeRequiredness(ir, info.types, options);
  const em = new Emitter({
    types: info.types,
    demand: info.demand,
    raises: info.raises,
    raisesWhole: info.raisesWhole,
    hoisted: info.hoisted,
    raisesByDesign: raise.raisesByDesign,
    ...(options.sourceColumns ? { sourceColumns: options.sourceColumns } : {}),
    ...(req ? { required: (n: IR) => !isTableIR(n) && req.isRequired(n) } : {}),
  });
  let write: TableWriter | undefined;
  let root = ir;
  if (ir.kind === 'TableWrite') {
    write = ir.writer;
    root = ir.child;
  }
  const emitted: Emitted = em.emit(root);
  const depth = Math.max(expressionDepth(emitted.main), emitted.global ? expressionDepth(emitted.global) : 0);
  // The guard and lambda passes recurse on the SQL tree; SQL that deep is not run on DuckDB (cli/run.ts).
  const fix = (q: Query): Query => (depth <= LAMBDA_PASS_DEPTH ? guardBranches(fixLambdas(q)) : q);
  const out = { main: fix(emitted.main), ...(emitted.global ? { global: fix(emitted.global) } : {}) };
  return {
    main: printSql(out.main),
    ...(out.global ? { global: printSql(out.global) } : {}),
    ...(write ? { write } : {}),
    ...(isTableType(info.types.get(root)!) ? { rowType: info.types.get(root) as TableType } : {}),
    type: info.types.get(ir)!,
    spans: em.spans,
    depth,
    noStatistics: raise.joinSideMayRaise,
  };
}

/** The main query's SQL (rows or value): what a benchmark or a client runs. */
export function compileSql(ir: IR, options: CompileOptions = {}): string {
  return compileProgram(ir, options).main;
}

/** All statements, for `irc compile --emit sql`. */
export function formatSql(c: CompiledSql): string {
  const setting = c.noStatistics
    ? `-- A join side may raise: DuckDB must not prune it from statistics (the program's errors).\nSET disabled_optimizers = ${quoteString(NO_STATISTICS)};\n\n`
    : '';
  if (c.write) return setting + writeStatement(c.write, c) + ';\n';
  if (c.global === undefined) return setting + c.main + ';\n';
  return `${setting}-- rows\n${c.main};\n\n-- global\n${c.global};\n`;
}

function writeStatement(w: TableWriter, c: CompiledSql): string {
  if (w.name === 'DuckDBTableWriter') return `CREATE OR REPLACE TABLE ${quoteIdent(w.table)} AS\n${c.main}`;
  return `COPY (\n${c.main}\n) TO ${quoteString(w.path)} (FORMAT PARQUET)`;
}

// ---- running --------------------------------------------------------------------------------------

/**
 * The columns of every source a program reads, from the connection's catalogue: the row type
 * for a TableRead without one, and the DuckDB type names the emitter compares with.
 */
export async function describeSources(c: DuckDBConnection, ir: IR): Promise<Required<Pick<CompileOptions, 'readerType' | 'sourceColumns' | 'readerRequiredness'>>> {
  const { DuckDBTypeId } = await import('@duckdb/node-api');
  const found = new Map<string, { type: TableType | undefined; columns: Map<string, string>; required: SourceReq | undefined }>();
  const reads: Extract<IR, { kind: 'TableRead' }>[] = [];
  forEachNode(ir, (n) => {
    if (n.kind === 'TableRead') reads.push(n);
  });
  for (const n of reads) {
    const key = readerKey(n.reader);
    if (found.has(key)) continue;
    let r;
    try {
      r = await c.runAndReadAll(`SELECT * FROM ${fromClause(n.reader)} LIMIT 0`);
    } catch (e) {
      throw new UserError([diagnostic('sourceUnreadable', n.span, `cannot read ${describeReader(n.reader)}: ${firstLine(e)}`, 'check the name or path; `--db` selects the database')]);
    }
    const names = r.columnNames();
    const types = r.columnTypes();
    const irTypes = types.map((t) => irType(t, DuckDBTypeId));
    const row = irTypes.every((t) => t !== undefined) ? tStruct(names.map((nm, i) => [nm, irTypes[i]!] as const)) : undefined;
    const required = await sourceRequiredness(c, n.reader, DuckDBTypeId);
    found.set(key, { type: row && { global: emptyStruct, key: [], row }, columns: new Map(names.map((nm, i) => [nm, String(types[i])])), required });
  }
  return {
    readerType: (r) => found.get(readerKey(r))?.type,
    sourceColumns: (r) => found.get(readerKey(r))?.columns,
    readerRequiredness: (r) => found.get(readerKey(r))?.required,
  };
}

export interface DuckRunOptions extends TypecheckOptions {
  /** A connection to run on; else a fresh in-memory database (or `db`). */
  readonly connection?: DuckDBConnection;
  readonly db?: string;
}

/** Runs a program on DuckDB; resolves to the interpreter's Result shape. */
export async function runDuckDB(ir: IR, options: DuckRunOptions = {}): Promise<Result> {
  let instance: DuckDBInstance | undefined;
  let connection = options.connection;
  if (connection === undefined) {
    const duckdb = await import('@duckdb/node-api');
    try {
      instance = await duckdb.DuckDBInstance.create(options.db ?? ':memory:');
    } catch (e) {
      throw new UserError([diagnostic('fileNotFound', null, `cannot open the DuckDB database ${JSON.stringify(options.db ?? ':memory:')}: ${firstLine(e)}`)]);
    }
    connection = await instance.connect();
  }
  let compiled: CompiledSql;
  let result: Result;
  try {
    let reads = false;
    forEachNode(ir, (n) => {
      if (n.kind === 'TableRead') reads = true;
    });
    const sources = reads ? await describeSources(connection, ir) : {};
    compiled = compileProgram(ir, { ...options, ...sources });
    result = await execute(connection, compiled, ir);
  } finally {
    if (instance !== undefined) {
      connection.closeSync();
      instance.closeSync();
    }
  }
  if (compiled.write === undefined || ir.kind !== 'TableWrite' || result.kind !== 'table') return result;
  // The rows go through the interpreter's writer, after the run and with the database closed,
  // so both backends store the same column types and report the same failures.
  await performWrites([{ writer: compiled.write, type: result.type as TableType, rows: result.rows as Row[], ...(ir.span ? { span: ir.span } : {}) }], {
    ...(options.db ? { db: options.db } : {}),
  });
  return { kind: 'value', type: compiled.type, value: null };
}

async function execute(c: DuckDBConnection, compiled: CompiledSql, ir: IR): Promise<Result> {
  if (!compiled.noStatistics) return executeAs(c, compiled, ir);
  const before = String((await c.runAndReadAll("SELECT current_setting('disabled_optimizers')")).getRows()[0]![0] ?? '');
  const off = before.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (off.includes(NO_STATISTICS)) return executeAs(c, compiled, ir);
  await c.run(`SET disabled_optimizers = ${quoteString([...off, NO_STATISTICS].join(','))}`);
  try {
    return await executeAs(c, compiled, ir);
  } finally {
    await c.run(`SET disabled_optimizers = ${quoteString(before)}`);
  }
}

async function executeAs(c: DuckDBConnection, compiled: CompiledSql, ir: IR): Promise<Result> {
  const type = compiled.type;
  const run = async (sql: string): Promise<DuckDBValue[][]> => {
    try {
      const reader = await c.runAndReadAll(sql);
      return reader.getRows() as DuckDBValue[][];
    } catch (e) {
      throw duckError(e, compiled, ir);
    }
  };
  if (isTableType(type) || compiled.write) {
    const rowType = compiled.rowType!;
    const rows = await run(compiled.main);
    const convert = rowType.row.fields.map((f) => fromDuck(f.type));
    const globalRows = await run(compiled.global!);
    const g = fromDuck(rowType.global)(globalRows[0]![0]!) ?? rowType.global.fields.map(() => null);
    return { kind: 'table', type: rowType, rows: rows.map((r) => convert.map((f, i) => f(r[i]!))), global: g };
  }
  const rows = await run(compiled.main);
  return { kind: 'value', type, value: fromDuck(type)(rows[0]![0]!) };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}

const CLASSES: ReadonlySet<string> = new Set<RuntimeErrorClass>(['Die', 'ArrayIndexOutOfBounds', 'DivisionByZero', 'IntegerOverflow', 'CastOutOfRange', 'InvalidArgument', 'Input']);

/**
 * A DuckDB error as ours: `error()` messages we emitted carry their class and node; DuckDB's own
 * integer overflow errors are IntegerOverflow at the first node that can overflow that way; any
 * other failure is a diagnostic that quotes DuckDB.
 */
export function duckError(e: unknown, compiled: CompiledSql, ir: IR): Error {
  const text = e instanceof Error ? e.message : String(e);
  const at = text.indexOf(ERROR_PREFIX);
  if (at >= 0) {
    const m = /^IRC:([A-Za-z]+):(\d+):([\s\S]*)$/.exec(text.slice(at));
    if (m && CLASSES.has(m[1]!)) {
      const err = new RuntimeError(m[1] as RuntimeErrorClass, m[3]!.split('\n')[0]!);
      err.span = compiled.spans[Number(m[2])];
      return err;
    }
  }
  const line = firstLine(e);
  const overflow = /^Out of Range Error: Overflow (?:in|on) (addition|subtraction|multiplication|negation|division|abs)/.exec(line);
  const conversion = /^Conversion Error: .*out of range for the destination type (INT32|INT64)/.test(line);
  if (overflow || conversion) {
    const err = new RuntimeError('IntegerOverflow', line.replace(/^[A-Za-z ]+Error: /, ''));
    err.span = overflowSite(ir, overflow?.[1]);
    return err;
  }
  if (/^Conversion Error: /.test(line) && /TableRead/.test(JSON.stringify(ir.kind))) return new RuntimeError('Input', line);
  return new UserError([diagnostic('duckdbFailed', ir.span, `DuckDB failed to run the compiled SQL: ${line}`, 'run `irc compile --emit sql` to see the SQL; this is likely a bug in irc')]);
}

const OPS: Record<string, string> = { addition: 'Add', subtraction: 'Subtract', multiplication: 'Multiply', division: 'RoundToNegInfDivide' };

/** The first node that can raise DuckDB's overflow of this kind. */
function overflowSite(ir: IR, what: string | undefined): Span | undefined {
  let span: Span | undefined;
  forEachNode(ir, (n) => {
    if (span !== undefined) return false;
    const hit =
      what === undefined
        ? n.kind === 'Cast' || n.kind === 'ApplyAggOp' || n.kind === 'ApplyScanOp' || n.kind === 'Apply' || n.kind === 'ApplyBinaryPrimOp'
        : what === 'negation'
          ? n.kind === 'ApplyUnaryPrimOp' && n.op === 'Negate'
          : what === 'abs'
            ? n.kind === 'Apply' && n.fn === 'abs'
          : n.kind === 'ApplyBinaryPrimOp' && n.op === OPS[what];
    if (hit) span = n.span;
    return undefined;
  });
  return span ?? ir.span;
}

