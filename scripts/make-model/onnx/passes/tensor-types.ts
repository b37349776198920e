// Element types of every tensor in a GraphModel, inferred forward from the graph inputs and
// initializers: the float16 converter needs to know which tensors are float (the Python
// converter gets this from onnx shape inference). Covers the ops the CodeGen layouts use;
// an op not listed takes the type of its first typed input.

import type { onnx as pb } from 'onnx-proto';
import type { GraphModel } from '../graph-model.ts';
import { DataType } from '../proto.ts';
import { intAttr, subgraphsOf } from './graph-walk.ts';

const INT64_OUT = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin']);
const BOOL_OUT = new Set([
  'Equal',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'IsNaN',
  'IsInf',
]);

export function inferElemTypes(model: GraphModel): Map<string, number> {
  const types = new Map<string, number>();
  for (const v of model.inputs) types.set(v.name!, v.type?.tensorType?.elemType ?? 0);
  for (const init of model.graph.initializers) types.set(init.name, init.dataType);
  visit(model.graph.nodes, types);
  return types;
}

function visit(nodes: readonly pb.INodeProto[], types: Map<string, number>): void {
  for (const node of nodes) {
    const outs = node.output ?? [];
    outputTypes(node, types).forEach((t, i) => {
      if (outs[i] && t) types.set(outs[i], t);
    });
  }
}

function outputTypes(node: pb.INodeProto, types: Map<string, number>): number[] {
  const ins = (node.input ?? []).map((n) => types.get(n) ?? 0);
  const first = ins.find((t) => t !== 0) ?? 0;
  const op = node.opType ?? '';
  if (op === 'Cast') return [intAttr(node, 'to') ?? 0];
  if (INT64_OUT.has(op)) return [DataType.INT64];
  if (BOOL_OUT.has(op)) return [DataType.BOOL];
  if (op === 'Constant' || op === 'ConstantOfShape') {
    const value = node.attribute?.find((a) => a.name === 'value');
    if (value?.t) return [value.t.dataType ?? 0];
    if (node.attribute?.some((a) => a.name === 'value_float' || a.name === 'value_floats'))
      return [DataType.FLOAT];
    return [op === 'ConstantOfShape' ? DataType.FLOAT : DataType.INT64];
  }
  if (op === 'Where') return [ins[1] ?? 0];
  if (op === 'DynamicQuantizeLinear') return [DataType.UINT8, DataType.FLOAT, DataType.UINT8];
  if (op === 'MatMulInteger') return [DataType.INT32];
  if (op === 'DequantizeLinear') return [ins[1] ?? 0];
  if (op === 'QuantizeLinear') return [ins[2] ?? DataType.UINT8];
  if (op === 'TopK') return [first, DataType.INT64];
  if (op === 'If') {
    // Branch results: type the then-branch body, then read its outputs.
    const [thenBranch] = subgraphsOf(node);
    if (!thenBranch) return [];
    visit(thenBranch.node ?? [], types);
    for (const g of subgraphsOf(node).slice(1)) visit(g.node ?? [], types);
    return (thenBranch.output ?? []).map(
      (o) => o.type?.tensorType?.elemType || (types.get(o.name ?? '') ?? 0),
    );
  }
  return (node.output ?? []).map(() => first);
}
