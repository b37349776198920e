// The weight source for whichever file the user's model folder gives the WGSL engine.

import { AppError } from '../../../shared/errors.ts';
import { openOnnxWeights } from './onnx-weights.ts';
import { openSafetensorsWeights } from './safetensors-weights.ts';
import type { CodegenWeightSource } from './types.ts';

/** Picks the reader by `path`'s extension: .onnx or .safetensors. */
export function openWeights(bytes: Uint8Array, path: string, nLayer: number): CodegenWeightSource {
  const lower = path.toLowerCase();
  if (lower.endsWith('.onnx')) return openOnnxWeights(bytes, path, nLayer);
  if (lower.endsWith('.safetensors')) return openSafetensorsWeights(bytes, path, nLayer);
  throw new AppError(
    'bad-model',
    `${path}: the WGSL engine reads weights from an .onnx export or model.safetensors, not this file.`,
    { hint: 'Pick onnx/model*.onnx or model.safetensors from the model folder.' },
  );
}
