import { describe, expect, test } from 'vitest';
import { MP_NUM, selfAttention, splitQkv } from './attention.ts';
import { defaultPositionIds } from './forward.ts';
import { geluNewInPlace, layerNorm, linear } from './ops.ts';
import { applyRotaryInPlace, interleavePairs, sinusoidalPositions } from './rotary.ts';

describe('reference ops', () => {
  test('layerNorm normalises each row, then scales and shifts', () => {
    const out = layerNorm(
      Float32Array.from([1, 2, 3, 4, 10, 10, 10, 10]),
      2,
      4,
      Float32Array.from([1, 1, 2, 2]),
      new Float32Array(4).fill(0.5),
      1e-5,
    );
    const inv = 1 / Math.sqrt(1.25 + 1e-5);
    expect(out[0]).toBeCloseTo(-1.5 * inv + 0.5, 6);
    expect(out[3]).toBeCloseTo(2 * 1.5 * inv + 0.5, 6);
    expect(out[5]).toBeCloseTo(0.5, 6); // constant row
  });

  test('linear uses the torch [out, in] layout', () => {
    const y = linear(
      Float32Array.from([1, 2]),
      1,
      Float32Array.from([1, 0, 0, 1, 1, 1]),
      3,
      Float32Array.from([0, 0, 10]),
    );
    expect([...y]).toEqual([1, 2, 13]);
  });

  test('gelu_new values', () => {
    const y = geluNewInPlace(Float32Array.from([0, 1, -1, 3]));
    expect(y[0]).toBe(0);
    expect(y[1]).toBeCloseTo(0.841192, 5);
    expect(y[2]).toBeCloseTo(-0.158808, 5);
    expect(y[3]).toBeCloseTo(2.996363, 5);
  });
});

describe('CodeGen attention specifics', () => {
  test('fused qkv: per shard query, VALUE, key', () => {
    const nHead = 8; // 2 heads per shard
    const headDim = 2;
    const E = nHead * headDim;
    const qkv = Float32Array.from({ length: 3 * E }, (_, i) => i);
    const { q, k, v } = splitQkv(qkv, 1, nHead, headDim);
    const local = E / MP_NUM; // 4
    // head 3 = shard 1, second head in the shard
    const base = 1 * 3 * local + 1 * headDim;
    expect([q[3 * headDim], v[3 * headDim], k[3 * headDim]]).toEqual([
      base,
      base + local,
      base + 2 * local,
    ]);
  });

  test('rotary: identity at position 0, rotates interleaved pairs, leaves dims past rotary_dim', () => {
    const table = sinusoidalPositions(8, 4);
    const x = Float32Array.from([1, 0, 1, 0, 5, 6]); // one head, head_dim 6, rotary_dim 4
    const at0 = x.slice();
    applyRotaryInPlace(at0, [0], 1, 6, 4, table);
    expect([...at0]).toEqual([...x]);
    const at3 = x.slice();
    applyRotaryInPlace(at3, [3], 1, 6, 4, table);
    // pair 0: angle 3 * 1; pair 1: angle 3 * 1/100 (inv_freq = 10000^(-2/4))
    expect(at3[0]).toBeCloseTo(Math.cos(3), 6);
    expect(at3[1]).toBeCloseTo(Math.sin(3), 6);
    expect(at3[2]).toBeCloseTo(Math.cos(0.03), 6);
    expect(at3[3]).toBeCloseTo(Math.sin(0.03), 6);
    expect([at3[4], at3[5]]).toEqual([5, 6]);
    expect([...interleavePairs(Float32Array.from([1, 2]), 2)]).toEqual([1, 1, 2, 2]);
  });

  test('causal + padding mask: a padded key is invisible, a fully padded query averages all keys', () => {
    const nHead = 4;
    const headDim = 2;
    const qkv = Float32Array.from({ length: 3 * 3 * nHead * headDim }, (_, i) => Math.sin(i));
    const table = sinusoidalPositions(8, 2);
    const masked = selfAttention(qkv, 3, nHead, headDim, 2, [0, 0, 1], [0, 1, 1], table);
    // Query 0 sees no key (itself padded): uniform average of all values, as HF's finfo.min mask.
    const { v } = splitQkv(qkv, 3, nHead, headDim);
    for (let d = 0; d < nHead * headDim; d++) {
      const mean = (v[d]! + v[nHead * headDim + d]! + v[2 * nHead * headDim + d]!) / 3;
      expect(masked[d]).toBeCloseTo(mean, 6);
    }
    // Changing the padded token's value must not change the real positions' output.
    const perturbed = qkv.slice();
    for (let i = 0; i < 3 * nHead * headDim; i++) perturbed[i] = perturbed[i]! + 1; // token 0's q, v, k
    const again = selfAttention(perturbed, 3, nHead, headDim, 2, [0, 0, 1], [0, 1, 1], table);
    expect([...again.subarray(nHead * headDim)]).toEqual([...masked.subarray(nHead * headDim)]);
  });

  test('default position ids for left padding', () => {
    expect(defaultPositionIds([0, 0, 1, 1, 1])).toEqual([0, 0, 0, 1, 2]);
  });
});
