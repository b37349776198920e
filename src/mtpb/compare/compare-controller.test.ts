import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../shared/errors.ts';
import { fixedExecutor, runModel } from '../fixtures.node.ts';
import { datasetFromText } from '../load-dataset.ts';
import { mtpbGridProblems } from '../view/stats.ts';
import type { Mode } from '../protocol.ts';
import type { CaseExecutor, TurnGenerator } from '../runner.ts';
import { RunStore } from '../storage/run-store.ts';
import { mtpbSuite } from '../suite.ts';
import { Alternation, SharedExecutor } from './alternation.ts';
import { compareRuns } from './analysis.ts';
import { CompareController } from './compare-controller.ts';

const dataset = datasetFromText(
  [
    '{"id": "1", "prompts": ["Assign {a} to a.", "Print a."], "inputs": [{"a": 1}, {"a": 2}], "outputs": [1, 2]}',
    '{"id": "2", "prompts": ["Print {s}.", "Done."], "inputs": [{"s": "hi"}], "outputs": ["hi"]}',
    '{"id": "3", "prompts": ["Print 3."], "inputs": [{}], "outputs": [3]}',
  ].join('\n'),
  'test.jsonl',
);

const settings = {
  problemIds: ['1', '2', '3'],
  seed: 3,
  n: 1,
  k: 1,
  temperature: 0.2,
  topP: 0.95,
  model: runModel(),
  appVersion: '0.1.0',
};

/** Logs "<mode> <problem>" per generated turn; `onCall` may stop the comparison. */
function generators(log: string[], onCall: (calls: number) => void = () => {}) {
  return (mode: Mode): TurnGenerator => ({
    generate: (histories, _budget, _seed, signal) => {
      const problem = /Assign|Print a/.test(histories[0] ?? '')
        ? '1'
        : /Print hi|Done/.test(histories[0] ?? '')
          ? '2'
          : '3';
      log.push(`${mode} ${problem}`);
      onCall(log.length);
      if (signal.aborted) return Promise.reject(new AbortedError('The run was stopped.'));
      return Promise.resolve(
        histories.map(() => ({
          completion: mode === 'multi' ? 'print(1)' : 'pass',
          tokens: 2,
          contextOverflow: false,
        })),
      );
    },
  });
}

