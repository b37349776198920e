import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseResult } from '../../python/core/runner.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import { readOutcome, wrapForRun } from './editor-program.ts';
import type { RunReport } from './editor-program.ts';

/** What the playground needs of the Python sandbox (PythonSandbox has it). */
export interface PythonRunner {
  run(program: string, options: { signal?: AbortSignal }): Promise<CaseResult>;
  /** A fresh interpreter for the next run. */
  endProblem(): void;
  dispose(): void;
}

export type CreatePythonRunner = () => Promise<PythonRunner>;

/** The app's sandbox, loaded (Pyodide and all) on the first Run only. */
export const createSandboxRunner: CreatePythonRunner = async () => {
  const { PythonSandbox } = await import('../../python/browser/python-sandbox.ts');
  return PythonSandbox.create();
};

export type RunState =
  | { status: 'idle' }
  | { status: 'booting' | 'running'; startedAt: number }
  | { status: 'done'; report: RunReport; wallMs: number }
  | { status: 'stopped' }
  | { status: 'error'; error: AppError };

const toAppError = (error: unknown): AppError =>
  isAppError(error)
    ? error
    : new AppError('python', `The Python sandbox failed: ${String(error)}`, {
        hint: 'Run again; if it keeps failing, reload the page.',
      });

/** Runs the editor's text in the sandbox, one program at a time, with Stop. */
export function usePythonRun(create: CreatePythonRunner = createSandboxRunner) {
  const [state, setState] = useState<RunState>({ status: 'idle' });
  const runner = useRef<Promise<PythonRunner> | null>(null);
  const controller = useRef<AbortController | null>(null);

  useEffect(
    () => () => {
      controller.current?.abort();
      void runner.current?.then(
        (r) => r.dispose(),
        () => {},
      );
    },
    [],
  );

  const run = useCallback(
    async (source: string) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const booting = runner.current === null;
      setState({ status: booting ? 'booting' : 'running', startedAt: performance.now() });
      try {
        runner.current ??= create();
        const python = await runner.current.catch((error: unknown) => {
          runner.current = null; // a failed boot is tried again on the next Run
          throw error;
        });
        if (abort.signal.aborted) throw new AppError('aborted', 'Stopped.');
        setState({ status: 'running', startedAt: performance.now() });
        const result = await python.run(wrapForRun(source), { signal: abort.signal });
        python.endProblem();
        if (controller.current === abort)
          setState({ status: 'done', report: readOutcome(result.outcome), wallMs: result.wallMs });
      } catch (error) {
        if (controller.current !== abort) return;
        const appError = toAppError(error);
        setState(
          appError.code === 'aborted'
            ? { status: 'stopped' }
            : { status: 'error', error: appError },
        );
      }
    },
    [create],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => setState({ status: 'idle' }), []);
  return { state, run, stop, clear };
}
