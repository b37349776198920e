import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchmarkPage } from './helpers/benchmark-page.ts';
import { BrowserCache } from './helpers/browser-cache.ts';
import { ModelManager } from './helpers/model-manager.ts';
import { NetworkLog } from './helpers/network-log.ts';
import { PlaygroundPage } from './helpers/playground-page.ts';
import {
  nextRelease,
  StaticHost,
  STATIC_HOST_PORT,
  STATIC_HOST_URL,
  SUBFOLDER,
} from './helpers/static-host.ts';
import { TestHub } from './helpers/test-hub.ts';

// The built app on a plain static host (no COOP/COEP), with its service worker. Each test
// gets a fresh browser context, so a fresh service worker and empty caches.
test.describe.configure({ mode: 'serial' });
const host = new StaticHost();
test.beforeEach(async () => {
  await host.start();
});
test.afterAll(async () => {
  await host.stop();
});

/** Waits until the service worker has stored the whole app shell and controls the page. */
async function waitForOfflineShell(page: Page): Promise<void> {
  const status = page.getByTestId('offline-status');
  await expect(status).toHaveAttribute('data-shell-ready', 'true', { timeout: 90_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test('the service worker isolates the page on a host without COOP/COEP, and the app is installable', async ({
  page,
}) => {
  await page.goto('/');
  // The host sends no isolation headers; the first load is not isolated, the worker then
  // takes over and the page reloads once through it.
  await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 90_000 });
  await waitForOfflineShell(page);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  await expect(page.getByTestId('offline-isolated')).toHaveText(/^Yes/);

  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: Array<{ errorId: string }>;
  };
  // Playwright's contexts are off-the-record, which alone blocks installing; nothing else may.
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
  const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
  expect(manifest.errors).toEqual([]);
  expect(manifest.url).toMatch(/manifest\.webmanifest$/);
});

test('a build for a sub-folder of the host works there, service worker included', async ({
  page,
}) => {
  const subfolder = new StaticHost({ ...SUBFOLDER, port: STATIC_HOST_PORT + 1 });
  await subfolder.start();
  try {
    await page.goto(subfolder.url);
    await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 90_000 });
    await waitForOfflineShell(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      `${subfolder.url}sw.js`,
    );
    // The embedded model loads from the sub-folder.
    await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 90_000 });
    expect(subfolder.requests.some((r) => r.startsWith(`${SUBFOLDER.path}models/tiny/`))).toBe(
      true,
    );
    expect(subfolder.requests.filter((r) => !r.startsWith(SUBFOLDER.path))).toEqual([]);
  } finally {
    await subfolder.stop();
  }
});

test('a new release waits until the user reloads to it', async ({ page }) => {
  await page.goto('/');
  await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 90_000 });
  await waitForOfflineShell(page);

  // The host now serves the next release; the browser finds it on its next update check.
  await host.stop();
  const next = new StaticHost({ dist: nextRelease(), path: '/', port: STATIC_HOST_PORT });
  await next.start();
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const status = page.getByTestId('offline-status');
    await expect(status).toHaveAttribute('data-shell', 'update-ready', { timeout: 60_000 });
    // It waits: the page is still controlled by the release it loaded with.
    expect(
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return registration?.waiting !== null && registration?.active !== null;
      }),
    ).toBe(true);

    await status.locator('summary').click();
    await Promise.all([page.waitForEvent('load'), page.getByTestId('apply-update').click()]);
    await page.waitForFunction(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return registration?.waiting === null && navigator.serviceWorker.controller !== null;
    });
    await expect(status).toHaveAttribute('data-shell', 'ready', { timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  } finally {
    await next.stop();
  }
});

/** The app with the test hub's stand-in Pyodide package index (see scripts/test-hub). */
const packagesQuery = (hub: TestHub): string =>
  `?packages=${encodeURIComponent(`${hub.url}/pyodide-index/`)}`;

/** Makes the selected model (and the benchmark's Python packages) available offline. */
async function makeAvailableOffline(page: Page): Promise<void> {
  await page.getByTestId('make-offline').click();
  // "Done" ends both stages (model files, then Python packages); the badge then stays.
  await expect(page.getByTestId('offline-done')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('offline-ready')).toBeVisible();
}

