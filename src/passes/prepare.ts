// The front every backend runs a checked program through, so that all of them see the same
// program (semantics.md §1): constant folding (fold-constants.ts, which runs closed
// expressions on the reference interpreter), the type check of the folded program, and what
// its result needs of each node (demand.ts).

import { UserError } from '../diagnostics/diagnostic.js';
import type { IR, ValueIR } from '../ir/nodes.js';
import type { Value } from '../ir/value.js';
import { compile, locate } from '../backends/interpret/compile.js';
import { RuntimeError } from '../backends/interpret/errors.js';
import { analyzeDemand, type DemandInfo } from './demand.js';
import { foldConstants, raiseWhenNeeded } from './fold-constants.js';
import { typecheck, type AnyType, type TypecheckOptions } from './typecheck.js';

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
}

/** Type-checks, folds and analyses a program. Throws `UserError` on a type error. */
export function prepare(ir: IR, options: TypecheckOptions = {}): Prepared {
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
  const { raises, raisesWhole, hoisted } = raiseWhenNeeded(folded, demand);
  return { ir: folded.ir, types, demand, raises: raises as ReadonlyMap<IR, RuntimeError>, raisesWhole, hoisted };
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
