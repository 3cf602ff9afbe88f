// Prints the SQL tree of sql.ts as DuckDB SQL text.
//
//   binary('*', binary('+', a, b), c)   ->   ("a" + "b") * "c"
//
// Parentheses come only from PRECEDENCE (expressions) and from the few places the grammar
// demands them around a query (subqueries, some UNION ALL branches, a join on the right of a
// join). Clauses go on their own lines, subqueries are indented by two spaces.
//
// The printer never recurses: `pieces` turns one node into text and child tasks, and `print`
// runs them from an explicit stack, so a 100,000-deep expression prints like a shallow one.

import { InternalError } from '../../diagnostics/diagnostic.js';
import { assertNever } from '../../ir/nodes.js';
import { quoteIdent, quoteString } from './quote.js';
import type { Alias, BinaryOp, Expr, Frame, FrameBound, OrderItem, Query, SqlNode, SqlType } from './sql.js';

// ---- precedence -------------------------------------------------------------------------------

// DuckDB's operator precedence, lowest to highest: the %left/%right/%nonassoc lines of
// third_party/libpg_query/grammar/grammar.y in duckdb/duckdb. One exception found by testing:
// `//` binds like `*` (2 + 5 // 2 = 4, 7 // 2 * 3 = 9), not with the other multi-character
// operators (`||`) below `+`. test/duckdb-sql.test.ts checks each level against DuckDB.
const LAMBDA = 1;
const OR = 2;
const AND = 3;
const NOT = 4;
const IS = 5; // IS [NOT] NULL, IS [NOT] DISTINCT FROM: non-associative
const COMPARE = 6; // = <> < <= > >=: non-associative
const IN = 7; // [NOT] IN: non-associative
const OTHER_OP = 8; // || (DuckDB's `Op` level)
const ADD = 9;
const MUL = 10;
const POW = 11; // ^, left-associative in DuckDB: 2 ^ 3 ^ 2 = 64
const NEG = 12; // unary minus
const ATOM = 13; // literals, columns, calls, CAST(...), CASE ... END, (subquery), [...], {...}

const PRECEDENCE: { readonly [op in BinaryOp]: { readonly prec: number; readonly assoc: 'left' | 'none' } } = {
  OR: { prec: OR, assoc: 'left' },
  AND: { prec: AND, assoc: 'left' },
  '=': { prec: COMPARE, assoc: 'none' },
  '<>': { prec: COMPARE, assoc: 'none' },
  '<': { prec: COMPARE, assoc: 'none' },
  '<=': { prec: COMPARE, assoc: 'none' },
  '>': { prec: COMPARE, assoc: 'none' },
  '>=': { prec: COMPARE, assoc: 'none' },
  '||': { prec: OTHER_OP, assoc: 'left' },
  '&': { prec: OTHER_OP, assoc: 'left' },
  '|': { prec: OTHER_OP, assoc: 'left' },
  '<<': { prec: OTHER_OP, assoc: 'left' },
  '>>': { prec: OTHER_OP, assoc: 'left' },
  '+': { prec: ADD, assoc: 'left' },
  '-': { prec: ADD, assoc: 'left' },
  '*': { prec: MUL, assoc: 'left' },
  '/': { prec: MUL, assoc: 'left' },
  '//': { prec: MUL, assoc: 'left' },
  '%': { prec: MUL, assoc: 'left' },
  '^': { prec: POW, assoc: 'left' },
};

/** How tightly a node binds; non-expressions never need parentheses from the table. */
function precedence(n: SqlNode): number {
  switch (n.kind) {
    case 'binary':
      return PRECEDENCE[n.op].prec;
    case 'unary':
      return n.op === 'NOT' ? NOT : NEG;
    case 'isNull':
    case 'isDistinct':
      return IS;
    case 'in':
      return n.items.length === 0 ? ATOM : IN;
    case 'exists':
      return n.not ? NOT : ATOM;
    case 'lambda':
      return LAMBDA;
    default:
      return ATOM;
  }
}

// ---- printing ---------------------------------------------------------------------------------

/** A child still to print: parenthesized when it binds less tightly than `prec`. */
interface Task {
  readonly node: SqlNode;
  readonly prec: number;
  readonly indent: string;
}
type Piece = string | Task;

export function printSql(q: Query): string {
  return print(q);
}

export function printExpr(e: Expr): string {
  return print(e);
}

export function printSqlType(t: SqlType): string {
  return print(t);
}

