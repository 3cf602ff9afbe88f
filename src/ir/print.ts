// Prints IR in Hail's s-expression form, indented for reading. Hail's parser accepts what this
// writes (names in backticks when needed, floats as Hail lexes them, JSON-escaped strings).
//
// Layout: a node that fits in WIDTH columns prints on one line; otherwise its header stays on
// the first line and each child goes on its own line, two columns further in. Indentation
// stops growing at MAX_INDENT so a 10,000-deep program prints in linear space.
// Everything runs on explicit stacks: deep programs cannot overflow.

import type { IR, TableReader, TableWriter } from './nodes.js';
import { assertNever } from './nodes.js';
import { children } from './children.js';
import { isDenseTuple, type Req, type TableReq, type TableType, type Type } from './types.js';
import { fold } from './walk.js';
import { encodeJson, shortestFloat32 } from './value.js';

const WIDTH = 100;
const MAX_INDENT = 60;

// ---- atoms ------------------------------------------------------------------------------------

const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function escapeBackticked(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '`') out += '\\`';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f || (c >= 0xd800 && c <= 0xdfff)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** An identifier, bare when the lexer reads it back as the same identifier, else backticked. */
export function printName(name: string): string {
  return plainName.test(name) ? name : `\`${escapeBackticked(name)}\``;
}

/** A string literal; JSON escapes are a subset of what Hail's lexer accepts. */
export function printString(s: string): string {
  return JSON.stringify(s);
}

