// Model-shaped programs for differentiation tests and benchmarks: a one-hidden-layer MLP's mean
// squared error over a table, its parameters bound by `Let` so a `Gradient` can name them all.

/** Parameter names of an MLP with `inputs` inputs and `hidden` tanh units: w<j>_<k>, b<j>, v<j>, and c when `outputBias`. */
export function mlpParams(inputs: number, hidden: number, outputBias = false): string[] {
  const names: string[] = [];
  for (let j = 0; j < hidden; j++) {
    for (let k = 0; k < inputs; k++) names.push(`w${j}_${k}`);
    names.push(`b${j}`, `v${j}`);
  }
  if (outputBias) names.push('c');
  return names;
}

/**
 * The loss `Sum((o - y)^2) / Count` over `rows` rows of TableRange, with x_k = sin(idx + k) and
 * y = cos(idx), o = c + sum_j v_j tanh(b_j + sum_k w_jk x_k). Returns the loss alone (`body`),
 * and the program binding every parameter to a small value around `wrap(body)`.
 */
export function mlpLoss(inputs: number, hidden: number, options: { rows?: number; outputBias?: boolean } = {}): { params: string[]; body: string; program: (wrap: (body: string) => string) => string } {
  const rows = options.rows ?? 20;
  const params = mlpParams(inputs, hidden, options.outputBias);
  const idx = '(Cast Float64 (GetField idx (Ref row)))';
  const x = (k: number) => `(Apply -1 sin () Float64 (ApplyBinaryPrimOp Add ${idx} (F64 ${k}.0)))`;
  const sumOf = (terms: string[]): string => (terms.length === 1 ? terms[0]! : `(ApplyBinaryPrimOp Add ${sumOf(terms.slice(0, terms.length >> 1))} ${sumOf(terms.slice(terms.length >> 1))})`);
  const units: string[] = [];
  for (let j = 0; j < hidden; j++) {
    const pre = sumOf([`(Ref b${j})`, ...Array.from({ length: inputs }, (_, k) => `(ApplyBinaryPrimOp Multiply (Ref w${j}_${k}) (Ref x${k}))`)]);
    units.push(`(ApplyBinaryPrimOp Multiply (Ref v${j}) (Apply -1 tanh () Float64 ${pre}))`);
  }
  let out = sumOf(options.outputBias ? ['(Ref c)', ...units] : units);
  let perRow = `(Let eval e (ApplyBinaryPrimOp Subtract ${out} (Apply -1 cos () Float64 ${idx})) (ApplyBinaryPrimOp Multiply (Ref e) (Ref e)))`;
  for (let k = inputs - 1; k >= 0; k--) perRow = `(Let eval x${k} ${x(k)} ${perRow})`;
  out = perRow;
  const body = `(TableAggregate (TableRange ${rows} None) (ApplyBinaryPrimOp FloatingPointDivide (ApplyAggOp Sum () (${out})) (Cast Float64 (ApplyAggOp Count () ()))))`;
  const program = (wrap: (body: string) => string) => {
    let p = wrap(body);
    params.forEach((n, i) => {
      p = `(Let eval ${n} (F64 ${(((i * 7919) % 200) - 100) / 250}) ${p})`;
    });
    return p;
  };
  return { params, body, program };
}
