// A safe algebraic simplifier: a few rewrites, each exact under docs/design/semantics.md (same
// value, same -0.0 sign, same NaN, same error class, in every program around it). Meant for the
// IR that passes build (differentiate.ts), whose nodes are in no type table: types come from
// the table when a node is in it, else from a bottom-up inference over the kinds rewritten here
// (a literal's kind, an operand's type, a binding's value); a node whose type is not known is
// left alone. The input must be well typed, as for every pass.
//
// Rules (T the operand type; each refuses where the node's type is unknown):
// - `x + 0`, `0 + x`, `x - 0` -> x for Int32/Int64 (exact, never overflows).
// - Floats: `x + -0.0`, `-0.0 + x`, `x - 0.0` -> x for every x (-0.0 + -0.0 = -0.0). But
//   `x + 0.0` and `x - -0.0` are x only where x is not -0.0 (-0.0 + 0.0 = +0.0): taken only
//   where x is not -0.0 by its form (a non--0.0 literal, an integer cast to a float, a float
//   cast that does not narrow, `abs`, `exp`, or a sum with such an operand: a sum is -0.0 only
//   when both operands are).
// - `x * 1`, `1 * x` -> x (every numeric T: exact, including NaN, inf, -0.0, Float32).
// - `x / 1` -> x for FloatingPointDivide of floats (of integers the result is a Float64).
// - `--x` -> x for floats. Not for integers: `-(-MIN)` raises IntegerOverflow at the inner
//   Negate, and x alone would not.
// - Float64 literals: Add, Subtract, Multiply, FloatingPointDivide and Negate of F64 literals,
//   and an `Apply` of a Float64 function to them, are folded to one F64 by the interpreter's
//   own ops (ops.ts), so the bits are the interpreter's, NaN and -0.0 included. (The libm
//   functions are folded at the current `withInexactNudge` direction, as the interpreter would
//   compute them.)
// - Let: a binding (eval scope, in a let of eval bindings) whose value is a present scalar
//   constant (a literal, a scalar Literal) is written into each read and dropped: fold-constants
//   writes such a constant into every read of it anyway (semantics.md §1), so the program is
//   the one every backend runs. An unread binding whose value is any constant is dropped. A let
//   left without bindings is its body when the body is a primitive scalar (a let is opaque to
//   the length, field and key "by form" rules for containers, so there it keeps one binding).
//
// Refused, on purpose:
// - `x * 0 -> 0` (inf * 0 and NaN * 0 are NaN, -1 * 0 is -0.0, missing * 0 is missing, and
//   x may raise), `x - x -> 0` (inf - inf is NaN, missing, raises), `x / x -> 1` (0/0, inf/inf,
//   NaN, missing, raises). None holds for every value.
// - Dropping an unread binding that is not a constant. It is never evaluated (§1), so its value
//   cannot matter, but its form can: a let is "known to raise" at a raising binding only when
//   every binding before it is closed and evaluates (§1; fold-constants' `raisesFirst`), and
//   then the hoisted queries after it are not run ahead (§7). Dropping an open binding before
//   a raising one changes which error a program raises (a test shows one).
// - Inlining `Let x = (Ref y)`: the binding is open, so it could not be dropped (above), and
//   keeping it gains nothing.
// - Writing a missing constant (NA) into reads. §1 says such a read is that constant, but
//   fold-constants treats an `If` whose condition is missing as written (closed: missing by its
//   form) apart from one whose condition is missing through a let (reduced to missing, but still
//   reading its branches: open), and whether an enclosing fold is closed decides whether it is
//   NA by its form, and so whether a strict operation around it evaluates its other operands.
//   A test shows `(FloatingPointDivide <fold> (Die ...))` raising with the read and not with NA.
// - Anything inside a `Grad`/`Gradient` body: a rewrite there changes the derivative the
//   differentiation pass computes (d(x * 1) = 1 * dx + x * 0 is NaN at x = inf; dx is not).
//
// Rewrites that must also keep the program's *form*. Some rules of semantics.md §1 read the
// form of an operand, not its value: `IsNA` of a value present by its form is false without
// evaluating it, a `Coalesce` evaluates nothing after one, a fold over a stream present by its
// form, a `StreamRange` or take count that is a constant gives a length by form (which decides
// whether a fold needs its zero), and a fold whose zero is missing by its form and whose body
// is its accumulator (through lets) is missing without running its stream. `x + 0` is never
// present or constant by its form; `x` may be (a literal, a cast of one, a `Sum`, a `Ref` the
// constant folder replaces by its constant). So where such a rule can see the node (`formSensitive`:
// an operand of those nodes, or reached from one through nodes the rules or the constant folder
// see through: casts, let bodies, branches, fields), a rewrite is taken only when its result is
// neither present nor constant by any form (an arithmetic node, an `Apply`, a cast of one, a
// loop variable); and in a fold body's tail (`tail`) never when the result is the accumulator.
// Examples the tests run: `(IsNA (Add (Cast Int32 (F64 nan)) (I32 0)))` raises CastOutOfRange,
// `(IsNA (Cast Int32 (F64 nan)))` is false.
//
// Shared subtrees (one node object reached more than once, as passes build them): the analyses
// key their tables by node object (demand.ts resolves each Ref object to one binder), so an output
// object must not stand under two different binders for a variable it reads. A shared node
// reached again in the same context (the same environment object and flags) gets the same output
// object; a shared node rebuilt in another context gets fresh copies of the input subtrees it
// keeps. (Rebuilding the fold of `(Subtract p p)` twice around one body object made the first
// fold's accumulator look unread, and its zero missing.)
//
// Cost: one iterative fold (ir/walk.ts, no native recursion: any depth) after a counting walk,
// environments as persistent maps (binds.ts `childEnv`, O(log n) per binding), O(1) work per node
// otherwise (each helper that walks down a chain of casts or lets walks a chain only one rewrite
// sees; a copied subtree is one occurrence, copied once). The IR is never mutated; a subtree with
// nothing to rewrite is returned as the same object.

