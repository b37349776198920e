// Loading hub models in the app against a local stand-in for huggingface.co
// (scripts/test-hub/server.ts, started by playwright.config.ts): progress, the cache,
// damaged cache entries, errors, resumed and cancelled downloads, refused dtypes.
// The hub's request log tells what the app really fetched.

import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { formatBytes } from '../src/shared/format.ts';
import { expect, test } from './fixtures.ts';
import { BrowserCache } from './helpers/browser-cache.ts';
import { ModelConsole } from './helpers/model-console.ts';
import { ModelManager } from './helpers/model-manager.ts';
import { PlaygroundPage } from './helpers/playground-page.ts';
import { TEST_REPOS, TestHub } from './helpers/test-hub.ts';

const TINY = TEST_REPOS.tiny;
const WEIGHTS = 'onnx/model.onnx';
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', WEIGHTS];
const bytesOf = (file: string): number => statSync(join('.cache/test-hub', TINY, file)).size;

const hub = new TestHub();

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
let models: ModelManager;

test.beforeEach(async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'COEP is the stricter setup; one is enough');
  await hub.reset();
  models = new ModelManager(page);
  await models.open(hub.appQuery);
});

/** Picks test/tiny in fp32 on WASM (quick to start) and presses Load. */
async function loadTiny(): Promise<void> {
  await models.useHubRepo(TINY);
  await models.choose({ dtype: 'fp32', backend: 'wasm' });
  await models.load();
}

test('a hub download shows its files and total, and the next visit loads it from the cache', async ({
  page,
}) => {
  // Slow enough to watch the progress, quick enough for a test (~6 s).
  await hub.failNext(TINY, WEIGHTS, { kind: 'slow', bytesPerSecond: 500_000 });
  await loadTiny();

  await expect(models.progress).toContainText('Downloading');
  for (const file of FILES) await expect(models.fileLine(file)).toBeVisible();
  await expect(models.fileLine('config.json')).toContainText('downloaded');
  await expect(models.fileLine(WEIGHTS)).toContainText(` / ${formatBytes(bytesOf(WEIGHTS))}`);
  const total = FILES.reduce((sum, file) => sum + bytesOf(file), 0);
  await expect(models.progress).toContainText(` of ${formatBytes(total)}`);

  const first = await models.waitUntilLoaded(TINY);
  await expect(first).not.toContainText('from cache');
  const downloaded = await hub.downloads(TINY);
  expect(downloaded.map((r) => r.path).sort()).toEqual(
    FILES.map((f) => hub.filePath(TINY, f)).sort(),
  );
  expect(downloaded.every((r) => r.status === 200 && r.outcome === 'complete')).toBe(true);

  await page.reload();
  await models.waitUntilLoaded('Tiny CodeGen');
  await loadTiny();
  await expect(await models.waitUntilLoaded(TINY)).toContainText('from cache');
  expect(await hub.downloads(TINY)).toHaveLength(FILES.length);
});

test('a damaged or truncated cached file is noticed and downloaded again', async ({ page }) => {
  await loadTiny();
  await models.waitUntilLoaded(TINY);

  const cache = new BrowserCache(page);
  await cache.damage(hub.fileUrl(TINY, WEIGHTS));
  await cache.truncate(hub.fileUrl(TINY, 'tokenizer.json'), 1000);
  await page.reload();
  await models.waitUntilLoaded('Tiny CodeGen');
  await loadTiny();

  await expect(await models.waitUntilLoaded(TINY)).not.toContainText('from cache');
  await expect(models.notice(`${WEIGHTS} was damaged`)).toContainText('SHA-256 does not match');
  await expect(models.notice('tokenizer.json was damaged')).toContainText(
    `stored 1000 bytes, expected ${bytesOf('tokenizer.json')}`,
  );
  const count = async (file: string) => (await hub.downloads(TINY, file)).length;
  expect(await count(WEIGHTS)).toBe(2);
  expect(await count('tokenizer.json')).toBe(2);
  expect(await count('config.json')).toBe(1);

  // The fresh copies were stored intact: loading again needs no request.
  await models.load();
  await expect(await models.waitUntilLoaded(TINY)).toContainText('from cache');
  expect(await hub.downloads(TINY)).toHaveLength(FILES.length + 2);
});

