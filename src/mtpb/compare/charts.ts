import * as Plot from '@observablehq/plot';
import type { Markish, PlotOptions } from '@observablehq/plot';
import { createElement } from 'react';
import {
  CLASS_COLORS,
  CLASS_SYMBOLS,
  GREY,
  MODE_COLORS,
  SPAN_COLORS,
  seriesColor,
} from '../../charts/palette.ts';
import type { LegendEntry } from '../../charts/palette.ts';
import {
  percentCeiling,
  percentOf,
  percentText,
  pointsText,
  secondsText,
} from '../../charts/spec.ts';
import type { ChartColumn, ChartSpec, ChartTable, SortDirection } from '../../charts/spec.ts';
import type { Mode } from '../protocol.ts';
import { byProblemId } from '../records.ts';
import { summarizeTimeline, tokenRate } from '../timeline.ts';
import type { PerplexityBin, PerplexityPoint } from './perplexity.ts';
import type { TimelineSpan } from '../timeline.ts';
import { CLASS_NAMES, MODES, MODE_NAMES, PROBLEM_CLASSES } from './analysis.ts';
import type { ComparisonAnalysis, ProblemClass } from './analysis.ts';

/**
 * The comparison view's charts, as data: each builder returns a ChartSpec (title, text
 * alternative, table, rows and a `plot` function that builds Plot's options when <Chart> draws
 * it). Nothing here touches the DOM, so the builders run under Node's test runner.
 */

const modeColor = { domain: [...MODES], range: MODES.map((m) => MODE_COLORS[m]) };

/** Plot's symbol per mode, a second cue beside colour. */
const MODE_SYMBOLS: Record<Mode, 'circle' | 'triangle'> = { multi: 'circle', single: 'triangle' };

const modeLegend = (symbol?: 'circle' | 'triangle'): LegendEntry[] =>
  MODES.map((mode) => ({
    label: MODE_NAMES[mode],
    color: MODE_COLORS[mode],
    symbol: symbol ? MODE_SYMBOLS[mode] : 'square',
  }));

const casesText = (passed: number, judged: number): string =>
  `${passed} of ${judged} case${judged === 1 ? '' : 's'}`;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// --- Categories --------------------------------------------------------------------------

export interface CategoryRow {
  category: string;
  mode: Mode;
  passed: number;
  judged: number;
  /** Pass rate, % (0.1). */
  percent: number;
}

export interface ReferenceLine {
  /** "this run" or "paper". */
  source: 'run' | 'paper';
  mode: Mode;
  percent: number;
  label: string;
}

/** The overall lines: both runs' overall pass rates and the paper's (when there is a paper row). */
export function referenceLines(analysis: ComparisonAnalysis): ReferenceLine[] {
  const lines: ReferenceLine[] = MODES.map((mode) => ({
    source: 'run',
    mode,
    percent: percentOf(analysis.overall[mode].rate),
    label: `${MODE_NAMES[mode]}, all problems: ${percentText(analysis.overall[mode].rate)}`,
  }));
  const { paper } = analysis;
  if (paper)
    for (const mode of MODES)
      lines.push({
        source: 'paper',
        mode,
        percent: paper[mode],
        label: `${paperLabel(paper)}, ${MODE_NAMES[mode].toLowerCase()}: ${paper[mode].toFixed(1)}%`,
      });
  return lines;
}

/** "paper, CodeGen-Mono 350M", with "(not this model)" when the paper does not report this one. */
export const paperLabel = (paper: NonNullable<ComparisonAnalysis['paper']>): string =>
  `paper, ${paper.model}${paper.matched ? '' : ' (not this model)'}`;

