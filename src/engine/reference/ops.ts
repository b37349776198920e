// Elementwise and row-wise building blocks of the reference forward pass.
// Sums accumulate in float64 so the reference is at least as exact as any
// fp32 runtime it is compared against.

/** LayerNorm over the last dim. x: [rows, dim] → [rows, dim]. */
export function layerNorm(
  x: Float32Array,
  rows: number,
  dim: number,
  weight: Float32Array,
  bias: Float32Array,
  eps: number,
): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let mean = 0;
    for (let i = 0; i < dim; i++) mean += x[o + i]!;
    mean /= dim;
    let variance = 0;
    for (let i = 0; i < dim; i++) variance += (x[o + i]! - mean) ** 2;
    variance /= dim; // biased variance, as torch.nn.LayerNorm
    const inv = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < dim; i++) out[o + i] = (x[o + i]! - mean) * inv * weight[i]! + bias[i]!;
  }
  return out;
}

/**
 * torch.nn.Linear: y = x W^T + b.
 * x: [rows, inDim], weight: [outDim, inDim] (torch layout), bias: [outDim] → [rows, outDim].
 */
export function linear(
  x: Float32Array,
  rows: number,
  weight: Float32Array,
  outDim: number,
  bias: Float32Array | null,
): Float32Array {
  const inDim = weight.length / outDim;
  if (x.length !== rows * inDim)
    throw new Error(`linear: x has ${x.length} values, want ${rows}x${inDim}`);
  const out = new Float32Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    const xo = r * inDim;
    for (let n = 0; n < outDim; n++) {
      const wo = n * inDim;
      let acc = 0;
      for (let k = 0; k < inDim; k++) acc += x[xo + k]! * weight[wo + k]!;
      out[r * outDim + n] = acc + (bias ? bias[n]! : 0);
    }
  }
  return out;
}

/** HF "gelu_new" (GPT-2 tanh approximation), applied in place. */
export function geluNewInPlace(x: Float32Array): Float32Array {
  const c = Math.sqrt(2 / Math.PI);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    x[i] = 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v * v * v)));
  }
  return x;
}

/** Softmax of one row in place (float64 scratch). */
export function softmaxInPlace(row: Float64Array): void {
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    row[i] = Math.exp(row[i]! - max);
    sum += row[i]!;
  }
  for (let i = 0; i < row.length; i++) row[i] = row[i]! / sum;
}
