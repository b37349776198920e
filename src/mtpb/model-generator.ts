import type { GenerateRequest, GenerateResult } from '../shared/contracts/model-worker.ts';
import type { TurnGenerator } from './runner.ts';

/** Anything that answers the model worker's `generate` (the worker client, or EngineHost under Node). */
export type GenerateFn = (
  request: GenerateRequest,
  signal: AbortSignal,
  onToken: () => void,
) => Promise<GenerateResult>;

/**
 * The benchmark's generator on top of the engine: the paper's sampling (temperature, top-p),
 * stopping at MTPB's certain truncation point, and rows that outgrow the context reported as
 * such instead of failing the batch.
 */
export function modelTurnGenerator(
  run: GenerateFn,
  sampling: { temperature: number; topP: number },
  onToken: () => void = () => {},
): TurnGenerator {
  return {
    generate: async (histories, budget, seed, signal) => {
      const result = await run(
        {
          kind: 'generate',
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
        },
        signal,
        onToken,
      );
      return result.rows.map((row) => ({
        completion: row.text,
        tokens: row.ids.length,
        contextOverflow: row.stop.kind === 'context-overflow',
      }));
    },
  };
}
