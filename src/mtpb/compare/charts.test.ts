import { isValidElement } from 'react';
import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ChartSpec } from '../../charts/spec.ts';
import { humanEvalTemperatureChart } from '../../humaneval/view/temperature-chart.ts';
import { caseRecord } from '../fixtures.node.ts';
import type { Mode } from '../protocol.ts';
import type { CaseRecord } from '../records.ts';
import type { TimelineSpan } from '../timeline.ts';
import { compareRuns } from './analysis.ts';
import type { ComparedProblem } from './analysis.ts';
import {
  categoryChart,
  passAtKChart,
  perplexityChart,
  perplexityScale,
  problemChart,
  rateWindowMs,
  sortProblems,
  timelineChart,
} from './charts.ts';
import type { ProblemRow } from './charts.ts';

const problem = (id: string, category: string): ComparedProblem => ({
  id,
  name: `Problem ${id}`,
  category: [category],
  cases: 5,
});

const PROBLEMS = [
  problem('1', 'string'),
  problem('2', 'math'),
  problem('3', 'string'),
  problem('4', 'array'),
  problem('5', 'math'),
  problem('6', 'array'),
];

/** Five cases per sample, the first `passed` of them passing. */
const cases = (mode: Mode, problemId: string, passed: number, samples = 1): CaseRecord[] =>
  Array.from({ length: samples }, (_, sample) =>
    Array.from({ length: 5 }, (_, i) =>
      caseRecord(problemId, i, sample, i < passed ? 'pass' : 'fail', { mode }),
    ),
  ).flat();

// 1: neither, 2: single-only (−40), 3: both (+20), 4: multi-only (+60), 5: both (0);
// 6: only the multi-turn run has it, so it is pending.
const RECORDS: Record<Mode, CaseRecord[]> = {
  multi: [
    ...cases('multi', '1', 0),
    ...cases('multi', '2', 0),
    ...cases('multi', '3', 5),
    ...cases('multi', '4', 3),
    ...cases('multi', '5', 1),
    ...cases('multi', '6', 5),
  ],
  single: [
    ...cases('single', '1', 0),
    ...cases('single', '2', 2),
    ...cases('single', '3', 4),
    ...cases('single', '4', 0),
    ...cases('single', '5', 1),
  ],
};

const analysisFor = (model: string | null) => compareRuns(PROBLEMS, RECORDS, 1, model);

const asJson = (spec: ChartSpec) => JSON.parse(JSON.stringify(spec.data)) as unknown;

describe('categoryChart', () => {
  const spec = categoryChart(analysisFor('CodeGen-Mono 350M (tiny)'));

  it('one row per category and mode, as percentages of judged cases', () => {
    const rate = (category: string, mode: Mode) =>
      spec.data.find((r) => r.category === category && r.mode === mode)?.percent;
    expect(spec.data).toHaveLength(6);
    expect(rate('string', 'multi')).toBe(50);
    expect(rate('string', 'single')).toBe(40);
    expect(rate('math', 'multi')).toBe(10);
    expect(rate('math', 'single')).toBe(30);
    expect(rate('array', 'multi')).toBe(60);
    expect(rate('array', 'single')).toBe(0);
    expect(asJson(spec)).toEqual(spec.data);
  });

  it('states the overall figures, the paper and the widest gap', () => {
    expect(spec.description).toContain('over the 5 problems both runs finished');
    expect(spec.description).toContain('multi-turn 36.0% (9 of 25 cases)');
    expect(spec.description).toContain('single-turn 28.0% (7 of 25 cases)');
    expect(spec.description).toContain('paper, CodeGen-Mono 350M reports 17.0% multi-turn');
    expect(spec.description).not.toContain('not this model');
    expect(spec.description).toContain('Widest gap: array, +60.0 points');
  });

  it('lists each category, all problems and the paper in its table', () => {
    const names = spec.table.rows.map((r) => r.category);
    expect(names).toEqual(['array', 'math', 'string', 'All problems', 'paper, CodeGen-Mono 350M']);
    expect(spec.table.rows[3]).toMatchObject({ multi: '36.0', single: '28.0', difference: '+8.0' });
    expect(spec.table.rows[1]).toMatchObject({ multiCases: '1 / 10', difference: '−20.0' });
  });

  it('labels a paper row that is not this model', () => {
    const other = categoryChart(analysisFor('tiny-random-codegen'));
    expect(other.description).toContain('paper, CodeGen-Mono 350M (not this model)');
    expect(other.legend?.map((l) => l.label)).toContain(
      'paper, CodeGen-Mono 350M (not this model)',
    );
  });

  it('builds Plot options without a DOM: percent axis 0–100, the four overall rules', () => {
    const options = spec.plot();
    if (Array.isArray(options)) throw new Error('one plot expected');
    expect(options.x).toMatchObject({ domain: [0, 100] });
    expect(options.fy).toMatchObject({ domain: ['array', 'math', 'string'] });
    // bars, bar labels, 4 × (rule + label), the tip
    expect(options.marks).toHaveLength(2 + 4 * 2 + 1);
  });

  it('says so when no problem is compared yet', () => {
    const empty = categoryChart(compareRuns(PROBLEMS, { multi: [], single: [] }, 1, null));
    expect(empty.data).toEqual([]);
    expect(empty.description).toMatch(/^No problem has been finished by both runs yet/);
    expect(empty.table.rows.map((r) => r.category)).toEqual([
      'paper, CodeGen-Mono 350M (not this model)',
    ]);
    expect(() => empty.plot()).not.toThrow();
  });
});

