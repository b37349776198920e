// HumanEval's execution semantics in the real Node sandbox (Pyodide in worker threads):
// every canonical solution passes, broken variants fail, and a replayed official-format
// samples file gets exactly the verdicts openai/human-eval's own check_correctness gave in
// CPython (src/humaneval/fixtures/README.md says how they were computed).
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fromSandbox, pythonExecutor } from '../mtpb/python-executor.ts';
import type { CaseRecord } from '../mtpb/records.ts';
import { BenchmarkRunner } from '../mtpb/runner.ts';
import { createNodeSandbox } from '../python/node/node-sandbox.node.ts';
import { HUMANEVAL_PATH, readHumanEval } from './dataset.node.ts';
import type { HumanEvalTask } from './dataset.ts';
import { checkProgram, HUMANEVAL_TIME_LIMIT_MS } from './protocol.ts';
import { humanEvalJsonl, humanEvalReplayJobs, parseHumanEvalSamples } from './samples.ts';

const hasData = existsSync(HUMANEVAL_PATH);
const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// Trusted programs (the dataset's own solutions) may share interpreters.
const sandbox = createNodeSandbox({ problemsPerWorker: 1000 });
afterAll(() => sandbox.dispose());
const executor = pythonExecutor(fromSandbox(sandbox));
const check = { kind: 'no-exception', timeLimitMs: HUMANEVAL_TIME_LIMIT_MS } as const;
const run = (task: HumanEvalTask, completion: string) =>
  executor.run(checkProgram(task, completion), check, new AbortController().signal);

describe.skipIf(!hasData)('HumanEval in the sandbox, with human_eval’s semantics', () => {
  it('passes all 164 canonical solutions', { timeout: 300_000 }, async () => {
    const { tasks, errors } = await readHumanEval();
    expect(errors).toEqual([]);
    expect(tasks).toHaveLength(164);
    const failed: string[] = [];
    for (const task of tasks) {
      const result = await run(task, task.canonicalSolution);
      if (!result.passed) failed.push(`${task.id}: ${result.detail}`);
    }
    expect(failed).toEqual([]);
  });

  it('fails broken variants, with the official result lines', { timeout: 120_000 }, async () => {
    const { tasks } = await readHumanEval();
    const task = tasks.find((t) => t.id === 'HumanEval/4');
    if (!task) throw new Error('no HumanEval/4');
    const indent = '    ';
    const cases: Array<[string, string, string]> = [
      [
        'returns None',
        `${indent}return None\n`,
        "failed: unsupported operand type(s) for -: 'NoneType' and 'float'",
      ],
      ['wrong answer', `${indent}return 0.5\n`, 'failed: '],
      ['raises', `${indent}raise ValueError("boom")\n`, 'failed: boom'],
      ['loops', `${indent}while True:\n${indent}    pass\n`, 'timed out'],
      ['exits', `${indent}import sys\n${indent}sys.exit(3)\n`, 'failed: 3'],
      // what it prints is swallowed: the correct body still passes
      ['prints', `${indent}print("noise " * 1000)\n${task.canonicalSolution}`, 'passed'],
      // __name__ is not "__main__" in the check's globals: this block never runs
      [
        'guards main',
        `${task.canonicalSolution}\nif __name__ == "__main__":\n    raise SystemExit(1)\n`,
        'passed',
      ],
    ];
    for (const [what, completion, result] of cases) {
      const exec = await run(task, completion);
      expect(exec.detail, what).toBe(result);
      expect(exec.passed, what).toBe(result === 'passed');
      expect(exec.status, what).toBe(
        result === 'passed' ? 'pass' : result === 'timed out' ? 'timeout' : 'fail',
      );
    }
  });

  it(
    'replays the official-format fixture with the official evaluator’s verdicts',
    { timeout: 180_000 },
    async () => {
      const { tasks } = await readHumanEval();
      const parsed = parseHumanEvalSamples(fixture('replay-samples.jsonl'), tasks);
      expect(parsed.errors).toEqual([]);
      const { jobs } = humanEvalReplayJobs(parsed.samples, tasks);
      const records: CaseRecord[] = [];
      await new BenchmarkRunner(
        { generate: () => Promise.reject(new Error('a replay generates nothing')) },
        executor,
        (event) => {
          if (event.kind === 'case') records.push(event.record);
        },
      ).replay(jobs, new Set(), new AbortController().signal);
      const ours = humanEvalJsonl(records, [])
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const official = fixture('replay-expected.jsonl')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      // Ours are written task by task; the official file keeps the samples file's order.
      const key = (o: Record<string, unknown>): string =>
        `${String(o.task_id)}\u0000${String(o.completion)}`;
      const sorted = (list: Array<Record<string, unknown>>) =>
        [...list].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sorted(ours)).toEqual(sorted(official));
    },
  );
});
