import type { Page } from '@playwright/test';
import type { ConsoleApi } from '../../src/app/console-api.ts';
import type {
  GenerateRequest,
  GenerateResult,
  GpuReport,
  LoadedInfo,
} from '../../src/shared/contracts/model-worker.ts';

export type Backend = 'webgpu' | 'wasm';

/**
 * What a researcher does in the DevTools console: `codegenPlayground.modelWorker.call(…)`.
 * Loads the app's own tiny model without the cache, reads logits, decodes greedily.
 */
export class ModelConsole {
  constructor(private readonly page: Page) {}

  /**
   * Loads `onnxPath` of the model folder at `baseUrl` (the app's or the test hub's), uncached,
   * on onnxruntime unless `engine` says otherwise: the specs that load here hold each engine's
   * handling of each export to the reference.
   */
  async load(
    baseUrl: string,
    onnxPath: string,
    backend: Backend,
    engine: 'ort' | 'wgsl' = 'ort',
  ): Promise<LoadedInfo> {
    return this.page.evaluate(
      async ({ baseUrl, onnxPath, backend, engine }) => {
        const api: ConsoleApi | undefined = window.codegenPlayground;
        if (!api) throw new Error('window.codegenPlayground is missing');
        return api.modelWorker.call({
          kind: 'load',
          source: { kind: 'url', label: baseUrl, baseUrl: new URL(baseUrl, location.href).href },
          onnxPath,
          backend,
          engine,
          cache: false,
        });
      },
      { baseUrl, onnxPath, backend, engine },
    );
  }

  /**
   * Each row's next-token logits from one left-padded batch, [rows][vocab]; with
   * `logitsBudgetBytes`, the prefill runs in chunks whose logits fit that many bytes.
   */
  async batchLogits(
    rows: readonly (readonly number[])[],
    logitsBudgetBytes?: number,
  ): Promise<Float32Array[]> {
    const { values, vocab } = await this.page.evaluate(
      async ({ rows, logitsBudgetBytes }) => {
        const api: ConsoleApi | undefined = window.codegenPlayground;
        if (!api) throw new Error('window.codegenPlayground is missing');
        const { logits, vocab } = await api.modelWorker.call({
          kind: 'batchLogits',
          rows,
          ...(logitsBudgetBytes === undefined ? {} : { logitsBudgetBytes }),
        });
        return { values: Array.from(logits), vocab };
      },
      { rows: rows.map((r) => [...r]), logitsBudgetBytes },
    );
    return rows.map((_, r) => Float32Array.from(values.slice(r * vocab, (r + 1) * vocab)));
  }

  /** Next-token logits after `ids`, [vocab]. */
  async nextTokenLogits(ids: readonly number[]): Promise<Float32Array> {
    const values = await this.page.evaluate(
      async (ids) => {
        const api: ConsoleApi | undefined = window.codegenPlayground;
        if (!api) throw new Error('window.codegenPlayground is missing');
        const { logits } = await api.modelWorker.call({ kind: 'logits', ids });
        return Array.from(logits);
      },
      [...ids],
    );
    return Float32Array.from(values);
  }

  /** `maxNewTokens` greedy token ids after `ids`. */
  async greedy(ids: readonly number[], maxNewTokens: number): Promise<number[]> {
    return this.page.evaluate(
      async ({ ids, maxNewTokens }) => {
        const api: ConsoleApi | undefined = window.codegenPlayground;
        if (!api) throw new Error('window.codegenPlayground is missing');
        const result = await api.modelWorker.call({
          kind: 'generate',
          prompts: [{ ids }],
          params: { mode: 'greedy', maxNewTokens },
        });
        return result.rows[0]?.ids ?? [];
      },
      { ids: [...ids], maxNewTokens },
    );
  }

  /** Any generate request, as the console sends it. */
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.page.evaluate(async (request) => {
      const api: ConsoleApi | undefined = window.codegenPlayground;
      if (!api) throw new Error('window.codegenPlayground is missing');
      return api.modelWorker.call(request);
    }, request);
  }

  /** Whether the GPU the model worker uses offers shader-f16 (fp16 and q4f16 weights). */
  async gpuHasShaderF16(): Promise<boolean> {
    return this.page.evaluate(async () => {
      const api: ConsoleApi | undefined = window.codegenPlayground;
      if (!api) throw new Error('window.codegenPlayground is missing');
      const report = await api.modelWorker.call({ kind: 'probeGpu' });
      return report.available && report.features.shaderF16;
    });
  }

  /** The WebGPU adapter the model worker sees (what Auto decides from). */
  async gpuReport(): Promise<GpuReport> {
    return this.page.evaluate(async () => {
      const api: ConsoleApi | undefined = window.codegenPlayground;
      if (!api) throw new Error('window.codegenPlayground is missing');
      return api.modelWorker.call({ kind: 'probeGpu' });
    });
  }
}
