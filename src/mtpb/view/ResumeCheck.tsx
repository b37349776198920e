import { useEffect, useRef } from 'react';

/**
 * Asks before a run resumes on a model other than the one it was made with. It takes the
 * focus when it appears: the Resume that raised it may be far down the page.
 */
export function ResumeCheck({
  title,
  differences,
  canContinue,
  onContinue,
  onCancel,
}: {
  title: string;
  differences: readonly string[];
  canContinue: boolean;
  onContinue: () => void;
  onCancel: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [title]);
  return (
    <div className="notice warn" role="alert" tabIndex={-1} ref={box} data-testid="resume-check">
      <p>
        <strong>{title}</strong> was made with a different model than the one loaded:
      </p>
      <ul>
        {differences.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      <p>
        Its remaining cases would not be comparable with the finished ones. Load the run’s model to
        resume it exactly, or continue anyway (the run records the switch).
      </p>
      <button
        type="button"
        data-testid="resume-anyway"
        disabled={!canContinue}
        onClick={onContinue}
      >
        Continue anyway
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