export function printF64(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return 'neginf';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The shortest decimal that reads back as the same float32. Hail range-checks the decimal as a
 * double, so near the largest float32 the decimal must not exceed it (3.4028235e38 would).
 */
export function printF32(x: number): string {
  return !Number.isFinite(x) || x === 0 ? printF64(x) : printF64(shortestFloat32(x, FLOAT32_MAX));
}

// ---- types ------------------------------------------------------------------------------------

/** A type as the parser reads it. */
export function printType(t: Type): string {
  return typeText(t, undefined);
}

/**
 * A type with its requiredness (in its shape): each part that is never missing is marked `+`,
 * as Hail prints physical types: `+Array[+Int32]`, `+Struct{a:+Int32,b:String}`. For reading
 * (the typed dump); the parser does not read the marks.
 */
export function printRequiredType(t: Type, req: Req): string {
  return typeText(t, req);
}

export function printTableType(t: TableType): string {
  return tableText(t, undefined);
}

/** A table type with its row and global marked as `printRequiredType` marks them. */
export function printRequiredTableType(t: TableType, req: TableReq): string {
  return tableText(t, req);
}

function tableText(t: TableType, req: TableReq | undefined): string {
  return `Table{global:${typeText(t.global, req?.global)},key:[${t.key.map(printName).join(',')}],row:${typeText(t.row, req?.row)}}`;
}

function typeText(t: Type, req: Req | undefined): string {
  const mark = req?.required ? '+' : '';
  switch (t.kind) {
    case 'Boolean':
    case 'Int32':
    case 'Int64':
    case 'Float32':
    case 'Float64':
    case 'String':
    case 'Void':
      return mark + t.kind;
    case 'Array':
    case 'Stream':
    case 'Set':
      return `${mark}${t.kind}[${typeText(t.element, req?.element)}]`;
    case 'Dict':
      return `${mark}Dict[${typeText(t.key, req?.key)},${typeText(t.value, req?.value)}]`;
    case 'Tuple':
      return isDenseTuple(t)
        ? `${mark}Tuple[${t.fields.map((f, i) => typeText(f.type, req?.fields?.[i])).join(',')}]`
        : `${mark}TupleSubset[${t.fields.map((f, i) => `${f.index}:${typeText(f.type, req?.fields?.[i])}`).join(',')}]`;
    case 'Struct':
      return `${mark}Struct{${t.fields.map((f, i) => `${printName(f.name)}:${typeText(f.type, req?.fields?.[i])}`).join(',')}}`;
  }
}

function readerJson(r: TableReader): string {
  switch (r.name) {
    case 'DuckDBTableReader':
      return JSON.stringify({ name: r.name, table: r.table });
    case 'ParquetReader':
    case 'CSVReader':
      return JSON.stringify({ name: r.name, paths: r.paths });
  }
}

function writerJson(w: TableWriter): string {
  switch (w.name) {
    case 'ParquetWriter':
      return JSON.stringify({ name: w.name, path: w.path });
    case 'DuckDBTableWriter':
      return JSON.stringify({ name: w.name, table: w.table });
  }
}

// ---- node layout ------------------------------------------------------------------------------

/** A node prints as `(` items `)`: atoms, children, and parenthesised groups of items. */
type Item = string | IR | Group;
interface Group {
  readonly group: readonly Item[];
}
const group = (...items: Item[]): Group => ({ group: items });
const bool = (b: boolean) => (b ? 'True' : 'False');
const opt = (x: number | null) => (x === null ? 'None' : String(x));
const strings = (xs: readonly string[]) => group(...xs.map(printString));
const names = (xs: readonly string[]) => group(...xs.map(printName));

/** The one place that knows each node's printed form (the reader is its inverse). */
export function layout(n: IR): readonly Item[] {
  switch (n.kind) {
    case 'I32':
      return ['I32', String(n.value)];
    case 'I64':
      return ['I64', String(n.value)];
    case 'F32':
      return ['F32', printF32(n.value)];
    case 'F64':
      return ['F64', printF64(n.value)];
    case 'Str':
      return ['Str', printString(n.value)];
    case 'True':
    case 'False':
    case 'Void':
      return [n.kind];
    case 'NA':
      return ['NA', printType(n.type)];
    case 'Literal':
      return ['Literal', printType(n.type), printString(encodeJson(n.type, n.value))];
    case 'Cast':
      return ['Cast', printType(n.type), n.value];
    case 'IsNA':
      return ['IsNA', n.value];
    case 'Coalesce':
      return ['Coalesce', ...n.values];
    case 'If':
      return ['If', n.cond, n.then, n.else];
    case 'Switch':
      return ['Switch', n.x, n.default, ...n.cases];
    case 'Let':
      return [
        'Let',
        ...n.bindings.flatMap((b) => [b.scope, printName(b.name)]),
        ...n.bindings.map((b) => b.value),
        n.body,
      ];
    case 'AggLet':
      return ['AggLet', printName(n.name), bool(n.isScan), n.value, n.body];
    case 'Ref':
      return ['Ref', printName(n.name)];
    case 'ApplyBinaryPrimOp':
    case 'ApplyComparisonOp':
      return [n.kind, n.op, n.l, n.r];
    case 'ApplyUnaryPrimOp':
      return [n.kind, n.op, n.x];
    case 'MakeStruct':
      return ['MakeStruct', ...n.fields.map((f) => group(printName(f.name), f.value))];
    case 'InsertFields':
      return [
        'InsertFields',
        n.old,
        n.fieldOrder === null ? 'None' : strings(n.fieldOrder),
        ...n.fields.map((f) => group(printName(f.name), f.value)),
      ];
    case 'SelectFields':
      return ['SelectFields', names(n.fields), n.old];
    case 'GetField':
      return ['GetField', printName(n.name), n.o];
    case 'MakeTuple':
      return ['MakeTuple', group(...n.indices.map(String)), ...n.values];
    case 'GetTupleElement':
      return ['GetTupleElement', String(n.index), n.o];
    case 'MakeArray':
      return ['MakeArray', n.type === null ? 'None' : printType(n.type), ...n.values];
    case 'ArrayRef':
      return ['ArrayRef', String(n.errorId), n.a, n.i];
    case 'ArrayLen':
    case 'ToArray':
    case 'ToSet':
    case 'ToDict':
    case 'StreamLen':
      return [n.kind, n.a];
    case 'ArraySort':
      return ['ArraySort', printName(n.left), printName(n.right), n.a, n.lessThan];
    case 'ToStream':
      return ['ToStream', bool(n.requiresMemoryManagement), n.a];
    case 'StreamRange':
      return ['StreamRange', String(n.errorId), bool(n.requiresMemoryManagement), n.start, n.stop, n.step];
    case 'StreamMap':
    case 'StreamFlatMap':
      return [n.kind, printName(n.name), n.a, n.body];
    case 'StreamFilter':
      return ['StreamFilter', printName(n.name), n.a, n.cond];
    case 'StreamFold':
    case 'StreamScan':
      return [n.kind, printName(n.accum), printName(n.name), n.a, n.zero, n.body];
    case 'StreamTake':
    case 'StreamDrop':
      return [n.kind, n.a, n.num];
    case 'StreamZip':
      return ['StreamZip', String(n.errorId), n.behavior, names(n.names), ...n.streams, n.body];
    case 'StreamAgg':
      return ['StreamAgg', printName(n.name), n.a, n.query];
    case 'ApplyAggOp':
    case 'ApplyScanOp':
      return [n.kind, n.op, group(...n.initArgs), group(...n.seqArgs)];
    case 'AggFilter':
      return ['AggFilter', bool(n.isScan), n.cond, n.agg];
    case 'AggExplode':
      return ['AggExplode', printName(n.name), bool(n.isScan), n.array, n.agg];
    case 'AggGroupBy':
      return ['AggGroupBy', bool(n.isScan), n.key, n.agg];
    case 'AggArrayPerElement':
      return [
        'AggArrayPerElement',
        printName(n.elementName),
        printName(n.indexName),
        bool(n.isScan),
        bool(n.knownLength !== null),
        n.a,
        n.agg,
        ...(n.knownLength ? [n.knownLength] : []),
      ];
    case 'Apply':
      return ['Apply', String(n.errorId), printName(n.fn), group(...n.typeArgs.map(printType)), printType(n.returnType), ...n.args];
    case 'Die':
      return ['Die', printType(n.type), String(n.errorId), n.message];
    case 'TableCount':
    case 'TableCollect':
    case 'TableGetGlobals':
    case 'TableDistinct':
      return [n.kind, n.child];
    case 'TableAggregate':
      return ['TableAggregate', n.child, n.query];
    case 'TableWrite':
      return ['TableWrite', printString(writerJson(n.writer)), n.child];
    case 'RelationalLet':
      return ['RelationalLet', printName(n.name), n.value, n.body];
    case 'RelationalRef':
      return ['RelationalRef', printName(n.name), printType(n.type)];
    case 'CollectDistributedArray':
      return [
        'CollectDistributedArray',
        printName(n.staticId),
        printName(n.contextName),
        printName(n.globalName),
        n.contexts,
        n.globals,
        n.body,
        n.dynamicId,
      ];
    case 'Grad':
      return ['Grad', printName(n.name), n.body];
    case 'Gradient':
      return ['Gradient', names(n.names), n.body];
    case 'TableRange':
      return ['TableRange', String(n.n), opt(n.nPartitions)];
    case 'TableRead':
      return ['TableRead', n.type === null ? 'None' : printTableType(n.type), bool(n.dropRows), printString(readerJson(n.reader))];
    case 'TableParallelize':
      return ['TableParallelize', opt(n.nPartitions), n.rowsAndGlobal];
    case 'TableFilter':
      return ['TableFilter', n.child, n.pred];
    case 'TableMapRows':
      return ['TableMapRows', n.child, n.newRow];
    case 'TableMapGlobals':
      return ['TableMapGlobals', n.child, n.newGlobal];
    case 'TableKeyBy':
      // Hail's form has no partition count; write it only when there is one.
      return ['TableKeyBy', names(n.keys), bool(n.isSorted), ...(n.nPartitions === null ? [] : [String(n.nPartitions)]), n.child];
    case 'TableOrderBy':
      return ['TableOrderBy', group(...n.sortFields.map((f) => printName(f.order + f.field))), n.child];
    case 'TableAggregateByKey':
      return ['TableAggregateByKey', n.child, n.expr];
    case 'TableKeyByAndAggregate':
      return ['TableKeyByAndAggregate', opt(n.nPartitions), String(n.bufferSize), n.child, n.expr, n.newKey];
    case 'TableJoin':
      return ['TableJoin', n.joinType, String(n.joinKey), n.left, n.right];
    case 'TableLeftJoinRightDistinct':
      return ['TableLeftJoinRightDistinct', printName(n.root), n.left, n.right];
    case 'TableUnion':
      return ['TableUnion', ...n.children];
    case 'TableHead':
    case 'TableTail':
      return [n.kind, String(n.n), n.child];
    case 'TableExplode':
      return ['TableExplode', strings(n.path), n.child];
    case 'TableRename':
      return [
        'TableRename',
        strings(n.rowMap.map((p) => p[0])),
        strings(n.rowMap.map((p) => p[1])),
        strings(n.globalMap.map((p) => p[0])),
        strings(n.globalMap.map((p) => p[1])),
        n.child,
      ];
    case 'RelationalLetTable':
      return ['RelationalLetTable', printName(n.name), n.value, n.body];
    default:
      return assertNever(n);
  }
}

// ---- rendering --------------------------------------------------------------------------------

const isGroup = (x: Item): x is Group => typeof x === 'object' && 'group' in x;
/** Atoms and groups of atoms, such as `()` or `(a b)`, never need a line of their own. */
const isAtomic = (x: Item): boolean => typeof x === 'string' || (isGroup(x) && x.group.every(isAtomic));

export interface PrintOptions {
  /** Text shown in a `;` comment line before each node (the typed dump). */
  readonly annotate?: (node: IR) => string | undefined;
  /** Line width before a node is broken over several lines. */
  readonly width?: number;
  /** `;` comments to print on their own lines before a node, and after the program. */
  readonly comments?: { readonly leading: ReadonlyMap<IR, readonly string[]>; readonly trailing: readonly string[] };
}

/**
 * Flat text of `items`, taking child nodes' texts from `kids` in order (the children table
 * lists children in printed order). Returns null when it would exceed `limit` characters.
 */
function flatItems(items: readonly Item[], kids: readonly (string | null)[], limit: number): string | null {
  // Most wide nodes are rejected here, before any text is built.
  let width = 0;
  for (const t of kids) {
    if (t === null) return null;
    width += t.length + 1;
  }
  if (width > limit) return null;
  let k = 0;
  let bad = false;
  const one = (x: Item): string => {
    if (typeof x === 'string') return x;
    if (isGroup(x)) return `(${x.group.map(one).join(' ')})`;
    const t = kids[k++];
    if (t === null || t === undefined) bad = true;
    return t ?? '';
  };
  const text = `(${items.map(one).join(' ')})`;
  return bad || text.length > limit ? null : text;
}

/** Flat text of a small subtree (one that fits on a line), computed on demand. */
function flatText(root: IR, limit: number): string | null {
  return fold<null, string | null>(root, null, {
    enter: () => null,
    leave: (node, _ctx, kids) => flatItems(layout(node), kids, limit),
  });
}

/**
 * Prints an IR as Hail s-expression text, without a trailing newline. With `annotate`, every
 * node starts on its own line, preceded by a `;` comment line holding its annotation, so the
 * output still parses.
 */
export function printIR(root: IR, options: PrintOptions = {}): string {
  const width = options.width ?? WIDTH;
  const annotate = options.annotate;
  const leading = options.comments?.leading;
  // One bottom-up pass: a node's flat text is kept only where its parent is too wide to be
  // flat, i.e. for the largest subtrees that print on one line. Memory stays near output size.
  const flat = new Map<IR, string>();
  const rootText = fold<null, string | null>(root, null, {
    enter: () => null,
    leave: (node, _ctx, kids) => {
      const items = layout(node);
      // A child with comments needs lines of its own, so its parent cannot be flat.
      const commented = leading !== undefined && leading.size > 0 && children(node).some((c) => leading.has(c));
      const text = (annotate && !items.every(isAtomic)) || commented ? null : flatItems(items, kids, width);
      if (text === null) {
        const cs = children(node);
        for (let i = 0; i < cs.length; i++) if (kids[i] !== null) flat.set(cs[i]!, kids[i]!);
      }
      return text;
    },
  });
  if (rootText !== null) flat.set(root, rootText);

  // Pieces are joined into chunks as they come, so a large program's output is not held as
  // millions of small strings until the end.
  const out: string[] = [];
  const chunks: string[] = [];
  const emit = (piece: string) => {
    out.push(piece);
    if (out.length >= 8192) {
      chunks.push(out.join(''));
      out.length = 0;
    }
  };
  // A task is text to write, or an item to lay out at an indent.
  type Task = string | { readonly item: IR | Group; readonly indent: number };
  const newlines: string[] = [];
  const nl = (n: number): string => (newlines[n] ??= '\n' + ' '.repeat(n));
  const task = (x: Item, indent: number): Task => (typeof x === 'string' ? x : { item: x, indent });
  const tasks: Task[] = [task(root, 0)];
  while (tasks.length > 0) {
    const next = tasks.pop()!;
    if (typeof next === 'string') {
      emit(next);
      continue;
    }
    const { item, indent } = next;
    if (isGroup(item)) {
      if (isAtomic(item) || (!annotate && groupWidth(item) + indent <= width)) {
        emit(groupText(item));
        continue;
      }
    } else {
      for (const line of leading?.get(item) ?? []) emit(line + nl(indent));
      if (annotate) {
        const note = annotate(item);
        if (note !== undefined) emit(`; ${note}` + nl(indent));
      }
      const text = flat.get(item);
      if (text !== undefined && text.length + indent <= width) {
        emit(text);
        flat.delete(item); // each text is printed once; free it
        continue;
      }
      if (text !== undefined) {
        // Flat on its own but too wide at this indent: its children's texts were not kept.
        for (const c of children(item)) {
          if (!flat.has(c)) {
            const t = flatText(c, width);
            if (t !== null) flat.set(c, t);
          }
        }
      }
    }
    const items = isGroup(item) ? item.group : layout(item);
    let head = 0;
    const headText: string[] = [];
    while (head < items.length && isAtomic(items[head]!)) headText.push(atomText(items[head++]!));
    emit('(' + headText.join(' '));
    const rest: Task[] = [];
    let inner = Math.min(indent + 2, MAX_INDENT);
    let i = head;
    const first = items[head];
    if (head === 0 && first !== undefined && !annotate && !(typeof first === 'object' && !isGroup(first) && leading?.has(first))) {
      // A group of nodes, like an aggregator's arguments, opens on its first node: `((Ref x)`.
      inner = Math.min(indent + 1, MAX_INDENT);
      rest.push(task(first, inner));
      i++;
    }
    for (; i < items.length; i++) rest.push(nl(inner), task(items[i]!, inner));
    rest.push(')');
    for (let j = rest.length - 1; j >= 0; j--) tasks.push(rest[j]!);
  }
  for (const line of options.comments?.trailing ?? []) emit(`\n${line}`);
  chunks.push(out.join(''));
  return chunks.join('');

  function atomText(x: Item): string {
    return typeof x === 'string' ? x : groupText(x as Group);
  }
  /** A group that prints flat: its node children all have flat texts. */
  function groupText(g: Group): string {
    return `(${g.group.map((y) => (typeof y === 'string' ? y : isGroup(y) ? groupText(y) : flat.get(y)!)).join(' ')})`;
  }
  function groupWidth(g: Group): number {
    let w = 1 + g.group.length;
    for (const y of g.group) {
      if (typeof y === 'string') w += y.length;
      else if (isGroup(y)) w += groupWidth(y);
      else {
        const t = flat.get(y);
        if (t === undefined || leading?.has(y)) return Infinity;
        w += t.length;
      }
    }
    return w;
  }
}
