// Structural equality of IR, up to the names of bound variables (alpha-equivalence).
//
// The rule: two programs are equal when they have the same node kinds and header attributes
// in the same places, every `Ref` (and `Grad`/`Gradient` variable, and `RelationalRef`) refers
// to the binder at the same position in both, and free names are spelled the same. Spans are
// ignored. Binder names (Let, Stream*, Agg*, ArraySort, CDA, RelationalLet...) may differ; field
// names, function names and all other attributes must match. Literals compare as values with
// NaN equal to NaN and -0.0 distinct from 0.0. Scopes come from `binds.ts`, so an agg-scope
// binding never matches an eval-scope one.

import { childEnv, emptyEnv, type Env } from './binds.js';
import { children } from './children.js';
import type { IR, Kind } from './nodes.js';

/** Fields that hold binder names, compared through the environment rather than by spelling. */
const binderFields: Partial<Record<Kind, readonly string[]>> = {
  AggLet: ['name'],
  ArraySort: ['left', 'right'],
  StreamMap: ['name'],
  StreamFilter: ['name'],
  StreamFlatMap: ['name'],
  StreamFold: ['accum', 'name'],
  StreamScan: ['accum', 'name'],
  StreamZip: ['names'],
  StreamAgg: ['name'],
  AggExplode: ['name'],
  AggArrayPerElement: ['elementName', 'indexName'],
  CollectDistributedArray: ['contextName', 'globalName'],
  RelationalLet: ['name'],
  RelationalLetTable: ['name'],
  // references, resolved through the environment:
  Ref: ['name'],
  RelationalRef: ['name'],
  Grad: ['name'],
  Gradient: ['names'],
};

function sameData(a: unknown, b: unknown, kids: ReadonlySet<unknown>): boolean {
  if (kids.has(a) || kids.has(b)) return kids.has(a) && kids.has(b);
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameData(x, bb[i], kids));
  }
  const ka = Object.keys(a).filter((k) => k !== 'span');
  const kb = Object.keys(b).filter((k) => k !== 'span');
  return ka.length === kb.length && ka.every((k) => sameData((a as never)[k], (b as never)[k], kids));
}

function headerEqual(a: IR, b: IR, ka: readonly IR[], kb: readonly IR[]): boolean {
  if (a.kind !== b.kind || ka.length !== kb.length) return false;
  const skip = new Set(binderFields[a.kind] ?? []);
  const kids = new Set<unknown>([...ka, ...kb]);
  if (a.kind === 'Let' && b.kind === 'Let') {
    if (a.bindings.length !== b.bindings.length) return false;
    if (!a.bindings.every((x, i) => x.scope === b.bindings[i]!.scope)) return false;
    skip.add('bindings');
  }
  for (const k of Object.keys(a)) {
    if (k === 'span' || skip.has(k)) continue;
    if (!sameData((a as never)[k], (b as never)[k], kids)) return false;
  }
  for (const k of skip) {
    const x = (a as never)[k] as unknown;
    const y = (b as never)[k] as unknown;
    if (Array.isArray(x) && (!Array.isArray(y) || x.length !== y.length)) return false;
  }
  return true;
}

type Id = string;

function refersSame(na: string, ea: Env<Id>['eval'], nb: string, eb: Env<Id>['eval']): boolean {
  const ia = ea.get(na);
  const ib = eb.get(nb);
  return ia === undefined && ib === undefined ? na === nb : ia === ib;
}

