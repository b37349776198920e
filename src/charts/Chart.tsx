import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MouseEvent, ReactNode } from 'react';
import { composeSvg, download, pngBlob } from './export-image.ts';
import { PLOT_STYLE } from './palette.ts';
import type { LegendEntry, LegendSymbol } from './palette.ts';
import type { ChartColumn, ChartTable } from './spec.ts';
import './charts.css';

/** At most this often a chart is redrawn while its data streams in (4 per second). */
export const MIN_REDRAW_MS = 250;

/** A redraw on resize waits for the width to move this much. */
const WIDTH_STEP = 16;

export interface ChartProps<Datum = unknown> {
  /** Names the figure: data-testid="chart-<id>" and the element ids. */
  id: string;
  title: string;
  /** The text alternative: what the chart shows and its key numbers (also the SVG's aria-description). */
  description: string;
  /**
   * Builds Plot's options, one plot or several stacked. The chart redraws when this function's
   * identity changes (memoize it with its inputs), at most every MIN_REDRAW_MS.
   */
  plot: () => PlotOptions | PlotOptions[];
  table: ChartTable;
  /** Where the download's name starts: `<fileName>.svg`, `<fileName>.png`. */
  fileName: string;
  /** The underlying rows, as JSON in data-chart-data. */
  data?: readonly Datum[];
  /** Counts and figures, as JSON in data-chart-summary. */
  summary?: Record<string, number | string | null>;
  legend?: readonly LegendEntry[];
  /** Called with the pointed datum (Plot's figure.value) when the chart is clicked. */
  onDatum?: (datum: Datum) => void;
  /** Shown above the chart (e.g. a sort switch). */
  controls?: ReactNode;
  /** Whether the numbers table starts open. */
  tableOpen?: boolean;
}

type Drawn = (SVGSVGElement | HTMLElement) & Plot.Plot;

function LegendSwatch({ symbol = 'square', color }: { symbol?: LegendSymbol; color: string }) {
  const shape = (() => {
    switch (symbol) {
      case 'circle':
        return <circle cx="6" cy="6" r="5" fill={color} />;
      case 'triangle':
        return <path d="M6,0L12,12L0,12Z" fill={color} />;
      case 'diamond':
        return <path d="M6,0L12,6L6,12L0,6Z" fill={color} />;
      case 'line':
      case 'dashed':
        return (
          <line
            x1="0"
            x2="12"
            y1="6"
            y2="6"
            stroke={color}
            strokeWidth="2"
            strokeDasharray={symbol === 'dashed' ? '4,2' : undefined}
          />
        );
      default:
        return <rect width="12" height="12" fill={color} />;
    }
  })();
  return (
    <svg className="chart-swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
      {shape}
    </svg>
  );
}

function HeaderCell({ column }: { column: ChartColumn }) {
  const className = column.numeric ? 'numeric' : undefined;
  if (!column.sort)
    return (
      <th scope="col" className={className}>
        {column.label}
      </th>
    );
  const { direction, onSort } = column.sort;
  return (
    <th scope="col" className={className} aria-sort={direction}>
      <button type="button" className="chart-sort" onClick={onSort}>
        {column.label}
        <span aria-hidden="true">
          {direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : ' ↕'}
        </span>
      </button>
    </th>
  );
}

