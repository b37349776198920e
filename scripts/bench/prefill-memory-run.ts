// One prefill measurement, the same in Node (prefill-memory-node.ts) and in the Chromium
// page (prefill-memory-page/main.ts): load a session, run the batch's prefill once as
// generate() does (CausalLm.step over the left-padded batch), and report its time and every
// logits tensor onnxruntime returned. Where the memory is counted (WASM heap, GPU buffers)
// differs per runtime and comes in through `memory`.

import { CausalLm } from '../../src/engine/onnx/causal-lm.ts';
import { probeLogits } from '../../src/engine/onnx/logits-probe.ts';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';
import { buildPrefill } from '../../src/engine/padding.ts';
import { parseModelConfig } from '../../src/engine/loader/model-config.ts';
import type { PrefillJob, PrefillMeasurement } from './prefill-memory-types.ts';

/** Counters a runtime offers; each is read before the prefill, after each run, and at the end. */
export interface MemoryCounters {
  /** Bytes the WASM heap has grown by so far (it never shrinks). */
  wasmGrownBytes: () => number;
  /**
   * GPU buffer bytes held now, and the largest single buffer created since the previous
   * call (so the first call before the prefill leaves the weights' buffers out); null off
   * WebGPU.
   */
  gpu: () => { heldBytes: number; largestBytes: number } | null;
}

/** Logits kept per row, to compare one-shot with bounded results of the same batch. */
const SAMPLE = 64;

export async function measurePrefill(
  ort: Ort,
  files: { config: unknown; onnx: Uint8Array },
  job: PrefillJob,
  memory: MemoryCounters,
): Promise<PrefillMeasurement> {
  const config = parseModelConfig(files.config);
  const loadStarted = performance.now();
  const lm = await CausalLm.create(ort, files.onnx, job.backend, {
    nHead: config.nHead,
    headDim: config.headDim,
    vocabSize: config.vocabSize,
  });
  const loadMs = performance.now() - loadStarted;
  try {
    if (job.mode === 'one-shot') lm.logitsBudgetBytes = Number.POSITIVE_INFINITY;
    // Kernels and shaders for these shapes are compiled by a small warm-up, kept out of the time.
    await lm.step(buildPrefill([[config.eosId, config.eosId]], config.eosId).inputs);
    lm.reset();

    const prompts = Array.from({ length: job.rows }, (_, r) =>
      Array.from({ length: job.tokens }, (_, i) => 3 + ((i * 7 + r * 13) % 1000)),
    );
    const inputs = buildPrefill(prompts, config.eosId).inputs;
    const wasmBefore = memory.wasmGrownBytes();
    const gpuBefore = memory.gpu();
    let gpuPeak = gpuBefore?.heldBytes ?? 0;
    let gpuLargest = 0;
    const readGpu = (): void => {
      const now = memory.gpu();
      gpuPeak = Math.max(gpuPeak, now?.heldBytes ?? 0);
      gpuLargest = Math.max(gpuLargest, now?.largestBytes ?? 0);
    };
    const probe = probeLogits(lm.session, readGpu);
    const started = performance.now();
    let status: PrefillMeasurement['status'] = 'ok';
    let message: string | undefined;
    const sample: number[] = [];
    try {
      const { logits, vocab } = await lm.step(inputs);
      if (!logits.every(Number.isFinite)) throw new Error('non-finite logits');
      for (let row = 0; row < job.rows; row++)
        sample.push(...logits.subarray(row * vocab, row * vocab + SAMPLE));
    } catch (error) {
      status = 'error';
      message = error instanceof Error ? error.message : String(error);
    }
    const prefillMs = performance.now() - started;
    probe.detach();
    readGpu();
    return {
      loadMs: Math.round(loadMs),
      status,
      ...(message === undefined ? {} : { message: message.slice(0, 400) }),
      prefillMs: status === 'ok' ? Math.round(prefillMs) : null,
      failedAfterMs: status === 'ok' ? null : Math.round(prefillMs),
      runs: probe.runs,
      logitsSample: sample,
      peakLogitsBytes: probe.peakLogitsBytes,
      wasmHeapGrowthBytes: memory.wasmGrownBytes() - wasmBefore,
      gpu: gpuBefore
        ? {
            heldBeforeBytes: gpuBefore.heldBytes,
            peakGrowthBytes: gpuPeak - gpuBefore.heldBytes,
            largestBufferBytes: gpuLargest,
          }
        : null,
    };
  } finally {
    await lm.release();
  }
}
