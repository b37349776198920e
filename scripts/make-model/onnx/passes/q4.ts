// q4 (model_q4.onnx): every MatMul whose B is a 2-D float initializer becomes a
// com.microsoft MatMulNBits, as transformers.js scripts/quantize.py (Dec 2024: onnxruntime
// 1.20.1) does with MatMul4BitsQuantizer(block_size=32, is_symmetric=True,
// accuracy_level=None):
//   - onnxruntime/python/tools/quantization/matmul_4bits_quantizer.py
//     (DefaultWeightOnlyQuantizer): B `<b>_Q4` uint8 [N, k_blocks, 16], scales `<b>_scales`
//     float 1-D [N * k_blocks] (that version's numpy shape), NO zero_points input when
//     symmetric, attributes K, N, bits = 4, block_size (accuracy_level absent when None);
//     node `<name>_Q4` keeps the MatMul's output name; com.microsoft opset 1 is imported;
//     the fp32 weight is dropped once unused (clean_initializers).
//   - onnxruntime/core/mlas/lib/q4_dq.cpp (BlockwiseQuantizer, Columnwise, range2scale):
//     per column n and block of 32 rows, scale = (the block's min or max, whichever has the
//     larger magnitude; min on a tie) / -8, zero point implicitly 8,
//     q = clamp(roundf(w * (1/scale) + 8), 0, 15) in float32, roundf rounding half away
//     from zero. Element k of a block goes to byte k/2, low nibble for even k.
// The embedding Gather stays float (the quantizer only looks at MatMul).
// Weights shared by both If branches are quantized once (onnxruntime 1.20 would append the
// same `_Q4` initializer twice).

import type { GraphModel } from '../graph-model.ts';
import { DataType } from '../proto.ts';
import { derivedChunks, float32Of, namedNode } from './graph-walk.ts';
import { replaceWeightMatMuls } from './weight-only.ts';

export const Q4_BLOCK_SIZE = 32;

export interface BlockwiseQ4 {
  packed: Uint8Array; // [N, kBlocks, blockSize/2]
  scales: Float32Array; // [N * kBlocks]
}

/** Symmetric blockwise 4-bit quantization of a MatMul B [K, N] (row-major), as MLAS. */
export function quantizeBlockwiseQ4(
  b: Float32Array,
  K: number,
  N: number,
  blockSize = Q4_BLOCK_SIZE,
): BlockwiseQ4 {
  const f = Math.fround;
  const kBlocks = Math.ceil(K / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(N * kBlocks * blob);
  const scales = new Float32Array(N * kBlocks);
  const column = new Float32Array(blockSize); // zero padded past K, as the Python side pads
  for (let n = 0; n < N; n++) {
    for (let blk = 0; blk < kBlocks; blk++) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < blockSize; i++) {
        const k = blk * blockSize + i;
        const v = k < K ? b[k * N + n]! : 0;
        column[i] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const extreme = Math.abs(max) > Math.abs(min) ? max : min;
      const scale = f(extreme / -8);
      scales[n * kBlocks + blk] = scale;
      const reciprocal = scale ? f(1 / scale) : 0;
      const base = (n * kBlocks + blk) * blob;
      for (let i = 0; i < blockSize; i++) {
        const x = f(f(column[i]! * reciprocal) + 8);
        const q = Math.min(15, Math.max(0, roundHalfAway(x)));
        packed[base + (i >> 1)]! |= i & 1 ? q << 4 : q;
      }
    }
  }
  return { packed, scales };
}

/** C roundf: halves away from zero. */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

export function applyQ4(model: GraphModel, blockSize = Q4_BLOCK_SIZE): void {
  replaceWeightMatMuls(model, {
    quantize: ({ weight, K, N }) => {
      const kBlocks = Math.ceil(K / blockSize);
      const source = weight.data;
      const [packed, scales] = derivedChunks(
        () => quantizeBlockwiseQ4(float32Of(source), K, N, blockSize),
        [
          { length: N * kBlocks * (blockSize / 2), pick: (r) => r.packed },
          { length: N * kBlocks * 4, pick: (r) => r.scales },
        ],
      );
      return [
        model.graph.initializer(
          `${weight.name}_Q4`,
          [N, kBlocks, blockSize / 2],
          DataType.UINT8,
          packed!,
        ),
        model.graph.initializer(`${weight.name}_scales`, [N * kBlocks], DataType.FLOAT, scales!),
      ];
    },
    node: ({ node, a, K, N }, [q, scales]) =>
      namedNode(model, 'MatMulNBits', `${node.name}_Q4`, [a, q!, scales!], [node.output![0]!], {
        domain: 'com.microsoft',
        attrs: { K, N, bits: 4, block_size: blockSize },
      }),
  });
}
