// Value nodes to SQL expressions (the value half of emit.ts). Each case follows
// docs/design/semantics.md; where DuckDB's own operator differs, the rule is spelled out.

import { InternalError } from '../../diagnostics/diagnostic.js';
import { AGG_KINDS, constantValue, plainSortOrder, type AggOp, type IR, type ValueIR } from '../../ir/nodes.js';
import { fieldIndex, isFloating, TBoolean, TInt32, type StructType, type Type } from '../../ir/types.js';
import { binary, bool, call, cast, col, scalarType, str, unary, type Expr, type From, type OrderItem, type Query, type Select, type SelectItem, forChildren, mapChildren, readsOnly, readsOuter, substituteColumns } from './sql.js';
import { repLiteral, repType, sqlFieldNames } from './types.js';
import { containsSubquery, unsupported, vstruct, type AggCtx, type EmitterApi, type Reopened, type Scope, type Val } from './emit.js';
import { applyFunction, floatDivide } from './functions.js';
import { foldsToMissing, presentByForm } from '../../passes/static-missing.js';
import { fold, forEachNode, memoFold } from '../../ir/walk.js';
import { childEnv, emptyEnv, type Env } from '../../ir/binds.js';
import { floatInside, fromSigns, withSigns } from './zero-sign.js';

const TRUE = bool(true);
const big = (v: bigint): Expr => ({ kind: 'number', type: 'BIGINT', value: v });
const i32 = (v: number): Expr => ({ kind: 'number', type: 'INTEGER', value: v });
const isNull = (e: Expr): Expr => ({ kind: 'isNull', operand: e, not: false });
const notNull = (e: Expr): Expr => ({ kind: 'isNull', operand: e, not: true });
const nullOf = (t: Type): Expr => ({ kind: 'null', type: repType(t) });
export const and = (es: readonly Expr[]): Expr | undefined => es.reduce<Expr | undefined>((a, e) => (a === undefined ? e : binary('AND', a, e)), undefined);
const or = (es: readonly Expr[]): Expr => es.reduce((a, e) => binary('OR', a, e));
const caseWhen = (whens: readonly (readonly [Expr, Expr])[], otherwise?: Expr): Expr => ({
  kind: 'case',
  whens: whens.map(([when, then]) => ({ when, then })),
  ...(otherwise === undefined ? {} : { else: otherwise }),
});
const lambda = (params: readonly string[], body: Expr): Expr => ({ kind: 'lambda', params, body });

/**
 * The WHEN of a strict operation's missing operands (each an IR node and its SQL): none for
 * operands never missing (passes/requiredness.ts), so the check is left out.
 */
export function whenMissing(em: EmitterApi, operands: readonly (readonly [IR, Expr])[], t: Type): (readonly [Expr, Expr])[] {
  const maybe = operands.filter(([n]) => !em.required(n)).map(([, e]) => isNull(e));
  return maybe.length === 0 ? [] : [[or(maybe), nullOf(t)]];
}

/**
 * `whenMissing` of a value of which nothing but its presence is read: one that may raise is
 * checked although it is never missing, so DuckDB computes it (the interpreter evaluates it).
 */
function presence(em: EmitterApi, n: IR, e: Expr, t: Type): (readonly [Expr, Expr])[] {
  // (A variable's binding may raise: a check is what reads it.)
  return mayRaise(em, n) || n.kind === 'Ref' || n.kind === 'RelationalRef' ? [[isNull(e), nullOf(t)]] : whenMissing(em, [[n, e]], t);
}

/** A CASE of `whens`, or `otherwise` when there is none. */
const cases = (whens: readonly (readonly [Expr, Expr])[], otherwise: Expr): Expr => (whens.length === 0 ? otherwise : caseWhen(whens, otherwise));
const subquery = (q: Query): Expr => ({ kind: 'subquery', query: q });
const emptyList = (t: Type): Expr => cast({ kind: 'list', items: [] }, repType(t));

