// Weight quantization as the onnxruntime quantizers lay it out.

import { roundHalfEven } from '../../src/engine/reference/dequant.ts';

export const Q4_BLOCK_SIZE = 32;

export interface Q4Weight {
  packed: Uint8Array; // [N, kBlocks, blockSize/2]
  scales: Float32Array; // [N, kBlocks]
  zeroPoints: Uint8Array; // [N, ceil(kBlocks/2)]
}

export function q4Sizes(
  N: number,
  K: number,
  blockSize = Q4_BLOCK_SIZE,
): {
  kBlocks: number;
  packed: number;
  scales: number;
  zeroPoints: number;
} {
  const kBlocks = Math.ceil(K / blockSize);
  return {
    kBlocks,
    packed: N * kBlocks * (blockSize / 2),
    scales: N * kBlocks,
    zeroPoints: N * Math.ceil(kBlocks / 2),
  };
}

/**
 * Asymmetric blockwise 4-bit quantization along K (MatMulNBits, bits = 4), as MLAS
 * does it: each block's range is widened to include 0, scale = (max - min) / 15,
 * zp = round(-min / scale), q = clamp(round(w / scale) + zp, 0, 15).
 * w: torch layout [N, K] (MatMulNBits B is stored per output column n).
 */
export function quantizeQ4(
  w: Float32Array,
  N: number,
  K: number,
  blockSize = Q4_BLOCK_SIZE,
): Q4Weight {
  const sizes = q4Sizes(N, K, blockSize);
  const { kBlocks } = sizes;
  const packed = new Uint8Array(sizes.packed);
  const scales = new Float32Array(sizes.scales);
  const zeroPoints = new Uint8Array(sizes.zeroPoints);
  const zpStride = Math.ceil(kBlocks / 2);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const start = n * K + b * blockSize;
      const len = Math.min(blockSize, K - b * blockSize);
      let min = 0;
      let max = 0;
      for (let i = 0; i < len; i++) {
        min = Math.min(min, w[start + i]!);
        max = Math.max(max, w[start + i]!);
      }
      const scale = Math.fround((max - min) / 15);
      const inv = scale === 0 ? 0 : 1 / scale;
      const zp = Math.min(15, Math.max(0, roundHalfEven(-min * inv)));
      scales[n * kBlocks + b] = scale;
      zeroPoints[n * zpStride + (b >> 1)]! |= b & 1 ? zp << 4 : zp;
      for (let i = 0; i < len; i++) {
        const q = Math.min(15, Math.max(0, roundHalfEven(w[start + i]! * inv) + zp));
        packed[(n * kBlocks + b) * (blockSize / 2) + (i >> 1)]! |= i & 1 ? q << 4 : q;
      }
    }
  }
  return { packed, scales, zeroPoints };
}

/**
 * Per-tensor symmetric int8 quantization, what quantize_dynamic does with its
 * QInt8 default (transformers.js `q8` for models without Conv): scale = max|w| / 127,
 * zero point 0, q = clamp(round(w / scale), -127, 127).
 * w: torch layout [N, K] → data in MatMul B layout [K, N].
 */
export function quantizeQ8(
  w: Float32Array,
  N: number,
  K: number,
): { data: Int8Array; scale: number } {
  let absMax = 0;
  for (const v of w) absMax = Math.max(absMax, Math.abs(v));
  const scale = Math.fround(absMax === 0 ? 1 : absMax / 127);
  const data = new Int8Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      data[k * N + n] = Math.min(
        127,
        Math.max(-127, roundHalfEven(Math.fround(w[n * K + k]! / scale))),
      );
    }
  }
  return { data, scale };
}
