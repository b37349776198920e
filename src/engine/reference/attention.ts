// CodeGen self-attention core (everything between qkv_proj and out_proj).

import { applyRotaryInPlace } from './rotary.ts';
import { softmaxInPlace } from './ops.ts';

/** CodeGen was trained on 4 TPU cores: the fused qkv output is laid out per core. */
export const MP_NUM = 4;

/**
 * Splits the fused projection. qkv: [seq, 3E] viewed as [seq, MP_NUM, 3 * E/MP_NUM];
 * each core's slice holds query, VALUE, key (in that order), each [n_head/MP_NUM, head_dim].
 * Returns q, k, v each [seq, n_head, head_dim].
 */
export function splitQkv(
  qkv: Float32Array,
  seq: number,
  nHead: number,
  headDim: number,
): { q: Float32Array; k: Float32Array; v: Float32Array } {
  const embd = nHead * headDim;
  const local = embd / MP_NUM;
  const headsPerCore = nHead / MP_NUM;
  const q = new Float32Array(seq * embd);
  const k = new Float32Array(seq * embd);
  const v = new Float32Array(seq * embd);
  for (let s = 0; s < seq; s++) {
    for (let h = 0; h < nHead; h++) {
      const core = Math.floor(h / headsPerCore);
      const base = s * 3 * embd + core * 3 * local + (h % headsPerCore) * headDim;
      const dst = (s * nHead + h) * headDim;
      for (let d = 0; d < headDim; d++) {
        q[dst + d] = qkv[base + d]!;
        v[dst + d] = qkv[base + local + d]!;
        k[dst + d] = qkv[base + 2 * local + d]!;
      }
    }
  }
  return { q, k, v };
}

/**
 * qkv: [seq, 3E] → attention output with heads merged, [seq, E].
 * Query i may see key j iff j <= i (causal over the sequence index) and mask[j] == 1.
 * A query that sees nothing (a left-pad position) gets the uniform average over all
 * keys, which is what HF's additive finfo.min mask degenerates to.
 */
export function selfAttention(
  qkv: Float32Array,
  seq: number,
  nHead: number,
  headDim: number,
  rotaryDim: number,
  positions: ArrayLike<number>,
  mask: ArrayLike<number>,
  table: { sin: Float32Array; cos: Float32Array },
): Float32Array {
  const { q, k, v } = splitQkv(qkv, seq, nHead, headDim);
  applyRotaryInPlace(q, positions, nHead, headDim, rotaryDim, table);
  applyRotaryInPlace(k, positions, nHead, headDim, rotaryDim, table);
  const scale = Math.sqrt(headDim);
  const out = new Float32Array(seq * nHead * headDim);
  const probs = new Float64Array(seq);
  for (let h = 0; h < nHead; h++) {
    for (let i = 0; i < seq; i++) {
      const qo = (i * nHead + h) * headDim;
      let anyVisible = false;
      for (let j = 0; j < seq; j++) {
        if (j > i || mask[j] === 0) {
          probs[j] = -Infinity;
          continue;
        }
        anyVisible = true;
        const ko = (j * nHead + h) * headDim;
        let dot = 0;
        for (let d = 0; d < headDim; d++) dot += q[qo + d]! * k[ko + d]!;
        probs[j] = dot / scale;
      }
      if (anyVisible) softmaxInPlace(probs);
      else probs.fill(1 / seq);
      for (let d = 0; d < headDim; d++) {
        let acc = 0;
        for (let j = 0; j < seq; j++) acc += probs[j]! * v[(j * nHead + h) * headDim + d]!;
        out[qo + d] = acc;
      }
    }
  }
  return out;
}
