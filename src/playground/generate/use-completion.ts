import { useCallback, useRef, useState } from 'react';
import type { GenerationParamsInput } from '../../shared/contracts/model-worker.ts';
import { truncate } from '../../mtpb/truncate.ts';
import type {
  GeneratedToken,
  GenerateResult,
  ModelWorkerContract,
} from '../../shared/contracts/model-worker.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';
import type { EditorPort } from '../editor/editor-port.ts';
import { statsFromClock, statsFromTimings } from './stats.ts';
import type { GenerationStats } from './stats.ts';

/** A generated token as the inspector shows it: what it added to the text, and whether it was picked by hand. */
export interface InspectedToken extends GeneratedToken {
  delta: string;
  branched: boolean;
}

export type CompletionStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

export interface CompletionState {
  status: CompletionStatus;
  /** False once the editor text was edited by hand: offsets are stale, no branching. */
  attached: boolean;
  tokens: InspectedToken[];
  stats: GenerationStats | null;
  error: AppError | null;
}

export interface CompletionRequest {
  params: GenerationParamsInput;
  truncation: boolean;
}

/** Where the completion sits in the editor, and what produced it; changes per token, so not state. */
interface Session {
  promptIds: number[];
  start: number;
  length: number;
  request: CompletionRequest;
  tokens: InspectedToken[];
  abort: AbortController;
}

const IDLE: CompletionState = {
  status: 'idle',
  attached: false,
  tokens: [],
  stats: null,
  error: null,
};

const toAppError = (error: unknown): AppError =>
  isAppError(error) ? error : new AppError('internal', String(error));

/**
 * Continues the editor's text from the cursor, streaming each token into the editor; Stop;
 * and a branch: the same completion re-run from token i with another token in its place.
 */
