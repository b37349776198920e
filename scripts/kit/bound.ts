// The memory-bandwidth bound of a decode step: every weight of every linear layer is read
// once per step whatever the batch, plus the cache up to the step's position, so no engine
// can step faster than (those bytes) / (what the GPU's memory moves per second). Decode of a
// 350M model at small batch is bandwidth-bound on any GPU, which makes this the floor that
// the engines' times are read against.

import {
  codegenLayerNorms,
  codegenLinears,
} from '../../src/engine/webgpu/weights/codegen-names.ts';
import type { CodegenWeightSource, LinearWeight } from '../../src/engine/webgpu/weights/types.ts';

/** What one decode step must read, by part, for a model file. */
export interface ModelStepBytes {
  /** Every linear's weights as the file stores them (4-bit codes, scales, zero points). */
  linearBytes: number;
  /** Biases and LayerNorm parameters (float32 on every engine). */
  vectorBytes: number;
  /** One embedding row (each batch row reads one). */
  embeddingRowBytes: number;
  nLayer: number;
  nEmbd: number;
}

/** Bytes of one linear layer's weight as stored. */
function linearBytes(w: LinearWeight): number {
  if (w.kind === 'q4') {
    // Scales are read as float32 by every engine here (a q4 file stores them so).
    return w.packed.byteLength + w.scales.length * 4 + (w.zeroPoints?.byteLength ?? 0);
  }
  return w.rows * w.cols * (w.format === 'f16' ? 2 : 4);
}

/** The per-step bytes of the model in `source` (one tensor built at a time). */
export function modelStepBytes(source: CodegenWeightSource, nLayer: number): ModelStepBytes {
  let linears = 0;
  let vectors = 0;
  for (const module of codegenLinears(nLayer)) {
    linears += linearBytes(source.linear(module));
    const bias = `${module}.bias`;
    if (source.hasVector(bias)) vectors += source.vector(bias).length * 4;
  }
  for (const prefix of codegenLayerNorms(nLayer))
    for (const part of ['weight', 'bias']) vectors += source.vector(`${prefix}.${part}`).length * 4;
  const embedding = source.embedding();
  return {
    linearBytes: linears,
    vectorBytes: vectors,
    embeddingRowBytes: embedding.cols * (embedding.format === 'f16' ? 2 : 4),
    nLayer,
    nEmbd: embedding.cols,
  };
}

/**
 * Bytes read by one decode step of `batch` rows at cache position `context`: the weights
 * once, an embedding row and the keys and values of every earlier position per row, each
 * cache element `kvBytes` wide (2: float16, as the WGSL engine keeps it on a GPU with
 * shader-f16 and PyTorch in fp16).
 */
export function decodeStepBytes(
  model: ModelStepBytes,
  batch: number,
  context: number,
  kvBytes = 2,
): number {
  const cache = 2 * model.nLayer * batch * (context + 1) * model.nEmbd * kvBytes;
  return model.linearBytes + model.vectorBytes + batch * model.embeddingRowBytes + cache;
}

/** The fastest a step reading `bytes` can be at `bytesPerS`, in milliseconds. */
export function boundMs(bytes: number, bytesPerS: number): number {
  return (bytes / bytesPerS) * 1000;
}
