// GPT-J style rotary position embedding as used by HF CodeGen.
// The table matches `create_sinusoidal_positions`: computed in float32,
// sin and cos of pos * inv_freq with inv_freq = 1 / 10000^(2i/dim).

/** sin/cos tables, each [nPositions, dim/2]. */
export function sinusoidalPositions(
  nPositions: number,
  dim: number,
): { sin: Float32Array; cos: Float32Array } {
  const half = dim / 2;
  const f = Math.fround;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = f(1 / f(10000 ** f((2 * i) / dim)));
  const sin = new Float32Array(nPositions * half);
  const cos = new Float32Array(nPositions * half);
  for (let p = 0; p < nPositions; p++) {
    for (let i = 0; i < half; i++) {
      const angle = f(p * invFreq[i]!);
      sin[p * half + i] = Math.sin(angle);
      cos[p * half + i] = Math.cos(angle);
    }
  }
  return { sin, cos };
}

/**
 * `torch.repeat_interleave(table, 2, -1)`: [nPositions, dim/2] → [nPositions, dim]
 * with columns 2i and 2i+1 both holding entry i (the ONNX graph stores this form).
 */
export function interleavePairs(table: Float32Array, half: number): Float32Array {
  const rows = table.length / half;
  const out = new Float32Array(rows * half * 2);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < half; i++) {
      const v = table[r * half + i]!;
      out[r * half * 2 + 2 * i] = v;
      out[r * half * 2 + 2 * i + 1] = v;
    }
  }
  return out;
}

/**
 * Rotates the first `rotaryDim` dims of every head in place.
 * x: [seq, nHead, headDim]; positions: [seq]. With pairs (x0, x1) = (x[2i], x[2i+1]):
 * out[2i] = x0 cos - x1 sin, out[2i+1] = x1 cos + x0 sin  (rotate_every_two).
 */
export function applyRotaryInPlace(
  x: Float32Array,
  positions: ArrayLike<number>,
  nHead: number,
  headDim: number,
  rotaryDim: number,
  table: { sin: Float32Array; cos: Float32Array },
): void {
  const half = rotaryDim / 2;
  for (let s = 0; s < positions.length; s++) {
    const p = positions[s]!;
    for (let h = 0; h < nHead; h++) {
      const o = (s * nHead + h) * headDim;
      for (let i = 0; i < half; i++) {
        const sin = table.sin[p * half + i]!;
        const cos = table.cos[p * half + i]!;
        const x0 = x[o + 2 * i]!;
        const x1 = x[o + 2 * i + 1]!;
        x[o + 2 * i] = x0 * cos - x1 * sin;
        x[o + 2 * i + 1] = x1 * cos + x0 * sin;
      }
    }
  }
}