/** Counts expression nodes up to `limit`: small conditions may be repeated in a CASE. */
function small(e: Expr, limit = 40): boolean {
  let budget = limit;
  const stack: unknown[] = [e];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    if ((x as { kind?: string }).kind === 'subquery') return false;
    if ('kind' in (x as object) && --budget < 0) return false;
    for (const v of Object.values(x as object)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return true;
}

export function compileValue(em: EmitterApi, n: ValueIR, scope: Scope): Val {
  const t = (): Type => em.typeOf(n);
  // A strict operation on a statically missing operand evaluates nothing (semantics.md §1).
  if (foldsToMissing(n) || !em.needed(n)) return nullOf(t());
  // A closed expression known to raise is the error itself, evaluated only where reached.
  // (Only where it is needed whole, or raises whatever is needed: a part may not raise.)
  const raised = em.raises(n);
  if (raised !== undefined) return em.raise(raised.span ? { ...n, span: raised.span } : n, raised.errorClass, raised.message, t());
  const hoisted = em.hoist(n, () => em.toExpr(compileValue(em, n, { vars: scope.vars.clear(), agg: undefined, scan: undefined, rel: scope.rel, closed: true }), t()));
  if (hoisted !== undefined) return hoisted;
  const val = (x: ValueIR, s: Scope = scope): Val => compileValue(em, x, s);
  const ex = (x: ValueIR, s: Scope = scope): Expr => em.toExpr(compileValue(em, x, s), em.typeOf(x));
  const tableScope: Scope = { ...scope, agg: undefined, scan: undefined };

  switch (n.kind) {
    case 'I32':
      return i32(n.value);
    case 'I64':
      return big(n.value);
    case 'F32':
      return { kind: 'number', type: 'FLOAT', value: n.value };
    case 'F64':
      return { kind: 'number', type: 'DOUBLE', value: n.value };
    case 'Str':
      return str(n.value);
    case 'True':
      return TRUE;
    case 'False':
      return bool(false);
    case 'Void':
      return nullOf(t());
    case 'NA':
      return nullOf(n.type);
    case 'Literal':
      return repLiteral(n.type, n.value);
    case 'Cast':
      return castValue(em, n, ex(n.value), em.typeOf(n.value), n.type);
    case 'IsNA':
      return isNull(ex(n.value));
    case 'Coalesce': {
      // Arguments after one that is present by its form are never evaluated (semantics.md §1):
      // leave them out (DuckDB would run a subquery among them even where coalesce does not
      // need it).
      const args: Expr[] = [];
      for (const x of n.values) {
        const v = val(x);
        if (v.kind === 'vstruct') return args.length === 0 ? v : call('coalesce', [...args, em.toExpr(v, t())]);
        if (v.kind === 'null') continue;
        args.push(v);
        if (presentByForm(x)) break;
      }
      if (args.length === 0) return nullOf(t());
      return args.length === 1 ? args[0]! : call('coalesce', args);
    }
    case 'If': {
      // A chain If c1 a1 (If c2 a2 ...) becomes one flat CASE (DuckDB's expression depth is
      // limited; rule models are long chains). A missing condition makes the result missing:
      // `WHEN c IS NOT FALSE THEN CASE WHEN c THEN a END` takes the branch for true or missing,
      // and repeats `c` only for the row that takes it.
      const whens: [Expr, Expr][] = [];
      // The same chain as a person writes it, `WHEN c THEN a`: exact when no condition is
      // missing, which holds when every column the conditions read is present (versioning).
      const fast: [Expr, Expr][] = [];
      let cur: ValueIR = n;
      while (cur.kind === 'If') {
        const c = ex(cur.cond);
        const a = ex(cur.then);
        fast.push([condition(em, cur.cond, scope), a]);
        if (c.kind === 'boolean') {
          if (c.value) return whens.length === 0 ? a : caseWhen(whens, a);
        } else if (c.kind === 'null') {
          const na = nullOf(t());
          return whens.length === 0 ? na : caseWhen(whens, na);
        } else if (cur.cond.kind === 'If' && cur.cond.else.kind === 'False' && !mayRaise(em, cur.cond.then)) {
          // c = If c1 c2 False is false when c1 is, or c1 holds and c2 is false; true when both hold.
          const c1 = condition(em, cur.cond.cond, scope);
          const c2 = condition(em, cur.cond.then, scope);
          if (small(c1) && small(c2)) {
            // (`c1 IS TRUE`, not `c1`: a missing c1 makes c missing, not false.)
            const isFalse = (e: Expr): Expr => ({ kind: 'isDistinct', left: e, right: bool(false), not: true });
            const isTrue = (e: Expr): Expr => ({ kind: 'isDistinct', left: e, right: bool(true), not: true });
            const cFalse = binary('OR', isFalse(c1), binary('AND', isTrue(c1), isFalse(c2)));
            whens.push([{ kind: 'unary', op: 'NOT', operand: cFalse }, caseWhen([[binary('AND', c1, c2), a]])]);
          } else whens.push([{ kind: 'isDistinct', left: c, right: bool(false), not: false }, caseWhen([[c, a]])]);
        } else if (small(c)) {
          whens.push([{ kind: 'isDistinct', left: c, right: bool(false), not: false }, caseWhen([[c, a]])]);
        } else {
          // Too large to repeat: bind it once, and finish the chain inside.
          const rest = ex(cur.else);
          const cond = cur.cond;
          const tail = em.share(c, (x) => caseWhen([[x, a], ...whenMissing(em, [[cond, x]], t())], rest));
          return whens.length === 0 ? tail : caseWhen(whens, tail);
        }
        cur = cur.else;
      }
      const last = ex(cur);
      if (whens.length === 0) return last;
      const exact = caseWhen(whens, last);
      const columns = new Map<string, Expr>();
      if (fast.length < 2 || !fast.every(([c]) => presentGivenColumns(c, columns))) return exact;
      const guard = and([...columns.values()].map(notNull));
      return guard === undefined ? caseWhen(fast, last) : caseWhen([[guard, caseWhen(fast, last)]], exact);
    }
    case 'Switch': {
      const x = ex(n.x);
      return em.share(
        x,
        (v) =>
          cases(
            // (With no case, only the index's presence is read.)
            [...n.cases.map((c, i) => [binary('=', v, i32(i)), ex(c)] as const), ...(n.cases.length === 0 ? presence(em, n.x, v, t()) : whenMissing(em, [[n.x, v]], t()))],
            ex(n.default),
          ),
      );
    }
    case 'Let':
      return compileLet(em, n, 0, scope);
    case 'AggLet': {
      const ctx = n.isScan ? scope.scan : scope.agg;
      if (ctx === undefined) throw new InternalError('AggLet outside an aggregation');
      // Unneeded, it is read only where no row reaches (under an AggExplode of a missing array).
      if (!em.needed(n.value)) {
        const na = nullOf(em.typeOf(n.value));
        const none: AggCtx = { ...ctx, vars: ctx.vars.set(n.name, na), ...rereading(ctx, (r) => ({ vars: r.vars.set(n.name, na) })) };
        return val(n.body, n.isScan ? { ...scope, scan: none } : { ...scope, agg: none });
      }
      const inner = bindRow(em, ctx, n.name, n.value, scope);
      return val(n.body, n.isScan ? { ...scope, scan: inner } : { ...scope, agg: inner });
    }
    case 'Ref': {
      const v = scope.vars.get(n.name);
      if (v === undefined) throw new InternalError(`unbound ${n.name}`);
      return v;
    }
    case 'ApplyBinaryPrimOp':
      return binaryOp(em, n, ex(n.l), ex(n.r), em.typeOf(n.l));
    case 'ApplyUnaryPrimOp': {
      const x = ex(n.x);
      const xt = em.typeOf(n.x);
      switch (n.op) {
        case 'Negate':
          return { kind: 'unary', op: '-', operand: x };
        case 'Bang':
          return { kind: 'unary', op: 'NOT', operand: x };
        case 'BitNot':
          return call('xor', [x, xt.kind === 'Int32' ? i32(-1) : big(-1n)]);
        case 'BitCount':
          return cast(call('bit_count', [x]), repType(t()));
      }
      break;
    }
    case 'ApplyComparisonOp': {
      // DuckDB moves constants across a comparison (`x + c1 <= c2` to `x <= c2 - c1`), which
      // drops the overflow check of the integer arithmetic: a unary plus keeps it in place.
      const int = (e: IR): boolean => ['Int32', 'Int64'].includes(em.typeOf(e).kind);
      const kept = (e: Expr): Expr => (e.kind === 'binary' && (e.op === '+' || e.op === '-' || e.op === '*') ? unary('+', e) : e);
      const l = int(n.l) ? kept(ex(n.l)) : ex(n.l);
      const r = int(n.r) ? kept(ex(n.r)) : ex(n.r);
      switch (n.op) {
        case 'EQ':
          return binary('=', l, r);
        case 'NEQ':
          return binary('<>', l, r);
        case 'LT':
          return binary('<', l, r);
        case 'LTEQ':
          return binary('<=', l, r);
        case 'GT':
          return binary('>', l, r);
        case 'GTEQ':
          return binary('>=', l, r);
        case 'EQWithNA':
          return { kind: 'isDistinct', left: l, right: r, not: true };
        case 'NEQWithNA':
          return { kind: 'isDistinct', left: l, right: r, not: false };
        case 'Compare':
          return em.shareAll([l, r], ([a, b]) => caseWhen([[binary('<', a!, b!), i32(-1)], [binary('>', a!, b!), i32(1)], [binary('=', a!, b!), i32(0)]]));
      }
      break;
    }
    case 'MakeStruct':
      return vstruct(n.fields.map((f) => [f.name, val(f.value)] as const));
    case 'InsertFields':
    case 'SelectFields': {
      const ot = em.typeOf(n.old);
      const old = val(n.old);
      const rt = t() as StructType;
      const build = (o: Val): Val => {
        const s = em.spread(o, ot);
        const news = n.kind === 'InsertFields' ? new Map(n.fields.map((f) => [f.name, val(f.value)] as const)) : new Map<string, Val>();
        return vstruct(rt.fields.map((f) => [f.name, news.get(f.name) ?? s.fields.find((x) => x[0] === f.name)![1]] as const));
      };
      if (old.kind === 'vstruct') return build(old);
      // A missing struct stays missing. (Only its presence read, one that may raise is checked.)
      const replaced = n.kind === 'SelectFields' ? n.fields.length === 0 : rt.fields.every((f) => n.fields.some((x) => x.name === f.name));
      return em.share(old, (o) => cases(replaced ? presence(em, n.old, o, rt) : whenMissing(em, [[n.old, o]], rt), em.toExpr(build(o), rt)));
    }
    case 'GetField':
      return em.getField(val(n.o), em.typeOf(n.o), n.name);
    case 'MakeTuple':
      return vstruct(n.values.map((v, i) => [String(n.indices[i]), val(v)] as const));
    case 'GetTupleElement':
      return em.getField(val(n.o), em.typeOf(n.o), String(n.index));
    case 'MakeArray':
      return cast({ kind: 'list', items: n.values.map((v) => ex(v)) }, repType(t()));
    case 'ArrayRef':
      return em.shareAll(
        [ex(n.a), ex(n.i)],
        ([a, i]) =>
          caseWhen(
            [
              ...whenMissing(em, [[n.a, a!], [n.i, i!]], t()),
              [or([binary('<', i!, i32(0)), binary('>=', i!, call('len', [a!]))]), em.raise(n, 'ArrayIndexOutOfBounds', binary('||', str('index '), cast(i!, scalarType('VARCHAR'))), t())],
            ],
            call('list_extract', [a!, binary('+', cast(i!, scalarType('BIGINT')), big(1n))]),
          ),
      );
    case 'ArrayLen':
    case 'StreamLen':
      return cast(call('len', [ex(n.a)]), scalarType('INTEGER'));
    case 'ArraySort':
      return arraySort(em, n, scope);
    case 'ToArray':
    case 'ToStream':
      return val(n.a);
    case 'ToSet':
      return setOf(em, ex(n.a), t());
    case 'ToDict':
      return toDict(em, n, ex(n.a));
    case 'StreamRange':
      return em.shareAll(
        [ex(n.start), ex(n.stop), ex(n.step)],
        ([a, b, s]) =>
          caseWhen(
            [
              ...whenMissing(em, [[n.start, a!], [n.stop, b!], [n.step, s!]], t()),
              [binary('=', s!, i32(0)), em.raise(n, 'InvalidArgument', 'StreamRange with step 0', t())],
            ],
            cast(call('range', [a!, b!, s!]), repType(t())),
          ),
      );
    case 'StreamMap':
    case 'StreamFilter':
    case 'StreamFlatMap':
      return streamOp(em, n, scope);
    case 'StreamFold':
    case 'StreamScan':
      return streamFold(em, n, scope);
    case 'StreamTake':
    case 'StreamDrop':
      return em.shareAll([ex(n.a), ex(n.num)], ([a, k]) =>
        caseWhen(
          [
            ...whenMissing(em, [[n.a, a!], [n.num, k!]], t()),
            [binary('<', k!, i32(0)), em.raise(n, 'InvalidArgument', `${n.kind}: negative count`, t())],
          ],
          n.kind === 'StreamTake'
            ? call('list_slice', [a!, big(1n), cast(k!, scalarType('BIGINT'))])
            : call('list_slice', [a!, binary('+', cast(k!, scalarType('BIGINT')), big(1n)), call('len', [a!])]),
        ),
      );
    case 'StreamZip':
      return streamZip(em, n, scope);
    case 'StreamAgg':
      return streamAgg(em, n, scope);
    case 'ApplyAggOp':
    case 'ApplyScanOp': {
      const ctx = n.kind === 'ApplyScanOp' ? scope.scan : scope.agg;
      if (ctx === undefined) throw new InternalError(`${n.kind} outside an aggregation`);
      const inits = n.initArgs.map((a) => ex(a, { ...scope, agg: undefined, scan: undefined }));
      if (ctx.window && ctx.noWindows && ctx.reopen) {
        // The rows before this one, as a correlated subquery (no window function); the
        // arguments are evaluated on this row too.
        const r = ctx.reopen();
        const before: AggCtx = { vars: r.vars, filters: [], order: r.order, window: false, excludes: beforeOnly(r) };
        const seqs = n.seqArgs.map((a) => ex(a, { ...scope, vars: r.vars, agg: undefined, scan: undefined, closed: false }));
        const e = aggregator(em, n, n.op, inits, seqs, n.seqArgs.map((a) => em.typeOf(a)), before, t());
        const where = and(r.where);
        return perRow(ctx, { kind: 'subquery', query: { kind: 'select', columns: [{ expr: e }], from: r.from, ...(where ? { where } : {}), grandTotal: true }, always: true });
      }
      const rowScope: Scope = { ...scope, vars: ctx.vars, agg: undefined, scan: undefined, closed: false };
      const seqs = n.seqArgs.map((a) => ex(a, rowScope));
      return aggregator(em, n, n.op, inits, seqs, n.seqArgs.map((a) => em.typeOf(a)), ctx, t());
    }
    case 'AggFilter': {
      const ctx = n.isScan ? scope.scan : scope.agg;
      if (ctx === undefined) throw new InternalError('AggFilter outside an aggregation');
      const rowScope: Scope = { ...scope, vars: ctx.vars, agg: undefined, scan: undefined, closed: false };
      // A row an outer filter drops evaluates nothing of this one (DuckDB evaluates every
      // conjunct of an AND, and reorders WHERE conjuncts).
      const after = (prior: readonly Expr[], cond: Expr): Expr => {
        const p = and(prior);
        return p === undefined ? cond : caseWhen([[p, cond]]);
      };
      const c = after(ctx.filters, condition(em, n.cond, rowScope));
      const inner: AggCtx = {
        ...ctx,
        filters: [...ctx.filters, c],
        ...rereading(ctx, (r) => ({ where: [...r.where, after(r.where, ex(n.cond, { ...rowScope, vars: r.vars }))] })),
      };
      return val(n.agg, n.isScan ? { ...scope, scan: inner } : { ...scope, agg: inner });
    }
    // Their subqueries are per-row work of the aggregation around them: computed for every row,
    // whatever branch of the value they sit in (semantics.md §5).
    case 'AggExplode':
      return always(aggExplode(em, n, scope));
    case 'AggGroupBy':
      return always(aggGroupBy(em, n, scope));
    case 'AggArrayPerElement':
      return always(aggArrayPerElement(em, n, scope));
    case 'Apply':
      return applyFunction(em, n, n.args.map((a) => ex(a)), n.args.map((a) => em.typeOf(a)));
    case 'Die': {
      const m = ex(n.message);
      return em.raise(n, 'Die', call('coalesce', [m, str('<missing>')]), n.type);
    }
    case 'TableCount': {
      const counted = countedFilter(n.child);
      const rel = em.table(counted?.child ?? n.child, tableScope);
      const o = em.open(rel);
      const kept = counted && condition(em, counted.pred, { ...tableScope, vars: scope.vars.set('row', o.row).set('global', rel.global), closed: false });
      const count = call('count', [{ kind: 'star' }], kept ? { filter: anchored(kept, o.order, em.anchorOf(o)) } : {});
      return subquery({ kind: 'select', columns: [{ expr: count }], from: o.from });
    }
    case 'TableAggregate':
      return tableAggregate(em, n, scope);
    case 'TableCollect': {
      const rel = em.table(n.child, tableScope);
      const o = em.open(rel);
      const ct = em.typeOf(n) as StructType;
      const rowsT = ct.fields[fieldIndex(ct, 'rows')]!.type;
      const rowT = (rowsT as { element: Type }).element;
      const rows = subquery({
        kind: 'select',
        columns: [{ expr: call('coalesce', [call('list', [em.toExpr(o.row, rowT)], { orderBy: o.order }), emptyList(rowsT)]) }],
        from: o.from,
      });
      return vstruct([
        ['rows', rows],
        ['global', rel.global],
      ]);
    }
    case 'TableGetGlobals':
      return em.table(n.child, tableScope).global;
    case 'TableWrite':
      return unsupported(n, 'TableWrite inside an expression; a TableWrite must be the whole program');
    case 'RelationalLet': {
      // A dead relational let is not evaluated (semantics.md §1).
      if (!em.needed(n.value)) return val(n.body);
      // One known to raise raises where the let is evaluated, read or not (as a Let's binding).
      const raised = em.raises(n.value);
      if (raised !== undefined) return em.raise(raised.span ? { ...n.value, span: raised.span } : n.value, raised.errorClass, raised.message, t());
      return val(n.body, { ...scope, rel: scope.rel.set(n.name, em.relationalLet(n.value, scope)) });
    }
    case 'RelationalRef': {
      const ref = scope.rel.get(n.name);
      if (ref === undefined) throw new InternalError(`unbound relational ${n.name}`);
      return ref;
    }
    case 'CollectDistributedArray': {
      const g = ex(n.globals);
      const ctxs = ex(n.contexts);
      return em.share(
        g,
        (gx) =>
          mapList(em, ctxs, (e) => {
            const inner: Scope = { vars: scope.vars.clear().set(n.contextName, e).set(n.globalName, gx), agg: undefined, scan: undefined, rel: scope.rel, closed: false };
            return em.toExpr(compileValue(em, n.body, inner), em.typeOf(n.body));
          }, t()),
      );
    }
    case 'Grad':
    case 'Gradient':
      return unsupported(n, `${n.kind} before the differentiation pass (issue 7)`);
  }
  throw new InternalError(`no SQL rule for ${(n as IR).kind}`);
}

// ---- casts and operators ------------------------------------------------------------------------

// A float truncates into the type when lo < x < hi (doubles near -2^63 are multiples of 2^11,
// so `> -2^63 - 1` is `>= -2^63` there).
const INT_BOUNDS = {
  Int32: { lo: -2147483649, hi: 2147483648, loInclusive: false },
  Int64: { lo: -9223372036854775808, hi: 9223372036854775808, loInclusive: true },
} as const;
const FLOAT32_OVERFLOW = 3.4028235677973366e38; // FLT_MAX + half an ulp: rounds to infinity

export function castValue(em: EmitterApi, n: IR, x: Expr, from: Type, to: Type): Expr {
  if (from.kind === to.kind) return x;
  const toInt = to.kind === 'Int32' || to.kind === 'Int64';
  const fromFloat = from.kind === 'Float32' || from.kind === 'Float64';
  if (toInt && fromFloat) {
    // Truncate toward zero; NaN, infinities and out-of-range values are errors.
    const { lo, hi, loInclusive } = INT_BOUNDS[to.kind];
    return em.share(x, (v) => {
      const d = from.kind === 'Float32' ? cast(v, scalarType('DOUBLE')) : v;
      return caseWhen(
        [
          // (`n`'s operand is its first child: a Cast's, a toInt32's.)
          ...whenMissing(em, [[children(n)[0]!, v]], to),
          [binary('AND', binary(loInclusive ? '>=' : '>', d, dbl(lo)), binary('<', d, dbl(hi))), cast(call('trunc', [d]), repType(to))],
        ],
        em.raise(n, 'CastOutOfRange', binary('||', str(`cannot cast to ${to.kind}: `), cast(v, scalarType('VARCHAR'))), to),
      );
    });
  }
  if (from.kind === 'Float64' && to.kind === 'Float32') {
    return em.share(x, (v) =>
      caseWhen(
        [
          [call('isnan', [v]), cast(v, scalarType('FLOAT'))],
          [binary('>=', v, dbl(FLOAT32_OVERFLOW)), { kind: 'number', type: 'FLOAT', value: Infinity }],
          [binary('<=', v, dbl(-FLOAT32_OVERFLOW)), { kind: 'number', type: 'FLOAT', value: -Infinity }],
        ],
        cast(v, scalarType('FLOAT')),
      ),
    );
  }
  // Integer narrowing raises DuckDB's conversion error (IntegerOverflow); the rest is exact or
  // rounds to nearest.
  return cast(x, repType(to));
}

const dbl = (v: number): Expr => ({ kind: 'number', type: 'DOUBLE', value: v });

function binaryOp(em: EmitterApi, n: Extract<ValueIR, { kind: 'ApplyBinaryPrimOp' }>, l: Expr, r: Expr, t: Type): Expr {
  const isInt = t.kind === 'Int32' || t.kind === 'Int64';
  const rt = repType(em.typeOf(n));
  switch (n.op) {
    case 'Add':
      return binary('+', l, r);
    case 'Subtract':
      return binary('-', l, r);
    case 'Multiply':
      return binary('*', l, r);
    case 'FloatingPointDivide':
      if (isInt) return floatDivide(em, cast(l, scalarType('DOUBLE')), cast(r, scalarType('DOUBLE')));
      // The special values are DOUBLE constants: a Float32 quotient is rounded back.
      return t.kind === 'Float32' ? cast(floatDivide(em, l, r), rt) : floatDivide(em, l, r);
    case 'RoundToNegInfDivide':
      if (isInt) return floorDivide(em, n, l, r, t);
      return cast(call('floor', [floatDivide(em, l, r)]), rt);
    case 'BitAnd':
      return binary('&', l, r);
    case 'BitOr':
      return binary('|', l, r);
    case 'BitXOr':
      return call('xor', [l, r]);
    case 'LeftShift':
    case 'RightShift':
    case 'LogicalRightShift':
      return shift(em, n.op, l, r, t);
  }
  throw new InternalError(`no rule for ${n.op}`);
}

/** Floor division of integers: DuckDB's `//` truncates, and returns NULL for a zero divisor. */
export function floorDivide(em: EmitterApi, n: IR, l: Expr, r: Expr, t: Type): Expr {
  return em.shareAll([l, r], ([a, b]) => {
    const q = binary('//', a!, b!);
    const adjust = binary('AND', binary('<>', binary('%', a!, b!), zero(t)), binary('<>', binary('<', a!, zero(t)), binary('<', b!, zero(t))));
    return caseWhen(
      [
        ...whenMissing(em, [[children(n)[0]!, a!], [children(n)[1]!, b!]], t),
        [binary('=', b!, zero(t)), em.raise(n, 'DivisionByZero', 'integer division by zero', t)],
      ],
      binary('-', q, cast(adjust, repType(t))),
    );
  });
}

/** Floor modulo of integers (sign of the divisor). */
export function floorMod(em: EmitterApi, n: IR, l: Expr, r: Expr, t: Type): Expr {
  return em.shareAll([l, r], ([a, b]) =>
    caseWhen(
      [
        ...whenMissing(em, [[children(n)[0]!, a!], [children(n)[1]!, b!]], t),
        [binary('=', b!, zero(t)), em.raise(n, 'DivisionByZero', 'integer modulo by zero', t)],
        [binary('=', b!, t.kind === 'Int32' ? i32(-1) : big(-1n)), zero(t)],
      ],
      em.share(binary('%', a!, b!), (m) =>
        caseWhen([[binary('AND', binary('<>', m, zero(t)), binary('<>', binary('<', m, zero(t)), binary('<', b!, zero(t)))), binary('+', m, b!)]], m),
      ),
    ),
  );
}

const zero = (t: Type): Expr => (t.kind === 'Int32' ? i32(0) : big(0n));

/** Shifts on the two's-complement bits, count modulo the width (as the JVM does). */
function shift(em: EmitterApi, op: 'LeftShift' | 'RightShift' | 'LogicalRightShift', l: Expr, r: Expr, t: Type): Expr {
  const width = t.kind === 'Int32' ? 32 : 64;
  const wide = scalarType(t.kind === 'Int32' ? 'BIGINT' : 'HUGEINT');
  return em.shareAll([l, cast(r, scalarType('INTEGER'))], ([a, b]) => {
    const s = binary('&', b!, i32(width - 1)) as Expr;
    const mask = (bits: bigint): Expr => ({ kind: 'cast', operand: str(String(bits)), type: wide });
    const full = (1n << BigInt(width)) - 1n;
    const unsigned = binary('&', cast(a!, wide), mask(full));
    const toSigned = (u: Expr): Expr =>
      em.share(u, (x) => cast(caseWhen([[binary('>=', x, mask(1n << BigInt(width - 1))), binary('-', x, mask(1n << BigInt(width)))]], x), repType(t)));
    if (op === 'RightShift') return binary('>>', a!, s);
    if (op === 'LogicalRightShift') return toSigned(binary('>>', unsigned, s));
    // Left shift: drop the bits that would leave the width first, so the wide value never overflows.
    const keep = binary('-', binary('<<', mask(1n), binary('-', i32(width), s)), mask(1n));
    return toSigned(binary('<<', binary('&', unsigned, keep), s));
  });
}

/** A per-row binding in an aggregation (AggLet, Let agg): also bound in every reopened copy. */
function bindRow(em: EmitterApi, ctx: AggCtx, name: string, value: ValueIR, scope: Scope): AggCtx {
  // A constant is tied to the row: DuckDB folds an operation on a constant (a Cast out of
  // range) while planning, even over no rows.
  const at = (vars: Scope['vars'], order: readonly OrderItem[]): Val => {
    const v = compileValue(em, value, { ...scope, vars, agg: undefined, scan: undefined, closed: false });
    return v.kind !== 'vstruct' && isLiteral(v) ? anchored(v, order) : v;
  };
  let here = at(ctx.vars, ctx.order);
  // Computed once per row, where nothing is lost by computing it on every row: it cannot raise.
  if (ctx.rowColumn !== undefined && here.kind !== 'vstruct' && !em.simple(here) && !mayRaise(em, value) && !containsSubquery(here)) here = ctx.rowColumn(here);
  return { ...ctx, vars: ctx.vars.set(name, here), ...rereading(ctx, (r) => ({ vars: r.vars.set(name, at(r.vars, r.order)) })) };
}

/**
 * A scan evaluates every row's per-row parts, this row's too (semantics.md §5): one known to
 * raise (an `AggExplode` array, an `AggGroupBy` key, an `AggArrayPerElement` array) raises on
 * any row, though what is aggregated may not read it. So it is a column of the row
 * projection, as a loop or branch around the scan may not run.
 */
function scanPartRaises(em: EmitterApi, ctx: AggCtx, part: ValueIR, t: Type): Expr | undefined {
  // (Only directly in a row map's scan: inside another explode, a filter, the rows may be none.)
  if (ctx.filters.length > 0 || !(ctx.collectRow !== undefined || ctx.window)) return undefined;
  const raised = em.raises(part);
  if (raised === undefined) return undefined;
  const e = em.raise(raised.span ? { ...part, span: raised.span } : part, raised.errorClass, raised.message, t);
  return ctx.collectRow ? ctx.collectRow(e) : ctx.collect ? ctx.collect(e) : e;
}

/** Range-checked results whose check can move to where the value is read (`perRow`). */
const deferrable = new WeakMap<Expr, { readonly value: Expr; readonly check: (v: Expr) => Expr }>();

/**
 * A HUGEINT sum or product as an Int64 result: out of range is IntegerOverflow. Checked by a
 * CASE, not a CAST: DuckDB drops a CAST's range check where a comparison with a constant or
 * the value's presence is all that is read.
 */
function int64Result(em: EmitterApi, n: IR, h: Expr): Expr {
  const lo = cast(str('-9223372036854775808'), scalarType('HUGEINT'));
  const hi = cast(str('9223372036854775807'), scalarType('HUGEINT'));
  const check = (v: Expr): Expr =>
    em.share(v, (x) => caseWhen([[or([binary('<', x, lo), binary('>', x, hi)]), em.raise(n, 'IntegerOverflow', 'aggregation result out of the Int64 range', { kind: 'Int64' })]], cast(x, scalarType('BIGINT'))));
  const checked = check(h);
  deferrable.set(checked, { value: h, check });
  return checked;
}

/** A scan's per-row subquery, in the projection below when it reads only the current row. */
function perRow(ctx: AggCtx, q: Expr): Expr {
  // (Only a subquery: an expression, an error above all, stays where it stands, in its branch.)
  if (ctx.collectRow === undefined || ctx.rowAlias === undefined) return q;
  // A Sum's or Product's range check is made where the value is read: a row whose value no
  // branch reads raises nothing (semantics.md §2).
  const d = deferrable.get(q);
  if (d !== undefined && d.value.kind === 'subquery' && readsOnly(d.value, ctx.rowAlias)) return d.check(ctx.collectRow(d.value));
  if (q.kind !== 'subquery' || !readsOnly(q, ctx.rowAlias)) return q;
  const s = q.query;
  const c = s.kind === 'select' && s.columns.length === 1 ? deferrable.get(s.columns[0]!.expr) : undefined;
  if (c !== undefined && s.kind === 'select') return c.check(ctx.collectRow({ ...q, query: { ...s, columns: [{ ...s.columns[0]!, expr: c.value }] } }));
  return ctx.collectRow(q);
}

/**
 * A scan's per-row aggregates subquery as a column of the projection below, when it reads only
 * the current row: every row's update runs, while what is computed from the aggregates (which
 * may raise) stays in its branch.
 */
function rowColumn(ctx: AggCtx, q: Expr): Expr | undefined {
  return ctx.collectRow !== undefined && ctx.rowAlias !== undefined && readsOnly(q, ctx.rowAlias) ? ctx.collectRow(q) : undefined;
}

/** `ctx`'s way of reading rows again (`reopen`), changed by `f`. */
function rereading(ctx: AggCtx, f: (r: Reopened) => { vars?: Scope['vars']; where?: readonly Expr[] }): Pick<AggCtx, 'reopen'> {
  const { reopen } = ctx;
  return reopen === undefined ? {} : { reopen: () => { const r = reopen(); return { ...r, ...f(r) }; } };
}

/**
 * `e` computed only on the rows `r`'s WHERE keeps (an AggFilter's condition, a group's key):
 * DuckDB computes every operand of an AND, and a lateral unnest's argument before the WHERE.
 */
function onKeptRows(r: Reopened, e: Expr): Expr {
  return r.where.length === 0 ? e : caseWhen([[and(r.where)!, e]]);
}

/** The aggregates over reopened rows count only those a scan has passed (`Reopened.before`). */
function beforeOnly(r: Reopened): readonly Expr[] {
  return r.before === undefined ? [] : [r.before];
}

// ---- Let ----------------------------------------------------------------------------------------

function compileLet(em: EmitterApi, n: Extract<ValueIR, { kind: 'Let' }>, i: number, scope: Scope): Val {
  if (i === n.bindings.length) return compileValue(em, n.body, scope);
  const b = n.bindings[i]!;
  // A dead binding is not evaluated (semantics.md §1).
  if (!em.needed(n.bindings[i]!.value)) return compileLet(em, n, i + 1, scope);
  if (b.scope !== 'eval') {
    const ctx = b.scope === 'scan' ? scope.scan : scope.agg;
    if (ctx === undefined) throw new InternalError('Let agg outside an aggregation');
    const inner = bindRow(em, ctx, b.name, b.value, scope);
    return compileLet(em, n, i + 1, b.scope === 'scan' ? { ...scope, scan: inner } : { ...scope, agg: inner });
  }
  // A binding known to raise raises where the let is evaluated, read or not (the interpreter
  // evaluates bindings first); inlined where read, it would raise only where a read is reached.
  const raised = em.raises(b.value);
  if (raised !== undefined) return em.raise(raised.span ? { ...b.value, span: raised.span } : b.value, raised.errorClass, raised.message, em.typeOf(n));
  const v = compileValue(em, b.value, scope);
  const bind = (x: Val, closed: boolean): Val => compileLet(em, n, i + 1, { ...scope, vars: scope.vars.set(b.name, x), closed: scope.closed && closed });
  if (v.kind === 'vstruct' || em.simple(v)) return bind(v, v.kind !== 'vstruct' && v.kind !== 'column');
  const rest = n.bindings.slice(i + 1).map((x) => x.value);
  // A value that cannot raise may be computed where it is read (DuckDB shares repeated
  // subexpressions); repeated text must stay small, or nested lets would grow exponentially.
  if (!mayRaise(em, b.value) && (small(v) || [...rest, n.body].reduce((k, x) => k + reads(x, b.name), 0) <= 1)) return bind(v, false);
  const restHasAgg = [...rest, n.body].some((x) => hasAggregator(x));
  // An aggregate of a keyed aggregation is not a column of its own SELECT: moved into a
  // subquery it would change query level, so `v` is repeated instead.
  if (restHasAgg) return bind(v, false);
  const bodyT = em.typeOf(n);
  return em.share(v, (x) => em.toExpr(bind(x, false), bodyT));
}

const isScalar = (t: Type): boolean => t.kind === 'Int32' || t.kind === 'Int64' || t.kind === 'Float32' || t.kind === 'Float64' || t.kind === 'Boolean' || t.kind === 'String';

const LOOP_KINDS: ReadonlySet<string> = new Set(['StreamFold', 'StreamScan']);
const loopMemo = new WeakMap<IR, boolean>();
/** Whether `n` holds a fold or scan (unrolling one inside another multiplies the text). */
function hasLoop(n: IR): boolean {
  return anyBelow(n, loopMemo, (x) => LOOP_KINDS.has(x.kind), () => false);
}

const raiseMemo = new WeakMap<IR, boolean>();
/**
 * Whether evaluating `n` might raise a user error (conservative, by the operand types). SQL may
 * evaluate what the IR would skip (both sides of AND, an inlined binding), so only code that
 * cannot raise may move there.
 */
export function mayRaise(em: EmitterApi, n: IR): boolean {
  return anyBelow(n, raiseMemo, (x) => raisesItself(em, x), () => false);
}

const resultRaiseMemo = new WeakMap<IR, boolean>();
/**
 * Whether what an aggregation computes from its aggregates (not its per-row work) might raise:
 * `mayRaise` that does not look into an aggregator's arguments, and knows which aggregators'
 * results are checked (an integer sum or product's range, a take's count).
 */
function resultMayRaise(em: EmitterApi, n: IR): boolean {
  return anyBelow(
    n,
    resultRaiseMemo,
    (x) => {
      if (x.kind === 'ApplyAggOp' || x.kind === 'ApplyScanOp') return ((x.op === 'Sum' || x.op === 'Product') && integral(em, x)) || x.op === 'Take' || x.op === 'TakeBy';
      if (x.kind === 'AggArrayPerElement') return true;
      return !AGG_WRAPPERS.has(x.kind) && raisesItself(em, x);
    },
    (x) => x.kind === 'ApplyAggOp' || x.kind === 'ApplyScanOp',
  );
}
/** Aggregation nodes whose own work is per row (their result is their body's). */
const AGG_WRAPPERS: ReadonlySet<string> = new Set(['AggFilter', 'AggExplode', 'AggGroupBy', 'AggLet']);

/** Whether a node's value is an integer (whose arithmetic may overflow). */
function integral(em: EmitterApi, x: IR): boolean {
  const t = em.typeOf(x);
  return t.kind === 'Int32' || t.kind === 'Int64';
}

/** Whether evaluating `x` itself (not its operands) might raise a user error. */
function raisesItself(em: EmitterApi, x: IR): boolean {
  switch (x.kind) {
    case 'ApplyUnaryPrimOp':
      return x.op === 'Negate' && integral(em, x.x);
    case 'ApplyBinaryPrimOp':
      return (x.op === 'Add' || x.op === 'Subtract' || x.op === 'Multiply' || x.op === 'RoundToNegInfDivide') && integral(em, x.l);
    case 'Cast':
      return (x.type.kind === 'Int32' || x.type.kind === 'Int64') && !(integral(em, x.value) && (x.type.kind === 'Int64' || em.typeOf(x.value).kind === 'Int32'));
    case 'Apply':
      return x.fn === 'toInt32' || x.fn === 'toInt64' || ((x.fn === 'abs' || x.fn === 'mod') && x.args.some((a) => integral(em, a)));
    case 'ApplyComparisonOp':
    case 'IsNA':
    case 'Ref':
    case 'GetField':
    case 'GetTupleElement':
    case 'MakeStruct':
    case 'InsertFields':
    case 'SelectFields':
    case 'MakeTuple':
    case 'MakeArray':
    case 'If':
    case 'Switch':
    case 'Coalesce':
    case 'Let':
    case 'I32':
    case 'I64':
    case 'F32':
    case 'F64':
    case 'Str':
    case 'True':
    case 'False':
    case 'NA':
    case 'Void':
    case 'Literal':
    case 'ArrayLen':
    case 'StreamLen':
    case 'ToArray':
    case 'ToStream':
    case 'ToSet':
    case 'StreamMap':
    case 'StreamFilter':
    case 'StreamFlatMap':
    case 'StreamFold':
    case 'StreamScan':
      return false;
    default:
      return true;
  }
}

/** Memoized "some node at or below `n` (not under a `stop` node) satisfies `hit`". */
function anyBelow(n: IR, memo: WeakMap<IR, boolean>, hit: (x: IR) => boolean, stop: (x: IR) => boolean): boolean {
  return memoFold(n, memo, (x, kids) => !stop(x) && kids.some((k) => k), (x) => (hit(x) ? true : stop(x) ? false : undefined));
}

/**
 * A condition where missing and false mean the same (a filter's predicate): `If c x False`
 * is `c AND x` there, which DuckDB evaluates faster than a CASE, when `x` cannot raise.
 */
export function condition(em: EmitterApi, n: ValueIR, scope: Scope): Expr {
  // Not with a constant `then`: DuckDB folds `c AND NULL` (`c AND FALSE`) in a WHERE to no
  // rows without evaluating c, which may raise.
  if (n.kind === 'If' && n.else.kind === 'False' && !mayRaise(em, n.then) && constantValue(n.then) === undefined) {
    const then = condition(em, n.then, scope);
    // (One that reads no column is a constant DuckDB folds.)
    if (readsOuter(then, '') || containsSubquery(then)) return binary('AND', condition(em, n.cond, scope), then);
  }
  return em.toExpr(compileValue(em, n, scope), TBoolean);
}

const aggMemo = new WeakMap<IR, boolean>();
/** Whether an aggregator of the enclosing aggregation appears in `n` (not under a nested one). */
function hasAggregator(n: IR): boolean {
  return memoFold(n, aggMemo, (x, kids) => {
    const nested = x.kind === 'TableAggregate' || x.kind === 'StreamAgg' || x.kind === 'TableAggregateByKey' || x.kind === 'TableKeyByAndAggregate' || x.kind === 'TableMapRows';
    return AGG_KINDS.has(x.kind) || (!nested && kids.some((k) => k));
  });
}

import { children } from '../../ir/children.js';
const kidsOf = (n: IR): readonly IR[] => children(n);

// ---- collections --------------------------------------------------------------------------------

/** A list as a set: distinct by the total order, sorted, missing last (semantics.md §6). */
export function setOf(em: EmitterApi, a: Expr, t?: Type): Expr {
  // Typed: bound to a constant NULL, DuckDB would type the lambda-let by the element.
  if (t !== undefined) return cast(setOf(em, a), repType(t));
  // Sort, then keep each element that differs from the one before it (NaN = NaN, -0.0 = 0.0).
  const e = em.fresh('_e');
  const i = em.fresh('_i');
  return em.share(call('list_sort', [a, str('ASC'), str('NULLS LAST')]), (sorted) =>
    call('list_filter', [
      sorted,
      lambda([e, i], binary('OR', binary('=', col(i), big(1n)), { kind: 'isDistinct', left: col(e), right: call('list_extract', [sorted, binary('-', col(i), big(1n))]), not: false })),
    ]),
  );
}

/** `list_transform` over a list, or the equivalent unnest subquery when the body needs one. */
function mapList(em: EmitterApi, list: Expr, body: (e: Expr) => Expr, outT: Type): Expr {
  const p = em.fresh('_x');
  const b = body(col(p));
  if (!containsSubquery(b)) return call('list_transform', [list, lambda([p], b)]);
  return overList(em, list, outT, p, (o) => ({ kind: 'select', columns: [{ expr: call('list', [b], { orderBy: [{ expr: o, desc: false }] }) }] }));
}

/**
 * A subquery over a list's elements in order, the element bound to the (unqualified) name `p`:
 * `sel(ordinality)` gets the FROM added. Missing list -> missing; empty -> `[]` of `outT`.
 */
function overList(em: EmitterApi, list: Expr, outT: Type, p: string, sel: (o: Expr) => Select, listT?: Type): Expr {
  return em.share(list, (l) => {
    const u = em.fresh('u');
    const o = em.fresh('_o');
    // Tied to the element: an uncorrelated subquery of the body would run up front, over no
    // elements too, where the interpreter runs the body on none.
    const s = tiedToStep(em, sel(col(o)) as unknown as Expr, notNull(col(o))) as unknown as Select;
    // Typed: DuckDB's unnest rejects a NULL that folding left without a list type.
    const from: From = { kind: 'tableFunction', name: 'unnest', args: [listT ? cast(l, repType(listT)) : l], alias: { name: u, columns: [p, o] }, ordinality: true };
    const q = subquery({ ...s, from });
    return caseWhen([[isNull(l), nullOf(outT)]], call('coalesce', [q, emptyList(outT)]));
  });
}

function streamOp(em: EmitterApi, n: Extract<ValueIR, { kind: 'StreamMap' | 'StreamFilter' | 'StreamFlatMap' }>, scope: Scope): Expr {
  const s = em.toExpr(compileValue(em, n.a, scope), em.typeOf(n.a));
  const outT = em.typeOf(n);
  const body = n.kind === 'StreamFilter' ? n.cond : n.body;
  const bodyT = em.typeOf(body);
  const p = em.fresh('_x');
  const b = em.toExpr(compileValue(em, body, { ...scope, vars: scope.vars.set(n.name, col(p)), closed: false }), bodyT);
  if (!containsSubquery(b)) {
    switch (n.kind) {
      case 'StreamMap':
        return call('list_transform', [s, lambda([p], b)]);
      case 'StreamFilter':
        return call('list_filter', [s, lambda([p], { kind: 'isDistinct', left: b, right: TRUE, not: true })]);
      case 'StreamFlatMap':
        return call('flatten', [call('list_transform', [s, lambda([p], call('coalesce', [b, emptyList(bodyT)]))])]);
    }
  }
  return overList(em, s, outT, p, (o) => {
    const ord: OrderItem[] = [{ expr: o, desc: false }];
    switch (n.kind) {
      case 'StreamMap':
        return { kind: 'select', columns: [{ expr: call('list', [b], { orderBy: ord }) }] };
      case 'StreamFilter':
        return { kind: 'select', columns: [{ expr: call('list', [col(p)], { orderBy: ord, filter: { kind: 'isDistinct', left: b, right: TRUE, not: true } }) }] };
      case 'StreamFlatMap':
        return { kind: 'select', columns: [{ expr: call('flatten', [call('list', [call('coalesce', [b, emptyList(bodyT)])], { orderBy: ord })]) }] };
    }
  }, em.typeOf(n.a));
}

const UNROLL_LIMIT = 32;

/** The elements of a StreamRange of literals, when there are at most UNROLL_LIMIT. */
function literalRange(a: ValueIR): number[] | undefined {
  const b = rangeBounds(a);
  if (b === undefined) return undefined;
  const [start, stop, step] = b;
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > UNROLL_LIMIT) return undefined;
  }
  return out;
}

