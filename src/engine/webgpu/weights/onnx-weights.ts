// CodeGen's parameters out of an ONNX export (onnx/model*.onnx or the merged decoder, in
// fp32, fp16, q4 or q4f16), built one tensor at a time when the uploader asks for it.
// onnx-codegen-map.ts decides which tensor is which; this file turns them into the layouts of
// weights/types.ts: MatMul's B [K, N] transposed to [N, K], MatMulNBits kept as stored.

import { AppError } from '../../../shared/errors.ts';
import type { CodegenOnnxMap, LinearRef } from './onnx-codegen-map.ts';
import { floatFormat, mapCodegenGraph, UNSUPPORTED_HINT } from './onnx-codegen-map.ts';
import type { OnnxTensor } from './onnx-reader.ts';
import { readOnnxModel, tensorData } from './onnx-reader.ts';
import { float32View, toFloat32, transposed, uint16View } from './tensor-data.ts';
import type { FloatFormat } from './tensor-data.ts';
import type { CodegenWeightSource, DenseMatrix, LinearWeight } from './types.ts';

/** Reads the graph of `bytes` (the file at `path`) and maps it for a CodeGen of `nLayer` layers. */
export function openOnnxWeights(
  bytes: Uint8Array,
  path: string,
  nLayer: number,
): CodegenWeightSource {
  const model = readOnnxModel(bytes, path);
  return new OnnxWeightSource(mapCodegenGraph(model, nLayer, path), path);
}

const FORMAT_WORDS: Record<FloatFormat, string> = {
  f32: 'float32',
  f16: 'float16',
  bf16: 'bfloat16',
};

class OnnxWeightSource implements CodegenWeightSource {
  readonly description: string;
  readonly layerNormEpsilon: number | null;

  constructor(
    private readonly map: CodegenOnnxMap,
    private readonly path: string,
  ) {
    this.layerNormEpsilon = map.layerNormEpsilon;
    this.description = `${path}: ${describe(map)}`;
  }

  linear(module: string): LinearWeight {
    const ref = this.map.linears.get(module);
    if (!ref) throw this.missing(`linear layer ${module}`);
    return ref.kind === 'q4' ? this.q4(ref) : { kind: 'dense', ...this.dense(ref) };
  }

  vector(name: string): Float32Array {
    const t = this.map.vectors.get(name);
    if (!t) throw this.missing(`parameter ${name}`);
    return toFloat32(tensorData(t, this.path), this.format(t));
  }

  hasVector(name: string): boolean {
    return this.map.vectors.has(name);
  }

  embedding(): DenseMatrix {
    const t = this.map.embedding;
    const [rows, cols] = t.dims as [number, number];
    return matrix(tensorData(t, this.path), this.format(t), rows, cols);
  }

  private dense(ref: Extract<LinearRef, { kind: 'dense' }>): DenseMatrix {
    const { rows, cols } = ref;
    const stored = matrix(tensorData(ref.weight, this.path), this.format(ref.weight), cols, rows);
    if (ref.stored === 'NK') return { ...stored, rows, cols };
    // MatMul's B is [K, N]; the kernels want nn.Linear's [N, K].
    return stored.format === 'f32'
      ? {
          format: 'f32',
          rows,
          cols,
          data: transposed(stored.data, cols, rows, (n) => new Float32Array(n)),
        }
      : {
          format: 'f16',
          rows,
          cols,
          data: transposed(stored.data, cols, rows, (n) => new Uint16Array(n)),
        };
  }

  private q4(ref: Extract<LinearRef, { kind: 'q4' }>): LinearWeight {
    return {
      kind: 'q4',
      rows: ref.rows,
      cols: ref.cols,
      blockSize: ref.blockSize,
      packed: tensorData(ref.packed, this.path),
      scales: toFloat32(tensorData(ref.scales, this.path), this.format(ref.scales)),
      zeroPoints: ref.zeroPoints ? tensorData(ref.zeroPoints, this.path) : null,
    };
  }

  private format(t: OnnxTensor): FloatFormat {
    const format = floatFormat(t.dataType);
    if (format === null)
      throw new AppError('bad-model', `${this.path}: tensor ${t.name} is not a float tensor.`);
    return format;
  }

  private missing(what: string): AppError {
    return new AppError('bad-model', `${this.path} has no ${what}.`, { hint: UNSUPPORTED_HINT });
  }
}

/** [rows, cols] in the file's float format; bfloat16 is widened (the kernels read f32 or f16). */
function matrix(bytes: Uint8Array, format: FloatFormat, rows: number, cols: number): DenseMatrix {
  if (format === 'f16') return { format: 'f16', rows, cols, data: uint16View(bytes) };
  return {
    format: 'f32',
    rows,
    cols,
    data: format === 'f32' ? float32View(bytes) : toFloat32(bytes, format),
  };
}

/** e.g. "MatMulNBits 4-bit, block 32, float16 scales; embedding float16 (merged decoder)". */
function describe(map: CodegenOnnxMap): string {
  const kinds = new Map<string, number>();
  for (const ref of map.linears.values()) {
    const key =
      ref.kind === 'q4'
        ? `MatMulNBits 4-bit, block ${ref.blockSize}, ${FORMAT_WORDS[floatFormat(ref.scales.dataType)!]} scales`
        : `${FORMAT_WORDS[floatFormat(ref.weight.dataType)!]} MatMul`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  const linears = [...kinds]
    .map(([k, n]) => (kinds.size > 1 ? `${k} (${n} linears)` : k))
    .join(', ');
  const embedding = FORMAT_WORDS[floatFormat(map.embedding.dataType)!];
  return `${linears}; embedding ${embedding}${map.merged ? ' (merged decoder)' : ''}`;
}
