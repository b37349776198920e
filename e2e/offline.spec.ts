import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { StaticHost, STATIC_HOST_PORT, SUBFOLDER } from './helpers/static-host.ts';

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
