import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTinyModel } from '../make-model/ensure-tiny.ts';
import { generateModel } from '../make-model/generate.ts';
import { replaceDir } from '../make-model/replace-dir.ts';
import { DEFAULT_SEED, resolveSpec } from '../make-model/model-spec.ts';
import type { ResolvedModel } from '../make-model/model-spec.ts';
import type { PublishedDtype } from '../make-model/onnx/passes/index.ts';
import { DEFAULT_DTYPES, ONNX_FILE } from './types.ts';
import type { BenchDtype } from './types.ts';

export type BenchModel = 'tiny' | '350M';

/**
 * The folder of the model to measure. `350M` is the real CodeGen-350M shape with random
 * weights (1.4 GB fp32, 714 MB fp16, 387 MB q4, 492 MB q8), generated into
 * .cache/models/350M on first use (about a minute per dtype) with the dtypes the run needs,
 * or a folder of the same model given as `dir` (--model-dir), which must hold them;
 * `tiny` is the app's embedded model, for smoke tests.
 */
export function benchModelDir(
  root: string,
  model: BenchModel,
  dtypes: readonly BenchDtype[],
  log: (line: string) => void,
  dir: string | null = null,
): string {
  if (model === 'tiny') return ensureTinyModel(join(root, 'public', 'models', 'tiny')).outDir;
  const target = dir ?? join(root, '.cache', 'models', '350M');
  const missing = ['config.json', 'tokenizer.json', 'tokenizer_config.json']
    .concat(dtypes.map((d) => ONNX_FILE[d]))
    .filter((file) => !existsSync(join(target, file)));
  if (missing.length === 0) return target;
  if (dir) throw new Error(`${dir} lacks ${missing.join(', ')}`);
  // The folder is replaced whole: it keeps the default dtypes beside the ones asked for.
  const all = [...new Set([...DEFAULT_DTYPES, ...dtypes])];
  log(`generating the 350M model (${all.join(', ')}) into ${target} (about a minute per dtype)`);
  generateBenchModel(target, resolveSpec({ preset: '350M' }), all, log);
  return target;
}

/**
 * Writes a benchmark model (random weights of the default seed, no safetensors) into `dir`,
 * built beside it and swapped in.
 */
export function generateBenchModel(
  dir: string,
  spec: ResolvedModel,
  dtypes: readonly PublishedDtype[],
  log: (line: string) => void,
): void {
  replaceDir(dir, (tmp) =>
    generateModel({
      dims: spec.dims,
      seed: DEFAULT_SEED,
      tokenizer: spec.tokenizer,
      outDir: tmp,
      dtypes,
      skipSafetensors: true,
      log,
    }),
  );
}
