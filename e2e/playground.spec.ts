// The playground against the built app: Monaco continued by the tiny model token by token,
// Stop, the token inspector and its branches, multi-turn prompting from an MTPB link, Run in
// the Python sandbox, a model folder from disk, shortcuts, shared state, and bad input.

import { expect, test } from './fixtures.ts';
import { cliGenerate as cli } from './helpers/cli.ts';
import { PlaygroundPage } from './helpers/playground-page.ts';
import { historyOf } from '../src/mtpb/protocol.ts';
import { readHash } from '../src/playground/state/share-state.ts';

const PROMPT = '# Return the sum of a list.\ndef total(numbers):\n';

let app: PlaygroundPage;

test.beforeEach(async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one setup is enough for the UI');
  app = new PlaygroundPage(page);
  await app.open();
  await app.waitForModel();
});

test('a seeded generation streams into the editor exactly what the command line generates', async ({
  page,
}, testInfo) => {
  await page.screenshot({ path: testInfo.outputPath('playground-1280x720.png') });
  await app.setText(PROMPT);
  await app.configure({ greedy: false, seed: 11, maxNewTokens: 24 });
  const text = await app.generate();
  const expected = cli(PROMPT, [
    '--seed',
    '11',
    '--temperature',
    '0.2',
    '--top-p',
    '0.95',
    '--max-new-tokens',
    '24',
  ]);
  expect(text).toBe(PROMPT + expected.text);
  await expect(app.stats).toContainText('tok/s');
  await expect(page.getByTestId('status-generation')).toContainText('tok/s');

  // The inspector: one button per token, with the command line's probabilities.
  await expect(app.tokens()).toHaveCount(expected.ids.length);
  for (const i of [0, 5, expected.ids.length - 1]) {
    const prob = Number(await app.token(i).getAttribute('data-prob'));
    expect(prob).toBeCloseTo(Math.exp(expected.tokens[i]?.logprob ?? NaN), 4);
  }
  // The same seed gives the same text again.
  await app.setText(PROMPT);
  expect(await app.generate()).toBe(PROMPT + expected.text);
  await app.token(2).hover();
  await page.screenshot({ path: testInfo.outputPath('playground.png') });
});

test('Stop ends a generation mid-stream and keeps what was written', async () => {
  await app.setText(PROMPT);
  await app.configure({ greedy: true, maxNewTokens: 1500 });
  await app.page.getByTestId('generate').click();
  await expect(app.token(5)).toBeVisible();
  await app.page.getByTestId('stop').click();
  await expect(app.stats).toHaveAttribute('data-status', 'stopped');
  const text = await app.text();
  const count = await app.tokens().count();
  expect(count).toBeLessThan(1500);
  const full = cli(PROMPT, ['--greedy', '--max-new-tokens', String(count)]);
  // A Stop can fall inside a multi-byte character (the tiny model's noise often splits one):
  // the stream holds those bytes back until a later token completes them, so the page has
  // nothing for them, where the command line, ending there, decodes them as U+FFFD.
  expect(text).toBe(PROMPT + full.text.replace(/\uFFFD+$/, ''));
  await expect(app.stats).toContainText(`Stopped after ${count} tokens`);
});