test('a missing repo, a model that is not CodeGen and a missing file each say what is wrong', async () => {
  await models.useHubRepo('test/does-not-exist');
  await models.choose({ dtype: 'fp32', backend: 'wasm' });
  await models.load();
  await expect(models.error).toHaveAttribute('data-code', 'not-found');
  await expect(models.error).toContainText('Not found (404)');
  await expect(models.error).toContainText(hub.fileUrl('test/does-not-exist', ''));
  await expect(models.error).toContainText('There is no such repository');

  await models.useHubRepo(TEST_REPOS.notCodegen);
  await models.load();
  await expect(models.error).toHaveAttribute('data-code', 'bad-model');
  await expect(models.error).toContainText(
    `This is not a CodeGen model: ${TEST_REPOS.notCodegen}/config.json says model_type "gpt2"`,
  );
  // The config is checked before the weights are fetched.
  expect(await hub.downloads(TEST_REPOS.notCodegen, WEIGHTS)).toEqual([]);

  await models.useHubRepo(TEST_REPOS.missing);
  await models.load();
  await expect(models.error).toHaveAttribute('data-code', 'not-found');
  await expect(models.error).toContainText(
    `Not found (404): ${hub.fileUrl(TEST_REPOS.missing, 'tokenizer.json')}`,
  );
  await expect(models.error).toContainText('Check the model id');
  // None of them replaced the model that was loaded.
  await expect(models.loaded).toContainText('Loaded Tiny CodeGen');
  await expect(models.loaded).toContainText('It is still loaded and in use');
});

