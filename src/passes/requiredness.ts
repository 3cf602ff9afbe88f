// Requiredness (docs/design/requiredness.md): for every node, and for every part inside its
// type, whether the value can be missing. Hail's Requiredness.scala is the model; where
// semantics.md differs from Hail, semantics.md wins.
//
//   (StreamFold acc x (StreamRange 0 False (I32 0) (I32 3) (I32 1)) (I32 0)
//     (ApplyBinaryPrimOp Add (Ref acc) (Ref x)))                       +Int32
//   (MakeArray None (I32 1) (NA Int32))                                +Array[Int32]
//
// An analysis: the IR is untouched; results live in a side table. Computed once for the whole
// program, in time linear in its size:
// - One walk builds a dependency graph: a cell per node, and a cell per binding (a Let's value,
//   a loop's element, a fold's accumulator, a table's row and global, ...). A node's cell reads
//   its children's cells; a Ref's reads its binding's; a binding's reads the children it comes
//   from (a fold's accumulator: its zero and its body, which makes the graph cyclic). A node
//   whose requiredness is always a child's (a Let's body, a filter's operand) shares its cell.
// - A cell's requiredness is a run of bits, one per part of its type in pre-order (the value,
//   then its element, or key and value, or fields), all in one byte array.
// - Every bit starts "required" and is only ever lowered (made optional), by rules that are
//   monotone in the cells they read. A worklist recomputes a cell when a cell it reads was
//   lowered. Seeded in post-order, most cells are computed once; a loop's again only when its
//   accumulator was lowered, which happens at most once per bit of the accumulator's type.
// So the result is the greatest fixpoint: the most precise, and sound by induction over the
// evaluation (a loop's accumulator starts as its zero, and each step keeps what the body keeps).
//
// Sharing rule: a Ref node reached more than once (in a shared subtree) has one cell, reading
// every binding it resolves to in any place; the nodes above it get a cell per place they are
// reached, all reading that one Ref cell, so each holds in every place.

import { InternalError } from '../diagnostics/diagnostic.js';
import { childEnv, emptyEnv, type Bind, type BindSource, type Env } from '../ir/binds.js';
import { assertNever, isTableIR, type AggOp, type IR, type TableIR, type TableReader } from '../ir/nodes.js';
import { TInt32, elementType, fieldIndex, type Req, type StructType, type TableReq, type TableType, type TupleType, type Type } from '../ir/types.js';
import type { Value } from '../ir/value.js';
import { fold } from '../ir/walk.js';
import { NodeTable } from '../ir/node-table.js';
import { isTableType, type AnyType } from './typecheck.js';

/** What a reader knows of a source column: NOT NULL, Parquet's required fields. */
export interface ColumnReq {
  readonly required: boolean;
  /** A struct column's fields, by name. */
  readonly fields?: ReadonlyMap<string, ColumnReq>;
  /** A list column's elements. */
  readonly element?: ColumnReq;
  /** A map column's keys and values. */
  readonly key?: ColumnReq;
  readonly value?: ColumnReq;
}

/** The columns of one source, by name. */
export type SourceReq = ReadonlyMap<string, ColumnReq>;

export interface RequirednessOptions {
  /**
   * The requiredness of the columns of a `TableRead` source (as `readerType` gives its type);
   * without it, or for a column it does not know, every part of a column may be missing.
   */
  readonly readerRequiredness?: (r: TableReader) => SourceReq | undefined;
}

/** One step into a value or table: a struct field, a tuple index, a collection's parts. */
export type Step = 'element' | 'key' | 'value' | 'row' | 'global' | { readonly field: string } | { readonly index: number };

export interface Requiredness {
  /** A value node's requiredness (undefined for a table node). */
  value(n: IR): Req | undefined;
  /** A table node's requiredness (undefined for a value node). */
  table(n: IR): TableReq | undefined;
  /** Whether a value node is never missing (a table is never missing). */
  isRequired(n: IR): boolean;
  /**
   * Whether the part of `n`'s value at `path` is never missing where the parts around it are
   * present (an array's elements, say, whether or not the array can be missing); for the
   * empty path, `isRequired(n)`.
   */
  requiredAt(n: IR, path: readonly Step[]): boolean;
}

// ---- layouts: where each part of a type has its bit --------------------------------------------

/** A type's bits: its own first, then its parts' in order (element; key, value; fields). */
interface Layout {
  readonly size: number;
  readonly element?: Layout;
  readonly key?: Layout;
  readonly value?: Layout;
  readonly fields?: readonly Layout[];
  /** Where each field's bits start, from the struct's (or tuple's) own. */
  readonly offsets?: readonly number[];
  /** A table's: its row's bits, then its global's (a table has no bit of its own). */
  readonly row?: Layout;
  readonly global?: Layout;
}

const ONE: Layout = { size: 1 };
const layouts = new WeakMap<Type, Layout>();

function layoutOf(t: Type): Layout {
  switch (t.kind) {
    case 'Array':
    case 'Stream':
    case 'Set':
    case 'Dict':
    case 'Tuple':
    case 'Struct':
      break;
    default:
      return ONE;
  }
  let l = layouts.get(t);
  if (l !== undefined) return l;
  if (t.kind === 'Dict') {
    const [key, value] = [layoutOf(t.key), layoutOf(t.value)];
    l = { size: 1 + key.size + value.size, key, value };
  } else if (t.kind === 'Tuple' || t.kind === 'Struct') {
    const fields = (t.fields as readonly { readonly type: Type }[]).map((f) => layoutOf(f.type));
    const offsets: number[] = [];
    let size = 1;
    for (const f of fields) {
      offsets.push(size);
      size += f.size;
    }
    l = { size, fields, offsets };
  } else {
    const element = layoutOf(t.element);
    l = { size: 1 + element.size, element };
  }
  layouts.set(t, l);
  return l;
}