describe('CompareController', () => {
  it('runs both modes on the same problems, alternating problem by problem, as two linked runs', async () => {
    const store = await RunStore.open('compare-1');
    const compare = new CompareController(store);
    const log: string[] = [];
    const programs: string[] = [];
    await compare.start({
      ...settings,
      suite: mtpbSuite(dataset),
      generator: generators(log),
      executor: fixedExecutor('pass', (program) => programs.push(program)),
    });
    // Multi-turn generates problem 1's turns, then single-turn problem 1, then problem 2...
    expect(log.filter((line, i) => line !== log[i - 1])).toEqual([
      'multi 1',
      'single 1',
      'multi 2',
      'single 2',
      'multi 3',
      'single 3',
    ]);
    const snapshot = compare.getSnapshot();
    expect(snapshot.phase).toBe('done');
    const runs = await store.runs();
    const linked = runs.filter((run) => run.comparison?.id === snapshot.id);
    expect(linked.map((run) => [run.settings.mode, run.comparison?.mode]).sort()).toEqual([
      ['multi', 'multi'],
      ['single', 'single'],
    ]);
    for (const run of linked) {
      expect(run.settings).toMatchObject({
        seed: 3,
        problemIds: ['1', '2', '3'],
        temperature: 0.2,
      });
      expect(await store.records(run.id)).toHaveLength(4);
    }
    // Timeline spans are kept per run: one per turn of a batch (a problem's cases generate
    // together), one per case executed.
    expect(snapshot.lanes.multi.timeline.filter((s) => s.kind === 'generate')).toHaveLength(
      2 + 2 + 1,
    );
    expect(snapshot.lanes.single.timeline.filter((s) => s.kind === 'execute')).toHaveLength(4);

    // Reopened from the store, the comparison shows the same records.
    const reopened = new CompareController(store);
    await reopened.open(snapshot.id ?? '');
    expect(reopened.getSnapshot().lanes.single.records).toHaveLength(4);
    expect(reopened.getSnapshot().phase).toBe('done');
  });

  it('stopped half-way, both runs hold the same finished problems give or take the one in flight', async () => {
    const store = await RunStore.open('compare-2');
    const compare = new CompareController(store);
    const log: string[] = [];
    // Stop while single-turn generates problem 2.
    const generator = generators(log, (calls) => {
      if (log[calls - 1] === 'single 2') compare.stop();
    });
    await compare.start({
      ...settings,
      suite: mtpbSuite(dataset),
      generator,
      executor: fixedExecutor('fail'),
    });
    const { lanes, phase } = compare.getSnapshot();
    expect(phase).toBe('stopped');
    const done = (mode: Mode) => [...new Set(lanes[mode].records.map((r) => r.problemId))].sort();
    expect(done('single')).toEqual(['1']);
    expect(done('multi')).toEqual(['1', '2']);
    // The analysis compares only what both finished.
    const analysis = compareRuns(
      mtpbGridProblems(dataset.problems),
      { multi: lanes.multi.records, single: lanes.single.records },
      1,
      null,
    );
    expect(analysis.problems.map((p) => p.problemId)).toEqual(['1']);
    expect(analysis.pending).toEqual(['2']);
  });

  it('a stopped comparison resumes both runs where they stopped, taking turns again', async () => {
    const store = await RunStore.open('compare-3');
    const compare = new CompareController(store);
    const log: string[] = [];
    await compare.start({
      ...settings,
      suite: mtpbSuite(dataset),
      generator: generators(log, (calls) => {
        if (log[calls - 1] === 'single 2') compare.stop();
      }),
      executor: fixedExecutor('fail'),
    });
    const id = compare.getSnapshot().id ?? '';

    // A new page: a fresh controller over the same store.
    const again = new CompareController(store);
    const resumed: string[] = [];
    const byMode = generators(resumed);
    await again.resume(
      id,
      mtpbSuite(dataset),
      (runSettings) => byMode(runSettings.mode),
      fixedExecutor('fail'),
      { model: runModel(), acceptDifferences: false },
    );
    const snapshot = again.getSnapshot();
    expect(snapshot.phase).toBe('done');
    expect(snapshot.id).toBe(id);
    // Multi-turn had finished problem 2; single-turn redoes it, then they alternate on 3.
    expect(resumed.filter((line, i) => line !== resumed[i - 1])).toEqual([
      'single 2',
      'multi 3',
      'single 3',
    ]);
    for (const mode of ['multi', 'single'] as const)
      expect(snapshot.lanes[mode].records).toHaveLength(4);
    expect((await store.runs()).filter((run) => run.comparison?.id === id)).toHaveLength(2);
  });
});

describe('Alternation', () => {
  it('lets a lane go on alone once the other ended', async () => {
    const alternation = new Alternation();
    await alternation.enter('multi');
    let entered = false;
    const single = alternation.enter('single').then(() => (entered = true));
    await Promise.resolve();
    expect(entered).toBe(false);
    alternation.end('multi');
    await single;
    expect(entered).toBe(true);
    await alternation.enter('single'); // never waits again
  });
});

describe('SharedExecutor', () => {
  it('gives the sandbox to one run’s problem at a time, from its first case to endProblem', async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner: CaseExecutor = {
      run: async (program) => {
        events.push(`run ${program}`);
        if (program === 'a1') await gate;
        return fixedExecutor('pass').run(
          program,
          { kind: 'no-exception', timeLimitMs: 1 },
          new AbortController().signal,
        );
      },
      endProblem: () => events.push('reset'),
    };
    const shared = new SharedExecutor(inner);
    const a = shared.lane();
    const b = shared.lane();
    const signal = new AbortController().signal;
    const check = { kind: 'no-exception', timeLimitMs: 1 } as const;
    const first = (async () => {
      await a.run('a1', check, signal);
      await a.run('a2', check, signal);
      a.endProblem();
    })();
    const second = (async () => {
      await b.run('b1', check, signal);
      b.endProblem();
    })();
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['run a1', 'run a2', 'reset', 'run b1', 'reset']);
  });
});
