import { describe, expect, it } from 'vitest';
import { datasetFromText } from '../load-dataset.ts';
import { caseRecord, runMeta } from '../fixtures.node.ts';
import type { CaseStatus } from '../records.ts';
import { caseKey } from '../records.ts';
import type { CellView } from '../run-controller.ts';
import { DEFAULT_FORM, readForm } from './form-values.ts';
import { cellStatus, diffRuns, gridRows, mtpbGridProblems, parseCaseKey } from './stats.ts';

const dataset = datasetFromText(
  [
    '{"id": "2", "name": "Two", "category": "math", "prompts": ["Print {a}."], "inputs": [{"a": 1}, {"a": 2}], "outputs": [1, 2]}',
    '{"id": "10", "name": "Ten", "category": ["string", "math"], "prompts": ["Print {s}."], "inputs": [{"s": "x"}], "outputs": ["x"]}',
  ].join('\n'),
  'mtpb.jsonl',
);

const record = (problemId: string, caseIndex: number, sample: number, status: CaseStatus) =>
  caseRecord(problemId, caseIndex, sample, status, { goldOutput: { t: 'int', v: 1n } });

const run = runMeta({
  settings: { ...runMeta().settings, n: 2, problemIds: ['10', '2'] },
  totalCases: 6,
});

describe('benchmark stats', () => {
  it('parses case keys from the end', () => {
    expect(parseCaseKey('a/b/3/1')).toEqual({ problemId: 'a/b', caseIndex: 3, sample: 1 });
    expect(parseCaseKey('3/1')).toBeNull();
  });

  it('lays out every expected case of a stopped run, finished or not, in numeric order', () => {
    const done: CellView = { kind: 'done', record: record('2', 1, 0, 'pass') };
    const rows = gridRows(
      run,
      new Map([[caseKey('2', 1, 0), done]]),
      mtpbGridProblems(dataset.problems),
      [],
    );
    expect(rows.map((r) => r.problemId)).toEqual(['2', '10']);
    expect(rows[0]?.cells.map((c) => c.key)).toEqual(['2/0/0', '2/0/1', '2/1/0', '2/1/1']);
    expect(rows[0]?.cells.map((c) => cellStatus(c.view, false))).toEqual([
      'not-run',
      'not-run',
      'pass',
      'not-run',
    ]);
    expect(rows[1]).toMatchObject({ name: 'Ten', categories: ['string', 'math'] });
  });

  it('adds a replay’s announced cases, even for problems the dataset lacks', () => {
    const rows = gridRows(null, new Map(), mtpbGridProblems(dataset.problems), [
      '77/0/0',
      '77/1/0',
    ]);
    expect(rows).toEqual([
      expect.objectContaining({ problemId: '77', name: 'Problem 77', categories: [] }),
    ]);
  });

  it('lists the problems where two runs differ, over the cases both finished', () => {
    const a = [record('2', 0, 0, 'pass'), record('2', 1, 0, 'pass'), record('10', 0, 0, 'fail')];
    const b = [record('2', 0, 0, 'fail'), record('2', 1, 0, 'pass'), record('10', 0, 0, 'fail')];
    expect(diffRuns(a, b)).toEqual([
      {
        problemId: '2',
        a: { passed: 2, judged: 2, rate: 1 },
        b: { passed: 1, judged: 2, rate: 0.5 },
        cases: [0],
      },
    ]);
    expect(diffRuns(a, [])).toEqual([]);
  });
});

describe('run form', () => {
  const ids = ['1', '2', '3', '23'];

  it('reads the official defaults', () => {
    expect(readForm({ ...DEFAULT_FORM, problems: '1-3' }, ids)).toEqual({
      request: {
        problemIds: ['1', '2', '3'],
        mode: 'multi',
        seed: 16,
        n: 1,
        k: 1,
        temperature: 0.2,
        topP: 0.95,
      },
    });
    expect(readForm(DEFAULT_FORM, ids)).toMatchObject({ request: { problemIds: ids } });
  });

  it('names each wrong field', () => {
    const result = readForm(
      { ...DEFAULT_FORM, problems: '5', n: '2', k: '3', topP: '1.5', seed: 'x' },
      ids,
    );
    if (!('errors' in result)) throw new Error('expected errors');
    expect(Object.keys(result.errors).sort()).toEqual(['k', 'problems', 'seed', 'topP']);
    expect(result.errors.problems).toContain('No problem 5');
    expect(result.errors.k).toBe('From 1 to n.');
  });
});
