import { playgroundProblemHref } from '../../playground/open-problem.ts';
import { useEffect, useRef } from 'react';
import { pyRepr } from '../../python/core/pyvalue.ts';
import type { PyValue } from '../../python/core/pyvalue.ts';
import type { Problem } from '../dataset.ts';
import { pyJsonDumps } from '../../python/core/pyjson-dumps.ts';
import { renderPrompts } from '../protocol.ts';
import type { CaseRecord } from '../records.ts';
import type { CellView } from '../run-controller.ts';
import { cellLabel, STATUS_LOOK } from './cell-look.ts';
import { PythonCode } from './PythonCode.tsx';
import { flawOf } from './reference.ts';
import { cellStatus } from './stats.ts';

/** A Python value as the export writes it (10.0 stays 10.0). */
const json = (value: PyValue): string => {
  try {
    return pyJsonDumps(value);
  } catch {
    return pyRepr(value);
  }
};

function Turns({ record }: { record: CaseRecord }) {
  // An imported sample has no turns, only the whole program.
  if (record.turns.length === 0)
    return <PythonCode code={record.program} label="The program that was run" />;
  return (
    <ol className="bench-turns">
      {record.turns.map((turn, i) => (
        <li key={i}>
          <h4>
            Turn {i + 1} of {record.turns.length}
          </h4>
          <p className="bench-prompt">
            <span className="visually-hidden">Prompt: </span># {turn.prompt}
          </p>
          <PythonCode
            code={turn.completion === '' ? '# (empty completion)' : turn.completion}
            label={`Generated code, turn ${i + 1}`}
          />
        </li>
      ))}
    </ol>
  );
}

function Verdict({ record }: { record: CaseRecord }) {
  return (
    <>
      <table className="facts bench-verdict">
        <tbody>
          <tr>
            <th scope="row">Input</th>
            <td>{json(record.input)}</td>
          </tr>
          <tr>
            <th scope="row">Expected</th>
            <td data-testid="drawer-expected">{json(record.goldOutput)}</td>
          </tr>
          <tr>
            <th scope="row">Printed</th>
            <td data-testid="drawer-printed">
              {record.printed ?? <span className="muted">(nothing compared)</span>}
            </td>
          </tr>
          <tr>
            <th scope="row">Verdict</th>
            <td data-testid="drawer-detail">
              {record.detail || record.status} · {Math.round(record.execMs)} ms
              {record.genTokens > 0 && ` · ${record.genTokens} tokens generated`}
            </td>
          </tr>
        </tbody>
      </table>
      {record.contextOverflow && (
        <p className="notice warn">The prompt outgrew the model's context: nothing was run.</p>
      )}
      {record.error && (
        <>
          <h3>Error</h3>
          <pre className="output bench-error-text" data-testid="drawer-error">
            {record.error}
          </pre>
        </>
      )}
      <h3>Standard output</h3>
      <pre className="output" data-testid="drawer-stdout">
        {record.stdout || <span className="muted">(empty)</span>}
      </pre>
    </>
  );
}

/**
 * One test case in a side drawer: each turn's prompt and code, what the program printed
 * against the expected value, the verdict and any error. A modal <dialog> keeps focus inside
 * and closes on Esc; focus goes back to the cell that opened it.
 */
export function CaseDrawer({
  caseRef,
  view,
  problem,
  live,
  officialDataset,
  onClose,
}: {
  caseRef: { problemId: string; caseIndex: number; sample: number };
  view: CellView | undefined;
  problem: Problem | undefined;
  live: boolean;
  officialDataset: boolean;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement;
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
    return () => {
      if (opener instanceof HTMLElement) opener.focus();
    };
  }, []);
  const status = cellStatus(view, live);
  const record = view?.kind === 'done' ? view.record : null;
  const flaw = officialDataset ? flawOf(caseRef.problemId, caseRef.caseIndex) : undefined;
  let prompts: string[] = [];
  try {
    if (problem && !record) prompts = renderPrompts(problem, caseRef.caseIndex);
  } catch {
    prompts = problem?.prompts ?? [];
  }

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
          Problem {caseRef.problemId}
          {problem && ` · ${problem.name}`} · test {caseRef.caseIndex + 1}
          {caseRef.sample > 0 && ` · sample ${caseRef.sample + 1}`}
        </h2>
        {problem && (
          <a
            href={playgroundProblemHref(caseRef.problemId, caseRef.caseIndex)}
            onClick={() => dialog.current?.close()}
            data-testid="open-in-playground"
          >
            Open in playground
          </a>
        )}
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          Close <span className="muted">(Esc)</span>
        </button>
      </header>
      <p>
        <span className={`bench-cell st-${status}`} data-testid="drawer-status">
          {STATUS_LOOK[status].icon} {record ? STATUS_LOOK[status].label : cellLabel(status, view)}
        </span>
        {record && ` · ${record.mode === 'multi' ? 'multi-turn' : 'single-turn'}`}
      </p>
      {flaw && (
        <p className="notice warn" data-testid="drawer-flaw">
          Known dataset flaw: {flaw.why}. No correct program passes this test case under the
          official checker.
        </p>
      )}
      {problem?.description && <p className="muted">{problem.description}</p>}
      {record ? (
        <>
          <Verdict record={record} />
          <h3>Turns</h3>
          <Turns record={record} />
        </>
      ) : (
        prompts.length > 0 && (
          <>
            <h3>Prompts</h3>
            <ol className="bench-turns">
              {prompts.map((prompt, i) => (
                <li key={i} className="bench-prompt">
                  # {prompt}
                </li>
              ))}
            </ol>
          </>
        )
      )}
    </dialog>
  );
}