/** Alpha-equivalence of two programs (see the rule above). Iterative: safe on deep programs. */
export function equalIR(a: IR, b: IR): boolean {
  if (a === b) return true;
  let visit = 0;
  const stack: [IR, IR, Env<Id>, Env<Id>][] = [[a, b, emptyEnv(), emptyEnv()]];
  while (stack.length > 0) {
    const [x, y, ex, ey] = stack.pop()!;
    const id = visit++;
    const kx = children(x);
    const ky = children(y);
    if (!headerEqual(x, y, kx, ky)) return false;
    switch (x.kind) {
      case 'Ref':
        if (!refersSame(x.name, ex.eval, (y as typeof x).name, ey.eval)) return false;
        break;
      case 'RelationalRef':
        if (!refersSame(x.name, ex.rel, (y as typeof x).name, ey.rel)) return false;
        break;
      case 'Grad':
        if (!refersSame(x.name, ex.eval, (y as typeof x).name, ey.eval)) return false;
        break;
      case 'Gradient': {
        const ny = (y as typeof x).names;
        if (!x.names.every((n, i) => refersSame(n, ex.eval, ny[i]!, ey.eval))) return false;
        break;
      }
      default:
        break;
    }
    // Binders get ids from their position in the lockstep walk, equal on both sides.
    const resolve = (_n: IR, bind: { source: unknown }, scope: string, k: number): Id =>
      `${id}:${scope}:${JSON.stringify(bind.source)}:${k}`;
    // Environments are computed in child order (cheap for long Lets), then pushed reversed.
    const envsX = kx.map((_, i) => childEnv(x, i, ex, resolve));
    const envsY = ky.map((_, i) => childEnv(y, i, ey, resolve));
    for (let i = kx.length - 1; i >= 0; i--) stack.push([kx[i]!, ky[i]!, envsX[i]!, envsY[i]!]);
  }
  return true;
}

/**
 * A text equal for two programs that are equal by the rule above (the key a table of programs
 * up to bound names is keyed by; `equalIR` confirms a match): kinds and header data in
 * pre-order, a bound reference as the position of its binder, a free one by name.
 */
export function alphaKey(q: IR): string {
  const parts: string[] = [];
  let visit = 0;
  const stack: [IR, Env<string>][] = [[q, emptyEnv<string>()]];
  while (stack.length > 0) {
    const [x, env] = stack.pop()!;
    const id = visit++;
    const kids = children(x);
    parts.push(x.kind, headerKey(x, kids), String(kids.length));
    if (x.kind === 'Ref' || x.kind === 'RelationalRef') {
      const b = x.kind === 'Ref' ? env.eval.get(x.name) : env.rel.get(x.name);
      parts.push(b ?? `$${x.name}`);
    }
    const resolve = (_n: IR, _bind: unknown, scope: string, k: number): string => `@${id}:${scope}:${k}`;
    const envs = kids.map((_, i) => childEnv(x, i, env, resolve));
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, envs[i]!]);
  }
  return parts.join('\u0001');
}

/** A node's header data (no children, no binder names, no span) as text. */
function headerKey(n: IR, kids: readonly IR[]): string {
  const skip = new Set<string>(['kind', 'span', ...(binderFields[n.kind] ?? [])]);
  const kidSet = new Set<unknown>(kids);
  const parts: string[] = [];
  for (const k of Object.keys(n)) {
    if (skip.has(k)) continue;
    const v = (n as unknown as Record<string, unknown>)[k];
    // A Let's binding names are binder names; their scopes are data.
    if (n.kind === 'Let' && k === 'bindings') parts.push(`bindings=${n.bindings.map((b) => b.scope).join(',')}`);
    else parts.push(`${k}=${dataKey(v, kidSet)}`);
  }
  return parts.join(';');
}

function dataKey(x: unknown, kids: ReadonlySet<unknown>): string {
  if (kids.has(x)) return '_';
  switch (typeof x) {
    case 'number':
      return Object.is(x, -0) ? '-0' : String(x);
    case 'bigint':
      return `${x}n`;
    case 'string':
      return JSON.stringify(x);
    case 'boolean':
      return x ? 'T' : 'F';
    case 'undefined':
      return 'u';
    default:
      break;
  }
  if (x === null) return 'null';
  if (Array.isArray(x)) return `[${x.map((y) => dataKey(y, kids)).join(',')}]`;
  const o = x as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => k !== 'span')
    .map((k) => `${k}:${dataKey(o[k], kids)}`)
    .join(',')}}`;
}