test('the inspector lists alternatives that sum to at most 1, and picking one branches there', async ({
  page,
}, testInfo) => {
  await app.setText(PROMPT);
  await app.configure({ greedy: true, maxNewTokens: 16 });
  await app.generate();
  const at = 4;
  const { chosen, alternatives } = await app.probabilities(at);
  expect(alternatives).toHaveLength(5);
  expect(chosen + alternatives.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
  for (const p of alternatives) expect(p).toBeLessThanOrEqual(chosen); // greedy took the top one
  await page.screenshot({ path: testInfo.outputPath('inspector.png') });

  const pick = app.alternatives.nth(1);
  const pickedId = Number(await pick.getAttribute('data-token-id'));
  const before = await app.text();
  const ids = await page.evaluate(async (text) => {
    const api = window.codegenPlayground;
    if (!api) throw new Error('console API missing');
    return (await api.modelWorker.call({ kind: 'tokenize', text })).ids;
  }, PROMPT);
  const kept = await app
    .tokens()
    .evaluateAll(
      (els, n) => els.slice(0, n).map((el) => Number(el.getAttribute('data-token-id'))),
      at,
    );
  await pick.click();
  const after = await app.waitForGeneration();
  await expect(app.token(at)).toHaveAttribute('data-token-id', String(pickedId));
  expect(after).not.toBe(before);

  // The branch is what the model continues from the exact ids: prompt, kept tokens, the pick.
  const branch = await page.evaluate(
    async (prompt) => {
      const api = window.codegenPlayground;
      if (!api) throw new Error('console API missing');
      const result = await api.modelWorker.call({
        kind: 'generate',
        prompts: [{ ids: prompt }],
        params: { mode: 'greedy', maxNewTokens: 16 - 4 - 1 },
      });
      return result.rows[0]?.text ?? '';
    },
    [...ids, ...kept, pickedId],
  );
  expect(after.endsWith(branch)).toBe(true);
  const pickedText = await app.token(at).textContent();
  expect(pickedText).not.toBeNull();
});

test('an MTPB link opens its turns, and each turn is answered under the ones before', async ({
  page,
}, testInfo) => {
  await app.open('', '#playground?problem=3&case=1');
  const turns = page.getByTestId('turn');
  await expect(page.getByTestId('problem-title')).toContainText('Problem 3');
  const count = await turns.count();
  expect(count).toBeGreaterThan(1);
  await expect(page.getByTestId('truncation')).toBeChecked();
  await app.configure({ greedy: true, maxNewTokens: 12 });
  await page.getByTestId('generate').click();
  await expect(turns.last()).toHaveAttribute('data-status', 'done', { timeout: 90_000 });

  const answers = await page
    .getByTestId('turn-completion')
    .evaluateAll((els) => els.map((el) => (el instanceof HTMLTextAreaElement ? el.value : '')));
  const prompts = await turns
    .getByRole('textbox')
    .evaluateAll((els) =>
      els
        .filter((el) => el instanceof HTMLInputElement)
        .map((el) => (el instanceof HTMLInputElement ? el.value : '')),
    );
  const history = prompts.map((prompt, i) => ({ prompt, completion: answers[i] ?? '' }));
  expect(await app.text()).toBe(historyOf(history));

  // The second turn was asked under the first one's answer, and cut as MTPB cuts.
  const second = await page.evaluate(
    async (text) => {
      const api = window.codegenPlayground;
      if (!api) throw new Error('console API missing');
      const result = await api.modelWorker.call({
        kind: 'generate',
        prompts: [{ text }],
        params: { mode: 'greedy', maxNewTokens: 12 },
        truncation: 'mtpb',
      });
      return result.rows[0]?.text ?? '';
    },
    historyOf(history.slice(0, 1), history[1]?.prompt),
  );
  expect(answers[1]).toBe(second);
  await page.screenshot({ path: testInfo.outputPath('multi-turn.png') });
});

test('Run prints what the program prints and marks the line a traceback points at', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await app.setText('values = [3, 4]\nprint("sum", sum(values))\nsum(values) * 2\n');
  let console_ = await app.run();
  await expect(console_).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('console-stdout')).toHaveText('sum 7');
  await expect(page.getByTestId('console-value')).toContainText('14');

  await app.setText('def f(x):\n    return 1 / x\n\nprint("before")\nf(0)\n');
  await page.getByTestId('editor').click();
  await page.keyboard.press('Shift+Enter');
  console_ = page.getByTestId('console');
  await expect(console_).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
  await expect(page.getByTestId('console-stderr')).toContainText('ZeroDivisionError');
  await expect(app.editor).toHaveAttribute('data-error-line', '2');
  await expect(app.editor.locator('.pg-error-line')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('run-error.png') });

  // Stop ends a program that would run until the time limit.
  await app.setText('while True:\n    pass\n');
  await page.getByTestId('run').click();
  await expect(console_).toHaveAttribute('data-status', 'running');
  await page.getByTestId('stop').click();
  await expect(console_).toHaveAttribute('data-status', 'stopped', { timeout: 10_000 });
});

test('a model folder picked from disk loads and generates what the same files generate', async ({
  page,
}) => {
  await page.getByTestId('folder-input').setInputFiles('public/models/tiny');
  await expect(page.getByTestId('model-select')).toHaveValue('folder:tiny');
  await page.getByTestId('dtype-select').selectOption('fp32');
  await page.getByTestId('backend-select').selectOption('wasm');
  await page.getByTestId('load-model').click();
  const ready = page.getByTestId('model-ready');
  await expect(ready).toContainText('Loaded tiny (from disk)', { timeout: 90_000 });
  await expect(ready).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('status-backend')).toHaveText('WASM');
  await app.setText(PROMPT);
  await app.configure({ greedy: true, maxNewTokens: 10 });
  expect(await app.generate()).toBe(
    PROMPT + cli(PROMPT, ['--greedy', '--max-new-tokens', '10']).text,
  );
});

