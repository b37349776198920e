// Generates the app's embedded tiny model only when missing or stale.
// Staleness: a stamp file records the generator version, seed and a hash of the
// tokenizer files; any change (or a missing output file) triggers regeneration.
// Run directly: `tsx scripts/make-model/ensure-tiny.ts [outDir]` (default public/models/tiny).

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateModel, GENERATOR_VERSION, ONNX_FILES } from './generate.ts';
import { DEFAULT_SEED, resolveSpec } from './model-spec.ts';
import { fnv1a } from './rng.ts';

const STAMP_FILE = '.make-model-stamp.json';
const EXPECTED_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'model.safetensors',
  ...Object.values(ONNX_FILES).map((f) => `onnx/${f}`),
];

export interface EnsureResult {
  regenerated: boolean;
  outDir: string;
}

export function ensureTinyModel(outDir: string, log: (m: string) => void = () => {}): EnsureResult {
  const dir = resolve(outDir);
  const spec = resolveSpec({ preset: 'tiny' });
  const stamp = JSON.stringify({
    generator: GENERATOR_VERSION,
    preset: 'tiny',
    seed: DEFAULT_SEED,
    tokenizer: fnv1a(JSON.stringify(spec.tokenizer)).toString(16),
  });
  const stampPath = join(dir, STAMP_FILE);
  const fresh =
    existsSync(stampPath) &&
    readFileSync(stampPath, 'utf8') === stamp &&
    EXPECTED_FILES.every((f) => existsSync(join(dir, f)));
  if (fresh) return { regenerated: false, outDir: dir };

  // Build beside the target and swap, so a concurrent reader never sees half a model.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  generateModel({
    dims: spec.dims,
    seed: DEFAULT_SEED,
    tokenizer: spec.tokenizer,
    outDir: tmp,
    log,
  });
  writeFileSync(join(tmp, STAMP_FILE), stamp);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { regenerated: true, outDir: dir };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const t0 = performance.now();
  const { regenerated, outDir } = ensureTinyModel(
    process.argv[2] ?? 'public/models/tiny',
    console.log,
  );
  const ms = (performance.now() - t0).toFixed(0);
  console.log(`${regenerated ? 'generated' : 'up to date'}: ${outDir} (${ms} ms)`);
}
