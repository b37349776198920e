// The top candidates of each row's logits without reading the vocabulary back: sort blocks
// of 1,024 (value, id) pairs in workgroup memory (bitonic), keep each block's best 64, and
// repeat over the survivors until one block is left. The first pass also records each
// block's max and Σ exp, which the last pass merges into the row's max, logZ and the
// tempered total the sampler's top-p test needs (src/engine/generation/candidates.ts).

import { NEG, STEP_STRUCT, workgroupReductions } from './common.ts';

export const BLOCK = 1024;
export const KEEP = 64;

const SORT = /* wgsl */ `
var<workgroup> keys: array<f32, ${BLOCK}>;
var<workgroup> ids: array<u32, ${BLOCK}>;

// a before b: larger value first, then the lower id (the CPU sampler's order).
fn before(a: u32, b: u32) -> bool {
  return keys[a] > keys[b] || (keys[a] == keys[b] && ids[a] < ids[b]);
}

fn sortBlock(lid: u32) {
  for (var k = 2u; k <= ${BLOCK}u; k <<= 1u) {
    for (var j = k >> 1u; j > 0u; j >>= 1u) {
      for (var t = lid; t < ${BLOCK / 2}u; t += 256u) {
        let i = (t / j) * 2u * j + t % j;
        let l = i + j;
        let firstHalf = (i & k) == 0u;
        if (before(l, i) == firstHalf) {
          let kv = keys[i]; keys[i] = keys[l]; keys[l] = kv;
          let iv = ids[i]; ids[i] = ids[l]; ids[l] = iv;
        }
      }
      workgroupBarrier();
    }
  }
}`;

/**
 * Pass 1 over logits [B, V]: workgroup (block, row). Writes the block's best 64 and its
 * statistics (max, Σ exp(l - max), Σ exp((l - max) invT)) over ids below vocabLimit.
 */
export function firstPassShader(V: number): string {
  const blocks = Math.ceil(V / BLOCK);
  return `${STEP_STRUCT}
@group(0) @binding(0) var<uniform> st: Step;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> cand: array<vec2u>; // (value bits, id)
@group(0) @binding(3) var<storage, read_write> stats: array<vec4f>; // max, sum1, sumT
${SORT}
${workgroupReductions(256)}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let block = wid.x;
  let row = wid.y;
  var localMax = ${NEG};
  for (var t = lid; t < ${BLOCK}u; t += 256u) {
    let id = block * ${BLOCK}u + t;
    let ok = id < ${V}u && id < st.vocabLimit;
    let v = select(${NEG}, logits[row * ${V}u + min(id, ${V - 1}u)], ok);
    keys[t] = v;
    ids[t] = select(0xffffffffu, id, ok);
    localMax = max(localMax, v);
  }
  let mx = workgroupMax(localMax, lid);
  var s1 = 0.0;
  var sT = 0.0;
  for (var t = lid; t < ${BLOCK}u; t += 256u) {
    if (ids[t] != 0xffffffffu) {
      s1 += exp(keys[t] - mx);
      sT += exp((keys[t] - mx) * st.invT);
    }
  }
  let sum1 = workgroupSum(s1, lid);
  let sumT = workgroupSum(sT, lid);
  if (lid == 0u) { stats[row * ${blocks}u + block] = vec4f(mx, sum1, sumT, 0.0); }
  sortBlock(lid);
  for (var t = lid; t < ${KEEP}u; t += 256u) {
    cand[(row * ${blocks}u + block) * ${KEEP}u + t] = vec2u(bitcast<u32>(keys[t]), ids[t]);
  }
}`;
}

/**
 * A merge pass: `inputs` candidates per row (from the previous pass) → the best 64 of each
 * group of 1,024. The last pass (one group) also merges the first pass's block statistics
 * into the row's (max, logZ, total) — exact rescaling: Σ_b s_b exp(m_b - M).
 */
export function mergePassShader(inputs: number, statBlocks: number, last: boolean): string {
  const groups = Math.ceil(inputs / BLOCK);
  const merge = last
    ? `
  if (lid == 0u) {
    var mx = ${NEG};
    for (var b = 0u; b < ${statBlocks}u; b++) { mx = max(mx, stats[row * ${statBlocks}u + b].x); }
    var s1 = 0.0;
    var sT = 0.0;
    for (var b = 0u; b < ${statBlocks}u; b++) {
      let s = stats[row * ${statBlocks}u + b];
      if (s.y > 0.0) {
        s1 += s.y * exp(s.x - mx);
        sT += s.z * exp((s.x - mx) * st.invT);
      }
    }
    rowStats[row] = vec4f(mx, mx + log(s1), sT, 0.0);
  }`
    : '';
  return `${STEP_STRUCT}
@group(0) @binding(0) var<uniform> st: Step;
@group(0) @binding(1) var<storage, read> inCand: array<vec2u>;
@group(0) @binding(2) var<storage, read_write> outCand: array<vec2u>;
@group(0) @binding(3) var<storage, read> stats: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> rowStats: array<vec4f>;
${SORT}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let group = wid.x;
  let row = wid.y;
  // Every pass binds the same five buffers; only the last reads the statistics. Naming
  // them keeps them in the pipeline's automatic layout.
  _ = st.M;
  _ = stats[0];
  _ = rowStats[0];
  for (var t = lid; t < ${BLOCK}u; t += 256u) {
    let i = group * ${BLOCK}u + t;
    let ok = i < ${inputs}u;
    let c = inCand[row * ${inputs}u + min(i, ${inputs - 1}u)];
    keys[t] = select(${NEG}, bitcast<f32>(c.x), ok);
    ids[t] = select(0xffffffffu, c.y, ok);
  }
  workgroupBarrier();
  sortBlock(lid);
  for (var t = lid; t < ${KEEP}u; t += 256u) {
    outCand[(row * ${groups}u + group) * ${KEEP}u + t] = vec2u(bitcast<u32>(keys[t]), ids[t]);
  }${merge}
}`;
}

/**
 * Candidates per row going into each merge pass: e.g. 51,200 → [3,200, 256] (→ 64). There is
 * always at least one merge pass, because the last one also merges the statistics.
 */
export function mergeInputs(V: number): number[] {
  const inputs: number[] = [];
  let count = Math.ceil(V / BLOCK) * KEEP;
  do {
    inputs.push(count);
    count = Math.ceil(count / BLOCK) * KEEP;
  } while (count > KEEP);
  return inputs;
}
