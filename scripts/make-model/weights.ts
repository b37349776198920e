// The parameter list of CodeGenForCausalLM (HF names and torch shapes) and how
// each tensor is initialised. Values are regenerated on demand from the seed.

import { innerDim } from './config.ts';
import type { ModelDims } from './config.ts';
import { fillNormalish } from './rng.ts';

export interface ParamPlan {
  name: string;
  shape: number[];
  /** Values are mean + std * normal-ish noise. */
  mean: number;
  std: number;
}

/** A linear layer as the graph builders see it: HF module name and torch shape [out, in]. */
export interface LinearPlan {
  module: string;
  outDim: number;
  inDim: number;
  hasBias: boolean;
}

/**
 * Scales: linear weights use std = gain / sqrt(fan_in) so activations stay O(1) at any width
 * (0.008–0.06 for the 350M shape, close to HF's initializer_range 0.02); attention and
 * lm_head gains are high enough that attention is not uniform and the logits have a clear,
 * input-dependent top token. Layer norms stay near identity.
 */
const GAIN = { qkv: 1.5, out: 0.5, fcIn: 1.0, fcOut: 0.5, lmHead: 2.0 } as const;

export function linearPlans(d: ModelDims): LinearPlan[] {
  const E = d.n_embd;
  const inner = innerDim(d);
  const out: LinearPlan[] = [];
  for (let i = 0; i < d.n_layer; i++) {
    const p = `transformer.h.${i}`;
    out.push({ module: `${p}.attn.qkv_proj`, outDim: 3 * E, inDim: E, hasBias: false });
    out.push({ module: `${p}.attn.out_proj`, outDim: E, inDim: E, hasBias: false });
    out.push({ module: `${p}.mlp.fc_in`, outDim: inner, inDim: E, hasBias: true });
    out.push({ module: `${p}.mlp.fc_out`, outDim: E, inDim: inner, hasBias: true });
  }
  out.push({ module: 'lm_head', outDim: d.vocab_size, inDim: E, hasBias: true });
  return out;
}

/** Every parameter in HF state_dict order. */
export function planParameters(d: ModelDims): ParamPlan[] {
  const E = d.n_embd;
  const inner = innerDim(d);
  const lnPair = (prefix: string): ParamPlan[] => [
    { name: `${prefix}.weight`, shape: [E], mean: 1, std: 0.05 },
    { name: `${prefix}.bias`, shape: [E], mean: 0, std: 0.02 },
  ];
  const w = (name: string, outDim: number, inDim: number, gain: number): ParamPlan => ({
    name,
    shape: [outDim, inDim],
    mean: 0,
    std: gain / Math.sqrt(inDim),
  });
  const bias = (name: string, n: number): ParamPlan => ({ name, shape: [n], mean: 0, std: 0.02 });

  const plans: ParamPlan[] = [
    { name: 'transformer.wte.weight', shape: [d.vocab_size, E], mean: 0, std: 1 },
  ];
  for (let i = 0; i < d.n_layer; i++) {
    const p = `transformer.h.${i}`;
    plans.push(
      ...lnPair(`${p}.ln_1`),
      w(`${p}.attn.qkv_proj.weight`, 3 * E, E, GAIN.qkv),
      w(`${p}.attn.out_proj.weight`, E, E, GAIN.out),
      w(`${p}.mlp.fc_in.weight`, inner, E, GAIN.fcIn),
      bias(`${p}.mlp.fc_in.bias`, inner),
      w(`${p}.mlp.fc_out.weight`, E, inner, GAIN.fcOut),
      bias(`${p}.mlp.fc_out.bias`, E),
    );
  }
  plans.push(
    ...lnPair('transformer.ln_f'),
    w('lm_head.weight', d.vocab_size, E, GAIN.lmHead),
    bias('lm_head.bias', d.vocab_size),
  );
  return plans;
}

/** Looks parameters up by name and produces their values (deterministic per seed). */
export class WeightSource {
  private readonly plans: Map<string, ParamPlan>;

  constructor(
    readonly dims: ModelDims,
    readonly seed: number,
  ) {
    this.plans = new Map(planParameters(dims).map((p) => [p.name, p]));
  }

  plan(name: string): ParamPlan {
    const p = this.plans.get(name);
    if (!p) throw new Error(`unknown parameter ${name}`);
    return p;
  }

  values(name: string): Float32Array {
    const p = this.plan(name);
    const out = new Float32Array(p.shape.reduce((a, b) => a * b, 1));
    fillNormalish(out, this.seed, name, p.std, p.mean);
    return out;
  }
}

/** [rows, cols] → [cols, rows]: torch Linear weight [out, in] to ONNX MatMul B [in, out]. */
export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  }
  return out;
}
