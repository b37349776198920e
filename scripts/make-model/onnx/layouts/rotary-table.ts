// The rotary table exactly as HF stores it: cat(sin, cos) along the last axis (not interleaved).

import { sinusoidalPositions } from '../../../../src/engine/reference/rotary.ts';

/** [nPositions, R]: columns 0..R/2-1 sin, R/2..R-1 cos (create_sinusoidal_positions). */
export function sinCosTable(nPositions: number, R: number): Float32Array {
  const half = R / 2;
  const { sin, cos } = sinusoidalPositions(nPositions, R);
  const out = new Float32Array(nPositions * R);
  for (let p = 0; p < nPositions; p++) {
    out.set(sin.subarray(p * half, (p + 1) * half), p * R);
    out.set(cos.subarray(p * half, (p + 1) * half), p * R + half);
  }
  return out;
}
