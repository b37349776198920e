// CodeGen's parameters out of a Hugging Face model.safetensors: already named and laid out as
// torch keeps them (nn.Linear [N, K]), so each tensor is a view of the file where aligned.
// F32 and F16 are handed out as stored; BF16 is widened to float32 (exact), since float16
// would lose its range.

import { AppError } from '../../../shared/errors.ts';
import { readSafetensorsHeader } from '../../reference/safetensors.ts';
import { codegenLayerNorms, codegenLinears } from './codegen-names.ts';
import { float32View, toFloat32, uint16View } from './tensor-data.ts';
import type { FloatFormat } from './tensor-data.ts';
import type { CodegenWeightSource, DenseMatrix, LinearWeight } from './types.ts';

const HINT = 'Download the file again, or use an ONNX export of the model.';

const FORMATS: Readonly<Record<string, FloatFormat>> = { F32: 'f32', F16: 'f16', BF16: 'bf16' };
const WIDTH: Record<FloatFormat, number> = { f32: 4, f16: 2, bf16: 2 };

interface Entry {
  format: FloatFormat;
  shape: number[];
  bytes: Uint8Array;
}

/**
 * Reads the header of `bytes` (the file at `path`). With `nLayer`, checks that every
 * parameter of a CodeGen of that depth is there, so a wrong file fails before any upload.
 */
export function openSafetensorsWeights(
  bytes: Uint8Array,
  path: string,
  nLayer?: number,
): CodegenWeightSource {
  let header: ReturnType<typeof readSafetensorsHeader>;
  try {
    header = readSafetensorsHeader(bytes);
  } catch (cause) {
    throw new AppError('bad-model', `${path} could not be read: ${String(cause)}`, {
      hint: HINT,
      cause,
    });
  }
  const entries = new Map<string, Entry>();
  const formats = new Set<FloatFormat>();
  for (const [name, e] of header.entries) {
    const format = FORMATS[e.dtype];
    if (!format) continue; // int buffers (e.g. an old causal_mask) are not parameters
    const [begin, end] = e.data_offsets;
    const start = header.dataStart + begin;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * WIDTH[format] || start + (end - begin) > bytes.length) {
      throw new AppError(
        'bad-model',
        `${path}: tensor ${name} does not fit the file (truncated or corrupt).`,
        { hint: HINT },
      );
    }
    entries.set(name, {
      format,
      shape: e.shape,
      bytes: bytes.subarray(start, start + end - begin),
    });
    formats.add(format);
  }
  const required =
    nLayer === undefined
      ? ['transformer.wte.weight', 'lm_head.weight']
      : [
          'transformer.wte.weight',
          ...codegenLinears(nLayer).map((m) => `${m}.weight`),
          ...codegenLayerNorms(nLayer).flatMap((p) => [`${p}.weight`, `${p}.bias`]),
        ];
  const missing = required.filter((n) => !entries.has(n));
  if (missing.length > 0) {
    throw new AppError(
      'bad-model',
      `${path} is not a CodeGen checkpoint${nLayer === undefined ? '' : ` of ${nLayer} layers`}: it has no ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ` and ${missing.length - 6} more` : ''}.`,
      { hint: HINT },
    );
  }
  const words = [...formats].map((f) => ({ f32: 'float32', f16: 'float16', bf16: 'bfloat16' })[f]);
  return new SafetensorsWeightSource(entries, path, `${path}: ${words.join(' + ')}`);
}

class SafetensorsWeightSource implements CodegenWeightSource {
  // config.json records layer_norm_epsilon; the checkpoint does not.
  readonly layerNormEpsilon = null;

  constructor(
    private readonly entries: Map<string, Entry>,
    private readonly path: string,
    readonly description: string,
  ) {}

  linear(module: string): LinearWeight {
    return { kind: 'dense', ...this.matrix(`${module}.weight`) };
  }

  vector(name: string): Float32Array {
    const e = this.entry(name);
    return toFloat32(e.bytes, e.format);
  }

  hasVector(name: string): boolean {
    const e = this.entries.get(name);
    return e !== undefined && e.shape.filter((d) => d !== 1).length <= 1;
  }

  embedding(): DenseMatrix {
    return this.matrix('transformer.wte.weight');
  }

  private matrix(name: string): DenseMatrix {
    const e = this.entry(name);
    if (e.shape.length !== 2)
      throw new AppError('bad-model', `${this.path}: ${name} is not a matrix.`, { hint: HINT });
    const [rows, cols] = e.shape as [number, number];
    if (e.format === 'f16') return { format: 'f16', rows, cols, data: uint16View(e.bytes) };
    const data = e.format === 'f32' ? float32View(e.bytes) : toFloat32(e.bytes, e.format);
    return { format: 'f32', rows, cols, data };
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new AppError('bad-model', `${this.path} has no ${name}.`, { hint: HINT });
    return e;
  }
}