import { childEnv, emptyEnv, type Bind, type Env } from '../ir/binds.js';
import { children, withChildren } from '../ir/children.js';
import { functions, isFnName } from '../ir/functions.js';
import { constantValue, isTableIR, type IR, type Scope, type ValueIR } from '../ir/nodes.js';
import {
  TBoolean,
  TFloat32,
  TFloat64,
  TInt32,
  TInt64,
  elementType,
  isFloating,
  isIntegral,
  typeEqual,
  type Type,
} from '../ir/types.js';
import type { Value } from '../ir/value.js';
import { fold, forEachNode } from '../ir/walk.js';
import { applyFunction, binaryOp, unaryOp } from '../backends/interpret/ops.js';
import { constantType, type AnyType } from './typecheck.js';

export interface SimplifyOptions {
  /** Types of the variables free in the IR (as `TypecheckOptions.env`). */
  readonly env?: ReadonlyMap<string, Type>;
  /**
   * Where the IR will stand. 'program' (the default of `simplify`): it is the whole program.
   * 'anywhere' (the default of `simplifyValue`): it is a fragment to be placed in an unknown
   * position, possibly one the form rules read or a fold body's tail, so the root is treated as
   * both (see the top of this file).
   */
  readonly placement?: 'program' | 'anywhere';
}

/**
 * Simplifies a program. `types` is typecheck's table for it (nodes absent from it, built by a
 * pass, get their types inferred here). Returns `ir` itself when nothing changed.
 */
export function simplify(ir: IR, types: ReadonlyMap<IR, AnyType> = new Map(), options: SimplifyOptions = {}): IR {
  return new Simplifier(types).run(ir, options.env, options.placement ?? 'program');
}

/**
 * Simplifies a value expression just built, none of whose nodes is in a type table: `env` gives
 * the types of its free variables. Its root is taken to stand anywhere (conservative); pass
 * `placement: 'program'` when it is a whole program, or prefer `simplify` on the program after
 * the fragment is placed, which knows every position.
 */