const tableLayouts = new WeakMap<TableType, Layout>();

function tableLayout(t: TableType): Layout {
  let l = tableLayouts.get(t);
  if (l === undefined) {
    const [row, global] = [layoutOf(t.row), layoutOf(t.global)];
    tableLayouts.set(t, (l = { size: row.size + global.size, row, global }));
  }
  return l;
}

// ---- the dependency graph -----------------------------------------------------------------------

interface Binding {
  readonly binder: IR;
  readonly source: BindSource;
}

/**
 * Kinds whose requiredness is exactly that of one child (by index; -1: the last): lets are
 * their body, an aggregation wrapper its aggregation, a Cast, sort or filter its operand, and
 * a table node that keeps its child's rows and global.
 */
const PASS_THROUGH: ReadonlyMap<string, number> = new Map([
  ['Let', -1], ['AggLet', 1], ['RelationalLet', 1], ['AggFilter', 1], ['AggExplode', 1], ['TableAggregate', 1],
  ['Cast', 0], ['ToArray', 0], ['ToSet', 0], ['ArraySort', 0], ['StreamFilter', 0],
  ['TableFilter', 0], ['TableKeyBy', 0], ['TableOrderBy', 0], ['TableHead', 0], ['TableTail', 0], ['TableDistinct', 0],
  ['TableRename', 0], ['RelationalLetTable', 1],
]);

const EMPTY: readonly number[] = [];

/** A growable column of 32-bit integers; `data` is replaced as it grows (read it afresh). */
class Ints {
  data = new Int32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
}

const sameSource = (a: BindSource, b: BindSource): boolean => a.of === b.of && (a.of === 'int32' || a.child === (b as { readonly child: number }).child);

