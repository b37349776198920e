import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { parseSamples } from './export.ts';
import { datasetFromText } from './load-dataset.ts';
import { RunController } from './run-controller.ts';
import type { CaseExecutor, TurnGenerator } from './runner.ts';
import { RunStore } from './storage/run-store.ts';
import { fixedExecutor, runModel } from './fixtures.node.ts';

const dataset = datasetFromText(
  [
    '{"id": "1", "prompts": ["Assign {a} to a.", "Print a."], "inputs": [{"a": 1}, {"a": 2}], "outputs": [1, 2]}',
    '{"id": "2", "prompts": ["Print {s}."], "inputs": [{"s": "hi"}], "outputs": ["hi"]}',
  ].join('\n'),
  'test.jsonl',
);

const generator: TurnGenerator = {
  generate: (histories) =>
    Promise.resolve(
      histories.map(() => ({ completion: 'x = 1', tokens: 2, contextOverflow: false })),
    ),
};

function executor(stopAfter?: {
  count: number;
  controller: () => RunController;
}): CaseExecutor & { runs: string[] } {
  const runs: string[] = [];
  const judged = fixedExecutor('fail', (program) => {
    runs.push(program);
    if (stopAfter && runs.length === stopAfter.count) stopAfter.controller().stop();
  });
  return { ...judged, runs };
}

const options = {
  problemIds: ['1', '2'],
  mode: 'multi' as const,
  seed: 3,
  n: 1,
  k: 1,
  temperature: 0.2,
  topP: 0.95,
  model: runModel(),
  appVersion: '0.1.0',
};

describe('RunController', () => {
  it('saves every case as it finishes, and a stopped run resumes with only the missing cases', async () => {
    const store = await RunStore.open('controller-1');
    const controller = new RunController(store);
    const first = executor({ count: 1, controller: () => controller });
    await controller.start({ ...options, dataset, generator, executor: first });
    const stopped = controller.getSnapshot();
    expect(stopped.phase).toBe('stopped');
    const runId = stopped.run?.id ?? '';
    expect(await store.records(runId)).toHaveLength(1);

    // A new page: a fresh controller over the same database.
    const again = new RunController(store);
    const second = executor();
    await again.resume(runId, dataset, generator, second, {
      model: runModel(),
      acceptDifferences: false,
    });
    expect(second.runs).toHaveLength(2);
    const done = again.getSnapshot();
    expect(done.phase).toBe('done');
    expect([...done.cells.values()].every((c) => c.kind === 'done')).toBe(true);
    expect((await store.records(runId)).map((r) => `${r.problemId}/${r.caseIndex}`).sort()).toEqual(
      ['1/0', '1/1', '2/0'],
    );
    expect((await store.run(runId))?.state).toBe('done');
  });

  it('replays imported samples through the executor and stores them as a run', async () => {
    const store = await RunStore.open('controller-2');
    const controller = new RunController(store);
    const exec = executor();
    const { samples } = parseSamples(
      '{"id": "7", "input": {"a": 1}, "gold_output": 1, "completions": "print(1)"}\n{"id": "7", "input": {"a": 2}, "gold_output": 2, "completions": "print(3)"}\n',
    );
    await controller.replay('samples.jsonl', samples, exec);
    expect(exec.runs).toEqual(['print(1)', 'print(3)']);
    const snapshot = controller.getSnapshot();
    expect(snapshot.run).toMatchObject({ kind: 'replay', state: 'done', totalCases: 2 });
    expect(snapshot.records.map((r) => r.caseIndex)).toEqual([0, 1]);
  });
});
