import { expect, test } from './fixtures.ts';
import { cliGenerate } from './helpers/cli.ts';
import { GeneratePage } from './helpers/generate-page.ts';

const PROMPT = 'def fibonacci(n):\n';

test('the tiny model loads by itself and generates what the command line generates', async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name === 'no-webgpu');
  const app = new GeneratePage(page);
  await app.open();
  const ready = await app.waitForModel();
  await expect(ready).toHaveAttribute('data-backend', 'webgpu');
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
  await expect(await app.waitForModel()).toHaveAttribute('data-backend', 'webgpu');
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
