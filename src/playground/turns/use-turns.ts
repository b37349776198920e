import { useCallback, useRef, useState } from 'react';
import type { GenerationParamsInput } from '../../engine/generation/params.ts';
import { historyOf } from '../../mtpb/protocol.ts';
import { truncate } from '../../mtpb/truncate.ts';
import type { ModelWorkerContract } from '../../shared/contracts/model-worker.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';
import type { InspectedToken } from '../generate/use-completion.ts';
import { statsFromClock, statsFromTimings } from '../generate/stats.ts';
import type { GenerationStats } from '../generate/stats.ts';
import type { Turn } from '../state/share-state.ts';

export type TurnStatus = 'pending' | 'running' | 'done' | 'stopped' | 'error';

export interface TurnsState {
  turns: Turn[];
  status: TurnStatus[];
  /** The turn generating now, or null. */
  running: number | null;
  error: { turn: number; error: AppError } | null;
  /** Tokens of the turn generated last, for the inspector. */
  tokens: InspectedToken[];
}

const toAppError = (error: unknown): AppError =>
  isAppError(error) ? error : new AppError('internal', String(error));

/** The whole program the turns make: the MTPB prefix, then each `# prompt` and its completion. */
export const programOf = (turns: readonly Turn[]): string => historyOf(turns);

/**
 * Multi-turn prompting as MTPB does it: each turn's prompt is answered by the model under
 * the history of the turns before it, and the answer is cut by the official truncate().
 * Re-running from turn k clears the answers after it (they were written under the old one).
 */
export function useTurns(
  client: RpcClient<ModelWorkerContract>,
  initial: Turn[],
  onStats: (stats: GenerationStats) => void,
) {
  const [state, setState] = useState<TurnsState>(() => ({
    turns: initial,
    status: initial.map((t) => (t.completion ? 'done' : 'pending')),
    running: null,
    error: null,
    tokens: [],
  }));
  const controller = useRef<AbortController | null>(null);

  const replaceTurns = useCallback((turns: Turn[]) => {
    controller.current?.abort();
    setState({
      turns,
      status: turns.map((t) => (t.completion ? 'done' : 'pending')),
      running: null,
      error: null,
      tokens: [],
    });
  }, []);

  const edit = useCallback((index: number, change: Partial<Turn>) => {
    setState((s) => ({
      ...s,
      turns: s.turns.map((t, i) => (i === index ? { ...t, ...change } : t)),
    }));
  }, []);

  const runFrom = useCallback(
    async (first: number, params: GenerationParamsInput, turnsNow: Turn[]) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const turns = turnsNow.map((t, i) => (i >= first ? { ...t, completion: '' } : t));
      const status: TurnStatus[] = turns.map((_, i) => (i < first ? 'done' : 'pending'));
      const publish = (patch: Partial<TurnsState> = {}): void =>
        setState((s) => ({ ...s, turns: [...turns], status: [...status], ...patch }));
      for (let t = first; t < turns.length; t++) {
        const turn = turns[t];
        if (!turn) break;
        status[t] = 'running';
        let tokens: InspectedToken[] = [];
        publish({ running: t, error: null, tokens });
        const startedAt = performance.now();
        let firstTokenAt: number | null = null;
        try {
          const result = await client.call(
            {
              kind: 'generate',
              prompts: [{ text: historyOf(turns.slice(0, t), turn.prompt) }],
              params,
              truncation: 'mtpb',
            },
            {
              signal: abort.signal,
              onEvent: (event) => {
                if (event.kind !== 'token' || event.row !== 0 || abort.signal.aborted) return;
                firstTokenAt ??= performance.now();
                turns[t] = { ...turn, completion: (turns[t]?.completion ?? '') + event.delta };
                tokens = [...tokens, { ...event.token, delta: event.delta, branched: false }];
                publish({ tokens });
              },
            },
          );
          const row = result.rows[0];
          turns[t] = { ...turn, completion: row?.text ?? '' };
          status[t] = 'done';
          onStats(statsFromTimings(tokens.length, result.timings, row?.stop ?? null));
          publish();
        } catch (error) {
          const appError = toAppError(error);
          if (controller.current !== abort) return;
          const stopped = appError.code === 'aborted';
          // What streamed before Stop is kept, cut where the benchmark would cut it.
          turns[t] = { ...turn, completion: truncate(turns[t]?.completion ?? '') };
          status[t] = stopped ? 'stopped' : 'error';
          if (stopped)
            onStats(statsFromClock(tokens.length, startedAt, firstTokenAt, performance.now()));
          publish({ running: null, error: stopped ? null : { turn: t, error: appError } });
          return;
        }
      }
      publish({ running: null });
    },
    [client, onStats],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  return { state, replaceTurns, edit, runFrom, stop };
}
