import type { ModelEntry } from '../../engine/registry/types.ts';
import type { AppError } from '../../shared/errors.ts';
import type { ModelStore } from '../model-store.ts';
import { DeletableModels } from './DeletableModels.tsx';

/** The storage quota is full: what happened, and the cached models to delete, largest first. */
export function QuotaError({
  error,
  store,
  models,
  onRetry,
}: {
  error: AppError;
  store: ModelStore;
  models: readonly ModelEntry[];
  onRetry?: () => void;
}) {
  return (
    <div className="notice error" role="alert" data-testid="quota-error">
      <strong>Not enough storage: the files could not be kept for offline use.</strong>
      <p>{error.message}</p>
      <p>
        Delete cached models you no longer need (largest first below), then try again. Files stored
        before the quota ran out are kept.
      </p>
      <DeletableModels store={store} models={models} />
      {onRetry && (
        <button type="button" onClick={onRetry} data-testid="quota-retry">
          Try again
        </button>
      )}
    </div>
  );
}
