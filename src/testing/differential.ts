// Differential testing: random well-typed programs run through the reference interpreter and a
// backend, results compared by semantics.md §9. Published as irc-compiler/testing so a
// downstream engine can check itself against the interpreter.

import fc from 'fast-check';
import { interpret, RuntimeError, withInexactNudge, type Result, type RuntimeErrorClass } from '../backends/interpret/index.js';
import { children } from '../ir/children.js';
import { forEachNode } from '../ir/walk.js';
import type { IR, Kind } from '../ir/nodes.js';
import { printIR } from '../ir/print.js';
import { tableTypeEqual, typeEqual, type Type } from '../ir/types.js';
import { compareValues, type Value } from '../ir/value.js';
import { isTableType } from '../passes/typecheck.js';
import { arbProgram, type GenOptions } from './arbitraries.js';

/** An engine under test. */
export interface Backend {
  readonly name: string;
  /**
   * Runs a checked program; resolves to the same Result shape the interpreter returns, or
   * rejects with a RuntimeError (class per semantics.md §8). May be async.
   */
  run(ir: IR): Promise<Result> | Result;
  /** Which programs it supports; the others are skipped and counted. */
  supports?(ir: IR): boolean;
}

/** What one run of a program gave. `crash` is any exception that is not a RuntimeError. */
export type Outcome =
  | Result
  | { readonly kind: 'error'; readonly errorClass: RuntimeErrorClass; readonly message: string }
  | { readonly kind: 'crash'; readonly message: string };

export interface CheckOptions {
  /** Programs to generate. Default 1000. */
  runs?: number;
  /** fast-check seed; random when absent (the report gives the one used). */
  seed?: number;
  /** fast-check replay path, from a Mismatch, to rerun just the counterexample. */
  path?: string;
  /**
   * Generator options. `exclude` defaults to `defaultExclude`; a given `exclude` replaces it.
   * Programs containing an excluded kind anywhere are discarded, not run.
   */
  gen?: GenOptions;
  /**
   * When both sides raise: `exact` (default) requires the same class; `failure` only requires
   * both to fail and counts class differences in the report, for engines that reorder work
   * (semantics.md §8: a program with several failing sites may report any of them).
   */
  errorClasses?: 'exact' | 'failure';
  /** Shrink the first mismatch to a small program. Default true. */
  shrink?: boolean;
}

export interface Mismatch {
  /** Why the outcomes differ (from `sameResult`). */
  readonly reason: string;
  /** The (shrunk) program, printed. */
  readonly program: string;
  readonly ir: IR;
  /** The interpreter's outcome. */
  readonly expected: Outcome;
  /** The backend's outcome. */
  readonly actual: Outcome;
  /** Pass both back in CheckOptions to rerun this program alone. */
  readonly seed: number;
  readonly path: string;
}

export interface CheckReport {
  readonly backend: string;
  readonly seed: number;
  /** Programs generated (up to the first mismatch). */
  readonly runs: number;
  /** Programs run on both sides and compared. */
  readonly compared: number;
  /** Programs the backend's `supports` declined. */
  readonly skipped: number;
  /** Compared programs where both sides raised (class rule per `errorClasses`). */
  readonly agreedErrors: number;
  /** With `errorClasses: 'failure'`: both raised, with different classes. */
  readonly classDifferences: number;
  /** Empty, or the first mismatch found (shrunk): the run stops there. */
  readonly mismatches: readonly Mismatch[];
}

/**
 * Kinds left out by default: TableRead and TableWrite need a source and a sink outside the
 * program (a backend would need the same files or tables), and Grad/Gradient need the
 * differentiation pass, which no backend runs yet.
 */
export const defaultExclude: readonly Kind[] = ['TableRead', 'TableWrite', 'Grad', 'Gradient'];

/** Runs a program on the reference interpreter, as an Outcome. */
export function interpretOutcome(ir: IR): Outcome {
  try {
    return interpret(ir);
  } catch (e) {
    return failure(e);
  }
}

/** Runs a program on a backend, as an Outcome. */
export async function backendOutcome(backend: Backend, ir: IR): Promise<Outcome> {
  try {
    return await backend.run(ir);
  } catch (e) {
    return failure(e);
  }
}