/** Start, stop and step of a `StreamRange` of constants with a step other than 0. */
function rangeBounds(a: ValueIR): [number, number, number] | undefined {
  if (a.kind !== 'StreamRange' || a.start.kind !== 'I32' || a.stop.kind !== 'I32' || a.step.kind !== 'I32' || a.step.value === 0) return undefined;
  return [a.start.value, a.stop.value, a.step.value];
}

/**
 * One step of an unrolled loop over the accumulator `acc`: written in place when the step's SQL
 * reads it once, else bound once (the SQL of an aggregation may repeat its argument, which
 * would double the text at every step).
 */
function unrolledStep(em: EmitterApi, acc: Expr, step: (acc: Expr) => Expr, raises: boolean): Expr {
  // An accumulator that may raise is computed before a step that reads it only in a branch
  // (semantics.md §6: every step runs), not substituted there.
  if (raises && !em.simple(acc)) return em.share(acc, step);
  const probe = col(em.fresh('_probe'));
  let uses = 0;
  const stack: unknown[] = [step(probe)];
  while (stack.length > 0 && uses < 2) {
    const x = stack.pop();
    if (x === probe) uses++;
    else if (x !== null && typeof x === 'object') for (const v of Object.values(x)) stack.push(v);
  }
  return uses < 2 || em.simple(acc) ? step(acc) : em.share(acc, step);
}

