// The non-matmul kernels of a CodeGen forward pass: embedding lookup, LayerNorm, the fused
// qkv split + rotary + cache write, and causal attention over the static cache.

import { NEG, STEP_STRUCT, workgroupReductions } from './common.ts';

/** x[m] = wte[ids[m]] for ids in [from, to): the embedding may be split across buffers. */
export function embedShader(E: number, f16: boolean, from: number, to: number): string {
  const read = f16
    ? `unpack2x16float(wte[((id - ${from}u) * ${E}u + e) >> 1u])[e & 1u]`
    : `wte[(id - ${from}u) * ${E}u + e]`;
  return `${STEP_STRUCT}
@group(0) @binding(0) var<uniform> st: Step;
@group(0) @binding(1) var<storage, read> ids: array<u32>;
@group(0) @binding(2) var<storage, read> wte: array<${f16 ? 'u32' : 'f32'}>;
@group(0) @binding(3) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let e = g.x;
  let m = g.y;
  if (m >= st.M || e >= ${E}u) { return; }
  let id = ids[m];
  if (id < ${from}u || id >= ${to}u) { return; }
  x[m * ${E}u + e] = ${read};
}`;
}

/**
 * LayerNorm over rows of x, one workgroup per row, two passes (mean, then the centred
 * variance) as torch computes it. `lastOnly`: row b reads x's row (b + 1) * S - 1, the last
 * position of batch row b, so the final norm and the LM head see only those.
 */
export function layerNormShader(E: number, eps: number, lastOnly: boolean): string {
  return `${STEP_STRUCT}
@group(0) @binding(0) var<uniform> st: Step;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
${workgroupReductions(256)}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * 65535u;
  let rows = ${lastOnly ? 'st.B' : 'st.M'};
  if (row >= rows) { return; }
  let src = (${lastOnly ? '(row + 1u) * st.S - 1u' : 'row'}) * ${E}u;
  var s = 0.0;
  for (var e = lid; e < ${E}u; e += 256u) { s += x[src + e]; }
  let mean = workgroupSum(s, lid) / ${E}.0;
  var v = 0.0;
  for (var e = lid; e < ${E}u; e += 256u) { let d = x[src + e] - mean; v += d * d; }
  let inv = 1.0 / sqrt(workgroupSum(v, lid) / ${E}.0 + ${eps.toExponential()});
  for (var e = lid; e < ${E}u; e += 256u) {
    y[row * ${E}u + e] = (x[src + e] - mean) * inv * gamma[e] + beta[e];
  }
}`;
}

export interface AttentionShape {
  E: number;
  H: number;
  D: number;
  rotaryDim: number;
  /** Cache element: f32, or float16 pairs packed in u32 (no shader-f16 needed). */
  kvF16: boolean;
  /** Rows of the rotary table (n_positions). */
  positions: number;
}

/**
 * Splits the fused qkv projection (CodeGen's mp_num = 4 layout: each of 4 slices holds
 * query, value, key of its heads), rotates the first rotaryDim dims of q and k pairwise
 * (GPT-J's rotate_every_two) and writes k and v into the cache at column past + s.
 * One invocation per (token, head, dim pair).
 */
export function qkvRotaryShader(a: AttentionShape): string {
  const { E, H, D } = a;
  const local = E / 4;
  const perCore = H / 4;
  const half = a.rotaryDim / 2;
  const kvType = a.kvF16 ? 'u32' : 'f32';
  const store = a.kvF16
    ? `let w = ((((b * ${H}u + h) * st.cap + col) * ${D}u) >> 1u) + i;
  kc[w] = pack2x16float(vec2f(k0, k1));
  vc[w] = pack2x16float(vec2f(v0, v1));`
    : `let o = ((b * ${H}u + h) * st.cap + col) * ${D}u + 2u * i;
  kc[o] = k0; kc[o + 1u] = k1;
  vc[o] = v0; vc[o + 1u] = v1;`;
  return `${STEP_STRUCT}
@group(0) @binding(0) var<uniform> st: Step;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> pos: array<u32>;
@group(0) @binding(3) var<storage, read> table: array<f32>; // sin [P, half], then cos
@group(0) @binding(4) var<storage, read_write> q: array<f32>;
@group(0) @binding(5) var<storage, read_write> kc: array<${kvType}>;
@group(0) @binding(6) var<storage, read_write> vc: array<${kvType}>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let pairs = ${(H * D) / 2}u;
  if (g.x >= pairs || g.y >= st.M) { return; }
  let m = g.y;
  let h = g.x / ${D / 2}u;
  let i = g.x % ${D / 2}u;
  let b = m / st.S;
  let col = st.past + m % st.S;
  let base = m * ${3 * E}u + (h / ${perCore}u) * ${3 * local}u + (h % ${perCore}u) * ${D}u + 2u * i;
  var q0 = qkv[base];
  var q1 = qkv[base + 1u];
  let v0 = qkv[base + ${local}u];
  let v1 = qkv[base + ${local + 1}u];
  var k0 = qkv[base + ${2 * local}u];
  var k1 = qkv[base + ${2 * local + 1}u];
  if (i < ${half}u) {
    let p = pos[m];
    let sn = table[p * ${half}u + i];
    let cs = table[${a.positions * half}u + p * ${half}u + i];
    let rq0 = q0 * cs - q1 * sn;
    q1 = q1 * cs + q0 * sn;
    q0 = rq0;
    let rk0 = k0 * cs - k1 * sn;
    k1 = k1 * cs + k0 * sn;
    k0 = rk0;
  }
  let qo = m * ${E}u + h * ${D}u + 2u * i;
  q[qo] = q0;
  q[qo + 1u] = q1;
  ${store}
}`;
}

