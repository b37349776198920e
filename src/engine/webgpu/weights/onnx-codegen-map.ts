// Which tensors of an ONNX export are which CodeGen parameters. Every published layout keeps
// the same shape of graph around the weights, so the mapping follows that, not a layout list:
//   - a linear is a MatMul whose B is a constant [K, N] (through Cast / Transpose) or a
//     com.microsoft MatMulNBits; its bias is the constant of the Add reading its output;
//   - its module comes from the node name (/transformer/h.0/attn/qkv_proj/MatMul, as torch
//     exports it) or the weight's name (transformer.h.0.attn.qkv_proj.weight_transposed, as
//     make-model writes it), else from graph order (qkv, out, fc_in, fc_out per layer, then
//     lm_head), and shapes are checked either way;
//   - LayerNorm parameters keep their HF names; when they do not, they are found by walking
//     back from the linears that read them (LayerNormalization, or torch's decomposed form);
//   - the embedding is the data of the Gather that reads input_ids.
// A merged decoder's nodes are inside If branches: the body with the most linears is used.

import { AppError } from '../../../shared/errors.ts';
import { codegenLayerNorms, codegenLinears } from './codegen-names.ts';
import type { ConstantRef, Scope } from './onnx-graph.ts';
import { GraphIndex } from './onnx-graph.ts';
import type { OnnxModel, OnnxNode, OnnxTensor } from './onnx-reader.ts';
import { elementCount, OnnxDataType, tensorData } from './onnx-reader.ts';
import type { FloatFormat } from './tensor-data.ts';
import { toFloat32 } from './tensor-data.ts';

export const UNSUPPORTED_HINT =
  'Use the onnxruntime-web engine (engine=ort) for this file, or the q4 / fp16 / fp32 export.';

/** Where one linear's weight lies in the file. rows = N outputs, cols = K inputs. */
export type LinearRef =
  | {
      kind: 'dense';
      weight: OnnxTensor;
      /** 'KN': a MatMul B as stored by the exporter; 'NK': already torch layout. */
      stored: 'KN' | 'NK';
      rows: number;
      cols: number;
    }
  | {
      kind: 'q4';
      packed: OnnxTensor;
      scales: OnnxTensor;
      zeroPoints: OnnxTensor | null;
      rows: number;
      cols: number;
      blockSize: number;
    };

export interface CodegenOnnxMap {
  /** HF module name → weight. */
  linears: Map<string, LinearRef>;
  /** HF parameter name → 1-D float tensor (LayerNorm weights and biases, linear biases). */
  vectors: Map<string, OnnxTensor>;
  /** transformer.wte.weight [vocab, n_embd]. */
  embedding: OnnxTensor;
  layerNormEpsilon: number | null;
  /** The weights were found inside an If branch (optimum's merged decoder). */
  merged: boolean;
}

export function floatFormat(dataType: number): FloatFormat | null {
  if (dataType === OnnxDataType.FLOAT) return 'f32';
  if (dataType === OnnxDataType.FLOAT16) return 'f16';
  if (dataType === OnnxDataType.BFLOAT16) return 'bf16';
  return null;
}

interface FoundLinear {
  node: OnnxNode;
  weightName: string;
  ref: LinearRef;
  bias: OnnxTensor | null;
}

const MODULE_IN_NAME =
  /(?:^|[/.])h[./](\d+)[./](attn|mlp)[./](qkv_proj|out_proj|fc_in|fc_out)(?=[/._]|$)/;
const LM_HEAD_IN_NAME = /(?:^|[/.])lm_head(?=[/._]|$)/;
/** Ops between a LayerNorm and the linears reading it, or the Gather and input_ids. */
const SHAPE_OPS = new Set(['Reshape', 'Cast', 'Identity', 'Squeeze', 'Unsqueeze', 'Flatten']);

