// npm run make-model -- (--preset tiny|350M | --config config.json) [--seed N]
//   [--tokenizer codegen|tiny] [--layout transformers-js|merged-decoder|compact]
//   [--dtypes fp32,q4,...] [--fp16-io] [--no-safetensors] --out DIR
// --dtypes takes transformers.js dtypes (fp32 fp16 q4 q4f16 int8 uint8 q8 bnb4; default: every
// dtype the layout publishes); --fp16-io writes fp16/q4f16 with float16 inputs and outputs
// (no published file has them; tests use one to check float16 logits).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PRESETS } from './config.ts';
import type { PresetName } from './config.ts';
import { generateModel } from './generate.ts';
import { DEFAULT_LAYOUT, isLayoutName, layoutDtypes } from './onnx/layouts/index.ts';
import type { PublishedDtype } from './onnx/passes/index.ts';
import { DEFAULT_SEED, resolveSpec } from './model-spec.ts';

const USAGE =
  'usage: make-model (--preset tiny|350M | --config config.json) [--seed N] ' +
  '[--tokenizer codegen|tiny] [--layout transformers-js|merged-decoder|compact] ' +
  '[--dtypes fp32,q4,...] [--fp16-io] [--no-safetensors] --out DIR';

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
      layout: { type: 'string' },
      dtypes: { type: 'string' },
      'fp16-io': { type: 'boolean' },
      'no-safetensors': { type: 'boolean' },
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
  const layout = values.layout ?? DEFAULT_LAYOUT;
  if (!isLayoutName(layout)) fail(`unknown layout ${layout}`);
  const published = layoutDtypes(layout);
  const dtypes = values.dtypes === undefined ? published : values.dtypes.split(',');
  const unknown = dtypes.filter((d) => !(published as string[]).includes(d));
  if (unknown.length > 0)
    fail(`layout ${layout} publishes ${published.join(', ')}; not ${unknown.join(', ')}`);

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
    layout,
    dtypes: dtypes as PublishedDtype[],
    fp16Io: values['fp16-io'] ?? false,
    skipSafetensors: values['no-safetensors'] ?? false,
    log: (m) => console.log(m),
  });
  console.log(`wrote ${values.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main();
