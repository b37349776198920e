import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { seriesColor } from '../../charts/palette.ts';
import { percentCeiling, percentOf } from '../../charts/spec.ts';
import type { ChartSpec, ChartTable } from '../../charts/spec.ts';
import type { TemperaturePassAtK } from '../metrics.ts';

/** One bar: pass@k of one temperature. */
export interface TemperatureRow {
  /** The temperature's label: "T = 0.2", or "as imported" (NaN: samples of unknown temperature). */
  temperature: string;
  k: number;
  /** pass@k, % (0.1); null where no task has k judged samples at this temperature. */
  percent: number | null;
}

export const temperatureLabel = (temperature: number): string =>
  Number.isNaN(temperature) ? 'as imported' : `T = ${temperature}`;

/** HumanEval's pass@k per sampling temperature: grouped bars, one group per k. */
export function humanEvalTemperatureChart(
  byTemperature: readonly TemperaturePassAtK[],
): ChartSpec<TemperatureRow> {
  const title = 'HumanEval pass@k per temperature';
  const temperatures = byTemperature.map((t) => temperatureLabel(t.temperature));
  const ks = [...new Set(byTemperature.flatMap((t) => [...t.passAt.keys()]))].sort((a, b) => a - b);
  const rows: TemperatureRow[] = ks.flatMap((k) =>
    byTemperature.map((t) => {
      const value = t.passAt.get(k);
      return {
        temperature: temperatureLabel(t.temperature),
        k,
        percent: value === null || value === undefined ? null : percentOf(value),
      };
    }),
  );
  const measured = rows.filter(
    (r): r is TemperatureRow & { percent: number } => r.percent !== null,
  );
  const best = ks.flatMap((k) => {
    const top = measured
      .filter((r) => r.k === k)
      .reduce<(TemperatureRow & { percent: number }) | null>(
        (a, r) => (a === null || r.percent > a.percent ? r : a),
        null,
      );
    return top ? [`pass@${k} ${top.percent.toFixed(1)}% (${top.temperature})`] : [];
  });
  const tasks = Math.max(0, ...byTemperature.map((t) => t.tasks));
  const description =
    measured.length === 0
      ? 'No pass@k yet: no task has enough judged samples.'
      : `pass@k of each sampling temperature, grouped by k, over ${tasks} task${tasks === 1 ? '' : 's'}. Best per k: ${best.join(', ')}.`;
  const table: ChartTable = {
    caption: 'pass@k per temperature (%)',
    columns: [
      { key: 'temperature', label: 'Temperature' },
      { key: 'tasks', label: 'Tasks', numeric: true },
      ...ks.map((k) => ({ key: `k${k}`, label: `pass@${k} (%)`, numeric: true })),
    ],
    rows: byTemperature.map((t) => ({
      temperature: temperatureLabel(t.temperature),
      tasks: t.tasks,
      ...Object.fromEntries(
        ks.map((k) => {
          const value = t.passAt.get(k);
          return [
            `k${k}`,
            value === null || value === undefined ? '—' : percentOf(value).toFixed(1),
          ];
        }),
      ),
    })),
  };
  const colors = temperatures.map((_, i) => seriesColor(i));
  const plot = (): PlotOptions => ({
    height: 280,
    marginLeft: 50,
    marginBottom: 40,
    marginTop: 30,
    fx: { domain: ks, tickFormat: (k: number) => `pass@${k}`, label: null, axis: 'top' },
    x: { domain: temperatures, label: null, paddingInner: 0.1 },
    y: {
      domain: [0, percentCeiling(measured.map((r) => r.percent))],
      label: '↑ pass@k (%)',
      grid: true,
    },
    color: { domain: temperatures, range: colors },
    marks: [
      Plot.barY(measured, { fx: 'k', x: 'temperature', y: 'percent', fill: 'temperature' }),
      Plot.text(measured, {
        fx: 'k',
        x: 'temperature',
        y: 'percent',
        text: (d: TemperatureRow & { percent: number }) => d.percent.toFixed(1),
        dy: -6,
        fontSize: 11,
      }),
      // A temperature with no figure for this k (too few samples) says so instead of a gap.
      Plot.text(
        rows.filter((r) => r.percent === null),
        { fx: 'k', x: 'temperature', y: 0, text: () => 'n/a', dy: -8, fontSize: 11 },
      ),
      Plot.ruleY([0]),
      Plot.tip(
        measured,
        Plot.pointerX({
          fx: 'k',
          x: 'temperature',
          y: 'percent',
          title: (d: TemperatureRow & { percent: number }) =>
            `${d.temperature}\npass@${d.k}: ${d.percent.toFixed(1)}%`,
        }),
      ),
    ],
  });
  return {
    title,
    description,
    plot,
    table,
    data: rows,
    legend: temperatures.map((label, i) => ({ label, color: colors[i] ?? seriesColor(i) })),
  };
}