/** Analyses a type-checked program (a prepared one too) given the type of each of its nodes. */
export function analyzeRequiredness(root: IR, types: ReadonlyMap<IR, AnyType>, options: RequirednessOptions = {}): Requiredness {
  // The type checker's table numbers the nodes in the post-order this walk follows too (see
  // node-table.ts): types are read by position and cells kept by the same index.
  const table = NodeTable.from(types);
  const typeOf = (n: IR): AnyType => {
    const t = table.get(n);
    if (t === undefined) throw new InternalError(`requiredness: no type for ${n.kind}`);
    return t;
  };

  // ---- the bits (1: required) and the lowering of them; each says whether a bit changed ----

  let bits = new Uint8Array(1024);
  let used = 0;
  const alloc = (size: number): number => {
    if (used + size > bits.length) {
      const grown = new Uint8Array(Math.max(bits.length * 2, used + size));
      grown.set(bits);
      bits = grown;
    }
    bits.fill(1, used, used + size);
    used += size;
    return used - size;
  };
  const lowerTop = (t: number, required: boolean): boolean => {
    if (required || bits[t] === 0) return false;
    bits[t] = 0;
    return true;
  };
  /** The `size` bits from `t` lowered by those from `s` (two parts of one layout). */
  const lowerAll = (t: number, s: number, size: number): boolean => {
    let changed = false;
    for (let k = 0; k < size; k++) {
      if (bits[t + k] === 1 && bits[s + k] === 0) {
        bits[t + k] = 0;
        changed = true;
      }
    }
    return changed;
  };
  /** Its parts only (a missing value has none). */
  const lowerInner = (t: number, s: number, size: number): boolean => lowerAll(t + 1, s + 1, size - 1);
  /** Its parts, optional where neither `a`'s nor `b`'s are required (two equal values). */
  const lowerInnerMeet = (t: number, a: number, b: number, size: number): boolean => {
    let changed = false;
    for (let k = 1; k < size; k++) {
      if (bits[t + k] === 1 && bits[a + k] === 0 && bits[b + k] === 0) {
        bits[t + k] = 0;
        changed = true;
      }
    }
    return changed;
  };
  const lowerEverywhere = (t: number, size: number): boolean => {
    let changed = false;
    for (let k = 0; k < size; k++) {
      if (bits[t + k] === 1) {
        bits[t + k] = 0;
        changed = true;
      }
    }
    return changed;
  };
  /** The fields of a row or global from a struct that becomes it: a missing one is all missing fields (semantics.md §7). */
  const lowerFields = (t: number, tl: Layout, s: number, sl: Layout, from = 0): boolean => {
    let changed = false;
    for (let i = 0; i < sl.fields!.length; i++) {
      const f = t + tl.offsets![from + i]!;
      changed = lowerTop(f, bits[s] === 1) || changed;
      changed = lowerAll(f, s + sl.offsets![i]!, sl.fields![i]!.size) || changed;
    }
    return changed;
  };
  /** A literal's requiredness is its value's. */
  const lowerByValue = (t: number, type: Type, v: Value): boolean => {
    if (v === null) return lowerTop(t, false);
    let changed = false;
    switch (type.kind) {
      case 'Array':
      case 'Stream':
      case 'Set':
        for (const x of v as readonly Value[]) changed = lowerByValue(t + 1, type.element, x) || changed;
        break;
      case 'Dict': {
        const key = layoutOf(type.key).size;
        for (const p of v as readonly (readonly Value[])[]) {
          changed = lowerByValue(t + 1, type.key, p[0]!) || changed;
          changed = lowerByValue(t + 1 + key, type.value, p[1]!) || changed;
        }
        break;
      }
      case 'Tuple':
      case 'Struct': {
        const offsets = layoutOf(type).offsets!;
        type.fields.forEach((f: { readonly type: Type }, i: number) => {
          changed = lowerByValue(t + offsets[i]!, f.type, (v as readonly Value[])[i]!) || changed;
        });
        break;
      }
      default:
        break;
    }
    return changed;
  };
  /** A column read from a source of known requiredness into a declared type. */
  const lowerBySource = (t: number, type: Type, c: ColumnReq | undefined): boolean => {
    const l = layoutOf(type);
    if (c === undefined) return lowerEverywhere(t, l.size);
    let changed = lowerTop(t, c.required);
    switch (type.kind) {
      case 'Array':
      case 'Set':
        return lowerBySource(t + 1, type.element, c.element) || changed;
      case 'Dict':
        changed = lowerBySource(t + 1, type.key, c.key) || changed;
        return lowerBySource(t + 1 + l.key!.size, type.value, c.value) || changed;
      case 'Struct':
        type.fields.forEach((f, i) => {
          changed = lowerBySource(t + l.offsets![i]!, f.type, c.fields?.get(f.name)) || changed;
        });
        return changed;
      case 'Tuple':
      case 'Stream':
        return lowerEverywhere(t + 1, l.size - 1) || changed;
      default:
        return changed;
    }
  };

  // ---- 1. the graph: one walk, binding names to cells as the type checker binds them to types ----

  // Cells by number, in columns (a million cells are a few typed arrays, not a million objects,
  // and little garbage as they grow): where each one's bits start, its type and layout (looked
  // up once per cell: the layouts of 10^4 distinct types make a slow WeakMap), its node (null
  // for a binding's cell), what it reads. Columns few cells use are sparse.
  const atCol = new Ints();
  const cellType: AnyType[] = [];
  const cellLayout: Layout[] = [];
  const cellNode: (IR | null)[] = [];
  const cellBinding: (Binding | undefined)[] = [];
  const firstCol = new Ints();
  const countCol = new Ints();
  const idsCol = new Ints();
  /** Inputs added later: a fold's body to its accumulator, a shared Ref's other bindings. */
  const moreInputs = new Map<number, number[]>();
  /** Each node's cell, by its index in `table` (-1: none yet). */
  const cells = new Int32Array(table.size).fill(-1);
  let next = 0;
  /**
   * A loop's binding cells: bind, cell, bind, cell, ... (the body's cells are added to its
   * accumulator's, once the body is done). Other binders' are kept while their children are
   * resolved: a binding resolved again later (a shared node walked again) gets a second cell,
   * which reads the same child, so nothing is lost (and no lookup per binder).
   */
  const loopBindings = new Map<IR, (Bind | number)[]>();
  let lastBinder: IR | null = null;
  let lastBindings: (Bind | number)[] = [];

  /** A new cell reading `inputs` (or the one input `one`, when `inputs` is null). */
  const newCell = (node: IR | null, type: AnyType, inputs: readonly number[] | null, one = -1): number => {
    const c = atCol.length;
    const l = isTableType(type) ? tableLayout(type) : layoutOf(type);
    atCol.push(alloc(l.size));
    cellType.push(type);
    cellLayout.push(l);
    cellNode.push(node);
    cellBinding.push(undefined);
    firstCol.push(idsCol.length);
    if (inputs === null) {
      countCol.push(1);
      idsCol.push(one);
    } else {
      countCol.push(inputs.length);
      for (let k = 0; k < inputs.length; k++) idsCol.push(inputs[k]!);
    }
    return c;
  };
  const addInput = (c: number, i: number): void => {
    const m = moreInputs.get(c);
    if (m === undefined) moreInputs.set(c, [i]);
    else if (!m.includes(i)) m.push(i);
  };

  /** The cell of a binding, made the first time it is resolved (after the children it comes from). */
  const bindingCell = (binder: IR, bind: Bind, done: readonly number[]): number => {
    let m = lastBindings;
    if (binder !== lastBinder) {
      if (binder.kind === 'StreamFold' || binder.kind === 'StreamScan') {
        const kept = loopBindings.get(binder);
        if (kept === undefined) loopBindings.set(binder, (m = []));
        else m = kept;
      } else m = [];
      lastBinder = binder;
      lastBindings = m;
    }
    const s = bind.source;
    for (let k = 0; k < m.length; k += 2) {
      const b = m[k] as Bind;
      if (b.name === bind.name && sameSource(b.source, s)) return m[k + 1] as number;
    }
    let c: number;
    if (s.of === 'int32') c = newCell(null, TInt32, EMPTY);
    else {
      const from = done[s.child]!;
      const t = cellType[from]!;
      const type = s.of === 'row' || s.of === 'global' ? (t as TableType)[s.of] : s.of === 'element' ? elementType(t as Type)! : (t as Type);
      c = newCell(null, type, null, from);
    }
    cellBinding[c] = { binder, source: s };
    m.push(bind, c);
    return c;
  };

  let done: readonly number[] = [];
  const resolve = (binder: IR, bind: Bind): number => bindingCell(binder, bind, done);
  fold<Env<number>, number>(root, emptyEnv<number>(), {
    enter: (node, i, env, kids) => {
      done = kids;
      return childEnv<number>(node, i, env, resolve);
    },
    leave: (node, env, kids) => {
      const at = table.at(node, next);
      if (at < 0) throw new InternalError(`requiredness: no type for ${node.kind}`);
      next = at + 1;
      const isRef = node.kind === 'Ref' || node.kind === 'RelationalRef';
      const ref = node.kind === 'Ref' ? env.eval.get(node.name) : node.kind === 'RelationalRef' ? env.rel.get(node.name) : undefined;
      if (isRef) {
        const old = cells[at]!;
        if (old >= 0) {
          // A shared Ref has one cell, reading each binding it resolves to.
          if (ref !== undefined && (countCol.data[old] === 0 || idsCol.data[firstCol.data[old]!] !== ref)) addInput(old, ref);
          return old;
        }
      }
      // Any other node reached again (in a shared subtree) gets a new cell, the same rules over
      // the same Ref cells, so the same bits: the last one answers for it (no lookup per node).
      // A node whose requiredness is always its child's shares the child's cell.
      const same = PASS_THROUGH.get(node.kind);
      if (same !== undefined) {
        const kid = kids[same < 0 ? kids.length + same : same]!;
        cells[at] = kid;
        return kid;
      }
      const m = node.kind === 'StreamFold' || node.kind === 'StreamScan' ? loopBindings.get(node) : undefined;
      if (m !== undefined) {
        // The accumulator is the zero, then each step's body: the loop in the graph.
        for (let k = 0; k < m.length; k += 2) {
          const s = (m[k] as Bind).source;
          if (s.of === 'type' && s.child === 1) addInput(m[k + 1] as number, kids[2]!);
        }
      }
      const type = table.valueList[at]!;
      const c = ref !== undefined ? newCell(node, type, null, ref) : newCell(node, type, kids);
      cells[at] = c;
      return c;
    },
  });

  const [cellAt, firstInput, inputCount, inputIds] = [atCol.data, firstCol.data, countCol.data, idsCol.data];
  /** What a cell's rule computed once from the types (field positions, say). */
  const cellPlan: unknown[] = new Array(atCol.length);
  // Who reads each cell, as ranges of one array.
  const n = atCol.length;
  let more = 0;
  for (const m of moreInputs.values()) more += m.length;
  const firstReader = new Int32Array(n + 1);
  const readerIds = new Int32Array(idsCol.length + more);

  for (let c = 0; c < n; c++) for (let k = firstInput[c]!, end = k + inputCount[c]!; k < end; k++) firstReader[inputIds[k]! + 1]!++;
  for (const m of moreInputs.values()) for (const i of m) firstReader[i + 1]!++;
  for (let c = 0; c < n; c++) firstReader[c + 1]! += firstReader[c]!;
  const filled = firstReader.slice(0, n);
  for (let c = 0; c < n; c++) for (let k = firstInput[c]!, end = k + inputCount[c]!; k < end; k++) readerIds[filled[inputIds[k]!]!++] = c;
  for (const [c, m] of moreInputs) for (const i of m) readerIds[filled[i]!++] = c;

  // ---- 2. the fixpoint -------------------------------------------------------------------------------

  /** The cell being updated, and its parts (`ins(i)`: the cell its input `i` is). */
  let current = 0;
  const ins = (i: number): number => inputIds[firstInput[current]! + i]!;
  // Read as `planned<P>() ?? plan(() => ...)`: the closure is made only the first time.
  const planned = <P>(): P | undefined => cellPlan[current] as P | undefined;
  const plan = <P>(make: () => P): P => (cellPlan[current] = make());
  const inAt = (i: number): number => cellAt[ins(i)]!;
  const inReq = (i: number): boolean => bits[inAt(i)] === 1;
  const inType = (i: number): AnyType => cellType[ins(i)]!;
  const inLayout = (i: number): Layout => cellLayout[ins(i)]!;
  const allOptional = (count: number): boolean => {
    for (let i = 0; i < count; i++) if (inReq(i)) return false;
    return true;
  };
  /** Whether inputs `from` to `to` (all of them by default) are all required. */
  const allRequired = (from = 0, to = inputCount[current]!): boolean => {
    for (let i = from; i < to; i++) if (!inReq(i)) return false;
    return true;
  };
  // The worklist: a ring of cells, each in it at most once, seeded in post-order (a cell after
  // the cells it reads, but a loop's body).
  const queue = new Int32Array(n);
  const queued = new Uint8Array(n).fill(1);
  for (let c = 0; c < n; c++) queue[c] = c;
  let head = 0;
  let size = n;
  while (size > 0) {
    const c = queue[head]!;
    head = head + 1 === n ? 0 : head + 1;
    size--;
    queued[c] = 0;
    current = c;
    if (cellNode[c] === null ? updateBinding(c) : updateNode(c)) {
      for (let k = firstReader[c]!; k < firstReader[c + 1]!; k++) {
        const d = readerIds[k]!;
        if (queued[d] === 0) {
          queued[d] = 1;
          const tail = head + size;
          queue[tail >= n ? tail - n : tail] = d;
          size++;
        }
      }
    }
  }

  /** Cell `c`'s bits (from `r`, `size` of them) lowered by each of its inputs, later ones too (a fold's body, a shared Ref's other bindings). */
  function lowerByEveryInput(c: number, r: number, size: number): boolean {
    let changed = false;
    for (let k = firstInput[c]!, end = k + inputCount[c]!; k < end; k++) changed = lowerAll(r, cellAt[inputIds[k]!]!, size) || changed;
    if (moreInputs.size > 0) for (const i of moreInputs.get(c) ?? EMPTY) changed = lowerAll(r, cellAt[i]!, size) || changed;
    return changed;
  }

  function updateBinding(c: number): boolean {
    const { binder, source } = cellBinding[c]!;
    const r = cellAt[c]!;
    const size = cellLayout[c]!.size;
    switch (source.of) {
      case 'int32':
        return false;
      case 'type': {
        // (A fold's accumulator reads its zero and its body.)
        return lowerByEveryInput(c, r, size);
      }
      case 'row':
        return lowerAll(r, inAt(0), size);
      case 'global':
        return lowerAll(r, inAt(0) + inLayout(0).row!.size, size);
      case 'element': {
        const s = inAt(0);
        if ((inType(0) as Type).kind === 'Dict') {
          // A dict's entries, {key, value} structs, are never missing themselves.
          return lowerInner(r, s, size);
        }
        const inner = lowerInner(r, s + 1, size);
        // ArraySort never compares a missing element; ExtendNA pads shorter streams with missing.
        if (binder.kind === 'ArraySort') return inner;
        if (binder.kind === 'StreamZip' && binder.behavior === 'ExtendNA') return lowerTop(r, false) || inner;
        return lowerTop(r, bits[s + 1] === 1) || inner;
      }
    }
  }

  function updateNode(c: number): boolean {
    const n = cellNode[c]!;
    const r = cellAt[c]!;
    const count = inputCount[c]!;
    const at = inAt;
    const req = inReq;
    const lay = inLayout;
    if (isTableIR(n)) return updateTable(n, c);
    const l = cellLayout[c]!;
    switch (n.kind) {
      case 'I32':
      case 'I64':
      case 'F32':
      case 'F64':
      case 'Str':
      case 'True':
      case 'False':
      case 'IsNA':
      case 'TableCount':
      // Die never returns, so whatever it would return is "never missing".
      case 'Die':
        return false;
      // Void's one value is null (semantics.md §1), and TableWrite returns it.
      case 'Void':
      case 'NA':
      case 'TableWrite':
        return lowerTop(r, false);
      case 'Literal':
        return lowerByValue(r, n.type, n.value);
      case 'Ref':
      case 'RelationalRef': {
        // Unbound (a fragment's free variable): nothing is known.
        if (count === 0) return lowerEverywhere(r, l.size);
        return lowerByEveryInput(c, r, l.size);
      }
      case 'Let':
      case 'AggLet':
      case 'RelationalLet':
      case 'AggFilter':
      case 'AggExplode':
      case 'TableAggregate':
      case 'Cast':
      case 'ToArray':
      case 'ToSet':
      case 'ArraySort':
      case 'StreamFilter':
        throw new InternalError(`requiredness: ${n.kind} shares its child's cell`);
      case 'Coalesce': {
        // Present when any argument is.
        let changed = lowerTop(r, !allOptional(count));
        for (let i = 0; i < count; i++) changed = lowerInner(r, at(i), l.size) || changed;
        return changed;
      }
      case 'If': {
        const cond = lowerTop(r, req(0));
        const a = lowerAll(r, at(1), l.size);
        return lowerAll(r, at(2), l.size) || a || cond;
      }
      case 'Switch': {
        let changed = lowerTop(r, req(0));
        for (let i = 1; i < count; i++) changed = lowerAll(r, at(i), l.size) || changed;
        return changed;
      }
      case 'ApplyBinaryPrimOp':
      case 'ApplyUnaryPrimOp':
      case 'Apply':
      case 'StreamRange':
      case 'ArrayLen':
      case 'StreamLen':
        return lowerTop(r, allRequired());
      case 'ApplyComparisonOp':
        return n.op === 'EQWithNA' || n.op === 'NEQWithNA' ? false : lowerTop(r, allRequired());
      case 'MakeStruct':
      case 'MakeTuple': {
        let changed = false;
        for (let i = 0; i < count; i++) changed = lowerAll(r + l.offsets![i]!, at(i), l.fields![i]!.size) || changed;
        return changed;
      }
      case 'InsertFields': {
        // Each output field from a new value (child j) or an old field (-1 - index).
        const from = planned<number[]>() ?? plan(() => {
          const oldT = inType(0) as StructType;
          const news = new Map(n.fields.map((f, j) => [f.name, j + 1] as const));
          return (cellType[c] as StructType).fields.map((f) => news.get(f.name) ?? -1 - fieldIndex(oldT, f.name));
        });
        const old = lay(0);
        let changed = lowerTop(r, req(0));
        for (let k = 0; k < from.length; k++) {
          const j = from[k]!;
          changed = lowerAll(r + l.offsets![k]!, j > 0 ? at(j) : at(0) + old.offsets![-1 - j]!, l.fields![k]!.size) || changed;
        }
        return changed;
      }
      case 'SelectFields': {
        const idx = planned<number[]>() ?? plan(() => n.fields.map((f) => fieldIndex(inType(0) as StructType, f)));
        const old = lay(0);
        let changed = lowerTop(r, req(0));
        for (let k = 0; k < idx.length; k++) changed = lowerAll(r + l.offsets![k]!, at(0) + old.offsets![idx[k]!]!, l.fields![k]!.size) || changed;
        return changed;
      }
      case 'GetField':
      case 'GetTupleElement': {
        const offset = planned<number>() ?? plan(() => {
          const t = inType(0) as StructType | TupleType;
          const i = n.kind === 'GetField' ? fieldIndex(t as StructType, n.name) : (t as TupleType).fields.findIndex((f) => f.index === n.index);
          return layoutOf(t).offsets![i]!;
        });
        const top = lowerTop(r, req(0));
        return lowerAll(r, at(0) + offset, l.size) || top;
      }
      case 'MakeArray': {
        let changed = false;
        for (let i = 0; i < count; i++) changed = lowerAll(r + 1, at(i), l.size - 1) || changed;
        return changed;
      }
      case 'ArrayRef': {
        const top = lowerTop(r, req(0) && req(1));
        return lowerAll(r, at(0) + 1, l.size) || top;
      }
      case 'ToStream': {
        // A dict streams its entries as {key, value} structs, never missing themselves; the
        // parts of both lie in the same order.
        if ((inType(0) as Type).kind !== 'Dict') return lowerAll(r, at(0), l.size);
        const top = lowerTop(r, req(0));
        return lowerInner(r + 1, at(0), l.size - 1) || top;
      }
      case 'ToDict': {
        // A missing entry is skipped: only its key and value count.
        const top = lowerTop(r, req(0));
        return lowerInner(r, at(0) + 1, l.size) || top;
      }
      case 'StreamMap':
      case 'StreamZip':
      case 'CollectDistributedArray': {
        // Missing with their stream (any stream); each element a body's value.
        const streams = n.kind === 'StreamZip' ? n.streams.length : 1;
        const body = n.kind === 'CollectDistributedArray' ? 2 : count - 1;
        const top = lowerTop(r, allRequired(0, streams));
        return lowerAll(r + 1, at(body), l.size - 1) || top;
      }
      case 'StreamFlatMap': {
        // A missing inner stream adds nothing.
        const top = lowerTop(r, req(0));
        return lowerAll(r + 1, at(1) + 1, l.size - 1) || top;
      }
      case 'StreamFold': {
        // The zero (no element), or the last step.
        const top = lowerTop(r, req(0));
        const zero = lowerAll(r, at(1), l.size);
        return lowerAll(r, at(2), l.size) || zero || top;
      }
      case 'StreamScan': {
        const top = lowerTop(r, req(0));
        const zero = lowerAll(r + 1, at(1), l.size - 1);
        return lowerAll(r + 1, at(2), l.size - 1) || zero || top;
      }
      case 'StreamTake':
      case 'StreamDrop': {
        const top = lowerTop(r, req(1));
        return lowerAll(r, at(0), l.size) || top;
      }
      case 'StreamAgg': {
        const top = lowerTop(r, req(0));
        return lowerAll(r, at(1), l.size) || top;
      }
      case 'ApplyAggOp':
      case 'ApplyScanOp': {
        // Over no rows: Count and Sum 0, Product 1, the collections empty; Min, Max and
        // PrevNonnull missing (semantics.md §5).
        const x = n.initArgs.length;
        const op: AggOp = n.op;
        switch (op) {
          case 'Count':
          case 'Sum':
          case 'Product':
            return false;
          case 'Min':
          case 'Max':
            return lowerTop(r, false);
          case 'PrevNonnull': {
            const top = lowerTop(r, false);
            return lowerInner(r, at(x), l.size) || top;
          }
          case 'Collect':
          case 'CollectAsSet':
          case 'Take':
          case 'TakeBy':
            return lowerAll(r + 1, at(x), l.size - 1);
        }
        return assertNever(op);
      }
      case 'AggGroupBy': {
        const key = lowerAll(r + 1, at(0), l.key!.size);
        return lowerAll(r + 1 + l.key!.size, at(1), l.value!.size) || key;
      }
      case 'AggArrayPerElement': {
        // With no known length and no array seen, missing.
        const top = lowerTop(r, n.knownLength !== null && req(2));
        return lowerAll(r + 1, at(1), l.size - 1) || top;
      }
      case 'TableCollect': {
        // {rows: Array[row], global}: the table's bits in the same order, under two more.
        const row = inLayout(0).row!.size;
        const rows = lowerAll(r + 2, at(0), row);
        return lowerAll(r + l.offsets![1]!, at(0) + row, l.size - l.offsets![1]!) || rows;
      }
      case 'TableGetGlobals':
        return lowerAll(r, at(0) + inLayout(0).row!.size, l.size);
      // A derivative is missing where its body is (semantics.md §10); a Gradient's struct is present.
      case 'Grad':
        return lowerTop(r, inReq(0));
      case 'Gradient': {
        let changed = false;
        for (let i = 0; i < l.fields!.length; i++) changed = lowerTop(r + l.offsets![i]!, inReq(0)) || changed;
        return changed;
      }
    }
    return assertNever(n);
  }

  function updateTable(n: TableIR, c: number): boolean {
    const t = cellType[c] as TableType;
    const [rowL, globalL] = [cellLayout[c]!.row!, cellLayout[c]!.global!];
    const [row, global] = [cellAt[c]!, cellAt[c]! + rowL.size];
    /** The global's bits of table input `i`. */
    const globalOf = (i: number): number => inAt(i) + inLayout(i).row!.size;
    switch (n.kind) {
      case 'TableRange':
        return false;
      case 'TableRead': {
        const source = options.readerRequiredness?.(n.reader);
        let changed = false;
        t.row.fields.forEach((f, i) => {
          changed = lowerBySource(row + rowL.offsets![i]!, f.type, source?.get(f.name)) || changed;
        });
        // A source has no global: a declared one reads as all missing.
        return lowerEverywhere(global + 1, globalL.size - 1) || changed;
      }
      case 'TableParallelize': {
        const sl = inLayout(0);
        const rows = inAt(0) + sl.offsets![0]!;
        const changed = lowerFields(row, rowL, rows + 1, sl.fields![0]!.element!);
        return lowerFields(global, globalL, inAt(0) + sl.offsets![1]!, sl.fields![1]!) || changed;
      }
      case 'TableFilter':
      case 'TableKeyBy':
      case 'TableOrderBy':
      case 'TableHead':
      case 'TableTail':
      case 'TableDistinct':
      case 'TableRename':
      case 'RelationalLetTable':
        throw new InternalError(`requiredness: ${n.kind} shares its child's cell`);
      case 'TableMapRows': {
        const changed = lowerFields(row, rowL, inAt(1), inLayout(1));
        return lowerAll(global, globalOf(0), globalL.size) || changed;
      }
      case 'TableMapGlobals': {
        const changed = lowerAll(row, inAt(0), rowL.size);
        return lowerFields(global, globalL, inAt(1), inLayout(1)) || changed;
      }
      case 'TableAggregateByKey': {
        // The child's key fields, then the aggregated struct's fields.
        // (Key and field names from the nodes' types: a cell may be shared with a renamed or re-keyed table.)
        const childT = typeOf(n.child) as TableType;
        const keys = planned<number[]>() ?? plan(() => childT.key.map((k) => fieldIndex(childT.row, k)));
        const childRow = layoutOf(childT.row);
        let changed = lowerAll(global, globalOf(0), globalL.size);
        keys.forEach((i, k) => {
          changed = lowerAll(row + rowL.offsets![k]!, inAt(0) + childRow.offsets![i]!, childRow.fields![i]!.size) || changed;
        });
        return lowerFields(row, rowL, inAt(1), inLayout(1), keys.length) || changed;
      }
      case 'TableKeyByAndAggregate': {
        const key = inLayout(2);
        const changed = lowerAll(global, globalOf(0), globalL.size);
        const keys = lowerFields(row, rowL, inAt(2), key);
        return lowerFields(row, rowL, inAt(1), inLayout(1), key.fields!.length) || keys || changed;
      }
      case 'TableJoin':
        return updateJoin(n, c);
      case 'TableLeftJoinRightDistinct': {
        const [left, right] = [inAt(0), inAt(1)];
        const [lt, rt] = [typeOf(n.left) as TableType, typeOf(n.right) as TableType];
        const values = planned<number[]>() ?? plan(() => rt.row.fields.map((_, i) => i).filter((i) => !rt.key.includes(rt.row.fields[i]!.name)));
        const [ll, rl] = [layoutOf(lt.row), layoutOf(rt.row)];
        // The left row's fields in place; after them the root, a struct of the right row's
        // values, missing where no right row matches.
        let changed = lowerAll(global, globalOf(0), globalL.size);
        changed = lowerInner(row, left, ll.size) || changed;
        const root = row + rowL.offsets![ll.fields!.length]!;
        const rootL = rowL.fields![ll.fields!.length]!;
        changed = lowerTop(root, false) || changed;
        values.forEach((i, j) => {
          changed = lowerAll(root + rootL.offsets![j]!, right + rl.offsets![i]!, rl.fields![i]!.size) || changed;
        });
        return changed;
      }
      case 'TableUnion': {
        let changed = lowerAll(global, globalOf(0), globalL.size);
        for (let i = 0; i < inputCount[c]!; i++) changed = lowerAll(row, inAt(i), rowL.size) || changed;
        return changed;
      }
      case 'TableExplode': {
        const path = planned<number[]>() ?? plan(() => {
          let s: Type = (typeOf(n.child) as TableType).row;
          return n.path.map((name) => {
            const i = fieldIndex(s as StructType, name);
            s = (s as StructType).fields[i]!.type;
            return i;
          });
        });
        let changed = lowerAll(global, globalOf(0), globalL.size);
        // Off the path, the child's; along it, present (a row with a missing one is dropped);
        // at its end, an element of the exploded collection.
        let [tl, sl] = [rowL, layoutOf((inType(0) as TableType).row)];
        let [tp, sp] = [row, inAt(0)];
        for (const i of path) {
          tl.fields!.forEach((f, j) => {
            if (j !== i) changed = lowerAll(tp + tl.offsets![j]!, sp + sl.offsets![j]!, f.size) || changed;
          });
          [tp, sp] = [tp + tl.offsets![i]!, sp + sl.offsets![i]!];
          [tl, sl] = [tl.fields![i]!, sl.fields![i]!];
        }
        return lowerAll(tp, sp + 1, tl.size) || changed;
      }
    }
    return assertNever(n);
  }

  function updateJoin(n: Extract<IR, { kind: 'TableJoin' }>, c: number): boolean {
    const [left, right, out0] = [inAt(0), inAt(1), cellAt[c]!];
    const [lt, rt, t] = [typeOf(n.left) as TableType, typeOf(n.right) as TableType, cellType[c] as TableType];
    // Positions in each side's row of its join key fields and of its other fields, which the
    // joined row lists in that order (typecheck.ts).
    const p = planned<{ lKey: number[]; rKey: number[]; lOther: number[]; rOther: number[] }>() ?? plan(() => {
      const lKey = lt.key.slice(0, n.joinKey).map((k) => fieldIndex(lt.row, k));
      const rKey = rt.key.slice(0, n.joinKey).map((k) => fieldIndex(rt.row, k));
      const others = (s: TableType, key: readonly number[]) => s.row.fields.map((_, i) => i).filter((i) => !key.includes(i));
      return { lKey, rKey, lOther: others(lt, lKey), rOther: others(rt, rKey) };
    });
    const keepLeft = n.joinType === 'left' || n.joinType === 'outer';
    const keepRight = n.joinType === 'right' || n.joinType === 'outer';
    const [out, ll, rl] = [layoutOf(t.row), layoutOf(lt.row), layoutOf(rt.row)];
    const field = (base: number, l: Layout, i: number): number => base + l.offsets![i]!;
    let changed = false;
    p.lKey.forEach((li, j) => {
      const [f, a, b, size] = [field(out0, out, j), field(left, ll, li), field(right, rl, p.rKey[j]!), out.fields![j]!.size];
      // Matched rows: a key with a missing field matches nothing, and two equal keys are
      // missing in the same places. Unmatched rows keep their side's key (semantics.md §7).
      changed = lowerInnerMeet(f, a, b, size) || changed;
      if (keepLeft) changed = lowerAll(f, a, size) || changed;
      if (keepRight) changed = lowerAll(f, b, size) || changed;
    });
    let k = p.lKey.length;
    // A side's other fields are missing on rows the other side has alone.
    for (const i of p.lOther) {
      const f = field(out0, out, k);
      changed = lowerAll(f, field(left, ll, i), out.fields![k]!.size) || changed;
      if (keepRight) changed = lowerTop(f, false) || changed;
      k++;
    }
    for (const i of p.rOther) {
      const f = field(out0, out, k);
      changed = lowerAll(f, field(right, rl, i), out.fields![k]!.size) || changed;
      if (keepLeft) changed = lowerTop(f, false) || changed;
      k++;
    }
    // The global: the left's fields, then the right's, in the same order.
    const global = out0 + out.size;
    const lg = layoutOf(lt.global);
    changed = lowerInner(global, left + ll.size, lg.size) || changed;
    return lowerAll(global + lg.size, right + rl.size + 1, layoutOf(rt.global).size - 1) || changed;
  }

  // ---- answers ---------------------------------------------------------------------------------

  /** The requiredness at bit `at` of a value of type `t`, as plain data. */
  const reqAt = (at: number, t: Type): Req => {
    const l = layoutOf(t);
    const required = bits[at] === 1;
    switch (t.kind) {
      case 'Array':
      case 'Stream':
      case 'Set':
        return { required, element: reqAt(at + 1, t.element) };
      case 'Dict':
        return { required, key: reqAt(at + 1, t.key), value: reqAt(at + 1 + l.key!.size, t.value) };
      case 'Tuple':
      case 'Struct':
        return { required, fields: (t.fields as readonly { readonly type: Type }[]).map((f, i) => reqAt(at + l.offsets![i]!, f.type)) };
      default:
        return { required };
    }
  };
  /** `n`'s cell, or -1. */
  const cellIfAny = (n: IR): number => {
    const i = table.indexOf(n);
    return i < 0 ? -1 : cells[i]!;
  };
  const cellOf = (n: IR): number => {
    const c = cellIfAny(n);
    if (c < 0) throw new InternalError(`requiredness: ${n.kind} was not analysed`);
    return c;
  };
  return {
    // (A node's own type, not its cell's: a shared cell's type can differ in names and keys.)
    value: (n) => {
      const [c, t] = [cellIfAny(n), table.get(n)];
      return c < 0 || t === undefined || isTableType(t) ? undefined : reqAt(cellAt[c]!, t);
    },
    table: (n) => {
      const [c, t] = [cellIfAny(n), table.get(n)];
      if (c < 0 || t === undefined || !isTableType(t)) return undefined;
      return { row: reqAt(cellAt[c]!, t.row), global: reqAt(cellAt[c]! + layoutOf(t.row).size, t.global) };
    },
    isRequired: (n) => {
      const c = cellOf(n);
      return isTableType(cellType[c]!) || bits[cellAt[c]!] === 1;
    },
    requiredAt: (n, path) => {
      const c = cellOf(n);
      let t: AnyType = typeOf(n);
      let at = cellAt[c]!;
      for (const step of path) {
        const bad = () => new InternalError(`requiredness: no step ${JSON.stringify(step)} into ${n.kind}`);
        if (isTableType(t)) {
          if (step === 'global') at += layoutOf(t.row).size;
          else if (step !== 'row') throw bad();
          t = t[step];
          continue;
        }
        const l = layoutOf(t);
        if (step === 'element' && l.element !== undefined) [at, t] = [at + 1, elementType(t)!];
        else if (step === 'key' && t.kind === 'Dict') [at, t] = [at + 1, t.key];
        else if (step === 'value' && t.kind === 'Dict') [at, t] = [at + 1 + l.key!.size, t.value];
        else if (typeof step === 'object' && 'field' in step && t.kind === 'Struct' && fieldIndex(t, step.field) >= 0) {
          const i = fieldIndex(t, step.field);
          [at, t] = [at + l.offsets![i]!, t.fields[i]!.type];
        } else if (typeof step === 'object' && 'index' in step && t.kind === 'Tuple' && t.fields.some((f) => f.index === step.index)) {
          const i = t.fields.findIndex((f) => f.index === step.index);
          [at, t] = [at + l.offsets![i]!, t.fields[i]!.type];
        } else throw bad();
      }
      return isTableType(t) || bits[at] === 1;
    },
  };
}
