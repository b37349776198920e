// The seeded tiny model for tests: generated once into .cache/models/tiny by the model
// generator and loaded through the engine's real loader on onnxruntime-web (Node).
import { join } from 'node:path';
import { DirSource } from '../../src/engine/loader/dir-source.node.ts';
import { asOrtModel, loadModel } from '../../src/engine/loader/load-model.ts';
import type { OrtLoadedModel } from '../../src/engine/loader/load-model.ts';
import { ort } from '../../src/engine/ort-node.node.ts';
import { ensureTinyModel } from './ensure-tiny.ts';

export type TinyDtype = 'fp32' | 'q4' | 'q8';
export const TINY_ONNX: Record<TinyDtype, string> = {
  fp32: 'onnx/model.onnx',
  q4: 'onnx/model_q4.onnx',
  q8: 'onnx/model_quantized.onnx',
};

/** The tiny model's folder, (re)generated when missing or stale. */
export function tinyModelDir(): string {
  return ensureTinyModel(join(process.cwd(), '.cache', 'models', 'tiny')).outDir;
}

/** The tiny model on onnxruntime-web's WASM backend. */
export async function loadTiny(dtype: TinyDtype = 'fp32'): Promise<OrtLoadedModel> {
  return asOrtModel(
    await loadModel({
      ort,
      source: new DirSource(tinyModelDir()),
      onnxPath: TINY_ONNX[dtype],
      backend: 'wasm',
      engine: 'ort',
    }),
  );
}
