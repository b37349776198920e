import { AppError } from '../../shared/errors.ts';
import { float16Value } from '../float16.ts';

/**
 * A float16 tensor's data as onnxruntime-web hands it out: a `Float16Array` of values where
 * the JavaScript engine has one (Chrome ≥ 135), else a `Uint16Array` of IEEE 754 half bits.
 * TypeScript's ES2023 lib has no Float16Array type, so this is its shape as used here.
 */
interface Float16ArrayLike {
  readonly length: number;
  readonly [Symbol.toStringTag]: 'Float16Array';
  subarray(begin: number, end: number): Float16ArrayLike;
}

/** Bytes per element of a floating-point logits tensor; null for a dtype we cannot read. */
export function logitsElementBytes(type: string): 4 | 2 | null {
  if (type === 'float32') return 4;
  if (type === 'float16') return 2;
  return null;
}

/**
 * logits [batch, seq, vocab] → the last position of each row, [batch, vocab], as float32.
 * Pure over the typed array so both float16 representations can be tested without a
 * session (Node 20 has no Float16Array: that branch is exercised in Chromium).
 */
export function lastPositionRows(
  data: unknown,
  type: string,
  dims: readonly number[],
): { logits: Float32Array; vocab: number } {
  const [batch = 0, seq = 0, vocab = 0] = dims;
  if (dims.length !== 3 || seq < 1) {
    throw new AppError(
      'bad-model',
      `Logits have shape [${dims.join(', ')}], expected [batch, seq, vocab].`,
    );
  }
  const out = new Float32Array(batch * vocab);
  for (let b = 0; b < batch; b++) {
    const from = (b * seq + seq - 1) * vocab;
    copyAsFloat32(data, type, from, vocab, out, b * vocab);
  }
  return { logits: out, vocab };
}

/** Copies `count` elements from `data[from…]` into `out[at…]`, converting float16 to float32. */
function copyAsFloat32(
  data: unknown,
  type: string,
  from: number,
  count: number,
  out: Float32Array,
  at: number,
): void {
  if (type === 'float32' && data instanceof Float32Array) {
    out.set(data.subarray(from, from + count), at);
  } else if (type === 'float16' && data instanceof Uint16Array) {
    for (let i = 0; i < count; i++) out[at + i] = float16Value(data[from + i] ?? 0);
  } else if (type === 'float16' && isFloat16Array(data)) {
    // TypedArray.prototype.set converts element by element between numeric types, which
    // is exact from float16 to float32.
    out.set(data.subarray(from, from + count) as unknown as ArrayLike<number>, at);
  } else {
    const kind = Object.prototype.toString.call(data).slice(8, -1);
    throw new AppError('bad-model', `Unsupported logits: ${type} data in a ${kind}.`, {
      hint: 'Pick an fp32 or fp16 export of the model.',
    });
  }
}

function isFloat16Array(data: unknown): data is Float16ArrayLike {
  const ctor = (globalThis as { Float16Array?: abstract new (...args: never[]) => unknown })
    .Float16Array;
  return ctor !== undefined && data instanceof ctor;
}
