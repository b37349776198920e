// What the weight-only 4-bit quantizers (MatMulNBits for q4, MatMulBnb4 for bnb4) share:
// every MatMul whose B is a 2-D float32 initializer, in the top-level graph and in If
// branches, becomes one com.microsoft node that keeps the MatMul's output name; each weight is
// quantized once even when both branches use it; the float weight is dropped once unused;
// com.microsoft opset 1 is imported. Only the quantized initializers and the node differ.

import type { onnx as pb } from 'onnx-proto';
import type { Initializer } from '../graph-builder.ts';
import type { GraphModel } from '../graph-model.ts';
import {
  allScopes,
  ensureOpset,
  findInitializer,
  FLOAT32,
  isUnused,
  removeInitializer,
  replaceNode,
} from './graph-walk.ts';

export interface WeightMatMul {
  /** The MatMul being replaced. */
  node: pb.INodeProto;
  /** Its activation input and float32 weight [K, N]. */
  a: string;
  weight: Initializer;
  K: number;
  N: number;
}

export interface WeightOnlyQuantizer {
  /** Adds the quantized initializers of `m.weight` (called once per weight); their names. */
  quantize(m: WeightMatMul): string[];
  /** The node computing the MatMul's output from `m.a` and the quantized initializers. */
  node(m: WeightMatMul, quantized: string[]): pb.INodeProto;
}

export function replaceWeightMatMuls(model: GraphModel, quantizer: WeightOnlyQuantizer): void {
  const quantized = new Map<string, string[]>();
  for (const scope of allScopes(model)) {
    for (const node of [...scope.nodes]) {
      if (node.opType !== 'MatMul' || (node.domain ?? '') !== '') continue;
      const [a, bName] = node.input as [string, string];
      const weight = findInitializer(model, bName);
      if (!weight || weight.dims.length !== 2 || weight.dataType !== FLOAT32) continue;
      const [K, N] = weight.dims as [number, number];
      const m: WeightMatMul = { node, a, weight, K, N };
      let names = quantized.get(bName);
      if (!names) {
        names = quantizer.quantize(m);
        quantized.set(bName, names);
      }
      replaceNode(scope.nodes, node, [quantizer.node(m, names)]);
    }
  }
  for (const name of quantized.keys()) if (isUnused(model, name)) removeInitializer(model, name);
  ensureOpset(model, 'com.microsoft', 1);
}