export function categoryChart(analysis: ComparisonAnalysis): ChartSpec<CategoryRow> {
  const title = 'Pass rate per category';
  const rows: CategoryRow[] = analysis.categories.map((c) => ({
    category: c.category,
    mode: c.mode,
    passed: c.passed,
    judged: c.judged,
    percent: percentOf(c.rate),
  }));
  const categories = [...new Set(rows.map((r) => r.category))];
  const lines = referenceLines(analysis);
  const compared = analysis.problems.length;
  const rowOf = (category: string, mode: Mode) =>
    rows.find((r) => r.category === category && r.mode === mode);

  const gaps = categories
    .map((category) => {
      const m = rowOf(category, 'multi');
      const s = rowOf(category, 'single');
      return m && s ? { category, points: m.percent - s.percent } : null;
    })
    .filter((g): g is { category: string; points: number } => g !== null)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const widest = gaps[0];
  const { overall, paper } = analysis;
  const description =
    compared === 0
      ? 'No problem has been finished by both runs yet, so there are no pass rates to compare.'
      : [
          `Share of test cases passed in each problem category, multi-turn beside single-turn, over the ${plural(compared, 'problem')} both runs finished.`,
          `Overall: multi-turn ${percentText(overall.multi.rate)} (${casesText(overall.multi.passed, overall.multi.judged)}), single-turn ${percentText(overall.single.rate)} (${casesText(overall.single.passed, overall.single.judged)}).`,
          paper
            ? `The ${paperLabel(paper)} reports ${paper.multi.toFixed(1)}% multi-turn and ${paper.single.toFixed(1)}% single-turn.`
            : '',
          widest && widest.points !== 0
            ? `Widest gap: ${widest.category}, ${pointsText(widest.points)} points for multi-turn.`
            : '',
        ]
          .filter(Boolean)
          .join(' ');

  const table: ChartTable = {
    caption: 'Pass rate per category and mode (test cases passed of those judged)',
    columns: [
      { key: 'category', label: 'Category' },
      { key: 'multi', label: 'Multi-turn (%)', numeric: true },
      { key: 'multiCases', label: 'Multi-turn cases', numeric: true },
      { key: 'single', label: 'Single-turn (%)', numeric: true },
      { key: 'singleCases', label: 'Single-turn cases', numeric: true },
      { key: 'difference', label: 'Difference (points)', numeric: true },
    ],
    rows: [
      ...categories.map((category) => {
        const m = rowOf(category, 'multi');
        const s = rowOf(category, 'single');
        return {
          category,
          multi: m ? m.percent.toFixed(1) : '—',
          multiCases: m ? `${m.passed} / ${m.judged}` : '—',
          single: s ? s.percent.toFixed(1) : '—',
          singleCases: s ? `${s.passed} / ${s.judged}` : '—',
          difference: m && s ? pointsText(m.percent - s.percent) : '—',
        };
      }),
      ...(compared > 0
        ? [
            {
              category: 'All problems',
              multi: percentOf(overall.multi.rate).toFixed(1),
              multiCases: `${overall.multi.passed} / ${overall.multi.judged}`,
              single: percentOf(overall.single.rate).toFixed(1),
              singleCases: `${overall.single.passed} / ${overall.single.judged}`,
              difference: pointsText(
                percentOf(overall.multi.rate) - percentOf(overall.single.rate),
              ),
            },
          ]
        : []),
      ...(paper
        ? [
            {
              category: paperLabel(paper),
              multi: paper.multi.toFixed(1),
              single: paper.single.toFixed(1),
              difference: pointsText(paper.multi - paper.single),
            },
          ]
        : []),
    ],
  };

  const legend: LegendEntry[] = [
    ...modeLegend(),
    { label: 'All problems (this comparison)', color: GREY, symbol: 'line' },
    ...(paper ? [{ label: paperLabel(paper), color: GREY, symbol: 'dashed' as const }] : []),
  ];

  const plot = (): PlotOptions => {
    const labelRow = 15;
    // Text over marks keeps a halo of the background, so a rule never cuts through a figure.
    const halo = {
      fill: 'currentColor',
      stroke: 'var(--plot-background)',
      strokeWidth: 3,
      paintOrder: 'stroke',
    } as const;
    // The overall rules under the bars, their labels stacked above the top facet.
    const marks: Markish[] = lines.map((line) =>
      Plot.ruleX([line], {
        x: 'percent',
        stroke: MODE_COLORS[line.mode],
        strokeWidth: 2,
        ...(line.source === 'paper' ? { strokeDasharray: '5,3' } : {}),
      }),
    );
    marks.push(
      Plot.barX(rows, { x: 'percent', y: 'mode', fy: 'category', fill: 'mode' }),
      Plot.text(rows, {
        x: 'percent',
        y: 'mode',
        fy: 'category',
        text: (d: CategoryRow) => `${d.percent.toFixed(1)}%`,
        dx: 4,
        textAnchor: 'start',
        fontSize: 11,
        ...halo,
      }),
      ...lines.map((line, i) => {
        const right = line.percent > 60;
        return Plot.text([line], {
          x: 'percent',
          text: 'label',
          frameAnchor: 'top',
          facetAnchor: 'top',
          dy: -(lines.length - i) * labelRow,
          dx: right ? -4 : 4,
          textAnchor: right ? 'end' : 'start',
          fontSize: 11,
          ...halo,
        });
      }),
    );
    marks.push(
      Plot.tip(
        rows,
        Plot.pointerY({
          x: 'percent',
          y: 'mode',
          fy: 'category',
          title: (d: CategoryRow) =>
            `${d.category}\n${MODE_NAMES[d.mode]}: ${d.percent.toFixed(1)}% (${casesText(d.passed, d.judged)})`,
        }),
      ),
    );
    return {
      height: Math.max(120, categories.length * 46) + 40 + lines.length * labelRow,
      marginTop: 12 + lines.length * labelRow,
      marginLeft: 110,
      marginRight: 40,
      x: { domain: [0, 100], label: 'Pass rate (%) →', labelAnchor: 'center', grid: true },
      y: { domain: [...MODES], axis: null },
      fy: { domain: categories, label: null },
      color: modeColor,
      marks,
    };
  };

  return { title, description, plot, table, data: rows, legend };
}

