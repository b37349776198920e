/**
 * A seeded PRNG: xoshiro128** (Blackman & Vigna, 2018) with its state filled by a
 * splitmix32-style mixer. Every step is 32-bit integer math (`Math.imul`, shifts, `>>> 0`),
 * which ECMAScript defines exactly, so one seed gives one stream on every JS engine.
 * Not for cryptography.
 */
export interface Rng {
  /** A uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform float in [0, 1): a 32-bit draw divided by 2^32, so never 1. */
  next(): number;
}

const TWO_POW_32 = 4294967296;
const GOLDEN = 0x9e3779b9;

/** Murmur3's finalizer: a bijection on 32-bit words with full avalanche. */
function fmix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * `seed` is any safe integer (negative and > 2^32 included); `stream` picks an independent
 * sequence for the same seed, e.g. one per batch row.
 */
export function createRng(seed: number, stream = 0): Rng {
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`RNG seed must be a safe integer, got ${seed}`);
  if (!Number.isSafeInteger(stream) || stream < 0 || stream >= TWO_POW_32) {
    throw new RangeError(`RNG stream must be an integer in [0, 2^32), got ${stream}`);
  }
  // ToUint32 is exact for safe integers; dividing by 2^32 is exact in binary floating point.
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  // Each word is a bijection of one input, so distinct (seed, stream) give distinct states,
  // and s0 and s1 cannot both be zero: the all-zero state xoshiro must avoid never occurs.
  let s0 = fmix32(lo + GOLDEN);
  let s1 = fmix32(lo + 2 * GOLDEN);
  let s2 = fmix32(hi + GOLDEN);
  let s3 = fmix32(stream + 3 * GOLDEN);

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return { nextUint32, next: () => nextUint32() / TWO_POW_32 };
}
