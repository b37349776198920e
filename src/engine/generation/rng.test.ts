import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';

// An independent reference in BigInt arithmetic (mod 2^32), so the Math.imul/shift version
// is checked against plain integer math rather than against itself.
const M = (1n << 32n) - 1n;
const mul = (a: bigint, b: bigint): bigint => (a * b) & M;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
function fmix(x: bigint): bigint {
  let z = x & M;
  z = mul(z ^ (z >> 16n), 0x85ebca6bn);
  z = mul(z ^ (z >> 13n), 0xc2b2ae35n);
  return z ^ (z >> 16n);
}
function referenceStream(seed: number, stream: number, count: number): number[] {
  const s = BigInt(seed);
  const lo = ((s % (1n << 32n)) + (1n << 32n)) % (1n << 32n);
  const hi = ((s - lo) / (1n << 32n)) & M; // floor division, as for negative seeds
  const g = 0x9e3779b9n;
  let [s0, s1, s2, s3] = [
    fmix(lo + g),
    fmix(lo + 2n * g),
    fmix(hi + g),
    fmix(BigInt(stream) + 3n * g),
  ];
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number(mul(rotl(mul(s1, 5n), 7n), 9n)));
    const t = (s1 << 9n) & M;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11n);
  }
  return out;
}

function draws(seed: number, stream: number, count: number): number[] {
  const rng = createRng(seed, stream);
  return Array.from({ length: count }, () => rng.nextUint32());
}

describe('createRng', () => {
  it('matches a BigInt reference of xoshiro128** for assorted seeds and streams', () => {
    const cases: Array<[number, number]> = [
      [0, 0],
      [1, 0],
      [42, 7],
      [-1, 0],
      [-123456789, 3],
      [2 ** 32, 0],
      [Number.MAX_SAFE_INTEGER, 1],
      [Number.MIN_SAFE_INTEGER, 2],
    ];
    for (const [seed, stream] of cases) {
      expect(draws(seed, stream, 500)).toEqual(referenceStream(seed, stream, 500));
    }
  });

  it('is a pure function of (seed, stream)', () => {
    expect(draws(1234, 0, 100)).toEqual(draws(1234, 0, 100));
    expect(draws(1234, 0, 100)).not.toEqual(draws(1235, 0, 100));
    expect(draws(1234, 0, 100)).not.toEqual(draws(1234, 1, 100));
    // Seeds 2^32 apart differ: the high word is not dropped.
    expect(draws(5, 0, 10)).not.toEqual(draws(5 + 2 ** 32, 0, 10));
  });

  it('next() lies in [0, 1) and is close to uniform', () => {
    const rng = createRng(99);
    const bins = new Array<number>(20).fill(0);
    const n = 100_000;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outOfRange++;
      const b = Math.floor(x * bins.length);
      bins[b] = (bins[b] ?? 0) + 1;
    }
    expect(outOfRange).toBe(0);
    const expected = n / bins.length;
    const chi2 = bins.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: the 99.9th percentile is about 43.8.
    expect(chi2).toBeLessThan(43.8);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(() => createRng(2 ** 53)).toThrow(RangeError);
    expect(() => createRng(0, -1)).toThrow(RangeError);
  });
});
