// Golden test: greedy decoding of the seeded tiny model gives a known token sequence.
// The ids were computed once with the plain-TS reference (src/engine/reference) and are
// hard-coded, so a change to the generator, the reference, the tokenizer or the ONNX path
// shows up here. Regenerating the tiny model on purpose (GENERATOR_VERSION, seed) means
// updating these numbers from the reference, never from the engine.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from './generate.ts';
import { parseGenerationParams } from './generation/params.ts';
import type { LoadedModel } from './loader/load-model.ts';
import { referenceGreedy } from './reference/greedy.ts';
import { loadSafetensors } from './reference/safetensors.ts';
import type { CodegenConfig } from './reference/types.ts';
import { loadTiny, tinyModelDir } from '../../scripts/make-model/tiny-model.ts';

const PROMPT = 'def fibonacci(n):\n';
const PROMPT_IDS = [295, 289, 105, 98, 258, 849, 881, 40, 110, 291, 10];
const GOLDEN_IDS = [445, 992, 736, 344, 132, 688, 888, 243, 409, 499, 313, 697];

let model: LoadedModel;
beforeAll(async () => {
  model = await loadTiny('fp32');
});
afterAll(() => model.lm.release());

describe('golden greedy tokens of the seeded tiny model', () => {
  it('the tokenizer gives the fixed prompt ids', () => {
    expect(model.tokenizer.encode(PROMPT)).toEqual(PROMPT_IDS);
  });

  it('the reference forward pass gives the golden ids', () => {
    const dir = tinyModelDir();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as CodegenConfig;
    const weights = loadSafetensors(readFileSync(join(dir, 'model.safetensors')));
    const ids = referenceGreedy(weights, config, PROMPT_IDS, GOLDEN_IDS.length, {
      vocabLimit: model.tokenizer.size,
      eosId: model.config.eosId,
    });
    expect(ids).toEqual(GOLDEN_IDS);
  });

  it('onnxruntime (fp32, WASM, KV cache) gives the golden ids', async () => {
    const result = await generate(
      model.lm,
      (ids) => model.tokenizer.decode(ids),
      {
        contextLength: model.config.contextLength,
        vocabLimit: model.tokenizer.size,
        eosId: model.config.eosId,
      },
      {
        prompts: [PROMPT_IDS],
        params: parseGenerationParams({ mode: 'greedy', maxNewTokens: GOLDEN_IDS.length }),
      },
    );
    expect(result.rows[0]?.ids).toEqual(GOLDEN_IDS);
  });
});
