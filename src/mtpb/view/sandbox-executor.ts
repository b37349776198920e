import { pythonExecutor } from '../python-executor.ts';
import type { CreateExecutor } from './use-benchmark.ts';

/**
 * The benchmark's executor: the app's Pyodide sandbox (opaque-origin iframes, one worker
 * active and one spare) with the official MTPB checker. Loaded on the first Run only, so the
 * page does not pay for Pyodide until it is needed.
 */
export const createSandboxExecutor: CreateExecutor = async () => {
  const { PythonSandbox } = await import('../../python/browser/python-sandbox.ts');
  const sandbox = await PythonSandbox.create();
  return pythonExecutor({
    run: (program, expected, signal) => sandbox.run(program, { expected, signal }),
    endProblem: () => sandbox.endProblem(),
  });
};
