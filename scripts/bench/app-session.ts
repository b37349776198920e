import type { Browser, Page, Worker as PageWorker } from '@playwright/test';
import type {} from '../../src/app/console-api.ts';
import type { ModelWorkerContract } from '../../src/shared/contracts/model-worker.ts';
import type { RpcClient } from '../../src/shared/rpc/client.ts';
import { openPage } from './browser.ts';
import type { BenchSession } from './config-loop.ts';
import { steadyDecodeStep } from './gpu-counters.ts';
import type { GpuSnapshot } from './gpu-counters.ts';
import type { PromptSource } from './prompts.ts';
import { ONNX_FILE } from './types.ts';
import type { BenchDtype, GpuStepCost, Trace, Workload } from './types.ts';

declare global {
  interface Window {
    /** The model worker this benchmark drives (the app's own, or one on another ORT build). */
    benchModelWorker?: RpcClient<ModelWorkerContract>;
  }
}

export interface AppTarget {
  /** The built app's origin. */
  origin: string;
  /** The model folder's URL, hub layout. */
  modelUrl: string;
  label: string;
  /**
   * Path of the model worker entry the benchmark starts: it installs the GPU counters, then
   * imports the built worker script (countedWorkerEntry in serve.ts).
   */
  workerPath: string;
}

/** Which engine and build the app's model worker runs. */
export interface AppRuntime {
  backend: 'wasm' | 'webgpu';
  engine: 'ort' | 'wgsl';
  /** 'default': the build the worker picks for the backend (JSEP for WebGPU, plain WASM). */
  ortBuild: 'default' | 'jsep' | 'asyncify' | 'wasm';
}

/**
 * Our app's model worker in Chromium: the built worker script, started by the page through
 * the counted entry (GPU counters first, `?ort=asyncify` for the other onnxruntime-web
 * build) and spoken to with the app's own RpcClient class (taken from the console API's
 * instance), so only the engine or build differs between runtimes. After each run the
 * worker's counter marks give one steady decode step's GPU work; on the WGSL engine its
 * own count (the `engineStats` request) is kept beside them.
 */
export class AppSession implements BenchSession {
  private page: Page | null = null;
  private worker: PageWorker | null = null;

  constructor(
    private readonly browser: Browser,
    private readonly target: AppTarget,
    private readonly runtime: AppRuntime,
    private readonly dtype: BenchDtype,
    private readonly prompts: PromptSource,
    private readonly log: (line: string) => void,
  ) {}

  async load(): Promise<{ loadMs: number; stepMsHint: number | null }> {
    const page = await openPage(this.browser, `${this.target.origin}/`, this.log);
    this.page = page;
    await page.waitForFunction(() => window.codegenPlayground !== undefined);
    // The app loads its tiny model by itself; let that finish so two loads never overlap.
    await page.getByTestId('model-ready').waitFor({ timeout: 120_000 });
    const entry = this.target.workerPath;
    const started = page.waitForEvent('worker', {
      predicate: (worker) => worker.url().includes(entry),
      timeout: 60_000,
    });
    const { backend, engine, ortBuild } = this.runtime;
    const loaded = await page.evaluate(
      async ({ target, backend, engine, query, onnxPath }) => {
        const own = window.codegenPlayground?.modelWorker;
        if (!own) throw new Error('the console API is missing');
        const Client = own.constructor as new (endpoint: Worker) => NonNullable<typeof own>;
        const worker = new Client(
          new Worker(`${target.workerPath}${query}`, { type: 'module', name: 'bench' }),
        );
        window.benchModelWorker = worker;
        const started = performance.now();
        const info = await worker.call({
          kind: 'load',
          source: { kind: 'url', label: target.label, baseUrl: target.modelUrl },
          onnxPath,
          backend,
          // Named, never 'auto': each runtime is one engine.
          engine,
          cache: false,
        });
        return { loadMs: performance.now() - started, warmupMs: info.timings.warmupMs };
      },
      {
        target: this.target,
        backend,
        engine,
        query: ortBuild === 'default' ? '' : `?ort=${ortBuild}`,
        onnxPath: ONNX_FILE[this.dtype],
      },
    );
    this.worker = await started;
    // The warm-up is a 2-token prefill and one decode step. On WASM that is about two
    // steps; on WebGPU it also compiles shaders, and the decode cap can interrupt anyway.
    const stepMsHint = backend === 'wasm' ? loaded.warmupMs / 2 : null;
    return { loadMs: loaded.loadMs, stepMsHint };
  }

  async run(workload: Workload): Promise<Trace> {
    const { page, worker } = this;
    if (!page || !worker) throw new Error('load() first');
    // Strings, not functions: tsx's `__name` calls would reach a worker that lacks it.
    await worker.evaluate('globalThis.__benchGpu?.reset()');
    const trace = await page.evaluate(
      async ({ prompts, newTokens, decodeCapMs }) => {
        const worker = window.benchModelWorker;
        if (!worker) throw new Error('no model worker');
        const stepTimes: number[] = [];
        const controller = new AbortController();
        const started = performance.now();
        try {
          await worker.call(
            {
              kind: 'generate',
              detail: 'tokens', // one event per step: the step times come from them
              prompts: prompts.map((ids) => ({ ids })),
              params: { mode: 'greedy', maxNewTokens: newTokens },
            },
            {
              signal: controller.signal,
              onEvent: (event) => {
                if (event.kind !== 'token') return;
                const now = performance.now() - started;
                // Any row's token marks its step: row 0 may have stopped at EOS.
                stepTimes[event.index] ??= now;
                // Cancelled at a step boundary, never by a timer: at least one decode step
                // is measured however slow it is. (On WASM the worker sees the cancel only
                // when generation ends; fit() sizes those runs instead.)
                if (now - (stepTimes[0] ?? now) > decodeCapMs) controller.abort();
              },
            },
          );
        } catch (error) {
          if (!controller.signal.aborted) throw error;
        }
        return { stepTimes, capped: controller.signal.aborted };
      },
      {
        prompts: this.prompts.rows(workload.batch, workload.promptTokens),
        newTokens: workload.newTokens,
        decodeCapMs: workload.decodeCapMs,
      },
    );
    const gpu = await this.gpuCost(page, worker);
    return gpu.length > 0 ? { ...trace, gpu } : trace;
  }

  /** The last run's steady decode step, counted by the wrappers and (WGSL) by the engine. */
  private async gpuCost(page: Page, worker: PageWorker): Promise<GpuStepCost[]> {
    if (this.runtime.backend !== 'webgpu') return [];
    const marks = await worker.evaluate<GpuSnapshot[]>('globalThis.__benchGpu?.marks ?? []');
    const costs: GpuStepCost[] = [];
    const wrapped = steadyDecodeStep(marks);
    if (wrapped) costs.push(wrapped);
    const stats = await page.evaluate(() => window.benchModelWorker?.call({ kind: 'engineStats' }));
    if (stats) {
      costs.push({
        source: 'engine',
        dispatches: stats.dispatches,
        readbackBytes: stats.readbackBytes,
        liveBytes: stats.allocatedBytes,
        peakBytes: stats.allocatedBytes,
      });
    }
    return costs;
  }

  async close(): Promise<void> {
    // Closing the page ends its workers, and with them any step still running.
    await this.page?.close();
    this.page = null;
    this.worker = null;
  }
}
