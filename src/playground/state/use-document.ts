import { PAPER_SAMPLING } from '../../mtpb/protocol.ts';
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { AppError, isAppError } from '../../shared/errors.ts';
import { problemTurns } from '../turns/problem-turns.ts';
import type { ProblemInfo } from '../turns/TurnsPanel.tsx';
import { loadSnapshot, saveSnapshot } from './persist.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import type { SettingsDraft } from './settings.ts';
import { PLAYGROUND_VIEW, readHash, snapshotHash, splitHash } from './share-state.ts';
import type { PlaygroundSnapshot, Turn } from './share-state.ts';

export const DEFAULT_TEXT = '# Return the sum of a list of numbers.\ndef sum_list(numbers):\n';
export const DEFAULT_TURNS: Turn[] = [
  { prompt: 'Assign the list [3, 1, 2] to a variable named "numbers".', completion: '' },
  { prompt: 'Sort "numbers" and print it.', completion: '' },
];

/** What the page opens with: a shared link, else the last visit, else the defaults. */
export function initialSnapshot(): {
  snapshot: PlaygroundSnapshot;
  problem: { problemId: string; caseIndex: number } | null;
} {
  const request = readHash(location.hash);
  if (request.kind === 'snapshot') return { snapshot: request.snapshot, problem: null };
  const snapshot = loadSnapshot() ?? {
    settings: DEFAULT_SETTINGS,
    doc: { kind: 'editor', text: DEFAULT_TEXT },
  };
  return { snapshot, problem: request.kind === 'problem' ? request : null };
}

const isPlaygroundHash = (hash: string): boolean =>
  ['', PLAYGROUND_VIEW, 'generate'].includes(splitHash(hash).view);

/**
 * Keeps the playground in the URL (while it is shown) and in localStorage, a moment after the
 * last change; follows links that change the hash (a shared state, an MTPB problem).
 */
export function useDocumentSync({
  initialProblem,
  active,
  snapshot,
  changes,
  onSnapshot,
  onProblem,
}: {
  initialProblem: { problemId: string; caseIndex: number } | null;
  active: boolean;
  /** The current state; null while nothing is there to keep (the editor is loading). */
  snapshot: () => PlaygroundSnapshot | null;
  /** Anything whose change means snapshot() may give something new (e.g. a finished generation). */
  changes: unknown;
  /** A link with a shared state was followed. */
  onSnapshot: (snapshot: PlaygroundSnapshot) => void;
  onProblem: (
    turns: Turn[],
    settings: (s: SettingsDraft) => SettingsDraft,
    info: ProblemInfo,
  ) => void;
}) {
  const [problemRequest, setProblemRequest] = useState(initialProblem);
  const [problemError, setProblemError] = useState<AppError | null>(null);
  const [version, setVersion] = useState(0);
  const touch = useCallback(() => setVersion((v) => v + 1), []);

  const applySnapshot = useEffectEvent(onSnapshot);
  const applyProblem = useEffectEvent(onProblem);

  useEffect(() => {
    const follow = (): void => {
      const request = readHash(location.hash);
      if (request.kind === 'problem') setProblemRequest(request);
      else if (request.kind === 'snapshot') applySnapshot(request.snapshot);
    };
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);

  useEffect(() => {
    if (!problemRequest) return;
    let cancelled = false;
    problemTurns(problemRequest.problemId, problemRequest.caseIndex).then(
      (problem) => {
        if (cancelled) return;
        setProblemError(null);
        applyProblem(
          problem.turns,
          (s) => ({
            ...s,
            mode: 'sample',
            temperature: String(PAPER_SAMPLING.temperature),
            topP: String(PAPER_SAMPLING.topP),
            topK: '0',
            maxNewTokens: String(problem.maxNewTokens),
            mtpbTruncation: true,
          }),
          { title: problem.title, expected: problem.expected },
        );
      },
      (error: unknown) => {
        if (cancelled) return;
        setProblemError(isAppError(error) ? error : new AppError('bad-input', String(error)));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [problemRequest]);

  useEffect(() => {
    const timer = setTimeout(() => {
      const current = snapshot();
      if (!current) return;
      saveSnapshot(current);
      // Another view may be showing (the user switched tabs meanwhile): leave its hash alone.
      if (active && isPlaygroundHash(location.hash))
        history.replaceState(null, '', `${location.search}${snapshotHash(current)}`);
    }, 400);
    return () => clearTimeout(timer);
  }, [active, snapshot, changes, version]);

  const openProblem = useCallback((problemId: string, caseIndex: number) => {
    setProblemRequest({ problemId, caseIndex });
  }, []);

  return { touch, problemError, openProblem };
}