function failure(e: unknown): Outcome {
  if (e instanceof RuntimeError) return { kind: 'error', errorClass: e.errorClass, message: e.message };
  return { kind: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

/** Whether a program holds any of the `exclude`d kinds (as glue, say, where the generator left it). */
export function usesExcluded(ir: IR, exclude: readonly Kind[] = defaultExclude): boolean {
  let found = false;
  forEachNode(ir, (n) => {
    if (exclude.includes(n.kind)) found = true;
    return found ? false : undefined;
  });
  return found;
}

/**
 * How a backend's outcome compares with the interpreter's, for long runs that count rather than
 * stop: `same` (by `sameResult` with error classes lenient), `oneSided` (exactly one side raised
 * a user error), `rejected` (the backend refused the program with a diagnostic) or `wrong`.
 */
export function classify(
  expected: Outcome,
  actual: Outcome,
  ir?: IR,
): { readonly verdict: 'same' | 'oneSided' | 'rejected' | 'wrong'; readonly reason: string | null } {
  const reason = sameResult(expected, actual, 'failure', ir);
  if (reason === null) return { verdict: 'same', reason };
  if (actual.kind === 'crash' && actual.message.startsWith('UserError:')) return { verdict: 'rejected', reason };
  const oneSided = (expected.kind === 'error') !== (actual.kind === 'error') && expected.kind !== 'crash' && actual.kind !== 'crash';
  return { verdict: oneSided ? 'oneSided' : 'wrong', reason };
}

/** The reference interpreter as a Backend (a backend that must always agree). */
export const interpreterBackend: Backend = { name: 'interpret', run: (ir) => interpret(ir) };

/**
 * Compares the interpreter's outcome `a` with a backend's `b` (semantics.md §9). Null when they
 * agree, else a short reason.
 * - Results: same kind and type; values walked with their type. Int32 and strings `===`,
 *   Int64 as bigint `===`, booleans `===`, missing only equals missing. Float32/Float64 equal
 *   when both NaN, the same infinity, or |a-b| <= 1e-9*max(1,|a|,|b|) (so -0.0 equals 0.0).
 *   Arrays, sets, dicts positionally (sets and dicts are in canonical order, and `b`'s must be
 *   strictly ascending), tuples and structs by field. Tables: the same rows in the same order
 *   (tables are ordered), then the global.
 * - Errors: both must raise a RuntimeError; with `classes: 'exact'` of the same class. Messages
 *   are not compared. A crash (any other exception) never agrees.
 */
export function sameResult(a: Outcome, b: Outcome, classes: 'exact' | 'failure' = 'exact', ir?: IR): string | null {
  const reason = compareOutcomes(a, b, classes, []);
  if (reason === null || ir === undefined || (a.kind !== 'value' && a.kind !== 'table')) return reason;
  // Results that differ may be a last-ulp difference of an inexact result (libm, a float sum)
  // the program magnified: measure how far the interpreter's own result moves when every such
  // result moves one ulp, and allow that.
  const alts = [withInexactNudge(1, () => interpretOutcome(ir)), withInexactNudge(-1, () => interpretOutcome(ir))];
  return compareOutcomes(a, b, classes, alts) === null ? null : reason;
}

function compareOutcomes(a: Outcome, b: Outcome, classes: 'exact' | 'failure', alts: readonly Outcome[]): string | null {
  if (a.kind === 'crash') return `interpreter crashed: ${a.message}`;
  if (b.kind === 'crash') return `backend crashed: ${b.message}`;
  if (a.kind === 'error' || b.kind === 'error') {
    if (a.kind !== 'error') return `backend raised ${describeOutcome(b)}, interpreter gave a ${a.kind}`;
    if (b.kind !== 'error') return `interpreter raised ${a.errorClass}, backend gave a ${b.kind}`;
    if (classes === 'exact' && a.errorClass !== b.errorClass) return `error class ${b.errorClass}, expected ${a.errorClass}`;
    return null;
  }
  if (a.kind !== b.kind) return `backend gave a ${b.kind}, expected a ${a.kind}`;
  if (a.kind === 'value' && b.kind === 'value') {
    if (isTableType(a.type) || isTableType(b.type) || !typeEqual(a.type, b.type)) return 'result types differ';
    return diff(a.type, a.value, b.value, 'result', alts.flatMap((o) => (o.kind === 'value' ? [o.value] : [])));
  }
  if (a.kind === 'table' && b.kind === 'table') {
    if (!isTableType(a.type) || !isTableType(b.type) || !tableTypeEqual(a.type, b.type)) return 'table types differ';
    if (a.rows.length !== b.rows.length) return `${b.rows.length} rows, expected ${a.rows.length}`;
    const altTables = alts.flatMap((o) => (o.kind === 'table' && o.rows.length === a.rows.length ? [o] : []));
    for (let i = 0; i < a.rows.length; i++) {
      const d = diff(a.type.row, a.rows[i]!, b.rows[i]!, `row ${i}`, altTables.map((o) => o.rows[i]!));
      if (d) return d;
    }
    return diff(a.type.global, a.global, b.global, 'global', altTables.map((o) => o.global));
  }
  return 'unreachable';
}

/** Short text of an outcome, for messages. */
export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'error':
      return `${o.errorClass} (${o.message})`;
    case 'crash':
      return `crash (${o.message})`;
    case 'value':
    case 'table':
      return o.kind;
  }
}