function print(root: SqlNode): string {
  const out: string[] = [];
  const stack: Piece[] = [{ node: root, prec: 0, indent: '' }];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (typeof p === 'string') {
      out.push(p);
      continue;
    }
    const parts = pieces(p.node, p.indent);
    const paren = precedence(p.node) < p.prec;
    if (paren) stack.push(')');
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
    if (paren) stack.push('(');
  }
  return out.join('');
}

const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Function names are the compiler's own words, never user text, so they are checked, not quoted. */
function word(name: string): string {
  if (!WORD.test(name)) throw new InternalError(`not a SQL function name: ${JSON.stringify(name)}`);
  return name;
}

function alias(a: Alias | undefined): string {
  if (a === undefined) return '';
  const columns = a.columns === undefined ? '' : `(${a.columns.map(quoteIdent).join(', ')})`;
  return ` AS ${quoteIdent(a.name)}${columns}`;
}

function bound(b: FrameBound): string {
  switch (b.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING';
    case 'preceding':
    case 'following':
      if (!Number.isSafeInteger(b.offset) || b.offset < 0) throw new InternalError(`bad window frame offset ${b.offset}`);
      return `${b.offset} ${b.kind === 'preceding' ? 'PRECEDING' : 'FOLLOWING'}`;
    case 'currentRow':
      return 'CURRENT ROW';
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING';
    default:
      return assertNever(b);
  }
}

function frame(f: Frame): string {
  return `${f.unit} BETWEEN ${bound(f.start)} AND ${bound(f.end)}`;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Numbers inside CAST, so the type is exact and a negative number never meets `::` (where
 * `-9223372036854775808::BIGINT` means -(9223372036854775808::BIGINT), which overflows).
 * Floats go through a string: DuckDB reads '0.1' as the nearest double (a bare 0.1 would be a
 * DECIMAL first), and 'nan', 'inf', '-inf', '-0.0' have no other spelling.
 */
function numberText(type: 'INTEGER' | 'BIGINT' | 'FLOAT' | 'DOUBLE', v: number | bigint): string {
  let text: string;
  if (type === 'INTEGER') {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) throw new InternalError(`not an INTEGER: ${v}`);
    text = String(v);
  } else if (type === 'BIGINT') {
    if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) throw new InternalError(`not a BIGINT: ${v}`);
    text = String(v);
  } else {
    if (typeof v !== 'number') throw new InternalError(`not a ${type}: ${v}`);
    if (Number.isNaN(v)) text = quoteString('nan');
    else if (v === Infinity) text = quoteString('inf');
    else if (v === -Infinity) text = quoteString('-inf');
    else if (Object.is(v, -0)) text = quoteString('-0.0');
    else text = quoteString(String(v));
  }
  return `CAST(${text} AS ${type})`;
}

