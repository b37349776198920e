import { useEffect, useRef } from 'react';
import type { CellView } from '../../mtpb/run-controller.ts';
import { cellLabel, STATUS_LOOK } from '../../mtpb/view/cell-look.ts';
import { PythonCode } from '../../mtpb/view/PythonCode.tsx';
import { cellStatus } from '../../mtpb/view/stats.ts';
import type { HumanEvalTask } from '../dataset.ts';

/** One HumanEval sample: the prompt, the completion, the test, and what the check said. */
export function HumanEvalDrawer({
  caseRef,
  view,
  task,
  temperature,
  live,
  onClose,
}: {
  caseRef: { problemId: string; caseIndex: number; sample: number };
  view: CellView | undefined;
  task: HumanEvalTask | undefined;
  temperature: number | undefined;
  live: boolean;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const status = cellStatus(view, live);
  const record = view?.kind === 'done' ? view.record : null;
  const prompt = record?.promptsCompletions[0] ?? task?.prompt ?? '';
  const completion = record?.promptsCompletions[1];
  return (
    <dialog
      ref={dialog}
      className="bench-drawer"
      aria-labelledby="drawer-title"
      data-testid="case-drawer"
      onClose={onClose}
    >
      <header className="bench-drawer-head">
        <h2 id="drawer-title">
          {caseRef.problemId}
          {task && ` · ${task.entryPoint}`}
          {temperature !== undefined && ` · T = ${temperature}`} · sample {caseRef.sample + 1}
        </h2>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          Close <span className="muted">(Esc)</span>
        </button>
      </header>
      <p>
        <span className={`bench-cell st-${status}`} data-testid="drawer-status">
          {STATUS_LOOK[status].icon} {record ? STATUS_LOOK[status].label : cellLabel(status, view)}
        </span>
      </p>
      {record && (
        <table className="facts bench-verdict">
          <tbody>
            <tr>
              <th scope="row">Result</th>
              <td data-testid="drawer-result">{record.detail}</td>
            </tr>
            {record.error && (
              <tr>
                <th scope="row">Exception</th>
                <td data-testid="drawer-error">{record.error}</td>
              </tr>
            )}
            <tr>
              <th scope="row">Time</th>
              <td>{(record.execMs / 1000).toFixed(2)} s</td>
            </tr>
            {record.stdout && (
              <tr>
                <th scope="row">Printed (swallowed by the check)</th>
                <td>
                  <pre className="bench-stdout">{record.stdout.slice(0, 4000)}</pre>
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <h3>Prompt</h3>
      <PythonCode code={prompt} label="The prompt" />
      {completion !== undefined && (
        <>
          <h3>Completion</h3>
          <PythonCode
            code={completion === '' ? '# (empty completion)' : completion}
            label="The completion"
          />
        </>
      )}
      {task && (
        <>
          <h3>Test</h3>
          <PythonCode code={`${task.test}\ncheck(${task.entryPoint})`} label="The test" />
        </>
      )}
    </dialog>
  );
}
