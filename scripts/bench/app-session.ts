import type { Browser, Page } from '@playwright/test';
import type {} from '../../src/app/console-api.ts';
import type { ModelWorkerContract } from '../../src/shared/contracts/model-worker.ts';
import type { RpcClient } from '../../src/shared/rpc/client.ts';
import { openPage } from './browser.ts';
import type { BenchSession } from './config-loop.ts';
import type { PromptSource } from './prompts.ts';
import { ONNX_FILE } from './types.ts';
import type { BenchDtype, Trace, Workload } from './types.ts';

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
  /** Path of the built model worker script, e.g. /assets/model.worker-abc.js. */
  workerPath: string;
}

/**
 * Our app's model worker in Chromium, driven through the console API
 * (`window.codegenPlayground.modelWorker`). For another onnxruntime-web build the same
 * worker script is started with `?ort=asyncify` and spoken to with the app's own RpcClient
 * class (taken from the console API's instance), so nothing but the ORT build differs.
 */
export class AppSession implements BenchSession {
  private page: Page | null = null;

  constructor(
    private readonly browser: Browser,
    private readonly target: AppTarget,
    private readonly backend: 'wasm' | 'webgpu',
    private readonly ortBuild: 'jsep' | 'asyncify' | 'wasm',
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
    const loaded = await page.evaluate(
      async ({ target, backend, ortBuild, onnxPath }) => {
        const api = window.codegenPlayground;
        if (!api) throw new Error('the console API is missing');
        let worker = api.modelWorker;
        if (ortBuild !== 'jsep') {
          const Client = api.modelWorker.constructor as new (endpoint: Worker) => typeof worker;
          worker = new Client(
            new Worker(`${target.workerPath}?ort=${ortBuild}`, { type: 'module', name: 'bench' }),
          );
        }
        window.benchModelWorker = worker;
        const started = performance.now();
        const info = await worker.call({
          kind: 'load',
          source: { kind: 'url', label: target.label, baseUrl: target.modelUrl },
          onnxPath,
          backend,
          // These benchmarks compare onnxruntime's builds: never the WGSL kernels Auto may take.
          engine: 'ort',
          cache: false,
        });
        return { loadMs: performance.now() - started, warmupMs: info.timings.warmupMs };
      },
      {
        target: this.target,
        backend: this.backend,
        ortBuild: this.ortBuild,
        onnxPath: ONNX_FILE[this.dtype],
      },
    );
    // The warm-up is a 2-token prefill and one decode step. On WASM that is about two
    // steps; on WebGPU it also compiles shaders, and the decode cap can interrupt anyway.
    const stepMsHint = this.backend === 'wasm' ? loaded.warmupMs / 2 : null;
    return { loadMs: loaded.loadMs, stepMsHint };
  }

  async run(workload: Workload): Promise<Trace> {
    if (!this.page) throw new Error('load() first');
    return this.page.evaluate(
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
  }

  async close(): Promise<void> {
    // Closing the page ends its workers, and with them any step still running.
    await this.page?.close();
    this.page = null;
  }
}
