// TEMPORARY placeholder while the engine is written (replaced in this branch before it lands).
import type { CodegenModelConfig } from '../loader/model-config.ts';
import type { LanguageModel } from '../language-model.ts';

export interface OpenWgslOptions {
  /** navigator.gpu in a browser or worker; the `webgpu` package's GPU under Node. */
  gpu: GPU;
  /** The model file's bytes: an ONNX export (any published layout) or model.safetensors. */
  file: Uint8Array;
  /** Its path in the model folder (onnx/model_q4.onnx, model.safetensors): picks the reader. */
  path: string;
  config: CodegenModelConfig;
  signal?: AbortSignal;
  /** Upload progress, bytes of weights on the GPU so far of the total. */
  onProgress?: (uploaded: number, total: number) => void;
}

export type WgslModel = LanguageModel & {
  /** Resolves with a reason when the GPU device is lost; the model is dead from then on. */
  readonly lost: Promise<string>;
};

export function openWgslModel(options: OpenWgslOptions): Promise<WgslModel> {
  void options;
  return Promise.reject(new Error('not implemented yet'));
}
