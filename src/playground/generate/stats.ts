import type { GenerationTimings } from '../../engine/generate.ts';
import type { RowStop } from '../../shared/contracts/model-worker.ts';

/** The last generation's numbers, for the status bar and the line under the editor. */
export interface GenerationStats {
  tokens: number;
  /** From the request to the first token: tokenizing, prefill and one sample. */
  firstTokenMs: number | null;
  /** Decode speed after the first token. */
  tokensPerSecond: number | null;
  stop: string | null;
}

/** From the worker's timings, when the generation finished. */
export function statsFromTimings(
  tokens: number,
  timings: GenerationTimings,
  stop: RowStop | null,
): GenerationStats {
  return {
    tokens,
    firstTokenMs: timings.firstTokenMs,
    tokensPerSecond:
      timings.decodeSteps > 0 && timings.decodeMs > 0
        ? timings.decodeTokens / (timings.decodeMs / 1000)
        : null,
    stop: stop ? describeStop(stop) : null,
  };
}

/** From the page's clock, when it was stopped (a stopped call returns no timings). */
export function statsFromClock(
  tokens: number,
  startedAt: number,
  firstTokenAt: number | null,
  now: number,
): GenerationStats {
  return {
    tokens,
    firstTokenMs: firstTokenAt === null ? null : firstTokenAt - startedAt,
    tokensPerSecond:
      firstTokenAt !== null && tokens > 1 && now > firstTokenAt
        ? (tokens - 1) / ((now - firstTokenAt) / 1000)
        : null,
    stop: 'stopped',
  };
}

export function describeStop(stop: RowStop): string {
  switch (stop.kind) {
    case 'eos':
      return 'end of text';
    case 'max-new-tokens':
      return `max new tokens (${stop.limit})`;
    case 'stop-string':
      return `stop string ${JSON.stringify(stop.stop)}`;
    case 'custom':
      return stop.name === 'mtpb-truncation' ? 'MTPB truncation' : (stop.detail ?? stop.name);
    case 'context-overflow':
      return 'context full';
  }
}