export function simplifyValue(ir: ValueIR, options: SimplifyOptions = {}): ValueIR {
  return new Simplifier(new Map()).run(ir, options.env, options.placement ?? 'anywhere') as ValueIR;
}

// ---- internals --------------------------------------------------------------------------------

/** A variable in scope. */
interface Bound {
  /** The node binding it (ROOT for a free variable given in `env`). */
  readonly binder: IR;
  /** An eval binding of a Let: the constant folder writes its value into reads when it is a known scalar. */
  readonly letEval: boolean;
  readonly type: AnyType | undefined;
  /** The scalar constant written into each read (the binding is then dropped). */
  readonly inline: ValueIR | undefined;
  /** Whether a read of it stays (a frozen one, or any when it is not inlined). */
  read: boolean;
}

/** Any variable: the tail of a fragment whose enclosing fold is unknown. */
const ANY = Symbol('any accumulator');
type Tail = string | typeof ANY | null;

interface Ctx {
  readonly env: Env<Bound>;
  /** Inside a Grad or Gradient body: nothing is rewritten. */
  readonly frozen: boolean;
  /** Whether a "by form" rule may read this node's form (see the top of the file). */
  readonly formSensitive: boolean;
  /** In the tail of a fold's body: the accumulator a result must not be. */
  readonly tail: Tail;
}

interface Out {
  readonly ir: IR;
  readonly type: AnyType | undefined;
  /** Known never to be -0.0 (a missing value counts: it stays missing). */
  readonly noNegZero: boolean;
}

const ROOT: IR = { kind: 'Void' };

/** Kinds never present nor constant by any form, which the constant folder keeps as they are (or makes NA). */
const FORMLESS: ReadonlySet<string> = new Set([
  'ApplyBinaryPrimOp',
  'ApplyUnaryPrimOp',
  'ApplyComparisonOp',
  'Apply',
  'ArrayRef',
  'ArrayLen',
  'StreamLen',
  'Die',
  'NA',
]);

/** Operands whose form a rule of semantics.md §1 reads (presence, constancy, length). */
function readsForm(node: IR, i: number): boolean {
  switch (node.kind) {
    case 'IsNA':
    case 'Coalesce':
    case 'StreamRange':
      return true;
    case 'StreamFold':
    case 'StreamScan':
    case 'InsertFields':
    case 'SelectFields':
      return i === 0;
    case 'StreamTake':
    case 'StreamDrop':
      return i === 1;
    default:
      return false;
  }
}

/**
 * Children whose form is read where their parent's is: `presentByForm` recurses into them, or
 * the constant folder may put them in their parent's place (a branch a closed condition picks,
 * a let's or aggregation's closed body, a field of a struct written out).
 */
function passesForm(node: IR, i: number): boolean {
  switch (node.kind) {
    case 'Cast':
    case 'ToStream':
    case 'ToArray':
    case 'StreamMap':
    case 'StreamFilter':
    case 'StreamScan':
    case 'SelectFields':
    case 'GetField':
    case 'GetTupleElement':
      return i === 0;
    case 'InsertFields':
    case 'MakeStruct':
    case 'MakeTuple':
    case 'Coalesce':
    case 'StreamRange':
      return true;
    case 'Let':
      return i === node.bindings.length;
    case 'AggLet':
    case 'RelationalLet':
    case 'AggFilter':
    case 'AggExplode':
    case 'TableAggregate':
      return i === 1;
    case 'If':
    case 'Switch':
      return i > 0;
    default:
      return false;
  }
}

/** The tail context of child `i`: a fold's body, then through let bodies and branches (which a closed condition may pick). */
function tailOf(node: IR, i: number, tail: Tail): Tail {
  if (node.kind === 'StreamFold' && i === 2) return node.accum;
  if (tail === null) return null;
  switch (node.kind) {
    case 'Let':
      if (i < node.bindings.length) return null;
      return tail !== ANY && node.bindings.some((b) => b.name === tail) ? null : tail;
    case 'If':
    case 'Switch':
      return i === 0 ? null : tail;
    case 'Coalesce':
      return tail;
    default:
      return null;
  }
}

