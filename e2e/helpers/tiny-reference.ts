import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileReference } from '../../scripts/make-model/onnx/file-reference.ts';
import type { FileReference } from '../../scripts/make-model/onnx/file-reference.ts';
import { decodeModel } from '../../scripts/make-model/onnx/read-model.ts';
import { forwardWithTable } from '../../src/engine/reference/forward-with-table.ts';
import { referenceGreedy } from '../../src/engine/reference/greedy.ts';
import { loadSafetensors } from '../../src/engine/reference/safetensors.ts';
import type { CodegenConfig } from '../../src/engine/reference/types.ts';
import type { TinyDtype } from './model-console.ts';

/**
 * The plain-TypeScript CodeGen forward pass (src/engine/reference) on the files the app
 * serves, run in the test process. Each dtype gets the reference it should match, read
 * back from its own file (scripts/make-model/onnx/file-reference.ts):
 *   fp32  the file's weights (the safetensors weights);
 *   q4    every MatMulNBits weight dequantized from model_q4.onnx;
 *   q8    the integer path of model_quantized.onnx simulated exactly
 *         (DynamicQuantizeLinear + MatMulInteger), with its quantized embedding and
 *         rotary tables dequantized.
 */
export class TinyReference {
  private constructor(
    readonly config: CodegenConfig,
    private readonly files: Record<TinyDtype, FileReference>,
  ) {}

  static load(dir: string): TinyReference {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig;
    const file = (name: string): FileReference =>
      fileReference(decodeModel(readFileSync(join(dir, 'onnx', name))));
    return new TinyReference(config, {
      fp32: {
        ...file('model.onnx'),
        weights: loadSafetensors(readFileSync(join(dir, 'model.safetensors'))),
      },
      q4: file('model_q4.onnx'),
      q8: file('model_quantized.onnx'),
    });
  }

  /** Next-token logits after `ids`, [vocab]. */
  nextTokenLogits(dtype: TinyDtype, ids: readonly number[]): Float32Array {
    const { weights, table, linear } = this.files[dtype];
    const V = this.config.vocab_size;
    const logits = forwardWithTable(weights, this.config, ids, table, linear ? { linear } : {});
    return logits.slice((ids.length - 1) * V); // [vocab]
  }

  greedy(
    dtype: TinyDtype,
    ids: readonly number[],
    maxNewTokens: number,
    limits: { vocabLimit: number; eosId: number },
  ): number[] {
    // referenceGreedy computes the fp32 rotary table itself: exact for fp32 and q4 files only.
    if (dtype === 'q8') throw new Error('greedy reference: q8 files hold a quantized rotary table');
    const { weights, linear } = this.files[dtype];
    return referenceGreedy(
      weights,
      this.config,
      ids,
      maxNewTokens,
      limits,
      linear ? { linear } : {},
    );
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
