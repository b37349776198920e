import type { AppError, ErrorCode } from '../shared/errors.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';

// Loads that stopped part-way: what was downloaded is stored, so loading again resumes.
const RESUMABLE: ReadonlySet<ErrorCode> = new Set(['aborted', 'download', 'network']);

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
    <ErrorNotice error={error} testId="model-error">
      <div className="form-row">
        {error.code !== 'bad-model' && (
          <button type="button" onClick={onRetry} data-testid="retry-load">
            {RESUMABLE.has(error.code) ? 'Resume loading' : 'Try again'}
          </button>
        )}
        {error.code === 'storage-quota' && (
          <button type="button" onClick={onManageStorage}>
            Free up space
          </button>
        )}
      </div>
    </ErrorNotice>
  );
}