/**
 * Whether `body` reads `name` somewhere not always evaluated with it: a branch of an `If` or
 * `Switch`, a `Coalesce` argument after the first, a binding, a loop or aggregation body.
 */
function readInBranch(body: IR, name: string): boolean {
  const stack: [IR, boolean][] = [[body, false]];
  while (stack.length > 0) {
    const [x, inBranch] = stack.pop()!;
    if (x.kind === 'Ref' && x.name === name) {
      if (inBranch) return true;
      continue;
    }
    const kids = children(x);
    // (Evaluated with the node: a conditional's first operand, a let's body, a strict operation's operands.)
    const always = (i: number): boolean =>
      CONDITIONALS.has(x.kind) ? i === 0 : x.kind === 'Let' ? i === kids.length - 1 : STRICT_KINDS.has(x.kind);
    kids.forEach((k, i) => stack.push([k, inBranch || !always(i)]));
  }
  return false;
}
const CONDITIONALS: ReadonlySet<string> = new Set(['If', 'Switch', 'Coalesce']);
const STRICT_KINDS: ReadonlySet<string> = new Set(['ApplyBinaryPrimOp', 'ApplyUnaryPrimOp', 'ApplyComparisonOp', 'Cast', 'Apply', 'GetField', 'GetTupleElement', 'ArrayRef', 'ArrayLen', 'MakeArray', 'MakeTuple', 'IsNA']);

/** The length of a stream over a literal array, when short enough to unroll. */
function literalLength(a: ValueIR): number | undefined {
  if (a.kind !== 'ToStream' || a.a.kind !== 'Literal' || !Array.isArray(a.a.value)) return undefined;
  const len = (a.a.value as readonly unknown[]).length;
  return len <= UNROLL_LIMIT ? len : undefined;
}

/** How many times `name` is read in `n` (0, 1, or 2 meaning "more"), ignoring shadowing. */
function reads(n: IR, name: string): number {
  let count = 0;
  const stack: IR[] = [n];
  while (stack.length > 0 && count < 2) {
    const x = stack.pop()!;
    if (x.kind === 'Ref' && x.name === name) count++;
    for (const k of kidsOf(x)) stack.push(k);
  }
  return count;
}

function streamFold(em: EmitterApi, n: Extract<ValueIR, { kind: 'StreamFold' | 'StreamScan' }>, scope: Scope): Expr {
  const accT = em.typeOf(n.zero);
  const elemT = (em.typeOf(n.a) as { element: Type }).element;
  const zero = cast(em.toExpr(compileValue(em, n.zero, scope), accT), repType(accT));
  const scan = n.kind === 'StreamScan';
  const stepAt = (acc: Expr, x: Expr): Expr =>
    cast(em.toExpr(compileValue(em, n.body, { ...scope, vars: scope.vars.set(n.accum, acc).set(n.name, x), closed: false }), accT), repType(accT));
  // A short literal range and a body that reads the accumulator once: unroll, as a person would.
  const range = literalRange(n.a);
  if (!scan && range !== undefined && reads(n.body, n.accum) === 1 && !hasLoop(n.body)) {
    const branch = readInBranch(n.body, n.accum);
    return range.reduce<Expr>((acc, i, k) => unrolledStep(em, acc, (av) => stepAt(av, i32(i)), branch && mayRaise(em, k === 0 ? n.zero : n.body)), zero);
  }
  const s = tiedToRow(em.toExpr(compileValue(em, n.a, scope), em.typeOf(n.a)), scope);
  if (!scan) {
    // list_reduce's accumulator has the element type: directly when the types agree, or through
    // an exact widening of the elements (Int32 to Int64 or Float64).
    const widen = elemT.kind === 'Int32' && (accT.kind === 'Int64' || accT.kind === 'Float64');
    if (elemT.kind === accT.kind && isScalar(accT) || widen) {
      const a = em.fresh('_acc');
      const x = em.fresh('_x');
      const body = stepAt(col(a), widen ? cast(col(x), scalarType('INTEGER')) : col(x));
      // Only a body that reads no column: DuckDB 1.5's list_reduce with an initial value gives
      // the rows after an empty or NULL list the columns of the row before.
      if (!containsSubquery(body) && !readsOuter(lambda([a, x], body), '')) {
        const reduce = (l: Expr): Expr => call('list_reduce', [widen ? cast(l, { kind: 'listType', element: repType(accT) }) : l, lambda([a, x], body), zero]);
        // (A zero that is not a constant is computed only for a present stream, semantics.md §1.)
        return isLiteral(zero) ? reduce(s) : em.share(s, (l) => cases(whenMissing(em, [[n.a, l]], accT), reduce(l)));
      }
    }
  }
  // The value carried from step to step: the accumulator, or (scan) every accumulator so far.
  const carriedT: Type = scan ? { kind: 'Array', element: accT } : accT;
  const a = em.fresh('_acc');
  const x = em.fresh('_x');
  // Otherwise the accumulator and the element travel in one struct:
  // the list becomes [{a: zero}, {x: e1}, {x: e2}, ...] and each step makes {a: body}.
  const carrier = (av: Expr, xv: Expr): Expr => ({ kind: 'struct', fields: [{ name: 'a', value: av }, { name: 'x', value: xv }] });
  const accOf = (c: Expr): Expr => call('struct_extract', [c, str('a')]);
  const current = scan ? call('list_extract', [accOf(col(a)), big(-1n)]) : accOf(col(a));
  const elem = call('struct_extract', [col(x), str('x')]);
  const body = em.toExpr(compileValue(em, n.body, { ...scope, vars: scope.vars.set(n.accum, current).set(n.name, elem), closed: false }), accT);
  if (containsSubquery(body)) {
    // A short literal list: the steps written out, each a subquery over the one before (DuckDB
    // fails to bind recursive CTEs nested in correlated subqueries).
    const len = literalLength(n.a);
    // (Not when the body ignores the accumulator: the zero must still be computed.)
    if (!scan && len !== undefined && !hasLoop(n.body) && reads(n.body, n.accum) > 0) {
      return em.share(s, (l) => {
        let acc = zero;
        for (let i = 1; i <= len; i++) {
          const el = call('list_extract', [l, big(BigInt(i))]);
          acc = unrolledStep(em, acc, (av) => stepAt(av, el), readInBranch(n.body, n.accum) && mayRaise(em, i === 1 ? n.zero : n.body));
        }
        return cases(whenMissing(em, [[n.a, l]], em.typeOf(n)), acc);
      });
    }
    return recursiveFold(em, n, scope, s, zero);
  }
  const next = scan ? call('list_append', [accOf(col(a)), cast(body, repType(accT))]) : cast(body, repType(accT));
  const start = scan ? cast({ kind: 'list', items: [zero] }, repType(carriedT)) : zero;
  const nullA = nullOf(carriedT);
  const nullX = nullOf(elemT);
  return em.share(s, (l) => {
    const items = call('list_transform', [l, lambda([x], carrier(nullA, col(x)))]);
    const all = call('list_prepend', [carrier(start, nullX), items]);
    const folded = accOf(call('list_reduce', [all, lambda([a, x], carrier(next, nullX))]));
    return cases(whenMissing(em, [[n.a, l]], em.typeOf(n)), folded);
  });
}