test('shortcuts generate and stop; the prompt and settings survive a reload and a shared link', async ({
  page,
  browser,
}) => {
  await app.setText('def square(x):\n');
  await app.configure({ greedy: false, seed: 5, maxNewTokens: 6 });
  await page.locator('.monaco-editor textarea').focus();
  await page.keyboard.press('Control+Enter');
  const text = await app.waitForGeneration();
  expect(text.startsWith('def square(x):\n')).toBe(true);
  // The URL follows a moment later.
  await expect
    .poll(() => {
      const shared = readHash(new URL(page.url()).hash);
      return shared.kind === 'snapshot' && shared.snapshot.doc.kind === 'editor'
        ? shared.snapshot.doc.text
        : null;
    })
    .toBe(text);

  await page.reload();
  await page.waitForFunction(() => window.codegenPlayground?.editor !== undefined);
  await expect(page.getByTestId('seed')).toHaveValue('5');
  expect(await app.text()).toBe(text);

  // The link alone (a fresh browser, nothing stored) gives the same prompt and settings.
  const other = await browser.newPage();
  await other.goto(page.url());
  await other.waitForFunction(() => window.codegenPlayground?.editor !== undefined);
  await expect(other.getByTestId('max-new-tokens')).toHaveValue('6');
  expect(await other.evaluate(() => window.codegenPlayground?.editor?.getValue())).toBe(text);
  await other.close();

  // Escape stops a long generation started from the keyboard (after the reload, the tiny
  // model has to finish loading again first).
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 90_000 });
  await app.configure({ maxNewTokens: 1500 });
  await page.locator('.monaco-editor textarea').focus();
  await page.keyboard.press('Control+Enter');
  await expect(app.token(3)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(app.stats).toHaveAttribute('data-status', 'stopped');
});

test('bad input gets a specific message and a way forward', async ({ page }) => {
  // Settings the engine would refuse are marked before anything is sent.
  await app.configure({ greedy: false, topP: 1.5 });
  await page.getByTestId('generate').click();
  await expect(app.error).toHaveAttribute('data-code', 'bad-input');
  await expect(page.getByTestId('top-p')).toHaveAttribute('aria-invalid', 'true');
  await app.configure({ topP: 0.95 });

  // A prompt longer than the context.
  await app.setText('x = 1\n'.repeat(1500));
  await app.generate();
  await expect(app.error).toHaveAttribute('data-code', 'context-overflow');
  await expect(app.error).toContainText('Shorten the prompt');

  // No model in the worker (unloaded from the console).
  await page.evaluate(() => window.codegenPlayground?.modelWorker.call({ kind: 'unload' }));
  await app.setText(PROMPT);
  await app.generate();
  await expect(app.error).toHaveAttribute('data-code', 'no-model');
  await expect(app.error).toContainText('Load a model');
});

test('the model manager lists sizes and fit per dtype, and deletes a cached model', async ({
  page,
}, testInfo) => {
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const catalog = page.getByTestId('model-catalog');
  await catalog.locator('summary').click();
  const tiny = catalog.getByRole('table', { name: /Tiny CodeGen/ }).getByTestId('catalog-row');
  await expect(tiny).toHaveCount(8);
  await expect(tiny.first()).toHaveAttribute('data-fits', 'true');
  await expect(
    catalog.getByTestId('catalog-row').filter({ hasText: 'q4f16' }).first(),
  ).toContainText('shader-f16');

  // The tiny model loaded at start went through the cache.
  const cached = page.getByTestId('cached-models');
  await cached.locator('summary').first().click();
  const entry = cached.getByTestId('cached-model').filter({ hasText: 'Tiny CodeGen' });
  await expect(entry).toContainText('files');
  await expect(page.getByTestId('storage-estimate')).toContainText('This site uses');
  await page.screenshot({ path: testInfo.outputPath('model-manager-dark.png'), fullPage: true });
  await entry.getByRole('button', { name: /Delete/ }).click();
  await expect(entry).toHaveCount(0);
});
