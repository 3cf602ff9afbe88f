import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childEnv, emptyEnv, type Env } from '../src/ir/binds.js';
import { allKinds, children } from '../src/ir/children.js';
import { fnNames } from '../src/ir/functions.js';
import { aggOps, isTableIR, joinTypes, zipBehaviors, type IR } from '../src/ir/nodes.js';
import { printIR } from '../src/ir/print.js';
import { typeEqual, type Type } from '../src/ir/types.js';
import { decodeJson, encodeJson, valueIdentical } from '../src/ir/value.js';
import { countNodes, forEachNode } from '../src/ir/walk.js';
import { typecheck, typeOf } from '../src/passes/typecheck.js';
import {
  arbProgram,
  arbTableIR,
  arbType,
  arbValue,
  arbValueIR,
  arbValueIROfType,
  nastyFloat32s,
  nastyInt32,
  nastyInt64,
  nastyNames,
  relationalKinds,
} from '../src/testing/index.js';

const containsKind = (ir: IR, kinds: readonly string[]): boolean => {
  let found = false;
  forEachNode(ir, (n) => {
    if (kinds.includes(n.kind)) found = true;
  });
  return found;
};

/** Refs, inside a table program, to names bound outside it (the spec's [ext] scoping). */
function countEnclosingRefs(root: IR): number {
  let count = 0;
  // Each name maps to the relational nesting depth where it was bound.
  const walk = (n: IR, env: Env<number>, depth: number): void => {
    if (n.kind === 'Ref') {
      const at = env.eval.get(n.name);
      if (at !== undefined && at < depth) count++;
    }
    children(n).forEach((c, i) => {
      walk(c, childEnv(n, i, env, () => depth), isTableIR(c) && !isTableIR(n) ? depth + 1 : depth);
    });
  };
  walk(root, emptyEnv(), 0);
  return count;
}

/** Features beyond the node kind that the generator promises to reach. */
function features(ir: IR, out: Set<string>): void {
  forEachNode(ir, (n) => {
    out.add(n.kind);
    switch (n.kind) {
      case 'Let':
        for (const b of n.bindings) out.add(`Let:${b.scope}`);
        break;
      case 'ApplyAggOp':
      case 'ApplyScanOp':
        out.add(`${n.kind}:${n.op}`);
        break;
      case 'AggArrayPerElement':
        out.add(`AggArrayPerElement:${n.knownLength ? 'len' : 'noLen'}`);
        break;
      case 'StreamZip':
        out.add(`StreamZip:${n.behavior}`);
        break;
      case 'InsertFields':
        out.add(`InsertFields:${n.fieldOrder ? 'order' : 'noOrder'}`);
        break;
      case 'MakeTuple':
        if (n.indices.some((x, i) => x !== i)) out.add('MakeTuple:sparse');
        break;
      case 'Literal':
        out.add(`Literal:${n.type.kind}`);
        break;
      case 'Apply':
        out.add(`Apply:${n.fn}`);
        break;
      case 'TableWrite':
        out.add(`TableWrite:${n.writer.name}`);
        break;
      case 'TableRead':
        out.add(`TableRead:${n.reader.name}`);
        break;
      case 'TableJoin':
        out.add(`TableJoin:${n.joinType}`);
        break;
      case 'TableFilter':
        if (containsKind(n.pred, ['TableCount', 'TableAggregate'])) out.add('TableFilter:nested');
        break;
      case 'StreamMap':
        if (containsKind(n.body, ['TableCount', 'TableAggregate'])) out.add('StreamMap:nested');
        break;
      default:
        break;
    }
  });
  if (countEnclosingRefs(ir) > 0) out.add('Ref:enclosing');
}

const typeKinds = [
  ...['Boolean', 'Int32', 'Int64', 'Float32', 'Float64', 'String', 'Void'],
  ...['Array', 'Set', 'Dict', 'Tuple', 'Struct'],
];