/**
 * A fold or scan whose body holds a subquery (a table query, an aggregation), which no lambda
 * may: a recursive CTE whose row i+1 is computed from row i.
 */
function recursiveFold(em: EmitterApi, n: Extract<ValueIR, { kind: 'StreamFold' | 'StreamScan' }>, scope: Scope, s: Expr, zero: Expr): Expr {
  // A range of constants: its length and elements computed from the step number, so the CTE
  // reads nothing of an enclosing query (DuckDB runs a correlated recursive CTE about twice as
  // slowly) and builds no list.
  const range = constantRange(n.a);
  // (Nor a fold in another's step, or with one in its own: DuckDB 1.5 fails to bind a
  // recursive CTE of the one form nested in one of the other.)
  if (range !== undefined) return foldSteps(em, n, scope, zero, range, !inStep.has(em) && !hasLoop(n.body) && !readsEnclosing(em, n, scope));
  return em.share(s, (l) => cases(whenMissing(em, [[n.a, l]], em.typeOf(n)), foldSteps(em, n, scope, zero, { len: call('len', [l]), at: (k) => call('list_extract', [l, k]) }, false)));
}

/** Emitters compiling the step of a recursive CTE now. */
const inStep = new WeakSet<EmitterApi>();

/** A stream as its length and its k-th element (from 1). */
interface Steps {
  readonly len: Expr;
  readonly at: (k: Expr) => Expr;
}

/** A `StreamRange` of constants with a step other than 0. */
function constantRange(a: ValueIR): Steps | undefined {
  const b = rangeBounds(a);
  if (b === undefined) return undefined;
  const [start, stop, step] = b;
  const len = Math.max(0, Math.ceil((stop - start) / step));
  // Every element lies between start and stop: an INTEGER.
  return { len: big(BigInt(len)), at: (k) => cast(binary('+', big(BigInt(start)), binary('*', binary('-', k, big(1n)), big(BigInt(step)))), scalarType('INTEGER')) };
}

function foldSteps(em: EmitterApi, n: Extract<ValueIR, { kind: 'StreamFold' | 'StreamScan' }>, scope: Scope, zero: Expr, stream: Steps, uncorrelated: boolean): Expr {
  const accT = em.typeOf(n.zero);
  const r = em.fresh('fold');
  const rr = em.fresh('f');
  const i = col('i', rr);
  // The body reads the step's row through uncorrelated subqueries of the working table (one
  // row): DuckDB then runs a table query in the body as a plain aggregate over the table,
  // where a correlated read would make it a join grouped by the row (about 1.5 times slower).
  // Not in a CTE that reads an enclosing query anyway: DuckDB plans those reads far worse, or
  // fails to bind them.
  const ra = em.fresh('w');
  const stepRead = (c: string): Expr => subquery({ kind: 'select', columns: [{ expr: col(c, ra) }], from: { kind: 'tableRef', name: r, alias: { name: ra } } });
  // (Decided before the body is compiled: a fold nested in it compiles by what it reads.)
  const read = uncorrelated ? stepRead : (c: string): Expr => col(c, rr);
  const outerStep = inStep.has(em);
  inStep.add(em);
  let step: Expr;
  try {
    step = em.toExpr(compileValue(em, n.body, { ...scope, vars: scope.vars.set(n.accum, read('acc')).set(n.name, stream.at(binary('+', read('i'), big(1n)))), closed: false }), accT);
  } finally {
    if (!outerStep) inStep.delete(em);
  }
  const carried = carryUpFront(em, step, read);
  const body = uncorrelated ? ownRow(carried.step, r, rr) : tiedToStep(em, carried.step, notNull(read('i')), r);
  const steps: Query = {
    kind: 'unionAll',
    queries: [
      { kind: 'select', columns: [{ expr: big(0n), alias: 'i' }, { expr: zero, alias: 'acc' }, ...carried.reads.map((read, k) => ({ expr: read, alias: `u${k}` }))] },
      {
        kind: 'select',
        columns: [{ expr: binary('+', i, big(1n)), alias: 'i' }, { expr: cast(body, repType(accT)), alias: 'acc' }, ...carried.reads.map((_, k) => ({ expr: col(`u${k}`, rr), alias: `u${k}` }))],
        from: { kind: 'tableRef', name: r, alias: { name: rr } },
        where: binary('<', i, stream.len),
      },
    ],
  };
  const result: Select =
    n.kind === 'StreamScan'
      ? { kind: 'select', columns: [{ expr: call('list', [col('acc')], { orderBy: [{ expr: col('i'), desc: false }] }) }], from: { kind: 'tableRef', name: r } }
      : // The last step is step len: read by number (a correlated ORDER BY ... LIMIT 1 becomes
        // arg_max, which drops a -0.0's sign).
        { kind: 'select', columns: [{ expr: col('acc') }], from: { kind: 'tableRef', name: r }, where: binary('=', col('i'), stream.len) };
  em.recursiveCte();
  return subquery({ kind: 'with', recursive: true, ctes: [{ name: r, columns: ['i', 'acc', ...carried.reads.map((_, k) => `u${k}`)], query: steps }], body: result });
}

/** `step` with its reads of the working table `r` outside any subquery made columns of the step's row `rr`. */
function ownRow(step: Expr, r: string, rr: string): Expr {
  const go = (x: Expr): Expr => {
    if (x.kind === 'subquery') {
      const q = x.query;
      if (q.kind === 'select' && q.from?.kind === 'tableRef' && q.from.name === r && q.where === undefined) return col((q.columns[0]!.expr as Extract<Expr, { kind: 'column' }>).name, rr);
      return x;
    }
    return x.kind === 'lambda' ? x : mapChildren(x, go);
  };
  return go(step);
}

/**
 * Whether a fold's zero or body reads something the enclosing query binds per row: a variable
 * (but its own accumulator and element) or relational value whose SQL reads a column, or an
 * enclosing aggregation. Then its recursive CTE is correlated anyway.
 */
function readsEnclosing(em: EmitterApi, n: Extract<ValueIR, { kind: 'StreamFold' | 'StreamScan' }>, scope: Scope): boolean {
  if (scope.agg !== undefined || scope.scan !== undefined) return true;
  // (A read of a one-row CTE, `SELECT v FROM cte`, reads nothing of the query around it.)
  const memo = new Map<Val, boolean>();
  const outer = (v: Val | undefined): boolean => {
    if (v === undefined) return false;
    let r = memo.get(v);
    if (r === undefined) memo.set(v, (r = readsOuter(v as unknown as Expr, '', (x) => oneRowRead(em, x) !== undefined)));
    return r;
  };
  let found = false;
  const look = (root: IR, own: ReadonlySet<string>): void => {
    fold<Env<true>, null>(root, emptyEnv<true>(), {
      enter: (node, i, env) => childEnv<true>(node, i, env, () => true),
      leave: (node, env) => {
        if (node.kind === 'Ref' && !env.eval.has(node.name) && !own.has(node.name) && outer(scope.vars.get(node.name))) found = true;
        if (node.kind === 'RelationalRef' && !env.rel.has(node.name) && outer(scope.rel.get(node.name))) found = true;
        return null;
      },
    });
  };
  look(n.zero, new Set());
  if (!found) look(n.body, new Set([n.accum, n.name]));
  return found;
}

/**
 * A filter's predicate as DuckDB runs it fastest. One that compares with a value computed up
 * front (`x > (SELECT v FROM rl_1)`) DuckDB makes a join of the rows with that one-row CTE on the
 * comparison (a nested-loop or piecewise merge join); written `(...) IS NOT DISTINCT FROM TRUE`,
 * which keeps the same rows, it stays a filter, about 1.5 times faster.
 */
export function filterPredicate(em: EmitterApi, pred: Expr): Expr {
  let found = false;
  const look = (x: Expr): void => {
    if (found || x.kind === 'lambda') return;
    if (x.kind === 'subquery') {
      const name = oneRowRead(em, x);
      found = name !== undefined && em.upFront(name);
    } else forChildren(x, look);
  };
  look(pred);
  return found ? { kind: 'isDistinct', left: pred, right: bool(true), not: true } : pred;
}

/** The CTE `e` reads, when it is `(SELECT v FROM cte)` of a one-row CTE the emitter made. */
function oneRowRead(em: EmitterApi, e: Expr): string | undefined {
  if (e.kind !== 'subquery') return undefined;
  const q = e.query;
  return q.kind === 'select' && q.from?.kind === 'tableRef' && em.oneRow(q.from.name) && q.columns.length === 1 && q.where === undefined && q.limit === undefined ? q.from.name : undefined;
}

/**
 * The step with each read of a value evaluated up front (a hoisted value's or a relational let's
 * one-row CTE, semantics.md §7) replaced by a column of the step's row (`u0`, `u1`, ...): the
 * first row reads it, and each step passes it on. DuckDB would otherwise inline the CTE and
 * compute it again in every step.
 */
function carryUpFront(em: EmitterApi, step: Expr, row: (column: string) => Expr): { step: Expr; reads: Expr[] } {
  const reads: Expr[] = [];
  const columns = new Map<string, Expr>();
  const go = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (Array.isArray(x)) return x.map(go);
    const e = x as Expr;
    const name = oneRowRead(em, e);
    if (name !== undefined && em.upFront(name)) {
      let c = columns.get(name);
      if (c === undefined) {
        c = row(`u${reads.length}`);
        columns.set(name, c);
        reads.push(e);
      }
      return c;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = go(v);
    return out;
  };
  return { step: go(step) as Expr, reads };
}

/**
 * `step` with `always` (true on every step row) added to the WHERE of each uncorrelated
 * SELECT in it, and to the arguments of each uncorrelated table function. DuckDB 1.5 fails to bind some of those (one holding a subquery, or the source
 * of a lateral join) in the step of a recursive CTE nested in a correlated subquery ("Failed
 * to bind column reference"); one that reads the step's row binds. The step runs once per
 * iteration anyway.
 */
function tiedToStep(em: EmitterApi, step: Expr, always: Expr, working?: string): Expr {
  const go = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (Array.isArray(x)) return x.map(go);
    // A correlated side of a FULL join is worse: DuckDB cannot flatten it at all.
    if ((x as From).kind === 'join' && (x as Extract<From, { kind: 'join' }>).type === 'FULL') return x;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = go(v);
    const q = out as unknown as Query;
    // A read of a one-row CTE, `SELECT v FROM cte`, gets `LIMIT 1` instead: DuckDB 1.5 sometimes
    // returns more than one row for it in a step, and a read tied to the step's row comes back
    // NULL now and then (a race: about 3 runs in 100).
    // (Only of a one-row CTE: a table of the database read in a step keeps all its rows.)
    const cteRead = q.kind === 'select' && q.from?.kind === 'tableRef' && em.oneRow(q.from.name) && q.where === undefined;
    // (A read of the step's own row is one already.)
    if (q.kind === 'select' && q.from?.kind === 'tableRef' && q.from.name === working) return out;
    if (cteRead) return { ...q, limit: { kind: 'number', type: 'BIGINT', value: 1n } };
    if (q.kind === 'select' && !readsOuter(x as Expr, '')) return { ...q, where: and([...(q.where ? [q.where] : []), always]) };
    // So is an unnest or range whose arguments read nothing outside (a reader's take constants).
    const f = out as unknown as From;
    if (f.kind === 'tableFunction' && (f.name === 'unnest' || f.name === 'range') && !f.args.some((a) => readsOuter(a, ''))) {
      return { ...f, args: f.args.map((a) => caseWhen([[always, a]])) };
    }
    return out;
  };
  return go(step) as Expr;
}

function streamZip(em: EmitterApi, n: Extract<ValueIR, { kind: 'StreamZip' }>, scope: Scope): Expr {
  const ss = n.streams.map((s) => em.toExpr(compileValue(em, s, scope), em.typeOf(s)));
  const outT = em.typeOf(n);
  const bodyT = em.typeOf(n.body);
  return em.shareAll(
    ss,
    (ls) => {
      const lens = ls.map((l) => call('len', [l]));
      const len =
        n.behavior === 'TakeMinLength' ? (lens.length === 1 ? lens[0]! : call('least', lens)) : lens.length === 1 ? lens[0]! : call('greatest', lens);
      const elems = (i: Expr) => ls.map((l) => call('list_extract', [l, binary('+', i, big(1n))]));
      const body = (i: Expr): Expr => {
        let vars = scope.vars;
        elems(i).forEach((e, j) => (vars = vars.set(n.names[j]!, e)));
        return em.toExpr(compileValue(em, n.body, { ...scope, vars, closed: false }), bodyT);
      };
      const mapped = mapList(em, call('range', [len]), body, outT);
      const whens: [Expr, Expr][] = [[or(ls.map(isNull)), nullOf(outT)]];
      if ((n.behavior === 'AssertSameLength' || n.behavior === 'AssumeSameLength') && ls.length > 1) {
        whens.push([binary('<>', call('least', lens), call('greatest', lens)), em.raise(n, 'InvalidArgument', 'StreamZip of streams with different lengths', outT)]);
      }
      return caseWhen(whens, mapped);
    },
  );
}

