import type { LoadedDataset } from '../load-dataset.ts';
import { categoriesOf, runMetrics } from '../metrics.ts';
import type { RunSnapshot } from '../run-controller.ts';
import { replayRemainingMs } from '../eta.ts';
import { formatEta } from '../../shared/format.ts';
import { PAPER_MTPB } from './reference.ts';
import { summaryFigures } from './summary-figures.ts';

function PaperFigure({ model, mode }: { model: string | null; mode: 'multi' | 'single' }) {
  const match = model ? PAPER_MTPB.find((row) => row.matches(model)) : undefined;
  return (
    <figure className="bench-paper" data-testid="paper-figure">
      <figcaption>
        MTPB pass rate as reported in the CodeGen paper's MTPB analysis
        {model && !match && ` (no figure for ${model})`}
      </figcaption>
      <table className="facts">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className={mode === 'multi' ? 'chosen' : ''}>
              Multi-turn
            </th>
            <th scope="col" className={mode === 'single' ? 'chosen' : ''}>
              Single-turn
            </th>
          </tr>
        </thead>
        <tbody>
          {PAPER_MTPB.map((row) => (
            <tr
              key={row.model}
              className={row === match ? 'chosen' : ''}
              aria-current={row === match ? 'true' : undefined}
            >
              <th scope="row">{row.model}</th>
              <td>{row.multi.toFixed(2)} %</td>
              <td>{row.single.toFixed(2)} %</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Progress, pace, pass rates (overall, per category, pass@k) and the paper's figure. */
export function RunSummary({
  snapshot,
  dataset,
  now,
  paperFigure = true,
}: {
  snapshot: RunSnapshot;
  dataset: LoadedDataset | null;
  /** MTPB's figure from the paper; HumanEval shows its own table beside its pass@k. */
  paperFigure?: boolean;
  /** performance.now() of this render; the view refreshes it while a run goes on. */
  now: number;
}) {
  const { run, records } = snapshot;
  if (!run) return null;
  const total = run.totalCases;
  const done = records.length;
  const elapsed = now - snapshot.sessionStartedAt;
  const live = snapshot.phase === 'running';
  const remaining = !live
    ? null
    : snapshot.eta
      ? snapshot.eta.remainingMs(now)
      : replayRemainingMs(total - done, snapshot.sessionCases, elapsed);
  const tokensPerSecond = live && elapsed > 0 ? (snapshot.tokens * 1000) / elapsed : null;
  const k = run.settings.k;
  const figures = summaryFigures(runMetrics(records, k, categoriesOf(dataset?.problems ?? [])), k);

  return (
    <div className="bench-summary">
      <div className="bench-stats">
        <label className="stacked">
          <span>
            Progress{' '}
            <strong data-testid="bench-progress-text">
              {done} / {total}
            </strong>{' '}
            cases
            <span data-testid="bench-eta">
              {live && remaining === null
                ? ' · estimating the time left…'
                : formatEta(remaining === null ? null : remaining / 1000)}
            </span>
            {tokensPerSecond !== null && ` · ${tokensPerSecond.toFixed(1)} tokens/s`}
          </span>
          <progress value={done} max={Math.max(total, 1)} data-testid="bench-progress" />
        </label>
        <p data-testid="bench-pass-rate">
          Pass rate <strong>{figures.passRate}</strong> {figures.passRateNote}
        </p>
        <p className="muted" data-testid="bench-counts">
          {figures.counts}
        </p>
        <p data-testid="bench-pass-at-k">
          {figures.passAtK.label}{' '}
          {figures.passAtK.value !== null ? (
            <>
              <strong>{figures.passAtK.value}</strong> {figures.passAtK.note}
            </>
          ) : (
            <span className="muted">{figures.passAtK.note}</span>
          )}
        </p>
        {figures.categories.length > 0 && (
          <details className="bench-categories">
            <summary>
              Pass rate per category ({figures.categories.length}; unavailable cases not counted)
            </summary>
            <table className="facts">
              <tbody>
                {figures.categories.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">{c.category}</th>
                    <td>{c.figure}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </div>
      {paperFigure && <PaperFigure model={run.model?.label ?? null} mode={run.settings.mode} />}
    </div>
  );
}
