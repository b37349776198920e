import 'fake-indexeddb/auto';
import { mtpbSuite } from './suite.ts';
import { describe, expect, it } from 'vitest';
import { BenchmarkController } from './benchmark-controller.ts';
import type { BenchmarkDeps } from './benchmark-controller.ts';
import { mtpbReplayJobs, parseSamples } from './export.ts';
import { datasetFromText } from './load-dataset.ts';
import type { CaseExecutor } from './runner.ts';
import { RunStore } from './storage/run-store.ts';
import { runMeta, runModel } from './fixtures.node.ts';
import { describeRun } from './run-controller.ts';

const dataset = datasetFromText(
  '{"id": "1", "prompts": ["Print {a}."], "inputs": [{"a": 1}, {"a": 2}], "outputs": [1, 2]}',
  'test.jsonl',
);
const settings = {
  problemIds: ['1'],
  mode: 'multi' as const,
  seed: 16,
  n: 1,
  k: 1,
  temperature: 0.2,
  topP: 0.95,
};
const model = runModel();

function deps(
  name: string,
  log: string[],
  boot: () => Promise<void> = () => Promise.resolve(),
): BenchmarkDeps {
  const executor: CaseExecutor = {
    run: (program) => {
      log.push(`run ${program.split('\n').at(-3) ?? ''}`);
      return Promise.resolve({
        status: program.includes('print(1)') ? 'pass' : 'fail',
        passed: program.includes('print(1)'),
        printed: null,
        stdout: '',
        error: null,
        detail: '',
        execMs: 1,
      });
    },
    endProblem: () => {},
  };
  return {
    openStore: () => RunStore.open(name),
    createExecutor: async () => {
      log.push('boot');
      await boot();
      return executor;
    },
    generator: (sampling) => ({
      generate: (histories) => {
        log.push(`generate t=${sampling.temperature}`);
        return Promise.resolve(
          histories.map((h) => ({
            completion: h.includes('Print 1') ? 'print(1)' : 'print(0)',
            tokens: 1,
            contextOverflow: false,
          })),
        );
      },
    }),
    appVersion: '9.9.9',
  };
}