/**
 * Whether `n` may read, after constant folding, as the accumulator `tail` through lets: the
 * form static-missing.ts's fold rule looks for (a fold from a zero missing by its form whose body
 * is its accumulator is missing, its stream never run). A branch may be picked by its condition.
 */
function mayBeTailRef(n: IR, tail: Tail): boolean {
  if (tail === null) return false;
  for (;;) {
    switch (n.kind) {
      case 'Ref':
        return tail === ANY || n.name === tail;
      case 'Let':
        if (tail !== ANY && n.bindings.some((b) => b.name === tail)) return false;
        n = n.body;
        continue;
      case 'If':
      case 'Switch':
      case 'Coalesce':
        return true;
      default:
        return false;
    }
  }
}

/** A numeric literal's value: I32, I64, F32, F64, or a present numeric Literal. */
function numericLiteral(n: IR): number | bigint | undefined {
  switch (n.kind) {
    case 'I32':
    case 'F32':
    case 'F64':
    case 'I64':
      return n.value;
    case 'Literal':
      return typeof n.value === 'number' || typeof n.value === 'bigint' ? n.value : undefined;
    default:
      return undefined;
  }
}

/** A constant the constant folder writes into the reads of a let binding, and present (see the top of the file for NA). */
function presentScalarConstant(n: IR): boolean {
  const v = constantValue(n);
  return v !== undefined && v !== null && typeof v !== 'object';
}

const isNegZero = (v: number | bigint): boolean => typeof v === 'number' && Object.is(v, -0);
const isZero = (v: number | bigint): boolean => v === 0 || v === 0n;
const isOne = (v: number | bigint): boolean => v === 1 || v === 1n;

function valueType(t: AnyType | undefined): Type | undefined {
  return t !== undefined && 'kind' in t ? t : undefined;
}

/** The type two operands of one type have: one when the other is unknown, none when they differ. */
function unify(a: AnyType | undefined, b: AnyType | undefined): Type | undefined {
  const [x, y] = [valueType(a), valueType(b)];
  if (x === undefined) return y;
  if (y === undefined) return x;
  return typeEqual(x, y) ? x : undefined;
}

const PRIMITIVE_SCALARS: ReadonlySet<string> = new Set(['Int32', 'Int64', 'Float32', 'Float64', 'Boolean', 'String']);
const NUMERIC: ReadonlySet<string> = new Set(['Int32', 'Int64', 'Float32', 'Float64']);

/** The output of a shared node in one context. */
interface Memo {
  readonly ctx: Ctx;
  readonly out: Out;
}

const sameContext = (a: Ctx, b: Ctx): boolean => a.env === b.env && a.frozen === b.frozen && a.formSensitive === b.formSensitive && a.tail === b.tail;

/** A copy of `n` sharing no node object with it (iterative: any depth). */
function deepCopy(n: IR): IR {
  return fold<null, IR>(n, null, {
    enter: () => null,
    leave: (node, _ctx, kids) => (kids.length === 0 ? { ...node } : withChildren({ ...node }, kids)),
  });
}

class Simplifier {
  /**
   * Per let being walked: whether all its bindings are eval ones, and those bindings (one entry
   * per occurrence, cleared when it is left).
   */
  private readonly letBounds = new Map<IR, { readonly allEval: boolean; readonly bounds: Bound[] }>();
  /** What is known of each node produced (for a rewrite that reaches a grandchild). */
  private readonly info = new WeakMap<IR, Out>();
  /** Every node object of the input, and those reached more than once. */
  private readonly input = new Set<IR>();
  private readonly shared = new Set<IR>();
  private readonly memo = new Map<IR, Memo>();

  constructor(private readonly types: ReadonlyMap<IR, AnyType>) {}

