import { test as base, expect } from '@playwright/test';

/**
 * Every test forwards the browser console (page and workers) to the test log and fails on
 * any uncaught page error or unhandled rejection: a blank page must never pass.
 */
export const test = base.extend<{ pageErrors: Error[] }>({
  pageErrors: [
    async ({ page }, use, testInfo) => {
      const errors: Error[] = [];
      const tag = `[${testInfo.project.name}]`;
      page.on('console', (message) => {
        console.log(`${tag} console.${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => {
        console.log(`${tag} pageerror: ${error.stack ?? error.message}`);
        errors.push(error);
      });
      page.on('worker', (worker) => console.log(`${tag} worker started: ${worker.url()}`));
      await use(errors);
      expect(
        errors.map((error) => error.message),
        'uncaught errors in the page',
      ).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
