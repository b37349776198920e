import { describe, expect, it } from 'vitest';
import { parsePyJson } from '../python/core/pyjson.ts';
import { parseDataset } from './dataset.ts';
import { mtpbReplayJobs, parseSamples } from './export.ts';
import { mtpbPlan } from './plan.ts';
import { BenchmarkRunner, turnSeed } from './runner.ts';
import type { CaseExecutor, RunEvent, TurnGenerator } from './runner.ts';
import type { CaseRecord } from './records.ts';
import { caseKey } from './records.ts';

const problems = parseDataset(
  [
    '{"id": "1", "prompts": ["Assign {a} to a.", "Print a."], "inputs": [{"a": 1}, {"a": 2}], "outputs": [1, 2], "max_gen_length": 16}',
    '{"id": "2", "prompts": ["Print {s}."], "inputs": [{"s": "hi"}], "outputs": ["hi"]}',
  ].join('\n'),
).problems;

function fakes(log: string[]) {
  const generator: TurnGenerator = {
    generate: async (histories, budget, seed) => {
      log.push(`gen ${histories.length} rows budget ${budget} seed ${seed}`);
      await Promise.resolve();
      return histories.map((h) => {
        const last = h.trimEnd().split('\n').at(-1) ?? '';
        const a = /Assign (\S+) to a/.exec(last);
        const s = /Print (\w+)\.$/.exec(last);
        return {
          completion: a ? `a = ${a[1]}` : s && s[1] !== 'a' ? `print('${s[1]}')` : 'print(a)',
          tokens: 3,
          contextOverflow: false,
        };
      });
    },
  };
  const executor: CaseExecutor = {
    run: async (program) => {
      log.push(
        `exec ${program
          .split('\n')
          .filter((l) => l && !l.startsWith('#') && !l.startsWith('import'))
          .join(';')}`,
      );
      await Promise.resolve();
      return {
        status: 'pass',
        passed: true,
        printed: '1',
        stdout: '',
        error: null,
        detail: 'passed',
        execMs: 1,
      };
    },
    endProblem: () => log.push('end problem'),
  };
  return { generator, executor };
}

describe('BenchmarkRunner', () => {
  it('generates a problem as one batch turn by turn, then executes each case with the official record', async () => {
    const log: string[] = [];
    const events: RunEvent[] = [];
    const { generator, executor } = fakes(log);
    await new BenchmarkRunner(generator, executor, (e) => events.push(e)).run(
      problems.map((p) => mtpbPlan(p, 'multi', 0.2)),
      { seed: 16, n: 1 },
      new Set(),
      new AbortController().signal,
    );
    expect(log.filter((l) => l.startsWith('gen'))).toEqual([
      `gen 2 rows budget 16 seed ${turnSeed(16, '1', 0)}`,
      `gen 2 rows budget 16 seed ${turnSeed(16, '1', 1)}`,
      `gen 1 rows budget 256 seed ${turnSeed(16, '2', 0)}`,
    ]);
    // Problem 2 starts generating while problem 1 is still executing: the two overlap.
    expect(log.indexOf(`gen 1 rows budget 256 seed ${turnSeed(16, '2', 0)}`)).toBeLessThan(
      log.indexOf('end problem'),
    );
    const records = events.flatMap((e): CaseRecord[] => (e.kind === 'case' ? [e.record] : []));
    expect(records.map((r) => caseKey(r.problemId, r.caseIndex, r.sample))).toEqual([
      '1/0/0',
      '1/1/0',
      '2/0/0',
    ]);
    expect(records[1]).toMatchObject({
      input: parsePyJson('{"a": 2}'),
      goldOutput: { t: 'int', v: 2n },
      program:
        '# Import libraries.\n\nimport numpy as np\n\n# Assign 2 to a.\na = 2\n\n# Print a.\nprint(a)\n\n',
      promptsCompletions: [
        '# Import libraries.\n\nimport numpy as np\n\n',
        '# Assign 2 to a.\n',
        'a = 2\n\n',
        '# Print a.\n',
        'print(a)\n\n',
      ],
      genTokens: 6,
    });
    expect(log.filter((l) => l === 'end problem')).toHaveLength(2);
  });

  it('skips cases already done (resume) and single-turn sends one turn with the summed budget', async () => {
    const log: string[] = [];
    const { generator, executor } = fakes(log);
    await new BenchmarkRunner(generator, executor, () => {}).run(
      problems.map((p) => mtpbPlan(p, 'single', 0.2)),
      { seed: 1, n: 1 },
      new Set(['1/0/0', '2/0/0']),
      new AbortController().signal,
    );
    expect(log.filter((l) => l.startsWith('gen'))).toEqual([
      `gen 1 rows budget 32 seed ${turnSeed(1, '1', 0)}`,
    ]);
  });

  it('pauses before the next turn and stops when aborted', async () => {
    const log: string[] = [];
    const { generator, executor } = fakes(log);
    const runner = new BenchmarkRunner(generator, executor, () => {});
    runner.pause();
    const controller = new AbortController();
    const run = runner.run(
      problems.map((p) => mtpbPlan(p, 'multi', 0.2)),
      { seed: 1, n: 1 },
      new Set(),
      controller.signal,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual([]);
    controller.abort();
    runner.resume();
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
  });

  it('replays imported samples through the same loop: problem by problem, done ones skipped', async () => {
    const log: string[] = [];
    const events: RunEvent[] = [];
    const { generator, executor } = fakes(log);
    const line = (id: string, a: number, body: string) =>
      `{"id": "${id}", "input": {"a": ${a}}, "gold_output": ${a}.0, "completions": "${body}"}`;
    const { samples } = parseSamples(
      [
        line('3', 1, 'x = 1'),
        line('3', 1, 'x = 2'),
        line('3', 2, 'x = 3'),
        line('4', 1, 'x = 4'),
      ].join('\n'),
    );
    await new BenchmarkRunner(generator, executor, (e) => events.push(e)).replay(
      mtpbReplayJobs(samples),
      new Set(['3/0/1']),
      new AbortController().signal,
    );
    expect(log).toEqual(['exec x = 1', 'exec x = 3', 'end problem', 'exec x = 4', 'end problem']);
    const records = events.flatMap((e): CaseRecord[] => (e.kind === 'case' ? [e.record] : []));
    expect(records.map((r) => caseKey(r.problemId, r.caseIndex, r.sample))).toEqual([
      '3/0/0',
      '3/1/0',
      '4/0/0',
    ]);
    expect(records[0]?.goldOutput).toEqual({ t: 'float', v: 1 });
    expect(events.filter((e) => e.kind === 'problem-done')).toHaveLength(2);
  });
});
