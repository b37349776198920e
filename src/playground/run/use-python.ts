import { useCallback, useEffect, useRef, useState } from 'react';
import { pageSandbox } from '../../python/browser/page-sandbox.ts';
import type { SandboxUser } from '../../python/core/shared-sandbox.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import { appendOutput, NO_OUTPUT } from './console-output.ts';
import type { ConsoleOutput } from './console-output.ts';
import { readOutcome, wrapForRun } from './editor-program.ts';
import type { RunReport } from './editor-program.ts';

/** The editor's program in the sandbox: where it is, and how it ended. */
export type ProgramState =
  | { status: 'idle' }
  /**
   * `waitingFor`: another user of the page's sandbox (the benchmark) runs a program first.
   * `output`: what the program has printed so far.
   */
  | {
      status: 'booting' | 'running';
      startedAt: number;
      waitingFor: string | null;
      output: ConsoleOutput;
    }
  | { status: 'done'; report: RunReport; wallMs: number }
  /** Stop: what the program printed before it stays. */
  | { status: 'stopped'; output: ConsoleOutput }
  | { status: 'error'; error: AppError };

const toAppError = (error: unknown): AppError =>
  isAppError(error)
    ? error
    : new AppError('python', `The Python sandbox failed: ${String(error)}`, {
        hint: 'Run again; if it keeps failing, reload the page.',
      });

/** The page's sandbox as the playground uses it: started on the first Run. */
const playgroundSandbox = (): SandboxUser => pageSandbox().user('playground');

/** Runs the editor's text in the sandbox, one program at a time, with Stop. */
export function usePythonRun(sandbox: () => SandboxUser = playgroundSandbox) {
  const [state, setState] = useState<ProgramState>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);

  // The sandbox belongs to the page; leaving the view only stops this view's program.
  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(
    async (source: string) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const startedAt = performance.now();
      const current = (): boolean => controller.current === abort;
      // Batches arrive at most every 80 ms or so (the worker throttles), one render each.
      let output = NO_OUTPUT;
      setState({ status: 'running', startedAt, waitingFor: null, output });
      const python = sandbox();
      try {
        const result = await python.run(wrapForRun(source), {
          signal: abort.signal,
          stream: true,
          onEvent: (event) => {
            if (event.kind !== 'output' || !current()) return;
            output = appendOutput(output, event);
            setState((state) =>
              state.status === 'running' || state.status === 'booting'
                ? { ...state, output }
                : state,
            );
          },
          onProgress: (progress) => {
            if (!current()) return;
            setState(
              progress.kind === 'waiting'
                ? { status: 'running', startedAt, waitingFor: progress.holder, output }
                : { status: progress.kind, startedAt: performance.now(), waitingFor: null, output },
            );
          },
        });
        if (current())
          setState({
            status: 'done',
            report: readOutcome(result.outcome, output),
            wallMs: result.wallMs,
          });
      } catch (error) {
        if (!current()) return;
        const appError = toAppError(error);
        setState(
          appError.code === 'aborted'
            ? { status: 'stopped', output }
            : { status: 'error', error: appError },
        );
      } finally {
        python.endProblem(); // each Run starts on a fresh interpreter
      }
    },
    [sandbox],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => setState({ status: 'idle' }), []);
  return { state, run, stop, clear };
}
