import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium.ts';
import { TEST_HUB_PORT, TEST_HUB_URL } from './scripts/test-hub/address.ts';
import { STATIC_HOST_URL } from './e2e/helpers/static-host.ts';

/**
 * End-to-end tests drive the built app (vite preview) in real headless Chromium.
 * Which Chromium and with which flags: scripts/chromium.ts (Playwright's own build where
 * there is no system one: `npx playwright install chromium`, see README).
 */
const executablePath = chromiumExecutable();
const launch = (extra: string[]) => ({ executablePath, args: [...CHROMIUM_ARGS, ...extra] });

// E2E_PORT moves both app servers (and a second run can go beside a first).
const ISOLATED_PORT = Number(process.env.E2E_PORT ?? 4173);
const PLAIN_PORT = ISOLATED_PORT + 1;
const ISOLATED = `http://127.0.0.1:${ISOLATED_PORT}`;
const PLAIN = `http://127.0.0.1:${PLAIN_PORT}`;
const OFFLINE_SPEC = /offline\.spec\.ts/;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  // The feature projects run without the service worker (as in a browser that has none, or
  // its private mode): their request assertions see the network directly, and no test pays
  // for storing the app shell. The 'offline' project runs the service worker.
  projects: [
    {
      name: 'isolated',
      testIgnore: OFFLINE_SPEC,
      use: {
        baseURL: ISOLATED,
        serviceWorkers: 'block',
        launchOptions: launch(['--enable-unsafe-webgpu']),
      },
    },
    {
      name: 'plain',
      testIgnore: OFFLINE_SPEC,
      use: {
        baseURL: PLAIN,
        serviceWorkers: 'block',
        launchOptions: launch(['--enable-unsafe-webgpu']),
      },
    },
    {
      // WebGPU off entirely: the app must say so and fall back to WASM.
      name: 'no-webgpu',
      testMatch: /capabilities\.spec\.ts/,
      use: {
        baseURL: ISOLATED,
        serviceWorkers: 'block',
        launchOptions: launch(['--disable-webgpu', '--disable-gpu']),
      },
    },
    {
      // The built app from a plain static server of its own, with the service worker: it
      // installs, isolates the page, and everything works with the network off.
      name: 'offline',
      testMatch: OFFLINE_SPEC,
      use: {
        baseURL: STATIC_HOST_URL,
        serviceWorkers: 'allow',
        launchOptions: launch(['--enable-unsafe-webgpu']),
      },
    },
  ],
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${ISOLATED_PORT} --strictPort`,
      url: ISOLATED,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
    },
    {
      command: `npx vite preview --host 127.0.0.1 --port ${PLAIN_PORT} --strictPort`,
      env: { CROSS_ORIGIN_ISOLATION: 'off' },
      url: PLAIN,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
    },
    {
      // A stand-in for huggingface.co (the app's ?hub= parameter): generated test repos,
      // a request log and injected failures, see scripts/test-hub/server.ts.
      command: `npx tsx scripts/test-hub/server.ts --port ${TEST_HUB_PORT}`,
      url: `${TEST_HUB_URL}/__health`,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
    },
  ],
});
