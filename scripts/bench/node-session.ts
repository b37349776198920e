import { availableParallelism } from 'node:os';
import { generate } from '../../src/engine/generate.ts';
import { parseGenerationParams } from '../../src/engine/generation/params.ts';
import { DirSource } from '../../src/engine/loader/dir-source.node.ts';
import { loadModel } from '../../src/engine/loader/load-model.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';
import { ort as ortWeb } from '../../src/engine/ort-node.node.ts';
import { AbortedError } from '../../src/shared/errors.ts';
import type { BenchSession } from './config-loop.ts';
import { ortNodeCpu } from './ort-node-cpu.ts';
import type { PromptSource } from './prompts.ts';
import { ONNX_FILE } from './types.ts';
import type { BenchDtype, Trace, Workload } from './types.ts';

export type NodeRuntime = 'node-wasm' | 'ort-node-cpu';

/**
 * Our engine in this Node process: the real loader and generate() over onnxruntime-web's
 * WASM build, or over onnxruntime-node. WASM gets as many threads as the browser worker
 * would take on this machine (min(4, cores)), so Node and Chromium compare like for like.
 */
export class NodeSession implements BenchSession {
  private model: LoadedModel | null = null;

  constructor(
    private readonly runtime: NodeRuntime,
    private readonly modelDir: string,
    private readonly dtype: BenchDtype,
    private readonly prompts: PromptSource,
  ) {}

  async load(): Promise<{ loadMs: number; stepMsHint: number | null }> {
    let ort: Ort;
    if (this.runtime === 'ort-node-cpu') {
      ort = ortNodeCpu();
    } else {
      ortWeb.env.wasm.numThreads = Math.min(4, availableParallelism());
      ortWeb.env.logLevel = 'error';
      ort = ortWeb;
    }
    const started = performance.now();
    this.model = await loadModel({
      ort,
      source: new DirSource(this.modelDir),
      onnxPath: ONNX_FILE[this.dtype],
      backend: 'wasm',
      engine: 'ort',
    });
    // generate() stops at the decode cap by itself here (see run()): no hint needed.
    return { loadMs: performance.now() - started, stepMsHint: null };
  }

  async run(workload: Workload): Promise<Trace> {
    const model = this.model;
    if (!model) throw new Error('load() first');
    const stepTimes: number[] = [];
    const controller = new AbortController();
    const started = performance.now();
    try {
      await generate(
        model.lm,
        (ids) => model.tokenizer.decode(ids),
        {
          contextLength: model.config.contextLength,
          vocabLimit: model.tokenizer.size,
          eosId: model.config.eosId,
        },
        {
          prompts: this.prompts.rows(workload.batch, workload.promptTokens),
          params: parseGenerationParams({ mode: 'greedy', maxNewTokens: workload.newTokens }),
          signal: controller.signal,
        },
        ({ index }) => {
          const now = performance.now() - started;
          // Any row's token marks its step: row 0 may have stopped at EOS.
          stepTimes[index] ??= now;
          // Checked here, not by a timer: onnxruntime's WASM steps resolve without yielding
          // to the event loop, so a timer would not fire before generation ends.
          if (now - (stepTimes[0] ?? now) > workload.decodeCapMs) controller.abort();
        },
      );
    } catch (error) {
      if (!(error instanceof AbortedError)) throw error;
    }
    return { stepTimes, capped: controller.signal.aborted };
  }

  async close(): Promise<void> {
    await this.model?.lm.release();
    this.model = null;
  }
}
