/**
 * `npm run bench:python`: how fast the Python sandbox is in Chromium, cross-origin isolated
 * and plain. Prints the median and p90 round trip per MTPB test case (all reference
 * solutions), the time to boot a worker, and the time to get going again after a hard kill.
 */
import { launchChromium, openPage } from './browser.ts';
import { startSandboxPageServer } from '../python-sandbox-page/server.ts';
import type { CaseSummary } from '../python-sandbox-page/api.ts';

const PREFIX = '# Import libraries.\n\nimport numpy as np\n\n';
// Reference solutions are trusted: ten problems share a worker, as in the Node tests, so the
// run is not dominated by boots (measured on their own below).
const CASE_OPTIONS = { timeLimitMs: 20_000, problemsPerWorker: 10 };
const KILL_OPTIONS = { timeLimitMs: 500, hardStopMs: 200, killAfterMs: 300 };

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

async function measureMode(isolated: boolean, port: number): Promise<string[]> {
  const server = await startSandboxPageServer(port, isolated);
  const browser = await launchChromium();
  try {
    const page = await openPage(browser, `http://127.0.0.1:${port}/`, () => {});
    await page.getByText('ready').waitFor();
    const api = 'window.sandboxPage';
    const call = <T>(expression: string): Promise<T> => page.evaluate<T>(`${api}.${expression}`);

    const boots: { bootMs: number; workerBootMs: number }[] = [];
    for (let i = 0; i < 3; i++) boots.push(await call(`boot(${JSON.stringify(CASE_OPTIONS)})`));

    const ids = await call<string[]>('referenceProblemIds()');
    const cases: CaseSummary[] = [];
    for (const id of ids)
      cases.push(...(await call<CaseSummary[]>(`runReference(${JSON.stringify(id)})`)));
    const ran = cases.filter((c) => c.status !== 'unavailable').map((c) => c.wallMs);

    await call(`boot(${JSON.stringify(KILL_OPTIONS)})`);
    const recoveries: number[] = [];
    for (let i = 0; i < 5; i++) {
      const loop = `${PREFIX}while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n`;
      const killed = await call<CaseSummary>(`run(${JSON.stringify(loop)}, "5")`);
      if (killed.status !== 'killed') throw new Error(`expected a kill, got ${killed.status}`);
      const started = performance.now();
      await call(`run(${JSON.stringify(`${PREFIX}print(5)\n`)}, "5")`);
      recoveries.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 8000)); // let the next spare boot
    }
    const passed = cases.filter((c) => c.state === 'pass').length;
    return [
      `## Chromium, ${isolated ? 'cross-origin isolated' : 'plain (not isolated)'}`,
      `test cases run: ${ran.length} (${passed} passed, ${cases.length - ran.length} unavailable)`,
      `round trip per test case: median ${ms(quantile(ran, 0.5))}, p90 ${ms(quantile(ran, 0.9))}`,
      `boot (PythonSandbox.create, core from the HTTP cache after the first): ${boots.map((b) => ms(b.bootMs)).join(', ')}`,
      `boot inside the worker (loadPyodide + harness): ${boots.map((b) => ms(b.workerBootMs)).join(', ')}`,
      `first case after a hard kill (spare booted): median ${ms(quantile(recoveries, 0.5))}, max ${ms(Math.max(...recoveries))}`,
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

const lines = [...(await measureMode(true, 4185)), '', ...(await measureMode(false, 4186))];
console.log(lines.join('\n'));
