import { existsSync } from 'node:fs';

/**
 * How this project launches Chromium, for the end-to-end tests (playwright.config.ts) and the
 * benchmarks (scripts/bench/browser.ts): Debian's build when present (CHROMIUM_PATH, else
 * /usr/bin/chromium), since browser downloads do not work everywhere; elsewhere Playwright's own.
 */
export function chromiumExecutable(): string | undefined {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

// Flags that work as root in a container. Without the background-networking flags Chromium
// floods a closed network with refused connections.
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
