import type {
  GenerateRequest,
  GenerateResult,
  ModelWorkerEvent,
} from '../shared/contracts/model-worker.ts';
import type { TurnGenerator } from './runner.ts';
import type { BenchmarkId } from './protocol.ts';
import { HUMANEVAL_STOPS } from '../humaneval/protocol.ts';

/**
 * Anything that answers the model worker's `generate` (the worker client, or EngineHost
 * under Node). Pass every event of the call to `onEvent`: the benchmark asks for text
 * detail, whose token counts arrive as throttled 'generate-progress' events.
 */
export type GenerateFn = (
  request: GenerateRequest,
  signal: AbortSignal,
  onEvent: (event: ModelWorkerEvent) => void,
) => Promise<GenerateResult>;

/**
 * Tokens generated, as the worker reports them (about every 100 ms, the last report of a
 * turn final): `added` since the previous report, and `rows`, the current turn's running
 * count per test case in the order of its histories.
 */
export type TokenProgress = (added: number, rows: readonly number[]) => void;

/**
 * How a benchmark's completions end: MTPB's truncation rule (truncate.ts), or stop sequences
 * (HumanEval's, after the Codex paper), the completion cut before the first one.
 */
export type CompletionStop = { kind: 'mtpb' } | { kind: 'strings'; strings: readonly string[] };

/** How a benchmark's completions end. */
export const completionStopOf = (benchmark: BenchmarkId): CompletionStop =>
  benchmark === 'humaneval' ? { kind: 'strings', strings: HUMANEVAL_STOPS } : { kind: 'mtpb' };

/**
 * The benchmark's generator on top of the engine: the paper's sampling (each batch's
 * temperature, top-p), stopping at MTPB's certain truncation point or at a stop sequence, and rows that outgrow the context reported as
 * such instead of failing the batch. It asks for text detail: no per-token logprobs or
 * alternatives are computed or sent, only counts. With `reuse` (the default) each turn
 * continues from the previous turn's key/value cache: turn t+1's history begins with the
 * tokens turn t processed, so only the kept completion's tail and the new prompt prefill.
 */
export function modelTurnGenerator(
  run: GenerateFn,
  sampling: { topP: number },
  onTokens: TokenProgress = () => {},
  options: { reuse: boolean; stop?: CompletionStop } = { reuse: true },
): TurnGenerator {
  const stop = options.stop ?? { kind: 'mtpb' };
  return {
    generate: async (histories, budget, seed, signal, temperature) => {
      let reported = 0;
      const onEvent = (event: ModelWorkerEvent): void => {
        if (event.kind !== 'generate-progress') return;
        const total = event.tokens.reduce((n, t) => n + t, 0);
        onTokens(total - reported, event.tokens);
        reported = total;
      };
      const result = await run(
        {
          kind: 'generate',
          detail: 'text',
          prompts: histories.map((text) => ({ text })),
          params: {
            mode: 'sample',
            temperature,
            topP: sampling.topP,
            topK: 0,
            maxNewTokens: budget,
            seed,
            ...(stop.kind === 'strings' ? { stopStrings: stop.strings } : {}),
          },
          ...(stop.kind === 'mtpb' ? { truncation: 'mtpb' as const } : {}),
          overflow: 'skip',
          prefixCache: options.reuse ? 'reuse' : 'none',
        },
        signal,
        onEvent,
      );
      return result.rows.map((row) => ({
        completion: row.text,
        tokens: row.ids.length,
        contextOverflow: row.stop.kind === 'context-overflow',
      }));
    },
  };
}
