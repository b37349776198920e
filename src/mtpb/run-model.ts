import type { Backend, EngineKind } from '../shared/contracts/model-worker.ts';

/** Exactly which model a run generated with: what was loaded, never what a form says. */
export interface RunModel {
  /** Registry id (`tiny`, `codegen-350M-mono`), or the custom repository or folder. */
  id: string;
  label: string;
  /** The hub revision the files were read at; null for a same-origin or picked folder. */
  revision: string | null;
  dtype: string;
  /** The ONNX file the session was created from (e.g. onnx/model_q4.onnx). */
  onnxPath: string;
  backend: Backend;
  /** The inference engine (README glossary) that ran it: onnxruntime-web or the WGSL kernels. */
  engine: EngineKind;
}

/** A resume of a run, as recorded with it: on which model, and what differed. */
export interface RunResume {
  at: number;
  model: RunModel;
  /** Empty when the loaded model was the run's; otherwise the user chose to continue anyway. */
  differences: string[];
}

const BACKEND_NAMES: Record<Backend, string> = { webgpu: 'WebGPU', wasm: 'WASM' };

/** "CodeGen 350M mono · q4 · WebGPU · wgsl", the way the run view and saved runs show it. */
export function describeModel(model: RunModel): string {
  const revision = model.revision && model.revision !== 'main' ? ` @ ${model.revision}` : '';
  return `${model.label}${revision} · ${model.dtype} · ${BACKEND_NAMES[model.backend]} · ${model.engine}`;
}

/**
 * What differs between the model a run was made with and the one loaded now, one line each
 * ("dtype: q4 → fp32"); empty when a resume would continue on the same model. The ONNX file
 * follows from model and dtype, so it is not compared on its own.
 */
export function modelDifferences(recorded: RunModel, loaded: RunModel): string[] {
  const fields: Array<[string, string, string]> = [
    ['model', recorded.id, loaded.id],
    ['revision', recorded.revision ?? 'none', loaded.revision ?? 'none'],
    ['dtype', recorded.dtype, loaded.dtype],
    ['backend', BACKEND_NAMES[recorded.backend], BACKEND_NAMES[loaded.backend]],
    ['engine', recorded.engine, loaded.engine],
  ];
  return fields.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name}: ${a} → ${b}`);
}

/** The registry labels its random-weights models so (the embedded tiny ones). */
export const hasRandomWeights = (model: Pick<RunModel, 'label'> | null): boolean =>
  model !== null && /random weights/i.test(model.label);
