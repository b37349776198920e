import { describe, expect, it } from 'vitest';
import type { ScoreRow } from '../../shared/contracts/model-worker.ts';
import { parseDataset } from '../dataset.ts';
import { caseRecord } from '../fixtures.node.ts';
import { historyOf, MTPB_PREFIX, renderPrompts, turnsFor } from '../protocol.ts';
import type { Turn } from '../protocol.ts';
import {
  multiTurnSegments,
  perplexityJobs,
  perplexityOf,
  singleTurnSegments,
  summarizePerplexity,
} from './perplexity.ts';
import type { PerplexityJob } from './perplexity.ts';

const problems = parseDataset(
  [
    '{"id": "1", "prompts": ["Assign {a} to a.", "Add 1 to a.", "Print a."], "inputs": [{"a": 1}, {"a": 2}], "outputs": [2, 3]}',
    '{"id": "10", "prompts": ["Print {s}."], "inputs": [{"s": "hi"}], "outputs": ["hi"]}',
    '{"id": "2", "prompts": ["Let x be {x}.", "Print x."], "inputs": [{"x": 5}], "outputs": [5]}',
  ].join('\n'),
).problems;
const problem = (id: string) => problems.find((p) => p.id === id)!;

const TURNS: Turn[] = [
  { prompt: 'Assign 1 to a.', completion: 'a = 1' },
  { prompt: 'Add 1 to a.', completion: 'a += 1' },
  { prompt: 'Print a.', completion: 'print(a)' },
];

const text = (segments: ReadonlyArray<{ text: string }>) => segments.map((s) => s.text).join('');

describe('prompt segments', () => {
  it('multi-turn: the history the sampler built before the last turn, prompts scored', () => {
    const segments = multiTurnSegments(TURNS);
    expect(text(segments)).toBe(historyOf(TURNS.slice(0, -1), TURNS.at(-1)!.prompt));
    expect(segments).toEqual([
      { text: MTPB_PREFIX, scored: false },
      { text: '# Assign 1 to a.\n', scored: true },
      { text: 'a = 1\n\n', scored: false },
      { text: '# Add 1 to a.\n', scored: true },
      { text: 'a += 1\n\n', scored: false },
      { text: '# Print a.\n', scored: true },
    ]);
    // One turn: the prefix and its prompt.
    expect(multiTurnSegments(TURNS.slice(0, 1))).toEqual([
      { text: MTPB_PREFIX, scored: false },
      { text: '# Assign 1 to a.\n', scored: true },
    ]);
    expect(() => multiTurnSegments([])).toThrow(RangeError);
  });

  it('single-turn: the one prompt turnsFor writes, wrapped, after the prefix', () => {
    const prompts = renderPrompts(problem('1'), 1);
    const segments = singleTurnSegments(prompts);
    const single = turnsFor(problem('1'), 1, 'single');
    expect(single).toHaveLength(1);
    expect(text(segments)).toBe(historyOf([], single[0]!.prompt));
    expect(segments).toEqual([
      { text: MTPB_PREFIX, scored: false },
      { text: '# Assign 2 to a.\n# Add 1 to a.\n# Print a.\n', scored: true },
    ]);
  });
});

describe('perplexityJobs', () => {
  it('one multi-turn job per record, one single-turn job per test case, in benchmark order', () => {
    const turns2: Turn[] = [
      { prompt: 'Let x be 5.', completion: 'x = 5' },
      { prompt: 'Print x.', completion: 'print(x)' },
    ];
    const records = [
      caseRecord('10', 0, 0, 'pass', { turns: [{ prompt: 'Print hi.', completion: '' }] }),
      caseRecord('1', 1, 0, 'fail', { turns: TURNS }),
      caseRecord('2', 0, 0, 'pass', { turns: turns2 }),
      caseRecord('1', 0, 1, 'pass', { turns: TURNS }),
      caseRecord('1', 0, 0, 'pass', { turns: TURNS }),
      caseRecord('1', 0, 2, 'pass', { turns: TURNS, mode: 'single' }), // not a multi-turn record
      caseRecord('99', 0, 0, 'pass', { turns: turns2 }), // no such problem: multi only
      caseRecord('2', 0, 1, 'pass', { turns: [] }), // nothing generated
    ];
    const jobs = perplexityJobs(problems, records);
    expect(jobs.map((j) => `${j.problemId}/${j.caseIndex}/${j.sample} ${j.mode}`)).toEqual([
      '1/0/0 multi',
      '1/0/1 multi',
      '1/1/0 multi',
      '1/0/0 single',
      '1/1/0 single',
      '2/0/0 multi',
      '2/0/0 single',
      '10/0/0 multi',
      '10/0/0 single',
      '99/0/0 multi',
    ]);
    expect(jobs[0]?.segments).toEqual(multiTurnSegments(TURNS));
    expect(jobs[4]?.segments).toEqual(singleTurnSegments(renderPrompts(problem('1'), 1)));
    expect(text(jobs[6]!.segments)).toBe(`${MTPB_PREFIX}# Let x be 5.\n# Print x.\n`);
    expect(text(jobs[5]!.segments)).toBe(`${MTPB_PREFIX}# Let x be 5.\nx = 5\n\n# Print x.\n`);
  });
});

const row = (tokens: number, logprob: number, overflow = false): ScoreRow => ({
  spans: [{ tokens, logprob }],
  tokens,
  logprob,
  overflow,
});
const job = (problemId: string, mode: PerplexityJob['mode']): PerplexityJob => ({
  problemId,
  caseIndex: 0,
  sample: 0,
  mode,
  segments: [],
});

