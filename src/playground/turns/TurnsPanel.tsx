import { useState } from 'react';
import type { AppError } from '../../shared/errors.ts';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import type { Turn } from '../state/share-state.ts';
import type { TurnsState, TurnStatus } from './use-turns.ts';

const STATUS_WORD: Record<TurnStatus, string> = {
  pending: 'not answered',
  running: 'writing…',
  done: 'answered',
  stopped: 'stopped',
  error: 'failed',
};

export interface ProblemInfo {
  title: string;
  expected: string;
}

/** The turns of a multi-turn session: each prompt and the model's answer, editable, re-runnable. */
export function TurnsPanel({
  state,
  problem,
  problemError,
  busy,
  onEdit,
  onRunFrom,
  onChangeTurns,
  onOpenProblem,
}: {
  state: TurnsState;
  problem: ProblemInfo | null;
  problemError: AppError | null;
  busy: boolean;
  onEdit: (index: number, change: Partial<Turn>) => void;
  onRunFrom: (index: number) => void;
  onChangeTurns: (turns: Turn[]) => void;
  onOpenProblem: (problemId: string, caseIndex: number) => void;
}) {
  const [problemId, setProblemId] = useState('1');
  const [caseNumber, setCaseNumber] = useState('1');
  const { turns, status } = state;

  return (
    <section className="pg-turns" aria-labelledby="pg-turns-title" data-testid="turns">
      <h3 id="pg-turns-title">Turns</h3>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          onOpenProblem(problemId.trim(), Math.max(0, Number(caseNumber) - 1 || 0));
        }}
      >
        <label>
          MTPB problem
          <input
            value={problemId}
            onChange={(e) => setProblemId(e.target.value)}
            inputMode="numeric"
            size={4}
          />
        </label>
        <label>
          Test case
          <input
            type="number"
            min={1}
            max={5}
            value={caseNumber}
            onChange={(e) => setCaseNumber(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Open
        </button>
      </form>
      {problemError && (
        <div className="notice error" role="alert">
          <strong>{problemError.message}</strong>
          {problemError.hint && <p>{problemError.hint}</p>}
        </div>
      )}
      {problem && (
        <p className="muted" data-testid="problem-title">
          {problem.title} · expected output <code>{problem.expected}</code>
        </p>
      )}
      <ol className="pg-turn-list">
        {turns.map((turn, i) => (
          <li key={i} className="pg-turn" data-testid="turn" data-status={status[i]}>
            <label>
              Turn {i + 1} prompt
              <input
                value={turn.prompt}
                onChange={(e) => onEdit(i, { prompt: e.target.value })}
                disabled={busy}
                spellCheck={false}
              />
            </label>
            <label>
              Answer ({STATUS_WORD[status[i] ?? 'pending']})
              <textarea
                value={turn.completion}
                rows={Math.min(8, Math.max(2, turn.completion.split('\n').length))}
                onChange={(e) => onEdit(i, { completion: e.target.value })}
                readOnly={busy}
                spellCheck={false}
                data-testid="turn-completion"
              />
            </label>
            {state.error?.turn === i && (
              <ErrorNotice error={state.error.error} testId="turn-error" />
            )}
            <div className="form-row">
              <button
                type="button"
                disabled={busy || !turn.prompt.trim()}
                onClick={() => onRunFrom(i)}
              >
                Answer from turn {i + 1}
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => onChangeTurns(turns.filter((_, j) => j !== i))}
                aria-label={`Remove turn ${i + 1}`}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button
        type="button"
        disabled={busy}
        onClick={() => onChangeTurns([...turns, { prompt: '', completion: '' }])}
        data-testid="add-turn"
      >
        Add a turn
      </button>
    </section>
  );
}
