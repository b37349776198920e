import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, PACKAGE_INDEX_PATH } from '../../../scripts/test-hub/package-index.ts';
import { startTestHub } from '../../../scripts/test-hub/server.ts';
import type { TestHub } from '../../../scripts/test-hub/server.ts';
import { PythonSandbox } from '../core/sandbox.ts';
import { nodeWorkerHosts } from './node-worker.node.ts';
import { PYODIDE_DIR, runBody } from './test-runner.node.ts';

// Pyodide installs the benchmark's packages from the test hub's stand-in index
// (scripts/test-hub/package-index.ts) over HTTP, through its lock file: the path the app
// takes with ?packages=, minus the browser. The wheels are stand-ins, not numpy. (Pyodide under
// Node reads a lock file from disk only: the served one is saved first.)
let hub: TestHub;
let root: string;
let sandbox: PythonSandbox;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'stand-in-index-'));
  hub = await startTestHub({ root });
  const base = `${hub.url}${PACKAGE_INDEX_PATH}`;
  const lockFile = join(root, LOCK_FILE);
  writeFileSync(lockFile, await (await fetch(`${base}${LOCK_FILE}`)).text());
  sandbox = new PythonSandbox(nodeWorkerHosts, {
    boot: {
      indexURL: PYODIDE_DIR,
      lockFileURL: lockFile,
      packageBaseUrl: base,
      packageCacheDir: join(root, 'wheels'),
      memoryLimitBytes: 2 ** 29,
    },
    timeLimitMs: 5000,
  });
});
afterAll(async () => {
  sandbox.dispose();
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the stand-in package index', () => {
  it('installs scikit-learn with its dependencies, and numpy for the prefix', async () => {
    const { verdict, outcome } = await runBody(
      sandbox,
      'import sklearn, scipy\nprint([np.STAND_IN, scipy.STAND_IN, sklearn.__version__])',
      '[true, true, "1.8.0"]',
    );
    expect(verdict, outcome.error ?? '').toEqual({ state: 'pass', note: null });
    const wheels = hub
      .requests()
      .map((r) => r.path)
      .filter((p) => p.endsWith('.whl'));
    expect(wheels.map((p) => p.replace(/^.*\/([^/-]+)-.*$/, '$1')).sort()).toEqual([
      'joblib',
      'numpy',
      'scikit_learn',
      'scipy',
      'threadpoolctl',
    ]);
  });

  it('installs pandas and what it depends on', async () => {
    const { verdict, outcome } = await runBody(
      sandbox,
      'import pandas, dateutil, pytz, six\nprint(pandas.STAND_IN and dateutil.STAND_IN)',
      'true',
    );
    expect(verdict, outcome.error ?? '').toEqual({ state: 'pass', note: null });
  });
});
