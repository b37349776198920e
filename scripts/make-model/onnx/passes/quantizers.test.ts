// The numeric kernels of the dtype passes against hand-computed cases of the onnxruntime
// code they follow (rounding modes, sign of the q4 scale, nibble order, zero points).

import { describe, expect, test } from 'vitest';
import {
  dequantizeBnb4,
  dequantizeMatMulNBits4,
  NF4_VALUES,
} from '../../../../src/engine/reference/dequant.ts';
import { float16Bits, float16Value } from '../../../../src/engine/float16.ts';
import { quantizeBnb4 } from './bnb4.ts';
import { converterFloat16Bits } from './fp16.ts';
import { quantizeBlockwiseQ4 } from './q4.ts';
import { quantize8 } from './q8.ts';

/** B [K, N] with column n = cols[n]. */
function matrix(cols: number[][]): Float32Array {
  const K = cols[0]!.length;
  const N = cols.length;
  const b = new Float32Array(K * N);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) b[k * N + n] = cols[n]![k]!;
  return b;
}

const nibble = (packed: Uint8Array, i: number): number =>
  i & 1 ? packed[i >> 1]! >> 4 : packed[i >> 1]! & 0x0f;

describe('q4 (MLAS symmetric blockwise)', () => {
  test('scale = the larger-magnitude extreme / -8, zero point 8, element k in nibble k%2', () => {
    const col = new Array<number>(32).fill(0);
    col[0] = 0.8; // extreme → q 0
    col[1] = -0.4; // -0.4 / -0.1 + 8 = 12
    const { packed, scales } = quantizeBlockwiseQ4(matrix([col]), 32, 1);
    expect(scales[0]).toBeCloseTo(-0.1, 7);
    expect(nibble(packed, 0)).toBe(0);
    expect(nibble(packed, 1)).toBe(12);
    expect(nibble(packed, 2)).toBe(8); // zero
  });

  test('a tie picks the minimum; the other sign clips at +7 steps', () => {
    const col = new Array<number>(32).fill(0);
    col[0] = 0.5;
    col[1] = -0.5;
    const { packed, scales } = quantizeBlockwiseQ4(matrix([col]), 32, 1);
    expect(scales[0]).toBe(0.0625);
    expect(nibble(packed, 1)).toBe(0);
    expect(nibble(packed, 0)).toBe(15); // 0.5 would need 16
  });

  test('roundf rounds halves away from zero (8.5 → 9)', () => {
    const col = new Array<number>(32).fill(0);
    col[0] = 1; // scale -0.125
    col[1] = -0.0625; // -0.0625 * -8 + 8 = 8.5
    const { packed } = quantizeBlockwiseQ4(matrix([col]), 32, 1);
    expect(nibble(packed, 1)).toBe(9);
  });

  test('layout [N, kBlocks, 16] and scales n-major; dequantizes within half a step or the clip', () => {
    const K = 64;
    const N = 3;
    const cols = Array.from({ length: N }, (_, n) =>
      Array.from({ length: K }, (_, k) => Math.sin(k * 0.37 + n) * (n + 1)),
    );
    const b = matrix(cols);
    const { packed, scales } = quantizeBlockwiseQ4(b, K, N);
    expect(packed).toHaveLength(N * 2 * 16);
    expect(scales).toHaveLength(N * 2);
    const back = dequantizeMatMulNBits4(packed, scales, null, K, N, 32); // [N, K]
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const step = Math.abs(scales[n * 2 + (k >> 5)]!);
        const v = cols[n]![k]!;
        // Half a step, except the opposite sign of the extreme, which clips at 7 steps.
        const bound = Math.max(step / 2, Math.abs(v) - 7 * step);
        expect(Math.abs(back[n * K + k]! - v)).toBeLessThanOrEqual(bound + 1e-6);
      }
    }
  });
});

describe('bnb4 (NF4)', () => {
  test('blocks run over the transposed weight; first value in the high nibble', () => {
    const K = 64;
    const N = 2;
    const cols = [
      Array.from({ length: K }, (_, k) => (k === 0 ? -2 : k === 1 ? 2 : 0)),
      new Array<number>(K).fill(0.5),
    ];
    const { packed, absmax } = quantizeBnb4(matrix(cols), K, N);
    expect([...absmax]).toEqual([2, 0.5]);
    expect(packed[0]).toBe((0 << 4) | 15); // -1 * absmax, +1 * absmax
    expect(packed[1]! >> 4).toBe(7); // 0
    const back = dequantizeBnb4(packed, absmax, K, N, 64); // [N, K]
    expect(back[0]).toBe(-2);
    expect(back[K]).toBe(0.5);
    expect(NF4_VALUES[7]).toBe(0);
  });
});

describe('8-bit per tensor (onnxruntime quantize_data)', () => {
  const w = Float32Array.from([-1, 0.5, 0.25, 2]);
  test('int8 symmetric: scale max|w| / 127, zero point 0', () => {
    const q = quantize8(w, 'int8', true);
    expect(q.scale).toBe(Math.fround(2 / 127));
    expect(q.zeroPoint).toBe(0);
    expect([...q.data]).toEqual([-64, 32, 16, 127]); // -63.5 → -64 (half to even)
  });
  test('uint8 symmetric ([0, 254]): zero point 127', () => {
    const q = quantize8(w, 'uint8', true);
    expect(q.zeroPoint).toBe(127);
    expect(q.data[3]).toBe(254);
  });
  test('uint8 asymmetric: range widened to include 0, zero point round(-rmin / scale)', () => {
    const q = quantize8(w, 'uint8', false);
    expect(q.scale).toBe(Math.fround(3 / 255));
    expect(q.zeroPoint).toBe(85);
    expect(q.data[0]).toBe(0);
    expect(q.data[3]).toBe(255);
  });
});

describe('float16', () => {
  test('round to nearest even, subnormals, overflow', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00); // halfway to 2^16 rounds to inf
    expect(float16Bits(2 ** -25)).toBe(0); // tie → even (0)
    expect(float16Bits(3 * 2 ** -26)).toBe(1);
    expect(float16Value(float16Bits(0.1))).toBe(0.0999755859375);
    expect(float16Bits(-0)).toBe(0x8000);
  });
  test('the converter clamps to ±1e4 and lifts |x| < 1e-7 to ±1e-7 first', () => {
    expect(float16Value(converterFloat16Bits(-3.4028234663852886e38))).toBe(-10000);
    expect(float16Value(converterFloat16Bits(1e-9))).toBe(2 * 2 ** -24);
    expect(converterFloat16Bits(0)).toBe(0);
    expect(float16Value(converterFloat16Bits(-Infinity))).toBe(-Infinity);
  });
});
