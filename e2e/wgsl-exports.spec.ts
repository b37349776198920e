// The WGSL engine in headless Chromium (WebGPU on SwiftShader), through the app's model
// worker: every weight-only file of both layouts loads on it, and its next-token logits equal
// the plain-TypeScript reference run here in Node on the weights read back from the same file;
// a padded batch's rows equal the rows alone; greedy decoding gives the golden ids; an 8-bit
// file is refused with the way out named.
//
// Error metric (as exports-matrix.spec.ts): max |browser - reference| / max |reference|.
//   fp32, q4 (dequantized): ≤ 1e-4. The float16 files: the reference rotates with the file's
//   float16-rounded sin/cos table, the engine with float32 ones (it computes in float32 on
//   the widened weights), so they are held to the float16 bound (LOGITS_TOLERANCE) and the
//   measured error is recorded. Padded rows against rows alone: ≤ 1e-4.

import { expect, test } from './fixtures.ts';
import { ExportReference, relativeError } from './helpers/export-reference.ts';
import { ModelConsole } from './helpers/model-console.ts';
import { ModelManager } from './helpers/model-manager.ts';
import { LOGITS_TOLERANCE } from '../scripts/make-model/logits-tolerance.ts';
import type { LayoutName } from '../scripts/make-model/onnx/layouts/index.ts';
import type { PublishedDtype } from '../scripts/make-model/onnx/passes/index.ts';

const PROMPT_IDS = [295, 289, 105, 98, 258, 849, 881, 40, 110, 291, 10];
const SHORT_IDS = [77, 5, 600, 31];
const TOKENIZER_SIZE = 1024;
const EOS_ID = 1008;
const PADDED = 1e-4;

const FILES: Array<{ layout: LayoutName; url: string; dir: string; dtypes: PublishedDtype[] }> = [
  {
    layout: 'transformers-js',
    url: '/models/tiny/',
    dir: 'public/models/tiny',
    dtypes: ['fp32', 'fp16', 'q4', 'q4f16'],
  },
  {
    layout: 'merged-decoder',
    url: '/models/tiny-merged/',
    dir: 'public/models/tiny-merged',
    dtypes: ['fp32'],
  },
];

test('every weight-only export runs on the WGSL kernels in Chromium and equals the reference', async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough');
  test.setTimeout(600_000);
  await new ModelManager(page).open();
  const devtools = new ModelConsole(page);
  for (const { layout, url, dir, dtypes } of FILES) {
    const reference = ExportReference.load(dir, layout);
    for (const dtype of dtypes) {
      await test.step(`${layout} ${dtype}`, async () => {
        const info = await devtools.load(url, reference.path(dtype), 'webgpu', 'wgsl');
        expect(info.engine).toBe('wgsl');
        const logits = await devtools.nextTokenLogits(PROMPT_IDS);
        const error = relativeError(logits, reference.nextTokenLogits(dtype, PROMPT_IDS));
        const [paddedShort, paddedLong] = await devtools.batchLogits([SHORT_IDS, PROMPT_IDS]);
        const padded = Math.max(
          relativeError(paddedShort!, await devtools.nextTokenLogits(SHORT_IDS)),
          relativeError(paddedLong!, logits),
        );
        testInfo.annotations.push({
          type: 'wgsl',
          description: `${layout} ${dtype}: logits ${error.toExponential(2)}, padded rows ${padded.toExponential(2)}`,
        });
        expect.soft(error, `${layout} ${dtype} logits`).toBeLessThan(LOGITS_TOLERANCE[dtype]);
        expect.soft(padded, `${layout} ${dtype} padded rows`).toBeLessThan(PADDED);
        if (dtype === 'fp32') {
          expect(await devtools.greedy(PROMPT_IDS, 12)).toEqual(
            reference.greedyFp32(PROMPT_IDS, 12, { vocabLimit: TOKENIZER_SIZE, eosId: EOS_ID }),
          );
        }
      });
    }
  }
  await expect(
    devtools.load('/models/tiny/', 'onnx/model_quantized.onnx', 'webgpu', 'wgsl'),
  ).rejects.toThrow(/8-bit dynamic quantization .* not supported by the WGSL engine/);
});
