// Pieces every kernel shares: the per-step uniform and how a weight element is read in
// each storage format. Kernels are WGSL text with the model's sizes substituted as
// constants, so the compiler sees fixed loop bounds.

/** The per-step uniform; the TypeScript side writes it in this order (wgsl-lm.ts). */
export const STEP_STRUCT = /* wgsl */ `
struct Step {
  M: u32,     // tokens this step: batch * seq
  S: u32,     // seq: new columns per row
  B: u32,     // batch rows
  past: u32,  // cache columns before this step
  cap: u32,   // cache columns allocated per row
  vocabLimit: u32,
  invT: f32,  // 1 / temperature of the candidates' total
  pad: u32,
}`;

export const STEP_WORDS = 8;

/**
 * A finite stand-in for -infinity: WGSL lets implementations assume floats are finite, so
 * masked scores and logits carry this value and a separate validity test, never -inf.
 */
export const NEG = '-3.0e38';

/** Storage formats of a weight matrix on the GPU. */
export type WeightFormat = 'f32' | 'f16' | 'q4';

/**
 * How a q4 matrix is laid out in its one buffer (u32 words): the packed nibbles of
 * MatMulNBits ([N, kBlocks, blockSize/2] bytes), then the scales [N, kBlocks] as f32 bits,
 * then, when the file has them, the zero points [N, kBlocks] as f32.
 */
export interface Q4Layout {
  blockSize: number;
  scalesAt: number; // word offset of the scales
  zerosAt: number | null; // word offset of the zero points, null: 8 for every block
}

/**
 * WGSL for `fn w8_<buffer>(n, k) -> mat2x4f`: weights n, k..k+7 (k a multiple of 8) as two
 * vec4 columns, so the decode kernel's products are vec4 dot products.
 */
export function loadEight(
  format: WeightFormat,
  K: number,
  q4: Q4Layout | null,
  buffer = 'W',
): string {
  if (format === 'f32') {
    return `fn w8_${buffer}(n: u32, k: u32) -> mat2x4f {
  let o = n * ${K}u + k;
  return mat2x4f(
    vec4f(${buffer}[o], ${buffer}[o + 1u], ${buffer}[o + 2u], ${buffer}[o + 3u]),
    vec4f(${buffer}[o + 4u], ${buffer}[o + 5u], ${buffer}[o + 6u], ${buffer}[o + 7u]));
}`;
  }
  if (format === 'f16') {
    return `fn w8_${buffer}(n: u32, k: u32) -> mat2x4f {
  let o = (n * ${K}u + k) >> 1u;
  return mat2x4f(
    vec4f(unpack2x16float(${buffer}[o]), unpack2x16float(${buffer}[o + 1u])),
    vec4f(unpack2x16float(${buffer}[o + 2u]), unpack2x16float(${buffer}[o + 3u])));
}`;
  }
  if (!q4) throw new Error('q4 weights need their layout');
  const blocks = Math.ceil(K / q4.blockSize);
  const zero = q4.zerosAt === null ? '8.0' : `bitcast<f32>(${buffer}[${q4.zerosAt}u + blk])`;
  return `fn w8_${buffer}(n: u32, k: u32) -> mat2x4f {
  let blk = n * ${blocks}u + k / ${q4.blockSize}u;
  let word = ${buffer}[(blk * ${q4.blockSize / 2}u + (k % ${q4.blockSize}u) / 2u) >> 2u];
  let s = bitcast<f32>(${buffer}[${q4.scalesAt}u + blk]);
  let z = vec4f(${zero});
  let lo = vec4f(vec4u(word, word >> 4u, word >> 8u, word >> 12u) & vec4u(15u));
  let hi = vec4f(vec4u(word >> 16u, word >> 20u, word >> 24u, word >> 28u) & vec4u(15u));
  return mat2x4f((lo - z) * s, (hi - z) * s);
}`;
}

/** WGSL for `fn w1(n, k) -> f32`: one weight (the tiled kernel loads element by element). */
export function loadOne(
  format: WeightFormat,
  K: number,
  q4: Q4Layout | null,
  buffer = 'W',
): string {
  if (format === 'f32')
    return `fn w1_${buffer}(n: u32, k: u32) -> f32 { return ${buffer}[n * ${K}u + k]; }`;
  if (format === 'f16') {
    return `fn w1_${buffer}(n: u32, k: u32) -> f32 {
  let i = n * ${K}u + k;
  return unpack2x16float(${buffer}[i >> 1u])[i & 1u];
}`;
  }
  if (!q4) throw new Error('q4 weights need their layout');
  const blocks = Math.ceil(K / q4.blockSize);
  const zero = q4.zerosAt === null ? '8.0' : `bitcast<f32>(${buffer}[${q4.zerosAt}u + blk])`;
  return `fn w1_${buffer}(n: u32, k: u32) -> f32 {
  let blk = n * ${blocks}u + k / ${q4.blockSize}u;
  let byte = blk * ${q4.blockSize / 2}u + (k % ${q4.blockSize}u) / 2u;
  let q = (${buffer}[byte >> 2u] >> ((byte & 3u) * 8u + (k & 1u) * 4u)) & 15u;
  return (f32(q) - ${zero}) * bitcast<f32>(${buffer}[${q4.scalesAt}u + blk]);
}`;
}

/** The element type a weight buffer is declared with. */
export function storageType(format: WeightFormat): string {
  return format === 'f32' ? 'f32' : 'u32';
}

/** gelu_new (GPT-2's tanh form); tanh's argument is clamped where tanh is already ±1 in f32. */
export const GELU = /* wgsl */ `
fn gelu(v: f32) -> f32 {
  let u = 0.7978845608028654 * (v + 0.044715 * v * v * v);
  return 0.5 * v * (1.0 + tanh(clamp(u, -15.0, 15.0)));
}`;

/**
 * WGSL for workgroup-wide reductions over `size` invocations (a power of two) through one
 * shared scratch array: `fn workgroupSum(v, lid) -> f32` and `fn workgroupMax(v, lid) -> f32`.
 * Every invocation must call them (they hold barriers) and gets the result.
 */
export function workgroupReductions(size: number): string {
  const reduce = (name: string, combine: string): string => `
fn ${name}(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${size / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] = ${combine}; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}`;
  return `var<workgroup> red: array<f32, ${size}>;
${reduce('workgroupSum', 'red[lid] + red[lid + s]')}
${reduce('workgroupMax', 'max(red[lid], red[lid + s])')}`;
}
