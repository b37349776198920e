import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase } from 'idb';
import type { RunSettings } from '../protocol.ts';
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
  model: { label: string; dtype: string; backend: string } | null;
  settings: RunSettings;
  datasetLabel: string;
  stats: { genTokens: number; genMs: number; execMs: number };
  /** Cases expected in total (problems × cases × samples), for progress. */
  totalCases: number;
}

interface Schema extends DBSchema {
  runs: { key: string; value: RunMeta };
  records: {
    key: [string, string];
    value: CaseRecord & { runId: string; key: string };
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
    const db = await openDB<Schema>(name, 1, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'id' });
        const records = database.createObjectStore('records', { keyPath: ['runId', 'key'] });
        records.createIndex('byRun', 'runId');
      },
    });
    return new RunStore(db);
  }

  async saveRun(meta: RunMeta): Promise<void> {
    await this.db.put('runs', { ...meta, updatedAt: Date.now() });
  }

  async addRecord(runId: string, record: CaseRecord): Promise<void> {
    await this.db.put('records', {
      ...record,
      runId,
      key: caseKey(record.problemId, record.caseIndex, record.sample),
    });
  }

  async runs(): Promise<RunMeta[]> {
    return (await this.db.getAll('runs')).sort((a, b) => b.createdAt - a.createdAt);
  }

  async run(id: string): Promise<RunMeta | undefined> {
    return this.db.get('runs', id);
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
    const tx = this.db.transaction(['runs', 'records'], 'readwrite');
    await tx.objectStore('runs').delete(id);
    const index = tx.objectStore('records').index('byRun');
    for (let cursor = await index.openCursor(id); cursor; cursor = await cursor.continue())
      await cursor.delete();
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