const TOLERANCE = 1e-9;
const ILL_CONDITIONED = 1e-6;

/** `alts`: the expected value with inexact results nudged; how far they move widens the tolerance. */
function floatsAgree(x: number, y: number, alts: readonly Value[]): boolean {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  let slack = 0;
  for (const alt of alts) if (typeof alt === 'number') slack = Math.max(slack, Number.isFinite(alt) ? Math.abs(alt - x) : Infinity);
  // Ill-conditioned: one ulp moved it by more than a millionth (a chaotic loop, say): it has no
  // digit a backend must reproduce.
  if (slack > ILL_CONDITIONED * Math.max(1, Math.abs(x))) return true;
  return Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y)) + slack;
}

function show(v: Value): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'missing';
  if (Array.isArray(v)) return `[${v.length} elements]`;
  return String(v);
}

/**
 * The first difference between `x` (expected) and `y`, located by `at`; null when equal. `alts`
 * are values of the same place in nudged reruns (see `floatsAgree`).
 */
function diff(t: Type, x: Value, y: Value, at: string, alts: readonly Value[]): string | null {
  const differ = () => `${at}: ${show(y)}, expected ${show(x)}`;
  // A value that is not a float agrees with a nudged rerun that gave exactly it (a Cast to an
  // integer of a sum one ulp below an integer).
  const nudgedTo = () => alts.some((v) => v === y) ? null : differ();
  if (x === null || y === null) return x === y ? null : nudgedTo();
  switch (t.kind) {
    case 'Boolean':
    case 'String':
    case 'Int32':
      return typeof y === typeof x && x === y ? null : nudgedTo();
    case 'Int64':
      return typeof y === 'bigint' && x === y ? null : nudgedTo();
    case 'Float32':
    case 'Float64':
      return typeof y === 'number' && floatsAgree(x as number, y, alts) ? null : differ();
    case 'Void':
      return differ();
    case 'Array':
    case 'Stream':
    case 'Set':
    case 'Dict':
    case 'Tuple':
    case 'Struct': {
      if (!Array.isArray(y)) return differ();
      const xs = x as readonly Value[];
      const ys = y as readonly Value[];
      if (xs.length !== ys.length) return `${at}: ${ys.length} elements, expected ${xs.length}`;
      if (t.kind === 'Set' || t.kind === 'Dict') {
        const key = (v: Value) => (t.kind === 'Dict' ? (v as readonly Value[])[0]! : v);
        const kt = t.kind === 'Dict' ? t.key : t.element;
        for (let i = 1; i < ys.length; i++) {
          if (compareValues(kt, key(ys[i - 1]!), key(ys[i]!)) >= 0) return `${at}: ${t.kind.toLowerCase()} not in canonical order at ${i}`;
        }
      }
      for (let i = 0; i < xs.length; i++) {
        const et = elementAt(t, i);
        const at2 = t.kind === 'Struct' ? `${at}.${t.fields[i]!.name}` : `${at}[${i}]`;
        const d = diff(et, xs[i]!, ys[i]!, at2, alts.flatMap((v) => (Array.isArray(v) && v.length === xs.length ? [v[i]!] : [])));
        if (d) return d;
      }
      return null;
    }
  }
}