  run(root: IR, env: ReadonlyMap<string, Type> | undefined, placement: 'program' | 'anywhere'): IR {
    forEachNode(root, (n) => {
      if (this.input.has(n)) this.shared.add(n);
      else this.input.add(n);
    });
    let e = emptyEnv<Bound>();
    if (env !== undefined && env.size > 0) {
      e = { ...e, eval: e.eval.withMutations((m) => env.forEach((type, name) => m.set(name, { binder: ROOT, letEval: false, type, inline: undefined, read: false }))) };
    }
    const anywhere = placement === 'anywhere';
    const ctx: Ctx = { env: e, frozen: false, formSensitive: anywhere, tail: anywhere ? ANY : null };
    return fold<Ctx, Out>(root, ctx, {
      enter: (node, i, c, done) => this.enter(node, i, c, done),
      leave: (node, c, results) => {
        const out = this.shared.has(node) ? this.leaveShared(node, c, results) : this.leave(node, c, results);
        this.info.set(out.ir, out);
        return out;
      },
    }).ir;
  }

  /** A node reached more than once: the same output in the same context, else no input object shared with another output. */
  private leaveShared(node: IR, ctx: Ctx, results: readonly Out[]): Out {
    const out = this.leave(node, ctx, results);
    const seen = this.memo.get(node);
    if (seen !== undefined && sameContext(seen.ctx, ctx)) return seen.out;
    let ir = out.ir;
    // Rebuilt: the input subtrees it keeps are copied (another occurrence may keep them too,
    // under another copy of a binder above them).
    if (ir !== node && !this.input.has(ir)) {
      const kids = children(ir);
      ir = withChildren(ir, kids.map((k) => (this.input.has(k) ? deepCopy(k) : k)));
    }
    const own = ir === out.ir ? out : { ...out, ir };
    this.memo.set(node, { ctx, out: own });
    return own;
  }

  private enter(node: IR, i: number, ctx: Ctx, done: readonly Out[]): Ctx {
    const frozen = ctx.frozen || node.kind === 'Grad' || node.kind === 'Gradient';
    const resolve = (binder: IR, bind: Bind, scope: Scope | 'rel'): Bound => this.bound(binder, bind, scope, done, frozen);
    return {
      env: childEnv(node, i, ctx.env, resolve),
      frozen,
      formSensitive: readsForm(node, i) || (ctx.formSensitive && passesForm(node, i)),
      tail: tailOf(node, i, ctx.tail),
    };
  }

  /** A binding, resolved against the node's children done so far (binds.ts resolves only those). */
  private bound(binder: IR, bind: Bind, scope: Scope | 'rel', done: readonly Out[], frozen: boolean): Bound {
    const src = bind.source;
    let type: AnyType | undefined;
    if (src.of === 'int32') type = TInt32;
    else {
      const t = done[src.child]?.type;
      if (t !== undefined) {
        if (src.of === 'type') type = t;
        else if (src.of === 'element') type = 'kind' in t ? elementType(t) : undefined;
        else if (!('kind' in t)) type = src.of === 'row' ? t.row : t.global;
      }
    }
    if (binder.kind !== 'Let' || scope !== 'eval' || src.of !== 'type') return { binder, letEval: false, type, inline: undefined, read: false };
    let entry = this.letBounds.get(binder);
    if (entry === undefined) this.letBounds.set(binder, (entry = { allEval: binder.bindings.every((b) => b.scope === 'eval'), bounds: [] }));
    const j = src.child;
    const seen = entry.bounds[j];
    if (seen !== undefined) return seen;
    const value = done[j]?.ir;
    const inline = !frozen && entry.allEval && value !== undefined && presentScalarConstant(value) ? (value as ValueIR) : undefined;
    return (entry.bounds[j] = { binder, letEval: true, type, inline, read: false });
  }

