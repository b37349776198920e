import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { BenchmarkController } from '../benchmark-controller.ts';
import { completionStopOf, modelTurnGenerator } from '../model-generator.ts';
import { benchmarkOf } from '../protocol.ts';
import type { CaseExecutor } from '../runner.ts';
import { RunStore } from '../storage/run-store.ts';
import type { ModelWorkerContract } from '../../shared/contracts/model-worker.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';
import { APP_VERSION } from './app-version.ts';

export { isActive, toAppError } from '../benchmark-controller.ts';
export type { RunListEntry } from '../benchmark-controller.ts';

export type CreateExecutor = () => Promise<CaseExecutor>;

/**
 * The benchmark's state for the view: a subscription to the BenchmarkController (which owns
 * the state and the actions), plus a clock that ticks while a run goes on.
 */
export function useBenchmark(
  client: RpcClient<ModelWorkerContract>,
  createExecutor: CreateExecutor,
) {
  const controller = useMemo(
    () =>
      new BenchmarkController({
        openStore: () => RunStore.open(),
        createExecutor,
        generator: (settings, onTokens) =>
          modelTurnGenerator(
            (request, signal, onEvent) => client.call(request, { signal, onEvent }),
            { topP: settings.topP },
            onTokens,
            { reuse: true, stop: completionStopOf(benchmarkOf(settings)) },
          ),
        appVersion: APP_VERSION,
      }),
    [client, createExecutor],
  );
  // StrictMode opens, closes and opens again: the controller reopens cleanly.
  useEffect(() => {
    void controller.open();
    return () => controller.close();
  }, [controller]);
  const state = useSyncExternalStore(controller.subscribe, controller.getState);

  // Tokens are counted without notifying (one render per token would be too many), so a
  // running view re-reads the state every second; ETA and tokens/s move with it.
  const phase = state.comparison.phase === 'running' ? state.comparison.phase : state.run.phase;
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (phase !== 'running') return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [phase]);

  return {
    storeError: state.storeError,
    ready: state.store === 'ready',
    snapshot: state.run,
    /** performance.now() as of the last tick; 0 before the first run. */
    now,
    runs: state.runs,
    interrupted: state.interrupted,
    actionError: state.actionError,
    dismissError: controller.dismissError,
    expectedKeys: state.expectedKeys,
    resumeCheck: state.resumeCheck,
    comparison: state.comparison,
    startComparison: controller.startComparison,
    openComparison: controller.openComparison,
    pauseComparison: controller.pauseComparison,
    resumeComparison: controller.resumeComparison,
    resumePausedComparison: controller.resumePausedComparison,
    stopComparison: controller.stopComparison,
    start: controller.start,
    resume: controller.resume,
    cancelResume: controller.cancelResume,
    open: controller.openRun,
    replay: controller.replay,
    remove: controller.remove,
    records: controller.records,
    pause: controller.pause,
    resumePaused: controller.resumePaused,
    stop: controller.stop,
  };
}

export type Benchmark = ReturnType<typeof useBenchmark>;