const CHUNK = 64; // cache columns per pass; also the workgroup size

/**
 * softmax(q k^T / sqrt(D)) v for one (head, token) per workgroup, over the row's cache
 * columns 0..past+s that its mask allows, in chunks of 64 with a running max (online
 * softmax), accumulated in f32. A query that may see nothing (a left-pad position) gets
 * zeros: no real token ever reads it.
 */
export function attentionShader(a: AttentionShape): string {
  const { E, H, D } = a;
  const per = Math.ceil(D / CHUNK);
  const key = a.kvF16
    ? (j: string, d: string) => `unpack2x16float(kc[(${j} * ${D}u + ${d}) >> 1u])[${d} & 1u]`
    : (j: string, d: string) => `kc[${j} * ${D}u + ${d}]`;
  const value = a.kvF16
    ? (j: string, d: string) => `unpack2x16float(vc[(${j} * ${D}u + ${d}) >> 1u])[${d} & 1u]`
    : (j: string, d: string) => `vc[${j} * ${D}u + ${d}]`;
  const kvType = a.kvF16 ? 'u32' : 'f32';
  return `${STEP_STRUCT}
@group(0) @binding(0) var<uniform> st: Step;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> kc: array<${kvType}>;
@group(0) @binding(3) var<storage, read> vc: array<${kvType}>;
@group(0) @binding(4) var<storage, read> mask: array<u32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
var<workgroup> qs: array<f32, ${D}>;
var<workgroup> p: array<f32, ${CHUNK}>;
${workgroupReductions(CHUNK)}

@compute @workgroup_size(${CHUNK})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let h = wid.x;
  let m = wid.y + wid.z * 65535u;
  if (m >= st.M) { return; }
  let b = m / st.S;
  let last = st.past + m % st.S; // the query's own column
  let head = (b * ${H}u + h) * st.cap; // first cache row of this (batch row, head)
  for (var d = lid; d < ${D}u; d += ${CHUNK}u) { qs[d] = q[m * ${E}u + h * ${D}u + d]; }
  workgroupBarrier();
  var runMax = ${NEG};
  var runSum = 0.0;
  var acc: array<f32, ${per}>;
  for (var c0 = 0u; c0 <= last; c0 += ${CHUNK}u) {
    let j = c0 + lid;
    let visible = j <= last && mask[b * st.cap + j] != 0u;
    var score = ${NEG};
    if (visible) {
      var dot = 0.0;
      for (var d = 0u; d < ${D}u; d++) { dot += qs[d] * ${key('(head + j)', 'd')}; }
      score = dot / ${Math.sqrt(D)};
    }
    let newMax = max(runMax, workgroupMax(score, lid));
    let e = select(0.0, exp(score - newMax), visible);
    p[lid] = e;
    let scale = select(0.0, exp(runMax - newMax), runSum > 0.0);
    runSum = runSum * scale + workgroupSum(e, lid);
    for (var r = 0u; r < ${per}u; r++) {
      let d = lid + r * ${CHUNK}u;
      var s = 0.0;
      if (d < ${D}u) {
        let n = min(${CHUNK}u, last + 1u - c0);
        for (var t = 0u; t < n; t++) {
          s += p[t] * ${value('(head + c0 + t)', 'd')};
        }
      }
      acc[r] = acc[r] * scale + s;
    }
    runMax = newMax;
    workgroupBarrier();
  }
  for (var r = 0u; r < ${per}u; r++) {
    let d = lid + r * ${CHUNK}u;
    if (d < ${D}u) { out[m * ${E}u + h * ${D}u + d] = select(0.0, acc[r] / runSum, runSum > 0.0); }
  }
}`;
}