// --- Problems ----------------------------------------------------------------------------

export type ProblemSort = 'id' | 'difference' | 'class';

export const PROBLEM_SORTS: readonly ProblemSort[] = ['id', 'difference', 'class'];

const SORT_NAMES: Record<ProblemSort, string> = {
  id: 'benchmark order',
  difference: 'multi-turn advantage, largest first',
  class: 'class',
};

export interface ProblemRow {
  problemId: string;
  name: string;
  class: ProblemClass;
  /** Pass rates, % (0.1). */
  multi: number;
  single: number;
  /** multi − single, percentage points. */
  difference: number;
}

export interface ProblemChartHandlers {
  /** Opens a problem: each table row gets an Open button. */
  onOpen?: (problemId: string) => void;
  /** Sorts by another key: the Problem, Class and Difference headers become buttons. */
  onSort?: (sort: ProblemSort) => void;
}

/** Problems in the chosen order; ties in benchmark order (by problem id). */
export function sortProblems(rows: readonly ProblemRow[], sort: ProblemSort): ProblemRow[] {
  const byId = (a: ProblemRow, b: ProblemRow) => byProblemId(a.problemId, b.problemId);
  const sorted = [...rows];
  if (sort === 'difference') sorted.sort((a, b) => b.difference - a.difference || byId(a, b));
  else if (sort === 'class')
    sorted.sort(
      (a, b) => PROBLEM_CLASSES.indexOf(a.class) - PROBLEM_CLASSES.indexOf(b.class) || byId(a, b),
    );
  else sorted.sort(byId);
  return sorted;
}

