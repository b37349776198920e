// What the registry tells before any download: each dtype's size in the weights menu, the
// dtypes a backend cannot run disabled with the reason, the hub's files per model, and a
// config.json the loader refuses with its field and file named.

import { DTYPE_TRAITS } from '../src/engine/registry/dtypes.ts';
import { CODEGEN_350M_MONO } from '../src/engine/registry/models.ts';
import type { BackendSupport } from '../src/engine/registry/types.ts';
import { sizeText } from '../src/model-manager/dtype-choices.ts';
import { BAD_CONFIG_EOS_ID } from '../scripts/test-hub/models.ts';
import { expect, test } from './fixtures.ts';
import { ModelManager } from './helpers/model-manager.ts';
import { TEST_REPOS, TestHub } from './helpers/test-hub.ts';

const MONO = 'Xenova/codegen-350M-mono';
const hub = new TestHub();
let models: ModelManager;

/** The registry's reason, as the UI must show it. */
function reasonOf(support: BackendSupport): string {
  if (support.runs) throw new Error('expected a refusal');
  return support.reason;
}

test.beforeEach(async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'the registry does not depend on isolation');
  await hub.reset();
  models = new ModelManager(page);
  await models.open(hub.appQuery);
});

test('the weights menu shows sizes, and disables float16 on a GPU without shader-f16, saying why', async () => {
  await models.pickModel('codegen-350M-mono');
  await models.choose({ backend: 'wasm' });

  // Exact sizes from the hub's LFS pointers, "≈" where only the listing was seen.
  const q4 = CODEGEN_350M_MONO.dtypes.q4?.file;
  expect(q4 && sizeText(q4)).toBe('383 MB');
  await expect(models.dtypeOption('q4')).toHaveText('q4 · 383 MB');
  await expect(models.dtypeOption('q4')).toBeEnabled();
  await expect(models.dtypeOption('q8')).toHaveText('q8 · ≈341 MB');
  await expect(models.dtypeMenu).toHaveValue('q8');
  // float16 weights run on WASM (computed in float32 behind the Casts onnxruntime inserts).
  for (const dtype of ['fp16', 'q4f16']) await expect(models.dtypeOption(dtype)).toBeEnabled();

  // SwiftShader, the GPU here, offers no shader-f16.
  await models.choose({ backend: 'webgpu' });
  for (const dtype of ['fp16', 'q4f16']) {
    await expect(models.dtypeOption(dtype)).toBeDisabled();
    await expect(models.dtypeOption(dtype)).toContainText('unavailable on WebGPU');
  }
  await expect(models.dtypeRefusals).toContainText(
    'fp16 weights need the WebGPU feature shader-f16',
  );
  await expect(models.dtypeMenu).toHaveAccessibleDescription(/shader-f16/);
  expect(await hub.downloads(MONO)).toEqual([]);
});

test('int8 is refused on WebGPU with its reason, and the suggested weights load', async ({
  page,
}, testInfo) => {
  // The tiny model is published in every dtype; int8 runs on WASM.
  await models.choose({ backend: 'wasm' });
  await models.choose({ dtype: 'int8' });
  await expect(models.compatWarning).toHaveCount(0);

  await models.choose({ backend: 'webgpu' });
  const reason = reasonOf(DTYPE_TRAITS.int8.support.webgpu);
  await expect(models.compatWarning).toContainText(`int8 is not offered on WebGPU: ${reason}`);
  await expect(models.loadButton).toBeDisabled();
  await expect(models.loadButton).toHaveAccessibleDescription(/MatMulInteger/);
  for (const dtype of ['uint8', 'q8', 'bnb4'])
    await expect(models.dtypeOption(dtype)).toBeDisabled();
  await expect(models.dtypeRefusals).toContainText(`int8, uint8, q8: ${reason}`);
  await expect(models.dtypeRefusals).toContainText(
    `bnb4: ${reasonOf(DTYPE_TRAITS.bnb4.support.webgpu)}`,
  );
  await page
    .getByTestId('model-panel')
    .screenshot({ path: testInfo.outputPath('int8-on-webgpu.png') });

  await models.compatWarning.getByRole('button', { name: 'Use q4' }).click();
  await expect(models.compatWarning).toHaveCount(0);
  await expect(models.dtypeMenu).toHaveValue('q4');
  await expect(models.loadButton).toBeEnabled();
});

