import { formatMs } from '../../shared/format.ts';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import type { ProgramState } from './use-python.ts';

const STATUS_TEXT = {
  idle: 'Shift+Enter runs the editor’s program in the Python sandbox.',
  booting: 'Starting Python (the first run loads Pyodide)…',
  running: 'Running…',
  stopped: 'Stopped.',
} as const;

/** What the last run printed, its last expression's value, and how it ended. */
export function ConsolePanel({ state, onClear }: { state: ProgramState; onClear: () => void }) {
  const status = state.status === 'done' ? state.report.status : state.status;
  return (
    <section
      className="pg-console"
      aria-label="Console"
      aria-live="polite"
      aria-busy={state.status === 'booting' || state.status === 'running'}
      data-testid="console"
      data-status={status}
    >
      <div className="pg-console-head">
        <h3>Console</h3>
        <button type="button" onClick={onClear} disabled={state.status === 'idle'}>
          Clear
        </button>
      </div>
      {state.status === 'error' ? (
        <ErrorNotice error={state.error} testId="console-error" />
      ) : state.status !== 'done' ? (
        <p className="muted">
          {(state.status === 'booting' || state.status === 'running') && state.waitingFor !== null
            ? `Waiting: the ${state.waitingFor} is running a program in the Python sandbox…`
            : STATUS_TEXT[state.status]}
        </p>
      ) : (
        <>
          {state.report.stdout && (
            <pre className="pg-out" data-testid="console-stdout">
              {state.report.stdout}
            </pre>
          )}
          {state.report.value !== null && (
            <pre className="pg-value" data-testid="console-value">
              <span className="muted">Out: </span>
              {state.report.value}
            </pre>
          )}
          {state.report.stderr && (
            <pre className="pg-err" data-testid="console-stderr">
              {state.report.stderr}
            </pre>
          )}
          <p
            className={state.report.status === 'ok' ? 'muted' : 'notice warn'}
            data-testid="console-summary"
          >
            {state.report.summary ?? 'Finished.'}
            {state.report.errorLine !== null &&
              ` (line ${state.report.errorLine}, marked in the editor)`}{' '}
            <span className="muted">· {formatMs(state.wallMs)}</span>
          </p>
        </>
      )}
    </section>
  );
}
