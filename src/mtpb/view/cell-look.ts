import type { CellView } from '../run-controller.ts';
import type { CellStatus } from './stats.ts';

/** Every status has an icon and a word as well as a colour: colour alone is not enough. */
export const STATUS_LOOK: Record<CellStatus, { icon: string; text: string; label: string }> = {
  queued: { icon: '·', text: 'queued', label: 'queued' },
  generating: { icon: '✎', text: 'gen', label: 'generating' },
  executing: { icon: '▶', text: 'running', label: 'executing the program' },
  pass: { icon: '✓', text: 'pass', label: 'pass' },
  fail: { icon: '✗', text: 'fail', label: 'fail' },
  timeout: { icon: '◷', text: 'timeout', label: 'timeout' },
  error: { icon: '⚠', text: 'error', label: 'error' },
  unavailable: { icon: '⊘', text: 'n/a', label: 'unavailable (a package is missing)' },
  'not-run': { icon: '–', text: 'not run', label: 'not run' },
};

/** The short text inside a cell: a generating cell says which turn and its tokens so far. */
export function cellText(status: CellStatus, view: CellView | undefined): string {
  if (view?.kind === 'generating')
    return `turn ${view.turn + 1}/${view.turns} · ${view.tokens}/${view.budget} tokens`;
  return STATUS_LOOK[status].text;
}

export function cellLabel(status: CellStatus, view: CellView | undefined): string {
  if (view?.kind === 'generating')
    return `generating turn ${view.turn + 1} of ${view.turns}, ${view.tokens} of at most ${view.budget} tokens`;
  const detail = view?.kind === 'done' ? view.record.detail : '';
  if (detail && detail !== status) return `${STATUS_LOOK[status].label}: ${detail}`;
  return STATUS_LOOK[status].label;
}

export const STATUS_FILTERS: ReadonlyArray<{ value: string; label: string }> = [
  { value: '', label: 'Any status' },
  { value: 'pass', label: '✓ pass' },
  { value: 'fail', label: '✗ fail' },
  { value: 'timeout', label: '◷ timeout' },
  { value: 'error', label: '⚠ error' },
  { value: 'unavailable', label: '⊘ unavailable' },
  { value: 'pending', label: 'not finished' },
];

export function matchesStatus(status: CellStatus, filter: string): boolean {
  if (filter === '') return true;
  if (filter === 'pending')
    return (
      status === 'queued' ||
      status === 'generating' ||
      status === 'executing' ||
      status === 'not-run'
    );
  return status === filter;
}
