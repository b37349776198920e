import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileReference } from '../../scripts/make-model/onnx/file-reference.ts';
import type { FileReference } from '../../scripts/make-model/onnx/file-reference.ts';
import { onnxFile } from '../../scripts/make-model/onnx/layouts/index.ts';
import type { LayoutName } from '../../scripts/make-model/onnx/layouts/index.ts';
import type { PublishedDtype } from '../../scripts/make-model/onnx/passes/index.ts';
import { decodeModel } from '../../scripts/make-model/onnx/read-model.ts';
import { forward } from '../../src/engine/reference/forward.ts';
import { referenceGreedy } from '../../src/engine/reference/greedy.ts';
import { loadSafetensors } from '../../src/engine/reference/safetensors.ts';
import type { CodegenConfig } from '../../src/engine/reference/types.ts';
export { relativeError } from '../../src/engine/testing/relative-error.ts';

/**
 * The plain-TypeScript CodeGen forward pass (src/engine/reference) on a generated model folder
 * the app serves, run in the test process. Each dtype's reference is read back from its own
 * file (scripts/make-model/onnx/file-reference.ts): fp32 the weights; q4 and bnb4 the
 * dequantized weights; int8/uint8/q8 the integer path simulated exactly; fp16/q4f16 the
 * float16-rounded weights computed in float32.
 */
export class ExportReference {
  private readonly files = new Map<PublishedDtype, FileReference>();

  private constructor(
    readonly config: CodegenConfig,
    private readonly dir: string,
    readonly layout: LayoutName,
  ) {}

  static load(dir: string, layout: LayoutName): ExportReference {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig;
    return new ExportReference(config, dir, layout);
  }

  /** Where `dtype`'s file lives in the folder, e.g. onnx/model_q4.onnx. */
  path(dtype: PublishedDtype): string {
    return onnxFile(this.layout, dtype);
  }

  /** Next-token logits after `ids`, [vocab]. */
  nextTokenLogits(dtype: PublishedDtype, ids: readonly number[]): Float32Array {
    const { weights, table, linear } = this.file(dtype);
    const V = this.config.vocab_size;
    const logits = forward(weights, this.config, ids, { table, ...(linear ? { linear } : {}) });
    return logits.slice((ids.length - 1) * V); // [vocab]
  }

  /** Greedy tokens on the fp32 weights (the safetensors the files were made from). */
  greedyFp32(
    ids: readonly number[],
    maxNewTokens: number,
    limits: { vocabLimit: number; eosId: number },
  ): number[] {
    const weights = loadSafetensors(readFileSync(join(this.dir, 'model.safetensors')));
    return referenceGreedy(weights, this.config, ids, maxNewTokens, limits);
  }

  private file(dtype: PublishedDtype): FileReference {
    let file = this.files.get(dtype);
    if (!file) {
      file = fileReference(decodeModel(readFileSync(join(this.dir, this.path(dtype)))));
      this.files.set(dtype, file);
    }
    return file;
  }
}
