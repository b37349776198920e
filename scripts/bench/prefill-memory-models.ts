import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSpec } from '../make-model/model-spec.ts';
import { generateBenchModel } from './model-dir.ts';
import type { PrefillModel } from './prefill-memory-types.ts';

/** Real CodeGen's vocabulary on a model too small to cost anything else. */
export const WIDE_VOCAB_CONFIG = {
  n_layer: 1,
  n_head: 4,
  n_embd: 32,
  rotary_dim: 8,
  vocab_size: 51_200,
} as const;

/**
 * The folder of a prefill benchmark model (fp32 only, no safetensors), generated into
 * .cache/models on first use: '350M' is the CodeGen-350M shape (1.4 GB, about a minute),
 * 'wide-vocab' WIDE_VOCAB_CONFIG with the tiny tokenizer (13 MB).
 */
export function prefillModelDir(
  root: string,
  model: PrefillModel,
  log: (line: string) => void,
): string {
  const dir = join(root, '.cache', 'models', model === '350M' ? '350M-fp32' : 'wide-vocab');
  if (['config.json', 'onnx/model.onnx'].every((f) => existsSync(join(dir, f)))) return dir;
  log(`generating the ${model} model into ${dir}`);
  const spec =
    model === '350M'
      ? resolveSpec({ preset: '350M' })
      : resolveSpec({ config: WIDE_VOCAB_CONFIG }, 'tiny');
  generateBenchModel(dir, spec, ['fp32'], log);
  return dir;
}