  private leave(node: IR, ctx: Ctx, results: readonly Out[]): Out {
    switch (node.kind) {
      case 'Ref': {
        const b = ctx.env.eval.get(node.name);
        if (b !== undefined && b.inline !== undefined && !ctx.frozen) return this.constant(b.inline, b.type);
        if (b !== undefined) b.read = true;
        return { ir: node, type: this.types.get(node) ?? b?.type, noNegZero: false };
      }
      case 'Grad':
      case 'Gradient':
        // They name variables bound outside them: reads, so those bindings stay.
        for (const name of node.kind === 'Grad' ? [node.name] : node.names) {
          const b = ctx.env.eval.get(name);
          if (b !== undefined) b.read = true;
        }
        break;
      case 'Let':
        return this.leaveLet(node, ctx, results);
      default:
        break;
    }
    const ir = withChildren(node, results.map((r) => r.ir));
    const type = this.types.get(node) ?? this.infer(ir, results);
    const out: Out = { ir, type, noNegZero: noNegZero(ir, results) };
    if (ctx.frozen || isTableIR(ir)) return out;
    const r = this.rewrite(ir, out, results, ctx);
    return r ?? out;
  }

  /** An inlined constant, or a folded literal. */
  private constant(ir: ValueIR, type: AnyType | undefined): Out {
    return { ir, type: type ?? this.infer(ir, []), noNegZero: noNegZero(ir, []) };
  }

  private leaveLet(node: Extract<IR, { kind: 'Let' }>, ctx: Ctx, results: readonly Out[]): Out {
    const entry = this.letBounds.get(node);
    this.letBounds.delete(node);
    const n = node.bindings.length;
    const body = results[n]!;
    const ir = withChildren(node, results.map((r) => r.ir));
    const out: Out = { ir, type: this.types.get(node) ?? body.type, noNegZero: body.noNegZero };
    if (ctx.frozen || entry === undefined || !entry.allEval) return out;
    const bounds = entry.bounds;
    // Kept: a binding read (not inlined, or read where nothing is rewritten) or not a constant.
    const keep = node.bindings.map((_, j) => {
      const b = bounds[j];
      return b === undefined || b.read || constantValue(results[j]!.ir) === undefined;
    });
    if (keep.every((k) => k)) return out;
    let bindings = node.bindings.flatMap((b, j) => (keep[j] ? [{ scope: b.scope, name: b.name, value: results[j]!.ir as ValueIR }] : []));
    if (bindings.length === 0) {
      const t = valueType(body.type);
      // A let is its body for every rule that reads a scalar's form (presence, constancy,
      // missingness, the fold-tail rule all see through lets).
      if (t !== undefined && PRIMITIVE_SCALARS.has(t.kind)) return body;
      // A container body: length, fields and keys by form do not see through a let; keep one
      // (unread, constant) binding so the let stays a let.
      if (n === 1) return out;
      const last = node.bindings[n - 1]!;
      bindings = [{ scope: last.scope, name: last.name, value: results[n - 1]!.ir as ValueIR }];
    }
    return { ir: { ...node, bindings, body: body.ir as ValueIR }, type: out.type, noNegZero: body.noNegZero };
  }

  /** The node's type from its kind and its children's types (for nodes not in the table). */
  private infer(ir: IR, kids: readonly Out[]): AnyType | undefined {
    const k = (i: number) => kids[i]?.type;
    const constant = constantType(ir);
    if (constant !== undefined) return constant;
    switch (ir.kind) {
      case 'IsNA':
        return TBoolean;
      case 'Cast':
      case 'Die':
      case 'RelationalRef':
        return ir.type;
      case 'Apply':
        return ir.returnType;
      case 'ApplyComparisonOp':
        return ir.op === 'Compare' ? TInt32 : TBoolean;
      case 'ApplyUnaryPrimOp':
        return ir.op === 'Bang' ? TBoolean : ir.op === 'BitCount' ? TInt32 : valueType(k(0));
      case 'ApplyBinaryPrimOp': {
        if (ir.op === 'LeftShift' || ir.op === 'RightShift' || ir.op === 'LogicalRightShift') return valueType(k(0));
        const t = unify(k(0), k(1));
        if (ir.op !== 'FloatingPointDivide' || t === undefined) return t;
        return t.kind === 'Float32' ? TFloat32 : TFloat64;
      }
      case 'Let':
        return k(kids.length - 1);
      case 'If':
        return unify(k(1), k(2));
      case 'Coalesce':
        return kids.map((x) => valueType(x.type)).find((t) => t !== undefined);
      case 'TableCount':
        return TInt64;
      case 'ArrayLen':
        return TInt32;
      default:
        return undefined;
    }
  }

