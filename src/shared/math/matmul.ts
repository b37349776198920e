/** C = A · B for row-major A [m, k] and B [k, n]; returns C [m, n]. */
export function matmulReference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p] ?? 0;
      for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] ?? 0) + aip * (b[p * n + j] ?? 0);
    }
  }
  return c;
}

export function maxAbsDifference(x: Float32Array, y: Float32Array): number {
  if (x.length !== y.length) throw new RangeError(`length ${x.length} != ${y.length}`);
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs((x[i] ?? 0) - (y[i] ?? 0));
    // NaN must fail the check, and `NaN > max` is false, so test it explicitly.
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    if (d > max) max = d;
  }
  return max;
}

/** Deterministic test data in [-1, 1) so the check is reproducible. */
export function seededMatrix(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}
