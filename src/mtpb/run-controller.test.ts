import 'fake-indexeddb/auto';
import { mtpbSuite } from './suite.ts';
import { describe, expect, it } from 'vitest';
import { mtpbReplayJobs, parseSamples } from './export.ts';
import { datasetFromText } from './load-dataset.ts';
import { RunController } from './run-controller.ts';
import type { CaseExecutor, TurnGenerator } from './runner.ts';
import { RunStore } from './storage/run-store.ts';
import { fixedExecutor, runModel } from './fixtures.node.ts';
import { AbortedError, isAppError } from '../shared/errors.ts';

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
    await controller.start({ ...options, suite: mtpbSuite(dataset), generator, executor: first });
    const stopped = controller.getSnapshot();
    expect(stopped.phase).toBe('stopped');
    const runId = stopped.run?.id ?? '';
    expect(await store.records(runId)).toHaveLength(1);

    // A new page: a fresh controller over the same database.
    const again = new RunController(store);
    const second = executor();
    await again.resume(runId, mtpbSuite(dataset), generator, second, {
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
    await controller.replay('samples.jsonl', mtpbReplayJobs(samples), exec);
    expect(exec.runs).toEqual(['print(1)', 'print(3)']);
    const snapshot = controller.getSnapshot();
    expect(snapshot.run).toMatchObject({ kind: 'replay', state: 'done', totalCases: 2 });
    expect(snapshot.records.map((r) => r.caseIndex)).toEqual([0, 1]);
  });

  /** Completions that depend only on the turn's seed and history, as a sampler's do. */
  function deterministic(calls: string[][], onCall: () => void = () => {}): TurnGenerator {
    return {
      generate: (histories, _budget, seed, signal) => {
        calls.push(histories);
        onCall();
        // As the model worker does: a stopped run's turn in flight is given up.
        if (signal.aborted) return Promise.reject(new AbortedError('The run was stopped.'));
        return Promise.resolve(
          histories.map((h) => ({
            completion: `x = ${(seed + h.length) % 97}`,
            tokens: 3,
            contextOverflow: false,
          })),
        );
      },
    };
  }
  const one = { ...options, problemIds: ['1'] };

  it('resumes a problem from its next turn: finished turns are kept, not generated again', async () => {
    // Uninterrupted, for reference.
    const reference = new RunController(await RunStore.open('controller-3a'));
    await reference.start({
      ...one,
      suite: mtpbSuite(dataset),
      generator: deterministic([]),
      executor: executor(),
    });
    const expected = reference.getSnapshot().records.map((r) => r.program);

    // Stopped while turn 2 of 2 is generating (the page closing, say).
    const store = await RunStore.open('controller-3');
    const first = new RunController(store);
    const firstCalls: string[][] = [];
    const stopOnSecond = deterministic(firstCalls, () => {
      if (firstCalls.length === 2) first.stop();
    });
    await first.start({
      ...one,
      suite: mtpbSuite(dataset),
      generator: stopOnSecond,
      executor: executor(),
    });
    const runId = first.getSnapshot().run?.id ?? '';
    expect(first.getSnapshot().phase).toBe('stopped');
    // Nothing still shows as generating once the run has stopped.
    expect([...first.getSnapshot().cells.values()].map((c) => c.kind)).toEqual([
      'queued',
      'queued',
    ]);
    expect(await store.records(runId)).toEqual([]);
    const kept = await store.turns(runId);
    expect(kept.map((k) => [k.caseIndex, k.turns.length])).toEqual([
      [0, 1],
      [1, 1],
    ]);

    const again = new RunController(store);
    const calls: string[][] = [];
    await again.resume(runId, mtpbSuite(dataset), deterministic(calls), executor(), {
      model: runModel(),
      acceptDifferences: false,
    });
    // Only the second turn is generated, under the first turn's kept completions.
    expect(calls).toHaveLength(1);
    expect(
      calls[0]?.every((history) => history.includes(kept[0]?.turns[0]?.completion ?? '?')),
    ).toBe(true);
    const records = again.getSnapshot().records;
    expect(records.map((r) => r.turns.length)).toEqual([2, 2]);
    expect(records.map((r) => r.program)).toEqual(expected);
    expect(await store.turns(runId)).toEqual([]);
  });

  it('refuses to resume on a different model unless told to, and records the switch', async () => {
    const store = await RunStore.open('controller-4');
    const controller = new RunController(store);
    const calls: string[][] = [];
    const first = deterministic(calls, () => controller.stop());
    await controller.start({
      ...one,
      suite: mtpbSuite(dataset),
      generator: first,
      executor: executor(),
    });
    const runId = controller.getSnapshot().run?.id ?? '';
    expect((await store.run(runId))?.model).toEqual(runModel());
    expect((await store.run(runId))?.appVersion).toBe('0.1.0');

    const q4 = runModel({ dtype: 'q4', onnxPath: 'onnx/model_q4.onnx', backend: 'webgpu' });
    const refused = controller.resume(runId, mtpbSuite(dataset), deterministic(calls), executor(), {
      model: q4,
      acceptDifferences: false,
    });
    await expect(refused).rejects.toSatisfy(
      (error) =>
        isAppError(error, 'bad-input') &&
        error.message.includes('dtype: fp32 → q4') &&
        error.message.includes('backend: WASM → WebGPU'),
    );
    expect(calls).toHaveLength(1);
    expect((await store.run(runId))?.resumes).toEqual([]);

    await controller.resume(runId, mtpbSuite(dataset), deterministic(calls), executor(), {
      model: q4,
      acceptDifferences: true,
    });
    const meta = await store.run(runId);
    expect(meta?.state).toBe('done');
    expect(meta?.model?.dtype).toBe('fp32'); // what it was started on stays recorded
    expect(meta?.resumes).toEqual([
      {
        at: expect.any(Number) as number,
        model: q4,
        differences: ['dtype: fp32 → q4', 'backend: WASM → WebGPU'],
      },
    ]);
  });

  it('shows each generating cell its turn’s token count as the worker reports it', async () => {
    const store = await RunStore.open('controller-5');
    const controller = new RunController(store);
    const seen: string[] = [];
    const counting: TurnGenerator = {
      generate: (histories, budget) => {
        controller.countTokens(5, [2, 3]);
        const cells = controller.getSnapshot().cells;
        for (const key of ['1/0/0', '1/1/0']) {
          const view = cells.get(key);
          if (view?.kind === 'generating') seen.push(`${key} ${view.tokens}/${view.budget}`);
        }
        return Promise.resolve(
          histories.map(() => ({ completion: 'x = 1', tokens: budget, contextOverflow: false })),
        );
      },
    };
    await controller.start({
      ...one,
      suite: mtpbSuite(dataset),
      generator: counting,
      executor: executor(),
    });
    expect(seen).toEqual(['1/0/0 2/256', '1/1/0 3/256', '1/0/0 2/256', '1/1/0 3/256']);
    expect(controller.getSnapshot().tokens).toBe(10);
  });
});
