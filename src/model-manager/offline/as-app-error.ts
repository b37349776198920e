import { AbortedError, AppError, isAppError } from '../../shared/errors.ts';

/** Anything a prefetch stage throws, as an AppError the UI can explain. */
export function asAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return new AppError('storage-quota', "The browser's storage quota for this site is full.", {
      cause: error,
      hint: 'Delete cached models you no longer need, or allow the site more storage.',
    });
  }
  if (error instanceof Error && error.name === 'AbortError') return new AbortedError();
  return new AppError('internal', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
