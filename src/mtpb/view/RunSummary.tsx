import type { LoadedDataset } from '../load-dataset.ts';
import { summarize } from '../records.ts';
import type { RunSnapshot } from '../run-controller.ts';
import { formatMs } from '../../shared/format.ts';
import { PAPER_MTPB } from './reference.ts';
import { categoryRates, etaMs, meanPassAtK, percent } from './stats.ts';

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
}: {
  snapshot: RunSnapshot;
  dataset: LoadedDataset | null;
  /** performance.now() of this render; the view refreshes it while a run goes on. */
  now: number;
}) {
  const { run, records } = snapshot;
  if (!run) return null;
  const total = run.totalCases;
  const done = records.length;
  const elapsed = now - snapshot.sessionStartedAt;
  const live = snapshot.phase === 'running';
  const eta = live ? etaMs(total - done, snapshot.sessionCases, elapsed) : null;
  const tokensPerSecond = live && elapsed > 0 ? (snapshot.tokens * 1000) / elapsed : null;
  const summary = summarize(records);
  const judged = summary.cases - summary.byStatus.unavailable;
  const k = run.settings.k;
  const atK = meanPassAtK(records, k);
  const categories = categoryRates(records, dataset);

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
            {eta !== null && ` · about ${formatMs(eta)} left`}
            {tokensPerSecond !== null && ` · ${tokensPerSecond.toFixed(1)} tokens/s`}
          </span>
          <progress value={done} max={Math.max(total, 1)} data-testid="bench-progress" />
        </label>
        <p data-testid="bench-pass-rate">
          Pass rate <strong>{percent(summary.passRate)}</strong> ({summary.passed} of {judged}{' '}
          judged)
        </p>
        <p className="muted" data-testid="bench-counts">
          ✓ {summary.byStatus.pass} pass · ✗ {summary.byStatus.fail} fail · ◷{' '}
          {summary.byStatus.timeout} timeout · ⚠ {summary.byStatus.error} error · ⊘{' '}
          {summary.byStatus.unavailable} unavailable (not counted)
        </p>
        <p data-testid="bench-pass-at-k">
          pass@{k}{' '}
          {atK ? (
            <>
              <strong>{percent(atK.value)}</strong> (mean over {atK.cases} test cases with{' '}
              {k === 1 ? 'a judged sample' : `≥ ${k} judged samples`})
            </>
          ) : (
            <span className="muted">
              — (no test case has {k === 1 ? 'a judged sample' : `${k} judged samples`} yet)
            </span>
          )}
        </p>
        {categories.length > 0 && (
          <details className="bench-categories">
            <summary>Pass rate per category ({categories.length})</summary>
            <table className="facts">
              <tbody>
                {categories.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">{c.category}</th>
                    <td>
                      {percent(c.rate)} ({c.passed}/{c.judged})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </div>
      <PaperFigure model={run.model?.label ?? null} mode={run.settings.mode} />
    </div>
  );
}
