/** The benchmark's vocabulary: what is run, where, and what comes back. */
import type { Dtype } from '../../src/engine/registry/types.ts';

/** The dtypes the engine benchmark compares (a subset of the registry's). */
export type BenchDtype = Extract<Dtype, 'q4' | 'q4f16' | 'q8' | 'fp16' | 'fp32'>;
export const DTYPES: readonly BenchDtype[] = ['q4', 'q4f16', 'q8', 'fp16', 'fp32'];
/** What a run measures unless told: fp16 is asked for by name (the WGSL engine's runs). */
export const DEFAULT_DTYPES: readonly BenchDtype[] = ['q4', 'q8', 'fp32'];

/** transformers.js file names (its `dtype` option picks the same files). */
export const ONNX_FILE: { readonly [D in BenchDtype]: string } = {
  fp32: 'onnx/model.onnx',
  q4: 'onnx/model_q4.onnx',
  q4f16: 'onnx/model_q4f16.onnx',
  q8: 'onnx/model_quantized.onnx',
  fp16: 'onnx/model_fp16.onnx',
};

/**
 * Where a configuration runs. Ours: the engine (src/engine) on onnxruntime-web, or on our
 * own WGSL kernels (src/engine/webgpu). References: onnxruntime-node's native CPU EP under
 * our generation loop, and transformers.js in the same Chromium.
 */
export type Runtime =
  | 'node-wasm' // our engine, onnxruntime-web WASM under Node
  | 'ort-node-cpu' // our engine's loop, onnxruntime-node CPU EP (the native ceiling)
  | 'chromium-wasm' // the app's model worker, backend 'wasm'
  | 'chromium-webgpu' // the app's model worker, backend 'webgpu', JSEP build (default)
  | 'chromium-webgpu-asyncify' // the same, ?ort=asyncify (the native WebGPU EP)
  | 'chromium-wgsl' // the app's model worker, backend 'webgpu', engine 'wgsl'
  | 'node-wgsl' // our engine's WGSL kernels under Node on Dawn
  | 'node-ort-webgpu' // our engine on onnxruntime-web's WebGPU provider (JSEP) under Node on Dawn
  | 'tjs-wasm' // transformers.js, device 'wasm'
  | 'tjs-webgpu'; // transformers.js, device 'webgpu'

/** The runtimes run in a Node process of their own (node-runner.ts), the rest in Chromium. */
export type NodeRuntime = Extract<
  Runtime,
  'node-wasm' | 'ort-node-cpu' | 'node-wgsl' | 'node-ort-webgpu'
>;

export function isNodeRuntime(runtime: Runtime): runtime is NodeRuntime {
  return (
    runtime === 'node-wasm' ||
    runtime === 'ort-node-cpu' ||
    runtime === 'node-wgsl' ||
    runtime === 'node-ort-webgpu'
  );
}

export const RUNTIME_LABEL: { readonly [R in Runtime]: string } = {
  'node-wasm': 'Node WASM (ours)',
  'ort-node-cpu': 'onnxruntime-node CPU',
  'chromium-wasm': 'Chromium WASM (ours)',
  'chromium-webgpu': 'Chromium WebGPU JSEP (ours)',
  'chromium-webgpu-asyncify': 'Chromium WebGPU asyncify (ours)',
  'chromium-wgsl': 'Chromium WGSL engine (ours)',
  'node-wgsl': 'Node Dawn WGSL engine (ours)',
  'node-ort-webgpu': 'Node Dawn WebGPU JSEP (ours)',
  'tjs-wasm': 'transformers.js WASM',
  'tjs-webgpu': 'transformers.js WebGPU',
};

/** One generate call: `batch` rows of `promptTokens` ids, greedy, up to `newTokens` each. */
export interface Workload {
  /**
   * 'context' runs measure step time at a context position: their prompt is never
   * shortened. A 'warmup' run compiles kernels for the shapes that follow; it is kept in
   * the JSON but left out of the tables. A 'profile' run (WGSL engine under Node) times each
   * kernel of its prefill and of one decode step with timestamp queries.
   */
  purpose: 'throughput' | 'context' | 'warmup' | 'profile';
  batch: number;
  promptTokens: number;
  newTokens: number;
  /** Stop decoding after this long (the steps done so far are measured). */
  decodeCapMs: number;
}

/**
 * Times at which each step's tokens were known, in ms from the start of the generate call:
 * stepTimes[0] ends the prefill (plus the first sample), each later entry ends a decode step.
 */
export interface Trace {
  stepTimes: number[];
  /** True when the decode cap (not the token budget or EOS) ended the run. */
  capped: boolean;
  /**
   * WebGPU runtimes: what one steady decode step cost (the run's last full step), counted
   * by the wrappers and, for the WGSL engine, by the engine itself.
   */
  gpu?: GpuStepCost[];
  /** 'profile' runs: GPU time per kernel of the prefill and of one decode step. */
  kernels?: { prefill: KernelTime[]; decode: KernelTime[] };
}

/**
 * One decode step's GPU work. 'wrapped': counted by wrapping the WebGPU prototypes in the
 * runtime's scope (gpu-counters.ts), the same way for every runtime; 'engine': the WGSL
 * engine's own count (WgslLm.lastStep, allocatedBytes).
 */
export interface GpuStepCost {
  source: 'wrapped' | 'engine';
  dispatches: number;
  /** Bytes mapped for reading (GPU → CPU) during the step. */
  readbackBytes: number;
  /** GPU buffer bytes live at the end of the step (created, not yet destroyed). */
  liveBytes: number;
  /** The most live at any point of the run ('wrapped' only; the engine's is its current). */
  peakBytes: number;
}

export interface KernelTime {
  kernel: string;
  ms: number;
}

export interface Failure {
  status: 'timeout' | 'error' | 'skipped';
  message: string;
}

export type Outcome<T> = ({ status: 'ok' } & T) | Failure;

export interface Measurement {
  purpose: Workload['purpose'];
  batch: number;
  promptTokens: number;
  newTokensRequested: number;
  /** Steps actually run, the prefill's token included. */
  newTokensRun: number;
  capped: boolean;
  prefillMs: number;
  prefillTokPerS: number;
  decodeSteps: number;
  decodeMs: number;
  /** batch × steps / decode time: rows that met EOS still fill their slot in the batch. */
  decodeTokPerS: number;
  msPerStep: number;
  /** Robust to the odd slow step (a kernel compiled for a new shape, another process). */
  medianStepMs: number;
  /** Each decode step's duration, for the context-length analysis. */
  stepMs: number[];
  gpu?: GpuStepCost[];
  kernels?: Trace['kernels'];
}

export type RunResult = Outcome<Measurement>;

/** One runtime × dtype: a load, then each workload in turn on the loaded model. */
export interface ConfigResult {
  runtime: Runtime;
  dtype: BenchDtype;
  load: Outcome<{ loadMs: number }>;
  runs: RunResult[];
  /** 1-minute load average before and after: the machine is shared. */
  loadAverage: [number, number];
  wallMs: number;
}

/** What a runtime runner is asked to do for one configuration. */
export interface ConfigPlan {
  runtime: Runtime;
  dtype: BenchDtype;
  workloads: Workload[];
  /** Limit for the load (download, session, warm-up). */
  loadCapMs: number;
  /** Limit for all workloads together, after the load; past it the rest is skipped. */
  capMs: number;
}
