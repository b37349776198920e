// What the rest of the app holds a loaded model as, whichever engine runs it: onnxruntime-web
// (CausalLm, src/engine/onnx) or our own WGSL kernels (WgslLm, src/engine/webgpu).

import type { StepModel } from './generate.ts';
import type { KvCache } from './prefix-reuse.ts';

/** 'ort': onnxruntime-web (WebGPU or WASM). 'wgsl': this app's WebGPU kernels. */
export type EngineKind = 'ort' | 'wgsl';

export interface LanguageModel extends StepModel, KvCache {
  readonly engine: EngineKind;
  /** Transformer blocks the loaded graph or weights hold (checked against config.json). */
  readonly layers: number;
  /** Frees the session or GPU buffers; the model cannot be used afterwards. */
  release(): Promise<void>;
}
