import { useEffect, useState } from 'react';
import type { LoadedDataset } from '../load-dataset.ts';
import { percent, summarize } from '../metrics.ts';
import type { CaseRecord } from '../records.ts';
import { runTitle } from './PastRuns.tsx';
import { diffRuns } from './stats.ts';
import type { ProblemDiff } from './stats.ts';
import type { RunListEntry } from './use-benchmark.ts';

interface Loaded {
  ids: string;
  a: CaseRecord[];
  b: CaseRecord[];
  diffs: ProblemDiff[];
}

function RunPicker({
  label,
  value,
  runs,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  runs: readonly RunListEntry[];
  onChange: (id: string) => void;
  testId: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">Choose a run</option>
        {runs.map(({ meta }) => (
          <option key={meta.id} value={meta.id}>
            {runTitle(meta)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Two stored runs side by side (e.g. multi- vs single-turn): the problems where they differ. */
export function RunCompare({
  runs,
  loadRecords,
  dataset,
}: {
  runs: readonly RunListEntry[];
  loadRecords: (runId: string) => Promise<CaseRecord[]>;
  dataset: LoadedDataset | null;
}) {
  const [aId, setA] = useState('');
  const [bId, setB] = useState('');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const ids = `${aId}|${bId}`;
  const ready = aId !== '' && bId !== '' && aId !== bId;

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    void Promise.all([loadRecords(aId), loadRecords(bId)]).then(([a, b]) => {
      if (!cancelled) setLoaded({ ids, a, b, diffs: diffRuns(a, b) });
    });
    return () => {
      cancelled = true;
    };
  }, [ready, aId, bId, ids, loadRecords]);

  const current = loaded?.ids === ids && ready ? loaded : null;
  const name = (id: string): string => dataset?.problems.find((p) => p.id === id)?.name ?? '';
  const rate = (records: CaseRecord[]): string => {
    const s = summarize(records);
    return `${percent(s.rate)} (${s.passed}/${s.judged} judged)`;
  };

  return (
    <div className="bench-compare" data-testid="run-compare">
      <div className="form-row">
        <RunPicker label="Run A" value={aId} runs={runs} onChange={setA} testId="compare-a" />
        <RunPicker label="Run B" value={bId} runs={runs} onChange={setB} testId="compare-b" />
      </div>
      {aId !== '' && aId === bId && <p className="muted">Pick two different runs.</p>}
      {ready && !current && <p className="muted">Loading both runs…</p>}
      {current && (
        <>
          <p data-testid="compare-summary">
            A: <strong>{rate(current.a)}</strong> · B: <strong>{rate(current.b)}</strong> ·{' '}
            {current.diffs.length === 1
              ? '1 problem differs'
              : `${current.diffs.length} problems differ`}
            {current.diffs.length > 0
              ? ' (over the test cases both runs finished; unavailable cases not counted):'
              : '. Unavailable cases are not counted.'}
          </p>
          {current.diffs.length > 0 && (
            <div className="bench-table-wrap">
              <table className="bench-runs" data-testid="compare-table">
                <thead>
                  <tr>
                    <th scope="col">Problem</th>
                    <th scope="col">A passed / judged</th>
                    <th scope="col">B passed / judged</th>
                    <th scope="col">Tests that differ</th>
                  </tr>
                </thead>
                <tbody>
                  {current.diffs.map((d) => (
                    <tr key={d.problemId}>
                      <th scope="row">
                        <span className="bench-id">{d.problemId}</span> {name(d.problemId)}
                      </th>
                      <td className={d.a.passed > d.b.passed ? 'better' : ''}>
                        {d.a.passed}/{d.a.judged}
                      </td>
                      <td className={d.b.passed > d.a.passed ? 'better' : ''}>
                        {d.b.passed}/{d.b.judged}
                      </td>
                      <td>{d.cases.map((c) => c + 1).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
