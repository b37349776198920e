import type * as OrtNamespace from 'onnxruntime-web';

/**
 * The onnxruntime-web module is injected rather than imported: the browser worker loads
 * the unbundled build from /vendor/ort/ (its pthreads need their own module URL), Node
 * imports the package's WASM build. Both have the same API and types.
 */
export type Ort = typeof OrtNamespace;
export type OrtTensor = OrtNamespace.Tensor;
export type OrtSession = OrtNamespace.InferenceSession;
