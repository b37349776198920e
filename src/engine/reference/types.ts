// Shapes and config fields the reference forward pass needs. Field names follow
// the Hugging Face CodeGen config.json so a parsed config can be passed as is.

export interface CodegenConfig {
  n_layer: number;
  n_head: number;
  n_embd: number;
  rotary_dim: number;
  vocab_size: number;
  n_positions: number;
  layer_norm_epsilon: number;
  /** MLP width; HF uses 4 * n_embd when null or absent. */
  n_inner?: number | null;
}

/** A dense fp32 tensor in row-major order. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** HF parameter name (e.g. `transformer.h.0.ln_1.weight`) → tensor. */
export type WeightMap = ReadonlyMap<string, Tensor>;

/**
 * One linear layer y = x W^T + b, addressed by its HF module name
 * (e.g. `transformer.h.0.attn.qkv_proj`). Pluggable so tests can swap in
 * dequantized or integer-simulated weights.
 */
export type LinearFn = (x: Float32Array, rows: number, module: string) => Float32Array;

export function getTensor(weights: WeightMap, name: string): Tensor {
  const t = weights.get(name);
  if (!t) throw new Error(`missing weight ${name}`);
  return t;
}
