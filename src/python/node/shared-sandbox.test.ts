import { afterAll, describe, expect, it } from 'vitest';
import { SharedSandbox } from '../core/shared-sandbox.ts';
import { PythonSandbox } from '../core/sandbox.ts';
import type { WorkerHostFactory } from '../core/sandbox.ts';
import { nodeWorkerHosts } from './node-worker.node.ts';
import { emptyPackageDir, PYODIDE_DIR } from './test-runner.node.ts';

// The real interpreter workers behind one SharedSandbox, as the page has them.
let sandboxes = 0;
let workers = 0;
const countedHosts: WorkerHostFactory = () => {
  workers += 1;
  return nodeWorkerHosts();
};
const page = new SharedSandbox(() => {
  sandboxes += 1;
  return Promise.resolve(
    new PythonSandbox(countedHosts, {
      boot: {
        indexURL: PYODIDE_DIR,
        packageBaseUrl: emptyPackageDir(),
        memoryLimitBytes: 2 ** 29,
      },
      timeLimitMs: 5000,
    }),
  );
});
afterAll(() => page.dispose());

const stdout = async (user: string, program: string): Promise<string> =>
  (await page.user(user).run(program)).outcome.stdout;

describe('one sandbox shared by the playground and the benchmark', () => {
  it('boots once for both, and no user sees another’s module patches', async () => {
    const [mine, theirs] = await Promise.all([
      stdout('playground', 'import math\nmath.pi = 3\nprint(math.pi)'),
      stdout('benchmark', 'import math\nprint(math.pi)'),
    ]);
    expect(mine.trim()).toBe('3');
    expect(theirs.trim()).toBe(String(Math.PI));
    expect(sandboxes).toBe(1);
    // The active worker, its spare, and one spare more for the user change.
    expect(workers).toBeLessThanOrEqual(3);
  });
});
