import { lazy, Suspense, useMemo } from 'react';
import { percent } from '../../mtpb/metrics.ts';
import { temperaturesOf } from '../../mtpb/protocol.ts';
import type { CaseRecord } from '../../mtpb/records.ts';
import type { RunMeta } from '../../mtpb/storage/run-store.ts';
import { hasRandomWeights } from '../../mtpb/run-model.ts';
import { humanEvalMetrics } from '../metrics.ts';
import { PAPER_HUMANEVAL, PAPER_KS } from '../protocol.ts';

// The chart comes with the charting library, in its own chunk.
const TemperatureChart = lazy(() => import('./TemperatureChart.tsx'));

const figure = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : percent(value, 2);

/**
 * HumanEval's figures for a run: pass@k (the unbiased estimator, the k that n allows) per
 * temperature and the best temperature per k, beside the CodeGen paper's Table 1.
 */
export function HumanEvalSummary({
  run,
  records,
}: {
  run: RunMeta;
  records: readonly CaseRecord[];
}) {
  const metrics = useMemo(() => {
    const temperatures =
      run.kind === 'replay' && !run.settings.temperatures ? [] : temperaturesOf(run.settings);
    const columns = temperatures.length > 0 ? temperatures : [Number.NaN];
    return humanEvalMetrics(records, columns, run.settings.n);
  }, [records, run]);
  const label = run.model?.label ?? null;
  const match = label ? PAPER_HUMANEVAL.find((row) => row.matches(label)) : undefined;
  const random = hasRandomWeights(run.model);
  return (
    <div className="bench-summary" data-testid="humaneval-summary">
      <figure className="bench-paper">
        <figcaption>
          pass@k on HumanEval, this run (unbiased estimator over {run.settings.n} sample
          {run.settings.n === 1 ? '' : 's'} per task and temperature)
        </figcaption>
        <table className="facts" data-testid="humaneval-pass-at-k">
          <thead>
            <tr>
              <th scope="col">Temperature</th>
              {metrics.ks.map((k) => (
                <th key={k} scope="col">
                  pass@{k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {metrics.byTemperature.map((row) => (
              <tr key={row.temperature} data-testid={`humaneval-t-${row.temperature}`}>
                <th scope="row">
                  {Number.isNaN(row.temperature) ? 'as imported' : row.temperature}
                </th>
                {metrics.ks.map((k) => (
                  <td key={k}>{figure(row.passAt.get(k))}</td>
                ))}
              </tr>
            ))}
            {metrics.byTemperature.length > 1 && (
              <tr data-testid="humaneval-best">
                <th scope="row">Best of temperatures</th>
                {metrics.best.map((b) => (
                  <td key={b.k}>
                    {figure(b.value)}
                    {b.temperature !== null && (
                      <span className="muted"> (T = {b.temperature})</span>
                    )}
                  </td>
                ))}
              </tr>
            )}
          </tbody>
        </table>
      </figure>
      <Suspense fallback={<p className="muted">Loading the chart…</p>}>
        <TemperatureChart byTemperature={metrics.byTemperature} />
      </Suspense>
      <figure className="bench-paper" data-testid="humaneval-paper">
        <figcaption>
          The CodeGen paper’s Table 1 (CodeGen-Mono, best temperature per k)
          {label && !match && ` (no figure for ${label})`}
        </figcaption>
        <table className="facts">
          <thead>
            <tr>
              <th scope="col">Model</th>
              {PAPER_KS.map((k) => (
                <th key={k} scope="col">
                  pass@{k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {PAPER_HUMANEVAL.map((row) => (
              <tr
                key={row.model}
                className={row === match ? 'chosen' : ''}
                aria-current={row === match ? 'true' : undefined}
              >
                <th scope="row">{row.model}</th>
                {PAPER_KS.map((k) => (
                  <td key={k}>{row.passAt[k].toFixed(2)} %</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          {random ? 'This model has random weights: every sample fails, whatever it prints. ' : ''}
          The paper’s figures need the real checkpoint from the Hugging Face hub and n = 100 or more
          samples per temperature.
        </p>
      </figure>
    </div>
  );
}
