// The CodeGen parameters as the WGSL engine's kernels read them, whatever file they came
// from (an ONNX export in any published layout and dtype, or model.safetensors). Every
// matrix is in torch nn.Linear layout, [N outputs, K inputs] row-major, so one output's
// weights are contiguous: what a matrix × vector kernel wants, and what MatMulNBits stores.

/** A dense [rows, cols] matrix, float32 or float16 bits. */
export type DenseMatrix =
  | { format: 'f32'; rows: number; cols: number; data: Float32Array }
  | { format: 'f16'; rows: number; cols: number; data: Uint16Array };

/**
 * One linear layer's weight, y = x W^T (+ bias, read separately with `vector`).
 * q4 is com.microsoft MatMulNBits bits=4 as stored: `packed` [N, kBlocks, blockSize/2]
 * (element k of a block in byte k>>1, low nibble for even k), `scales` [N, kBlocks]
 * (float16 scales are widened here), `zeroPoints` [N, ceil(kBlocks/2)] packed the same way,
 * or null for the default 8. w[n, k] = (q - zp) * scale.
 */
export type LinearWeight =
  | (DenseMatrix & { kind: 'dense' })
  | {
      kind: 'q4';
      rows: number; // N
      cols: number; // K
      blockSize: number;
      packed: Uint8Array;
      scales: Float32Array;
      zeroPoints: Uint8Array | null;
    };

/**
 * Where the parameters come from. Names are Hugging Face CodeGen parameter / module names:
 * linear('transformer.h.3.attn.qkv_proj'), linear('lm_head'),
 * vector('transformer.h.3.ln_1.weight'), vector('transformer.h.3.mlp.fc_in.bias'),
 * vector('lm_head.bias'), embedding() = transformer.wte.weight [vocab, n_embd].
 * Each call builds its tensor when asked (a view into the file where the bytes allow, one
 * tensor's copy otherwise), so an uploader can stream one tensor at a time to the GPU.
 */
export interface CodegenWeightSource {
  /** For messages and the model card: e.g. "onnx/model_q4.onnx: MatMulNBits 4-bit, block 32". */
  readonly description: string;
  linear(module: string): LinearWeight;
  vector(name: string): Float32Array;
  /** Whether a vector exists (CodeGen's linears other than out_proj/qkv_proj have biases). */
  hasVector(name: string): boolean;
  embedding(): DenseMatrix;
  /** The LayerNorm epsilon the file was made with, when it records one. */
  readonly layerNormEpsilon: number | null;
}
