import type * as OrtNode from 'onnxruntime-node';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';

/**
 * onnxruntime-node shaped as the `ort` our engine takes, so the native CPU EP runs the same
 * ONNX file under the same loader, cache handling and generation loop. Both packages
 * implement onnxruntime-common's API; the one difference that matters is the EP name:
 * CausalLm asks for 'wasm', which onnxruntime-node does not have, so it becomes 'cpu'.
 * Imported when asked for: the GPU kit's bundle carries no onnxruntime-node.
 */
export async function ortNodeCpu(): Promise<Ort> {
  const ortNode: typeof OrtNode = await import('onnxruntime-node');
  const create = (
    model: Uint8Array,
    options: OrtNode.InferenceSession.SessionOptions = {},
  ): Promise<OrtNode.InferenceSession> =>
    ortNode.InferenceSession.create(model, { ...options, executionProviders: ['cpu'] });
  // CausalLm uses InferenceSession.create, Tensor and env only; the cast covers the
  // web-only parts of the type (env.wasm, env.webgpu) that the CPU path never reads.
  return { ...ortNode, InferenceSession: { create } } as unknown as Ort;
}
