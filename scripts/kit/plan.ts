// What the GPU kit measures: each engine × dtype loads once, then decodes at each batch and
// context position, the order in which a slow device (SwiftShader) gets the most done before
// its cap. The PyTorch ceiling (torch_ceiling.py) runs the same workloads, named the same.

import { GRACE_MS } from '../bench/node-runner.ts';
import type { BenchDtype, ConfigPlan, NodeRuntime, Workload } from '../bench/types.ts';

export type KitPreset = 'tiny' | '350M';
export type KitRuntime = Extract<NodeRuntime, 'node-wgsl' | 'node-ort-webgpu'>;
export const KIT_RUNTIMES: readonly KitRuntime[] = ['node-wgsl', 'node-ort-webgpu'];

export interface KitOptions {
  preset: KitPreset;
  runtimes: KitRuntime[];
  dtypes: BenchDtype[];
  batches: number[];
  /** Decode is timed at these cache positions (0: a one-token prompt). */
  contexts: number[];
  /** The prefill rate is read off the workload with this prompt length (one of contexts). */
  prefillTokens: number;
  /** Decode steps timed at each point, after the prompt's own step. */
  steps: number;
  /** Seconds for every engine configuration together, loads included. */
  budgetS: number;
}

/** The workloads, as run on the GPU machine. */
export const KIT_DEFAULTS: KitOptions = {
  preset: '350M',
  runtimes: [...KIT_RUNTIMES],
  // What the app loads on WebGPU: q4f16 where the GPU has shader-f16, q4 where not, and fp16.
  dtypes: ['q4f16', 'q4', 'fp16'],
  batches: [1, 5],
  contexts: [0, 256, 512, 1024],
  prefillTokens: 256,
  steps: 16,
  budgetS: 240,
};

/** Share of a configuration's time its load may take (the rest is its workloads'). */
const LOAD_SHARE = 0.4;
/** Seconds one point's decode may run before it is cut (steps done so far are kept). */
const DECODE_CAP_S = 10;

/** The workloads of one configuration: a warm-up, then batch × context, smallest first. */
export function kitWorkloads(options: KitOptions): Workload[] {
  const decodeCapMs = DECODE_CAP_S * 1000;
  const points = options.batches.flatMap((batch) =>
    [...options.contexts]
      .sort((a, b) => a - b)
      .map((context): Workload => ({
        purpose: 'context',
        batch,
        // The prompt fills the cache up to the position; a zero context is a 1-token prompt.
        promptTokens: Math.max(1, context),
        newTokens: options.steps + 1,
        decodeCapMs,
      })),
  );
  // The first generation after a load compiles kernels for new shapes; keep that out.
  const warmup: Workload = {
    purpose: 'warmup',
    batch: 1,
    promptTokens: 8,
    newTokens: 3,
    decodeCapMs,
  };
  return [warmup, ...points];
}

/**
 * The caps of a configuration that starts with `leftMs` of the budget left and `configs`
 * configurations (itself included) still to run: an even share, less the grace a child gets
 * past its caps before it is killed (node-runner.ts), so all of them end within the budget.
 * A configuration that ends early leaves its time to the ones after it.
 */
export function capsFor(leftMs: number, configs: number): { loadCapMs: number; capMs: number } {
  const count = Math.max(1, configs);
  const shareMs = Math.max(0, leftMs - count * GRACE_MS) / count;
  return {
    loadCapMs: Math.round(shareMs * LOAD_SHARE),
    capMs: Math.round(shareMs * (1 - LOAD_SHARE)),
  };
}

/** One plan per runtime × dtype, with the caps each would get if all took their share. */
export function kitPlans(options: KitOptions): ConfigPlan[] {
  const configs = options.runtimes.flatMap((runtime) =>
    options.dtypes.map((dtype) => ({ runtime, dtype })),
  );
  const caps = capsFor(options.budgetS * 1000, configs.length);
  const workloads = kitWorkloads(options);
  return configs.map(({ runtime, dtype }) => ({ runtime, dtype, workloads, ...caps }));
}

/**
 * Why onnxruntime-web cannot run `dtype` on an adapter with `features`, or null. Its fp16 and
 * q4f16 kernels declare f16 in WGSL: without shader-f16 they fail to compile and the JSEP build
 * returns garbage instead of an error (seen on SwiftShader), so the app's registry refuses
 * the pair (registry/compat.ts) and the kit skips it.
 */
export function ortWebGpuRefuses(dtype: BenchDtype, features: readonly string[]): string | null {
  return (dtype === 'fp16' || dtype === 'q4f16') && !features.includes('shader-f16')
    ? `onnxruntime-web needs the WebGPU feature shader-f16 for ${dtype} weights; this adapter lacks it`
    : null;
}

/** Where a measured point sits in the tables: the same key for the engines and PyTorch. */
export function pointKey(batch: number, context: number): string {
  return `b${batch}-c${context}`;
}
