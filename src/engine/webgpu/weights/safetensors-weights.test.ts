// model.safetensors as make-model writes it (F32), and the same parameters stored as F16 and
// BF16, read through openWeights: torch layout as stored, views where aligned, BF16 widened.

import { describe, expect, test } from 'vitest';
import { concatChunks } from '../../../../scripts/make-model/chunks.ts';
import { DEFAULT_SEED, resolveSpec } from '../../../../scripts/make-model/model-spec.ts';
import { safetensorsChunks } from '../../../../scripts/make-model/safetensors-writer.ts';
import { planParameters, WeightSource } from '../../../../scripts/make-model/weights.ts';
import { AppError } from '../../../shared/errors.ts';
import { float16Bits, float16Value } from '../../float16.ts';
import { openWeights } from './open-weights.ts';

const dims = resolveSpec({ preset: 'tiny' }).dims;
const source = new WeightSource(dims, DEFAULT_SEED);
const plans = planParameters(dims);

const bf16Bits = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0]! >>> 16;
const bf16Value = (bits: number): number => new Float32Array(Uint32Array.of(bits << 16).buffer)[0]!;

/** A safetensors file of every parameter in one 2-byte dtype. */
function halfFile(dtype: 'F16' | 'BF16'): Uint8Array {
  const toBits = dtype === 'F16' ? float16Bits : bf16Bits;
  const header: Record<string, unknown> = {};
  const parts: Uint16Array[] = [];
  let offset = 0;
  for (const p of plans) {
    const bits = Uint16Array.from(source.values(p.name), toBits);
    header[p.name] = { dtype, shape: p.shape, data_offsets: [offset, offset + bits.byteLength] };
    offset += bits.byteLength;
    parts.push(bits);
  }
  // Odd header length: every tensor lands on an odd byte, so nothing can be a view.
  let json = JSON.stringify(header);
  if (json.length % 2 === 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const bits of parts) {
    out.set(new Uint8Array(bits.buffer), at);
    at += bits.byteLength;
  }
  return out;
}

function vectorAndMatrixNames(): { matrices: string[]; vectors: string[] } {
  const matrices = plans.filter((p) => p.shape.length === 2).map((p) => p.name);
  const vectors = plans.filter((p) => p.shape.length === 1).map((p) => p.name);
  return { matrices, vectors };
}

/** Bit-for-bit equality (toEqual is slow on 100k-element typed arrays). */
function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

function expectBadModel(fn: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('bad-model');
  expect((error as AppError).message).toMatch(message);
}

describe('model.safetensors', () => {
  const f32 = concatChunks(safetensorsChunks(source));

  test('F32: every parameter as written, as views of the file', () => {
    const w = openWeights(f32, 'model.safetensors', dims.n_layer);
    expect(w.description).toBe('model.safetensors: float32');
    expect(w.layerNormEpsilon).toBeNull();
    const { matrices, vectors } = vectorAndMatrixNames();
    for (const name of matrices) {
      const want = source.values(name);
      const got =
        name === 'transformer.wte.weight' ? w.embedding() : w.linear(name.replace(/\.weight$/, ''));
      if (!('format' in got) || got.format !== 'f32') throw new Error(`${name}: expected f32`);
      expect(got.data.buffer).toBe(f32.buffer); // the writer pads the header to 8 bytes
      expect(sameBits(got.data, want)).toBe(true);
      const [rows, cols] = planParameters(dims).find((p) => p.name === name)!.shape;
      expect([got.rows, got.cols]).toEqual([rows, cols]);
    }
    for (const name of vectors) {
      expect(w.hasVector(name)).toBe(true);
      expect(w.vector(name)).toEqual(source.values(name));
    }
    expect(w.hasVector('transformer.h.0.attn.qkv_proj.bias')).toBe(false);
  });

  test('F16 kept as float16 bits; BF16 widened to float32', () => {
    const f16File = halfFile('F16');
    const f16 = openWeights(f16File, 'model.safetensors', dims.n_layer);
    const bf16 = openWeights(halfFile('BF16'), 'model.safetensors', dims.n_layer);
    expect(f16.description).toMatch(/float16/);
    expect(bf16.description).toMatch(/bfloat16/);
    const module = 'transformer.h.1.mlp.fc_out';
    const want = source.values(`${module}.weight`);
    const a = f16.linear(module);
    if (a.kind !== 'dense' || a.format !== 'f16') throw new Error('expected dense f16');
    expect(sameBits(a.data, Uint16Array.from(want, float16Bits))).toBe(true);
    expect(a.data.buffer).not.toBe(f16File.buffer); // odd offsets: copied, not viewed
    const b = bf16.linear(module);
    if (b.kind !== 'dense' || b.format !== 'f32') throw new Error('expected dense f32');
    expect(
      sameBits(
        b.data,
        Float32Array.from(want, (v) => bf16Value(bf16Bits(v))),
      ),
    ).toBe(true);
    const bias = source.values('lm_head.bias');
    const f16Bias = Float32Array.from(bias, (v) => float16Value(float16Bits(v)));
    expect(sameBits(f16.vector('lm_head.bias'), f16Bias)).toBe(true);
    const bf16Bias = Float32Array.from(bias, (v) => bf16Value(bf16Bits(v)));
    expect(sameBits(bf16.vector('lm_head.bias'), bf16Bias)).toBe(true);
    expect(f16.embedding().format).toBe('f16');
  });

  test('a truncated file', () => {
    expectBadModel(
      () => openWeights(f32.slice(0, f32.length - 100), 'model.safetensors', 2),
      /does not fit the file/,
    );
    expectBadModel(() => openWeights(f32.slice(0, 4), 'model.safetensors', 2), /could not be read/);
  });

  test('a config with more layers than the checkpoint', () => {
    expectBadModel(
      () => openWeights(f32, 'model.safetensors', 3),
      /not a CodeGen checkpoint of 3 layers: it has no transformer\.h\.2\.attn\.qkv_proj\.weight/,
    );
  });
});