const expectedFeatures = [
  ...allKinds,
  'Let:eval',
  'Let:agg',
  'Let:scan',
  ...aggOps.map((op) => `ApplyAggOp:${op}`),
  ...aggOps.map((op) => `ApplyScanOp:${op}`),
  'AggArrayPerElement:len',
  'AggArrayPerElement:noLen',
  ...zipBehaviors.map((b) => `StreamZip:${b}`),
  'InsertFields:order',
  'InsertFields:noOrder',
  'MakeTuple:sparse',
  ...typeKinds.map((k) => `Literal:${k}`),
  ...fnNames.map((f) => `Apply:${f}`),
  'TableWrite:ParquetWriter',
  'TableWrite:DuckDBTableWriter',
  'TableRead:DuckDBTableReader',
  'TableRead:ParquetReader',
  'TableRead:CSVReader',
  ...joinTypes.map((j) => `TableJoin:${j}`),
  'TableFilter:nested',
  'StreamMap:nested',
  'Ref:enclosing',
].sort();

function diagnosticsOf(ir: IR): string[] {
  return typecheck(ir).diagnostics.map((d) => `${d.code} ${d.message}`);
}

describe('arbitraries', () => {
  it('reach every node kind and promised feature', () => {
    const seen = new Set<string>();
    for (const ir of fc.sample(arbProgram(), { numRuns: 3000, seed: 20240601 })) features(ir, seen);
    expect(allKinds.filter((k) => seen.has(k)).sort()).toEqual([...allKinds].sort());
    expect(expectedFeatures.filter((f) => !seen.has(f))).toEqual([]);
  });

  it('generate well-typed programs', () => {
    fc.assert(
      fc.property(arbProgram(), (ir) => {
        const ds = diagnosticsOf(ir);
        if (ds.length > 0) throw new Error(`${ds.join('\n')}\n${printIR(ir)}`);
        // No node object occurs twice: analyses key side tables by identity.
        const nodes = new Set<IR>();
        forEachNode(ir, (n) => {
          nodes.add(n);
        });
        expect(nodes.size).toBe(countNodes(ir));
      }),
      { numRuns: 600 },
    );
  });

  it('generate programs of the requested type', () => {
    fc.assert(
      fc.property(
        arbType().chain((t) => arbValueIROfType(t).map((ir) => [t, ir] as const)),
        ([t, ir]) => {
          const got = typeOf(ir) as Type;
          if (!typeEqual(got, t)) {
            throw new Error(`wanted ${JSON.stringify(t)}, got ${JSON.stringify(got)}\n${printIR(ir)}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('generate literal values that survive their JSON encoding', () => {
    fc.assert(
      fc.property(
        arbType().chain((t) => arbValue(t).map((v) => [t, v] as const)),
        ([t, v]) => {
          expect(valueIdentical(decodeJson(t, encodeJson(t, v)), v)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(fc.property(nastyFloat32s, (x) => Object.is(Math.fround(x), x)));
    fc.assert(fc.property(nastyInt32, (x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31));
    fc.assert(fc.property(nastyInt64, (x) => BigInt.asIntN(64, x) === x));
    const names = fc.sample(nastyNames, { numRuns: 200, seed: 1 });
    expect(names.some((s) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s))).toBe(true);
  });

  it('shrink to small programs that are still well typed', () => {
    const result = fc.check(
      fc.property(arbValueIR(), (ir) => !containsKind(ir, ['TableJoin'])),
      { numRuns: 2000, seed: 7 },
    );
    expect(result.failed).toBe(true);
    const [ir] = result.counterexample!;
    expect(diagnosticsOf(ir)).toEqual([]);
    expect(countNodes(ir)).toBeLessThan(12);
  });

  it('leave out excluded kinds', () => {
    const exclude = [...relationalKinds, 'Die', 'CollectDistributedArray', 'Grad'] as const;
    for (const ir of fc.sample(arbValueIR({ exclude }), { numRuns: 300, seed: 3 })) {
      expect(containsKind(ir, exclude)).toBe(false);
    }
  });

  it('generate well-typed tables with plain names and little depth', () => {
    fc.assert(
      fc.property(arbTableIR({ maxDepth: 3, nastyNames: false }), (t) => {
        expect(diagnosticsOf(t)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