export function mapCodegenGraph(model: OnnxModel, nLayer: number, label: string): CodegenOnnxMap {
  const index = new GraphIndex(model);
  rejectUnsupportedOps(index, label);
  const fail = (what: string): AppError =>
    new AppError('bad-model', `${label}: ${what}`, { hint: UNSUPPORTED_HINT });

  let best: { scope: Scope; found: FoundLinear[] } | null = null;
  for (const scope of index.scopes) {
    const found = findLinears(index, scope, label);
    if (!best || found.length > best.found.length) best = { scope, found };
  }
  if (!best || best.found.length === 0)
    throw fail('not a CodeGen graph: no MatMul with constant weights was found.');
  const { scope, found } = best;
  const modules = nameLinears(found, nLayer, fail);

  const embedding = findEmbedding(index, modules.get('lm_head')!, fail);
  checkShapes(modules, embedding, nLayer, fail);

  const linears = new Map<string, LinearRef>();
  const vectors = new Map<string, OnnxTensor>();
  for (const [module, f] of modules) {
    linears.set(module, f.ref);
    if (f.bias) vectors.set(`${module}.bias`, f.bias);
  }
  let layerNormEpsilon: number | null = null;
  const missing: string[] = [];
  const addLayerNorm = (prefix: string, reader: FoundLinear): void => {
    const walked = layerNormBefore(index, scope, reader.node.inputs[0] ?? '', label);
    if (walked && layerNormEpsilon === null) layerNormEpsilon = walked.epsilon;
    for (const part of ['weight', 'bias'] as const) {
      const name = `${prefix}.${part}`;
      const named = index.tensor(name);
      const t = named && isFloatVector(named) ? named : walked?.[part];
      if (t && elementCount(t.dims) === embedding.dims[1]) vectors.set(name, t);
      else missing.push(name);
    }
  };
  // ln_1 feeds qkv_proj (and fc_in); ln_f feeds lm_head.
  for (const prefix of codegenLayerNorms(nLayer)) {
    const reader = prefix.endsWith('ln_f') ? 'lm_head' : prefix.replace(/ln_1$/, 'attn.qkv_proj');
    addLayerNorm(prefix, modules.get(reader)!);
  }
  if (missing.length > 0)
    throw fail(`no LayerNorm parameters ${listOf(missing)} of n_embd values were found.`);

  return { linears, vectors, embedding, layerNormEpsilon, merged: scope.parent !== null };
}

function listOf(names: string[]): string {
  const shown = names.slice(0, 6).join(', ');
  return names.length > 6 ? `${shown} and ${names.length - 6} more` : shown;
}

function rejectUnsupportedOps(index: GraphIndex, label: string): void {
  for (const scope of index.scopes) {
    for (const node of scope.graph.nodes) {
      let what: string | null = null;
      if (node.opType === 'MatMulInteger' || node.opType === 'DynamicQuantizeLinear')
        what = `8-bit dynamic quantization (${node.opType}: the int8 / uint8 / q8 exports)`;
      else if (node.opType === 'MatMulBnb4')
        what = '4-bit NF4 quantization (MatMulBnb4: the bnb4 export)';
      else if (node.opType === 'GatherBlockQuantized')
        what = 'a quantized embedding (GatherBlockQuantized)';
      else if (node.opType === 'DequantizeLinear' && node.inputs[0] && index.tensor(node.inputs[0]))
        what = 'quantized weights restored by DequantizeLinear (QDQ format)';
      if (what) {
        throw new AppError('bad-model', `${label}: ${what} is not supported by the WGSL engine.`, {
          hint: UNSUPPORTED_HINT,
        });
      }
    }
  }
}

function isFloatVector(t: OnnxTensor): boolean {
  return floatFormat(t.dataType) !== null && t.dims.filter((d) => d !== 1).length <= 1;
}

function intAttr(node: OnnxNode, name: string): number | undefined {
  return node.attributes.get(name)?.i;
}

