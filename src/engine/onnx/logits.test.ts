import { describe, expect, it } from 'vitest';
import { float16Value } from '../float16.ts';
import { lastPositionRows } from './logits.ts';
import { ort } from '../ort-node.node.ts';

// IEEE 754 binary16 bit patterns and their exact values.
const HALVES: Array<[number, number]> = [
  [0x3c00, 1],
  [0xc000, -2],
  [0x3555, 0.333251953125],
  [0x7bff, 65504], // largest finite
  [0x0400, 2 ** -14], // smallest normal
  [0x0001, 2 ** -24], // smallest subnormal
  [0x8000, -0],
  [0x7c00, Infinity],
  [0xfc00, -Infinity],
];

describe('logits of the last position', () => {
  it('takes each row of a float32 [batch, seq, vocab] at its last position', () => {
    // batch 2, seq 3, vocab 4: value = 100·b + 10·s + v
    const data = Float32Array.from({ length: 24 }, (_, i) => {
      const [b, s, v] = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
      return 100 * b + 10 * s + v;
    });
    const { logits, vocab } = lastPositionRows(data, 'float32', [2, 3, 4]);
    expect(vocab).toBe(4);
    expect([...logits]).toEqual([20, 21, 22, 23, 120, 121, 122, 123]);
  });

  it('converts float16 bits (Uint16Array, what onnxruntime gives without Float16Array)', () => {
    for (const [bits, value] of HALVES) expect(Object.is(float16Value(bits), value)).toBe(true);
    expect(float16Value(0x7e00)).toBeNaN();
    // A real onnxruntime float16 tensor, read back the way CausalLm reads logits.
    const bits = Uint16Array.from(HALVES.map(([b]) => b));
    const tensor = new ort.Tensor('float16', bits, [1, 1, bits.length]);
    const data = tensor.data;
    const { logits } = lastPositionRows(data, tensor.type, [1, 1, bits.length]);
    expect([...logits]).toEqual(HALVES.map(([, v]) => v));
  });

  // Chromium (≥ 135) gives float16 outputs as a Float16Array; Node 20 has none, so this
  // runs only on a runtime that has one (the e2e suite covers Chromium).
  const F16 = (globalThis as { Float16Array?: new (values: number[]) => unknown }).Float16Array;
  it.skipIf(F16 === undefined)('reads a Float16Array of values', () => {
    if (!F16) return;
    const values = HALVES.map(([, v]) => v);
    const { logits } = lastPositionRows(new F16(values), 'float16', [1, 1, values.length]);
    expect([...logits]).toEqual(values);
  });

  it('refuses data that does not match its type, and a shape that is not [batch, seq, vocab]', () => {
    expect(() => lastPositionRows(new Float32Array(4), 'float16', [1, 1, 4])).toThrow(
      /float16 data in a Float32Array/,
    );
    expect(() => lastPositionRows(new Int32Array(4), 'int32', [1, 1, 4])).toThrow(/Unsupported/);
    expect(() => lastPositionRows(new Float32Array(4), 'float32', [1, 4])).toThrow(/shape/);
  });
});
