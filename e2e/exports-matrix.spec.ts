// Every graph layout × dtype the generator writes, on each backend of headless Chromium
// (WebGPU on SwiftShader, and WASM), through the app's model worker: either the registry
// refuses it before any download, with its reason, or it loads and its next-token logits equal
// the plain-TypeScript reference run here in Node on the weights read back from the same file.
//
// Error metric: max |browser - reference| / max |reference| over the next-token logits.
//   fp32                vs the weights:                     ≤ 1e-4 (summation order only)
//   q4, bnb4            vs the dequantized weights:         ≤ 1e-4 (float32 after dequantizing)
//   int8, uint8, q8     vs the integer path simulated:      ≤ 1e-3 (same int32 products)
//   fp16, q4f16         vs float16-rounded weights in fp32: ≤ 2e-3 (float16 activations)
// Left-padded batches: each row of a padded batch against the row alone; and the same batch
// prefilled in chunks (the engine's bounded logits) against it prefilled at once.
//   Every dtype but the 8-bit ones: ≤ 1e-4 (masked columns add exact zeros; the merged decoder,
//   which has no position_ids, shifts a padded row's positions, and RoPE is relative).
//   int8, uint8, q8: ≤ PADDED_8BIT; DynamicQuantizeLinear takes ONE scale for the whole
//   activation tensor, so a row's activations are rounded on a grid its batch-mates (and, in
//   a chunked prefill, the other tokens of its chunk) set: rows and chunks are not
//   independent in these exports (measured and reported, not hidden).
// A refused pair is also forced through the worker once, to record what would happen; that
// measurement is reported, never asserted.

import { expect, test } from './fixtures.ts';
import { ExportReference, relativeError } from './helpers/export-reference.ts';
import { ModelConsole } from './helpers/model-console.ts';
import type { Backend } from './helpers/model-console.ts';
import { ModelManager } from './helpers/model-manager.ts';
import { TEST_REPOS, TestHub } from './helpers/test-hub.ts';
import type { LayoutName } from '../scripts/make-model/onnx/layouts/index.ts';
import { layoutDtypes } from '../scripts/make-model/onnx/layouts/index.ts';
import { FP16_TOLERANCE, LOGITS_TOLERANCE } from '../scripts/make-model/logits-tolerance.ts';
import type { PublishedDtype } from '../scripts/make-model/onnx/passes/index.ts';
import { checkCompatibility } from '../src/engine/registry/compat.ts';
import { TINY, TINY_MERGED } from '../src/engine/registry/models.ts';
import type { ModelEntry } from '../src/engine/registry/types.ts';

// 'def fibonacci(n):\n' in the tiny tokenizer (src/engine/golden.test.ts checks this encoding).
const PROMPT_IDS = [295, 289, 105, 98, 258, 849, 881, 40, 110, 291, 10];
const SHORT_IDS = [77, 5, 600, 31];
const GREEDY_TOKENS = 12;
const TOKENIZER_SIZE = 1024; // ids the sampler may pick; the embedding has 1088 rows
const EOS_ID = 1008;

const EIGHT_BIT: readonly PublishedDtype[] = ['int8', 'uint8', 'q8'];
const PADDED = 1e-4;
const PADDED_8BIT = 5e-2;
/** Columns per prefill chunk in the chunked check: 11 tokens make chunks of 3, 3, 3 and 2. */
const CHUNK_COLUMNS = 3;

interface Layout {
  name: LayoutName;
  /** The folder the app serves, and where the reference reads it here. */
  url: string;
  dir: string;
  entry: ModelEntry;
}

const LAYOUTS: Layout[] = [
  { name: 'transformers-js', url: '/models/tiny/', dir: 'public/models/tiny', entry: TINY },
  {
    name: 'merged-decoder',
    url: '/models/tiny-merged/',
    dir: 'public/models/tiny-merged',
    entry: TINY_MERGED,
  },
];