/** One node as text and child tasks; the only place that knows each kind's syntax. */
function pieces(n: SqlNode, ind: string): Piece[] {
  const inner = ind + '  ';
  const at = (node: SqlNode, prec = 0, indent = ind): Task => ({ node, prec, indent });
  const commas = (nodes: readonly SqlNode[], indent = ind): Piece[] => nodes.flatMap((x, i) => (i === 0 ? [at(x, 0, indent)] : [', ', at(x, 0, indent)]));
  const order = (items: readonly OrderItem[], indent = ind): Piece[] =>
    items.flatMap((o, i) => [
      ...(i === 0 ? [] : [', ']),
      at(o.expr, 0, indent),
      o.desc ? ' DESC' : ' ASC',
      ...(o.nulls === undefined ? [] : [` NULLS ${o.nulls}`]),
    ]);
  const nested = (q: Query): Piece[] => ['(\n' + inner, at(q, 0, inner), '\n' + ind + ')'];

  switch (n.kind) {
    // ---- expressions
    case 'column':
      return [n.table === undefined ? quoteIdent(n.name) : `${quoteIdent(n.table)}.${quoteIdent(n.name)}`];
    case 'star':
      return [n.table === undefined ? '*' : `${quoteIdent(n.table)}.*`];
    case 'null':
      return ['CAST(NULL AS ', at(n.type), ')'];
    case 'boolean':
      return [n.value ? 'TRUE' : 'FALSE'];
    case 'number':
      return [numberText(n.type, n.value)];
    case 'string':
      // A NUL cannot appear between quotes; DuckDB strings can hold one through chr(0).
      if (n.value.includes('\u0000')) return ['(' + n.value.split('\u0000').map(quoteString).join(' || chr(0) || ') + ')'];
      return [quoteString(n.value)];
    case 'list':
      return ['[', ...commas(n.items), ']'];
    case 'struct':
      if (n.fields.length === 0) throw new InternalError('DuckDB has no empty struct');
      return ['{', ...n.fields.flatMap((f, i) => [(i === 0 ? '' : ', ') + quoteString(f.name) + ': ', at(f.value)]), '}'];
    case 'map':
      return ['MAP {', ...n.entries.flatMap((e, i) => [...(i === 0 ? [] : [', ']), at(e.key), ': ', at(e.value)]), '}'];
    case 'unary':
      // `--` starts a comment, so a minus before a minus gets a space.
      if (n.op === 'NOT') return ['NOT ', at(n.operand, NOT)];
      if (n.op === '+') return ['+', at(n.operand, NEG)];
      return [n.operand.kind === 'unary' && n.operand.op === '-' ? '- ' : '-', at(n.operand, NEG)];
    case 'binary': {
      const { prec, assoc } = PRECEDENCE[n.op];
      return [at(n.left, assoc === 'left' ? prec : prec + 1), ` ${n.op} `, at(n.right, prec + 1)];
    }
    case 'call':
      return [
        word(n.name) + '(' + (n.distinct ? 'DISTINCT ' : ''),
        ...commas(n.args),
        ...(n.orderBy === undefined || n.orderBy.length === 0 ? [] : [' ORDER BY ', ...order(n.orderBy)]),
        ')',
        ...(n.filter === undefined ? [] : [' FILTER (WHERE ', at(n.filter), ')']),
      ];
    case 'window': {
      const spec: Piece[][] = [];
      if (n.partitionBy.length > 0) spec.push(['PARTITION BY ', ...commas(n.partitionBy)]);
      if (n.orderBy.length > 0) spec.push(['ORDER BY ', ...order(n.orderBy)]);
      if (n.frame !== undefined) spec.push([frame(n.frame)]);
      return [at(n.call), ' OVER (', ...spec.flatMap((s, i) => (i === 0 ? s : [' ', ...s])), ')'];
    }
    case 'case': {
      if (n.whens.length === 0) throw new InternalError('CASE needs a WHEN');
      const sep = n.whens.length > 1 ? '\n' + inner : ' ';
      return [
        'CASE',
        ...n.whens.flatMap((w) => [sep + 'WHEN ', at(w.when, 0, inner), ' THEN ', at(w.then, 0, inner)]),
        ...(n.else === undefined ? [] : [sep + 'ELSE ', at(n.else, 0, inner)]),
        (n.whens.length > 1 ? '\n' + ind : ' ') + 'END',
      ];
    }
    case 'cast':
      return ['CAST(', at(n.operand), ' AS ', at(n.type), ')'];
    case 'isNull':
      return [at(n.operand, IS + 1), n.not ? ' IS NOT NULL' : ' IS NULL'];
    case 'isDistinct':
      return [at(n.left, IS + 1), n.not ? ' IS NOT DISTINCT FROM ' : ' IS DISTINCT FROM ', at(n.right, IS + 1)];
    case 'in':
      if (n.items.length === 0) return [n.not ? 'TRUE' : 'FALSE'];
      return [at(n.operand, IN + 1), n.not ? ' NOT IN (' : ' IN (', ...commas(n.items), ')'];
    case 'subquery':
      return nested(n.query);
    case 'exists':
      return [n.not ? 'NOT EXISTS ' : 'EXISTS ', ...nested(n.query)];
    case 'lambda':
      if (n.params.length === 0) throw new InternalError('a lambda needs a parameter');
      return [`lambda ${n.params.map(quoteIdent).join(', ')}: `, at(n.body, LAMBDA)];

    // ---- types
    case 'scalarType':
      return [n.name];
    case 'listType':
      return [at(n.element), '[]'];
    case 'structType':
      if (n.fields.length === 0) throw new InternalError('DuckDB has no empty struct type');
      return ['STRUCT(', ...n.fields.flatMap((f, i) => [(i === 0 ? '' : ', ') + quoteIdent(f.name) + ' ', at(f.type)]), ')'];
    case 'mapType':
      return ['MAP(', at(n.key), ', ', at(n.value), ')'];

    // ---- FROM items
    case 'tableRef':
      return [quoteIdent(n.name) + alias(n.alias)];
    case 'tableFunction':
      return [(n.lateral ? 'LATERAL ' : '') + word(n.name) + '(', ...commas(n.args), ')' + (n.ordinality ? ' WITH ORDINALITY' : '') + alias(n.alias)];
    case 'subqueryFrom':
      return [n.lateral ? 'LATERAL ' : '', ...nested(n.query), alias(n.alias)];
    case 'join': {
      const keyword = n.type === 'INNER' ? 'JOIN' : `${n.type} JOIN`;
      if ((n.type === 'CROSS') !== (n.on === undefined && n.using === undefined) || (n.on !== undefined && n.using !== undefined)) {
        throw new InternalError(`a ${keyword} needs ${n.type === 'CROSS' ? 'no condition' : 'one of ON and USING'}`);
      }
      // Joins associate to the left; a join on the right must be parenthesized.
      const right: Piece[] = n.right.kind === 'join' ? ['(', at(n.right, 0, inner), ')'] : [at(n.right)];
      const condition: Piece[] =
        n.on !== undefined ? [' ON ', at(n.on)] : n.using !== undefined ? [` USING (${n.using.map(quoteIdent).join(', ')})`] : [];
      return [at(n.left), '\n' + ind + keyword + ' ', ...right, ...condition];
    }

    // ---- queries
    case 'select': {
      if (n.columns.length === 0) throw new InternalError('SELECT needs a column');
      const out: Piece[] = [n.distinct ? 'SELECT DISTINCT' : 'SELECT'];
      const many = n.columns.length > 1;
      n.columns.forEach((c, i) => {
        out.push((i === 0 ? '' : ',') + (many ? '\n' + inner : ' '), at(c.expr, 0, many ? inner : ind));
        if (c.alias !== undefined) out.push(` AS ${quoteIdent(c.alias)}`);
      });
      if (n.from !== undefined) out.push('\n' + ind + 'FROM ', at(n.from));
      if (n.where !== undefined) out.push('\n' + ind + 'WHERE ', at(n.where));
      if (n.grandTotal) out.push('\n' + ind + 'GROUP BY ()');
      else if (n.groupByAll) out.push('\n' + ind + 'GROUP BY ALL');
      else if (n.groupBy !== undefined && n.groupBy.length > 0) out.push('\n' + ind + 'GROUP BY ', ...commas(n.groupBy));
      if (n.having !== undefined) out.push('\n' + ind + 'HAVING ', at(n.having));
      if (n.qualify !== undefined) out.push('\n' + ind + 'QUALIFY ', at(n.qualify));
      if (n.orderBy !== undefined && n.orderBy.length > 0) out.push('\n' + ind + 'ORDER BY ', ...order(n.orderBy));
      if (n.limit !== undefined) out.push('\n' + ind + 'LIMIT ', at(n.limit));
      if (n.offset !== undefined) out.push('\n' + ind + 'OFFSET ', at(n.offset));
      return out;
    }
    case 'unionAll': {
      if (n.queries.length < 2) throw new InternalError('UNION ALL needs two queries');
      return n.queries.flatMap((q, i) => {
        // A branch with its own WITH, ORDER BY, LIMIT or OFFSET would take over the whole union.
        const own = q.kind === 'with' || (q.kind === 'select' && (q.orderBy?.length || q.limit !== undefined || q.offset !== undefined));
        return [...(i === 0 ? [] : ['\n' + ind + 'UNION ALL\n' + ind]), ...(own ? nested(q) : [at(q)])];
      });
    }
    case 'with': {
      if (n.ctes.length === 0) throw new InternalError('WITH needs a table');
      // DuckDB cannot parse WITH ... (WITH ...): the builder merges the lists instead.
      if (n.body.kind === 'with') throw new InternalError('the body of a WITH cannot be another WITH');
      const deeper = inner + '  ';
      return [
        n.recursive ? 'WITH RECURSIVE' : 'WITH',
        ...n.ctes.flatMap((c, i) => [
          (i === 0 ? '\n' : ',\n') + inner + quoteIdent(c.name) + (c.columns === undefined ? '' : `(${c.columns.map(quoteIdent).join(', ')})`) + (c.materialized === true ? ' AS MATERIALIZED (\n' : c.materialized === false ? ' AS NOT MATERIALIZED (\n' : ' AS (\n') + deeper,
          at(c.query, 0, deeper),
          '\n' + inner + ')',
        ]),
        '\n' + ind,
        at(n.body),
      ];
    }
    default:
      return assertNever(n);
  }
}
