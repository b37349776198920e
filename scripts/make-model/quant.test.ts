import { describe, expect, test } from 'vitest';
import {
  dequantizeMatMulNBits4,
  dequantizeQ8,
  dynamicQuantizeLinear,
  roundHalfEven,
} from '../../src/engine/reference/dequant.ts';
import { quantizeQ4, quantizeQ8 } from './quant.ts';
import { fillNormalish } from './rng.ts';

describe('q4 blockwise (MatMulNBits layout)', () => {
  test('nibble order: element 2j low, 2j+1 high; zero point of block b in byte b/2', () => {
    const K = 64; // two blocks of 32
    const w = new Float32Array(K);
    for (let k = 0; k < K; k++) w[k] = k < 32 ? k : -(k - 32); // block 0 in [0, 31], block 1 in [-31, 0]
    const q = quantizeQ4(w, 1, K);
    expect(q.packed).toHaveLength(32);
    expect(q.scales).toHaveLength(2);
    expect(q.zeroPoints).toHaveLength(1);
    expect(q.zeroPoints[0]! & 0x0f).toBe(0); // block 0: min 0 → zp 0
    expect(q.zeroPoints[0]! >> 4).toBe(15); // block 1: max 0 → zp 15
    expect(q.packed[0]! & 0x0f).toBe(0); // w[0] = 0
    expect(q.packed[15]! >> 4).toBe(15); // w[31] = 31 → top of range
  });

  test('dequantization error is at most half a step per block', () => {
    const N = 5;
    const K = 96;
    const w = new Float32Array(N * K);
    fillNormalish(w, 7, 'q4', 0.1);
    const q = quantizeQ4(w, N, K);
    const back = dequantizeMatMulNBits4(q.packed, q.scales, q.zeroPoints, K, N, 32);
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const step = q.scales[n * 3 + Math.floor(k / 32)]!;
        expect(Math.abs(back[n * K + k]! - w[n * K + k]!)).toBeLessThanOrEqual(step / 2 + 1e-7);
      }
    }
  });
});

describe('q8', () => {
  test('per-tensor symmetric int8 round trip, stored as MatMul B [K, N]', () => {
    const N = 3;
    const K = 4;
    const w = Float32Array.from([1, -2, 0.5, 0, 0.25, 3, -3, 1, 2, 2, -1, 0.1]);
    const { data, scale } = quantizeQ8(w, N, K);
    expect(scale).toBeCloseTo(3 / 127, 7);
    expect(data[1 * N + 1]).toBe(127); // w[n=1, k=1] = 3
    const back = dequantizeQ8({ data, scale, zeroPoint: 0, K, N });
    for (let i = 0; i < w.length; i++)
      expect(Math.abs(back[i]! - w[i]!)).toBeLessThanOrEqual(scale / 2 + 1e-7);
  });

  test('DynamicQuantizeLinear follows the ONNX spec example', () => {
    const r = dynamicQuantizeLinear(Float32Array.from([0, 2, -3, -2.5, 1.34, 0.5]));
    expect(r.scale).toBeCloseTo(0.0196078, 6);
    expect(r.zeroPoint).toBe(153);
    expect([...r.q]).toEqual([153, 255, 0, 26, 221, 179]);
  });

  test('round half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(roundHalfEven)).toEqual([
      0, 2, 2, -0, -2, 2, -3,
    ]);
  });
});
