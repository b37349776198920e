import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../records.ts';
import { openDB } from 'idb';
import { runMeta, runModel } from '../fixtures.node.ts';
import { RunStore } from './run-store.ts';
import type { RunMeta } from './run-store.ts';

const meta = (id: string, createdAt: number): RunMeta =>
  runMeta({
    id,
    createdAt,
    updatedAt: createdAt,
    state: 'running',
    model: runModel(),
    settings: { ...runMeta().settings, problemIds: ['1', '2'] },
    totalCases: 10,
  });

const record = (problemId: string, caseIndex: number): CaseRecord => ({
  problemId,
  caseIndex,
  sample: 0,
  mode: 'multi',
  input: {
    t: 'dict',
    v: [
      [
        { t: 'str', v: 'x' },
        { t: 'float', v: 10 },
      ],
    ],
  },
  // An int beyond 2^53: bigint survives IndexedDB's structured clone.
  goldOutput: { t: 'int', v: 2n ** 64n + 1n },
  turns: [],
  program: 'print(1)',
  promptsCompletions: [],
  contextOverflow: false,
  genTokens: 1,
  status: 'pass',
  passed: true,
  printed: '1',
  stdout: '1\n',
  error: null,
  detail: 'passed',
  execMs: 2,
});

describe('RunStore (IndexedDB)', () => {
  it('keeps runs and records across reopen, marks unfinished runs interrupted, deletes whole runs', async () => {
    const store = await RunStore.open('test-runs-1');
    await store.saveRun(meta('a', 1));
    await store.saveRun(meta('b', 2));
    await store.addRecord('a', record('1', 0));
    await store.addRecord('a', record('1', 0)); // the same case again replaces, never duplicates
    await store.addRecord('a', record('2', 3));
    await store.addRecord('b', record('1', 1));
    store.close();

    const reopened = await RunStore.open('test-runs-1');
    expect((await reopened.runs()).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await reopened.records('a')).map((r) => `${r.problemId}/${r.caseIndex}`)).toEqual([
      '1/0',
      '2/3',
    ]);
    const [stored] = await reopened.records('a');
    expect(stored?.input).toEqual(record('1', 0).input);
    expect(stored?.goldOutput).toEqual({ t: 'int', v: 2n ** 64n + 1n });
    expect((await reopened.markInterrupted()).map((r) => r.id).sort()).toEqual(['a', 'b']);
    expect((await reopened.run('a'))?.state).toBe('interrupted');
    await reopened.deleteRun('a');
    expect(await reopened.records('a')).toEqual([]);
    expect(await reopened.records('b')).toHaveLength(1);
    reopened.close();
  });

  it('keeps a generating problem’s finished turns until its case is recorded', async () => {
    const store = await RunStore.open('test-runs-2');
    await store.saveRun(meta('a', 1));
    const turn = { prompt: 'Assign 1 to a.', completion: 'a = 1' };
    const progress = (caseIndex: number) => ({
      problemId: '1',
      caseIndex,
      sample: 0,
      turns: [turn],
      tokens: 4,
      overflow: false,
    });
    await store.saveTurns('a', [progress(0), progress(1)]);
    await store.saveTurns('a', [{ ...progress(1), turns: [turn, turn], tokens: 9 }]);
    expect(await store.turns('a')).toEqual([
      progress(0),
      { ...progress(1), turns: [turn, turn], tokens: 9 },
    ]);
    // A finished case no longer needs its turns; deleting the run deletes the rest.
    await store.addRecord('a', record('1', 0));
    expect((await store.turns('a')).map((t) => t.caseIndex)).toEqual([1]);
    await store.deleteRun('a');
    expect(await store.turns('a')).toEqual([]);
    store.close();
  });

  it('opens a database of the first version and reads its runs in the current shape', async () => {
    const old = await openDB('test-runs-3', 1, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'id' });
        database
          .createObjectStore('records', { keyPath: ['runId', 'key'] })
          .createIndex('byRun', 'runId');
      },
    });
    // As the first version stored it: no app version, resumes or source; a shorter model.
    const before = (({ appVersion: _v, resumes: _r, source: _s, ...rest }: RunMeta) => rest)(
      meta('old', 1),
    );
    await old.put('runs', { ...before, model: { label: 'tiny', dtype: 'q4', backend: 'webgpu' } });
    old.close();
    const store = await RunStore.open('test-runs-3');
    expect(await store.run('old')).toEqual({
      ...meta('old', 1),
      appVersion: 'unknown',
      model: {
        id: 'tiny',
        label: 'tiny',
        revision: null,
        dtype: 'q4',
        onnxPath: '',
        backend: 'webgpu',
        engine: 'ort',
      },
    });
    expect(await store.turns('old')).toEqual([]);
    store.close();
  });
});
