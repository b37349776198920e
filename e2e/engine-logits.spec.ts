// onnxruntime-web in headless Chromium (WebGPU on SwiftShader, and WASM) against the
// plain-TypeScript reference forward pass run here in Node, on the app's tiny model.
//
// Error metric: max |browser - reference| / max |reference| over the next-token logits.
//   fp32 vs reference:                           ≤ 1e-4 (fp32 summation order only)
//   q4 vs reference on dequantized weights:      ≤ 1e-4 (MatMulNBits dequantizes to fp32)
//   q8 (WASM) vs the simulated integer path:     ≤ 1e-3 (same int32 products)
// the same bounds as scripts/make-model/dtypes.test.ts uses under Node.

import { expect, test } from './fixtures.ts';
import { ModelConsole } from './helpers/model-console.ts';
import type { Backend } from '../src/shared/contracts/model-worker.ts';
import type { TinyDtype } from './helpers/model-console.ts';
import { ModelManager } from './helpers/model-manager.ts';
import { relativeError, TinyReference } from './helpers/tiny-reference.ts';

// 'def fibonacci(n):\n' in the tiny tokenizer (src/engine/golden.test.ts checks this encoding).
const PROMPT_IDS = [295, 289, 105, 98, 258, 849, 881, 40, 110, 291, 10];
const GREEDY_TOKENS = 12;
const TOKENIZER_SIZE = 1024; // ids the sampler may pick; the embedding has 1088 rows
const EOS_ID = 1008;

const TOLERANCE: Record<TinyDtype, number> = { fp32: 1e-4, q4: 1e-4, q8: 1e-3 };
const DTYPES: Record<Backend, TinyDtype[]> = {
  webgpu: ['fp32', 'q4'],
  wasm: ['fp32', 'q4', 'q8'], // q8 runs MatMulInteger, which onnxruntime has on the CPU only
};

let reference: TinyReference;
test.beforeAll(() => {
  reference = TinyReference.load('public/models/tiny');
});

for (const backend of ['webgpu', 'wasm'] as const) {
  test(`${backend}: next-token logits equal the TypeScript reference, greedy decoding too`, async ({
    page,
  }, testInfo) => {
    test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough');
    const models = new ModelManager(page);
    await models.open();
    const devtools = new ModelConsole(page);

    for (const dtype of DTYPES[backend]) {
      await test.step(`${dtype} logits`, async () => {
        const info = await devtools.loadTiny(dtype, backend);
        expect(info.backend).toBe(backend);
        expect(info.fromCache).toBe(false);
        const logits = await devtools.nextTokenLogits(PROMPT_IDS);
        const error = relativeError(logits, reference.nextTokenLogits(dtype, PROMPT_IDS));
        const measured = `${backend} ${dtype}: ${error.toExponential(2)} (bound ${TOLERANCE[dtype]})`;
        console.log(`relative error ${measured}`);
        testInfo.annotations.push({ type: 'relative error', description: measured });
        expect.soft(error, `${backend} ${dtype} relative error`).toBeLessThan(TOLERANCE[dtype]);
      });
      if (dtype !== 'fp32') continue;
      await test.step('fp32 greedy decoding (KV cache kept on the device)', async () => {
        const ids = await devtools.greedy(PROMPT_IDS, GREEDY_TOKENS);
        expect(ids).toEqual(
          reference.greedy('fp32', PROMPT_IDS, GREEDY_TOKENS, {
            vocabLimit: TOKENIZER_SIZE,
            eosId: EOS_ID,
          }),
        );
      });
    }
  });
}