function toDict(em: EmitterApi, n: IR, a: Expr): Expr {
  const dt = em.typeOf(n) as Extract<Type, { kind: 'Dict' }>;
  // Pairs in order; for a repeated key the last pair wins; missing pairs are skipped.
  return em.share(
    a,
    (l) => {
      const u = em.fresh('u');
      const g = em.fresh('g');
      const et = (em.typeOf((n as Extract<ValueIR, { kind: 'ToDict' }>).a) as { element: Type }).element;
      const [kn, vn] = sqlFieldNames(et);
      const k = call('struct_extract', [col('e', u), str(kn!)]);
      const v = call('struct_extract', [col('e', u), str(vn!)]);
      const grouped: Select = {
        kind: 'select',
        columns: [
          { expr: call('last', [k], { orderBy: [{ expr: col('o', u), desc: false }] }), alias: 'k' },
          { expr: call('last', [v], { orderBy: [{ expr: col('o', u), desc: false }] }), alias: 'v' },
        ],
        from: { kind: 'tableFunction', name: 'unnest', args: [cast(l, repType(em.typeOf((n as Extract<ValueIR, { kind: 'ToDict' }>).a)))], alias: { name: u, columns: ['e', 'o'] }, ordinality: true },
        where: notNull(col('e', u)),
        groupBy: [k],
      };
      const entries: Select = {
        kind: 'select',
        columns: [{ expr: call('list', [{ kind: 'struct', fields: [{ name: 'key', value: col('k', g) }, { name: 'value', value: col('v', g) }] }], { orderBy: [{ expr: col('k', g), desc: false, nulls: 'LAST' }] }) }],
        from: { kind: 'subqueryFrom', query: grouped, alias: { name: g } },
      };
      return cases(whenMissing(em, [[(n as Extract<ValueIR, { kind: 'ToDict' }>).a, l]], dt), call('coalesce', [cast(subquery(entries), repType(dt)), emptyList(dt)]));
    },
  );
}

function arraySort(em: EmitterApi, n: Extract<ValueIR, { kind: 'ArraySort' }>, scope: Scope): Expr {
  const lt = n.lessThan;
  const a = em.toExpr(compileValue(em, n.a, scope), em.typeOf(n.a));
  const order = plainSortOrder(n);
  if (order !== undefined) return cast(call('list_sort', [a, str(order), str('NULLS LAST')]), repType(em.typeOf(n)));
  // Any other comparator: each present element by its rank (how many present elements are less
  // than it), ties in array order; missing elements last (semantics.md §6).
  return em.share(a, (l) => {
    const present = em.fresh('_p');
    const i = em.fresh('_i');
    const j = em.fresh('_j');
    const p = col(present);
    const at = (k: Expr): Expr => call('list_extract', [p, binary('+', k, big(1n))]);
    const less = em.toExpr(compileValue(em, lt, { ...scope, vars: scope.vars.set(n.left, at(col(j))).set(n.right, at(col(i))), closed: false }), TBoolean);
    if (containsSubquery(less)) return unsupported(n, 'ArraySort with a comparator that runs a query or an aggregation');
    const rank = call('len', [call('list_filter', [call('range', [call('len', [p])]), lambda([j], call('coalesce', [less, bool(false)]))])]);
    const keyed = call('list_transform', [call('range', [call('len', [p])]), lambda([i], { kind: 'struct', fields: [{ name: 'r', value: rank }, { name: 'i', value: col(i) }] })]);
    const k = em.fresh('_k');
    const ordered = call('list_transform', [call('list_sort', [keyed]), lambda([k], at(call('struct_extract', [col(k), str('i')])))]);
    const e = em.fresh('_e');
    const missing = call('list_filter', [l, lambda([e], isNull(col(e)))]);
    const sorted = call('list_concat', [call('list_extract', [call('list_transform', [{ kind: 'list', items: [call('list_filter', [l, lambda([e], { kind: 'isNull', operand: col(e), not: true })])] }, lambda([present], ordered)]), big(1n)]), missing]);
    return cases(whenMissing(em, [[n.a, l]], em.typeOf(n)), cast(sorted, repType(em.typeOf(n))));
  });
}

// ---- aggregation ----------------------------------------------------------------------------------

function windowed(ctx: AggCtx, c: Expr): Expr {
  if (!ctx.window || c.kind !== 'call') return c;
  return {
    kind: 'window',
    call: c,
    partitionBy: [],
    orderBy: ctx.order,
    frame: { unit: 'ROWS', start: { kind: 'unboundedPreceding' }, end: { kind: 'preceding', offset: 1 } },
  };
}

