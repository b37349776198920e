import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ImportedLine } from '../export.ts';
import type { LoadedDataset } from '../load-dataset.ts';
import { modelTurnGenerator } from '../model-generator.ts';
import { caseKey, summarize } from '../records.ts';
import type { CaseRecord, RunSummary } from '../records.ts';
import { IDLE_SNAPSHOT, RunController } from '../run-controller.ts';
import type { RunModelInfo, RunSettings, RunSnapshot } from '../run-controller.ts';
import type { CaseExecutor } from '../runner.ts';
import { RunStore } from '../storage/run-store.ts';
import type { RunMeta } from '../storage/run-store.ts';
import type { ModelWorkerContract } from '../../shared/contracts/model-worker.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';

export type CreateExecutor = () => Promise<CaseExecutor>;

export type ModelInfo = RunModelInfo;

/** What the run form asks for; the dataset and model come from the view. */
export type RunRequest = RunSettings;

export interface RunListEntry {
  meta: RunMeta;
  summary: RunSummary;
}

type StoreState =
  | { status: 'opening' }
  | { status: 'ready'; store: RunStore; controller: RunController }
  | { status: 'error'; error: AppError };

const noSubscribe = (): (() => void) => () => {};
const idleSnapshot = (): RunSnapshot => IDLE_SNAPSHOT;

export const toAppError = (error: unknown): AppError =>
  isAppError(error)
    ? error
    : new AppError('internal', error instanceof Error ? error.message : String(error));

export const isActive = (phase: RunSnapshot['phase']): boolean =>
  phase === 'running' || phase === 'paused';

/**
 * The benchmark's state for the view: the stored runs, the one controller that runs them,
 * and the actions, each reporting its failure as `actionError` instead of throwing.
 */