function elementAt(t: Type, i: number): Type {
  switch (t.kind) {
    case 'Array':
    case 'Stream':
    case 'Set':
      return t.element;
    case 'Dict':
      return { kind: 'Tuple', fields: [{ index: 0, type: t.key }, { index: 1, type: t.value }] };
    case 'Tuple':
    case 'Struct':
      return t.fields[i]!.type;
    default:
      return t;
  }
}

function contains(ir: IR, kinds: ReadonlySet<Kind>): boolean {
  const stack: IR[] = [ir];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (kinds.has(n.kind)) return true;
    stack.push(...children(n));
  }
  return false;
}

/**
 * Runs `runs` random programs through the interpreter and `backend` and compares the outcomes
 * with `sameResult`. Stops at the first mismatch, shrinks it with fast-check and reports it with
 * the seed and path that replay it.
 */
export async function checkBackend(backend: Backend, options: CheckOptions = {}): Promise<CheckReport> {
  const classes = options.errorClasses ?? 'exact';
  const exclude = options.gen?.exclude ?? defaultExclude;
  const excluded = new Set(exclude);
  // Glue nodes (see GenOptions.exclude) can still bring in an excluded kind; drop those programs.
  const programs = arbProgram({ ...options.gen, exclude }).filter((ir) => !contains(ir, excluded));
  let failed = false;
  let compared = 0;
  let skipped = 0;
  let agreedErrors = 0;
  let classDifferences = 0;
  // Counts stop at the first failure; the shrinking runs after it are not programs of the run.
  const count = (f: () => void) => {
    if (!failed) f();
  };
  const property = fc.asyncProperty(programs, async (ir) => {
    if (backend.supports && !backend.supports(ir)) {
      count(() => skipped++);
      return true;
    }
    const expected = interpretOutcome(ir);
    const actual = await backendOutcome(backend, ir);
    const reason = sameResult(expected, actual, classes, ir);
    if (reason !== null) {
      failed = true;
      return false;
    }
    count(() => {
      compared++;
      if (expected.kind === 'error') {
        agreedErrors++;
        if (actual.kind === 'error' && actual.errorClass !== expected.errorClass) classDifferences++;
      }
    });
    return true;
  });
  const seed = options.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const details = await fc.check(property, {
    numRuns: options.runs ?? 1000,
    seed,
    path: options.path,
    endOnFailure: options.shrink === false,
  });
  const mismatches: Mismatch[] = [];
  if (details.failed) {
    if (details.counterexample === null) {
      // The property threw (a bug in the harness or the generator): surface it as is.
      throw details.errorInstance ?? new Error(`checkBackend: property failed without a counterexample`);
    }
    const ir = details.counterexample[0];
    // Rerun to report both outcomes of the shrunk program.
    const expected = interpretOutcome(ir);
    const actual = await backendOutcome(backend, ir);
    mismatches.push({
      reason: sameResult(expected, actual, classes, ir) ?? 'flaky: the outcomes agreed when rerun',
      program: printIR(ir),
      ir,
      expected,
      actual,
      seed: details.seed,
      path: details.counterexamplePath ?? '',
    });
  }
  return {
    backend: backend.name,
    seed: details.seed,
    runs: details.failed ? compared + skipped + 1 : details.numRuns,
    compared,
    skipped,
    agreedErrors,
    classDifferences,
    mismatches,
  };
}

/** A one-paragraph text of a report (what `npm run fuzz` prints). */
export function formatReport(r: CheckReport): string {
  const head = `${r.backend}: ${r.runs} programs, ${r.compared} compared (${r.agreedErrors} both raised), ${r.skipped} skipped, seed ${r.seed}`;
  const lines = [head + (r.classDifferences > 0 ? `, ${r.classDifferences} error class differences` : '')];
  for (const m of r.mismatches) {
    lines.push(
      `MISMATCH: ${m.reason}`,
      `  interpreter: ${describeOutcome(m.expected)}`,
      `  backend:     ${describeOutcome(m.actual)}`,
      `  replay with seed ${m.seed}, path ${JSON.stringify(m.path)}`,
      m.program,
    );
  }
  return lines.join('\n');
}