test('after "make available offline", everything works with the network off and the server gone', async ({
  page,
  context,
}) => {
  test.setTimeout(600_000);
  const hub = new TestHub();
  await hub.reset();
  const playground = new PlaygroundPage(page);
  await playground.open(packagesQuery(hub));
  await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 90_000 });
  await waitForOfflineShell(page);
  await playground.waitForModel();

  await new ModelManager(page).choose({ dtype: 'fp32' });
  await makeAvailableOffline(page);
  // One stored copy of each file: model files only in the engine's cache, wheels only in
  // the package store's, nothing of either in the service worker's caches.
  const copies = await page.evaluate(async () => {
    const found: Record<string, { models: number; wheels: number }> = {};
    for (const name of await caches.keys()) {
      const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
      found[name] = {
        models: urls.filter((u) => u.includes('/models/tiny/')).length,
        wheels: urls.filter((u) => u.endsWith('.whl')).length,
      };
    }
    return found;
  });
  for (const [name, count] of Object.entries(copies)) {
    if (name === 'codegen-models-v1') expect(count.models, name).toBeGreaterThanOrEqual(4);
    else expect(count.models, name).toBe(0);
    if (name === 'python-packages-v1') expect(count.wheels, name).toBe(9);
    else expect(count.wheels, name).toBe(0);
  }
  const wheels = (await hub.log()).filter((r) => r.path.endsWith('.whl'));
  expect(wheels.length).toBeGreaterThanOrEqual(9); // numpy, pandas, scikit-learn and their deps
  const status = page.getByTestId('offline-status');
  await status.locator('summary').click();
  await expect(page.getByTestId('offline-models')).toContainText(
    'Tiny CodeGen (random weights) (fp32)',
  );
  await expect(page.getByTestId('offline-packages')).toContainText('9 of 9');
  await status.locator('summary').click();

  // The network goes away: the browser is offline and the app's server is stopped.
  const hubRequestsBefore = (await hub.log()).length;
  const log = new NetworkLog(context);
  await context.setOffline(true);
  await host.stop();

  await page.reload();
  await playground.waitForModel();
  // Some Chromium builds (150 on Debian 12) start a document the service worker served with
  // navigator.onLine true although the context is offline; toggling restores what a really
  // offline browser says. (Whatever the page did meanwhile is still checked below: nothing
  // may reach the network.)
  if (await page.evaluate(() => navigator.onLine)) {
    await context.setOffline(false);
    await context.setOffline(true);
  }
  await expect(status).toHaveAttribute('data-online', 'false');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  // Generate.
  await playground.configure({ greedy: true, maxNewTokens: 8 });
  await playground.setText('def add(a, b):\n');
  await playground.generate();
  expect((await playground.text()).length).toBeGreaterThan('def add(a, b):\n'.length);

  // Run Python, with a package the benchmark needs (a stand-in wheel, from the cache).
  await playground.setText('import pandas\nprint("rows", 6 * 7, pandas.STAND_IN)');
  const output = await playground.run();
  await expect(output).toContainText('rows 42 True');

  // The WASM backend runs from its own onnxruntime build, stored with the app too.
  const models = new ModelManager(page);
  await models.choose({ dtype: 'fp32', backend: 'wasm' });
  await models.load();
  await expect(models.loaded).toHaveAttribute('data-backend', 'wasm', { timeout: 90_000 });

  // Run an MTPB problem live (on WASM), then replay a samples file.
  await page.getByRole('tab', { name: 'Benchmark', exact: true }).click();
  const bench = new BenchmarkPage(page);
  await expect(page.getByTestId('dataset-status')).toHaveAttribute('data-status', 'ready', {
    timeout: 60_000,
  });
  await bench.waitForModel();
  await bench.setProblems('1');
  await bench.run();
  await bench.waitForAllFinal(300_000);
  expect(await bench.status(1, 1)).toMatch(/^(pass|fail|error|timeout)$/);

  const samples = join(mkdtempSync(join(tmpdir(), 'mtpb-offline-')), 'samples.jsonl');
  const prefix = '# Import libraries.\n\nimport numpy as np\n\n';
  writeFileSync(
    samples,
    `${JSON.stringify({
      id: '7',
      input: { x: 'offline' },
      gold_output: 42,
      completions: `${prefix}# Do it.\nprint(6 * 7)\n\n`,
      prompts_completions: [prefix, '# Do it.\n', 'print(6 * 7)\n\n'],
    })}\n`,
  );
  await bench.importSamples(samples);
  await bench.waitForAllFinal(120_000);
  expect(await bench.status(7, 1)).toBe('pass');

  // Nothing reached the network: every request was answered by the service worker.
  expect(await log.network()).toEqual([]);
  expect(await log.failed()).toEqual([]);
  expect(log.count).toBeGreaterThan(0);
  expect((await hub.log()).length).toBe(hubRequestsBefore);

  // A model that was not made available offline says so (its request is the one that fails).
  await page.getByRole('tab', { name: 'Playground', exact: true }).click();
  await models.choose({ dtype: 'q4' });
  await models.load();
  await expect(models.error).toContainText('You are offline');
});

test('a damaged stored model file is found by Verify and fetched again', async ({ page }) => {
  const playground = new PlaygroundPage(page);
  await playground.open(packagesQuery(new TestHub()));
  // The page reloads once through the service worker (to become isolated): the model to wait
  // for is the one the reloaded page loads (on WASM the first page's is ready before that).
  await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 90_000 });
  await waitForOfflineShell(page);
  await playground.waitForModel();
  await new ModelManager(page).choose({ dtype: 'fp32' });
  await makeAvailableOffline(page);

  const onnxUrl = new URL('/models/tiny/onnx/model.onnx', page.url()).href;
  await new BrowserCache(page).damage(onnxUrl);
  const fetchedBefore = host.requests.filter((r) =>
    r.startsWith('/models/tiny/onnx/model.onnx'),
  ).length;

  const storage = page.getByTestId('cached-models');
  if (!(await storage.getAttribute('open'))) await storage.locator('summary').first().click();
  await storage.getByTestId('verify-cached').first().click();
  const report = page.getByTestId('verify-report');
  await expect(report).toContainText('onnx/model.onnx');
  await expect(report).toContainText(/damaged|corrupt|SHA-256/i);
  await report.getByTestId('redownload').first().click();
  await expect
    .poll(() => host.requests.filter((r) => r.startsWith('/models/tiny/onnx/model.onnx')).length, {
      timeout: 60_000,
    })
    .toBe(fetchedBefore + 1);
  await storage.getByTestId('verify-cached').first().click();
  await expect(page.getByTestId('verify-report')).toContainText(/All \d+ files are intact\./);
});

test('a full storage quota is reported with what to delete', async ({ page }) => {
  const playground = new PlaygroundPage(page);
  await playground.open(packagesQuery(new TestHub()));
  // The page reloads once through the service worker (to become isolated): the model to wait
  // for is the one the reloaded page loads (on WASM the first page's is ready before that).
  await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 90_000 });
  await waitForOfflineShell(page);
  await playground.waitForModel();
  // The browser grants this origin only a little more than it already uses.
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(page.url()).origin,
    quotaSize: usage + 64 * 1024,
  });
  await new ModelManager(page).choose({ dtype: 'q8' });
  await page.getByTestId('make-offline').click();
  const error = page.getByTestId('quota-error');
  await expect(error).toBeVisible({ timeout: 60_000 });
  await expect(error).toContainText(/quota|room|space/i);
  // What to delete: the models stored so far, with their sizes.
  await expect(error).toContainText('Tiny CodeGen');
  await expect(error.getByRole('button', { name: /Delete/ }).first()).toBeVisible();
});

test('an app shell that does not fit the storage quota is reported, and the app still works', async ({
  page,
}) => {
  // Before the first visit the browser grants the origin 5 MB: the 45 MB shell cannot fit.
  await page.goto('about:blank');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(STATIC_HOST_URL).origin,
    quotaSize: 5 * 1024 * 1024,
  });
  await page.goto('/');
  const status = page.getByTestId('offline-status');
  await expect(status).toHaveAttribute('data-shell', 'error', { timeout: 90_000 });
  await status.locator('summary').click();
  await expect(page.getByTestId('offline-shell')).toContainText(
    'could not be stored for offline use',
  );
  // Online, the app itself works: the embedded model loads (and says it could not be kept).
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 90_000 });
});