describe('problemChart', () => {
  const analysis = analysisFor(null);
  const ids = (rows: readonly ProblemRow[]) => rows.map((r) => r.problemId);

  it('counts per class equal the analysis', () => {
    const spec = problemChart(analysis, 'id');
    expect(analysis.classes).toEqual({ both: 2, 'multi-only': 1, 'single-only': 1, neither: 1 });
    expect(spec.summary).toMatchObject({ ...analysis.classes, problems: 5, pending: 1 });
    for (const c of ['both', 'multi-only', 'single-only', 'neither'] as const)
      expect(spec.data.filter((r) => r.class === c)).toHaveLength(analysis.classes[c]);
    expect(spec.legend?.map((l) => l.label)).toEqual([
      'Solved by both (2)',
      'Multi-turn only (1)',
      'Single-turn only (1)',
      'Neither (1)',
    ]);
    expect(spec.description).toContain('Solved by both: 2, multi-turn only: 1');
    expect(spec.description).toContain('1 problem still pending');
  });

  it('keeps each problem’s percentages and difference', () => {
    const row = problemChart(analysis, 'id').data.find((r) => r.problemId === '2');
    expect(row).toEqual({
      problemId: '2',
      name: 'Problem 2',
      class: 'single-only',
      multi: 0,
      single: 40,
      difference: -40,
    });
  });

  it('sorts by id, by difference (largest first, ties in benchmark order) and by class', () => {
    expect(ids(problemChart(analysis, 'id').data)).toEqual(['1', '2', '3', '4', '5']);
    expect(ids(problemChart(analysis, 'difference').data)).toEqual(['4', '3', '1', '5', '2']);
    expect(ids(problemChart(analysis, 'class').data)).toEqual(['3', '5', '4', '2', '1']);
    const shuffled = [...problemChart(analysis, 'difference').data].reverse();
    expect(ids(sortProblems(shuffled, 'difference'))).toEqual(['4', '3', '1', '5', '2']);
  });

  it('lists every problem with an Open button and sort buttons in the headers', () => {
    const onOpen = vi.fn();
    const onSort = vi.fn();
    const spec = problemChart(analysis, 'difference', { onOpen, onSort });
    expect(spec.table.rows.map((r) => r.problemId)).toEqual(['4', '3', '1', '5', '2']);
    expect(spec.table.rows[0]).toMatchObject({
      name: 'Problem 4',
      class: 'Multi-turn only',
      multi: '60.0',
      single: '0.0',
      difference: '+60.0',
    });
    const button = spec.table.rows[0]?.open as ReactElement<{
      onClick: () => void;
      'aria-label': string;
    }>;
    expect(isValidElement(button)).toBe(true);
    expect(button.props['aria-label']).toBe('Open problem 4, Problem 4');
    button.props.onClick();
    expect(onOpen).toHaveBeenCalledWith('4');

    const sorts = Object.fromEntries(
      spec.table.columns.filter((c) => c.sort).map((c) => [c.key, c.sort?.direction]),
    );
    expect(sorts).toEqual({ problemId: 'none', class: 'none', difference: 'descending' });
    spec.table.columns.find((c) => c.key === 'class')?.sort?.onSort();
    expect(onSort).toHaveBeenCalledWith('class');
  });

  it('has no buttons without handlers', () => {
    const spec = problemChart(analysis, 'id');
    expect(spec.table.columns.some((c) => c.sort || c.key === 'open')).toBe(false);
  });

  it('handles an empty comparison', () => {
    const spec = problemChart(compareRuns(PROBLEMS, { multi: [], single: [] }, 1, null), 'id');
    expect(spec.data).toEqual([]);
    expect(spec.summary).toMatchObject({ problems: 0, both: 0, neither: 0 });
    expect(spec.description).toBe('No problem has been finished by both runs yet.');
    expect(() => spec.plot()).not.toThrow();
  });
});

