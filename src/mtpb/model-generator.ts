import type {
  GenerateRequest,
  GenerateResult,
  ModelWorkerEvent,
} from '../shared/contracts/model-worker.ts';
import type { TurnGenerator } from './runner.ts';

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
 * The benchmark's generator on top of the engine: the paper's sampling (temperature, top-p),
 * stopping at MTPB's certain truncation point, and rows that outgrow the context reported as
 * such instead of failing the batch. It asks for text detail: no per-token logprobs or
 * alternatives are computed or sent, only counts. With `reuse` (the default) each turn
 * continues from the previous turn's key/value cache: turn t+1's history begins with the
 * tokens turn t processed, so only the kept completion's tail and the new prompt prefill.
 */
export function modelTurnGenerator(
  run: GenerateFn,
  sampling: { temperature: number; topP: number },
  onTokens: TokenProgress = () => {},
  options: { reuse: boolean } = { reuse: true },
): TurnGenerator {
  return {
    generate: async (histories, budget, seed, signal) => {
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
            temperature: sampling.temperature,
            topP: sampling.topP,
            topK: 0,
            maxNewTokens: budget,
            seed,
          },
          truncation: 'mtpb',
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