export function useBenchmark(
  client: RpcClient<ModelWorkerContract>,
  createExecutor: CreateExecutor,
) {
  const [storeState, setStoreState] = useState<StoreState>({ status: 'opening' });
  const [interrupted, setInterrupted] = useState<RunMeta[]>([]);
  const [runs, setRuns] = useState<RunListEntry[]>([]);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [expectedKeys, setExpectedKeys] = useState<readonly string[]>([]);
  const executor = useRef<Promise<CaseExecutor> | null>(null);
  const summaries = useRef(new Map<string, { updatedAt: number; summary: RunSummary }>());

  useEffect(() => {
    let cancelled = false;
    let opened: RunStore | null = null;
    RunStore.open()
      .then(async (store) => {
        opened = store;
        if (cancelled) return store.close();
        // This tab has only just started, so a run still marked running was left by a closed tab.
        const stale = await store.markInterrupted();
        if (cancelled) return;
        setInterrupted(stale.map((run) => ({ ...run, state: 'interrupted' })));
        setStoreState({ status: 'ready', store, controller: new RunController(store) });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setStoreState({
          status: 'error',
          error: new AppError('storage-quota', `Saved runs cannot be opened: ${String(error)}`, {
            hint: 'The browser refused IndexedDB (private mode or storage turned off). Allow site storage and reload.',
          }),
        });
      });
    return () => {
      cancelled = true;
      opened?.close();
    };
  }, []);

  const store = storeState.status === 'ready' ? storeState.store : null;
  const controller = storeState.status === 'ready' ? storeState.controller : null;
  const snapshot = useSyncExternalStore(
    controller?.subscribe ?? noSubscribe,
    controller?.getSnapshot ?? idleSnapshot,
  );

  const refreshRuns = useCallback(async () => {
    if (!store) return;
    const metas = await store.runs();
    const entries = await Promise.all(
      metas.map(async (meta) => {
        const cached = summaries.current.get(meta.id);
        if (cached?.updatedAt === meta.updatedAt) return { meta, summary: cached.summary };
        const summary = summarize(await store.records(meta.id));
        summaries.current.set(meta.id, { updatedAt: meta.updatedAt, summary });
        return { meta, summary };
      }),
    );
    setRuns(entries);
  }, [store]);

  // Tokens are counted without notifying (one render per token would be too many), so a
  // running view re-reads the snapshot every second; ETA and tokens/s move with it.
  const phase = snapshot.phase;
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (phase !== 'running') return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [phase]);

  // The list follows the current run's state changes, not each finished case.
  const currentRunId = snapshot.run?.id;
  useEffect(() => {
    void refreshRuns();
  }, [refreshRuns, phase, currentRunId]);

  // The sandbox boots once and serves every run; a failed boot is retried on the next run.
  const getExecutor = useCallback((): Promise<CaseExecutor> => {
    executor.current ??= createExecutor().catch((error: unknown) => {
      executor.current = null;
      throw error;
    });
    return executor.current;
  }, [createExecutor]);

  const act = useCallback(
    async (task: (controller: RunController, store: RunStore) => Promise<void>) => {
      if (!controller || !store) return;
      setActionError(null);
      try {
        await task(controller, store);
      } catch (error) {
        setActionError(toAppError(error));
      }
    },
    [controller, store],
  );

  const generatorFor = useCallback(
    (sampling: { temperature: number; topP: number }, target: RunController) =>
      modelTurnGenerator(
        (request, signal, onToken) =>
          client.call(request, {
            signal,
            onEvent: (event) => {
              if (event.kind === 'token') onToken();
            },
          }),
        sampling,
        target.countToken,
      ),
    [client],
  );

  const idleOnly = (target: RunController): void => {
    if (isActive(target.getSnapshot().phase))
      throw new AppError('bad-input', 'A run is in progress.', {
        hint: 'Stop it first, or wait for it to finish.',
      });
  };

  const start = (request: RunRequest, dataset: LoadedDataset, model: ModelInfo) =>
    act(async (target) => {
      idleOnly(target);
      const sandbox = await getExecutor();
      setExpectedKeys([]);
      await target.start({
        ...request,
        dataset,
        model,
        generator: generatorFor(request, target),
        executor: sandbox,
      });
    });

  const resume = (meta: RunMeta, dataset: LoadedDataset) =>
    act(async (target) => {
      idleOnly(target);
      const sandbox = await getExecutor();
      setExpectedKeys([]);
      setInterrupted((list) => list.filter((run) => run.id !== meta.id));
      await target.resume(meta.id, dataset, generatorFor(meta.settings, target), sandbox);
    });

  const open = (runId: string) =>
    act(async (target) => {
      idleOnly(target);
      setExpectedKeys([]);
      await target.open(runId);
    });

  const replay = (label: string, lines: readonly ImportedLine[]) =>
    act(async (target) => {
      idleOnly(target);
      const sandbox = await getExecutor();
      setExpectedKeys(lines.map((l) => caseKey(l.sample.id, l.caseIndex, l.sampleIndex)));
      await target.replay(label, lines, sandbox);
    });

  const remove = (runId: string) =>
    act(async (target, runStore) => {
      if (target.getSnapshot().run?.id === runId) idleOnly(target);
      await runStore.deleteRun(runId);
      summaries.current.delete(runId);
      setInterrupted((list) => list.filter((run) => run.id !== runId));
      await refreshRuns();
    });

  const records = useCallback(
    async (runId: string): Promise<CaseRecord[]> => (store ? store.records(runId) : []),
    [store],
  );

  return {
    storeError: storeState.status === 'error' ? storeState.error : null,
    ready: storeState.status === 'ready',
    snapshot,
    /** performance.now() as of the last tick; 0 before the first run. */
    now,
    runs,
    interrupted,
    actionError,
    dismissError: () => setActionError(null),
    expectedKeys,
    start,
    resume,
    open,
    replay,
    remove,
    records,
    pause: () => controller?.pause(),
    resumePaused: () => controller?.resumePaused(),
    stop: () => controller?.stop(),
  };
}

export type Benchmark = ReturnType<typeof useBenchmark>;