/** Every linear of one graph body, in node order. */
function findLinears(index: GraphIndex, scope: Scope, label: string): FoundLinear[] {
  const out: FoundLinear[] = [];
  for (const node of scope.graph.nodes) {
    const domain = node.domain === 'ai.onnx' ? '' : node.domain;
    let found: { ref: LinearRef; weightName: string; bias: OnnxTensor | null } | null = null;
    if (node.opType === 'MatMul' && domain === '') found = denseLinear(index, scope, node);
    else if (node.opType === 'MatMulNBits' && domain === 'com.microsoft')
      found = q4Linear(index, scope, node, label);
    if (!found) continue;
    const bias = found.bias ?? addedBias(index, scope, node, found.ref.rows);
    out.push({ node, weightName: found.weightName, ref: found.ref, bias });
  }
  return out;
}

function denseLinear(
  index: GraphIndex,
  scope: Scope,
  node: OnnxNode,
): { ref: LinearRef; weightName: string; bias: null } | null {
  const c = node.inputs[1] ? index.constant(scope, node.inputs[1]) : null;
  if (!c || c.tensor.dims.length !== 2 || floatFormat(c.tensor.dataType) === null) return null;
  const [a, b] = c.tensor.dims as [number, number];
  const ref: LinearRef = c.transposed
    ? { kind: 'dense', weight: c.tensor, stored: 'NK', rows: a, cols: b }
    : { kind: 'dense', weight: c.tensor, stored: 'KN', rows: b, cols: a };
  return { ref, weightName: c.tensor.name, bias: null };
}

function q4Linear(
  index: GraphIndex,
  scope: Scope,
  node: OnnxNode,
  label: string,
): { ref: LinearRef; weightName: string; bias: OnnxTensor | null } {
  const unsupported = (what: string): AppError =>
    new AppError(
      'bad-model',
      `${label}: ${node.name}: ${what} is not supported by the WGSL engine.`,
      {
        hint: UNSUPPORTED_HINT,
      },
    );
  const bits = intAttr(node, 'bits') ?? 4;
  if (bits !== 4) throw unsupported(`MatMulNBits with bits = ${bits}`);
  const K = intAttr(node, 'K');
  const N = intAttr(node, 'N');
  const blockSize = intAttr(node, 'block_size');
  if (!K || !N || !blockSize || blockSize < 16 || (blockSize & (blockSize - 1)) !== 0)
    throw unsupported(`MatMulNBits with K = ${K}, N = ${N}, block_size = ${blockSize}`);
  if (node.inputs[4]) throw unsupported('MatMulNBits with g_idx (act-order)');
  const input = (i: number, what: string): OnnxTensor | null => {
    const name = node.inputs[i];
    if (!name) return null;
    const c: ConstantRef | null = index.constant(scope, name);
    if (!c) throw unsupported(`MatMulNBits whose ${what} is computed, not stored`);
    return c.tensor;
  };
  const packed = input(1, 'weight');
  const scales = input(2, 'scales');
  const zeroPoints = input(3, 'zero points');
  const bias = input(5, 'bias');
  if (!packed || !scales) throw unsupported('MatMulNBits without weight or scales');
  const kBlocks = Math.ceil(K / blockSize);
  if (
    packed.dataType !== OnnxDataType.UINT8 ||
    elementCount(packed.dims) !== N * kBlocks * (blockSize / 2)
  )
    throw unsupported(
      `MatMulNBits weight ${packed.name} of type ${packed.dataType}, dims [${packed.dims.join(', ')}]`,
    );
  if (floatFormat(scales.dataType) === null || elementCount(scales.dims) !== N * kBlocks)
    throw unsupported(
      `MatMulNBits scales ${scales.name} of type ${scales.dataType}, dims [${scales.dims.join(', ')}]`,
    );
  if (
    zeroPoints &&
    (zeroPoints.dataType !== OnnxDataType.UINT8 ||
      elementCount(zeroPoints.dims) !== N * Math.ceil(kBlocks / 2))
  )
    throw unsupported(
      `MatMulNBits zero points ${zeroPoints.name} that are not packed uint8 [N, ceil(blocks / 2)]`,
    );
  return {
    ref: { kind: 'q4', packed, scales, zeroPoints, rows: N, cols: K, blockSize },
    weightName: packed.name,
    bias,
  };
}

