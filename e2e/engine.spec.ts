import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { cliGenerate } from './helpers/cli.ts';
import { GeneratePage } from './helpers/generate-page.ts';

const PROMPT = 'def fibonacci(n):\n';

/** The tiny model in fp32 on WebGPU, chosen by hand: Auto takes WASM on a software adapter. */
async function tinyOnWebGpu(app: GeneratePage): Promise<Locator> {
  await app.loadModel({ model: 'tiny', dtype: 'fp32', backend: 'webgpu' });
  const ready = app.page.getByTestId('model-ready');
  await expect(ready).toHaveAttribute('data-backend', 'webgpu', { timeout: 90_000 });
  return ready;
}

test('the tiny model loads by itself and generates on WebGPU what the command line generates', async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name === 'no-webgpu');
  const app = new GeneratePage(page);
  await app.open();
  await expect(await app.waitForModel()).toContainText('Random weights');
  const ready = await tinyOnWebGpu(app);
  await expect(ready).toContainText('Random weights');

  const greedy = await app.generate({ prompt: PROMPT, greedy: true, maxNewTokens: 20 });
  expect(greedy).toBe(PROMPT + cliGenerate(PROMPT, ['--max-new-tokens', '20', '--greedy']).text);
  const sampled = await app.generate({ prompt: PROMPT, seed: 7, maxNewTokens: 20 });
  expect(sampled).toBe(
    PROMPT +
      cliGenerate(PROMPT, [
        '--max-new-tokens',
        '20',
        '--seed',
        '7',
        '--temperature',
        '0.2',
        '--top-p',
        '0.95',
      ]).text,
  );
  await expect(page.getByTestId('generation-stats')).toContainText('tok/s');
  await page.screenshot({ path: testInfo.outputPath('generate.png'), fullPage: true });
});

test('a lost GPU device is recovered: the next generation rebuilds the session and gives the same text', async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'WebGPU recovery needs one setup');
  const app = new GeneratePage(page);
  await app.open();
  await app.waitForModel();
  await tinyOnWebGpu(app);
  const before = await app.generate({ prompt: PROMPT, greedy: true, maxNewTokens: 12 });
  const lost = await page.evaluate(async () => {
    const api = window.codegenPlayground;
    if (!api) throw new Error('console API missing');
    return (await api.modelWorker.call({ kind: 'loseDevice' })).lost;
  });
  expect(lost).toBe(true);
  const after = await app.generate({ prompt: PROMPT, greedy: true, maxNewTokens: 12 });
  expect(after).toBe(before);
  await expect(page.getByTestId('generate-error')).toHaveCount(0);
});

test("the benchmark's text-detail generate gets throttled counts and the same text as full detail", async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one setup is enough for the worker contract');
  const app = new GeneratePage(page);
  await app.open();
  await app.waitForModel();
  const seen = await page.evaluate(async () => {
    const api = window.codegenPlayground;
    if (!api) throw new Error('console API missing');
    const ask = async (detail: 'text' | 'tokens') => {
      const kinds: string[] = [];
      const started = performance.now();
      const result = await api.modelWorker.call(
        {
          kind: 'generate',
          detail,
          prompts: [{ text: '# Import libraries.\n\nimport numpy as np\n\n# Print 1.\n' }],
          params: { mode: 'sample', temperature: 0.2, topP: 0.95, maxNewTokens: 64, seed: 5 },
          truncation: 'mtpb',
        },
        { onEvent: (event) => void kinds.push(event.kind) },
      );
      const ms = performance.now() - started;
      const row = result.rows[0];
      return {
        ms,
        kinds,
        ids: row?.ids ?? [],
        text: row?.text ?? '',
        keys: Object.keys(row ?? {}).sort(),
      };
    };
    return { text: await ask('text'), tokens: await ask('tokens') };
  });
  expect(seen.text.ids).toEqual(seen.tokens.ids);
  expect(seen.text.text).toBe(seen.tokens.text);
  expect(seen.text.keys).toEqual(['ids', 'stop', 'text']);
  expect(seen.tokens.keys).toEqual(['ids', 'promptIds', 'stop', 'text', 'tokens']);
  expect(seen.text.kinds).not.toContain('token');
  // Counts at most every 100 ms (the last one final), not one message per token.
  const progress = seen.text.kinds.filter((k) => k === 'generate-progress').length;
  expect(progress).toBeGreaterThan(0);
  expect(progress).toBeLessThanOrEqual(Math.floor(seen.text.ms / 100) + 1);
  expect(seen.tokens.kinds.filter((k) => k === 'token')).toHaveLength(seen.tokens.ids.length);
});
