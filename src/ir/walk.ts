// Depth-safe traversals. Every pass walks the IR through these, never by native recursion,
// so a program nested 100,000 levels deep cannot overflow the JavaScript stack.

import { children, withChildren } from './children.js';
import type { IR } from './nodes.js';

export interface Folder<C, R> {
  /** The context for child `index`, given the results of the children before it. */
  enter(node: IR, index: number, ctx: C, done: readonly R[]): C;
  /** The node's result from its context and its children's results. */
  leave(node: IR, ctx: C, results: readonly R[]): R;
}

interface Frame<C, R> {
  readonly node: IR;
  readonly ctx: C;
  readonly kids: readonly IR[];
  readonly results: R[];
}

const NO_RESULTS: readonly never[] = Object.freeze([]);

/** A post-order fold with a top-down context, run on an explicit stack. */
export function fold<C, R>(root: IR, ctx: C, f: Folder<C, R>): R {
  const stack: Frame<C, R>[] = [{ node: root, ctx, kids: children(root), results: [] }];
  let last: R | undefined;
  for (;;) {
    const top = stack[stack.length - 1]!;
    const i = top.results.length;
    if (i < top.kids.length) {
      const kid = top.kids[i]!;
      const kids = children(kid);
      const kidCtx = f.enter(top.node, i, top.ctx, top.results);
      // A leaf is finished at once, without a frame (about half of all nodes are leaves).
      if (kids.length === 0) top.results.push(f.leave(kid, kidCtx, NO_RESULTS));
      else stack.push({ node: kid, ctx: kidCtx, kids, results: [] });
      continue;
    }
    last = f.leave(top.node, top.ctx, top.results);
    stack.pop();
    if (stack.length === 0) return last;
    stack[stack.length - 1]!.results.push(last);
  }
}

/**
 * A memoized post-order fold for analyses kept in a side table: `memo` holds each node's result,
 * so asking again about any node of an analysed subtree is a lookup, and a whole program costs
 * one visit per node. `enter` may settle a node before its children are visited.
 */
export function memoFold<T>(root: IR, memo: WeakMap<IR, T>, leave: (node: IR, kids: readonly T[]) => T, enter?: (node: IR) => T | undefined): T {
  const stack: [IR, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [x, done] = stack.pop()!;
    if (memo.has(x)) continue;
    const kids = children(x);
    if (!done) {
      const settled = enter?.(x);
      if (settled !== undefined) {
        memo.set(x, settled);
        continue;
      }
      stack.push([x, true]);
      for (const k of kids) if (!memo.has(k)) stack.push([k, false]);
      continue;
    }
    memo.set(x, leave(x, kids.map((k) => memo.get(k)!)));
  }
  return memo.get(root)!;
}

/** Rebuilds bottom-up: `f` sees each node with its children already rewritten. */
export function rewriteBottomUp(root: IR, f: (node: IR) => IR): IR {
  return fold<null, IR>(root, null, {
    enter: () => null,
    leave: (node, _ctx, results) => f(withChildren(node, results)),
  });
}

/** Pre-order visit of every node; `f` returning false skips that node's children. */
export function forEachNode(root: IR, f: (node: IR, depth: number) => boolean | void): void {
  const stack: [IR, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (f(node, depth) === false) continue;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, depth + 1]);
  }
}

export function countNodes(root: IR): number {
  let n = 0;
  forEachNode(root, () => {
    n++;
  });
  return n;
}

export function maxDepth(root: IR): number {
  let d = 0;
  forEachNode(root, (_n, depth) => {
    if (depth > d) d = depth;
  });
  return d + 1;
}

/**
 * Depth as the compilers nest it: a `Let`'s binding i (and its body, after the last) sits i
 * levels below it, since each binding scopes the rest.
 */
export function nestingDepth(root: IR): number {
  return memoFold<number>(root, new WeakMap(), (n, kids) => 1 + kids.reduce((m, d, i) => Math.max(m, d + (n.kind === 'Let' ? i : 0)), 0));
}
