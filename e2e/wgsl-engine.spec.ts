// The WGSL engine in the page, picked by ?engine=wgsl: the tiny model loads on it, the
// playground's greedy text equals onnxruntime's (the command line's, the golden the other
// specs hold the app to), an MTPB run finishes on it, and the UI says which engine runs.
// It needs WebGPU: the remembered Backend choice is set to WebGPU before the page opens,
// since Auto takes WASM on headless Chromium's software adapter (SwiftShader).

import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { BenchmarkPage } from './helpers/benchmark-page.ts';
import { cliGenerate } from './helpers/cli.ts';
import { GeneratePage } from './helpers/generate-page.ts';

const PROMPT = 'def fibonacci(n):\n';
const FINAL = /^(pass|fail|timeout|error|unavailable)$/;

test.beforeEach(({ page: _page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup with WebGPU is enough');
});

/** Opens the app with `?engine=wgsl` on the WebGPU backend; the tiny model loads by itself. */
async function openOnWgsl(page: Page, hash = '#playground'): Promise<GeneratePage> {
  // The top document only: the Python sandbox's opaque-origin frames have no localStorage.
  await page.addInitScript(() => {
    if (window === window.top) localStorage.setItem('codegen-playground:backend', 'webgpu');
  });
  const app = new GeneratePage(page);
  await app.playground.open('?engine=wgsl', hash);
  const ready = await app.waitForModel();
  await expect(ready).toHaveAttribute('data-backend', 'webgpu');
  await expect(ready).toHaveAttribute('data-engine', 'wgsl');
  return app;
}

test('?engine=wgsl loads the tiny model on the WGSL kernels, and the panel and status bar say so', async ({
  page,
}, testInfo) => {
  await openOnWgsl(page);
  await expect(page.getByTestId('engine-select')).toHaveValue('wgsl');
  await expect(page.getByTestId('engine-select')).toBeEnabled();
  await expect(page.getByTestId('model-ready')).toHaveAttribute('data-engine-choice', 'wgsl');
  await expect(page.getByTestId('model-ready')).toContainText('on WebGPU with WGSL kernels');
  await expect(page.getByTestId('engine-reason')).toHaveText(
    'Engine: WGSL kernels — chosen in the Engine menu.',
  );
  await expect(page.getByTestId('status-engine')).toHaveText('WGSL kernels');

  // onnxruntime chosen in the menu replaces it; WASM leaves only onnxruntime, and says why.
  await page.getByTestId('engine-select').selectOption('ort');
  await page.getByTestId('load-model').click();
  await expect(page.getByTestId('model-ready')).toHaveAttribute('data-engine', 'ort', {
    timeout: 90_000,
  });
  await expect(page.getByTestId('status-engine')).toHaveText('onnxruntime-web');
  await page.getByTestId('backend-select').selectOption('wasm');
  await expect(page.getByTestId('engine-select')).toBeDisabled();
  await expect(page.getByTestId('engine-plan')).toHaveText(
    'The engine is onnxruntime-web: the WGSL kernels need WebGPU and the backend is WASM.',
  );
  await page.screenshot({ path: testInfo.outputPath('wgsl-engine-panel.png'), fullPage: true });
});

test('the playground generates greedily on the WGSL kernels what onnxruntime generates', async ({
  page,
}) => {
  const app = await openOnWgsl(page);
  const greedy = await app.generate({ prompt: PROMPT, greedy: true, maxNewTokens: 20 });
  await expect(app.output).toHaveAttribute('data-status', 'done');
  expect(greedy).toBe(PROMPT + cliGenerate(PROMPT, ['--max-new-tokens', '20', '--greedy']).text);
});

test('an MTPB run of two problems finishes on the WGSL kernels with a verdict in every cell', async ({
  page,
}) => {
  test.setTimeout(900_000);
  await openOnWgsl(page);
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  await expect(page.getByTestId('dataset-status')).not.toHaveAttribute('data-status', 'loading', {
    timeout: 60_000,
  });
  const bench = new BenchmarkPage(page);
  await bench.waitForModel();
  // What a run records and shows: the engine as well as the backend.
  await expect(page.getByTestId('bench-model')).toContainText('· WebGPU · wgsl');
  await bench.setProblems('1-2');
  await bench.setSettings({ seed: 16 });
  await bench.run();
  await bench.waitForAllFinal(840_000);
  for (let problem = 1; problem <= 2; problem++) {
    for (let testCase = 1; testCase <= 5; testCase++) {
      expect(await bench.status(problem, testCase), `problem ${problem} test ${testCase}`).toMatch(
        FINAL,
      );
    }
  }
  await expect(page.getByTestId('bench-counts')).toContainText('10');
});
