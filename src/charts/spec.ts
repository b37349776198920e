import type { PlotOptions } from '@observablehq/plot';
import type { ReactNode } from 'react';
import type { LegendEntry } from './palette.ts';

/**
 * What a chart is, apart from how it is drawn: the builders (src/mtpb/compare/charts.ts,
 * src/humaneval/view/temperature-chart.ts) return one and <Chart> draws it. Pure data plus a
 * `plot` function that only runs when the chart is drawn, so the builders run in Node.
 */

export type SortDirection = 'ascending' | 'descending' | 'none';

export interface ChartColumn {
  key: string;
  label: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** A header button that sorts the table (and the chart) by this column; sets aria-sort. */
  sort?: { direction: SortDirection; onSort: () => void };
}

/** A cell: text, a number, or an element such as a button (the table is the keyboard path). */
export type ChartCell = ReactNode;

export interface ChartTable {
  caption?: string;
  columns: ChartColumn[];
  rows: Array<Record<string, ChartCell>>;
  /** The column whose cells head their rows (<th scope="row">); the first column by default. */
  rowHeader?: string;
}

export interface ChartSpec<Datum = unknown> {
  title: string;
  /** The text alternative: what the chart shows and its key numbers. */
  description: string;
  /** Plot's options, one plot or several stacked (rendered into the same figure). */
  plot: () => PlotOptions | PlotOptions[];
  table: ChartTable;
  /** The chart's underlying rows, as plain JSON (the figure's data-chart-data). */
  data: readonly Datum[];
  /** Counts and figures a test or a caller reads without parsing the rows (data-chart-summary). */
  summary?: Record<string, number | string | null>;
  /** Drawn as an HTML list beside the chart and into the exported image. */
  legend?: LegendEntry[];
}

/** A fraction as a percentage rounded to 0.1 (what the charts plot and the tables list). */
export const percentOf = (fraction: number): number => Math.round(fraction * 1000) / 10;

/** A fraction as text: "23.4%". */
export const percentText = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;

/** Percentage points with a sign: "+12.0", "−3.5", "0.0". */
export const pointsText = (points: number): string =>
  `${points > 0 ? '+' : points < 0 ? '−' : ''}${Math.abs(points).toFixed(1)}`;

/** Seconds from milliseconds, one decimal: "12.3 s". */
export const secondsText = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** An upper bound for a percent axis: 0–100, or less when every value is small (never < 10). */
export const percentCeiling = (percents: readonly number[]): number =>
  Math.min(100, Math.max(10, Math.ceil(Math.max(0, ...percents) / 10) * 10));
