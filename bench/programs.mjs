// Generated programs for the benchmarks, built as text so parsing is part of what is measured.

/**
 * A straight-line program: one Let with many bindings, each a small expression over earlier
 * ones (the shape of generated model code). About 12 nodes per binding.
 */
export function letProgram(nodes) {
  const k = Math.max(1, Math.floor(nodes / 12));
  const heads = [];
  const values = [];
  for (let i = 0; i < k; i++) {
    heads.push(`eval v${i}`);
    const a = i === 0 ? '(F64 1.5)' : `(Ref v${i - 1})`;
    const b = i < 2 ? '(F64 2.0)' : `(Ref v${i - 2})`;
    values.push(
      `(If (ApplyComparisonOp LT ${a} ${b}) (ApplyBinaryPrimOp Add ${a} (F64 0.5)) ` +
        `(GetField s (MakeStruct (s (ApplyBinaryPrimOp Multiply ${b} (F64 0.25))))))`,
    );
  }
  return `(Let ${heads.join(' ')}\n${values.join('\n')}\n(Ref v${k - 1}))`;
}

/** A balanced tree of additions with about `nodes` nodes. */
export function balancedProgram(nodes) {
  const leaves = Math.max(1, Math.floor(nodes / 2));
  const out = [];
  const stack = [leaves];
  while (stack.length > 0) {
    const k = stack.pop();
    if (k === ')') out.push(')');
    else if (k <= 1) out.push('(I64 3)');
    else {
      out.push('(ApplyBinaryPrimOp Add ');
      stack.push(')', k - (k >> 1), k >> 1);
    }
  }
  return out.join('');
}

/** A table pipeline repeated: filters, maps and aggregates nested in value code. */
export function tableProgram(nodes) {
  const k = Math.max(1, Math.floor(nodes / 30));
  const parts = [];
  for (let i = 0; i < k; i++) {
    parts.push(
      `(TableAggregate (TableFilter (TableMapRows (TableRange 100 None) ` +
        `(InsertFields (Ref row) None (y (Cast Float64 (GetField idx (Ref row)))))) ` +
        `(ApplyComparisonOp LT (GetField y (Ref row)) (F64 ${i}.5))) ` +
        `(ApplyAggOp Sum () ((GetField y (Ref row)))))`,
    );
  }
  // Sum the aggregates through a balanced tree so the nesting stays shallow.
  let level = parts;
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? `(ApplyBinaryPrimOp Add ${level[i]} ${level[i + 1]})` : level[i]);
    }
    level = next;
  }
  return level[0];
}

export const shapes = { let: letProgram, balanced: balancedProgram, table: tableProgram };

/**
 * Value and table code nested in each other, for the requiredness benchmark: `k` table
 * pipelines of `k` levels each (so the nesting grows with the size, as a query's does), summed
 * through a balanced tree. Each level filters the rows and replaces two fields: a StreamFold
 * over a struct accumulator (a loop the analysis iterates to its fixpoint) and a count of a
 * nested table. The row type stays the same at every level. About 42 nodes per level.
 */
export function requirednessProgram(nodes) {
  const perLevel = 42;
  const k = Math.max(1, Math.round(Math.sqrt(nodes / perLevel)));
  const pipeline = (p) => {
    let t =
      `(TableMapRows (TableRange 10 None) (InsertFields (Ref row) None ` +
      `(v (MakeStruct (s (I64 0)) (m (NA Int32)))) (c (I64 0))))`;
    for (let i = 0; i < k; i++) {
      const fold =
        `(StreamFold acc x (StreamRange 0 False (I32 0) (GetField idx (Ref row)) (I32 1)) ` +
        `(MakeStruct (s (GetField s (GetField v (Ref row)))) (m (I32 ${i}))) ` +
        `(MakeStruct (s (ApplyBinaryPrimOp Add (GetField s (Ref acc)) (Cast Int64 (Ref x)))) ` +
        `(m (If (ApplyComparisonOp LT (Ref x) (I32 ${p})) (GetField m (Ref acc)) (NA Int32)))))`;
      const nested = `(TableCount (TableFilter (TableRange 5 None) (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 ${i % 5}))))`;
      t =
        `(TableMapRows (TableFilter ${t} (ApplyComparisonOp LT (GetField idx (Ref row)) (I32 ${1000 + i}))) ` +
        `(InsertFields (Ref row) None (v ${fold}) (c (ApplyBinaryPrimOp Add (GetField c (Ref row)) ${nested}))))`;
    }
    return `(TableAggregate ${t} (ApplyAggOp Sum () ((GetField s (GetField v (Ref row))))))`;
  };
  let level = Array.from({ length: k }, (_, p) => pipeline(p));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? `(ApplyBinaryPrimOp Add ${level[i]} ${level[i + 1]})` : level[i]);
    level = next;
  }
  return level[0];
}
