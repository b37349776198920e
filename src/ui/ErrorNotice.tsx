import type { ReactNode } from 'react';
import type { AppError } from '../shared/errors.ts';

/** An AppError as the user reads it: what went wrong, then what to do next. */
export function ErrorNotice({
  error,
  testId,
  onDismiss,
  children,
}: {
  error: AppError;
  testId: string;
  onDismiss?: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="notice error" role="alert" data-testid={testId} data-code={error.code}>
      <strong>{error.message}</strong>
      {error.hint && <p>{error.hint}</p>}
      {children}
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