describe('BenchmarkController (the Benchmark view’s state, without React)', () => {
  it('opens the store, runs, lists the run with its summary, and boots the sandbox once', async () => {
    const log: string[] = [];
    const controller = new BenchmarkController(deps('bench-1', log));
    const seen: string[] = [];
    controller.subscribe(() => seen.push(controller.getState().run.phase));
    expect(controller.getState().store).toBe('opening');
    await controller.open();
    expect(controller.getState().store).toBe('ready');

    await controller.start(settings, mtpbSuite(dataset), model);
    let state = controller.getState();
    expect(state.actionError).toBeNull();
    expect(state.run.phase).toBe('done');
    expect(seen).toContain('running');
    await controller.replay(
      's.jsonl',
      mtpbReplayJobs(
        parseSamples('{"id": "1", "input": {"a": 1}, "gold_output": 1, "completions": "print(1)"}')
          .samples,
      ),
    );
    state = controller.getState();
    expect(state.expectedKeys).toEqual(['1/0/0']);
    await new Promise((r) => setTimeout(r, 10)); // the list refreshes after the run's end
    state = controller.getState();
    expect(state.runs).toHaveLength(2);
    const live = state.runs.find((r) => r.meta.kind === 'live');
    expect(live?.summary).toMatchObject({ cases: 2, passed: 1, judged: 2, rate: 0.5 });
    expect(log.filter((l) => l === 'boot')).toHaveLength(1);
    expect(log).toContain('generate t=0.2');
    controller.close();
  });

  it('reports a failed action as actionError, and refuses a second run while one is active', async () => {
    const log: string[] = [];
    let release = (): void => {};
    const gate = new Promise<void>((r) => (release = r));
    const base = deps('bench-2', log);
    const controller = new BenchmarkController({
      ...base,
      generator: (sampling) => {
        const inner = base.generator(sampling, () => {});
        return {
          generate: async (histories, budget, seed, signal, temperature) => {
            await gate;
            return inner.generate(histories, budget, seed, signal, temperature);
          },
        };
      },
    });
    await controller.open();
    const first = controller.start(settings, mtpbSuite(dataset), model);
    await new Promise((r) => setTimeout(r, 10));
    expect(controller.getState().run.phase).toBe('running');
    await controller.start(settings, mtpbSuite(dataset), model);
    expect(controller.getState().actionError?.message).toBe('A run is in progress.');
    release();
    await first;
    // A stored run that no longer exists: the action fails, the view gets the error.
    await controller.resume(
      { ...controller.getState().runs[0]!.meta, id: 'gone' },
      mtpbSuite(dataset),
      model,
    );
    expect(controller.getState().actionError?.message).toBe('That run no longer exists.');
    controller.dismissError();
    expect(controller.getState().actionError).toBeNull();

    const runs = controller.getState().runs;
    await controller.remove(runs[0]!.meta.id);
    expect(controller.getState().runs).toHaveLength(0);
    controller.close();
  });

  it('marks runs a closed tab left running as interrupted', async () => {
    const store = await RunStore.open('bench-3');
    await store.saveRun(
      runMeta({ id: 'left', createdAt: 1, state: 'running', model, settings, totalCases: 2 }),
    );
    store.close();
    const controller = new BenchmarkController(deps('bench-3', []));
    await controller.open();
    expect(controller.getState().interrupted.map((r) => [r.id, r.state])).toEqual([
      ['left', 'interrupted'],
    ]);
    controller.close();
  });

  it('reopens cleanly after a close, as React StrictMode mounts twice', async () => {
    const controller = new BenchmarkController(deps('bench-4', []));
    const first = controller.open();
    controller.close();
    const second = controller.open();
    await Promise.all([first, second]);
    expect(controller.getState().store).toBe('ready');
    await controller.start(settings, mtpbSuite(dataset), model);
    expect(controller.getState().run.phase).toBe('done');
    controller.close();
    expect(controller.getState().store).toBe('opening');
  });

  it('holds back a resume on a different model until the user continues anyway', async () => {
    const log: string[] = [];
    const controller = new BenchmarkController(deps('bench-5', log));
    await controller.open();
    // A run made on q4, stopped; fp32 is what is loaded now.
    const meta = runMeta({
      id: 'q4-run',
      createdAt: 1,
      state: 'stopped',
      settings,
      totalCases: 2,
      model: runModel({ dtype: 'q4', onnxPath: 'onnx/model_q4.onnx' }),
    });
    const store = await RunStore.open('bench-5');
    await store.saveRun(meta);
    store.close();

    await controller.resume(meta, mtpbSuite(dataset), model);
    let state = controller.getState();
    expect(state.resumeCheck?.differences).toEqual(['dtype: q4 → fp32']);
    expect(state.run.phase).toBe('idle');
    expect(log).toEqual([]); // nothing generated, not even the sandbox booted

    controller.cancelResume();
    expect(controller.getState().resumeCheck).toBeNull();

    await controller.resume(meta, mtpbSuite(dataset), model, true);
    state = controller.getState();
    expect(state.actionError).toBeNull();
    expect(state.resumeCheck).toBeNull();
    expect(state.run.phase).toBe('done');
    expect(state.run.run?.resumes.map((r) => r.differences)).toEqual([['dtype: q4 → fp32']]);
    controller.close();
  });

  it('keeps the run metadata that came with an imported samples file', async () => {
    const controller = new BenchmarkController(deps('bench-6', []));
    await controller.open();
    const source = describeRun(runMeta({ model: runModel({ dtype: 'q8' }), appVersion: '0.0.9' }));
    await controller.replay(
      's.jsonl',
      mtpbReplayJobs(
        parseSamples('{"id": "1", "input": {"a": 1}, "gold_output": 1, "completions": "print(1)"}')
          .samples,
      ),
      source,
    );
    const run = controller.getState().run.run;
    expect(run?.source).toEqual(source);
    expect(run?.appVersion).toBe('0.0.9');
    controller.close();
  });
});
