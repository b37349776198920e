import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase } from 'idb';
import type { Mode, RunSettings, Turn } from '../protocol.ts';
import type { Backend } from '../../shared/contracts/model-worker.ts';
import type { RunModel, RunResume } from '../run-model.ts';
import { fromPlainJson, isPyValue } from '../../python/core/pyjson-dumps.ts';
import { caseKey } from '../records.ts';
import type { CaseRecord } from '../records.ts';

export type RunState = 'running' | 'paused' | 'stopped' | 'done' | 'interrupted';

/** A run's settings and progress; its records are stored one by one beside it. */
export interface RunMeta {
  id: string;
  kind: 'live' | 'replay';
  createdAt: number;
  updatedAt: number;
  state: RunState;
  /** The model the run was started on, from what was loaded; null for a replay. */
  model: RunModel | null;
  settings: RunSettings;
  /** The app's version (package.json) that started the run; 'unknown' for older runs. */
  appVersion: string;
  /** Each resume, with the model it continued on (a different one only when the user said so). */
  resumes: RunResume[];
  /** For a replay: the metadata of the run that wrote the imported file, when it came with it. */
  source: RunDescription | null;
  datasetLabel: string;
  stats: { genTokens: number; genMs: number; execMs: number };
  /** Cases expected in total (problems × cases × samples), for progress. */
  totalCases: number;
  /** One of the two runs of a multi- vs single-turn comparison (absent otherwise). */
  comparison?: ComparisonLink;
}

/** Links the two runs a comparison started together: the same id, one mode each. */
export interface ComparisonLink {
  id: string;
  mode: Mode;
}

/** What a run records of itself, without its progress counters: written beside exports. */
export type RunDescription = Pick<
  RunMeta,
  | 'id'
  | 'kind'
  | 'createdAt'
  | 'state'
  | 'model'
  | 'settings'
  | 'appVersion'
  | 'resumes'
  | 'datasetLabel'
  | 'totalCases'
>;

/**
 * The turns a sample has finished while its problem is still generating: saved as each
 * turn ends, so a reload resumes from the next turn instead of the first.
 */
export interface TurnProgress {
  problemId: string;
  caseIndex: number;
  sample: number;
  turns: Turn[];
  tokens: number;
  overflow: boolean;
}

/** A run as stored before model details, app version and resumes were recorded. */
type StoredRun = Omit<RunMeta, 'model' | 'appVersion' | 'resumes' | 'source'> & {
  model: (Partial<RunModel> & { label: string; dtype: string; backend: string }) | null;
  appVersion?: string;
  resumes?: RunResume[];
  source?: RunDescription | null;
};

const isBackend = (value: string): value is Backend => value === 'webgpu' || value === 'wasm';

/** Fills what older runs did not record, so every reader sees one shape. */
export function normalizeRun(stored: StoredRun): RunMeta {
  const model = stored.model;
  return {
    ...stored,
    model: model && {
      id: model.id ?? model.label,
      label: model.label,
      revision: model.revision ?? null,
      dtype: model.dtype,
      onnxPath: model.onnxPath ?? '',
      backend: isBackend(model.backend) ? model.backend : 'wasm',
      engine: model.engine ?? 'ort',
    },
    appVersion: stored.appVersion ?? 'unknown',
    resumes: stored.resumes ?? [],
    source: stored.source ?? null,
  };
}

interface Schema extends DBSchema {
  runs: { key: string; value: StoredRun };
  records: {
    key: [string, string];
    value: CaseRecord & { runId: string; key: string };
    indexes: { byRun: string };
  };
  turns: {
    key: [string, string];
    value: TurnProgress & { runId: string; key: string };
    indexes: { byRun: string };
  };
}

/**
 * Runs saved as they go (IndexedDB): each finished case is written at once, so a reload or
 * a crash loses at most the cases in flight, and the run resumes from what is stored.
 */
export class RunStore {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  static async open(name = 'codegen-mtpb'): Promise<RunStore> {
    const db = await openDB<Schema>(name, 2, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          database.createObjectStore('runs', { keyPath: 'id' });
          const records = database.createObjectStore('records', { keyPath: ['runId', 'key'] });
          records.createIndex('byRun', 'runId');
        }
        if (oldVersion < 2) {
          const turns = database.createObjectStore('turns', { keyPath: ['runId', 'key'] });
          turns.createIndex('byRun', 'runId');
        }
      },
    });
    return new RunStore(db);
  }

  async saveRun(meta: RunMeta): Promise<void> {
    await this.db.put('runs', { ...meta, updatedAt: Date.now() });
  }

  /** A finished case; the turns kept for it while it generated are no longer needed. */
  async addRecord(runId: string, record: CaseRecord): Promise<void> {
    const key = caseKey(record.problemId, record.caseIndex, record.sample);
    const tx = this.db.transaction(['records', 'turns'], 'readwrite');
    await tx.objectStore('records').put({ ...record, runId, key });
    await tx.objectStore('turns').delete([runId, key]);
    await tx.done;
  }

  /** The finished turns of a problem's samples, written together as one turn ends. */
  async saveTurns(runId: string, rows: readonly TurnProgress[]): Promise<void> {
    const tx = this.db.transaction('turns', 'readwrite');
    for (const row of rows)
      await tx.store.put({ ...row, runId, key: caseKey(row.problemId, row.caseIndex, row.sample) });
    await tx.done;
  }

  async turns(runId: string): Promise<TurnProgress[]> {
    const rows = await this.db.getAllFromIndex('turns', 'byRun', runId);
    return rows.map(({ runId: _runId, key: _key, ...row }) => row);
  }

  async runs(): Promise<RunMeta[]> {
    return (await this.db.getAll('runs'))
      .map(normalizeRun)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  async run(id: string): Promise<RunMeta | undefined> {
    const stored = await this.db.get('runs', id);
    return stored && normalizeRun(stored);
  }

  async records(runId: string): Promise<CaseRecord[]> {
    const rows = await this.db.getAllFromIndex('records', 'byRun', runId);
    return rows.map(({ runId: _runId, key: _key, ...record }) => ({
      ...record,
      // Records stored before inputs and golds were kept as Python values.
      input: isPyValue(record.input) ? record.input : fromPlainJson(record.input),
      goldOutput: isPyValue(record.goldOutput)
        ? record.goldOutput
        : fromPlainJson(record.goldOutput),
    }));
  }

  async deleteRun(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'records', 'turns'], 'readwrite');
    await tx.objectStore('runs').delete(id);
    for (const store of ['records', 'turns'] as const) {
      const index = tx.objectStore(store).index('byRun');
      for (let cursor = await index.openCursor(id); cursor; cursor = await cursor.continue())
        await cursor.delete();
    }
    await tx.done;
  }

  /** Runs left 'running' by a closed or crashed tab are marked interrupted, ready to resume. */
  async markInterrupted(): Promise<RunMeta[]> {
    const stale = (await this.runs()).filter((r) => r.state === 'running' || r.state === 'paused');
    for (const run of stale) await this.saveRun({ ...run, state: 'interrupted' });
    return stale;
  }

  close(): void {
    this.db.close();
  }
}