describe('perplexity figures', () => {
  it('perplexityOf: exp(−logprob / tokens), null when overflowed or empty', () => {
    expect(perplexityOf(row(4, -4 * Math.log(3)))).toBeCloseTo(3, 12);
    expect(perplexityOf(row(4, -1, true))).toBeNull();
    expect(perplexityOf(row(0, 0))).toBeNull();
  });

  it('pools rows per problem and mode, averages problems per mode, and bins by quartile', () => {
    const ln = Math.log;
    // Problem 1, multi: two rows pooled, 2 tokens at ln 2 each and 2 at ln 8 → exp((2 ln 2 +
    // 2 ln 8) / 4) = exp(ln 4) = 4 (not the mean of the rows' 2 and 8). An overflowed row is
    // left out.
    const jobs = [
      job('1', 'multi'),
      job('1', 'multi'),
      job('1', 'multi'),
      job('1', 'single'),
      job('2', 'multi'),
      job('2', 'single'),
      job('3', 'multi'),
      job('3', 'single'),
      job('10', 'multi'),
      job('10', 'single'),
      job('11', 'multi'),
    ];
    const rows = [
      row(2, -2 * ln(2)),
      row(2, -2 * ln(8)),
      row(5, -100, true),
      row(3, -3 * ln(5)),
      row(1, -ln(6)),
      row(1, -ln(2)),
      row(7, -7 * ln(2)),
      row(2, -2 * ln(3)),
      row(4, -4 * ln(10)),
      row(1, 0, true), // problem 10 has no single-turn perplexity
      row(3, -3 * ln(20)),
    ];
    const passRates = new Map([
      ['1', { multi: 0.4, single: 0.2 }],
      ['2', { multi: 0.6, single: 1 }],
      ['3', { multi: 1, single: null }],
      ['10', { multi: 0, single: 0 }],
      // 11 has none
    ]);
    const summary = summarizePerplexity(jobs, rows, passRates);
    const close = (value: number | null | undefined, expected: number) =>
      expect(value).toBeCloseTo(expected, 12);

    expect(summary.problems.map((p) => p.problemId)).toEqual(['1', '2', '3', '10', '11']);
    const [p1, p2, p3, p10, p11] = summary.problems;
    close(p1?.multi, 4);
    close(p1?.single, 5);
    close(p2?.multi, 6);
    close(p2?.single, 2);
    close(p3?.multi, 2);
    close(p3?.single, 3);
    close(p10?.multi, 10);
    expect(p10?.single).toBeNull();
    close(p11?.multi, 20);
    expect(p11?.single).toBeNull();
    expect(summary.overflow).toEqual({ multi: 1, single: 1 });

    close(summary.meanByMode.multi, (4 + 6 + 2 + 10 + 20) / 5);
    close(summary.meanByMode.single, (5 + 2 + 3) / 3);

    expect(
      summary.points.map((p) => [p.problemId, p.mode, Math.round(p.perplexity), p.passRate]),
    ).toEqual([
      ['1', 'multi', 4, 0.4],
      ['1', 'single', 5, 0.2],
      ['2', 'multi', 6, 0.6],
      ['2', 'single', 2, 1],
      ['3', 'multi', 2, 1],
      ['3', 'single', 3, null],
      ['10', 'multi', 10, 0],
      ['11', 'multi', 20, null],
    ]);

    // Bins hold the problems with a pass rate: multi has four (3, 1, 2, 10 by perplexity),
    // one per quartile; single has two (2, 1), so two bins.
    expect(
      summary.bins.map((b) => ({
        ...b,
        from: Math.round(b.from),
        to: Math.round(b.to),
      })),
    ).toEqual([
      { mode: 'multi', from: 2, to: 2, problems: 1, problemIds: ['3'], meanPassRate: 1 },
      { mode: 'multi', from: 4, to: 4, problems: 1, problemIds: ['1'], meanPassRate: 0.4 },
      { mode: 'multi', from: 6, to: 6, problems: 1, problemIds: ['2'], meanPassRate: 0.6 },
      { mode: 'multi', from: 10, to: 10, problems: 1, problemIds: ['10'], meanPassRate: 0 },
      { mode: 'single', from: 2, to: 2, problems: 1, problemIds: ['2'], meanPassRate: 1 },
      { mode: 'single', from: 5, to: 5, problems: 1, problemIds: ['1'], meanPassRate: 0.2 },
    ]);
  });

  it('splits more problems than bins into equal counts (±1), lowest perplexity first', () => {
    const ids = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const jobs = ids.map((id) => job(id, 'single'));
    // Perplexity of problem i is i + 1; pass rate 1 / (i + 1).
    const rows = ids.map((_, i) => row(1, -Math.log(i + 1)));
    const passRates = new Map(ids.map((id, i) => [id, { multi: null, single: 1 / (i + 1) }]));
    const { bins, meanByMode } = summarizePerplexity(jobs, rows, passRates);
    expect(meanByMode.multi).toBeNull();
    expect(meanByMode.single).toBeCloseTo(5.5, 12);
    expect(bins.map((b) => b.problemIds)).toEqual([
      ['1', '2'],
      ['3', '4', '5'],
      ['6', '7'],
      ['8', '9', '10'],
    ]);
    expect(bins[0]?.meanPassRate).toBeCloseTo((1 + 1 / 2) / 2, 12);
    expect(bins[0]?.from).toBeCloseTo(1, 12);
    expect(bins[0]?.to).toBeCloseTo(2, 12);
    expect(bins.every((b) => b.mode === 'single' && b.problems === b.problemIds.length)).toBe(true);
  });

  it('needs one scored row per job', () => {
    expect(() => summarizePerplexity([job('1', 'multi')], [], new Map())).toThrow(RangeError);
  });
});