for (const backend of ['webgpu', 'wasm'] as const satisfies readonly Backend[]) {
  test(`${backend}: every layout × dtype runs and equals the reference, or is refused with a reason`, async ({
    page,
  }, testInfo) => {
    test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough');
    test.setTimeout(600_000);
    const models = new ModelManager(page);
    await models.open();
    const devtools = new ModelConsole(page);
    const shaderF16 = backend === 'webgpu' && (await devtools.gpuHasShaderF16());
    const table: string[] = [];
    const report = (line: string): void => {
      table.push(line);
      console.log(line);
      testInfo.annotations.push({ type: 'matrix', description: line });
    };

    for (const layout of LAYOUTS) {
      const reference = ExportReference.load(layout.dir, layout.name);
      for (const dtype of layoutDtypes(layout.name)) {
        await test.step(`${layout.name} ${dtype}`, async () => {
          const verdict = checkCompatibility(
            layout.entry,
            dtype,
            { webgpu: backend === 'webgpu', shaderF16 },
            backend,
          );
          const path = reference.path(dtype);
          if (!verdict.ok) {
            expect(verdict.reasons.length).toBeGreaterThan(0);
            const why = verdict.reasons.map((r) => r.message).join(' ');
            // What it would do if loaded anyway (for the record; not asserted).
            const forced = await devtools
              .load(layout.url, path, backend)
              .then(async () => {
                const logits = await devtools.nextTokenLogits(PROMPT_IDS);
                const error = relativeError(logits, reference.nextTokenLogits(dtype, PROMPT_IDS));
                return `forced: logits error ${error.toExponential(2)}`;
              })
              .catch((error: unknown) => `forced: fails (${String(error).slice(0, 120)})`);
            report(`| ${layout.name} | ${dtype} | ${backend} | refused: ${why} | ${forced} |`);
            return;
          }

          const info = await devtools.load(layout.url, path, backend);
          expect(info.backend).toBe(backend);
          const logits = await devtools.nextTokenLogits(PROMPT_IDS);
          const error = relativeError(logits, reference.nextTokenLogits(dtype, PROMPT_IDS));

          const [paddedShort, paddedLong] = await devtools.batchLogits([SHORT_IDS, PROMPT_IDS]);
          const aloneShort = await devtools.nextTokenLogits(SHORT_IDS);
          const padded = Math.max(
            relativeError(paddedShort!, aloneShort),
            relativeError(paddedLong!, logits),
          );
          const paddedBound = EIGHT_BIT.includes(dtype) ? PADDED_8BIT : PADDED;
          // The same batch with the prefill run as chunks of CHUNK_COLUMNS columns (the tiny
          // vocabulary never needs chunks at the default budget; 51,200 ids do).
          const chunked = await devtools.batchLogits(
            [SHORT_IDS, PROMPT_IDS],
            2 * CHUNK_COLUMNS * reference.config.vocab_size * 4,
          );
          const chunkError = Math.max(
            relativeError(chunked[0]!, paddedShort!),
            relativeError(chunked[1]!, paddedLong!),
          );
          report(
            `| ${layout.name} | ${dtype} | ${backend} | runs | logits ${error.toExponential(2)} (≤ ${LOGITS_TOLERANCE[dtype]}), padded rows ${padded.toExponential(2)}, chunked prefill ${chunkError.toExponential(2)} (≤ ${paddedBound}) |`,
          );
          expect
            .soft(error, `${layout.name} ${dtype} ${backend} logits`)
            .toBeLessThan(LOGITS_TOLERANCE[dtype]);
          expect
            .soft(padded, `${layout.name} ${dtype} ${backend} padded rows`)
            .toBeLessThan(paddedBound);
          expect
            .soft(chunkError, `${layout.name} ${dtype} ${backend} chunked prefill`)
            .toBeLessThan(paddedBound);

          if (dtype === 'fp32') {
            // The golden sequence: greedy decoding with the KV cache kept by the engine.
            const ids = await devtools.greedy(PROMPT_IDS, GREEDY_TOKENS);
            expect(ids).toEqual(
              reference.greedyFp32(PROMPT_IDS, GREEDY_TOKENS, {
                vocabLimit: TOKENIZER_SIZE,
                eosId: EOS_ID,
              }),
            );
          }
        });
      }
    }
    await testInfo.attach(`matrix-${backend}.md`, {
      body: table.join('\n'),
      contentType: 'text/markdown',
    });
  });
}

test('float16 logits and KV cache (Float16Array in this browser) are read as float32', async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough');
  const models = new ModelManager(page);
  await models.open();
  const devtools = new ModelConsole(page);
  const hub = new TestHub();
  const path = 'onnx/model_fp16.onnx';
  // The published fp16 file (float32 I/O) is the yardstick; the float16-I/O file differs only
  // by where onnxruntime can fuse without the I/O Casts.
  await devtools.load('/models/tiny/', path, 'wasm');
  const expected = await devtools.nextTokenLogits(PROMPT_IDS);
  const expectedGreedy = await devtools.greedy(PROMPT_IDS, 6);

  const info = await devtools.load(
    `${hub.url}/${TEST_REPOS.tinyFp16Io}/resolve/main/`,
    path,
    'wasm',
  );
  expect(info.backend).toBe('wasm');
  const logits = await devtools.nextTokenLogits(PROMPT_IDS);
  const error = relativeError(logits, expected);
  testInfo.annotations.push({ type: 'float16 I/O error', description: error.toExponential(2) });
  expect(error).toBeLessThan(FP16_TOLERANCE);
  // Decoding feeds the float16 presents back as the next step's past.
  expect(await devtools.greedy(PROMPT_IDS, 6)).toEqual(expectedGreedy);
});
