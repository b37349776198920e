import type { RunSnapshot } from '../run-controller.ts';

/**
 * Pause, Resume and Stop for a run or a comparison. Pause holds before the next turn, so it
 * is offered only while running (and not for a replay, which has no turns).
 */
export function RunControls({
  phase,
  canPause = true,
  testIdPrefix,
  onPause,
  onResume,
  onStop,
}: {
  phase: RunSnapshot['phase'];
  canPause?: boolean;
  /** bench-pause, compare-pause, … */
  testIdPrefix: string;
  onPause: () => void;
  onResume: () => void;
  onStop: () => void;
}) {
  return (
    <>
      <button
        type="button"
        disabled={phase !== 'running' || !canPause}
        onClick={onPause}
        title="Holds before the next turn; the turn being generated finishes first"
        data-testid={`${testIdPrefix}-pause`}
      >
        Pause
      </button>
      <button
        type="button"
        disabled={phase !== 'paused'}
        onClick={onResume}
        data-testid={`${testIdPrefix}-resume`}
      >
        Resume
      </button>
      <button
        type="button"
        disabled={phase !== 'running' && phase !== 'paused'}
        onClick={onStop}
        data-testid={`${testIdPrefix}-stop`}
      >
        Stop
      </button>
    </>
  );
}