export function useEditorCompletion(
  client: RpcClient<ModelWorkerContract>,
  onStats: (stats: GenerationStats) => void,
) {
  const [state, setState] = useState<CompletionState>(IDLE);
  const session = useRef<Session | null>(null);

  const stream = useCallback(
    async (
      port: EditorPort,
      s: Session,
      ids: number[],
      maxNewTokens: number,
      tokenBase: number,
    ) => {
      const startedAt = performance.now();
      let firstTokenAt: number | null = null;
      const textBefore = s.length;
      port.checkpoint();
      setState({ status: 'running', attached: true, tokens: s.tokens, stats: null, error: null });
      try {
        const result: GenerateResult = await client.call(
          {
            kind: 'generate',
            detail: 'tokens', // the inspector shows each token's probability and alternatives
            prompts: [{ ids }],
            params: { ...s.request.params, maxNewTokens },
            ...(s.request.truncation ? { truncation: 'mtpb' as const } : {}),
          },
          {
            signal: s.abort.signal,
            onEvent: (event) => {
              if (event.kind !== 'token' || event.row !== 0 || session.current !== s) return;
              firstTokenAt ??= performance.now();
              const at = s.start + s.length;
              s.length += port.replace(at, at, event.delta);
              port.revealOffset(s.start + s.length);
              const token = { ...event.token, delta: event.delta, branched: false };
              s.tokens = [...s.tokens.slice(0, tokenBase + event.index), token];
              setState((prev) => ({ ...prev, tokens: s.tokens }));
            },
          },
        );
        if (session.current !== s) return;
        const row = result.rows[0];
        if (row) {
          // The kept text may be shorter than what streamed (MTPB truncation, a stop string).
          const kept = port.getValue().slice(s.start, s.start + textBefore) + row.text;
          const whole = s.request.truncation ? truncate(kept) : kept;
          s.length = port.replace(s.start, s.start + s.length, whole);
        }
        const stats = statsFromTimings(s.tokens.length, result.timings, row?.stop ?? null);
        onStats(stats);
        setState({ status: 'done', attached: true, tokens: s.tokens, stats, error: null });
      } catch (error) {
        if (session.current !== s) return; // superseded: the newer run owns the editor now
        const appError = toAppError(error);
        if (appError.code !== 'aborted') {
          setState({
            status: 'error',
            attached: false,
            tokens: s.tokens,
            stats: null,
            error: appError,
          });
          return;
        }
        if (s.request.truncation) {
          const text = port.getValue().slice(s.start, s.start + s.length);
          s.length = port.replace(s.start, s.start + s.length, truncate(text));
        }
        const stats = statsFromClock(s.tokens.length, startedAt, firstTokenAt, performance.now());
        onStats(stats);
        setState({ status: 'stopped', attached: true, tokens: s.tokens, stats, error: null });
      } finally {
        if (session.current === s) port.checkpoint();
      }
    },
    [client, onStats],
  );

  const generate = useCallback(
    async (port: EditorPort, request: CompletionRequest) => {
      session.current?.abort.abort();
      const { text, offset } = port.textBeforeCursor();
      const abort = new AbortController();
      if (text.length === 0) {
        setState({
          ...IDLE,
          status: 'error',
          error: new AppError('bad-input', 'There is nothing before the cursor to continue.', {
            hint: 'Write the start of a program (a comment, a def line) and put the cursor after it.',
          }),
        });
        return;
      }
      const s: Session = { promptIds: [], start: offset, length: 0, request, tokens: [], abort };
      session.current = s;
      setState({ ...IDLE, status: 'running' });
      try {
        // The same ids the worker would make; kept so a branch can continue from exact ids.
        s.promptIds = (await client.call({ kind: 'tokenize', text }, { signal: abort.signal })).ids;
      } catch (error) {
        const appError = toAppError(error);
        setState({
          ...IDLE,
          status: appError.code === 'aborted' ? 'stopped' : 'error',
          error: appError.code === 'aborted' ? null : appError,
        });
        return;
      }
      await stream(port, s, s.promptIds, request.params.maxNewTokens ?? 64, 0);
    },
    [client, stream],
  );

  /** Re-runs from token `index` with `tokenId` (one of its alternatives) in its place. */
  const branch = useCallback(
    async (port: EditorPort, index: number, tokenId: number) => {
      const previous = session.current;
      const original = previous?.tokens[index];
      const alternative = original?.top.find((t) => t.tokenId === tokenId);
      if (!previous || !original || !alternative) return;
      previous.abort.abort();
      const before = previous.tokens.slice(0, index);
      const beforeLength = before.reduce((n, t) => n + t.delta.length, 0);
      const s: Session = { ...previous, abort: new AbortController() };
      session.current = s;
      port.checkpoint();
      s.length =
        beforeLength +
        port.replace(s.start + beforeLength, s.start + previous.length, alternative.text);
      // The picked token keeps the distribution it was picked from.
      const picked: InspectedToken = {
        ...alternative,
        top: [original, ...original.top.filter((t) => t.tokenId !== tokenId)].map((t) => ({
          tokenId: t.tokenId,
          text: t.text,
          logprob: t.logprob,
        })),
        delta: alternative.text,
        branched: true,
      };
      s.tokens = [...before, picked];
      const budget = Math.max(1, (s.request.params.maxNewTokens ?? 64) - index - 1);
      const ids = [...s.promptIds, ...before.map((t) => t.tokenId), tokenId];
      await stream(port, s, ids, budget, index + 1);
    },
    [stream],
  );

  const stop = useCallback(() => session.current?.abort.abort(), []);
  /** The text was edited by hand: keep the tokens on show, but they no longer map to offsets. */
  const detach = useCallback(() => {
    session.current?.abort.abort();
    session.current = null;
    setState((prev) =>
      prev.attached || prev.status === 'running'
        ? { ...prev, attached: false, status: prev.status === 'running' ? 'stopped' : prev.status }
        : prev,
    );
  }, []);
  /** Forget the completion (the editor text was replaced). */
  const reset = useCallback(() => {
    session.current?.abort.abort();
    session.current = null;
    setState(IDLE);
  }, []);

  return { state, generate, branch, stop, reset, detach };
}
