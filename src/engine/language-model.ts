// What the rest of the app holds a loaded model as, whichever engine runs it: onnxruntime-web
// (CausalLm, src/engine/onnx) or our own WGSL kernels (WgslLm, src/engine/webgpu).

import type { EngineKind } from '../shared/contracts/model-worker.ts';
import type { StepModel } from './generate.ts';
import type { KvCache } from './prefix-reuse.ts';

// Defined with the worker contract, which reports it (LoadedInfo.engine).
export type { EngineKind };

export interface LanguageModel extends StepModel, KvCache {
  readonly engine: EngineKind;
  /** Transformer blocks the loaded graph or weights hold (checked against config.json). */
  readonly layers: number;
  /** Frees the session or GPU buffers; the model cannot be used afterwards. */
  release(): Promise<void>;
}
