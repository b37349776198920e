// Measurements and configuration results as the benchmark records them, for the tests of what
// reads them (tables, the MTPB estimate, the GPU kit's report).

import type { BenchDtype, ConfigResult, Measurement, Runtime } from './types.ts';

/** One run of `batch` rows: an 8-token prompt and 3 decode steps of 100 ms, unless overridden. */
export function measurement(batch: number, extra: Partial<Measurement> = {}): Measurement {
  return {
    purpose: 'throughput',
    batch,
    promptTokens: 8,
    newTokensRequested: 4,
    newTokensRun: 4,
    capped: false,
    prefillMs: 100,
    prefillTokPerS: 80,
    decodeSteps: 3,
    decodeMs: 300,
    decodeTokPerS: 10,
    msPerStep: 100,
    medianStepMs: 100,
    stepMs: [100, 100, 100],
    ...extra,
  };
}

/** A configuration that loaded and gave `runs`. */
export function configResult(
  runtime: Runtime,
  dtype: BenchDtype,
  runs: ConfigResult['runs'],
): ConfigResult {
  return {
    runtime,
    dtype,
    load: { status: 'ok', loadMs: 1000 },
    runs,
    loadAverage: [1, 1],
    wallMs: 1,
  };
}
