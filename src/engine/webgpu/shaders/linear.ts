// y = x W^T (+ a second x2 W2^T) + bias, then gelu or a residual: every linear layer of the
// block. Two kernels: a matrix × few-vectors one for decode (each weight read once for all
// rows) and a tiled one for prefill. A weight matrix too large for one binding is split by
// rows (`piece`), each piece its own dispatch writing its columns of y.

import { GELU, loadEight, loadOne, STEP_STRUCT, storageType } from './common.ts';
import type { Q4Layout, WeightFormat } from './common.ts';

export interface LinearOperand {
  format: WeightFormat;
  K: number;
  q4: Q4Layout | null;
}

export interface LinearSpec {
  /** Output columns this dispatch computes (the piece's rows of W). */
  N: number;
  /** y's row stride (the full output width; N of all pieces together). */
  outStride: number;
  /** First output column of this piece. */
  outOffset: number;
  first: LinearOperand;
  /** out_proj and fc_out share one dispatch: y = attn Wo^T + ff Wf^T + b + residual. */
  second: LinearOperand | null;
  bias: boolean;
  gelu: boolean;
  residual: boolean;
  /**
   * x rows: 'all' every token of the step; 'last' one row per batch row (the final layer
   * norm already gathered the last positions, so the row count is B).
   */
  rows: 'all' | 'last';
}

/** Rows the decode kernel handles at once; larger batches use the tiled kernel. */
export const GEMV_MAX_ROWS = 8;

function bindings(spec: LinearSpec): { decl: string; names: string[] } {
  const lines = [
    '@group(0) @binding(0) var<uniform> st: Step;',
    '@group(0) @binding(1) var<storage, read> X: array<f32>;',
    `@group(0) @binding(2) var<storage, read> W: array<${storageType(spec.first.format)}>;`,
  ];
  const names = ['st', 'X', 'W'];
  let at = 3;
  const add = (line: (b: number) => string, name: string): void => {
    lines.push(line(at++));
    names.push(name);
  };
  if (spec.second) {
    add((b) => `@group(0) @binding(${b}) var<storage, read> X2: array<f32>;`, 'X2');
    add(
      (b) =>
        `@group(0) @binding(${b}) var<storage, read> W2: array<${storageType(spec.second!.format)}>;`,
      'W2',
    );
  }
  if (spec.bias)
    add((b) => `@group(0) @binding(${b}) var<storage, read> bias: array<f32>;`, 'bias');
  if (spec.residual) add((b) => `@group(0) @binding(${b}) var<storage, read> R: array<f32>;`, 'R');
  add((b) => `@group(0) @binding(${b}) var<storage, read_write> Y: array<f32>;`, 'Y');
  return { decl: lines.join('\n'), names };
}

function rowCount(spec: LinearSpec): string {
  return spec.rows === 'last' ? 'st.B' : 'st.M';
}

function epilogue(spec: LinearSpec, value: string, m: string, n: string): string {
  const col = `${spec.outOffset}u + ${n}`;
  const parts = [`var v = ${value};`];
  if (spec.bias) parts.push(`v += bias[${col}];`);
  if (spec.gelu) parts.push('v = gelu(v);');
  if (spec.residual) parts.push(`v += R[${m} * ${spec.outStride}u + ${col}];`);
  parts.push(`Y[${m} * ${spec.outStride}u + ${col}] = v;`);
  return parts.join('\n      ');
}

/** The binding names in binding order (the bind group is built from them). */
export function linearBindings(spec: LinearSpec): string[] {
  return bindings(spec).names;
}

/**
 * How the decode kernel splits the work: `outputs` per workgroup, `lanes` threads summing
 * slices of K for each (reduced in workgroup memory when more than one).
 */
export interface GemvLayout {
  outputs: number;
  lanes: number;
  /**
   * Sum the lanes with subgroup shuffles instead of workgroup memory: only where every
   * subgroup is at least `lanes` wide (the adapter's subgroupMinSize), so a group of lanes
   * (consecutive invocations) never straddles two subgroups.
   */
  subgroups?: boolean;
}

