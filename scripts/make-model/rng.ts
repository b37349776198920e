// Seeded, order-independent weight generation: every tensor gets its own
// xoshiro128** stream derived from (seed, tensor name), so any file can
// regenerate any tensor on demand without holding the whole model in memory.

/** FNV-1a over UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** splitmix32 step: a well-mixed 32-bit value from a counter. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Fills `out` with mean + std * (approximately standard normal) values:
 * Irwin–Hall sum of 4 uniforms, centred and scaled to unit variance.
 * Cheap (no log/sin) and bounded at ±2√3·std, which keeps quantization ranges tame.
 */
export function fillNormalish(
  out: Float32Array,
  seed: number,
  name: string,
  std: number,
  mean = 0,
): void {
  let s0 = splitmix32(seed ^ fnv1a(name));
  let s1 = splitmix32(s0 ^ 0x6a09e667);
  let s2 = splitmix32(s1 ^ 0xbb67ae85);
  let s3 = splitmix32(s2 ^ 0x3c6ef372);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const k = std * Math.sqrt(3) * 2 ** -32;
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let j = 0; j < 4; j++) {
      // xoshiro128** (Blackman & Vigna)
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      sum += r;
    }
    out[i] = mean + (sum - 2 * 2 ** 32) * k;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
