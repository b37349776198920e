// Pieces every layout shares: the HF parameters as fp32 initializers, nn.Linear as the
// torch exporter writes it, and the graph's inputs/outputs.

import type { onnx as pb } from 'onnx-proto';
import { bytesOf } from '../../chunks.ts';
import type { ModelDims } from '../../config.ts';
import { linearPlans, transpose } from '../../weights.ts';
import type { LinearPlan, WeightSource } from '../../weights.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { valueInfo } from '../model-writer.ts';
import { DataType } from '../proto.ts';

/** torch.finfo(torch.float32).min: HF's mask value. */
export const FLOAT32_MIN = -3.4028234663852886e38;

/** Weights of one model, as initializers of one graph. */
export class Params {
  private readonly plans: Map<string, LinearPlan>;

  constructor(
    readonly g: GraphBuilder,
    readonly source: WeightSource,
  ) {
    this.plans = new Map(linearPlans(source.dims).map((p) => [p.module, p]));
  }

  /** An HF parameter (`transformer.h.0.ln_1.weight`) as an fp32 initializer, created once. */
  tensor(name: string): string {
    if (this.g.hasInitializer(name)) return name;
    const p = this.source.plan(name);
    const count = p.shape.reduce((a, b) => a * b, 1);
    return this.g.initializer(name, p.shape, DataType.FLOAT, {
      length: count * 4,
      produce: () => bytesOf(this.source.values(name)),
    });
  }

  /**
   * nn.Linear as torch.onnx exports it: MatMul(x, W^T) with W^T [K, N] an fp32 initializer,
   * then Add(bias). This is the form the dtype passes (onnx/passes) rewrite. Initializers are
   * shared by name, so the two branches of a merged decoder use the same weights.
   */
  linear(x: string, module: string, outputName?: string): string {
    const plan = this.plans.get(module);
    if (!plan) throw new Error(`no linear ${module}`);
    const { outDim: N, inDim: K } = plan;
    const wName = `${module}.weight_transposed`;
    const w = this.g.hasInitializer(wName)
      ? wName
      : this.g.initializer(wName, [K, N], DataType.FLOAT, {
          length: K * N * 4,
          produce: () => bytesOf(transpose(this.source.values(`${module}.weight`), N, K)),
        });
    const named = outputName && !plan.hasBias ? { outputName } : {};
    const y = this.g.op('MatMul', [x, w], named);
    if (!plan.hasBias) return y;
    return this.g.op('Add', [y, this.tensor(`${module}.bias`)], outputName ? { outputName } : {});
  }
}

/** An fp32 constant of any shape, shared by name. */
export function floats(
  g: GraphBuilder,
  name: string,
  dims: number[],
  values: Float32Array,
): string {
  if (g.hasInitializer(name)) return name;
  return g.initializer(name, dims, DataType.FLOAT, bytesOf(values));
}

export interface SignatureOptions {
  positionIds: boolean;
  /** dim_param of attention_mask's second axis. */
  maskLength: string;
  /** dim_param of present.*'s third axis. */
  presentLength: string;
  /**
   * `forward`: inputs in CodeGenForCausalLM.forward's order (input_ids, past_key_values.*,
   * attention_mask, position_ids), as optimum's OnnxConfig.ordered_inputs sorts them for the
   * exporter. `ids-mask-past`: input_ids, attention_mask, [position_ids], past_key_values.*.
   */
  inputOrder: 'forward' | 'ids-mask-past';
}

/** input_ids, attention_mask, [position_ids], past_key_values.*; logits, present.*. */
export function signature(
  d: ModelDims,
  opts: SignatureOptions,
): { inputs: pb.IValueInfoProto[]; outputs: pb.IValueInfoProto[] } {
  const H = d.n_head;
  const D = d.n_embd / H;
  const ids = valueInfo('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const mask = valueInfo('attention_mask', DataType.INT64, ['batch_size', opts.maskLength]);
  const positions = opts.positionIds
    ? [valueInfo('position_ids', DataType.INT64, ['batch_size', 'sequence_length'])]
    : [];
  const past: pb.IValueInfoProto[] = [];
  const outputs = [
    valueInfo('logits', DataType.FLOAT, ['batch_size', 'sequence_length', d.vocab_size]),
  ];
  for (let i = 0; i < d.n_layer; i++) {
    for (const kind of ['key', 'value']) {
      const pastDims = ['batch_size', H, 'past_sequence_length', D];
      past.push(valueInfo(`past_key_values.${i}.${kind}`, DataType.FLOAT, pastDims));
      const present = ['batch_size', H, opts.presentLength, D];
      outputs.push(valueInfo(`present.${i}.${kind}`, DataType.FLOAT, present));
    }
  }
  const inputs =
    opts.inputOrder === 'forward'
      ? [ids, ...past, mask, ...positions]
      : [ids, mask, ...positions, ...past];
  return { inputs, outputs };
}
