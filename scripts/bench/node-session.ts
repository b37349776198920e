import { availableParallelism } from 'node:os';
import { CANDIDATES, generate } from '../../src/engine/generate.ts';
import { parseGenerationParams } from '../../src/engine/generation/params.ts';
import { DirSource } from '../../src/engine/loader/dir-source.node.ts';
import { loadModel } from '../../src/engine/loader/load-model.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';
import { ort as ortWeb } from '../../src/engine/ort-node.node.ts';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { buildPrefill, decodeInputs } from '../../src/engine/padding.ts';
import { WgslLm } from '../../src/engine/webgpu/wgsl-lm.ts';
import { AbortedError } from '../../src/shared/errors.ts';
import type { BenchSession } from './config-loop.ts';
import { installGpuCounters, steadyDecodeStep } from './gpu-counters.ts';
import type { GpuCounterApi } from './gpu-counters.ts';
import { ortNodeCpu } from './ort-node-cpu.ts';
import { ortNodeWebGpu } from './ort-node-webgpu.ts';
import type { PromptSource } from './prompts.ts';
import { ONNX_FILE } from './types.ts';
import type { BenchDtype, GpuStepCost, KernelTime, NodeRuntime, Trace, Workload } from './types.ts';

/**
 * Our engine in this Node process: the real loader and generate() over onnxruntime-web's
 * WASM build, over onnxruntime-node, over onnxruntime-web's WebGPU provider on Dawn, or on
 * our WGSL kernels on Dawn. WASM gets as many threads as the browser worker would take on
 * this machine (min(4, cores)), so Node and Chromium compare like for like. On WebGPU each
 * run reports its last (decode) step as counted by the WebGPU wrappers (gpu-counters.ts),
 * and on the WGSL engine also the engine's own count; a 'profile' workload times each
 * WGSL kernel.
 */
export class NodeSession implements BenchSession {
  private model: LoadedModel | null = null;
  private counters: GpuCounterApi | null = null;

  constructor(
    private readonly runtime: NodeRuntime,
    private readonly modelDir: string,
    private readonly dtype: BenchDtype,
    private readonly prompts: PromptSource,
  ) {}

  async load(): Promise<{ loadMs: number; stepMsHint: number | null }> {
    let ort: Ort;
    if (this.runtime === 'ort-node-cpu') {
      ort = await ortNodeCpu();
    } else if (this.runtime === 'node-ort-webgpu') {
      ort = await ortNodeWebGpu();
    } else {
      ortWeb.env.wasm.numThreads = Math.min(4, availableParallelism());
      ortWeb.env.logLevel = 'error';
      ort = ortWeb;
    }
    const wgsl = this.runtime === 'node-wgsl';
    const webgpu = wgsl || this.runtime === 'node-ort-webgpu';
    if (webgpu) {
      // Before the runtime makes its device: every buffer it creates is counted.
      await nodeGpu();
      installGpuCounters(globalThis);
      this.counters = (globalThis as { __benchGpu?: GpuCounterApi }).__benchGpu ?? null;
    }
    const started = performance.now();
    this.model = await loadModel({
      ort,
      source: new DirSource(this.modelDir),
      onnxPath: ONNX_FILE[this.dtype],
      backend: webgpu ? 'webgpu' : 'wasm',
      engine: wgsl ? 'wgsl' : 'ort',
      gpu: nodeGpu,
    });
    // generate() stops at the decode cap by itself here (see run()): no hint needed.
    return { loadMs: performance.now() - started, stepMsHint: null };
  }

  async run(workload: Workload): Promise<Trace> {
    const model = this.model;
    if (!model) throw new Error('load() first');
    if (workload.purpose === 'profile') return this.profile(model, workload);
    const stepTimes: number[] = [];
    const controller = new AbortController();
    const counters = this.counters;
    counters?.reset();
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
          counters?.mark();
          // Checked here, not by a timer: onnxruntime's WASM steps resolve without yielding
          // to the event loop, so a timer would not fire before generation ends.
          if (now - (stepTimes[0] ?? now) > workload.decodeCapMs) controller.abort();
        },
      );
    } catch (error) {
      if (!(error instanceof AbortedError)) throw error;
    }
    const trace: Trace = { stepTimes, capped: controller.signal.aborted };
    const gpu: GpuStepCost[] = [];
    const wrapped = counters ? steadyDecodeStep(counters.marks) : null;
    if (wrapped) gpu.push(wrapped);
    const { lm } = model;
    if (lm instanceof WgslLm) {
      // The generation's last step is a decode step of the whole batch.
      const bytes = lm.allocatedBytes;
      const { dispatches, readbackBytes } = lm.lastStep;
      gpu.push({ source: 'engine', dispatches, readbackBytes, liveBytes: bytes, peakBytes: bytes });
    }
    return gpu.length > 0 ? { ...trace, gpu } : trace;
  }

  /**
   * The WGSL engine's kernels timed one by one (timestamp queries, a pass per dispatch):
   * the prompt's prefill, then one decode step, each as generate() runs it (with the
   * candidate search). Steps are driven here, not through generate(), because a step's
   * profile must be read before the next step reuses its buffers.
   */
  private async profile(model: LoadedModel, workload: Workload): Promise<Trace> {
    const { lm } = model;
    if (!(lm instanceof WgslLm)) throw new Error('profiles are the WGSL engine’s');
    const request = { k: CANDIDATES, vocabLimit: model.tokenizer.size, invTemperature: 1 };
    const prompts = this.prompts.rows(workload.batch, workload.promptTokens);
    const prefill = buildPrefill(prompts, model.config.eosId);
    lm.reset();
    lm.profile = true;
    try {
      const started = performance.now();
      const first = await lm.stepCandidates(prefill.inputs, request);
      const stepTimes = [performance.now() - started];
      const prefillKernels = await lm.readProfile();
      const tokens = Array.from({ length: workload.batch }, (_, r) => first.ids[r * first.k] ?? 0);
      const next = decodeInputs(tokens, prefill.inputs.attentionMask, prefill.lastPositions);
      const decodeStarted = performance.now();
      await lm.stepCandidates(next.inputs, request);
      stepTimes.push(stepTimes[0]! + performance.now() - decodeStarted);
      const decode: KernelTime[] = await lm.readProfile();
      return { stepTimes, capped: false, kernels: { prefill: prefillKernels, decode } };
    } finally {
      lm.profile = false;
      lm.reset();
    }
  }

  async close(): Promise<void> {
    await this.model?.lm.release();
    this.model = null;
  }
}
