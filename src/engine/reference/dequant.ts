// Dequantization of the weights stored in every published dtype (MatMulNBits q4, NF4
// MatMulBnb4, per-tensor int8/uint8 with DequantizeLinear), plus an exact simulation of the
// q8 integer path, so the quantized graphs can be checked against the reference forward pass.

/**
 * com.microsoft MatMulNBits weights (bits = 4) → fp32 [N, K] (torch nn.Linear layout).
 * packed: [N, kBlocks, blockSize/2] uint8, element k of a block in byte k>>1,
 *   low nibble for even k, high nibble for odd k.
 * scales: [N, kBlocks] fp32 (onnxruntime 1.20 writes it 1-D, same order).
 * zeroPoints: [N, ceil(kBlocks/2)] uint8, packed like `packed` (block b → byte b>>1);
 *   absent (symmetric, what transformers.js publishes) means the default zero point 8.
 * w[n, k] = (q - zp) * scale.
 */
export function dequantizeMatMulNBits4(
  packed: Uint8Array,
  scales: Float32Array,
  zeroPoints: Uint8Array | null,
  K: number,
  N: number,
  blockSize: number,
): Float32Array {
  const kBlocks = Math.ceil(K / blockSize);
  const blob = blockSize / 2;
  const zpStride = Math.ceil(kBlocks / 2);
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const scale = scales[n * kBlocks + b]!;
      const zpByte = zeroPoints ? zeroPoints[n * zpStride + (b >> 1)]! : 0x88;
      const zp = b & 1 ? zpByte >> 4 : zpByte & 0x0f;
      for (let i = 0; i < blockSize && b * blockSize + i < K; i++) {
        const byte = packed[(n * kBlocks + b) * blob + (i >> 1)]!;
        const q = i & 1 ? byte >> 4 : byte & 0x0f;
        out[n * K + b * blockSize + i] = (q - zp) * scale;
      }
    }
  }
  return out;
}

/**
 * NF4 code → value (onnxruntime contrib_ops/cpu/quantization/blockwise_quant_block_bnb4.h,
 * the bitsandbytes table), stored as float32.
 */
export const NF4_VALUES = Float32Array.from([
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
  0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
  0.7229568362236023, 1.0,
]);

/**
 * com.microsoft MatMulBnb4 weights (quant_type NF4) → fp32 [N, K] (torch layout).
 * packed: [ceil(N*K/2)] uint8 over the flattened [N, K] matrix, the first value of each
 * pair in the HIGH nibble; absmax: [ceil(N*K/blockSize)]. w = NF4[q] * absmax (float32).
 */
export function dequantizeBnb4(
  packed: Uint8Array,
  absmax: Float32Array,
  K: number,
  N: number,
  blockSize: number,
): Float32Array {
  const out = new Float32Array(N * K);
  for (let i = 0; i < out.length; i++) {
    const byte = packed[i >> 1]!;
    const q = i & 1 ? byte & 0x0f : byte >> 4;
    out[i] = Math.fround(NF4_VALUES[q]! * absmax[Math.floor(i / blockSize)]!);
  }
  return out;
}

/** ONNX DequantizeLinear with per-tensor parameters: (q - zp) * scale in float32. */
export function dequantizeLinear(
  q: Int8Array | Uint8Array,
  scale: number,
  zeroPoint: number,
): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = Math.fround((q[i]! - zeroPoint) * scale);
  return out;
}

/** One MatMulInteger weight: B [K, N] (ONNX MatMul layout), per-tensor scale and zero point. */
export interface Q8Weight {
  data: Int8Array | Uint8Array; // [K, N]
  scale: number;
  zeroPoint: number;
  K: number;
  N: number;
}

/** Per-tensor dequantization → fp32 [N, K] (torch layout). */
export function dequantizeQ8(w: Q8Weight): Float32Array {
  const out = new Float32Array(w.N * w.K);
  for (let k = 0; k < w.K; k++) {
    for (let n = 0; n < w.N; n++) out[n * w.K + k] = (w.data[k * w.N + n]! - w.zeroPoint) * w.scale;
  }
  return out;
}

/** Round half to even, as ONNX QuantizeLinear / DynamicQuantizeLinear specify. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** ONNX DynamicQuantizeLinear over a whole tensor (uint8, range always includes 0). */
export function dynamicQuantizeLinear(x: Float32Array): {
  q: Uint8Array;
  scale: number;
  zeroPoint: number;
} {
  let min = 0;
  let max = 0;
  for (const v of x) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const f = Math.fround;
  const scale = f((max - min) / 255);
  const zeroPoint = scale === 0 ? 0 : Math.min(255, Math.max(0, roundHalfEven(f(-min / scale))));
  const q = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = scale === 0 ? zeroPoint : roundHalfEven(f(x[i]! / scale)) + zeroPoint;
    q[i] = Math.min(255, Math.max(0, v));
  }
  return { q, scale, zeroPoint };
}

/**
 * The q8 graph for one linear layer, in integer arithmetic:
 * DynamicQuantizeLinear(x) → MatMulInteger(xq, wq, xzp, wzp) → Cast → Mul(xscale * wscale) → + bias.
 * x: [rows, K] → [rows, N].
 */
export function q8Linear(
  x: Float32Array,
  rows: number,
  w: Q8Weight,
  bias: Float32Array | null,
): Float32Array {
  const f = Math.fround;
  const xq = dynamicQuantizeLinear(x);
  const scale = f(xq.scale * w.scale);
  const out = new Float32Array(rows * w.N);
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < w.N; n++) {
      let acc = 0; // exact: |acc| < 2^31 for any K we use
      for (let k = 0; k < w.K; k++) {
        acc += (xq.q[r * w.K + k]! - xq.zeroPoint) * (w.data[k * w.N + n]! - w.zeroPoint);
      }
      const y = f(f(acc) * scale);
      out[r * w.N + n] = bias ? f(y + bias[n]!) : y;
    }
  }
  return out;
}