export function problemChart(
  analysis: ComparisonAnalysis,
  sort: ProblemSort,
  handlers: ProblemChartHandlers = {},
): ChartSpec<ProblemRow> {
  const title = 'Problems: multi-turn against single-turn';
  const rows = sortProblems(
    analysis.problems.map((p) => {
      const multi = percentOf(p.multi.rate);
      const single = percentOf(p.single.rate);
      return {
        problemId: p.problemId,
        name: p.name,
        class: p.class,
        multi,
        single,
        difference: Math.round((multi - single) * 10) / 10,
      };
    }),
    sort,
  );
  const { classes, pending } = analysis;
  const counts = PROBLEM_CLASSES.map((c) => `${CLASS_NAMES[c].toLowerCase()}: ${classes[c]}`);
  const description =
    rows.length === 0
      ? `No problem has been finished by both runs yet${pending.length > 0 ? ` (${plural(pending.length, 'problem')} pending)` : ''}.`
      : [
          `One dot per problem both runs finished (${rows.length}), placed by how many percentage points more of its test cases multi-turn passed than single-turn, sorted by ${SORT_NAMES[sort]}.`,
          `${counts.join(', ').replace(/^./, (c) => c.toUpperCase())}.`,
          pending.length > 0 ? `${plural(pending.length, 'problem')} still pending.` : '',
        ]
          .filter(Boolean)
          .join(' ');

  const direction = (key: ProblemSort, active: SortDirection): ChartColumn['sort'] =>
    handlers.onSort
      ? { direction: sort === key ? active : 'none', onSort: () => handlers.onSort?.(key) }
      : undefined;
  const columns: ChartColumn[] = [
    { key: 'problemId', label: 'Problem', sort: direction('id', 'ascending') },
    { key: 'name', label: 'Name' },
    { key: 'class', label: 'Class', sort: direction('class', 'ascending') },
    { key: 'multi', label: 'Multi-turn (%)', numeric: true },
    { key: 'single', label: 'Single-turn (%)', numeric: true },
    {
      key: 'difference',
      label: 'Difference (points)',
      numeric: true,
      sort: direction('difference', 'descending'),
    },
  ];
  const { onOpen } = handlers;
  if (onOpen) columns.push({ key: 'open', label: 'Open' });
  const table: ChartTable = {
    caption: `Every compared problem, sorted by ${SORT_NAMES[sort]}`,
    columns,
    rows: rows.map((r) => ({
      problemId: r.problemId,
      name: r.name,
      class: CLASS_NAMES[r.class],
      multi: r.multi.toFixed(1),
      single: r.single.toFixed(1),
      difference: pointsText(r.difference),
      ...(onOpen
        ? {
            open: createElement(
              'button',
              {
                type: 'button',
                onClick: () => onOpen(r.problemId),
                'aria-label': `Open problem ${r.problemId}, ${r.name}`,
              },
              'Open',
            ),
          }
        : {}),
    })),
  };

  const legend: LegendEntry[] = PROBLEM_CLASSES.map((c) => ({
    label: `${CLASS_NAMES[c]} (${classes[c]})`,
    color: CLASS_COLORS[c],
    symbol: CLASS_SYMBOLS[c],
  }));

  const plot = (): PlotOptions => {
    const ids = rows.map((r) => r.problemId);
    const every = Math.max(1, Math.ceil(ids.length / 20));
    return {
      height: 280,
      marginLeft: 50,
      marginBottom: 44,
      x: {
        type: 'point',
        domain: ids,
        ticks: ids.filter((_, i) => i % every === 0),
        label: `Problems (${SORT_NAMES[sort]}) →`,
        labelAnchor: 'center',
        padding: 0.5,
      },
      y: { domain: [-100, 100], label: '↑ Multi-turn − single-turn (points)', grid: true },
      color: { domain: [...PROBLEM_CLASSES], range: PROBLEM_CLASSES.map((c) => CLASS_COLORS[c]) },
      symbol: {
        domain: [...PROBLEM_CLASSES],
        range: PROBLEM_CLASSES.map((c) => CLASS_SYMBOLS[c]),
      },
      marks: [
        Plot.ruleY([0]),
        Plot.dot(rows, {
          x: 'problemId',
          y: 'difference',
          fill: 'class',
          symbol: 'class',
          r: 4.5,
        }),
        Plot.tip(
          rows,
          Plot.pointer({
            x: 'problemId',
            y: 'difference',
            title: (d: ProblemRow) =>
              `Problem ${d.problemId}: ${d.name}\n${CLASS_NAMES[d.class]}\nMulti-turn ${d.multi.toFixed(1)}%, single-turn ${d.single.toFixed(1)}% (${pointsText(d.difference)} points)`,
          }),
        ),
      ],
    };
  };

  const summary: Record<string, number> = {
    problems: rows.length,
    pending: pending.length,
    ...Object.fromEntries(PROBLEM_CLASSES.map((c) => [c, classes[c]])),
  };
  return { title, description, plot, table, data: rows, legend, summary };
}

// --- pass@k ------------------------------------------------------------------------------

export interface PassAtKRow {
  mode: Mode;
  k: number;
  /** pass@k, % (0.1). */
  percent: number;
}

/**
 * pass@k against k, a line per mode (a comparison's two, or one run's own); null when the runs
 * drew one sample (no pass@k curve).
 */
