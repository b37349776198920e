// The Hugging Face names of CodeGenForCausalLM's parameters, which the weight sources answer to.

const LAYER_LINEARS = ['attn.qkv_proj', 'attn.out_proj', 'mlp.fc_in', 'mlp.fc_out'] as const;

/** Every linear module in forward order: per layer qkv_proj, out_proj, fc_in, fc_out; lm_head. */
export function codegenLinears(nLayer: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < nLayer; i++)
    for (const l of LAYER_LINEARS) out.push(`transformer.h.${i}.${l}`);
  out.push('lm_head');
  return out;
}

/** The LayerNorm prefixes: transformer.h.{i}.ln_1, then transformer.ln_f. */
export function codegenLayerNorms(nLayer: number): string[] {
  return [
    ...Array.from({ length: nLayer }, (_, i) => `transformer.h.${i}.ln_1`),
    'transformer.ln_f',
  ];
}
