// Puts a CodegenWeightSource on the GPU, one tensor at a time (each built, copied into a
// mapped buffer and dropped before the next), split by rows where a matrix is larger than
// one storage binding may be (maxStorageBufferBindingSize: a [51200, 1024] fp32 LM head
// is 210 MB; many GPUs bind at most 128 MB).

import { AbortedError, AppError } from '../../shared/errors.ts';
import { sinusoidalPositions } from '../reference/rotary.ts';
import type { Q4Layout, WeightFormat } from './shaders/common.ts';
import type { CodegenWeightSource, DenseMatrix, LinearWeight } from './weights/types.ts';

export interface LinearPiece {
  buffer: GPUBuffer;
  rows: number;
  /** First output column (weight row) of the piece. */
  offset: number;
}

export interface GpuLinear {
  format: WeightFormat;
  N: number;
  K: number;
  /** q4 only: the block size, and whether zero points follow the scales. */
  q4: { blockSize: number; zeros: boolean } | null;
  pieces: LinearPiece[];
}

export interface GpuLayer {
  ln1Weight: GPUBuffer;
  ln1Bias: GPUBuffer;
  qkv: GpuLinear;
  outProj: GpuLinear;
  fcIn: GpuLinear;
  fcInBias: GPUBuffer;
  fcOut: GpuLinear;
  fcOutBias: GPUBuffer;
}

export interface GpuWeights {
  embedding: { f16: boolean; pieces: Array<{ buffer: GPUBuffer; from: number; to: number }> };
  layers: GpuLayer[];
  lnFWeight: GPUBuffer;
  lnFBias: GPUBuffer;
  lmHead: GpuLinear;
  lmHeadBias: GPUBuffer | null;
  /** Rotary sin table [n_positions, rotary_dim/2], then the cos table. */
  rotary: GPUBuffer;
  /** Bytes of every buffer above. */
  bytes: number;
  destroy(): void;
}

export interface WeightShape {
  nLayer: number;
  nEmbd: number;
  nInner: number;
  vocabSize: number;
  rotaryDim: number;
  nPositions: number;
}

export interface UploadOptions {
  /** Largest buffer one binding may hold; pieces are cut below it. */
  maxBindingBytes: number;
  signal?: AbortSignal;
  /** Bytes on the GPU so far, of about `expectedBytes` (the file's size: close for any dtype). */
  onProgress?: (done: number, total: number) => void;
  expectedBytes?: number;
}