/** Whether an expression reads a column of one of the FROM items `local`. */
function readsColumn(e: Expr, local: ReadonlySet<string>): boolean {
  const stack: unknown[] = [e];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    const c = x as { kind?: string; table?: string };
    if (c.kind === 'column' && c.table !== undefined && local.has(c.table)) return true;
    if (c.kind === 'subquery') continue;
    for (const v of Object.values(x as object)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return false;
}

/** The FROM aliases the rows of an aggregation come from (those its order reads). */
function localAliases(order: readonly OrderItem[]): Set<string> {
  const out = new Set<string>();
  for (const o of order) if (o.expr.kind === 'column' && o.expr.table !== undefined) out.add(o.expr.table);
  return out;
}

/**
 * DuckDB binds an aggregate to the query level of the columns it reads; one that reads none of
 * its own rows' columns is an error, or lands in an outer query. And it moves a filter that
 * reads no column above a join, where no row may reach it. `anchored` ties an expression to
 * the rows without changing it.
 */
function anchored(e: Expr, order: readonly OrderItem[], fallback?: Expr): Expr {
  // The order columns tell rows apart (an ordinality, a range index): a column DuckDB knows to
  // be constant (a key of NULLs) would fold away with `e`. All of them: over a join, they come
  // from both sides, and a filter reading one side's only is pushed below the join, onto rows
  // the join drops.
  const byOrder = order.filter((o) => !isLiteral(o.expr)).map((o) => o.expr);
  const anchors = byOrder.length > 0 ? byOrder : fallback === undefined ? [] : [fallback];
  const local = localAliases(order);
  if (byOrder.length === 0 && fallback?.kind === 'column' && fallback.table !== undefined) local.add(fallback.table);
  if (anchors.length === 0 || readsColumn(e, local)) return e;
  return tiedTo(e, anchors);
}

/** `e` reading `anchors` without changing: they sit beside it in a struct taken apart again (`e` appears once). */
function tiedTo(e: Expr, anchors: readonly Expr[]): Expr {
  const fields = [{ name: 'v', value: e }, ...anchors.map((a, i) => ({ name: i === 0 ? 'a' : `a${i}`, value: a }))];
  return call('struct_extract', [{ kind: 'struct', fields }, str('v')]);
}

/**
 * Whether `e` is never missing when the columns it reads are present (collected into
 * `columns`): comparisons, AND/OR/NOT and float arithmetic over columns and present literals.
 */
function presentGivenColumns(e: Expr, columns: Map<string, Expr>): boolean {
  switch (e.kind) {
    case 'column':
      columns.set(`${e.table ?? ''}.${e.name}`, e);
      return true;
    case 'number':
    case 'string':
    case 'boolean':
      return true;
    case 'cast':
      return e.type.kind === 'scalarType' && presentGivenColumns(e.operand, columns);
    case 'unary':
      return e.op === 'NOT' && presentGivenColumns(e.operand, columns);
    case 'binary':
      return ['=', '<>', '<', '<=', '>', '>=', 'AND', 'OR'].includes(e.op) && presentGivenColumns(e.left, columns) && presentGivenColumns(e.right, columns);
    default:
      return false;
  }
}

/** A literal that is present (not NULL): a scalar, a container written out, or a cast of one. */
const presentLiteral = (e: Expr): boolean =>
  e.kind === 'number' || e.kind === 'string' || e.kind === 'boolean' || e.kind === 'list' || e.kind === 'struct' || e.kind === 'map' || (e.kind === 'cast' && presentLiteral(e.operand));

const isLiteral = (e: Expr): boolean =>
  e.kind === 'number' || e.kind === 'string' || e.kind === 'boolean' || e.kind === 'null' || (e.kind === 'cast' && isLiteral(e.operand));

/** A filter predicate tied to its rows (to `fallback`, a row column, when they have no order), unless a literal (which DuckDB may fold away). */
export function anchoredPredicate(pred: Expr, order: readonly OrderItem[], fallback?: Expr): Expr {
  return isLiteral(pred) ? pred : anchored(pred, order, fallback);
}

/** `e` with its outermost subqueries marked `always` (not guarded by the branches around). */
function always(e: Expr): Expr {
  if (e.kind === 'subquery') return { ...e, always: true };
  return mapChildren(e, always);
}

/**
 * `ordered(x)`, an ordered aggregate of `x` that returns one of its values: DuckDB's ordered
 * aggregates drop the sign of a -0.0, so for a float the sign travels beside it.
 */
function keepingSign(ordered: (e: Expr) => Expr, x: Expr, float: boolean): Expr {
  const v = ordered(x);
  return float ? caseWhen([[ordered(call('signbit', [x])), unary('-', call('abs', [v]))]], v) : v;
}

function aggregator(em: EmitterApi, n: IR, op: AggOp, inits: readonly Expr[], seqs0: readonly Expr[], seqTs: readonly Type[], ctx: AggCtx, t: Type): Expr {
  const filter = and(ctx.filters);
  const fallback = ctx.window ? undefined : ctx.anchor;
  // A constant ORDER BY is an error in DuckDB (and orders nothing).
  const order = ctx.window ? undefined : ctx.order.filter((o) => !isLiteral(o.expr));
  // DuckDB computes an aggregate's arguments on every row, FILTER or not: the filter guards them
  // too, so a row it drops evaluates nothing (as in the interpreter).
  const seqs = seqs0.map((s) => anchored(filter === undefined || isLiteral(s) ? s : caseWhen([[filter, s]]), ctx.order, fallback));
  const agg = (name: string, args: readonly Expr[], more: { orderBy?: readonly OrderItem[]; extraFilter?: Expr; distinct?: boolean } = {}): Expr => {
    const f0 = and([...(filter === undefined ? [] : [filter]), ...(ctx.excludes ?? []), ...(more.extraFilter === undefined ? [] : [more.extraFilter])]);
    const f = f0 === undefined ? undefined : anchored(f0, ctx.order, fallback);
    const e = windowed(ctx, call(name, args, { ...(f === undefined ? {} : { filter: f }), ...(more.orderBy && more.orderBy.length > 0 ? { orderBy: more.orderBy } : {}), ...(more.distinct ? { distinct: true } : {}) }));
    return ctx.collect ? ctx.collect(e) : e;
  };
  const x = seqs[0]!;
  switch (op) {
    case 'Count':
      return agg('count', [{ kind: 'star' }]);
    case 'Sum':
      if (t.kind === 'Int64') return int64Result(em, n, call('coalesce', [agg('sum', [x]), big(0n)]));
      return call('coalesce', [agg('sum', [x]), dbl(0)]);
    case 'Product': {
      if (t.kind === 'Float64') return call('coalesce', [agg('product', [x]), dbl(1)]);
      // Exact: a zero makes the product 0; otherwise magnitudes only grow, so an overflow on the
      // way means the result overflows too (only the result is checked, semantics.md §2).
      // In HUGEINT, where a product past the Int64 range stops growing, and checked by the
      // outermost cast (a scan's is made where its value is read).
      const huge = (v: string): Expr => cast(str(v), scalarType('HUGEINT'));
      const zeros = agg('count', [{ kind: 'star' }], { extraFilter: binary('=', x, big(0n)) });
      // (`list` keeps NULLs: a missing operand is left out, unless it is never missing.)
      const arg = (n as Extract<IR, { kind: 'ApplyAggOp' | 'ApplyScanOp' }>).seqArgs[0];
      const list = agg('list', [cast(x, scalarType('HUGEINT'))], arg !== undefined && em.required(arg) ? {} : { extraFilter: notNull(x) });
      const step = caseWhen([[binary('>', call('abs', [col('_a')]), huge('9223372036854775808')), col('_a')]], binary('*', col('_a'), col('_b')));
      const prod = call('list_reduce', [list, lambda(['_a', '_b'], step), huge('1')]);
      return int64Result(em, n, caseWhen([[binary('>', zeros, big(0n)), huge('0')]], call('coalesce', [prod, huge('1')])));
    }
    case 'Min':
      return agg('min', [x]);
    case 'Max':
      return agg('max', [x]);
    case 'Collect':
      return call('coalesce', [agg('list', [x], { orderBy: order }), emptyList(t)]);
    case 'CollectAsSet': {
      // DISTINCT needs its ORDER BY to be its argument, which the lambda pass may write
      // twice over with different names: such an argument is sorted afterwards.
      if (ctx.window || containsSubquery(x) || holdsLambda(x)) return setOf(em, call('coalesce', [agg('list', [x]), emptyList(t)]));
      return call('coalesce', [agg('list', [x], { distinct: true, orderBy: [{ expr: x, desc: false, nulls: 'LAST' }] }), emptyList(t)]);
    }
    case 'Take': {
      const k = inits[0]!;
      const all = call('coalesce', [agg('list', [x], { orderBy: order }), emptyList(t)]);
      return em.share(k, (kk) =>
        caseWhen(
          [[or([isNull(kk), binary('<', kk, i32(0))]), em.raise(n, 'InvalidArgument', 'Take with a missing or negative count', t)]],
          call('list_slice', [all, big(1n), cast(kk, scalarType('BIGINT'))]),
        ),
      );
    }
    case 'TakeBy': {
      const k = inits[0]!;
      const key = seqs[1]!;
      const byKey: OrderItem[] = [{ expr: key, desc: false, nulls: 'LAST' }, ...(order ?? [])];
      const all = ctx.window
        ? call('list_transform', [
            call('list_sort', [call('coalesce', [agg('list', [{ kind: 'struct', fields: [{ name: 'k', value: key }, { name: 'v', value: x }] }]), cast({ kind: 'list', items: [] }, { kind: 'listType', element: { kind: 'structType', fields: [{ name: 'k', type: repType(seqTs[1]!) }, { name: 'v', type: repType(seqTs[0]!) }] } })])]),
            lambda(['_s'], call('struct_extract', [col('_s'), str('v')])),
          ])
        : call('coalesce', [agg('list', [x], { orderBy: byKey }), emptyList(t)]);
      return em.share(k, (kk) =>
        caseWhen(
          [[or([isNull(kk), binary('<', kk, i32(0))]), em.raise(n, 'InvalidArgument', 'TakeBy with a missing or negative count', t)]],
          call('list_slice', [all, big(1n), cast(kk, scalarType('BIGINT'))]),
        ),
      );
    }
    case 'PrevNonnull':
      if (ctx.window) return call('list_extract', [agg('list', [x], { extraFilter: notNull(x) }), big(-1n)]);
      // DuckDB's `last` drops the sign of a -0.0, inside a container too.
      if (floatInside(t)) return fromSigns(agg('last', [withSigns(x, t, em)], { orderBy: order, extraFilter: notNull(x) }), t, em);
      return keepingSign((e) => agg('last', [e], { orderBy: order, extraFilter: notNull(x) }), x, isFloating(t) && order !== undefined && order.length > 0);
  }
}

/** Layers of per-row projections under one aggregate, at most (deeper bindings are inlined). */
const MAX_ROW_LAYERS = 32;

/**
 * The filter under a TableCount, or a TableAggregate that only counts rows, when its predicate reads a value
 * computed up front (a relational let): then the predicate becomes the counts' FILTER clause.
 * As a WHERE, DuckDB plans the comparison with the one-row CTE as a blockwise nested-loop join;
 * as a FILTER, as a projection over a cross product, and the count over 10,000,000 rows runs
 * about 15% faster (bench/lift.mjs). Not for other aggregators: DuckDB computes their
 * arguments on every row, guarded by the filter, which measured 1.2 to 1.9 times slower.
 */
function countedFilter(child: IR, query?: ValueIR): Extract<IR, { kind: 'TableFilter' }> | undefined {
  if (child.kind !== 'TableFilter') return undefined;
  let counts = true;
  if (query) forEachNode(query, (x) => {
    if ((AGG_KINDS.has(x.kind) && !(x.kind === 'ApplyAggOp' && x.op === 'Count')) || (x.kind === 'Let' && x.bindings.some((b) => b.scope !== 'eval'))) counts = false;
    return counts;
  });
  let readsLet = false;
  forEachNode(child.pred, (x) => {
    if (x.kind === 'RelationalRef') readsLet = true;
    return !readsLet;
  });
  return counts && readsLet ? child : undefined;
}

function tableAggregate(em: EmitterApi, n: Extract<ValueIR, { kind: 'TableAggregate' }>, scope: Scope): Expr {
  const counted = countedFilter(n.child, n.query);
  const rel = em.table(counted?.child ?? n.child, { ...scope, agg: undefined, scan: undefined });
  const o = em.open(rel);
  const rowVars = (row: Val) => scope.vars.set('row', row).set('global', rel.global);
  const kept = (row: Val): Expr[] => (counted ? [condition(em, counted.pred, { ...scope, vars: rowVars(row), agg: undefined, scan: undefined, closed: false })] : []);
  // Per-row bindings as columns of projections under the aggregate, a layer per step of their
  // dependencies (DuckDB's lateral column aliases do not bind in a correlated subquery).
  const layers: { expr: Expr; alias: string }[][] = [];
  const layerOf = new Map<string, number>();
  const stepping = inStep.has(em);
  const ctx: AggCtx = {
    vars: rowVars(o.row),
    filters: kept(o.row),
    order: o.order,
    window: false,
    anchor: em.anchorOf(o),
    reopen: () => {
      const o2 = em.open(rel);
      return { from: o2.from, vars: rowVars(o2.row), where: kept(o2.row), order: o2.order, anchor: em.anchorOf(o2) };
    },
    rowColumn: (e) => {
      let layer = 0;
      let outer = false;
      const visit = (x: Expr): void => {
        if (x.kind === 'column') {
          if (x.table === undefined && layerOf.has(x.name)) layer = Math.max(layer, layerOf.get(x.name)! + 1);
          else if (x.table !== o.alias) outer = true;
        }
        if (x.kind !== 'subquery') forChildren(x, visit);
      };
      visit(e);
      // Past that many layers, or reading an enclosing query in a recursive step (where DuckDB
      // plans the correlated projection 1.4 to 1.6 times slower, measured), computed where read.
      if (layer >= MAX_ROW_LAYERS || (outer && stepping)) return e;
      const name = em.fresh('_r');
      (layers[layer] ??= []).push({ expr: e, alias: name });
      layerOf.set(name, layer);
      return col(name);
    },
  };
  // The rows with their per-row bindings beside them, under the same alias.
  const from = (): From =>
    layers.reduce<From>(
      (inner, items) => ({ kind: 'subqueryFrom', query: { kind: 'select', columns: [{ expr: { kind: 'star', table: o.alias } }, ...items], from: inner }, alias: { name: o.alias } }),
      o.from,
    );
  return aggregateQuery(em, ctx, from, undefined, em.typeOf(n), (c) =>
    em.toExpr(compileValue(em, n.query, { ...scope, vars: scope.vars.set('global', rel.global), agg: c, scan: undefined, closed: scope.closed }), em.typeOf(n)),
  );
}

/**
 * An aggregation whose result crosses a scalar subquery with its float signs beside it, and the
 * query of the plain result: the program's own result need not cross one (emit.ts).
 */
const signedSubquery = new WeakMap<Expr, Select>();

/** The one-row query of `e`'s value, when `e` is an aggregation read through a subquery. */
export function plainQuery(e: Expr): Select | undefined {
  return signedSubquery.get(e);
}

/**
 * The aggregations `build` asks for, in one `SELECT ... FROM from GROUP BY ()` (one row even over
 * no rows), and `build`'s result (of type `t`) over its columns.
 */
function aggregateQuery(em: EmitterApi, ctx0: AggCtx, from: From | (() => From), where: Expr | undefined, t: Type, build: (ctx: AggCtx) => Expr, place?: (aggregates: Expr) => Expr | undefined): Expr {
  const alias = em.fresh('a');
  const items: { expr: Expr; alias: string }[] = [];
  const ctx: AggCtx = {
    ...ctx0,
    collect: (e) => {
      const name = `a${items.length}`;
      items.push({ expr: e, alias: name });
      return col(name, alias);
    },
  };
  const result = build(ctx);
  const inner: Select = {
    kind: 'select',
    columns: items,
    from: typeof from === 'function' ? from() : from,
    ...(where ? { where } : {}),
    grandTotal: true,
  };
  // No aggregate: the rows are not needed (semantics.md §1), and the result is all there is.
  if (items.length === 0) return result;
  const one = items.length === 1;
  const packed = (): Expr =>
    subquery({
      kind: 'select',
      columns: [{ expr: one ? col(items[0]!.alias, alias) : { kind: 'struct', fields: items.map((it) => ({ name: it.alias, value: col(it.alias, alias) })) } }],
      from: { kind: 'subqueryFrom', query: inner, alias: { name: alias } },
    });
  // The aggregates placed elsewhere (a scan's, in the row projection), the result where it stands.
  const placed = place?.(packed());
  if (placed !== undefined) {
    const over = (x: Expr): Expr => substituteColumns(result, alias, (name) => (one ? x : call('struct_extract', [x, str(name)])));
    // (Read once and in no lambda, which cannot hold a subquery: in place, no binding needed.)
    let reads = 0;
    substituteColumns(result, alias, (name) => (reads++, col(name, alias)));
    return reads <= 1 && !readInLambda(result, alias) ? over(placed) : em.share(placed, over);
  }
  if (!readsOuter(result, alias)) {
    // A range check on the result is made outside, where the value is read (so a branch
    // around guards it, while the rows' work stays the aggregation's).
    const d = deferrable.get(result);
    // DuckDB drops the sign of a -0.0 inside a container a scalar subquery returns: such floats
    // travel with their sign beside them (zero-sign.ts).
    const signs = d === undefined && floatInside(t);
    const value = d?.value ?? result;
    const sub = subquery({ kind: 'select', columns: [{ expr: signs ? withSigns(value, t, em) : value }], from: { kind: 'subqueryFrom', query: inner, alias: { name: alias } } });
    if (signs) {
      const out = fromSigns(sub, t, em);
      signedSubquery.set(out, { kind: 'select', columns: [{ expr: value }], from: { kind: 'subqueryFrom', query: inner, alias: { name: alias } } });
      return out;
    }
    if (d === undefined) return sub;
    const out = d.check(sub);
    deferrable.set(out, { value: sub, check: d.check });
    return out;
  }
  // The result reads columns of the query around: computed there, over the aggregates the
  // subquery returns as one struct, so the subquery stays uncorrelated when its rows are
  // (DuckDB fails to bind some correlated subqueries, and runs an uncorrelated one once).
  // One aggregate comes back as itself: DuckDB loses the sign of a -0.0 inside a struct
  // returned by a scalar subquery.
  return em.share(packed(), (x) => substituteColumns(result, alias, (name) => (one ? x : call('struct_extract', [x, str(name)]))));
}


type Node = { readonly kind?: string };
const isError = (x: Node): boolean => x.kind === 'call' && (x as { readonly name?: string }).name === 'error';
// (A lambda's parameters are unqualified columns.)
const isColumn = (x: Node): boolean => x.kind === 'column' && (x as { readonly table?: string }).table !== undefined;
const finds = { error: new WeakMap<object, Expr | null>(), column: new WeakMap<object, Expr | null>(), outerColumn: new WeakMap<object, Expr | null>() };

/** Whether `e` calls DuckDB's error() anywhere, subqueries included (how a raise is emitted). */
export function holdsError(e: Expr): boolean {
  return findIn(e, finds.error, isError, true) !== undefined;
}

/**
 * The first node under `x` (a value, SQL or not) that `f` accepts; in subqueries too with
 * `deep`. Memoized per object, so asking of every enclosing expression stays linear.
 */
function findIn(x: object, memo: WeakMap<object, Expr | null>, f: (e: Node) => boolean, deep: boolean): Expr | undefined {
  const kidsOf = (y: object): object[] => ((y as Node).kind === 'subquery' && !deep ? [] : Object.values(y).filter((v): v is object => v !== null && typeof v === 'object'));
  const stack: [object, boolean][] = [[x, false]];
  while (stack.length > 0) {
    const [y, done] = stack.pop()!;
    if (memo.has(y)) continue;
    if (f(y as Node)) {
      memo.set(y, y as Expr);
      continue;
    }
    const kids = kidsOf(y);
    if (!done) {
      stack.push([y, true]);
      for (const k of kids) if (!memo.has(k)) stack.push([k, false]);
      continue;
    }
    memo.set(y, kids.map((k) => memo.get(k)).find((r) => r !== null && r !== undefined) ?? null);
  }
  return memo.get(x) ?? undefined;
}

/**
 * `e` tied to the current row (a column some variable in scope reads) when it reads no column
 * and may raise: DuckDB computes an uncorrelated subquery once, before the rows, even where
 * there are none (and so would raise where the interpreter evaluates nothing).
 */
function tiedToRow(e: Expr, scope: Scope): Expr {
  if (!holdsError(e) || findIn(e, finds.column, isColumn, true) !== undefined) return e;
  // (A table's `row` first: most often the one.)
  const row = scope.vars.get('row');
  for (const v of row === undefined ? scope.vars.values() : [row, ...scope.vars.values()]) {
    const c = findIn(v, finds.outerColumn, isColumn, false);
    if (c !== undefined) return tiedTo(e, [c]);
  }
  return e;
}

function streamAgg(em: EmitterApi, n: Extract<ValueIR, { kind: 'StreamAgg' }>, scope: Scope): Expr {
  const s = tiedToRow(em.toExpr(compileValue(em, n.a, scope), em.typeOf(n.a)), scope);
  // A small stream expression is repeated rather than shared: DuckDB fails to bind a column
  // correlated through two subquery levels, which sharing plus an AggExplode would need.
  const build = (l: Expr): Expr => {
      const open = () => {
        const u = em.fresh('u');
        const from: From = { kind: 'tableFunction', name: 'unnest', args: [cast(l, repType(em.typeOf(n.a)))], alias: { name: u, columns: ['e', 'o'] }, ordinality: true };
        return { from, vars: scope.vars.set(n.name, col('e', u)), where: [] as Expr[], order: [{ expr: col('o', u), desc: false }] as OrderItem[] };
      };
      const first = open();
      const ctx: AggCtx = { vars: first.vars, filters: [], order: first.order, window: false, reopen: open };
      const q = aggregateQuery(em, ctx, first.from, undefined, em.typeOf(n), (c) => em.toExpr(compileValue(em, n.query, { ...scope, agg: c, closed: false }), em.typeOf(n)));
      // Aggregating a missing stream is missing. A StreamAgg computes its whole stream, whatever
      // its query reads (semantics.md §1).
      return cases(presence(em, n.a, l, em.typeOf(n)), q);
  };
  return small(s) ? build(s) : em.share(s, build);
}

function aggExplode(em: EmitterApi, n: Extract<ValueIR, { kind: 'AggExplode' }>, scope: Scope): Expr {
  const ctx = n.isScan ? scope.scan : scope.agg;
  if (ctx === undefined) throw new InternalError('AggExplode outside an aggregation');
  const raised = n.isScan ? scanPartRaises(em, ctx, n.array, em.typeOf(n)) : undefined;
  if (raised !== undefined) return raised;
  if (ctx.reopen === undefined) return unsupported(n, 'AggExplode here');
  const reopen = ctx.reopen;
  const open = () => {
    const r = reopen();
    // Anchored to the row: a table function's constant argument is computed while binding,
    // even over no rows.
    const arr0 = anchored(em.toExpr(compileValue(em, n.array, { ...scope, vars: r.vars, agg: undefined, scan: undefined, closed: false }), em.typeOf(n.array)), r.order, r.anchor);
    // DuckDB computes a lateral unnest's argument before the WHERE drops its row.
    const arr = onKeptRows(r, arr0);
    const u = em.fresh('x');
    const from: From = { kind: 'join', type: 'CROSS', left: r.from, right: { kind: 'tableFunction', name: 'unnest', args: [cast(arr, repType(em.typeOf(n.array)))], alias: { name: u, columns: ['e', 'i'] }, ordinality: true, lateral: true } };
    return { ...r, from, vars: r.vars.set(n.name, col('e', u)), order: [...r.order, { expr: col('i', u), desc: false }] };
  };
  const first = open();
  const inner: AggCtx = { vars: first.vars, filters: [], order: first.order, window: false, reopen: open, excludes: beforeOnly(first) };
  const q = aggregateQuery(
    em,
    inner,
    first.from,
    and(first.where),
    em.typeOf(n),
    (c) => em.toExpr(compileValue(em, n.agg, { ...scope, ...(n.isScan ? { scan: c } : { agg: c }), closed: false }), em.typeOf(n)),
    // Its aggregates are per-row work, computed wherever it stands; what it computes from them,
    // when that may raise, is computed only where its branch is taken. (Else one subquery, which
    // carries -0.0 signs across.)
    resultMayRaise(em, n.agg) ? (aggregates) => (n.isScan ? rowColumn(ctx, aggregates) : aggregates.kind === 'subquery' ? { ...aggregates, always: true } : undefined) : undefined,
  );
  if (n.isScan) return perRow(ctx, q);
  // An aggregation evaluates every row's array wherever the AggExplode stands (a loop body
  // that never runs too): one known to raise raises when there is a row. An aggregate of the
  // error sits beside the value, so DuckDB computes it over the rows.
  const r = em.raises(n.array);
  if (r === undefined || ctx.collect === undefined || !em.needed(n.array)) return q;
  const f = and(ctx.filters);
  // (DuckDB computes an aggregate's argument on rows its FILTER drops: guarded by it too.)
  const error = em.raise(r.span ? { ...n.array, span: r.span } : n.array, r.errorClass, r.message, { kind: 'Boolean' });
  const err = anchored(f === undefined ? error : caseWhen([[f, error]]), ctx.order, ctx.anchor);
  const check = ctx.collect(call('min', [err], f === undefined ? {} : { filter: anchored(f, ctx.order, ctx.anchor) }));
  return call('struct_extract', [{ kind: 'struct', fields: [{ name: 'v', value: q }, { name: 'r', value: check }] }, str('v')]);
}

/**
 * Element j of the result aggregates the j-th elements of the rows' arrays (semantics.md §5):
 * one correlated aggregation per position of range(length), the length given or that of the
 * first present array, a length check over all rows first.
 */
function aggArrayPerElement(em: EmitterApi, n: Extract<ValueIR, { kind: 'AggArrayPerElement' }>, scope: Scope): Expr {
  const ctx = n.isScan ? scope.scan : scope.agg;
  if (ctx === undefined) throw new InternalError('AggArrayPerElement outside an aggregation');
  if (ctx.reopen === undefined) return unsupported(n, 'AggArrayPerElement here');
  const raised = n.isScan ? scanPartRaises(em, ctx, n.a, em.typeOf(n)) : undefined;
  if (raised !== undefined) return raised;
  const reopen = ctx.reopen;
  const outT = em.typeOf(n);
  const arrT = em.typeOf(n.a);
  // Tied to the row: DuckDB computes a WHERE condition that reads no column up front, even
  // over no rows.
  const arrayAt = (r: Reopened): Expr => {
    const a = anchored(em.toExpr(compileValue(em, n.a, { ...scope, vars: r.vars, agg: undefined, scan: undefined, closed: false }), arrT), r.order, r.anchor);
    return onKeptRows(r, a);
  };
  // A scan's rows run through the current one (`Reopened.before`): its array counts in the
  // length check, as the interpreter's update of that row checks it, but not in the result.
  const overRows = (build: (r: ReturnType<typeof reopen>, a: Expr) => { expr: Expr; where?: Expr[] }): Expr => {
    const r = reopen();
    const a = arrayAt(r);
    const b = build(r, a);
    const where = and([...r.where, notNull(a), ...(b.where ?? [])]);
    return subquery({ kind: 'select', columns: [{ expr: b.expr }], from: r.from, ...(where ? { where } : {}), grandTotal: true });
  };
  const len = (a: Expr): Expr => call('len', [a]);
  const given = n.knownLength === null ? undefined : em.toExpr(compileValue(em, n.knownLength, { ...scope, agg: undefined, scan: undefined }), TInt32);
  const firstLength = (passedOnly: boolean) =>
    overRows((r, a) => {
      const f = passedOnly && r.before !== undefined ? { filter: r.before } : {};
      return { expr: call('first', [anchored(len(a), r.order)], { orderBy: r.order.filter((o) => !isLiteral(o.expr)), ...f }) };
    });
  const lengths = (f: 'min' | 'max', passedOnly: boolean) =>
    overRows((r, a) => ({ expr: call(f, [anchored(len(a), r.order)], passedOnly && r.before !== undefined ? { filter: r.before } : {}) }));
  const inScan = n.isScan && given === undefined;
  return em.shareAll([given === undefined ? firstLength(false) : cast(given, scalarType('BIGINT')), ...(inScan ? [firstLength(true)] : [])], ([L, passedL]) => {
    // Compared outside the aggregates: an aggregate reading only L would belong to L's query.
    const bad = given === undefined ? binary('OR', binary('<>', lengths('min', false), L!), binary('<>', lengths('max', false), L!)) : binary('>', lengths('max', true), L!);
    const pos = em.fresh('p');
    const j = col('j', pos);
    // The rows whose array has position j, each with its j-th element.
    const atJ = () => {
      const r = reopen();
      const a = arrayAt(r);
      return { ...r, vars: r.vars.set(n.elementName, call('list_extract', [a, binary('+', j, big(1n))])), where: [...r.where, notNull(a), binary('>', len(a), j)] };
    };
    const r = atJ();
    const inner: AggCtx = { vars: r.vars, filters: [], order: r.order, window: false, reopen: atJ, excludes: beforeOnly(r) };
    const elemT = (outT as { element: Type }).element;
    const build = (c: AggCtx): Expr => {
      const v = em.toExpr(compileValue(em, n.agg, { ...scope, vars: scope.vars.set(n.indexName, cast(j, scalarType('INTEGER'))), ...(n.isScan ? { scan: c } : { agg: c }), closed: false }), elemT);
      // Computed for the current row's elements, the result itself is not there yet.
      return passedL === undefined ? v : caseWhen([[isNull(passedL), nullOf(elemT)]], v);
    };
    const overPositions = (e: Expr): Select => ({
      kind: 'select',
      columns: [{ expr: e }],
      from: { kind: 'tableFunction', name: 'range', args: [L!], alias: { name: pos, columns: ['j'] } },
    });
    // The element values, when computing one may raise: the positions' aggregates are per-row
    // work (computed wherever this stands), each value is computed from them in a lambda, only
    // where this is read. (Not a value that holds a subquery, which no lambda can; nor with no
    // length given: the length's subquery, shared, holds all this, and is per-row work.)
    const splits = given !== undefined && !containsSubquery(given) && resultMayRaise(em, n.agg);
    const [p, i] = splits ? [em.fresh('_p'), em.fresh('_i')] : ['', ''];
    let aggregates: Expr | undefined;
    const split = splits ? aggregateQuery(em, inner, r.from, and(r.where), elemT, build, (a) => ((aggregates = a), col(p))) : undefined;
    const values: Expr =
      split !== undefined && !containsSubquery(split)
        ? aggregates === undefined
          ? // (No aggregate: a value per position.)
            call('list_transform', [call('range', [L!]), lambda([i], substituteColumns(split, pos, () => col(i)))])
          : call('coalesce', [
              call('list_transform', [
                { kind: 'subquery', query: overPositions(call('list', [aggregates], { orderBy: [{ expr: j, desc: false }] })), always: true },
                lambda([p, i], substituteColumns(split, pos, () => binary('-', col(i), big(1n)))),
              ]),
              emptyList(outT),
            ])
        : // With no array before the current row a scan's result is missing, but the current
          // row's elements are still aggregated (per-row work, which guards.ts leaves unguarded).
          {
            kind: 'subquery',
            query: overPositions(call('coalesce', [call('list', [aggregateQuery(em, inner, r.from, and(r.where), elemT, build)], { orderBy: [{ expr: j, desc: false }] }), emptyList(outT)])),
            ...(passedL === undefined ? {} : { always: true }),
          };
    return caseWhen(
      [
        [isNull(L!), nullOf(outT)],
        [bad, em.raise(n, 'InvalidArgument', 'AggArrayPerElement over arrays of different lengths', outT)],
        ...(passedL === undefined ? [] : ([[isNull(passedL), nullOf(outT)]] as [Expr, Expr][])),
      ],
      values,
    );
  });
}

function aggGroupBy(em: EmitterApi, n: Extract<ValueIR, { kind: 'AggGroupBy' }>, scope: Scope): Expr {
  const ctx = n.isScan ? scope.scan : scope.agg;
  if (ctx === undefined) throw new InternalError('AggGroupBy outside an aggregation');
  if (ctx.reopen === undefined) return unsupported(n, 'AggGroupBy here');
  const raised = n.isScan ? scanPartRaises(em, ctx, n.key, em.typeOf(n)) : undefined;
  if (raised !== undefined) return raised;
  const reopen = ctx.reopen;
  const keyAt = (vars: Scope['vars']): Expr => em.toExpr(compileValue(em, n.key, { ...scope, vars, agg: undefined, scan: undefined, closed: false }), em.typeOf(n.key));
  const r = reopen();
  const key = keyAt(r.vars);
  // The grouped SELECT holds the key and the aggregates; the value is computed over them in
  // the query around it, so no aggregate sits in a lambda or subquery of the grouped one.
  const g = em.fresh('g');
  const items: SelectItem[] = [{ expr: key, alias: 'k' }];
  const inner: AggCtx = {
    vars: r.vars,
    filters: [],
    order: r.order,
    window: false,
    excludes: beforeOnly(r),
    collect: (e) => {
      const name = `a${items.length}`;
      items.push({ expr: e, alias: name });
      return col(name, g);
    },
    // Aggregations over other rows see the rows of this group.
    reopen: () => {
      const r2 = reopen();
      return { ...r2, where: [...r2.where, { kind: 'isDistinct', left: keyAt(r2.vars), right: col('k', g), not: true }] };
    },
  };
  const dt = em.typeOf(n) as Extract<Type, { kind: 'Dict' }>;
  const v = em.toExpr(compileValue(em, n.agg, { ...scope, ...(n.isScan ? { scan: inner } : { agg: inner }), closed: false }), dt.value);
  const where = and(r.where);
  // In a scan, a key only the current row has is not a group yet; its group is still computed
  // (the per-row work of the current row inside it runs), then left out, its value unread.
  if (r.before !== undefined) items.push({ expr: binary('>', call('count', [{ kind: 'star' }], { filter: r.before }), big(0n)), alias: 'p' });
  const passed = r.before === undefined ? undefined : col('p', g);
  const grouped: Select = { kind: 'select', columns: items, from: r.from, ...(where ? { where } : {}), ...(containsSubquery(key) ? { groupByAll: true, having: binary('>', call('count', [{ kind: 'star' }]), big(0n)) } : { groupBy: [key] }) };
  // A group's value that may raise is computed where the dict is read: the groups' keys and
  // aggregates are per-row work (unguarded), each value is computed from them in a lambda.
  // (Not a value that holds a subquery, which no lambda can.)
  if (resultMayRaise(em, n.agg) && !containsSubquery(v)) {
    const e = em.fresh('_e');
    const aggs = items.filter((it) => it.alias !== 'k' && it.alias !== 'p');
    const packed: Expr = { kind: 'struct', fields: [{ name: 'key', value: col('k', g) }, ...(aggs.length > 0 ? [{ name: 'a', value: { kind: 'struct', fields: aggs.map((it) => ({ name: it.alias!, value: col(it.alias!, g) })) } as Expr }] : [])] };
    const groups: Select = {
      kind: 'select',
      columns: [{ expr: call('list', [packed], { orderBy: [{ expr: col('k', g), desc: false, nulls: 'LAST' }], ...(passed === undefined ? {} : { filter: passed }) }) }],
      from: { kind: 'subqueryFrom', query: grouped, alias: { name: g } },
    };
    const value = substituteColumns(v, g, (name) => call('struct_extract', [call('struct_extract', [col(e), str('a')]), str(name)]));
    const entryOf: Expr = { kind: 'struct', fields: [{ name: 'key', value: call('struct_extract', [col(e), str('key')]) }, { name: 'value', value }] };
    return cast(call('coalesce', [call('list_transform', [subquery(groups), lambda([e], entryOf)]), emptyList(dt)]), repType(dt));
  }
  const entry: Expr = { kind: 'struct', fields: [{ name: 'key', value: col('k', g) }, { name: 'value', value: passed === undefined ? v : caseWhen([[passed, v]]) }] };
  const entries: Select = {
    kind: 'select',
    columns: [
      {
        expr: call('coalesce', [
          call('list', [entry], { orderBy: [{ expr: col('k', g), desc: false, nulls: 'LAST' }], ...(passed === undefined ? {} : { filter: passed }) }),
          emptyList(dt),
        ]),
      },
    ],
    from: { kind: 'subqueryFrom', query: grouped, alias: { name: g } },
  };
  return cast(subquery(entries), repType(dt));
}

/** Whether `e` holds a lambda. */
/** Whether a column of `alias` is read inside a lambda, at any depth (in a subquery too). */
function readInLambda(e: Expr, alias: string): boolean {
  const stack: [unknown, boolean][] = [[e, false]];
  while (stack.length > 0) {
    const [x, inLambda] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    const c = x as { readonly kind?: string; readonly table?: string };
    if (inLambda && c.kind === 'column' && c.table === alias) return true;
    for (const v of Object.values(x)) if (v !== null && typeof v === 'object') stack.push([v, inLambda || c.kind === 'lambda']);
  }
  return false;
}

function holdsLambda(e: Expr): boolean {
  let found = false;
  const go = (x: Expr): void => {
    if (found) return;
    if (x.kind === 'lambda') found = true;
    else forChildren(x, go);
  };
  go(e);
  return found;
}
