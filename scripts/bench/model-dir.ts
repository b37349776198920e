import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTinyModel } from '../make-model/ensure-tiny.ts';
import { generateModel } from '../make-model/generate.ts';
import { replaceDir } from '../make-model/replace-dir.ts';
import { DEFAULT_SEED, resolveSpec } from '../make-model/model-spec.ts';
import type { ResolvedModel } from '../make-model/model-spec.ts';
import type { PublishedDtype } from '../make-model/onnx/passes/index.ts';
import { DTYPES, ONNX_FILE } from './types.ts';

export type BenchModel = 'tiny' | '350M';

/**
 * The folder of the model to measure. `350M` is the real CodeGen-350M shape with random
 * weights (1.4 GB fp32, 387 MB q4, 492 MB q8), generated into .cache/models/350M on first
 * use (about a minute); `tiny` is the app's embedded model, for smoke tests.
 */
export function benchModelDir(
  root: string,
  model: BenchModel,
  log: (line: string) => void,
): string {
  if (model === 'tiny') return ensureTinyModel(join(root, 'public', 'models', 'tiny')).outDir;
  const dir = join(root, '.cache', 'models', '350M');
  const needed = ['config.json', 'tokenizer.json', 'tokenizer_config.json'].concat(
    DTYPES.map((d) => ONNX_FILE[d]),
  );
  if (needed.every((file) => existsSync(join(dir, file)))) return dir;
  log(`generating the 350M model into ${dir} (about a minute, 2.3 GB)`);
  generateBenchModel(dir, resolveSpec({ preset: '350M' }), DTYPES, log);
  return dir;
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