  /** The rewrite of `ir` (its children already simplified), or undefined. */
  private rewrite(ir: IR, out: Out, kids: readonly Out[], ctx: Ctx): Out | undefined {
    switch (ir.kind) {
      case 'ApplyBinaryPrimOp':
        return this.binary(ir, out, kids[0]!, kids[1]!, ctx);
      case 'ApplyUnaryPrimOp': {
        if (ir.op !== 'Negate') return undefined;
        const t = unify(kids[0]!.type, out.type);
        if (t === undefined || !NUMERIC.has(t.kind)) return undefined;
        const x = kids[0]!.ir;
        const v = numericLiteral(x);
        if (t.kind === 'Float64' && typeof v === 'number') return this.folded(unaryOp('Negate', TFloat64, v), ir, ctx);
        // --x = x for floats (NaN, inf, -0.0: the sign flips twice). Integers: -(-MIN) raises.
        if (isFloating(t) && x.kind === 'ApplyUnaryPrimOp' && x.op === 'Negate') {
          const inner = x.x;
          return this.take(this.info.get(inner) ?? { ir: inner, type: t, noNegZero: false }, ctx);
        }
        return undefined;
      }
      case 'Apply':
        return this.apply(ir, kids, ctx);
      default:
        return undefined;
    }
  }

  private binary(ir: Extract<IR, { kind: 'ApplyBinaryPrimOp' }>, out: Out, l: Out, r: Out, ctx: Ctx): Out | undefined {
    const op = ir.op;
    if (op !== 'Add' && op !== 'Subtract' && op !== 'Multiply' && op !== 'FloatingPointDivide') return undefined;
    const t = unify(l.type, r.type);
    if (t === undefined || !NUMERIC.has(t.kind)) return undefined;
    // The node's own type (from the table) must agree with its operands'.
    const own = valueType(out.type);
    const expected = op !== 'FloatingPointDivide' ? t : t.kind === 'Float32' ? TFloat32 : TFloat64;
    if (own !== undefined && !typeEqual(own, expected)) return undefined;
    const float = isFloating(t);
    const cl = numericLiteral(l.ir);
    const cr = numericLiteral(r.ir);
    if (t.kind === 'Float64' && typeof cl === 'number' && typeof cr === 'number') {
      return this.folded(binaryOp(op, TFloat64, cl, cr), ir, ctx);
    }
    // NOT x * 0, x - x, x / x: see the top of the file.
    switch (op) {
      case 'Add':
        if (cr !== undefined && this.addsNothing(cr, float, l)) return this.take(l, ctx);
        if (cl !== undefined && this.addsNothing(cl, float, r)) return this.take(r, ctx);
        return undefined;
      case 'Subtract':
        // x - 0.0 = x + -0.0; x - -0.0 = x + 0.0.
        if (cr !== undefined && isZero(cr) && (!float || !isNegZero(cr) || l.noNegZero)) return this.take(l, ctx);
        return undefined;
      case 'Multiply':
        if (cr !== undefined && isOne(cr)) return this.take(l, ctx);
        if (cl !== undefined && isOne(cl)) return this.take(r, ctx);
        return undefined;
      case 'FloatingPointDivide':
        if (float && cr !== undefined && isOne(cr)) return this.take(l, ctx);
        return undefined;
    }
  }

  /** Whether adding the literal `c` to `x` gives x: integer 0; float -0.0; float 0.0 when x is not -0.0. */
  private addsNothing(c: number | bigint, float: boolean, x: Out): boolean {
    if (!isZero(c)) return false;
    return !float || isNegZero(c) || x.noNegZero;
  }

