import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWeights } from '../../src/engine/webgpu/weights/open-weights.ts';
import { tinyModelDir } from '../make-model/tiny-model.ts';
import { boundMs, decodeStepBytes, modelStepBytes } from './bound.ts';

const dir = tinyModelDir();
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
  n_layer: number;
  n_embd: number;
  vocab_size: number;
};
const L = config.n_layer;
const E = config.n_embd;
const V = config.vocab_size;
/** CodeGen's linear weights: per layer qkv (3E×E), out (E×E), fc_in (4E×E), fc_out (E×4E); lm_head. */
const PARAMS = L * (3 * E * E + E * E + 4 * E * E + 4 * E * E) + V * E;
/** Biases of fc_in, fc_out and lm_head, LayerNorm weight and bias of ln_1 ×L and ln_f. */
const VECTOR_BYTES = 4 * (L * (4 * E + E) + V + 2 * E * (L + 1));

function bytesOf(file: string): ReturnType<typeof modelStepBytes> {
  const path = join(dir, file);
  return modelStepBytes(openWeights(readFileSync(path), path, L), L);
}

describe('the bandwidth bound', () => {
  it('reads each linear as the file stores it: 4, 2 or 4-bit-plus-scale bytes a weight', () => {
    const fp32 = bytesOf('onnx/model.onnx');
    const fp16 = bytesOf('onnx/model_fp16.onnx');
    const q4 = bytesOf('onnx/model_q4.onnx');
    expect(fp32.linearBytes).toBe(PARAMS * 4);
    expect(fp16.linearBytes).toBe(PARAMS * 2);
    // MatMulNBits: two codes a byte and one float32 scale per block of 32 (no zero points).
    expect(q4.linearBytes).toBe(PARAMS / 2 + (PARAMS / 32) * 4);
    for (const m of [fp32, fp16, q4]) {
      expect(m.vectorBytes).toBe(VECTOR_BYTES);
      expect(m).toMatchObject({ nLayer: L, nEmbd: E });
    }
    expect(fp32.embeddingRowBytes).toBe(4 * E);
    expect(fp16.embeddingRowBytes).toBe(2 * E);
  });

  it('adds one embedding row per batch row and a float16 cache up to the position', () => {
    const m = { linearBytes: 1000, vectorBytes: 100, embeddingRowBytes: 8, nLayer: 2, nEmbd: 4 };
    // batch 3 at position 9: keys and values of 10 positions × 2 layers × 3 rows × 4 × 2 bytes
    expect(decodeStepBytes(m, 3, 9)).toBe(1000 + 100 + 3 * 8 + 2 * 2 * 3 * 10 * 4 * 2);
    expect(decodeStepBytes(m, 3, 9, 4) - decodeStepBytes(m, 3, 9, 2)).toBe(2 * 2 * 3 * 10 * 4 * 2);
    expect(boundMs(4.8e12 / 1000, 4.8e12)).toBeCloseTo(1, 12);
  });
});
