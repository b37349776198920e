// npm run make-model -- (--preset tiny|350M | --config config.json) [--seed N]
//   [--tokenizer codegen|tiny] [--variants fp32,q4,q8,...] [--fp16-io] [--no-safetensors] --out DIR
// --variants takes transformers.js dtypes (fp32 fp16 q4 q4f16 int8 uint8 q8 bnb4; default all); --fp16-io
// writes fp16/q4f16 with float16 inputs and outputs (no published file has them).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PRESETS } from './config.ts';
import type { PresetName } from './config.ts';
import { generateModel } from './generate.ts';
import { PUBLISHED_DTYPES } from './onnx/passes/index.ts';
import type { PublishedDtype } from './onnx/passes/index.ts';
import { DEFAULT_SEED, resolveSpec } from './model-spec.ts';

const USAGE =
  'usage: make-model (--preset tiny|350M | --config config.json) [--seed N] ' +
  `[--tokenizer codegen|tiny] [--variants ${PUBLISHED_DTYPES.join(',')}] [--fp16-io] ` +
  '[--no-safetensors] --out DIR';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      config: { type: 'string' },
      seed: { type: 'string' },
      tokenizer: { type: 'string' },
      variants: { type: 'string' },
      'no-safetensors': { type: 'boolean' },
      'fp16-io': { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (!values.out) fail('--out is required');
  if (!values.preset === !values.config) fail('give exactly one of --preset and --config');
  if (values.preset && !(values.preset in PRESETS)) fail(`unknown preset ${values.preset}`);
  const tokenizer = values.tokenizer;
  if (tokenizer !== undefined && tokenizer !== 'codegen' && tokenizer !== 'tiny')
    fail(`unknown tokenizer ${tokenizer}`);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    fail('--seed must be an integer in [0, 2^32)');
  const variants = (values.variants ?? PUBLISHED_DTYPES.join(',')).split(',') as PublishedDtype[];
  if (variants.some((v) => !PUBLISHED_DTYPES.includes(v)))
    fail(`bad --variants ${values.variants}`);

  const source = values.preset
    ? { preset: values.preset as PresetName }
    : { config: JSON.parse(readFileSync(values.config ?? '', 'utf8')) as unknown };
  const spec = resolveSpec(source, tokenizer);
  const t0 = performance.now();
  generateModel({
    dims: spec.dims,
    seed,
    tokenizer: spec.tokenizer,
    outDir: values.out,
    variants,
    skipSafetensors: values['no-safetensors'] ?? false,
    fp16Io: values['fp16-io'] ?? false,
    log: (m) => console.log(m),
  });
  console.log(`wrote ${values.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main();
