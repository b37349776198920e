// Accumulates ONNX nodes and initializers. Node outputs are auto-named;
// initializer payloads may be lazy chunks so large weights are produced only
// while the file is written.

import type { onnx as pb } from 'onnx-proto';
import type { Chunk } from '../chunks.ts';
import { bytesOf } from '../chunks.ts';
import { AttrType, DataType } from './proto.ts';

export type AttrValue = number | number[] | { float: number } | string | { graph: pb.IGraphProto };

export interface Initializer {
  name: string;
  dims: number[];
  dataType: number;
  data: Chunk;
}

export interface NodeOptions {
  attrs?: Record<string, AttrValue>;
  domain?: string;
  outputs?: number;
  /** Name for the (first) output, e.g. a graph output such as `logits`. */
  outputName?: string;
}

/**
 * Nodes and initializers of one graph. A subgraph (an If branch) is another GraphBuilder made
 * by `subgraph()`: it has its own node list but shares the parent's initializers, names and
 * counter, as optimum's merged decoders keep every initializer in the top-level graph.
 * Passes (onnx/passes) find subgraph bodies as node attributes of type GRAPH, whose `node`
 * array is the subgraph builder's own `nodes` array (mutating one mutates the other).
 */
export class GraphBuilder {
  readonly nodes: pb.INodeProto[] = [];
  /** Shared with every subgraph builder made from this one. */
  readonly initializers: Initializer[];
  private readonly initializerNames: Set<string>;
  private readonly counter: { next: number };
  /** Prefix for node names, e.g. `/transformer.h.0/attn`. */
  scope = '';

  constructor(parent?: GraphBuilder) {
    this.initializers = parent ? parent.initializers : [];
    this.initializerNames = parent ? parent.initializerNames : new Set<string>();
    this.counter = parent ? parent.counter : { next: 0 };
    if (parent) this.scope = parent.scope;
  }

  /** A builder for a subgraph body sharing this graph's initializers and node counter. */
  subgraph(): GraphBuilder {
    return new GraphBuilder(this);
  }

  /** The GraphProto of a subgraph body (nodes by reference; no initializers of its own). */
  toGraphProto(
    name: string,
    outputs: pb.IValueInfoProto[],
    inputs: pb.IValueInfoProto[] = [],
  ): pb.IGraphProto {
    return { name, node: this.nodes, input: inputs, output: outputs };
  }

  /** A node that is not appended anywhere (passes insert it where it belongs). */
  makeNode(opType: string, inputs: string[], opts: NodeOptions = {}): pb.INodeProto {
    const name = `${this.scope}/${opType}_${this.counter.next++}`;
    const n = opts.outputs ?? 1;
    const output = Array.from({ length: n }, (_, i) =>
      i === 0 && opts.outputName ? opts.outputName : `${name}_output_${i}`,
    );
    const attribute = Object.entries(opts.attrs ?? {}).map(([key, v]) => encodeAttr(key, v));
    return { name, opType, input: inputs, output, attribute, domain: opts.domain ?? '' };
  }

  node(opType: string, inputs: string[], opts: NodeOptions = {}): string[] {
    const node = this.makeNode(opType, inputs, opts);
    this.nodes.push(node);
    return node.output as string[];
  }

  hasInitializer(name: string): boolean {
    return this.initializerNames.has(name);
  }

  /** Single-output node. */
  op(opType: string, inputs: string[], opts: NodeOptions = {}): string {
    return this.node(opType, inputs, opts)[0]!;
  }

  initializer(name: string, dims: number[], dataType: number, data: Chunk): string {
    if (this.initializerNames.has(name)) throw new Error(`duplicate initializer ${name}`);
    this.initializerNames.add(name);
    this.initializers.push({ name, dims, dataType, data });
    return name;
  }

  /** Small int64 constant (shapes, axes), shared by name. */
  int64s(values: number[], dims: number[] = [values.length]): string {
    const name = `const_i64_${dims.length === 0 ? 'scalar_' : ''}${values.join('_').replace(/-/g, 'm')}`;
    if (this.initializerNames.has(name)) return name;
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    return this.initializer(name, dims, DataType.INT64, bytesOf(data));
  }

  /** fp32 scalar constant, shared by name. */
  float(value: number, label: string): string {
    const name = `const_f32_${label}`;
    if (this.initializerNames.has(name)) return name;
    return this.initializer(name, [], DataType.FLOAT, bytesOf(Float32Array.of(value)));
  }
}

function encodeAttr(name: string, v: AttrValue): pb.IAttributeProto {
  if (typeof v === 'number') return { name, type: AttrType.INT, i: v };
  if (typeof v === 'string') return { name, type: AttrType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: AttrType.INTS, ints: v };
  if ('graph' in v) return { name, type: AttrType.GRAPH, g: v.graph };
  return { name, type: AttrType.FLOAT, f: v.float };
}
