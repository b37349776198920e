import { backendLabel, decisionOf, describeDecision } from '../engine/backend-choice.ts';
import { describeEngineDecision, engineDecisionOf, engineLabel } from '../engine/engine-choice.ts';
import { formatBytes, formatMs } from '../shared/format.ts';
import { usableModel } from './model-store.ts';
import type { ModelState } from './model-store.ts';

/** The last generation's speed, from whichever view generated. */
export interface LastGeneration {
  tokens: number;
  firstTokenMs: number | null;
  tokensPerSecond: number | null;
}

/** Always on screen: the model, its backend, engine and dtype, load time, and the last generation's speed. */
export function StatusBar({ state, last }: { state: ModelState; last: LastGeneration | null }) {
  const model = usableModel(state);
  return (
    <footer
      className="status-bar"
      aria-label="Status"
      data-testid="status-bar"
      data-status={state.status}
    >
      <span data-testid="status-model">{modelText(state)}</span>
      {model && (
        <>
          <span data-testid="status-backend" title={describeDecision(decisionOf(model.info))}>
            {backendLabel(model.info.backend)}
            {model.info.backendChoice === 'auto' && ' (Auto)'}
          </span>
          <span
            data-testid="status-engine"
            title={describeEngineDecision(engineDecisionOf(model.info))}
          >
            {engineLabel(model.info.engine)}
            {model.info.engineChoice === 'auto' && ' (Auto)'}
          </span>
          <span data-testid="status-dtype">{model.target.dtype}</span>
          <span>loaded in {formatMs(model.info.timings.totalMs)}</span>
        </>
      )}
      {last && (
        <span data-testid="status-generation">
          last: {last.tokens} tokens
          {last.firstTokenMs !== null && ` · first token ${formatMs(last.firstTokenMs)}`}
          {last.tokensPerSecond !== null && ` · ${last.tokensPerSecond.toFixed(1)} tok/s`}
        </span>
      )}
    </footer>
  );
}

function modelText(state: ModelState): string {
  switch (state.status) {
    case 'empty':
      return 'No model loaded';
    case 'loading': {
      const { loaded, total } = state.progress;
      const share = total ? ` ${Math.round((loaded / total) * 100)}%` : ` ${formatBytes(loaded)}`;
      return `Loading ${state.target.entry.label}…${state.phase === 'download' ? share : ''}`;
    }
    case 'ready':
      return state.info.label;
    case 'error':
      return state.previous
        ? `${state.previous.info.label} (loading ${state.target.entry.label} failed)`
        : `Model failed: ${state.error.message}`;
  }
}
