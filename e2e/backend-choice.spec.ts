// Which backend Auto takes, and why it says so: on a software WebGPU adapter (SwiftShader, what
// headless Chromium without a GPU gets, as in CI) WASM is many times faster, so Auto takes it.
// WebGPU can still be chosen, and the choice is remembered.

import { chooseBackend, isSoftwareAdapter } from '../src/engine/backend-choice.ts';
import { expect, test } from './fixtures.ts';
import { ModelConsole } from './helpers/model-console.ts';
import { ModelManager } from './helpers/model-manager.ts';
import { PlaygroundPage } from './helpers/playground-page.ts';

const PROMPT = 'def add(a, b):\n';

test.beforeEach(({ page: _page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough');
});

test('Auto takes WASM on a software WebGPU adapter and says why in the panel and status bar', async ({
  page,
}) => {
  const playground = new PlaygroundPage(page);
  await playground.open();
  const ready = await playground.waitForModel();
  const gpu = await new ModelConsole(page).gpuReport();
  test.skip(
    !gpu.available || !isSoftwareAdapter(gpu.adapter),
    'this browser has a hardware GPU: Auto rightly takes WebGPU',
  );

  await expect(ready).toHaveAttribute('data-backend', 'wasm');
  await expect(ready).toHaveAttribute('data-backend-choice', 'auto');
  await expect(page.getByTestId('backend-reason')).toHaveText(
    `Backend: WASM — Auto chose it: ${chooseBackend('auto', gpu).reason}.`,
  );
  await expect(page.getByTestId('backend-reason')).toContainText(
    'the WebGPU adapter is a software fallback',
  );
  await expect(page.getByTestId('status-backend')).toHaveText('WASM (Auto)');
  await expect(page.getByTestId('status-backend')).toHaveAttribute(
    'title',
    /WASM — Auto chose it: the WebGPU adapter is a software fallback/,
  );
  // Before any load the menu says what Auto will do here, and the weights follow that backend.
  await expect(page.getByTestId('backend-select').locator('option[value="auto"]')).toHaveText(
    'Auto (WASM)',
  );
  await expect(page.getByTestId('backend-plan')).toContainText('Auto uses WASM here');
  await page.getByTestId('model-select').selectOption('codegen-350M-mono');
  await expect(page.getByTestId('dtype-select')).toHaveValue('q8');

  await playground.setText(PROMPT);
  await playground.configure({ greedy: true, maxNewTokens: 8 });
  expect((await playground.generate()).length).toBeGreaterThan(PROMPT.length);
});

test('WebGPU chosen by hand loads on WebGPU and generates, and the choice survives a reload', async ({
  page,
}) => {
  const playground = new PlaygroundPage(page);
  const models = new ModelManager(page);
  await playground.open();
  await playground.waitForModel();

  await models.choose({ dtype: 'fp32', backend: 'webgpu' });
  await models.load();
  await expect(models.loaded).toHaveAttribute('data-backend', 'webgpu', { timeout: 90_000 });
  await expect(models.loaded).toHaveAttribute('data-backend-choice', 'webgpu');
  await expect(page.getByTestId('backend-reason')).toHaveText(
    'Backend: WebGPU — chosen in the Backend menu.',
  );
  await expect(page.getByTestId('status-backend')).toHaveText('WebGPU');
  await playground.setText(PROMPT);
  await playground.configure({ greedy: true, maxNewTokens: 4 });
  const onGpu = await playground.generate();
  expect(onGpu.length).toBeGreaterThan(PROMPT.length);
  await expect(playground.stats).toHaveAttribute('data-status', 'done');

  // The next visit loads the tiny model on the remembered backend by itself.
  await page.reload();
  await expect(page.getByTestId('backend-select')).toHaveValue('webgpu');
  await expect(await playground.waitForModel()).toHaveAttribute('data-backend', 'webgpu', {
    timeout: 90_000,
  });

  // Back to Auto: remembered as well.
  await models.choose({ backend: 'auto' });
  await page.reload();
  await expect(page.getByTestId('backend-select')).toHaveValue('auto');
  await expect(await playground.waitForModel()).toHaveAttribute('data-backend-choice', 'auto');
});