/** The constant [N] of an Add that reads the linear's output (nn.Linear's bias). */
function addedBias(index: GraphIndex, scope: Scope, node: OnnxNode, N: number): OnnxTensor | null {
  const out = node.outputs[0];
  if (!out) return null;
  for (const reader of index.consumers(scope, out)) {
    if (reader.opType !== 'Add') continue;
    const other = reader.inputs[0] === out ? reader.inputs[1] : reader.inputs[0];
    const c = other ? index.constant(scope, other) : null;
    if (c && isFloatVector(c.tensor) && elementCount(c.tensor.dims) === N) return c.tensor;
  }
  return null;
}

function moduleFromName(name: string): string | null {
  const m = MODULE_IN_NAME.exec(name);
  if (m) return `transformer.h.${m[1]}.${m[2]}.${m[3]}`;
  return LM_HEAD_IN_NAME.test(name) ? 'lm_head' : null;
}

/** HF module name → linear, by names where every linear has one, else by graph order. */
function nameLinears(
  found: FoundLinear[],
  nLayer: number,
  fail: (what: string) => AppError,
): Map<string, FoundLinear> {
  const expected = codegenLinears(nLayer);
  const byName = new Map<string, FoundLinear>();
  for (const f of found) {
    const module = moduleFromName(f.node.name) ?? moduleFromName(f.weightName);
    if (module === null || byName.has(module)) break;
    byName.set(module, f);
  }
  if (byName.size === found.length) {
    const missing = expected.filter((m) => !byName.has(m));
    const extra = [...byName.keys()].filter((m) => !expected.includes(m));
    if (missing.length > 0)
      throw fail(`not a complete CodeGen graph for n_layer = ${nLayer}: no ${listOf(missing)}.`);
    if (extra.length > 0)
      throw fail(`the graph has linears beyond n_layer = ${nLayer}: ${listOf(extra)}.`);
    return byName;
  }
  // Names do not tell (e.g. onnx::MatMul_123 weights in unnamed nodes): torch traces
  // CodeGenBlock.forward in order, so per layer qkv_proj, out_proj, fc_in, fc_out, then lm_head.
  if (found.length !== expected.length) {
    throw fail(
      `not a CodeGen graph for n_layer = ${nLayer}: expected 4 × ${nLayer} + 1 = ${expected.length} linear layers (MatMul with constant weights), found ${found.length}, and their names do not say which is which.`,
    );
  }
  return new Map(expected.map((m, i) => [m, found[i]!]));
}

function checkShapes(
  modules: Map<string, FoundLinear>,
  embedding: OnnxTensor,
  nLayer: number,
  fail: (what: string) => AppError,
): void {
  const [vocab, E] = embedding.dims as [number, number];
  const inner = modules.get('transformer.h.0.mlp.fc_in')!.ref.rows;
  const want = (module: string): [number, number] => {
    if (module === 'lm_head') return [vocab, E];
    if (module.endsWith('qkv_proj')) return [3 * E, E];
    if (module.endsWith('out_proj')) return [E, E];
    return module.endsWith('fc_in') ? [inner, E] : [E, inner];
  };
  for (const module of codegenLinears(nLayer)) {
    const { rows, cols } = modules.get(module)!.ref;
    const [r, c] = want(module);
    if (rows !== r || cols !== c) {
      throw fail(
        `not a CodeGen graph: ${module} is [${rows}, ${cols}] (out, in), expected [${r}, ${c}] for n_embd = ${E}, vocab = ${vocab}.`,
      );
    }
  }
}

