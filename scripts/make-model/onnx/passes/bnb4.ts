// bnb4 (model_bnb4.onnx): every MatMul whose B is a 2-D float initializer becomes a
// com.microsoft MatMulBnb4, as transformers.js scripts/quantize.py does with
// MatMulBnb4Quantizer(block_size=64, quant_type=NF4):
//   - onnxruntime/python/tools/quantization/matmul_bnb4_quantizer.py: the weight is
//     quantized transposed (torch layout [N, K], flattened) in blocks of 64 consecutive
//     values; B `<b>_Bnb4` uint8 1-D [ceil(N*K/2)], absmax `<b>_absmax` float 1-D
//     [ceil(N*K/64)]; attributes K, N, block_size, quant_type (1 = NF4); node `<name>_Bnb4`
//     keeps the MatMul's output; com.microsoft opset 1 imported; fp32 weight dropped.
//   - onnxruntime/contrib_ops/cpu/quantization/blockwise_quant_block_bnb4.h
//     (QuantizeBlockBnb4, QuantizeOneNF4): absmax = max |w| of the block, each value
//     w * (1/absmax) (float32) mapped to the NF4 code by the thresholds below; the FIRST
//     value of a pair goes to the HIGH nibble.

import type { GraphModel } from '../graph-model.ts';
import { DataType } from '../proto.ts';
import { derivedChunks, float32Of, namedNode } from './graph-walk.ts';
import { replaceWeightMatMuls } from './weight-only.ts';

export const BNB4_BLOCK_SIZE = 64;
export const NF4 = 1;

/** Thresholds between consecutive NF4 codes 0..15 (midpoints of NF4_VALUES, as onnxruntime). */
const NF4_THRESHOLDS = [
  -0.8480964004993439, -0.6106329262256622, -0.4599952697753906, -0.33967943489551544,
  -0.23460740596055984, -0.13791173323988914, -0.045525018125772476, 0.03979014977812767,
  0.1202552504837513, 0.2035212516784668, 0.2920137718319893, 0.3893125355243683,
  0.5016634166240692, 0.6427869200706482, 0.8614784181118011,
].map(Math.fround);

/** Code of x in [-1, 1]: the number of thresholds strictly below x (ties go down). */
function nf4Code(x: number): number {
  let code = 0;
  while (code < 15 && x > NF4_THRESHOLDS[code]!) code++;
  return code;
}

export interface Bnb4Weight {
  packed: Uint8Array; // [ceil(N*K/2)]
  absmax: Float32Array; // [ceil(N*K/blockSize)]
}

/** NF4 blockwise quantization of a MatMul B [K, N] (row-major), over its transpose [N, K]. */
export function quantizeBnb4(
  b: Float32Array,
  K: number,
  N: number,
  blockSize = BNB4_BLOCK_SIZE,
): Bnb4Weight {
  const f = Math.fround;
  const numel = N * K;
  const t = new Float32Array(numel); // [N, K]
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) t[n * K + k] = b[k * N + n]!;
  const blocks = Math.ceil(numel / blockSize);
  const packed = new Uint8Array(Math.ceil(numel / 2));
  const absmax = new Float32Array(blocks);
  for (let blk = 0; blk < blocks; blk++) {
    const start = blk * blockSize;
    const len = Math.min(blockSize, numel - start);
    let amax = 0;
    for (let i = 0; i < len; i++) amax = Math.max(amax, Math.abs(t[start + i]!));
    absmax[blk] = amax;
    const reciprocal = amax ? f(1 / amax) : 0;
    for (let i = 0; i < len; i += 2) {
      const hi = nf4Code(f(t[start + i]! * reciprocal));
      const lo = nf4Code(i + 1 < len ? f(t[start + i + 1]! * reciprocal) : 0);
      packed[(start + i) >> 1] = (hi << 4) | lo;
    }
  }
  return { packed, absmax };
}

export function applyBnb4(model: GraphModel, blockSize = BNB4_BLOCK_SIZE): void {
  replaceWeightMatMuls(model, {
    quantize: ({ weight, K, N }) => {
      const numel = K * N;
      const blocks = Math.ceil(numel / blockSize);
      const source = weight.data;
      const [packed, absmax] = derivedChunks(
        () => quantizeBnb4(float32Of(source), K, N, blockSize),
        [
          { length: Math.ceil(numel / 2), pick: (r) => r.packed },
          { length: blocks * 4, pick: (r) => r.absmax },
        ],
      );
      return [
        model.graph.initializer(
          `${weight.name}_Bnb4`,
          [Math.ceil(numel / 2)],
          DataType.UINT8,
          packed!,
        ),
        model.graph.initializer(`${weight.name}_absmax`, [blocks], DataType.FLOAT, absmax!),
      ];
    },
    node: ({ node, a, K, N }, [q, absmax]) =>
      namedNode(model, 'MatMulBnb4', `${node.name}_Bnb4`, [a, q!, absmax!], [node.output![0]!], {
        domain: 'com.microsoft',
        attrs: { K, N, block_size: blockSize, quant_type: NF4 },
      }),
  });
}
