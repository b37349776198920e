// Generates the app's embedded tiny models only when missing or stale.
// Staleness: a stamp file records the generator version, layout, dtypes, seed and a hash of the
// tokenizer files; any change (or a missing output file) triggers regeneration.
// Run directly: `tsx scripts/make-model/ensure-tiny.ts [outDir] [transformers-js|merged-decoder]`
// (default public/models/tiny, transformers-js).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateModel, GENERATOR_VERSION } from './generate.ts';
import { replaceDir } from './replace-dir.ts';
import { DEFAULT_SEED, resolveSpec } from './model-spec.ts';
import { onnxFile } from './onnx/layouts/index.ts';
import type { LayoutName } from './onnx/layouts/index.ts';
import type { PublishedDtype } from './onnx/passes/index.ts';
import { fnv1a } from './rng.ts';

const STAMP_FILE = '.make-model-stamp.json';

/** The tiny models the app and tests embed: which layout, which dtypes. */
export const TINY_MODELS = {
  // public/models/tiny: the Xenova/codegen-350M-mono shape of graph, in every dtype it has.
  'transformers-js': {
    layout: 'transformers-js',
    dtypes: ['fp32', 'fp16', 'q4', 'q4f16', 'int8', 'uint8', 'q8', 'bnb4'],
  },
  // public/models/tiny-merged: the -multi / -nl merged decoder (If + use_cache_branch), in
  // the two dtypes those repositories have.
  'merged-decoder': { layout: 'merged-decoder', dtypes: ['fp32', 'q8'] },
  // The test hub's test/tiny-fp16-io: fp16 with float16 logits and KV cache, which no published
  // file has, so the engine's float16 output path (Float16Array in browsers) is exercised.
  'fp16-io': { layout: 'transformers-js', dtypes: ['fp16'], fp16Io: true },
} as const satisfies Record<
  string,
  { layout: LayoutName; dtypes: readonly PublishedDtype[]; fp16Io?: boolean }
>;

export type TinyModelName = keyof typeof TINY_MODELS;

export interface EnsureResult {
  regenerated: boolean;
  outDir: string;
}

export function ensureTinyModel(
  outDir: string,
  log: (m: string) => void = () => {},
  name: TinyModelName = 'transformers-js',
): EnsureResult {
  const dir = resolve(outDir);
  const tiny: { layout: LayoutName; dtypes: readonly PublishedDtype[]; fp16Io?: boolean } =
    TINY_MODELS[name];
  const { layout, dtypes } = tiny;
  const fp16Io = tiny.fp16Io ?? false;
  const spec = resolveSpec({ preset: 'tiny' });
  const stamp = JSON.stringify({
    generator: GENERATOR_VERSION,
    preset: 'tiny',
    layout,
    dtypes,
    fp16Io,
    seed: DEFAULT_SEED,
    tokenizer: fnv1a(JSON.stringify(spec.tokenizer)).toString(16),
  });
  const expectedFiles = [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'model.safetensors',
    ...dtypes.map((d) => onnxFile(layout, d)),
  ];
  const stampPath = join(dir, STAMP_FILE);
  const fresh =
    existsSync(stampPath) &&
    readFileSync(stampPath, 'utf8') === stamp &&
    expectedFiles.every((f) => existsSync(join(dir, f)));
  if (fresh) return { regenerated: false, outDir: dir };

  replaceDir(dir, (tmp) => {
    generateModel({
      dims: spec.dims,
      seed: DEFAULT_SEED,
      tokenizer: spec.tokenizer,
      outDir: tmp,
      layout,
      dtypes,
      fp16Io,
      log,
    });
    writeFileSync(join(tmp, STAMP_FILE), stamp);
  });
  return { regenerated: true, outDir: dir };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const t0 = performance.now();
  const name = process.argv[3] ?? 'transformers-js';
  if (!(name in TINY_MODELS)) throw new Error(`unknown tiny model ${name}`);
  const { regenerated, outDir } = ensureTinyModel(
    process.argv[2] ?? 'public/models/tiny',
    console.log,
    name as TinyModelName,
  );
  const ms = (performance.now() - t0).toFixed(0);
  console.log(`${regenerated ? 'generated' : 'up to date'}: ${outDir} (${ms} ms)`);
}
