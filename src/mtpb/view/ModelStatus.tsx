import { ALL_DTYPES } from '../../engine/registry/types.ts';
import type { ModelState } from '../../model-manager/model-store.ts';
import { describeModel } from '../run-model.ts';
import type { RunModel } from '../run-model.ts';

/**
 * The loaded model as a run records it, from what the worker loaded (its ONNX file, backend
 * and engine), not from a selector; null while none is ready.
 */
export function modelInfoOf(state: ModelState): RunModel | null {
  if (state.status === 'error' && state.previous) return modelInfoOf(state.previous);
  if (state.status !== 'ready') return null;
  const { entry } = state.target;
  const { info } = state;
  const dtype =
    ALL_DTYPES.find((d) => entry.dtypes[d]?.file.path === info.onnxPath) ?? state.target.dtype;
  return {
    id: entry.source.kind === 'hub' ? entry.source.repo : entry.id,
    label: info.label,
    revision: entry.source.kind === 'hub' && !state.target.files ? entry.source.revision : null,
    dtype,
    onnxPath: info.onnxPath,
    backend: info.backend,
    engine: info.engine,
  };
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
    case 'ready': {
      const loaded = modelInfoOf(state);
      return (
        <p className="bench-model" data-testid="bench-model" data-status="ready">
          Model: <strong>{loaded ? describeModel(loaded) : state.info.label}</strong>
          {state.target.entry.weights === 'random' && (
            <span className="notice warn inline">
              Random weights: every case will fail. Load CodeGen 350M mono for real numbers.
            </span>
          )}
        </p>
      );
    }
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
