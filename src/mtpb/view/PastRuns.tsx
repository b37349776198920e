import { useState } from 'react';
import type { RunMeta } from '../storage/run-store.ts';
import { percent } from '../metrics.ts';
import { describeModel } from '../run-model.ts';
import type { RunListEntry } from './use-benchmark.ts';

export const runDate = (meta: Pick<RunMeta, 'createdAt'>): string =>
  new Date(meta.createdAt).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

export const runTitle = (meta: RunMeta): string =>
  meta.kind === 'replay'
    ? `${runDate(meta)} · replay of ${meta.datasetLabel}`
    : `${runDate(meta)} · ${meta.model?.label ?? 'unknown model'} · ${
        meta.settings.mode === 'multi' ? 'multi-turn' : 'single-turn'
      }`;

/**
 * Why a stored run cannot be resumed right now, or null when it can. A loaded model that
 * differs from the run's does not block here: resuming then asks before it continues.
 */
export function resumeBlocker(
  meta: RunMeta,
  context: { active: boolean; modelLoaded: boolean; datasetReady: boolean },
): string | null {
  if (meta.kind !== 'live') return 'An imported replay cannot be resumed; import the file again.';
  if (meta.state === 'done') return 'This run is complete.';
  if (context.active) return 'Another run is in progress.';
  if (!context.datasetReady) return 'The benchmark is not loaded.';
  if (!meta.model) return 'This run has no model recorded.';
  if (!context.modelLoaded) return `Load ${describeModel(meta.model)} to resume it.`;
  return null;
}

/** Stored runs: open one, resume an unfinished one, delete one (with a confirming second click). */
export function PastRuns({
  runs,
  currentRunId,
  active,
  modelLoaded,
  datasetReady,
  onOpen,
  onResume,
  onDelete,
  onOpenComparison,
}: {
  runs: readonly RunListEntry[];
  currentRunId: string | null;
  active: boolean;
  modelLoaded: boolean;
  datasetReady: boolean;
  onOpen: (runId: string) => void;
  onResume: (meta: RunMeta) => void;
  onDelete: (runId: string) => void;
  /** Opens the multi- vs single-turn comparison a run belongs to. */
  onOpenComparison: (comparisonId: string) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (runs.length === 0) return <p className="muted">No saved runs yet.</p>;
  return (
    <div className="bench-table-wrap">
      <table className="bench-runs" data-testid="past-runs">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Model</th>
            <th scope="col">Mode</th>
            <th scope="col">State</th>
            <th scope="col">Cases</th>
            <th scope="col" title="Unavailable cases are not counted">
              Pass rate (excl. unavailable)
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map(({ meta, summary }) => {
            const blocker = resumeBlocker(meta, { active, modelLoaded, datasetReady });
            const current = meta.id === currentRunId;
            const unfinished = meta.kind === 'live' && meta.state !== 'done';
            return (
              <tr
                key={meta.id}
                data-testid={`run-${meta.id}`}
                data-state={meta.state}
                aria-current={current ? 'true' : undefined}
              >
                <td>{runDate(meta)}</td>
                <td data-testid="past-run-model">
                  {meta.model
                    ? describeModel(meta.model)
                    : meta.source?.model
                      ? `${meta.datasetLabel} (from ${describeModel(meta.source.model)})`
                      : meta.datasetLabel}
                  {meta.resumes.some((r) => r.differences.length > 0) && (
                    <span className="muted"> · resumed on another model</span>
                  )}
                </td>
                <td>
                  {meta.kind === 'replay' ? 'replay' : meta.settings.mode}
                  {meta.comparison && <span className="muted"> · compared</span>}
                </td>
                <td>
                  <span className={`bench-state state-${meta.state}`}>{meta.state}</span>
                </td>
                <td>
                  {summary.cases} / {meta.totalCases}
                </td>
                <td>{summary.cases > 0 ? percent(summary.rate) : '—'}</td>
                <td className="bench-actions">
                  <button
                    type="button"
                    disabled={active || current}
                    onClick={() => onOpen(meta.id)}
                  >
                    Open
                  </button>
                  {meta.comparison?.mode === 'multi' && (
                    <button
                      type="button"
                      disabled={active}
                      onClick={() => meta.comparison && onOpenComparison(meta.comparison.id)}
                      data-testid="open-comparison"
                    >
                      Open comparison
                    </button>
                  )}
                  {unfinished && (
                    <button
                      type="button"
                      disabled={blocker !== null}
                      title="Runs the cases this run has not finished"
                      aria-describedby={blocker ? `resume-why-${meta.id}` : undefined}
                      onClick={() => onResume(meta)}
                    >
                      Resume
                    </button>
                  )}
                  {unfinished && blocker && (
                    <span className="muted bench-why" id={`resume-why-${meta.id}`}>
                      {blocker}
                    </span>
                  )}
                  {confirming === meta.id ? (
                    <>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          setConfirming(null);
                          onDelete(meta.id);
                        }}
                      >
                        Delete for good
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      disabled={active && current}
                      onClick={() => setConfirming(meta.id)}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