export function passAtKChart(
  analysis: Pick<ComparisonAnalysis, 'passAtK' | 'n'>,
): ChartSpec<PassAtKRow> | null {
  if (analysis.passAtK.length === 0) return null;
  const title = 'pass@k against k';
  const rows: PassAtKRow[] = analysis.passAtK.map((d) => ({
    mode: d.mode,
    k: d.k,
    percent: percentOf(d.value),
  }));
  const ks = [...new Set(rows.map((r) => r.k))].sort((a, b) => a - b);
  const at = (mode: Mode, k: number) => rows.find((r) => r.mode === mode && r.k === k);
  const modes = MODES.filter((mode) => rows.some((r) => r.mode === mode));
  const ends = modes.flatMap((mode) => {
    const own = rows.filter((r) => r.mode === mode).sort((a, b) => a.k - b.k);
    const first = own[0];
    const last = own[own.length - 1];
    if (!first || !last) return [];
    return [
      first === last
        ? `${MODE_NAMES[mode].toLowerCase()} ${first.percent.toFixed(1)}% at k = ${first.k}`
        : `${MODE_NAMES[mode].toLowerCase()} from ${first.percent.toFixed(1)}% at k = ${first.k} to ${last.percent.toFixed(1)}% at k = ${last.k}`,
    ];
  });
  const description = `The chance that at least one of k samples passes a test case (unbiased pass@k, mean over test cases), for k = 1 to ${analysis.n}: ${ends.join('; ')}.`;
  const table: ChartTable = {
    caption: 'pass@k per mode (%)',
    columns: [
      { key: 'k', label: 'k', numeric: true },
      ...modes.map((mode) => ({ key: mode, label: `${MODE_NAMES[mode]} (%)`, numeric: true })),
    ],
    rows: ks.map((k) => ({
      k,
      ...Object.fromEntries(modes.map((mode) => [mode, at(mode, k)?.percent.toFixed(1) ?? '—'])),
    })),
  };
  const plot = (): PlotOptions => ({
    height: 260,
    marginLeft: 50,
    x: {
      domain: [Math.min(...ks), Math.max(...ks)],
      ticks: ks,
      tickFormat: 'd',
      label: 'k →',
      labelAnchor: 'center',
      inset: 12,
    },
    y: {
      domain: [0, percentCeiling(rows.map((r) => r.percent))],
      label: '↑ pass@k (%)',
      grid: true,
    },
    color: modeColor,
    symbol: { domain: [...MODES], range: MODES.map((m) => MODE_SYMBOLS[m]) },
    marks: [
      Plot.ruleY([0]),
      Plot.line(rows, { x: 'k', y: 'percent', stroke: 'mode', strokeWidth: 2 }),
      Plot.dot(rows, { x: 'k', y: 'percent', fill: 'mode', symbol: 'mode', r: 4 }),
      Plot.tip(
        rows,
        Plot.pointer({
          x: 'k',
          y: 'percent',
          title: (d: PassAtKRow) => `${MODE_NAMES[d.mode]}\npass@${d.k}: ${d.percent.toFixed(1)}%`,
        }),
      ),
    ],
  });
  return { title, description, plot, table, data: rows, legend: modeLegend('circle') };
}

// --- Timeline ----------------------------------------------------------------------------

export interface TimelineLane {
  lane: string;
  spans: readonly TimelineSpan[];
}

export interface TimelineRow {
  lane: string;
  kind: TimelineSpan['kind'];
  problemId: string;
  /** Seconds since the lane's session started. */
  start: number;
  end: number;
  tokens: number;
}

const KIND_NAMES: Record<TimelineSpan['kind'], string> = {
  generate: 'Generate',
  execute: 'Execute',
};

/** A window for the tokens/s line: about 60 over the run, whole seconds, at least one. */
export const rateWindowMs = (wallMs: number): number =>
  Math.max(1000, Math.ceil(wallMs / 60 / 1000) * 1000);

