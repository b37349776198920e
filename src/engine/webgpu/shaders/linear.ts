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
const GEMV_OUTPUTS = 8; // outputs per workgroup
const GEMV_LANES = 32; // threads cooperating on one output

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

/** Decode: workgroups of 8 outputs × 32 lanes; each lane sums a strided slice of K. */
export function gemvShader(spec: LinearSpec): string {
  const { decl } = bindings(spec);
  const segments = [{ x: 'X', w: 'W', op: spec.first }];
  if (spec.second) segments.push({ x: 'X2', w: 'W2', op: spec.second });
  const loops = segments
    .map(
      ({ x, w, op }) => `
  for (var g = lane; g < ${op.K / 8}u; g += ${GEMV_LANES}u) {
    let wv = w8_${w}(n, g * 8u);
    for (var m = 0u; m < ${GEMV_MAX_ROWS}u; m++) {
      if (m >= rows) { break; }
      let xo = m * ${op.K}u + g * 8u;
      var s = 0.0;
      for (var i = 0u; i < 8u; i++) { s += ${x}[xo + i] * wv[i]; }
      acc[m] += s;
    }
  }`,
    )
    .join('');
  return `${STEP_STRUCT}
${decl}
${loadEight(spec.first.format, spec.first.K, spec.first.q4, 'W')}
${spec.second ? loadEight(spec.second.format, spec.second.K, spec.second.q4, 'W2') : ''}
${GELU}
var<workgroup> red: array<array<f32, ${GEMV_MAX_ROWS}>, ${GEMV_OUTPUTS * GEMV_LANES}>;

@compute @workgroup_size(${GEMV_OUTPUTS * GEMV_LANES})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let rows = ${rowCount(spec)};
  let o = lid / ${GEMV_LANES}u;
  let lane = lid % ${GEMV_LANES}u;
  let n = wid.x * ${GEMV_OUTPUTS}u + o;
  var acc: array<f32, ${GEMV_MAX_ROWS}>;
  if (n < ${spec.N}u) {${loops}
  }
  red[lid] = acc;
  workgroupBarrier();
  for (var stride = ${GEMV_LANES / 2}u; stride > 0u; stride >>= 1u) {
    if (lane < stride) {
      for (var m = 0u; m < ${GEMV_MAX_ROWS}u; m++) { red[lid][m] += red[lid + stride][m]; }
    }
    workgroupBarrier();
  }
  if (lane < ${GEMV_MAX_ROWS}u && lane < rows && n < ${spec.N}u) {
    let m = lane;
    let total = red[o * ${GEMV_LANES}u][m];
    ${epilogue(spec, 'total', 'm', 'n')}
  }
}`;
}

export function gemvWorkgroups(spec: LinearSpec): number {
  return Math.ceil(spec.N / GEMV_OUTPUTS);
}

const TILE = 64;
const TK = 16;

/** Prefill: 64 × 64 output tiles, 256 threads of 4 × 4 outputs, K in steps of 16. */
export function gemmShader(spec: LinearSpec): string {
  const { decl } = bindings(spec);
  const segments = [{ x: 'X', w: 'W', op: spec.first }];
  if (spec.second) segments.push({ x: 'X2', w: 'W2', op: spec.second });
  const loops = segments
    .map(
      ({ x, w, op }) => `
  for (var k0 = 0u; k0 < ${op.K}u; k0 += ${TK}u) {
    for (var i = 0u; i < 4u; i++) {
      let idx = lid + 256u * i;
      let r = idx / ${TK}u;
      let c = idx % ${TK}u;
      let m = tm + r;
      let n = tn + r;
      let k = k0 + c;
      As[idx] = select(0.0, ${x}[min(m, rows - 1u) * ${op.K}u + min(k, ${op.K - 1}u)], m < rows && k < ${op.K}u);
      Ws[idx] = select(0.0, w1_${w}(min(n, ${spec.N - 1}u), min(k, ${op.K - 1}u)), n < ${spec.N}u && k < ${op.K}u);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        a[i] = As[(ty * 4u + i) * ${TK}u + kk];
        b[i] = Ws[(tx * 4u + i) * ${TK}u + kk];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] += a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }`,
    )
    .join('');
  return `${STEP_STRUCT}
${decl}
${loadOne(spec.first.format, spec.first.K, spec.first.q4, 'W')}
${spec.second ? loadOne(spec.second.format, spec.second.K, spec.second.q4, 'W2') : ''}
${GELU}
var<workgroup> As: array<f32, ${TILE * TK}>;
var<workgroup> Ws: array<f32, ${TILE * TK}>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let rows = ${rowCount(spec)};
  let tm = wid.y * ${TILE}u;
  let tn = wid.x * ${TILE}u;
  let tx = lid % 16u;
  let ty = lid / 16u;
  var acc: array<f32, 16>;
${loops}
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      let m = tm + ty * 4u + i;
      let n = tn + tx * 4u + j;
      if (m < rows && n < ${spec.N}u) {
        ${epilogue(spec, 'acc[i * 4u + j]', 'm', 'n')}
      }
    }
  }
}`;
}

export function gemmWorkgroups(spec: LinearSpec, rows: number): [number, number] {
  return [Math.ceil(spec.N / TILE), Math.ceil(rows / TILE)];
}
