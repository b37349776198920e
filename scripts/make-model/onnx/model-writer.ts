// Serialises a GraphBuilder as an ONNX ModelProto without ever holding the
// whole file in memory. Small parts (nodes, value infos, tensor headers) are
// encoded with onnx-proto; each initializer's raw_data and the enclosing
// length prefixes are framed by hand around lazily produced weight bytes.
// Protobuf allows fields in any order, so raw_data follows the tensor header.

import type { onnx as pb } from 'onnx-proto';
import type { Chunk } from '../chunks.ts';
import { chunksLength } from '../chunks.ts';
import type { GraphBuilder } from './graph-builder.ts';
import { FIELD, lengthPrefix, onnx } from './proto.ts';

export interface ModelSpec {
  graph: GraphBuilder;
  graphName: string;
  inputs: pb.IValueInfoProto[];
  outputs: pb.IValueInfoProto[];
  opsets: { domain: string; version: number }[];
  producerVersion: string;
}

/** onnxruntime parses a model with protobuf's 2 GiB message limit: no single file beyond it. */
export const MAX_PROTOBUF_BYTES = 2 ** 31 - 1;

export function modelChunks(spec: ModelSpec): Chunk[] {
  const graphHead = onnx.GraphProto.encode({
    node: spec.graph.nodes,
    name: spec.graphName,
    input: spec.inputs,
    output: spec.outputs,
  }).finish();
  const graphBody: Chunk[] = [graphHead];
  for (const init of spec.graph.initializers) {
    const tensorHead = onnx.TensorProto.encode({
      name: init.name,
      dims: init.dims,
      dataType: init.dataType,
    }).finish();
    const rawPrefix = lengthPrefix(FIELD.tensorRawData, init.data.length);
    const tensorLength = tensorHead.length + rawPrefix.length + init.data.length;
    graphBody.push(
      lengthPrefix(FIELD.graphInitializer, tensorLength),
      tensorHead,
      rawPrefix,
      init.data,
    );
  }
  const graphLength = chunksLength(graphBody);
  const modelHead = onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'codegen-webgpu-playground/make-model',
    producerVersion: spec.producerVersion,
    opsetImport: spec.opsets,
  }).finish();
  const chunks: Chunk[] = [modelHead, lengthPrefix(FIELD.modelGraph, graphLength), ...graphBody];
  const total = chunksLength(chunks);
  if (total > MAX_PROTOBUF_BYTES) {
    throw new Error(
      `${spec.graphName}: ${total} bytes exceeds the 2 GiB protobuf limit; onnxruntime cannot load it ` +
        'as a single file (external data would be needed)',
    );
  }
  return chunks;
}

type Dim = number | string;

export function valueInfo(name: string, elemType: number, dims: Dim[]): pb.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}
