// Walking a parsed ONNX graph: which node makes or reads a tensor, in the top-level graph and
// in If branches (a merged decoder's nodes live there, its initializers at top level), and
// which constant a node input really is once Cast / Identity / Transpose nodes that only
// convert a weight are looked through.

import type { OnnxGraph, OnnxModel, OnnxNode, OnnxTensor } from './onnx-reader.ts';
import { OnnxDataType } from './onnx-reader.ts';

/** One graph body with the graphs that enclose it (a branch sees its parents' names). */
export interface Scope {
  graph: OnnxGraph;
  parent: Scope | null;
  /** Tensor name → the node of this body that outputs it. */
  producers: Map<string, OnnxNode>;
  /** Tensor name → the nodes of this body that read it. */
  consumers: Map<string, OnnxNode[]>;
}

/** A weight as a node input sees it. */
export interface ConstantRef {
  tensor: OnnxTensor;
  /** A 2-D Transpose lies between the stored tensor and the reader. */
  transposed: boolean;
}

/** Ops that hand a constant on unchanged in value (Cast widens or narrows a float weight). */
const CONSTANT_PASS = new Set(['Cast', 'Identity']);

export class GraphIndex {
  /** Every graph body, parents first (top level, then If branches in file order). */
  readonly scopes: Scope[] = [];
  /** Initializers of every body and Constant node outputs, by name. */
  private readonly constants = new Map<string, OnnxTensor>();

  constructor(model: OnnxModel) {
    this.addScope(model.graph, null);
  }

  private addScope(graph: OnnxGraph, parent: Scope | null): void {
    const scope: Scope = { graph, parent, producers: new Map(), consumers: new Map() };
    this.scopes.push(scope);
    for (const [name, t] of graph.initializers) this.constants.set(name, t);
    for (const node of graph.nodes) {
      for (const out of node.outputs) scope.producers.set(out, node);
      for (const input of node.inputs) {
        if (input === '') continue;
        const list = scope.consumers.get(input);
        if (list) list.push(node);
        else scope.consumers.set(input, [node]);
      }
      if (node.opType === 'Constant' && node.outputs[0]) {
        const t = constantNodeTensor(node);
        if (t) this.constants.set(node.outputs[0], t);
      }
    }
    for (const node of graph.nodes) {
      for (const a of node.attributes.values()) if (a.g) this.addScope(a.g, scope);
    }
  }

  /** The node that computes `name`, looked up from `scope` outwards. */
  producer(scope: Scope, name: string): OnnxNode | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const node = s.producers.get(name);
      if (node) return node;
    }
    return undefined;
  }

  consumers(scope: Scope, name: string): OnnxNode[] {
    return scope.consumers.get(name) ?? [];
  }

  /** The stored tensor named `name` (initializer or Constant output), not looking through ops. */
  tensor(name: string): OnnxTensor | undefined {
    return this.constants.get(name);
  }

  /** The constant behind a node input, through Cast / Identity / 2-D Transpose; else null. */
  constant(scope: Scope, name: string): ConstantRef | null {
    let transposed = false;
    let current = name;
    for (let depth = 0; depth < 8; depth++) {
      const t = this.constants.get(current);
      if (t) return { tensor: t, transposed };
      const node = this.producer(scope, current);
      if (!node || !node.inputs[0]) return null;
      if (node.opType === 'Transpose') {
        const perm = node.attributes.get('perm')?.ints;
        if (perm && !(perm.length === 2 && perm[0] === 1 && perm[1] === 0)) return null;
        transposed = !transposed;
      } else if (!CONSTANT_PASS.has(node.opType)) return null;
      current = node.inputs[0];
    }
    return null;
  }

  /** The node making `name`, skipping ops in `through` (their first input is followed). */
  producerThrough(scope: Scope, name: string, through: ReadonlySet<string>): OnnxNode | undefined {
    let current = name;
    for (let depth = 0; depth < 8; depth++) {
      const node = this.producer(scope, current);
      if (!node || !through.has(node.opType) || !node.inputs[0]) return node;
      current = node.inputs[0];
    }
    return undefined;
  }
}

/** A Constant node's value as a tensor (value, or value_float / value_floats). */
function constantNodeTensor(node: OnnxNode): OnnxTensor | null {
  const value = node.attributes.get('value')?.t;
  if (value) return { ...value, name: node.outputs[0] ?? value.name };
  const f = node.attributes.get('value_float')?.f;
  const fs = node.attributes.get('value_floats')?.floats ?? (f === undefined ? undefined : [f]);
  if (!fs) return null;
  const data = Float32Array.from(fs);
  return {
    name: node.outputs[0] ?? '',
    dims: f === undefined ? [fs.length] : [],
    dataType: OnnxDataType.FLOAT,
    raw: new Uint8Array(data.buffer),
    typed: [],
    external: null,
  };
}
