import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../chromium.ts';

/**
 * Headless Chromium as the end-to-end tests launch it (playwright.config.ts): Debian's
 * build when present, flags that work as root in a container, WebGPU on (SwiftShader on a
 * machine without a GPU).
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    headless: true,
    args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'],
  });
}

/**
 * A page whose console errors reach the log. tsx compiles this project with esbuild's
 * keepNames, which wraps functions in `__name(...)`; functions passed to page.evaluate carry
 * that call into the page, so the page gets a no-op `__name`.
 */
export async function openPage(
  browser: Browser,
  url: string,
  log: (line: string) => void,
  initScripts: readonly string[] = [],
): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  // Page scripts only: Playwright's init scripts do not run in workers.
  for (const script of initScripts) await page.addInitScript(script);
  page.on('console', (message) => {
    // A failed request is logged below with its URL; the console line repeats it without.
    // onnxruntime's node-placement warning comes with every session: not news.
    const text = message.text();
    const noise =
      text.startsWith('Failed to load resource') || text.includes('VerifyEachNodeIsAssignedToAnEp');
    if (message.type() === 'error' && !noise) log(`  [page] ${text.slice(0, 300)}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) log(`  [page] ${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (error) => log(`  [page error] ${error.message.slice(0, 300)}`));
  await page.goto(url);
  return page;
}
