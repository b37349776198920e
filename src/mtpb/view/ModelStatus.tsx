import type { ModelState } from '../../model-manager/model-store.ts';
import type { ModelInfo } from './use-benchmark.ts';

/** The loaded model as a run records it; null while none is ready. */
export function modelInfoOf(state: ModelState): ModelInfo | null {
  if (state.status === 'error' && state.previous) return modelInfoOf(state.previous);
  if (state.status !== 'ready') return null;
  return { label: state.info.label, dtype: state.target.dtype, backend: state.info.backend };
}

/** Which model a run would use, or why there is none and where to get one. */
export function ModelStatus({
  state,
  onOpenModels,
}: {
  state: ModelState;
  onOpenModels: () => void;
}) {
  const goToModels = (
    <button type="button" onClick={onOpenModels} data-testid="bench-open-models">
      Choose a model
    </button>
  );
  // A failed load left the model before it in place: runs use that one.
  if (state.status === 'error' && state.previous)
    return <ModelStatus state={state.previous} onOpenModels={onOpenModels} />;
  switch (state.status) {
    case 'ready':
      return (
        <p className="bench-model" data-testid="bench-model" data-status="ready">
          Model: <strong>{state.info.label}</strong> · {state.target.dtype} ·{' '}
          {state.info.backend === 'webgpu' ? 'WebGPU' : 'WASM'}
          {state.target.entry.weights === 'random' && (
            <span className="notice warn inline">
              Random weights: every case will fail. Load CodeGen 350M mono for real numbers.
            </span>
          )}
        </p>
      );
    case 'loading':
      return (
        <p className="bench-model" data-testid="bench-model" data-status="loading">
          Loading {state.target.entry.label}… the benchmark can start once it is ready.
        </p>
      );
    case 'error':
      return (
        <div className="notice error bench-model" data-testid="bench-model" data-status="error">
          {state.target.entry.label} failed to load: {state.error.message} {goToModels}
        </div>
      );
    case 'empty':
      return (
        <div className="notice warn bench-model" data-testid="bench-model" data-status="empty">
          No model is loaded. Load one in the Generate view, then come back to run the benchmark.{' '}
          {goToModels}
        </div>
      );
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}
