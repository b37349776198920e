import { PLAYGROUND_VIEW } from './state/share-state.ts';

/**
 * A link that opens one MTPB test case in the playground's multi-turn mode, its turns filled
 * from the dataset: `<a href={playgroundProblemHref('12', 0)}>`. `caseIndex` counts from 0.
 */
export function playgroundProblemHref(problemId: string, caseIndex: number): string {
  const params = new URLSearchParams({ problem: problemId, case: String(caseIndex) });
  return `#${PLAYGROUND_VIEW}?${params.toString()}`;
}

/** Switches to the playground with that test case (the app follows hash changes). */
export function openProblemInPlayground(problemId: string, caseIndex: number): void {
  location.hash = playgroundProblemHref(problemId, caseIndex);
}
