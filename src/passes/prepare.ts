// The front every backend runs a checked program through, so that all of them see the same
// program (semantics.md §1): constant folding (fold-constants.ts, which runs closed
// expressions on the reference interpreter), the type check of the folded program, what its
// result needs of each node (demand.ts), and the lifting of the queries it evaluates once into
// relational lets (lift-relational-lets.ts), after which the lifted program is analysed again.

import { UserError } from '../diagnostics/diagnostic.js';
import type { IR, ValueIR } from '../ir/nodes.js';
import { children } from '../ir/children.js';
import { forEachNode } from '../ir/walk.js';
import type { Value } from '../ir/value.js';
import { compile, locate } from '../backends/interpret/compile.js';
import { RuntimeError } from '../backends/interpret/errors.js';
import { analyzeDemand, type DemandInfo } from './demand.js';
import { foldConstants, raiseWhenNeeded } from './fold-constants.js';
import { differentiate, hasGrad } from './differentiate.js';
import { isNestedQuery, liftRelationalLets, resolveRootAliases } from './lift-relational-lets.js';
import { typecheck, type AnyType, type TypecheckOptions } from './typecheck.js';
import type { RequirednessOptions } from './requiredness.js';

export interface Prepared {
  readonly ir: IR;
  readonly types: ReadonlyMap<IR, AnyType>;
  readonly demand: DemandInfo;
  /** Closed expressions that raise when evaluated (a SQL backend emits the error itself). */
  readonly raises: ReadonlyMap<IR, RuntimeError>;
  /** Those of `raises` that raise whatever part of them is needed. */
  readonly raisesWhole: ReadonlySet<IR>;
  /** Closed nested queries, evaluated once before the rest of the program. */
  readonly hoisted: ReadonlySet<IR>;
  /** What the pipeline lifts: `hoisted`, and the queries that read only the root's relational lets. */
  readonly liftable: ReadonlySet<IR>;
  /** Of `liftable`, those reading a Let bound to a value that reads nothing that varies, and those reads (fold-constants.ts). */
  readonly readsLetValues: ReadonlySet<IR>;
  readonly letReads: ReadonlyMap<IR, IR>;
  /** Relational lets the lifting made (lift-relational-lets.ts). */
  readonly lets: number;
}

export interface PrepareOptions extends TypecheckOptions, RequirednessOptions {
  /** Lift hoisted queries into relational lets (default true; false to compare with the program as written). */
  readonly lift?: boolean;
  /**
   * How `Grad` and `Gradient` run: 'symbolic' (default) rewrites them first
   * (differentiate.ts); 'dual' leaves them to the interpreter's dual numbers, the independent check.
   */
  readonly grad?: 'symbolic' | 'dual';
}

/**
 * Type-checks, folds and analyses a program, and lifts its hoisted queries (semantics.md §7)
 * into relational lets, so that equal ones run once. Throws `UserError` on a type error.
 */
export function prepare(ir: IR, options: PrepareOptions = {}): Prepared {
  if (options.grad !== 'dual' && hasGrad(ir)) ir = differentiate(ir, options).ir;
  let out = analyse(ir, options);
  if (options.lift === false) return out;
  // Rounds: a query that reads a let lifted in one round (through a `Let` variable bound to it,
  // read directly afterwards) reads nothing that varies in the next, and is lifted then. Each
  // round is linear; past MAX_ROUNDS a query stays where it is, evaluated where it stands.
  let lets = 0;
  for (let round = 0; round < MAX_ROUNDS && out.liftable.size > 0; round++) {
    const p = out;
    // Closed expressions are lifted whole (§7 evaluates them ahead); of the others, only the
    // queries, and a query reading a Let value waits a round for that value to be lifted.
    const values = waitedFor(p);
    const mayLift = (q: IR): boolean => p.hoisted.has(q) || (isNestedQuery(q) && p.liftable.has(q) && !p.readsLetValues.has(q)) || values.has(q);
    const alsoLift = outermost(p.ir, p.hoisted);
    for (const v of values) alsoLift.add(v);
    const lifted = liftRelationalLets(p.ir, p.types, { mayLift, alsoLift });
    if (lifted.lets === 0) break;
    lets += lifted.lets;
    // The lifted program again: its types, what it needs, what raises (a lifted query is a
    // let's value now, and each of its reads a reference).
    out = { ...analyse(resolveRootAliases(lifted.ir), options), lets };
  }
  return out;
}

const MAX_ROUNDS = 6;

/**
 * The Let values that liftable queries wait for, read by one directly or through other such
 * values, and reading no other such value themselves (those wait a round). Each value is
 * walked once.
 */
function waitedFor(p: Prepared): Set<IR> {
  const out = new Set<IR>();
  if (p.letReads.size === 0) return out;
  const waiting = new Set([...p.liftable].filter((q) => isNestedQuery(q) && p.readsLetValues.has(q)));
  // A value that reads another such value waits too: what it reads is looked at in turn.
  const walked = new Set<IR>();
  const stack = [...outermost(p.ir, waiting)];
  while (stack.length > 0) {
    forEachNode(stack.pop()!, (n) => {
      if (walked.has(n)) return false;
      walked.add(n);
      const v = p.letReads.get(n);
      if (v === undefined) return;
      if (p.readsLetValues.has(v)) stack.push(v);
      else out.add(v);
    });
  }
  return out;
}

/** The members of `set` inside no other member: each whole expression evaluated ahead. */
function outermost(root: IR, set: ReadonlySet<IR>): Set<IR> {
  const out = new Set<IR>();
  const stack: IR[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (set.has(n)) out.add(n);
    else for (const c of children(n)) stack.push(c);
  }
  return out;
}

function analyse(ir: IR, options: TypecheckOptions): Prepared {
  const info = typecheck(ir, options);
  if (info.diagnostics.length > 0) throw new UserError(info.diagnostics);
  const folded = foldConstants(ir, info.types, evaluateClosed, (e) => e instanceof RuntimeError);
  let types = info.types;
  if (folded.ir !== ir) {
    const again = typecheck(folded.ir, options);
    if (again.diagnostics.length > 0) throw new UserError(again.diagnostics);
    types = again.types;
  }
  const demand = analyzeDemand(folded.ir, types);
  const { raises, raisesWhole, hoisted: liftable } = raiseWhenNeeded(folded, demand);
  // The backends run a hoisted query before the program: not one that reads a root let.
  const hoisted = folded.readsRootLets.size === 0 ? liftable : new Set([...liftable].filter((q) => !folded.readsRootLets.has(q)));
  return { ir: folded.ir, types, demand, raises: raises as ReadonlyMap<IR, RuntimeError>, raisesWhole, hoisted, liftable, readsLetValues: folded.readsLetValues, letReads: folded.letReads, lets: 0 };
}

/** Runs a closed value expression on the interpreter. */
function evaluateClosed(n: ValueIR): Value {
  const info = typecheck(n);
  if (info.diagnostics.length > 0) throw new UserError(info.diagnostics);
  try {
    // With its own demand, so it raises exactly where the whole program would.
    return compile(n, { types: info.types, demand: analyzeDemand(n, info.types) }).v(null as never) as Value;
  } catch (e) {
    // Where inside `n` it raised, for the backend's diagnostic.
    throw locate(e);
  }
}
