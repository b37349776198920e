import type { Browser, Page } from '@playwright/test';
import type * as TransformersModule from '@huggingface/transformers';
import type { PreTrainedModel } from '@huggingface/transformers';
import { openPage } from './browser.ts';
import type { BenchSession } from './config-loop.ts';
import { gpuCounterScript, steadyDecodeStep } from './gpu-counters.ts';
import type { GpuCounterApi } from './gpu-counters.ts';
import type { PromptSource } from './prompts.ts';
import type { BenchDtype, Trace, Workload } from './types.ts';

type Transformers = typeof TransformersModule;

declare global {
  interface Window {
    benchTjs?: { lib: Transformers; model: PreTrainedModel };
    /** The GPU counters (gpu-counters.ts), installed before transformers.js loads. */
    __benchGpu?: GpuCounterApi;
  }
}

export interface TjsTarget {
  /** Origin serving the blank page (transformersjs-page/) at /tjs/. */
  origin: string;
  /** transformers.js's dist/ folder (ESM with onnxruntime-web bundled in). */
  libUrl: string;
  /** The dist/ folder of the onnxruntime-web build transformers.js bundles (its .wasm files). */
  ortUrl: string;
  /** Folder holding model folders, hub layout: `${modelsUrl}${modelId}/onnx/model_q4.onnx`. */
  modelsUrl: string;
  modelId: string;
}

/**
 * transformers.js in the same Chromium, on the same ONNX file: `dtype` picks the same file
 * name our engine loads (q4 → model_q4.onnx, q8 → model_quantized.onnx). It runs on the
 * page's main thread, as its examples do. Everything comes from the loopback server:
 * remote models and the browser cache are off. On WebGPU the page gets the GPU counters
 * before any script runs; the streamer marks each step.
 */
export class TjsSession implements BenchSession {
  private page: Page | null = null;

  constructor(
    private readonly browser: Browser,
    private readonly target: TjsTarget,
    private readonly device: 'wasm' | 'webgpu',
    private readonly dtype: BenchDtype,
    private readonly prompts: PromptSource,
    private readonly log: (line: string) => void,
  ) {}

  async load(): Promise<{ loadMs: number; stepMsHint: number | null }> {
    const page = await openPage(this.browser, `${this.target.origin}/tjs/`, this.log, [
      gpuCounterScript(),
    ]);
    this.page = page;
    const loadMs = await page.evaluate(
      async ({ target, device, dtype }) => {
        const lib = (await import(`${target.libUrl}transformers.js`)) as Transformers;
        const { env } = lib;
        env.allowRemoteModels = false;
        env.allowLocalModels = true;
        env.localModelPath = target.modelsUrl;
        env.useBrowserCache = false;
        env.useWasmCache = false;
        const wasm = env.backends.onnx.wasm;
        if (wasm) {
          wasm.wasmPaths = target.ortUrl;
          // As many threads as our model worker takes (min(4, cores)).
          wasm.numThreads = Math.min(4, navigator.hardwareConcurrency || 1);
        }
        const started = performance.now();
        const model = await lib.AutoModelForCausalLM.from_pretrained(target.modelId, {
          dtype,
          device,
        });
        // A two-token prompt and one decode step, as our loader's warm-up does: WebGPU
        // compiles its shaders here rather than inside the measured prefill.
        const ids = new lib.Tensor('int64', BigInt64Array.of(1n, 2n), [1, 2]);
        const mask = new lib.Tensor('int64', BigInt64Array.of(1n, 1n), [1, 2]);
        await model.generate({
          input_ids: ids,
          attention_mask: mask,
          max_new_tokens: 2,
          do_sample: false,
        });
        window.benchTjs = { lib, model };
        return performance.now() - started;
      },
      { target: this.target, device: this.device, dtype: this.dtype },
    );
    // generate() is interrupted from inside its own loop (the streamer), so no hint is needed.
    return { loadMs, stepMsHint: null };
  }

  async run(workload: Workload): Promise<Trace> {
    const page = this.page;
    if (!page) throw new Error('load() first');
    const trace = await page.evaluate(
      async ({ prompts, newTokens, decodeCapMs }) => {
        const bench = window.benchTjs;
        if (!bench) throw new Error('no transformers.js model');
        const { lib, model } = bench;
        const batch = prompts.length;
        const length = prompts[0]?.length ?? 0;
        const ids = BigInt64Array.from(prompts.flat(), (id) => BigInt(id));
        const stepTimes: number[] = [];
        const interrupt = new lib.InterruptableStoppingCriteria();
        let promptSeen = false;
        window.__benchGpu?.reset();
        const started = performance.now();
        // generate() calls put() once with the prompt, then once per step with each row's
        // token. The cap is checked here rather than by a timer: on WASM the steps do not
        // yield to the event loop, so a timer would fire only after generation ends.
        const streamer = {
          put: (): void => {
            if (!promptSeen) {
              promptSeen = true;
              return;
            }
            const now = performance.now() - started;
            window.__benchGpu?.mark();
            stepTimes.push(now);
            if (now - (stepTimes[0] ?? now) > decodeCapMs) interrupt.interrupt();
          },
          end: (): void => {},
        };
        await model.generate({
          input_ids: new lib.Tensor('int64', ids, [batch, length]),
          attention_mask: new lib.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [
            batch,
            length,
          ]),
          max_new_tokens: newTokens,
          do_sample: false,
          // generate() calls only put() and end(); its type asks for a whole TextStreamer.
          streamer: streamer as unknown as InstanceType<Transformers['TextStreamer']>,
          stopping_criteria: [interrupt],
        });
        return { stepTimes, capped: interrupt.interrupted };
      },
      {
        prompts: this.prompts.rows(workload.batch, workload.promptTokens),
        newTokens: workload.newTokens,
        decodeCapMs: workload.decodeCapMs,
      },
    );
    if (this.device !== 'webgpu') return trace;
    const step = steadyDecodeStep(await page.evaluate(() => window.__benchGpu?.marks ?? []));
    return step ? { ...trace, gpu: [step] } : trace;
  }

  async close(): Promise<void> {
    await this.page
      ?.evaluate(async () => {
        await window.benchTjs?.model.dispose();
      })
      .catch(() => undefined);
    await this.page?.close();
    this.page = null;
  }
}
