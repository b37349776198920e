import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeModel,
  dequantizedQ4Weights,
  q8LinearFn,
  q8Weights,
} from '../../scripts/make-model/onnx/read-model.ts';
import { forward } from '../../src/engine/reference/forward.ts';
import type { ForwardOptions } from '../../src/engine/reference/forward.ts';
import { referenceGreedy } from '../../src/engine/reference/greedy.ts';
import { loadSafetensors } from '../../src/engine/reference/safetensors.ts';
import type { CodegenConfig, WeightMap } from '../../src/engine/reference/types.ts';
import type { TinyDtype } from './model-console.ts';

/**
 * The plain-TypeScript CodeGen forward pass (src/engine/reference) on the files the app
 * serves, run in the test process. Each dtype gets the reference it should match:
 *   fp32  the safetensors weights;
 *   q4    the same with every MatMulNBits weight dequantized from model_q4.onnx;
 *   q8    the integer path of model_quantized.onnx simulated exactly
 *         (DynamicQuantizeLinear + MatMulInteger).
 */
export class TinyReference {
  private constructor(
    readonly config: CodegenConfig,
    private readonly weights: Record<TinyDtype, { weights: WeightMap; options: ForwardOptions }>,
  ) {}

  static load(dir: string): TinyReference {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig;
    const fp32 = loadSafetensors(readFileSync(join(dir, 'model.safetensors')));
    const onnx = (file: string) => decodeModel(readFileSync(join(dir, 'onnx', file)));
    const q8 = q8Weights(onnx('model_quantized.onnx'));
    return new TinyReference(config, {
      fp32: { weights: fp32, options: {} },
      q4: { weights: dequantizedQ4Weights(onnx('model_q4.onnx'), fp32), options: {} },
      q8: { weights: fp32, options: { linear: q8LinearFn(q8, fp32) } },
    });
  }

  /** Next-token logits after `ids`, [vocab]. */
  nextTokenLogits(dtype: TinyDtype, ids: readonly number[]): Float32Array {
    const { weights, options } = this.weights[dtype];
    const V = this.config.vocab_size;
    return forward(weights, this.config, ids, options).slice((ids.length - 1) * V); // [vocab]
  }

  greedy(
    dtype: TinyDtype,
    ids: readonly number[],
    maxNewTokens: number,
    limits: { vocabLimit: number; eosId: number },
  ): number[] {
    const { weights, options } = this.weights[dtype];
    return referenceGreedy(weights, this.config, ids, maxNewTokens, limits, options);
  }
}

/** max |actual - ref| / max |ref|: the error relative to the scale of the logits. */
export function relativeError(actual: Float32Array, ref: Float32Array): number {
  if (actual.length !== ref.length) throw new Error(`length ${actual.length} vs ${ref.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] ?? NaN) - (ref[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(ref[i] ?? 0));
  }
  return diff / scale;
}