test('"What the hub has" lists each file, its size, layout and backends, and what is left out', async ({
  page,
}, testInfo) => {
  const multi = await models.hubTable('CodeGen 350M multi (6 languages)');
  await expect(multi).toContainText('Xenova/codegen-350M-multi · optimum merged decoder (2023)');
  await expect(multi).toContainText('no position_ids input');
  const row = (dtype: string) =>
    multi
      .getByTestId('catalog-row')
      .filter({ has: page.getByRole('rowheader', { name: dtype, exact: true }) });
  const cells = (dtype: string) => row(dtype).getByRole('cell');
  // File, Download, WebGPU, WASM.
  await expect(cells('fp32').nth(0)).toHaveText('onnx/decoder_model_merged.onnx');
  await expect(cells('fp32').nth(1)).toHaveText('≈1.34 GB');
  await expect(cells('fp32').nth(2)).toHaveText('✓');
  // The fp32 merged decoder does not fit the WASM heap (measured on a file of its shape).
  await expect(cells('fp32').nth(3)).toHaveText(/^✗ see note \d$/);
  await expect(cells('q8').nth(0)).toHaveText('onnx/decoder_model_merged_quantized.onnx');
  await expect(cells('q8').nth(2)).toHaveText(/^✗ see note \d$/);
  await expect(cells('q8').nth(3)).toHaveText('✓');
  const files = models.catalog
    .getByTestId('model-files')
    .filter({ hasText: 'Xenova/codegen-350M-multi' });
  await expect(files.getByRole('list', { name: /^Notes on CodeGen 350M multi/ })).toContainText(
    reasonOf(DTYPE_TRAITS.q8.support.webgpu),
  );
  await expect(files.getByRole('list', { name: /^Notes on CodeGen 350M multi/ })).toContainText(
    'does not fit the WASM heap',
  );
  await expect(files.getByTestId('left-out')).toContainText(
    'onnx/decoder_model_fp16.onnx (≈690 MB): fp16 without past_key_values inputs',
  );

  await files.screenshot({ path: testInfo.outputPath('what-the-hub-has-multi.png') });

  const mono = await models.hubTable('CodeGen 350M mono (Python)');
  await expect(mono.getByTestId('catalog-row')).toHaveCount(8);
  await expect(mono).toContainText('onnx/model_bnb4.onnx');
  // The merged tiny model is for tests: neither in the menu nor in the catalog.
  await expect(
    models.catalog.getByRole('table', { name: /Tiny CodeGen, merged decoder/ }),
  ).toHaveCount(0);
  await expect(page.getByTestId('model-select').locator('option[value="tiny-merged"]')).toHaveCount(
    0,
  );
});

test('a config.json with an eos id outside the vocabulary is refused by name, and the model in use stays', async () => {
  const repo = TEST_REPOS.badConfig;
  await models.useHubRepo(repo);
  await models.choose({ dtype: 'fp32', backend: 'wasm' });
  await models.load();
  await expect(models.error).toHaveAttribute('data-code', 'bad-model');
  await expect(models.error).toContainText(
    `${repo}/config.json: eos_token_id ${BAD_CONFIG_EOS_ID} is outside the vocabulary (vocab_size 1088).`,
  );
  await expect(models.error).toContainText('Token ids must be below vocab_size');
  // Refused before the weights were fetched, and before any session.
  expect(await hub.downloads(repo, 'onnx/model.onnx')).toEqual([]);
  await expect(models.loaded).toContainText('Loaded Tiny CodeGen');
  await expect(models.loaded).toContainText('It is still loaded and in use');
});
