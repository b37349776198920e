/**
 * Where Playwright starts the local test hub (scripts/test-hub/server.ts). TEST_HUB_PORT
 * moves it, e.g. for a second test run beside a first. Not 4190: browsers and undici refuse
 * that port (ManageSieve).
 */
export const TEST_HUB_PORT = Number(process.env.TEST_HUB_PORT ?? 4180);
export const TEST_HUB_URL = `http://127.0.0.1:${TEST_HUB_PORT}`;
