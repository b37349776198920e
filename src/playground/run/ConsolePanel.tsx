import { formatMs } from '../../shared/format.ts';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import type { ConsoleOutput } from './console-output.ts';
import { splitValue, truncationNote } from './editor-program.ts';
import type { ProgramState } from './use-python.ts';
import { useStickToBottom } from './use-stick-to-bottom.ts';

const STATUS_TEXT = {
  idle: 'Shift+Enter runs the editor’s program in the Python sandbox.',
  booting: 'Starting Python (the first run loads Pyodide)…',
  running: 'Running…',
} as const;

/**
 * What the program prints, live while it runs, and then its last expression's value and how
 * it ended. Stop keeps what was printed.
 */
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
      <ConsoleBody state={state} />
    </section>
  );
}

function ConsoleBody({ state }: { state: ProgramState }) {
  switch (state.status) {
    case 'error':
      return <ErrorNotice error={state.error} testId="console-error" />;
    case 'idle':
      return <p className="muted">{STATUS_TEXT.idle}</p>;
    case 'booting':
    case 'running':
      return (
        <>
          <Printed stdout={state.output.stdout} stderr={splitValue(state.output.stderr).stderr} />
          <p className="muted" data-testid="console-progress">
            {state.waitingFor !== null
              ? `Waiting: the ${state.waitingFor} is running a program in the Python sandbox…`
              : STATUS_TEXT[state.status]}
            {state.output.droppedChars > 0 && ` ${truncationNote(state.output.droppedChars)}`}
          </p>
        </>
      );
    case 'stopped':
      return (
        <>
          <Printed stdout={state.output.stdout} stderr={splitValue(state.output.stderr).stderr} />
          <p className="notice warn" data-testid="console-summary">
            {stoppedText(state.output)}
          </p>
        </>
      );
    case 'done':
      return (
        <>
          <Printed stdout={state.report.stdout} stderr={null} />
          {state.report.value !== null && (
            <pre className="pg-value" data-testid="console-value">
              <span className="muted">Out: </span>
              {state.report.value}
            </pre>
          )}
          <Printed stdout={null} stderr={state.report.stderr} />
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
      );
  }
}

function Printed({ stdout, stderr }: { stdout: string | null; stderr: string | null }) {
  return (
    <>
      {stdout && <Stream text={stdout} className="pg-out" testId="console-stdout" />}
      {stderr && <Stream text={stderr} className="pg-err" testId="console-stderr" />}
    </>
  );
}

/** One stream's text; where the layout lets it scroll, it follows the newest lines. */
function Stream({ text, className, testId }: { text: string; className: string; testId: string }) {
  const { ref, onScroll } = useStickToBottom<HTMLPreElement>(text);
  return (
    <pre className={className} data-testid={testId} ref={ref} onScroll={onScroll}>
      {text}
    </pre>
  );
}

function stoppedText(output: ConsoleOutput): string {
  const printed = output.stdout || output.stderr ? ' What it printed before is kept above.' : '';
  const truncated = output.droppedChars > 0 ? ` ${truncationNote(output.droppedChars)}` : '';
  return `Stopped.${printed}${truncated}`;
}