describe('passAtKChart', () => {
  it('is null when each case was sampled once', () => {
    expect(passAtKChart(analysisFor(null))).toBeNull();
  });

  it('has a point per mode and k', () => {
    const records: Record<Mode, CaseRecord[]> = {
      // Sample 0 passes 1 case of 5, sample 1 passes 3: pass@1 = 40%, pass@2 = 60%.
      multi: [
        ...cases('multi', '1', 1, 2).filter((r) => r.sample === 0),
        ...cases('multi', '1', 3, 2).filter((r) => r.sample === 1),
      ],
      single: cases('single', '1', 0, 2),
    };
    const spec = passAtKChart(compareRuns([PROBLEMS[0]!], records, 2, null));
    expect(spec?.data).toEqual([
      { mode: 'multi', k: 1, percent: 40 },
      { mode: 'multi', k: 2, percent: 60 },
      { mode: 'single', k: 1, percent: 0 },
      { mode: 'single', k: 2, percent: 0 },
    ]);
    expect(spec?.description).toContain('multi-turn from 40.0% at k = 1 to 60.0% at k = 2');
    expect(spec?.table.rows).toEqual([
      { k: 1, multi: '40.0', single: '0.0' },
      { k: 2, multi: '60.0', single: '0.0' },
    ]);
  });
});

describe('timelineChart', () => {
  const span = (
    kind: TimelineSpan['kind'],
    problemId: string,
    start: number,
    end: number,
    tokens = 0,
  ): TimelineSpan => ({ kind, problemId, start, end, tokens });

  it('rows in seconds, and the summary figures in the description', () => {
    const spec = timelineChart([
      {
        lane: 'Multi-turn',
        spans: [
          span('generate', '1', 0, 4000, 80),
          span('execute', '1', 3000, 5000),
          span('generate', '2', 6000, 8000, 40),
        ],
      },
    ]);
    expect(spec.data[0]).toEqual({
      lane: 'Multi-turn',
      kind: 'generate',
      problemId: '1',
      start: 0,
      end: 4,
      tokens: 80,
    });
    // generating 6 s, executing 2 s, both 1 s, idle 1 s (5–6 s) of 8 s; 120 tokens / 6 s
    expect(spec.description).toContain(
      'Multi-turn: 6.0 s generating, 2.0 s executing, 1.0 s both at once, 1.0 s idle of 8.0 s; 20.0 tokens/s.',
    );
    expect(spec.summary).toMatchObject({
      'Multi-turn:generateMs': 6000,
      'Multi-turn:overlapMs': 1000,
      'Multi-turn:idleMs': 1000,
    });
    expect(spec.table.rows[0]).toMatchObject({ wall: '8.0', tokens: 120, rate: '20.0' });
    const plots = spec.plot();
    expect(Array.isArray(plots) && plots.length).toBe(2);
  });

  it('picks a rate window of about a sixtieth of the run, whole seconds', () => {
    expect(rateWindowMs(5000)).toBe(1000);
    expect(rateWindowMs(600_000)).toBe(10_000);
  });

  it('handles no spans', () => {
    const spec = timelineChart([]);
    expect(spec.data).toEqual([]);
    expect(spec.description).toMatch(/^No timeline yet/);
    expect(() => spec.plot()).not.toThrow();
  });
});

