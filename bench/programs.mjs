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
