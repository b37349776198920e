import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NUMPY_PRELUDE } from '../core/program.ts';
import { parsePyJson } from '../core/pyjson.ts';
import { PythonSandbox } from '../core/sandbox.ts';
import { nodeWorkerHosts } from './node-worker.node.ts';
import {
  buildProbeLockFile,
  buildProbeWheel,
  PROBE_PACKAGE,
  PROBE_WHEEL,
} from './probe-wheel.node.ts';
import { PYODIDE_DIR } from './test-runner.node.ts';

// A package index of one wheel, in a folder, through a custom lock file.
const dir = `${mkdtempSync(join(tmpdir(), 'probe-index-'))}/`;
const wheel = buildProbeWheel();
writeFileSync(dir + PROBE_WHEEL, wheel);
writeFileSync(`${dir}pyodide-lock.json`, buildProbeLockFile(wheel));

const sandbox = new PythonSandbox(nodeWorkerHosts, {
  boot: {
    indexURL: PYODIDE_DIR,
    lockFileURL: `${dir}pyodide-lock.json`,
    packageBaseUrl: dir,
    memoryLimitBytes: 2 ** 29,
  },
  timeLimitMs: 5000,
});
afterAll(() => {
  sandbox.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const run = (body: string, gold: string) =>
  sandbox.runCase({ program: `${NUMPY_PRELUDE}${body}\n`, expected: parsePyJson(gold) });

describe('packages', () => {
  it('loads a package from the lock file when the program imports it', async () => {
    const { verdict, outcome } = await run(
      'import sandbox_probe\nprint(sandbox_probe.ANSWER)',
      '42',
    );
    expect(verdict, outcome.error ?? '').toEqual({ state: 'pass', note: null });
  });

  it('calls a package it cannot get unavailable, not failed', async () => {
    const { verdict } = await run('import pandas\nprint(1)', '1');
    expect(verdict).toEqual({ state: 'unavailable', packages: ['pandas'] });
  });

  it('guards the numpy prefix when numpy cannot be had, and says so when the program uses np', async () => {
    expect((await run('print(2)', '2')).verdict).toEqual({ state: 'pass', note: null });
    expect((await run('print(np.zeros(2).sum())', '0')).verdict).toEqual({
      state: 'unavailable',
      packages: ['numpy'],
    });
  });

  it('reports a listed wheel that cannot be fetched as unavailable', async () => {
    sandbox.endProblem(); // a fresh worker, which has not loaded the probe
    rmSync(dir + PROBE_WHEEL);
    const { verdict } = await run('import sandbox_probe\nprint(1)', '1');
    expect(verdict).toEqual({ state: 'unavailable', packages: [PROBE_PACKAGE] });
  });
});