export function timelineChart(lanes: ReadonlyArray<TimelineLane>): ChartSpec<TimelineRow> {
  const title = 'Timeline: generation and execution';
  const rows: TimelineRow[] = lanes.flatMap(({ lane, spans }) =>
    spans.map((s) => ({
      lane,
      kind: s.kind,
      problemId: s.problemId,
      start: s.start / 1000,
      end: s.end / 1000,
      tokens: s.tokens,
    })),
  );
  const summaries = lanes.map(({ lane, spans }) => ({ lane, ...summarizeTimeline(spans) }));
  const wallMs = Math.max(0, ...summaries.map((s) => s.wallMs));
  const windowMs = rateWindowMs(wallMs);
  const rates = lanes.flatMap(({ lane, spans }) =>
    spans.length === 0
      ? []
      : tokenRate(spans, windowMs).map((r) => ({
          lane,
          at: r.at / 1000,
          tokensPerSecond: Math.round(r.tokensPerSecond * 10) / 10,
        })),
  );
  const laneNames = lanes.map((l) => l.lane);
  const description =
    rows.length === 0
      ? 'No timeline yet: nothing has been generated or executed.'
      : [
          'When each turn was generated and each test case executed, per run, with tokens per second beneath.',
          ...summaries.map(
            (s) =>
              `${s.lane}: ${secondsText(s.generateMs)} generating, ${secondsText(s.executeMs)} executing, ${secondsText(s.overlapMs)} both at once, ${secondsText(s.idleMs)} idle of ${secondsText(s.wallMs)}; ${s.tokensPerSecond.toFixed(1)} tokens/s.`,
          ),
        ].join(' ');
  const table: ChartTable = {
    caption: 'Time per run (seconds) and generation speed',
    columns: [
      { key: 'lane', label: 'Run' },
      { key: 'wall', label: 'Wall (s)', numeric: true },
      { key: 'generate', label: 'Generating (s)', numeric: true },
      { key: 'execute', label: 'Executing (s)', numeric: true },
      { key: 'overlap', label: 'Both (s)', numeric: true },
      { key: 'idle', label: 'Idle (s)', numeric: true },
      { key: 'tokens', label: 'Tokens', numeric: true },
      { key: 'rate', label: 'Tokens/s', numeric: true },
    ],
    rows: summaries.map((s) => ({
      lane: s.lane,
      wall: (s.wallMs / 1000).toFixed(1),
      generate: (s.generateMs / 1000).toFixed(1),
      execute: (s.executeMs / 1000).toFixed(1),
      overlap: (s.overlapMs / 1000).toFixed(1),
      idle: (s.idleMs / 1000).toFixed(1),
      tokens: s.tokens,
      rate: s.tokensPerSecond.toFixed(1),
    })),
  };
  const legend: LegendEntry[] = [
    { label: KIND_NAMES.generate, color: SPAN_COLORS.generate },
    { label: KIND_NAMES.execute, color: SPAN_COLORS.execute },
    ...laneNames.map((lane, i) => ({
      label: `${lane}, tokens/s`,
      color: seriesColor(i),
      symbol: 'line' as const,
    })),
  ];
  const summary = Object.fromEntries(
    summaries.flatMap((s) => [
      [`${s.lane}:generateMs`, Math.round(s.generateMs)],
      [`${s.lane}:executeMs`, Math.round(s.executeMs)],
      [`${s.lane}:overlapMs`, Math.round(s.overlapMs)],
      [`${s.lane}:idleMs`, Math.round(s.idleMs)],
    ]),
  ) as Record<string, number>;

  const plot = (): PlotOptions[] => {
    const xDomain = [0, Math.max(1, wallMs / 1000)];
    // The same margins in both plots line their time axes up; the right one holds the lane names.
    const margins = { marginLeft: 80, marginRight: 100 };
    return [
      {
        ...margins,
        height: 40 + laneNames.length * 64,
        x: { domain: xDomain, label: 'Seconds since start →', labelAnchor: 'center', grid: true },
        y: {
          domain: ['generate', 'execute'],
          tickFormat: (k: TimelineSpan['kind']) => KIND_NAMES[k],
          label: null,
        },
        fy: { domain: laneNames, label: null, padding: 0.15 },
        color: {
          domain: ['generate', 'execute'],
          range: [SPAN_COLORS.generate, SPAN_COLORS.execute],
        },
        marks: [
          Plot.barX(rows, { x1: 'start', x2: 'end', y: 'kind', fy: 'lane', fill: 'kind' }),
          Plot.tip(
            rows,
            Plot.pointer({
              x: (d: TimelineRow) => (d.start + d.end) / 2,
              y: 'kind',
              fy: 'lane',
              title: (d: TimelineRow) =>
                `${d.lane}, problem ${d.problemId}\n${KIND_NAMES[d.kind]}: ${d.start.toFixed(1)}–${d.end.toFixed(1)} s${d.kind === 'generate' ? `, ${d.tokens} tokens` : ''}`,
            }),
          ),
        ],
      },
      {
        ...margins,
        height: 160,
        ariaLabel: 'Tokens per second over time',
        ariaDescription: null,
        x: { domain: xDomain, label: 'Seconds since start →', labelAnchor: 'center', grid: true },
        y: { label: '↑ Tokens/s', grid: true, zero: true },
        color: { domain: laneNames, range: laneNames.map((_, i) => seriesColor(i)) },
        marks: [
          Plot.ruleY([0]),
          Plot.line(rates, { x: 'at', y: 'tokensPerSecond', stroke: 'lane', strokeWidth: 1.5 }),
          Plot.tip(
            rates,
            Plot.pointerX({
              x: 'at',
              y: 'tokensPerSecond',
              title: (d: (typeof rates)[number]) =>
                `${d.lane}\n${d.tokensPerSecond.toFixed(1)} tokens/s around ${d.at.toFixed(0)} s`,
            }),
          ),
        ],
      },
    ];
  };
  return { title, description, plot, table, data: rows, legend, summary };
}