  private apply(ir: Extract<IR, { kind: 'Apply' }>, kids: readonly Out[], ctx: Ctx): Out | undefined {
    if (ir.returnType.kind !== 'Float64' || ir.typeArgs.length > 0 || !isFnName(ir.fn)) return undefined;
    const fn = functions[ir.fn];
    if (kids.length !== fn.arity) return undefined;
    const args: number[] = [];
    for (const k of kids) {
      const v = numericLiteral(k.ir);
      if (typeof v !== 'number' || valueType(k.type)?.kind !== 'Float64') return undefined;
      args.push(v);
    }
    const argTypes = args.map(() => TFloat64);
    if (fn.result(argTypes)?.kind !== 'Float64') return undefined;
    return this.folded(applyFunction(ir.fn, argTypes, args), ir, ctx);
  }

  /** A folded Float64 literal in place of `ir`, where its form may differ from the node's. */
  private folded(v: Value, ir: IR, ctx: Ctx): Out | undefined {
    if (typeof v !== 'number' || ctx.formSensitive) return undefined;
    const lit: ValueIR = { kind: 'F64', value: v, ...(ir.span ? { span: ir.span } : {}) };
    return { ir: lit, type: TFloat64, noNegZero: !Object.is(v, -0) };
  }

  /** `x` in place of an operation on it, unless a form rule could tell them apart. */
  private take(x: Out, ctx: Ctx): Out | undefined {
    if (ctx.formSensitive && !this.formless(x.ir, ctx.env)) return undefined;
    if (mayBeTailRef(x.ir, ctx.tail)) return undefined;
    return x;
  }

  /**
   * Whether `n` is, like the operation it replaces, neither present nor constant by any form,
   * even after constant folding: an arithmetic node (kept as written, or NA), a cast of one, or
   * a read of a variable the constant folder never replaces (a loop variable, an aggregation's).
   */
  private formless(n: IR, env: Env<Bound>): boolean {
    for (;;) {
      switch (n.kind) {
        case 'Cast':
          n = n.value;
          continue;
        case 'Ref': {
          const b = env.eval.get(n.name);
          // (A row or global is a struct, never an operand here; a free one may be anything.)
          return b !== undefined && !b.letEval && b.binder !== ROOT && !isTableIR(b.binder) && b.binder.kind !== 'TableAggregate';
        }
        default:
          return FORMLESS.has(n.kind);
      }
    }
  }
}

/** Whether `ir` is never -0.0, from its kind and its children's (see the top of the file). */
function noNegZero(ir: IR, kids: readonly Out[]): boolean {
  switch (ir.kind) {
    case 'F32':
    case 'F64':
      return !Object.is(ir.value, -0);
    case 'Literal':
      return !(typeof ir.value === 'number' && Object.is(ir.value, -0));
    case 'NA':
      return true;
    case 'Cast': {
      const from = valueType(kids[0]?.type);
      // Float64 to Float32 rounds a tiny negative to -0.0.
      const narrows = from?.kind === 'Float64' && ir.type.kind === 'Float32';
      return from !== undefined && (isIntegral(from) || (isFloating(from) && kids[0]!.noNegZero && !narrows));
    }
    case 'Apply': {
      const from = valueType(kids[0]?.type);
      if (ir.fn === 'toFloat64') return from !== undefined && (isIntegral(from) || (isFloating(from) && kids[0]!.noNegZero));
      // |x| and exp(x) are never -0.0 (Math.abs(-0) is 0; exp >= 0, and a nudge never crosses 0).
      return ir.fn === 'abs' || ir.fn === 'exp';
    }
    case 'ApplyBinaryPrimOp':
      // A sum is -0.0 only when both operands are (round to nearest: x + -x is +0.0).
      return ir.op === 'Add' && (kids[0]!.noNegZero || kids[1]!.noNegZero);
    case 'Let':
      return kids[kids.length - 1]!.noNegZero;
    default:
      return false;
  }
}