/**
 * Decode layouts. A CPU adapter (SwiftShader) runs a workgroup's invocations one SIMD group
 * after another and pays for every barrier: one thread per output, no reduction. Moving to it
 * from 8 outputs × 32 lanes reduced in workgroup memory (with the row count compiled in at
 * the same time) took a 350M q4 decode step on SwiftShader from 30.5 s to 3.1 s; vec4 dot
 * products then brought it to 1.7 s. A GPU wants the reads of a
 * weight row coalesced across a warp: 32 lanes per output, reduced with subgroup shuffles
 * where subgroups are that wide (not yet measured on a GPU: the device kit's job).
 */
export const GEMV_LAYOUT: GemvLayout = { outputs: 64, lanes: 1 };
export const GEMV_LAYOUT_GPU: GemvLayout = { outputs: 8, lanes: 32 };

/**
 * Decode: each workgroup computes `outputs` columns for every row of the step, the row count
 * a compile-time constant (a decode batch keeps its size for a whole generation), so the
 * accumulators stay in registers and each weight is read once for all rows.
 */
export function gemvShader(
  spec: LinearSpec,
  rowsNow: number,
  layout: GemvLayout = GEMV_LAYOUT,
): string {
  const { decl } = bindings(spec);
  const { outputs, lanes } = layout;
  const R = rowsNow;
  const segments = [{ x: 'X', w: 'W', op: spec.first }];
  if (spec.second) segments.push({ x: 'X2', w: 'W2', op: spec.second });
  const rowsIdx = Array.from({ length: R }, (_, m) => m);
  const loops = segments
    .map(
      ({ x, w, op }) => `
    for (var g = lane; g < ${op.K / 8}u; g += ${lanes}u) {
      let wv = w8_${w}(n, g * 8u);
${rowsIdx
  .map(
    (m) => `      {
        let xo = ${m * op.K}u + g * 8u;
        acc${m} += dot(vec4f(${x}[xo], ${x}[xo + 1u], ${x}[xo + 2u], ${x}[xo + 3u]), wv[0])
          + dot(vec4f(${x}[xo + 4u], ${x}[xo + 5u], ${x}[xo + 6u], ${x}[xo + 7u]), wv[1]);
      }`,
  )
  .join('\n')}
    }`,
    )
    .join('');
  /** Every row's result for output n, written through the epilogue. */
  const store = (value: (m: number) => string): string =>
    rowsIdx.map((m) => `    {\n      ${epilogue(spec, value(m), `${m}u`, 'n')}\n    }`).join('\n');
  const reduce =
    lanes === 1
      ? `
  if (n < ${spec.N}u) {
${store((m) => `acc${m}`)}
  }`
      : layout.subgroups
        ? `
  for (var off = ${lanes / 2}u; off > 0u; off >>= 1u) {
${rowsIdx.map((m) => `    acc${m} += subgroupShuffleXor(acc${m}, off);`).join('\n')}
  }
  if (lane == 0u && n < ${spec.N}u) {
${store((m) => `acc${m}`)}
  }`
        : `
${rowsIdx.map((m) => `  red[${m}][lid] = acc${m};`).join('\n')}
  workgroupBarrier();
  for (var stride = ${lanes / 2}u; stride > 0u; stride >>= 1u) {
    if (lane < stride) {
      for (var m = 0u; m < ${R}u; m++) { red[m][lid] += red[m][lid + stride]; }
    }
    workgroupBarrier();
  }
  if (lane == 0u && n < ${spec.N}u) {
${store((m) => `red[${m}][lid]`)}
  }`;
  return `${layout.subgroups && lanes > 1 ? 'enable subgroups;\n' : ''}${STEP_STRUCT}
${decl}
${loadEight(spec.first.format, spec.first.K, spec.first.q4, 'W')}
${spec.second ? loadEight(spec.second.format, spec.second.K, spec.second.q4, 'W2') : ''}
${GELU}
${lanes > 1 && !layout.subgroups ? `var<workgroup> red: array<array<f32, ${outputs * lanes}>, ${R}>;` : ''}

@compute @workgroup_size(${outputs * lanes})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  _ = st.M;
  let o = lid / ${lanes}u;
  let lane = lid % ${lanes}u;
  let n = wid.x * ${outputs}u + o;
${rowsIdx.map((m) => `  var acc${m} = 0.0;`).join('\n')}
  if (n < ${spec.N}u) {${loops}
  }${reduce}
}`;
}

