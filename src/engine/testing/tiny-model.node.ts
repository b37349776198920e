import { join } from 'node:path';
import { ensureTinyModel } from '../../../scripts/make-model/ensure-tiny.ts';
import { DirSource } from '../loader/dir-source.node.ts';
import { loadModel } from '../loader/load-model.ts';
import type { LoadedModel } from '../loader/load-model.ts';
import { ort } from '../ort-node.node.ts';

export type TinyDtype = 'fp32' | 'q4' | 'q8';
export const TINY_ONNX: Record<TinyDtype, string> = {
  fp32: 'onnx/model.onnx',
  q4: 'onnx/model_q4.onnx',
  q8: 'onnx/model_quantized.onnx',
};

/** The seeded tiny model, generated once into .cache/ and loaded through the real loader. */
export function tinyModelDir(): string {
  return ensureTinyModel(join(process.cwd(), '.cache', 'models', 'tiny')).outDir;
}

export function loadTiny(dtype: TinyDtype = 'fp32'): Promise<LoadedModel> {
  return loadModel({
    ort,
    source: new DirSource(tinyModelDir()),
    onnxPath: TINY_ONNX[dtype],
    backend: 'wasm',
  });
}
