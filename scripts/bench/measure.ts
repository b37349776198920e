import type { Measurement, Trace, Workload } from './types.ts';

/**
 * Turns step timestamps into rates, the same way for every runtime: each runtime reports
 * when each step's tokens were known (a token event, a streamer call), so prefill and
 * decode are split identically whatever the engine measures internally.
 */
export function measure(workload: Workload, trace: Trace): Measurement {
  const { purpose, batch, promptTokens, newTokens } = workload;
  const times = trace.stepTimes;
  const prefillMs = times[0] ?? Number.NaN;
  const stepMs = times.slice(1).map((t, i) => t - (times[i] ?? 0));
  const decodeSteps = stepMs.length;
  const decodeMs = stepMs.reduce((sum, ms) => sum + ms, 0);
  return {
    purpose,
    batch,
    promptTokens,
    newTokensRequested: newTokens,
    newTokensRun: times.length,
    capped: trace.capped,
    prefillMs: round(prefillMs),
    prefillTokPerS: round((batch * promptTokens * 1000) / prefillMs),
    decodeSteps,
    decodeMs: round(decodeMs),
    decodeTokPerS: decodeSteps > 0 ? round((batch * decodeSteps * 1000) / decodeMs) : Number.NaN,
    msPerStep: decodeSteps > 0 ? round(decodeMs / decodeSteps) : Number.NaN,
    medianStepMs: round(median(stepMs)),
    stepMs: stepMs.map(round),
    ...(trace.gpu ? { gpu: trace.gpu } : {}),
    ...(trace.kernels ? { kernels: trace.kernels } : {}),
  };
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