/** Uploads every parameter; on any failure the buffers made so far are destroyed. */
export async function uploadWeights(
  device: GPUDevice,
  source: CodegenWeightSource,
  shape: WeightShape,
  options: UploadOptions,
): Promise<GpuWeights> {
  const buffers: GPUBuffer[] = [];
  let bytes = 0;
  const expected = options.expectedBytes ?? 0;
  const progress = async (): Promise<void> => {
    options.onProgress?.(Math.min(bytes, expected), Math.max(expected, bytes));
    if (options.signal?.aborted) throw new AbortedError('Loading the model was cancelled.');
    // Let the worker answer messages (a Cancel) between tensors.
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  const make = (data: ArrayBufferView): GPUBuffer => {
    const size = Math.max(4, Math.ceil(data.byteLength / 4) * 4);
    const buffer = device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      mappedAtCreation: true,
    });
    new Uint8Array(buffer.getMappedRange()).set(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
    buffer.unmap();
    buffers.push(buffer);
    bytes += size;
    return buffer;
  };
  const vector = (name: string, length: number): GPUBuffer => {
    const v = source.vector(name);
    if (v.length !== length)
      throw new AppError(
        'bad-model',
        `${name} has ${v.length} values; the config implies ${length}.`,
      );
    return make(v);
  };
  const linear = (module: string, N: number, K: number, fusable: boolean): GpuLinear => {
    const w = source.linear(module);
    if (w.rows !== N || w.cols !== K) {
      throw new AppError(
        'bad-model',
        `${module} is [${w.rows}, ${w.cols}]; the config implies [${N}, ${K}].`,
        { hint: 'config.json and the weights come from different models.' },
      );
    }
    const gpu = toGpuLinear(w, options.maxBindingBytes, make);
    if (fusable && gpu.pieces.length > 1) {
      throw new AppError(
        'bad-model',
        `${module} (${N} × ${K}) is larger than this GPU binds in one buffer (${options.maxBindingBytes} bytes).`,
        { hint: 'Use the onnxruntime-web engine (engine=ort) or a smaller dtype of this model.' },
      );
    }
    return gpu;
  };

  device.pushErrorScope('out-of-memory');
  try {
    const E = shape.nEmbd;
    const embedding = toGpuEmbedding(source.embedding(), shape, options.maxBindingBytes, make);
    await progress();
    const layers: GpuLayer[] = [];
    for (let l = 0; l < shape.nLayer; l++) {
      const p = `transformer.h.${l}`;
      const layer: GpuLayer = {
        ln1Weight: vector(`${p}.ln_1.weight`, E),
        ln1Bias: vector(`${p}.ln_1.bias`, E),
        qkv: linear(`${p}.attn.qkv_proj`, 3 * E, E, true),
        outProj: linear(`${p}.attn.out_proj`, E, E, true),
        fcIn: linear(`${p}.mlp.fc_in`, shape.nInner, E, true),
        fcInBias: vector(`${p}.mlp.fc_in.bias`, shape.nInner),
        fcOut: linear(`${p}.mlp.fc_out`, E, shape.nInner, true),
        fcOutBias: vector(`${p}.mlp.fc_out.bias`, E),
      };
      layers.push(layer);
      await progress();
    }
    const lnFWeight = vector('transformer.ln_f.weight', E);
    const lnFBias = vector('transformer.ln_f.bias', E);
    await progress();
    const lmHead = linear('lm_head', shape.vocabSize, E, false);
    const lmHeadBias = source.hasVector('lm_head.bias')
      ? vector('lm_head.bias', shape.vocabSize)
      : null;
    await progress();
    const table = sinusoidalPositions(shape.nPositions, shape.rotaryDim);
    const rotaryTable = new Float32Array(table.sin.length * 2);
    rotaryTable.set(table.sin);
    rotaryTable.set(table.cos, table.sin.length);
    const rotary = make(rotaryTable);
    await progress();
    const oom = await device.popErrorScope();
    if (oom) throw outOfMemory(oom.message, bytes);
    options.onProgress?.(bytes, bytes);
    return {
      embedding,
      layers,
      lnFWeight,
      lnFBias,
      lmHead,
      lmHeadBias,
      rotary,
      bytes,
      destroy: () => buffers.forEach((b) => b.destroy()),
    };
  } catch (error) {
    await device.popErrorScope().catch(() => null);
    buffers.forEach((b) => b.destroy());
    throw error;
  }
}

export function outOfMemory(detail: string, bytes: number): AppError {
  return new AppError(
    'gpu-out-of-memory',
    `The GPU ran out of memory (${(bytes / 2 ** 20).toFixed(0)} MiB allocated when it failed: ${detail}).`,
    {
      hint: 'Close other GPU-heavy tabs, pick a smaller dtype (q4) or a smaller model, or use fewer rows.',
    },
  );
}

function toGpuEmbedding(
  m: DenseMatrix,
  shape: WeightShape,
  maxBindingBytes: number,
  make: (data: ArrayBufferView) => GPUBuffer,
): GpuWeights['embedding'] {
  if (m.rows !== shape.vocabSize || m.cols !== shape.nEmbd) {
    throw new AppError(
      'bad-model',
      `transformer.wte.weight is [${m.rows}, ${m.cols}]; the config implies [${shape.vocabSize}, ${shape.nEmbd}].`,
    );
  }
  const f16 = m.format === 'f16';
  const rowBytes = m.cols * (f16 ? 2 : 4);
  const per = Math.max(1, Math.floor(maxBindingBytes / rowBytes));
  const pieces: GpuWeights['embedding']['pieces'] = [];
  for (let from = 0; from < m.rows; from += per) {
    const to = Math.min(m.rows, from + per);
    pieces.push({ buffer: make(m.data.subarray(from * m.cols, to * m.cols)), from, to });
  }
  return { f16, pieces };
}

