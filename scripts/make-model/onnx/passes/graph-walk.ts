// What every dtype pass needs to walk and edit a GraphModel: the graphs (top level and
// If branches), node attributes, initializers looked up and swapped by name, and lazy
// weight chunks derived from other lazy chunks.

import type { onnx as pb } from 'onnx-proto';
import type { Chunk, LazyChunk } from '../../chunks.ts';
import type { GraphModel } from '../graph-model.ts';
import type { AttrValue, Initializer } from '../graph-builder.ts';
import { AttrType, DataType } from '../proto.ts';

/** TensorProto FLOAT as a plain number (initializer and value-info types are numbers). */
export const FLOAT32: number = DataType.FLOAT;

/** One graph body: the top-level graph or a subgraph (If branch), with its enclosing graphs. */
export interface GraphScope {
  nodes: pb.INodeProto[];
  /** Subgraph bodies only: the GraphProto whose `output` value infos describe its results. */
  proto: pb.IGraphProto | null;
  parent: GraphScope | null;
  /** The node that owns this body (the If), null at top level. */
  owner: pb.INodeProto | null;
}

/** Every graph body, parents before children (the order the onnxruntime tools recurse in). */
export function allScopes(model: GraphModel): GraphScope[] {
  const out: GraphScope[] = [];
  const visit = (scope: GraphScope): void => {
    out.push(scope);
    for (const node of scope.nodes) {
      for (const g of subgraphsOf(node)) {
        visit({ nodes: g.node ?? [], proto: g, parent: scope, owner: node });
      }
    }
  };
  visit({ nodes: model.graph.nodes, proto: null, parent: null, owner: null });
  return out;
}

/** GRAPH attributes of a node (If: then_branch, else_branch). */
export function subgraphsOf(node: pb.INodeProto): pb.IGraphProto[] {
  const out: pb.IGraphProto[] = [];
  for (const a of node.attribute ?? []) {
    if (a.type === AttrType.GRAPH && a.g) {
      a.g.node ??= [];
      out.push(a.g);
    }
  }
  return out;
}

export function intAttr(node: pb.INodeProto, name: string): number | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.i === undefined || a.i === null ? undefined : Number(a.i);
}

export function setIntAttr(node: pb.INodeProto, name: string, value: number): void {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) throw new Error(`${node.name}: no attribute ${name}`);
  a.i = value;
}

export function findInitializer(model: GraphModel, name: string): Initializer | undefined {
  return model.graph.initializers.find((i) => i.name === name);
}

/**
 * Removes an initializer (the onnxruntime tools drop the fp32 original once nothing reads it).
 * GraphBuilder keeps the name reserved, which is harmless: passes only add derived names.
 */
export function removeInitializer(model: GraphModel, name: string): void {
  const list = model.graph.initializers;
  const i = list.findIndex((x) => x.name === name);
  if (i < 0) throw new Error(`initializer ${name} missing`);
  list.splice(i, 1);
}

/** True when no node in any graph body reads `name`. */
export function isUnused(model: GraphModel, name: string): boolean {
  return allScopes(model).every((s) => s.nodes.every((n) => !(n.input ?? []).includes(name)));
}

/** Adds `opset` to the model's imports unless that domain is already imported. */
export function ensureOpset(model: GraphModel, domain: string, version: number): void {
  if (!model.opsets.some((o) => o.domain === domain)) model.opsets.push({ domain, version });
}

/** Bytes of a chunk as float32 values (copied when the bytes are not 4-byte aligned). */
export function float32Of(chunk: Chunk): Float32Array {
  const bytes = chunk instanceof Uint8Array ? chunk : chunk.produce();
  if (bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(bytes.slice().buffer);
}

/**
 * Several lazy chunks cut from one computation on a source chunk (e.g. a quantized weight
 * and its scales). The result is computed on the first part produced and dropped once every
 * part has been produced, so a writer that emits the parts in a row computes it once and
 * never holds more than one weight's worth.
 */
export function derivedChunks<T>(
  compute: () => T,
  parts: { length: number; pick: (result: T) => ArrayBufferView }[],
): LazyChunk[] {
  let result: T | null = null;
  let pending = new Set<number>();
  return parts.map((part, index) => ({
    length: part.length,
    produce: () => {
      if (result === null) {
        result = compute();
        pending = new Set(parts.map((_, i) => i));
      }
      const view = part.pick(result);
      pending.delete(index);
      if (pending.size === 0) result = null;
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      if (bytes.length !== part.length)
        throw new Error(`derived chunk: ${bytes.length} bytes, announced ${part.length}`);
      return bytes;
    },
  }));
}

/** Inserts `added` into `nodes` right before `anchor` (which must be in the list). */
export function insertBefore(
  nodes: pb.INodeProto[],
  anchor: pb.INodeProto,
  added: pb.INodeProto[],
): void {
  const i = nodes.indexOf(anchor);
  if (i < 0) throw new Error(`node ${anchor.name} not in this graph`);
  nodes.splice(i, 0, ...added);
}

/** Replaces `old` in `nodes` by `replacement` (same position). */
export function replaceNode(
  nodes: pb.INodeProto[],
  old: pb.INodeProto,
  replacement: pb.INodeProto[],
): void {
  const i = nodes.indexOf(old);
  if (i < 0) throw new Error(`node ${old.name} not in this graph`);
  nodes.splice(i, 1, ...replacement);
}

/** A node with the name and output names the onnxruntime tools give it (attributes sorted by name, as onnx.helper.make_node writes them). */
export function namedNode(
  model: GraphModel,
  opType: string,
  name: string,
  inputs: string[],
  outputs: string[],
  opts: { attrs?: Record<string, AttrValue>; domain?: string } = {},
): pb.INodeProto {
  const attrs = Object.fromEntries(
    Object.entries(opts.attrs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const node = model.graph.makeNode(opType, inputs, {
    attrs,
    outputs: outputs.length,
    ...(opts.domain ? { domain: opts.domain } : {}),
  });
  node.name = name;
  node.output = outputs;
  return node;
}