function findEmbedding(
  index: GraphIndex,
  lmHead: FoundLinear,
  fail: (what: string) => AppError,
): OnnxTensor {
  const isTable = (t: OnnxTensor | undefined): t is OnnxTensor =>
    t !== undefined && t.dims.length === 2 && floatFormat(t.dataType) !== null;
  const named = index.tensor('transformer.wte.weight');
  if (isTable(named)) return named;
  let bySize: OnnxTensor | null = null;
  for (const scope of index.scopes) {
    for (const node of scope.graph.nodes) {
      if (node.opType !== 'Gather' || (intAttr(node, 'axis') ?? 0) !== 0) continue;
      const data = node.inputs[0] ? index.constant(scope, node.inputs[0]) : null;
      if (!data || data.transposed || !isTable(data.tensor)) continue;
      let indices = node.inputs[1] ?? '';
      for (let p = index.producer(scope, indices); p && SHAPE_OPS.has(p.opType);) {
        indices = p.inputs[0] ?? '';
        p = index.producer(scope, indices);
      }
      if (indices === 'input_ids') return data.tensor;
      const [rows, cols] = data.tensor.dims;
      if (rows === lmHead.ref.rows && cols === lmHead.ref.cols) bySize ??= data.tensor;
    }
  }
  if (bySize) return bySize;
  throw fail(
    'not a CodeGen graph: no token embedding (a Gather of input_ids from a float table) was found.',
  );
}

/** LayerNorm parameters behind a linear's input: LayerNormalization or torch's decomposition. */
function layerNormBefore(
  index: GraphIndex,
  scope: Scope,
  input: string,
  label: string,
): { weight?: OnnxTensor; bias?: OnnxTensor; epsilon: number | null } | null {
  const node = index.producerThrough(scope, input, SHAPE_OPS);
  if (!node) return null;
  const constantAt = (n: OnnxNode, i: number): OnnxTensor | undefined => {
    const name = n.inputs[i];
    return name ? (index.constant(scope, name)?.tensor ?? undefined) : undefined;
  };
  if (node.opType === 'LayerNormalization') {
    return {
      weight: constantAt(node, 1),
      bias: constantAt(node, 2),
      epsilon: shortestFloat32(node.attributes.get('epsilon')?.f ?? 1e-5), // the op's default
    };
  }
  // Add(Mul(Div(x - mean, Sqrt(Add(var, eps))), weight), bias)
  const split = (n: OnnxNode | undefined, op: string): [OnnxTensor, string] | null => {
    if (!n || n.opType !== op) return null;
    for (const i of [1, 0]) {
      const t = constantAt(n, i);
      if (t) return [t, n.inputs[1 - i] ?? ''];
    }
    return null;
  };
  const add = split(node, 'Add');
  const mul = add && split(index.producerThrough(scope, add[1], SHAPE_OPS), 'Mul');
  if (!add || !mul || !isFloatVector(add[0]) || !isFloatVector(mul[0])) return null;
  const div = index.producerThrough(scope, mul[1], SHAPE_OPS);
  const sqrt = div?.opType === 'Div' ? index.producer(scope, div.inputs[1] ?? '') : undefined;
  const eps =
    sqrt?.opType === 'Sqrt'
      ? split(index.producerThrough(scope, sqrt.inputs[0] ?? '', SHAPE_OPS), 'Add')
      : null;
  return { weight: mul[0], bias: add[0], epsilon: eps ? scalarValue(eps[0], label) : null };
}

function scalarValue(t: OnnxTensor, label: string): number | null {
  const format = floatFormat(t.dataType);
  if (format === null || elementCount(t.dims) !== 1) return null;
  const value = toFloat32(tensorData(t, label), format)[0];
  if (value === undefined) return null;
  return format === 'f32' ? shortestFloat32(value) : value;
}

/**
 * A float32 as the shortest decimal that rounds back to it: 1e-5 rather than
 * 9.999999747378752e-6, so the value compares with config.json's. float16 and bfloat16
 * epsilons are kept exact: the file computes with that coarser value.
 */
function shortestFloat32(x: number): number {
  for (let digits = 1; digits < 10; digits++) {
    const v = Number(x.toPrecision(digits));
    if (Math.fround(v) === Math.fround(x)) return v;
  }
  return x;
}