function NumbersTable({ table, id }: { table: ChartTable; id: string }) {
  const header = table.rowHeader ?? table.columns[0]?.key;
  return (
    <div className="chart-table-wrap">
      <table className="chart-table" id={id}>
        {table.caption ? <caption>{table.caption}</caption> : null}
        <thead>
          <tr>
            {table.columns.map((column) => (
              <HeaderCell key={column.key} column={column} />
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={`${String(header ? (row[header] as string | number | undefined) : '')}-${i}`}>
              {table.columns.map((column) => {
                const className = column.numeric ? 'numeric' : undefined;
                const cell = row[column.key] ?? '—';
                return column.key === header ? (
                  <th key={column.key} scope="row" className={className}>
                    {cell}
                  </th>
                ) : (
                  <td key={column.key} className={className}>
                    {cell}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One chart: a titled figure with the Plot SVG (redrawn at most 4 times a second while its data
 * streams in), a legend, tooltips on hover, SVG and PNG downloads, and a table of every number
 * behind the chart as its text alternative and keyboard path.
 */
/**
 * Plot names each mark's <g> with aria-label ("bar", "rule", "tip"): words for the mark type,
 * not the data, and an aria-label that ARIA prohibits on an element with no role. The chart's
 * text alternative is its description and numbers table, so the drawing is one image.
 */
function presentational(drawn: Element): void {
  const svgs = drawn instanceof SVGSVGElement ? [drawn] : [...drawn.querySelectorAll('svg')];
  for (const svg of svgs) {
    svg.setAttribute('role', 'img');
    for (const group of svg.querySelectorAll('g[aria-label]')) group.removeAttribute('aria-label');
  }
}

export function Chart<Datum = unknown>({
  id,
  title,
  description,
  plot,
  table,
  fileName,
  data,
  summary,
  legend,
  onDatum,
  controls,
  tableOpen = false,
}: ChartProps<Datum>) {
  const reactId = useId();
  const titleId = `${reactId}-title`;
  const descriptionId = `${reactId}-description`;
  const container = useRef<HTMLDivElement>(null);
  const latest = useRef({ plot, title, description, onDatum });
  const timing = useRef<{ last: number; timer: number | undefined }>({ last: 0, timer: undefined });
  const [width, setWidth] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const draw = useCallback(() => {
    const node = container.current;
    if (!node) return;
    const { plot: build, title: label, description: text } = latest.current;
    try {
      const built = build();
      const list = Array.isArray(built) ? built : [built];
      const available = node.clientWidth || 640;
      const drawn = list.map((options, i) =>
        Plot.plot({
          ...options,
          // A string style replaces the defaults; an object adds to them.
          style:
            typeof options.style === 'string'
              ? options.style
              : { ...PLOT_STYLE, ...((options.style ?? {}) as object) },
          width: Math.min(options.width ?? available, available),
          ariaLabel: options.ariaLabel ?? (i === 0 ? label : `${label}, part ${i + 1}`),
          ariaDescription: options.ariaDescription ?? (i === 0 ? text : null),
        }),
      );
      for (const plotted of drawn) presentational(plotted);
      node.replaceChildren(...drawn);
      setError(null);
    } catch (cause) {
      node.replaceChildren();
      setError(
        `The chart could not be drawn: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
  }, []);

  // The latest inputs, read by the next (throttled) draw.
  useEffect(() => {
    latest.current = { plot, title, description, onDatum };
  }, [plot, title, description, onDatum]);

  // Redraw when the builder or the width changes, no more often than MIN_REDRAW_MS.
  useEffect(() => {
    const state = timing.current;
    if (state.timer !== undefined) return; // a draw is due; it will read the latest builder
    const wait = Math.max(0, state.last + MIN_REDRAW_MS - performance.now());
    state.timer = window.setTimeout(() => {
      state.timer = undefined;
      state.last = performance.now();
      draw();
    }, wait);
  }, [plot, title, description, width, draw]);

  useEffect(() => {
    const state = timing.current;
    return () => {
      window.clearTimeout(state.timer);
      state.timer = undefined;
    };
  }, []);

  useEffect(() => {
    const node = container.current;
    if (!node || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.round((entry?.contentRect.width ?? 0) / WIDTH_STEP) * WIDTH_STEP;
      setWidth((current) => (current === next ? current : next));
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const handler = latest.current.onDatum;
    const node = container.current;
    if (!handler || !node) return;
    const target = event.target as Node;
    const drawn = [...node.children].find((child) => child.contains(target)) as Drawn | undefined;
    const value: unknown = drawn?.value;
    if (value !== null && value !== undefined) handler(value as Datum);
  };

  const exported = (): ReturnType<typeof composeSvg> => {
    const node = container.current;
    if (!node) throw new Error('The chart is not on the page.');
    return composeSvg(node, { title, description, legend: legend ?? [] });
  };

  const saveSvg = () => {
    try {
      const { markup } = exported();
      download(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }), `${fileName}.svg`);
      setError(null);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    }
  };

  const savePng = async () => {
    setBusy(true);
    try {
      const { markup, width: w, height: h } = exported();
      download(await pngBlob(markup, w, h), `${fileName}.png`);
      setError(null);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };

  const dataJson = useMemo(() => (data ? JSON.stringify(data) : undefined), [data]);
  const summaryJson = useMemo(() => (summary ? JSON.stringify(summary) : undefined), [summary]);

  return (
    <figure
      className="chart"
      role="group"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      data-testid={`chart-${id}`}
      data-chart-data={dataJson}
      data-chart-summary={summaryJson}
    >
      <figcaption className="chart-caption">
        <div className="chart-head">
          <h3 id={titleId} className="chart-title">
            {title}
          </h3>
          <div className="chart-actions">
            <button type="button" onClick={saveSvg} aria-label={`Download ${title} as SVG`}>
              SVG
            </button>
            <button
              type="button"
              onClick={() => void savePng()}
              disabled={busy}
              aria-label={`Download ${title} as PNG`}
            >
              PNG
            </button>
          </div>
        </div>
        <p id={descriptionId} className="chart-description">
          {description}
        </p>
      </figcaption>
      {controls ? <div className="chart-controls">{controls}</div> : null}
      {legend && legend.length > 0 ? (
        <ul className="chart-legend" aria-label={`Legend of ${title}`}>
          {legend.map((entry) => (
            <li key={entry.label}>
              <LegendSwatch symbol={entry.symbol} color={entry.color} />
              {entry.label}
            </li>
          ))}
        </ul>
      ) : null}
      <div ref={container} className="chart-plot" onClick={onClick} />
      {error ? (
        <p className="chart-error" role="alert">
          {error}
        </p>
      ) : null}
      <details className="chart-numbers" open={tableOpen}>
        <summary>Numbers</summary>
        <NumbersTable table={table} id={`chart-${id}-table`} />
      </details>
    </figure>
  );
}
