import type {
  Backend,
  EngineChoice,
  EngineDecision,
  EngineKind,
  LoadedInfo,
} from '../shared/contracts/model-worker.ts';
import { AppError } from '../shared/errors.ts';

/** The Engine menu's, the URL's (?engine=) and the command line's (--engine) values. */
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'ort', 'wgsl'];

/** An engine choice from text, or null when it names none. */
export function parseEngineChoice(value: string): EngineChoice | null {
  return ENGINE_CHOICES.find((choice) => choice === value) ?? null;
}

/**
 * Which engine runs a load on `backend`. An explicit choice is kept; the WGSL kernels need
 * WebGPU, so 'wgsl' on WASM is refused. Auto takes onnxruntime on WASM and tries the WGSL
 * kernels on WebGPU; `wgslRefusal` is the WGSL engine's reason it cannot map the file (a
 * 'bad-model' error, e.g. an 8-bit export), and Auto then takes onnxruntime after all.
 */
export function chooseEngine(
  choice: EngineChoice,
  backend: Backend,
  wgslRefusal?: string,
): EngineDecision {
  if (choice === 'wgsl' && backend === 'wasm') {
    throw new AppError(
      'bad-input',
      'The WGSL engine runs on WebGPU only, and this load runs on WASM.',
      {
        hint: 'Choose the WebGPU backend (Auto takes WASM where WebGPU is missing or a software adapter), or the onnxruntime-web engine.',
      },
    );
  }
  if (choice !== 'auto') return { engine: choice, choice, reason: 'chosen in the Engine menu' };
  if (backend === 'wasm') {
    return {
      engine: 'ort',
      choice,
      reason: 'the WGSL kernels need WebGPU and the backend is WASM',
    };
  }
  if (wgslRefusal !== undefined) {
    return {
      engine: 'ort',
      choice,
      reason: `the WGSL kernels cannot run this file: ${wgslRefusal}`,
    };
  }
  return {
    engine: 'wgsl',
    choice,
    reason: 'on WebGPU the WGSL kernels run the files they can map',
  };
}

const ENGINE_LABELS: Record<EngineKind, string> = {
  ort: 'onnxruntime-web',
  wgsl: 'WGSL kernels',
};

/** "onnxruntime-web" or "WGSL kernels", as the UI names engines. */
export function engineLabel(engine: EngineKind): string {
  return ENGINE_LABELS[engine];
}

/** One line for the UI: "WGSL kernels — Auto chose it: on WebGPU the WGSL kernels run …". */
export function describeEngineDecision(decision: EngineDecision): string {
  const why = decision.choice === 'auto' ? `Auto chose it: ${decision.reason}` : decision.reason;
  return `${engineLabel(decision.engine)} — ${why}`;
}

/** The decision a load reports back (LoadedInfo's flat fields). */
export function engineDecisionOf(
  info: Pick<LoadedInfo, 'engine' | 'engineChoice' | 'engineReason'>,
): EngineDecision {
  return { engine: info.engine, choice: info.engineChoice, reason: info.engineReason };
}
