import type { RunSnapshot } from '../run-controller.ts';

/** A run's (or a comparison's) phase in the words the results headings use. */
export const PHASE_TEXT: Record<RunSnapshot['phase'], string> = {
  idle: 'not started',
  running: 'running',
  paused: 'paused',
  done: 'finished',
  stopped: 'stopped',
  error: 'failed',
};
