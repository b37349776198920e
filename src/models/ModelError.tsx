import type { AppError } from '../shared/errors.ts';

/** A failed load: what went wrong, what to do, and buttons for the usual ways forward. */
export function ModelError({
  error,
  onRetry,
  onManageStorage,
}: {
  error: AppError;
  onRetry: () => void;
  onManageStorage: () => void;
}) {
  return (
    <div className="notice error" role="alert" data-testid="model-error" data-code={error.code}>
      <strong>{error.message}</strong>
      {error.hint && <p>{error.hint}</p>}
      <div className="form-row">
        {error.code !== 'bad-model' && (
          <button type="button" onClick={onRetry} data-testid="retry-load">
            {error.code === 'aborted' || error.code === 'download' ? 'Resume loading' : 'Try again'}
          </button>
        )}
        {error.code === 'storage-quota' && (
          <button type="button" onClick={onManageStorage}>
            Free up space
          </button>
        )}
      </div>
    </div>
  );
}