describe('perplexityChart', () => {
  const points = [
    { problemId: '1', mode: 'multi' as const, perplexity: 2.5, passRate: 0.4 },
    { problemId: '2', mode: 'multi' as const, perplexity: 40, passRate: 0 },
    { problemId: '1', mode: 'single' as const, perplexity: 3.25, passRate: 0.2 },
    { problemId: '2', mode: 'single' as const, perplexity: 8, passRate: null },
  ];
  const bins = [
    { mode: 'multi' as const, from: 2.5, to: 2.5, problems: 1, meanPassRate: 0.4 },
    { mode: 'multi' as const, from: 40, to: 40, problems: 1, meanPassRate: 0 },
    { mode: 'single' as const, from: 3.25, to: 3.25, problems: 1, meanPassRate: 0.2 },
  ];

  it('states both mean perplexities and the bins’ pass rates', () => {
    const spec = perplexityChart(points, bins, { multi: 21.25, single: null });
    expect(spec.description).toContain(
      'Mean perplexity: multi-turn 21.25, single-turn not measured.',
    );
    expect(spec.description).toContain(
      'multi-turn 40.0% in the least perplexing bin, 0.0% in the most',
    );
    expect(spec.summary).toEqual({ points: 4, bins: 3, meanMulti: 21.25, meanSingle: null });
  });

  it('lists every point with its bin; unknown pass rates are listed, not plotted', () => {
    const spec = perplexityChart(points, bins, { multi: 21.25, single: 5.6 });
    expect(spec.table.rows.map((r) => [r.problemId, r.mode, r.passRate, r.binRate])).toEqual([
      ['1', 'Multi-turn', '40.0', '40.0'],
      ['2', 'Multi-turn', '0.0', '0.0'],
      ['1', 'Single-turn', '20.0', '20.0'],
      ['2', 'Single-turn', '—', '—'],
    ]);
    const plots = spec.plot();
    if (!Array.isArray(plots)) throw new Error('two plots expected');
    expect(plots[0]?.x).toMatchObject({ type: 'log', domain: [2.5 / 1.05, 40 * 1.05] });
    expect(plots[1]?.x).toEqual(plots[0]?.x);
  });

  it('uses a log scale only across a factor of ten', () => {
    expect(perplexityScale([2, 19])).toBe('linear');
    expect(perplexityScale([2, 20])).toBe('log');
    expect(perplexityScale([])).toBe('linear');
  });

  it('handles nothing measured', () => {
    const spec = perplexityChart([], [], { multi: null, single: null });
    expect(spec.description).toBe('No prompt perplexity has been measured yet.');
    expect(() => spec.plot()).not.toThrow();
  });
});

describe('humanEvalTemperatureChart', () => {
  const byTemperature = [
    {
      temperature: 0.2,
      tasks: 164,
      passAt: new Map<number, number | null>([
        [1, 0.128],
        [10, null],
      ]),
    },
    {
      temperature: 0.8,
      tasks: 164,
      passAt: new Map<number, number | null>([
        [1, 0.09],
        [10, 0.234],
      ]),
    },
  ];

  it('a bar per temperature and k, grouped by k, with the best per k described', () => {
    const spec = humanEvalTemperatureChart(byTemperature);
    expect(spec.data).toEqual([
      { temperature: 'T = 0.2', k: 1, percent: 12.8 },
      { temperature: 'T = 0.8', k: 1, percent: 9 },
      { temperature: 'T = 0.2', k: 10, percent: null },
      { temperature: 'T = 0.8', k: 10, percent: 23.4 },
    ]);
    expect(spec.description).toContain('pass@1 12.8% (T = 0.2), pass@10 23.4% (T = 0.8)');
    expect(spec.table.rows).toEqual([
      { temperature: 'T = 0.2', tasks: 164, k1: '12.8', k10: '—' },
      { temperature: 'T = 0.8', tasks: 164, k1: '9.0', k10: '23.4' },
    ]);
    const options = spec.plot();
    if (Array.isArray(options)) throw new Error('one plot expected');
    expect(options.fx).toMatchObject({ domain: [1, 10] });
  });

  it('labels imported samples and handles no figures', () => {
    const spec = humanEvalTemperatureChart([
      { temperature: Number.NaN, tasks: 0, passAt: new Map([[1, null]]) },
    ]);
    expect(spec.data).toEqual([{ temperature: 'as imported', k: 1, percent: null }]);
    expect(spec.description).toMatch(/^No pass@k yet/);
  });
});
