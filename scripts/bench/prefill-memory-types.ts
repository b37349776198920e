import type { Backend } from '../../src/engine/registry/types.ts';

/** The line prefix of a Node child's result (prefill-memory-node.ts). */
export const PREFILL_TAG = '@@prefill ';

/** 'one-shot': the whole prompt in one run (before issue 13); 'bounded': the logits budget. */
export type PrefillMode = 'one-shot' | 'bounded';
export type PrefillRuntime = 'node-wasm' | 'chromium-webgpu' | 'chromium-wasm';
/** '350M': the real CodeGen-350M shape, fp32; 'wide-vocab': vocab 51,200, 1 layer, width 32. */
export type PrefillModel = '350M' | 'wide-vocab';

export interface PrefillJob {
  backend: Backend;
  mode: PrefillMode;
  rows: number;
  tokens: number;
}

/** What one prefill measurement gives, in every runtime. */
export interface PrefillMeasurement {
  status: 'ok' | 'error';
  message?: string;
  loadMs: number;
  /** The prefill's wall time; null when it failed. */
  prefillMs: number | null;
  failedAfterMs?: number | null;
  /** Session runs of the prefill (1 one-shot, ceil(tokens / columns) bounded). */
  runs: number;
  /** The first logits of each row's last position, to compare modes (empty on failure). */
  logitsSample: number[];
  /** The largest logits tensor one run returned (and so the JavaScript copy's size). */
  peakLogitsBytes: number;
  /** How much the WASM heap grew during the prefill (it grows for every tensor there). */
  wasmHeapGrowthBytes: number;
  /**
   * WebGPU only: GPU buffer bytes held before the prefill, the most added during it, and the
   * largest single buffer it created.
   */
  gpu: { heldBeforeBytes: number; peakGrowthBytes: number; largestBufferBytes: number } | null;
}

/** One row of the benchmark: a configuration and what came of it. */
export interface PrefillResult {
  runtime: PrefillRuntime;
  model: PrefillModel;
  mode: PrefillMode;
  rows: number;
  tokens: number;
  capS: number;
  outcome: PrefillMeasurement | { status: 'timeout' | 'crash'; message: string };
}
