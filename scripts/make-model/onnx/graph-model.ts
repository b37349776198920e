// A whole ONNX model before it is written: what a layout builds and what a dtype pass rewrites.

import type { onnx as pb } from 'onnx-proto';
import type { GraphBuilder } from './graph-builder.ts';

export interface OpsetImport {
  domain: string;
  version: number;
}

export interface GraphModel {
  /** Top-level nodes and ALL initializers; subgraphs (If branches) hold nodes only. */
  graph: GraphBuilder;
  graphName: string;
  inputs: pb.IValueInfoProto[];
  outputs: pb.IValueInfoProto[];
  opsets: OpsetImport[];
}
