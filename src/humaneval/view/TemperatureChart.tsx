import { useMemo } from 'react';
import { Chart } from '../../charts/Chart.tsx';
import '../../charts/charts.css';
import type { TemperaturePassAtK } from '../metrics.ts';
import { humanEvalTemperatureChart } from './temperature-chart.ts';

/** pass@k per temperature as a chart; loaded lazily with the charting library. */
export default function TemperatureChart({
  byTemperature,
}: {
  byTemperature: readonly TemperaturePassAtK[];
}) {
  const spec = useMemo(() => humanEvalTemperatureChart(byTemperature), [byTemperature]);
  return <Chart id="humaneval-temperatures" fileName="humaneval-pass-at-k" {...spec} />;
}
