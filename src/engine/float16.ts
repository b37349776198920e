// IEEE 754 binary16 conversions (Node 20 has neither Float16Array nor Math.f16round): the
// engine reads float16 logits with them, and the model generator and its tests write and read
// float16 ONNX initializers.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 value → binary16 bits, round to nearest even (numpy.float16, x86 F16C). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf, NaN
  const e = exp - 127 + 15; // binary16 biased exponent
  if (e >= 0x1f) return sign | 0x7c00; // overflow → inf
  if (e <= 0) {
    // Subnormal (or zero): units of 2^-24.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa bumps the exponent, up to inf: still the right rounding.
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** binary16 bits → number (exact). */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** The float16 value nearest to `value`. */
export function roundToFloat16(value: number): number {
  return float16Value(float16Bits(value));
}

/** Raw little-endian binary16 bytes → float32 values. */
export function float16BytesToFloat32(raw: Uint8Array): Float32Array {
  const out = new Float32Array(raw.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = float16Value(raw[2 * i]! | (raw[2 * i + 1]! << 8));
  return out;
}