// --- Perplexity --------------------------------------------------------------------------

/** Each mode's mean prompt perplexity (the points and bins are perplexity.ts's). */
export interface PerplexityMeans {
  multi: number | null;
  single: number | null;
}

export interface PerplexityRow {
  problemId: string;
  mode: Mode;
  perplexity: number;
  /** % (0.1); null where the pass rate is unknown (listed, not plotted). */
  passRate: number | null;
}

/** Log scale once perplexities span a factor of ten or more. */
export const perplexityScale = (values: readonly number[]): 'log' | 'linear' => {
  const positive = values.filter((v) => v > 0);
  if (positive.length !== values.length || positive.length === 0) return 'linear';
  return Math.max(...positive) / Math.min(...positive) >= 10 ? 'log' : 'linear';
};

export function perplexityChart(
  points: readonly PerplexityPoint[],
  bins: ReadonlyArray<Omit<PerplexityBin, 'problemIds'>>,
  meanByMode: PerplexityMeans,
): ChartSpec<PerplexityRow> {
  const title = 'Prompt perplexity and pass rate';
  const rows: PerplexityRow[] = points.map((p) => ({
    problemId: p.problemId,
    mode: p.mode,
    perplexity: Math.round(p.perplexity * 100) / 100,
    passRate: p.passRate === null ? null : percentOf(p.passRate),
  }));
  const plotted = rows.filter(
    (r): r is PerplexityRow & { passRate: number } => r.passRate !== null,
  );
  const binRows = [...bins]
    .sort((a, b) => MODES.indexOf(a.mode) - MODES.indexOf(b.mode) || a.from - b.from)
    .map((b) => ({ ...b, percent: percentOf(b.meanPassRate) }));
  const binOf = (p: PerplexityRow) =>
    binRows.find((b) => b.mode === p.mode && p.perplexity >= b.from && p.perplexity <= b.to);
  const means = MODES.map((mode) => {
    const mean = meanByMode[mode];
    return `${MODE_NAMES[mode].toLowerCase()} ${mean === null ? 'not measured' : mean.toFixed(2)}`;
  });
  const binText = MODES.flatMap((mode) => {
    const own = binRows.filter((b) => b.mode === mode);
    const first = own[0];
    const last = own[own.length - 1];
    return first && last && first !== last
      ? [
          `${MODE_NAMES[mode].toLowerCase()} ${first.percent.toFixed(1)}% in the least perplexing ${own.length === 4 ? 'quarter' : 'bin'}, ${last.percent.toFixed(1)}% in the most`,
        ]
      : [];
  });
  const description =
    rows.length === 0
      ? 'No prompt perplexity has been measured yet.'
      : [
          `Each problem's prompt perplexity under the model against its pass rate, per mode (${plural(rows.length, 'point')}), and the mean pass rate per perplexity quartile.`,
          `Mean perplexity: ${means.join(', ')}.`,
          binText.length > 0 ? `Mean pass rate: ${binText.join('; ')}.` : '',
        ]
          .filter(Boolean)
          .join(' ');
  const sorted = [...rows].sort(
    (a, b) => MODES.indexOf(a.mode) - MODES.indexOf(b.mode) || a.perplexity - b.perplexity,
  );
  const table: ChartTable = {
    caption: 'Every problem per mode, by perplexity, with its perplexity bin',
    columns: [
      { key: 'problemId', label: 'Problem' },
      { key: 'mode', label: 'Mode' },
      { key: 'perplexity', label: 'Perplexity', numeric: true },
      { key: 'passRate', label: 'Pass rate (%)', numeric: true },
      { key: 'bin', label: 'Perplexity bin' },
      { key: 'binRate', label: 'Bin mean pass rate (%)', numeric: true },
    ],
    rows: sorted.map((r) => {
      const bin = binOf(r);
      return {
        problemId: r.problemId,
        mode: MODE_NAMES[r.mode],
        perplexity: r.perplexity.toFixed(2),
        passRate: r.passRate === null ? '—' : r.passRate.toFixed(1),
        bin: bin
          ? `${bin.from.toFixed(2)}–${bin.to.toFixed(2)} (${plural(bin.problems, 'problem')})`
          : '—',
        binRate: bin ? bin.percent.toFixed(1) : '—',
      };
    }),
  };
  const summary: Record<string, number | null> = {
    points: rows.length,
    bins: binRows.length,
    meanMulti: meanByMode.multi,
    meanSingle: meanByMode.single,
  };

  const plot = (): PlotOptions[] => {
    const values = [...rows.map((r) => r.perplexity), ...binRows.flatMap((b) => [b.from, b.to])];
    const type = perplexityScale(values);
    // One x domain for both plots, so a bin sits under its points.
    const low = Math.min(...values);
    const high = Math.max(...values);
    // A log axis "niced" to powers of ten would waste most of its width: pad by 5% instead.
    const domain =
      values.length === 0 ? undefined : type === 'log' ? [low / 1.05, high * 1.05] : [low, high];
    const x = {
      type,
      domain,
      nice: type === 'linear',
      label: 'Prompt perplexity →',
      labelAnchor: 'center',
      grid: true,
    } as const;
    const margins = { marginLeft: 60, marginRight: 100 };
    return [
      {
        ...margins,
        height: 300,
        x,
        y: { domain: [0, 100], label: '↑ Pass rate (%)', grid: true },
        color: modeColor,
        symbol: { domain: [...MODES], range: MODES.map((m) => MODE_SYMBOLS[m]) },
        marks: [
          Plot.dot(plotted, {
            x: 'perplexity',
            y: 'passRate',
            fill: 'mode',
            symbol: 'mode',
            r: 4,
            fillOpacity: 0.85,
          }),
          ...MODES.flatMap((mode) => {
            const mean = meanByMode[mode];
            return mean === null || !(mean > 0)
              ? []
              : [
                  Plot.ruleX([mean], {
                    stroke: MODE_COLORS[mode],
                    strokeDasharray: '5,3',
                    strokeWidth: 1.5,
                  }),
                ];
          }),
          Plot.tip(
            plotted,
            Plot.pointer({
              x: 'perplexity',
              y: 'passRate',
              title: (d: PerplexityRow & { passRate: number }) =>
                `Problem ${d.problemId}, ${MODE_NAMES[d.mode].toLowerCase()}\nPerplexity ${d.perplexity.toFixed(2)}\nPass rate ${d.passRate.toFixed(1)}%`,
            }),
          ),
        ],
      },
      {
        ...margins,
        height: 60 + 70 * MODES.length,
        ariaLabel: 'Mean pass rate per perplexity quartile',
        ariaDescription: null,
        x,
        y: {
          domain: [0, percentCeiling(binRows.map((b) => b.percent))],
          label: '↑ Mean pass rate (%)',
          grid: true,
        },
        fy: {
          domain: [...MODES],
          tickFormat: (m: Mode) => MODE_NAMES[m],
          label: null,
          padding: 0.2,
        },
        color: modeColor,
        marks: [
          Plot.rectY(binRows, {
            x1: 'from',
            x2: 'to',
            y: 'percent',
            fy: 'mode',
            fill: 'mode',
            insetLeft: 1,
            insetRight: 1,
          }),
          Plot.ruleY([0]),
          Plot.tip(
            binRows,
            Plot.pointerX({
              x: (b: (typeof binRows)[number]) => (b.from + b.to) / 2,
              y: 'percent',
              fy: 'mode',
              title: (b: (typeof binRows)[number]) =>
                `${MODE_NAMES[b.mode]}, perplexity ${b.from.toFixed(2)}–${b.to.toFixed(2)}\n${plural(b.problems, 'problem')}, mean pass rate ${b.percent.toFixed(1)}%`,
            }),
          ),
        ],
      },
    ];
  };
  return { title, description, plot, table, data: rows, legend: modeLegend('circle'), summary };
}
