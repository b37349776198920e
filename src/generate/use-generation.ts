import { useCallback, useRef, useState } from 'react';
import type { GenerationParamsInput } from '../engine/generation/params.ts';
import type {
  GenerateResult,
  GeneratedToken,
  ModelWorkerContract,
} from '../shared/contracts/model-worker.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import type { RpcClient } from '../shared/rpc/client.ts';

export interface GenerationState {
  status: 'idle' | 'running' | 'done' | 'stopped' | 'error';
  text: string;
  tokens: GeneratedToken[];
  result: GenerateResult | null;
  error: AppError | null;
  startedAt: number;
  firstTokenAt: number | null;
}

const IDLE: GenerationState = {
  status: 'idle',
  text: '',
  tokens: [],
  result: null,
  error: null,
  startedAt: 0,
  firstTokenAt: null,
};

/** One streaming generation at a time (row 0 of the batch), with Stop. */
export function useGeneration(client: RpcClient<ModelWorkerContract>) {
  const [state, setState] = useState<GenerationState>(IDLE);
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(
    async (prompt: { text: string } | { ids: number[] }, params: GenerationParamsInput) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const startedAt = performance.now();
      setState({ ...IDLE, status: 'running', startedAt });
      try {
        const result = await client.call(
          { kind: 'generate', prompts: [prompt], params },
          {
            signal: abort.signal,
            onEvent: (event) => {
              if (event.kind !== 'token' || event.row !== 0) return;
              setState((s) => ({
                ...s,
                text: s.text + event.delta,
                tokens: [...s.tokens, event.token],
                firstTokenAt: s.firstTokenAt ?? performance.now(),
              }));
            },
          },
        );
        setState((s) => ({ ...s, status: 'done', result, text: result.rows[0]?.text ?? s.text }));
      } catch (error) {
        const appError = isAppError(error) ? error : new AppError('internal', String(error));
        setState((s) => ({
          ...s,
          status: appError.code === 'aborted' ? 'stopped' : 'error',
          error: appError,
        }));
      }
    },
    [client],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  return { state, run, stop };
}
