import { pageSandbox } from '../../python/browser/page-sandbox.ts';
import { fromSandbox, pythonExecutor } from '../python-executor.ts';
import type { CreateExecutor } from './use-benchmark.ts';

/**
 * The benchmark's executor: the page's Python sandbox (shared with the playground; opaque-origin
 * iframes, one worker active and one spare) with the official MTPB checker. The sandbox starts
 * on the first Run, so the page does not pay for Pyodide until it is needed.
 */
export const createSandboxExecutor: CreateExecutor = async () => {
  const sandbox = pageSandbox().user('benchmark');
  await sandbox.ready(); // a sandbox that cannot start is reported before the run begins
  return pythonExecutor(fromSandbox(sandbox));
};