test('a failed load keeps the model that worked, and says whether the hub refused or could not be reached', async ({
  page,
}) => {
  const playground = new PlaygroundPage(page);
  const stillGenerates = async (): Promise<void> => {
    await expect(models.loaded).toContainText('Loaded Tiny CodeGen');
    await expect(models.loaded).toContainText('It is still loaded and in use');
    await expect(page.getByTestId('status-model')).toContainText('Tiny CodeGen');
    await playground.setText('def add(a, b):\n');
    await playground.configure({ greedy: true, maxNewTokens: 4 });
    expect((await playground.generate()).length).toBeGreaterThan('def add(a, b):\n'.length);
    await expect(playground.error).toHaveCount(0);
  };

  // No such repository: 404.
  await models.useHubRepo('test/does-not-exist');
  await models.choose({ dtype: 'fp32' });
  await models.load();
  await expect(models.error).toHaveAttribute('data-code', 'not-found');
  await expect(models.error).toContainText('Not found (404)');
  await expect(page.getByTestId('status-model')).toContainText(
    'loading test/does-not-exist failed',
  );
  await stillGenerates();

  // A gated repository: the hub refuses (401), which reads differently.
  await hub.failNext(TINY, 'config.json', { kind: 'gated' });
  await models.useHubRepo(TINY);
  await models.choose({ dtype: 'fp32' });
  await models.load();
  await expect(models.error).toHaveAttribute('data-code', 'no-access');
  await expect(models.error).toContainText(
    `Access refused (401) to ${hub.fileUrl(TINY, 'config.json')}: the repository is gated`,
  );
  await expect(models.error).toContainText('need a sign-in');
  await stillGenerates();

  // The next attempt clears the error as it starts, and a load that works replaces the model.
  await hub.failNext(TINY, WEIGHTS, { kind: 'slow', bytesPerSecond: 300_000 });
  await models.load();
  await expect(models.progress).toBeVisible();
  await expect(models.error).toHaveCount(0);
  // Generate meanwhile says why it cannot; that message goes once the model is ready.
  await page.getByTestId('generate').click();
  await expect(playground.error).toContainText(`${TINY} is still loading`);
  await expect(await models.waitUntilLoaded(TINY)).not.toContainText('still loaded');
  await expect(playground.error).toHaveCount(0);

  // A hub nothing answers at: a network failure, after the retries.
  await models.open(`?hub=${encodeURIComponent(`http://127.0.0.1:${await freePort()}`)}`);
  await models.useHubRepo(TEST_REPOS.notCodegen);
  await models.choose({ dtype: 'fp32' });
  await models.load();
  await expect(models.error).toHaveAttribute('data-code', 'network', { timeout: 60_000 });
  await expect(models.error).toContainText(/Could not reach 127\.0\.0\.1:\d+/);
  await expect(models.error).toContainText('Check the network connection');
  await expect(models.error).not.toContainText('Not found');
  await stillGenerates();
});

test('a transfer cut off in the middle of a file resumes with a Range request', async () => {
  const cutAt = 500_000;
  await hub.failNext(TINY, WEIGHTS, { kind: 'drop', afterBytes: cutAt });
  await loadTiny();
  await models.waitUntilLoaded(TINY);

  const [cut, resumed, ...more] = await hub.downloads(TINY, WEIGHTS);
  expect(more).toEqual([]);
  expect(cut).toMatchObject({ range: null, status: 200, outcome: 'dropped', bytesSent: cutAt });
  expect(resumed).toMatchObject({ status: 206, outcome: 'complete' });
  // It asks for the rest, not the whole file again (Chromium may discard some buffered bytes).
  const from = Number(/^bytes=(\d+)-$/.exec(resumed?.range ?? '')?.[1]);
  expect(from).toBeGreaterThan(0);
  expect(from).toBeLessThanOrEqual(cutAt);
  expect(resumed?.bytesSent).toBe(bytesOf(WEIGHTS) - from);
});

test('Cancel stops a download, and loading again starts it afresh', async () => {
  await hub.failNext(TINY, WEIGHTS, { kind: 'slow', bytesPerSecond: 100_000 });
  await loadTiny();
  await expect(models.fileLine(WEIGHTS)).toContainText(` / ${formatBytes(bytesOf(WEIGHTS))}`);
  await models.cancel();

  await expect(models.error).toHaveAttribute('data-code', 'aborted');
  await expect(models.error).toContainText('cancelled');
  // The server sees the connection closed before the file was sent.
  await expect
    .poll(async () => (await hub.downloads(TINY, WEIGHTS)).map((r) => r.outcome))
    .toEqual(['aborted']);
  const [aborted] = await hub.downloads(TINY, WEIGHTS);
  expect(aborted?.bytesSent).toBeLessThan(bytesOf(WEIGHTS));

  await models.load();
  await models.waitUntilLoaded(TINY);
  // One new request from byte 0: nothing was retried or resumed after the cancel.
  const weights = await hub.downloads(TINY, WEIGHTS);
  expect(weights.map((r) => [r.range, r.outcome])).toEqual([
    [null, 'aborted'],
    [null, 'complete'],
  ]);
});

test('Cancel while the session is being created stops the load too', async () => {
  // The tiny model's files are already cached; creating the WebGPU session and compiling
  // its shaders (SwiftShader) is what takes time here. onnxruntime's session, chosen by hand:
  // Auto would try the WGSL kernels on WebGPU, which have no session phase.
  await models.choose({ dtype: 'fp32', backend: 'webgpu', engine: 'ort' });
  await models.cancelWhenPhase(/Creating the onnxruntime session/);
  await models.load();
  await expect(models.error).toHaveAttribute('data-code', 'aborted');
  await expect(models.progress).toHaveCount(0);
  await expect(models.loaded).toContainText('It is still loaded and in use');
});

test('weights the GPU cannot run are disabled in the menu, with the reason, before any download', async ({
  page,
}) => {
  test.skip(
    await new ModelConsole(page).gpuHasShaderF16(),
    'this GPU has shader-f16; the refusal needs one without',
  );
  await models.useHubRepo(TINY);
  await models.choose({ backend: 'webgpu' });

  await expect(models.dtypeOption('q4f16')).toBeDisabled();
  await expect(models.dtypeOption('q4f16')).toContainText('unavailable on WebGPU');
  await expect(models.dtypeRefusals).toContainText(
    'q4f16: q4f16 weights need the WebGPU feature shader-f16, which this GPU does not offer.',
  );
  await expect(models.dtypeMenu).toHaveAccessibleDescription(/shader-f16/);
  // The menu starts on weights that run here, and Load is offered for them.
  await expect(models.dtypeMenu).toHaveValue('q4');
  await expect(models.compatWarning).toHaveCount(0);
  await expect(models.loadButton).toBeEnabled();
  expect(await hub.downloads(TINY)).toEqual([]);
});