export function gemvWorkgroups(spec: LinearSpec, layout: GemvLayout = GEMV_LAYOUT): number {
  return Math.ceil(spec.N / layout.outputs);
}

const TILE = 64;
const TK = 16;

/**
 * Prefill: 64 × 64 output tiles, 256 threads of 4 × 4 outputs (four vec4 accumulators), K in
 * steps of 16. Both tiles are stored k-major as vec4s over 4 rows / 4 outputs, so the inner
 * step is 2 vec4 reads and 4 vec4 multiply-adds.
 */
export function gemmShader(spec: LinearSpec): string {
  const { decl } = bindings(spec);
  const segments = [{ x: 'X', w: 'W', op: spec.first }];
  if (spec.second) segments.push({ x: 'X2', w: 'W2', op: spec.second });
  const loops = segments
    .map(({ x, w, op }) => {
      const xAt = (i: number) =>
        `select(0.0, ${x}[min(m0 + ${i}u, rows - 1u) * ${op.K}u + kc], m0 + ${i}u < rows && k < ${op.K}u)`;
      const wAt = (i: number) =>
        `select(0.0, w1_${w}(min(n0 + ${i}u, ${spec.N - 1}u), kc), n0 + ${i}u < ${spec.N}u && k < ${op.K}u)`;
      return `
  for (var k0 = 0u; k0 < ${op.K}u; k0 += ${TK}u) {
    {
      let k = k0 + lid % ${TK}u;
      let kc = min(k, ${op.K - 1}u);
      let m0 = tm + (lid / ${TK}u) * 4u;
      let n0 = tn + (lid / ${TK}u) * 4u;
      As[(lid % ${TK}u) * 16u + lid / ${TK}u] = vec4f(${xAt(0)}, ${xAt(1)}, ${xAt(2)}, ${xAt(3)});
      Ws[(lid % ${TK}u) * 16u + lid / ${TK}u] = vec4f(${wAt(0)}, ${wAt(1)}, ${wAt(2)}, ${wAt(3)});
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
      let a = As[kk * 16u + ty];
      let b = Ws[kk * 16u + tx];
      acc0 += a.x * b;
      acc1 += a.y * b;
      acc2 += a.z * b;
      acc3 += a.w * b;
    }
    workgroupBarrier();
  }`;
    })
    .join('');
  const out = [0, 1, 2, 3]
    .flatMap((i) =>
      [0, 1, 2, 3].map(
        (j) => `
  {
    let m = tm + ty * 4u + ${i}u;
    let n = tn + tx * 4u + ${j}u;
    if (m < rows && n < ${spec.N}u) {
      ${epilogue(spec, `acc${i}[${j}]`, 'm', 'n')}
    }
  }`,
      ),
    )
    .join('');
  return `${STEP_STRUCT}
${decl}
${loadOne(spec.first.format, spec.first.K, spec.first.q4, 'W')}
${spec.second ? loadOne(spec.second.format, spec.second.K, spec.second.q4, 'W2') : ''}
${GELU}
var<workgroup> As: array<vec4f, ${TK * 16}>; // [k][4 rows]
var<workgroup> Ws: array<vec4f, ${TK * 16}>; // [k][4 outputs]

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let rows = ${rowCount(spec)};
  let tm = wid.y * ${TILE}u;
  let tn = wid.x * ${TILE}u;
  let tx = lid % 16u;
  let ty = lid / 16u;
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
${loops}
${out}
}`;
}

export function gemmWorkgroups(spec: LinearSpec, rows: number): [number, number] {
  return [Math.ceil(spec.N / TILE), Math.ceil(rows / TILE)];
}
