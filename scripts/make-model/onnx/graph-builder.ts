// Accumulates ONNX nodes and initializers. Node outputs are auto-named;
// initializer payloads may be lazy chunks so large weights are produced only
// while the file is written.

import type { onnx as pb } from 'onnx-proto';
import type { Chunk } from '../chunks.ts';
import { bytesOf } from '../chunks.ts';
import { AttrType, DataType } from './proto.ts';

export type AttrValue = number | number[] | { float: number } | string;

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

export class GraphBuilder {
  readonly nodes: pb.INodeProto[] = [];
  readonly initializers: Initializer[] = [];
  private readonly initializerNames = new Set<string>();
  private count = 0;
  /** Prefix for node names, e.g. `/transformer.h.0/attn`. */
  scope = '';

  node(opType: string, inputs: string[], opts: NodeOptions = {}): string[] {
    const name = `${this.scope}/${opType}_${this.count++}`;
    const n = opts.outputs ?? 1;
    const output = Array.from({ length: n }, (_, i) =>
      i === 0 && opts.outputName ? opts.outputName : `${name}_output_${i}`,
    );
    const attribute = Object.entries(opts.attrs ?? {}).map(([key, v]) => encodeAttr(key, v));
    this.nodes.push({ name, opType, input: inputs, output, attribute, domain: opts.domain ?? '' });
    return output;
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
  return { name, type: AttrType.FLOAT, f: v.float };
}
