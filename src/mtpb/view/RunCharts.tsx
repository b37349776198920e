import { useMemo } from 'react';
import { Chart } from '../../charts/Chart.tsx';
import '../../charts/charts.css';
import { MODE_NAMES } from '../compare/analysis.ts';
import type { PassAtKDatum } from '../compare/analysis.ts';
import { passAtKChart, timelineChart } from '../compare/charts.ts';
import { meanPassAtK } from '../metrics.ts';
import type { RunSnapshot } from '../run-controller.ts';

/**
 * One run's charts, beside its summary: pass@k against k when it drew several samples per
 * test case, and its timeline (generation, execution, tokens/s) while it is recorded live.
 * Loaded lazily with the charting library.
 */
export default function RunCharts({ snapshot }: { snapshot: RunSnapshot }) {
  const { run, records, timeline } = snapshot;
  const n = run?.settings.n ?? 1;
  const mode = run?.settings.mode ?? 'multi';
  const passAtK = useMemo(() => {
    const data: PassAtKDatum[] = [];
    for (let k = 1; k <= n && n > 1; k++) {
      const value = meanPassAtK(records, k);
      if (value) data.push({ mode, k, value: value.value });
    }
    return passAtKChart({ passAtK: data, n });
  }, [records, n, mode]);
  const timelineSpec = useMemo(
    () =>
      timeline.length > 0 ? timelineChart([{ lane: MODE_NAMES[mode], spans: timeline }]) : null,
    [timeline, mode],
  );
  if (!passAtK && !timelineSpec) return null;
  return (
    <div className="chart-grid" data-testid="run-charts">
      {passAtK && <Chart id="run-pass-at-k" fileName="mtpb-run-pass-at-k" {...passAtK} />}
      {timelineSpec && <Chart id="run-timeline" fileName="mtpb-run-timeline" {...timelineSpec} />}
    </div>
  );
}
