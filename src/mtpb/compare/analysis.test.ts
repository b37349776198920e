import { describe, expect, it } from 'vitest';
import { caseRecord } from '../fixtures.node.ts';
import type { Mode } from '../protocol.ts';
import type { CaseStatus } from '../records.ts';
import { classOf, compareRuns, paperReference } from './analysis.ts';
import type { ComparedProblem } from './analysis.ts';

const problem = (id: string, category: string[], cases = 2): ComparedProblem => ({
  id,
  name: `Problem ${id}`,
  category,
  cases,
});

/** One record per case and sample, statuses in case-major order. */
const records = (mode: Mode, id: string, statuses: CaseStatus[], n = 1) =>
  statuses.map((status, i) =>
    caseRecord(id, Math.floor(i / n), i % n, status, { mode, passed: status === 'pass' }),
  );

describe('compareRuns', () => {
  const problems = [
    problem('1', ['math']),
    problem('2', ['math', 'string']),
    problem('3', ['string']),
    problem('4', []),
    problem('5', ['math']),
  ];
  const multi = [
    ...records('multi', '1', ['pass', 'fail']),
    ...records('multi', '2', ['pass', 'pass']),
    ...records('multi', '3', ['fail', 'fail']),
    ...records('multi', '4', ['fail', 'unavailable']),
    ...records('multi', '5', ['pass', 'pass']), // single-turn has not finished problem 5
  ];
  const single = [
    ...records('single', '1', ['fail', 'fail']),
    ...records('single', '2', ['fail', 'pass']),
    ...records('single', '3', ['fail', 'pass']),
    ...records('single', '4', ['fail', 'unavailable']),
    ...records('single', '5', ['fail']),
  ];
  const analysis = compareRuns(problems, { multi, single }, 1, null);

  it('classes each problem both runs finished by whether a case passed in each mode', () => {
    expect(analysis.problems.map((p) => [p.problemId, p.class])).toEqual([
      ['1', 'multi-only'],
      ['2', 'both'],
      ['3', 'single-only'],
      ['4', 'neither'],
    ]);
    expect(analysis.classes).toEqual({ both: 1, 'multi-only': 1, 'single-only': 1, neither: 1 });
    expect(analysis.pending).toEqual(['5']);
  });

  it('figures leave out pending problems and unavailable cases', () => {
    // Multi-turn on problems 1–4: 3 passed of 7 judged (problem 5's passes are pending).
    expect(analysis.overall.multi).toEqual({ passed: 3, judged: 7, rate: 3 / 7 });
    expect(analysis.overall.single).toEqual({ passed: 2, judged: 7, rate: 2 / 7 });
    const math = analysis.categories.find((c) => c.category === 'math' && c.mode === 'multi');
    expect(math).toMatchObject({ passed: 3, judged: 4 });
    expect(analysis.passAtK).toEqual([]);
  });

  it('gives pass@k for k = 1..n per mode when n > 1', () => {
    const two = compareRuns(
      [problem('1', [], 1)],
      {
        multi: records('multi', '1', ['pass', 'fail'], 2),
        single: records('single', '1', ['fail', 'fail'], 2),
      },
      2,
      null,
    );
    expect(two.passAtK).toEqual([
      { mode: 'multi', k: 1, value: 0.5 },
      { mode: 'multi', k: 2, value: 1 },
      { mode: 'single', k: 1, value: 0 },
      { mode: 'single', k: 2, value: 0 },
    ]);
  });

  it('a problem needs every case × sample in both runs to be compared', () => {
    const half = compareRuns(
      [problem('1', [], 1)],
      {
        multi: records('multi', '1', ['pass'], 2),
        single: records('single', '1', ['pass', 'pass'], 2),
      },
      2,
      null,
    );
    expect(half.problems).toEqual([]);
    expect(half.pending).toEqual(['1']);
  });
});

describe('classOf and paperReference', () => {
  it('classes by any pass', () => {
    expect(classOf(records('multi', '1', ['fail']), records('single', '1', ['fail']))).toBe(
      'neither',
    );
  });

  it('matches the paper’s model, or gives the smallest published one as a yardstick', () => {
    expect(paperReference('CodeGen 350M mono')).toEqual({
      model: 'CodeGen-Mono 350M',
      multi: 16.98,
      single: 5.75,
      matched: true,
    });
    expect(paperReference('CodeGen-16B-mono')).toMatchObject({ multi: 47.34, matched: true });
    expect(paperReference('Tiny CodeGen (random weights)')).toMatchObject({
      model: 'CodeGen-Mono 350M',
      matched: false,
    });
  });
});