/** A linear layer's pieces, each at most maxBindingBytes; q4 as [packed | scales | zeros]. */
export function toGpuLinear(
  w: LinearWeight,
  maxBindingBytes: number,
  make: (data: ArrayBufferView) => GPUBuffer,
): GpuLinear {
  const { rows: N, cols: K } = w;
  if (K % 8 !== 0)
    throw new AppError('bad-model', `A linear layer's input width ${K} is not a multiple of 8.`);
  if (w.kind === 'dense') {
    const rowBytes = K * (w.format === 'f16' ? 2 : 4);
    const per = Math.max(1, Math.floor(maxBindingBytes / rowBytes));
    const pieces: LinearPiece[] = [];
    for (let offset = 0; offset < N; offset += per) {
      const rows = Math.min(per, N - offset);
      pieces.push({ buffer: make(w.data.subarray(offset * K, (offset + rows) * K)), rows, offset });
    }
    return { format: w.format, N, K, q4: null, pieces };
  }
  const blocks = Math.ceil(K / w.blockSize);
  const rowPacked = (blocks * w.blockSize) / 2; // bytes
  if (w.blockSize % 16 !== 0)
    throw new AppError(
      'bad-model',
      `MatMulNBits block size ${w.blockSize} is not a multiple of 16.`,
    );
  const rowBytes = rowPacked + blocks * 4 * (w.zeroPoints ? 2 : 1);
  const per = Math.max(1, Math.floor(maxBindingBytes / rowBytes));
  const pieces: LinearPiece[] = [];
  for (let offset = 0; offset < N; offset += per) {
    const rows = Math.min(per, N - offset);
    const scalesAt = (rows * rowPacked) / 4;
    const zerosAt = w.zeroPoints ? scalesAt + rows * blocks : null;
    const words = new Uint32Array(scalesAt + rows * blocks * (w.zeroPoints ? 2 : 1));
    new Uint8Array(words.buffer, 0, rows * rowPacked).set(
      w.packed.subarray(offset * rowPacked, (offset + rows) * rowPacked),
    );
    const floats = new Float32Array(words.buffer);
    floats.set(w.scales.subarray(offset * blocks, (offset + rows) * blocks), scalesAt);
    if (w.zeroPoints && zerosAt !== null) {
      const zpStride = Math.ceil(blocks / 2);
      for (let n = 0; n < rows; n++) {
        for (let b = 0; b < blocks; b++) {
          const byte = w.zeroPoints[(offset + n) * zpStride + (b >> 1)]!;
          floats[zerosAt + n * blocks + b] = b & 1 ? byte >> 4 : byte & 0x0f;
        }
      }
    }
    pieces.push({ buffer: make(words), rows, offset });
  }
  return {
    format: 'q4',
    N,
    K,
    q4: { blockSize: w.blockSize, zeros: w.zeroPoints !== null },
    pieces,
  };
}

/** The q4 layout of one piece (its scales follow its own packed rows). */
export function pieceQ4(linear: GpuLinear, piece: LinearPiece): Q4Layout | null {
  if (!linear.q4) return null;
  const blocks = Math.ceil(linear.K / linear.q4.blockSize);
  const scalesAt = (piece.rows * blocks * linear.q4.blockSize) / 8;
  return {
    blockSize: linear.q4.blockSize,
    scalesAt,
    zerosAt: linear.q4.zeros ? scalesAt + piece.rows * blocks : null,
  };
}
