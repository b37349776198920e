import { usableModel } from '../../model-manager/model-store.ts';
import type { ModelState } from '../../model-manager/model-store.ts';
import { AppError } from '../../shared/errors.ts';

/** Why generating cannot start with the model as it is, and what to do instead. */
export function modelProblem(state: ModelState): AppError | null {
  // After a failed load the model loaded before it is still served.
  if (usableModel(state)) return null;
  switch (state.status) {
    case 'ready':
      return null;
    case 'empty':
      return new AppError('no-model', 'No model is loaded.', {
        hint: 'Pick a model in the model manager below and press Load (the tiny model loads in seconds).',
      });
    case 'loading':
      return new AppError('no-model', `${state.target.entry.label} is still loading.`, {
        hint: 'Wait until it is ready, or cancel the download and pick another model.',
      });
    case 'error':
      return new AppError('no-model', `No model is ready: ${state.error.message}`, {
        hint: state.error.hint ?? 'Load it again, or pick another model or dtype.',
      });
  }
}
