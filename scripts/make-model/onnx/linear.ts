// How one nn.Linear becomes ONNX nodes in each model variant:
//   fp32: MatMul(x, W^T) [+ Add bias]                             (torch.onnx export)
//   q4:   com.microsoft MatMulNBits(x, B, scales, zero_points) [+ Add bias]
//   q8:   DynamicQuantizeLinear(x) → MatMulInteger → Cast → Mul(x_scale * w_scale) [+ Add bias]
//         (onnxruntime quantize_dynamic, one DynamicQuantizeLinear per distinct input)

import { bytesOf } from '../chunks.ts';
import type { LazyChunk } from '../chunks.ts';
import { Q4_BLOCK_SIZE, q4Sizes, quantizeQ4, quantizeQ8 } from '../quant.ts';
import type { LinearPlan, WeightSource } from '../weights.ts';
import { transpose } from '../weights.ts';
import type { GraphBuilder } from './graph-builder.ts';
import { DataType } from './proto.ts';

export type Variant = 'fp32' | 'q4' | 'q8';

export type LinearEmitter = (
  g: GraphBuilder,
  x: string,
  plan: LinearPlan,
  outputName?: string,
) => string;

/** Lazy chunk that slices one part out of a per-module result computed at most once in a row. */
function memoPart<T>(
  compute: () => T,
  pick: (t: T) => ArrayBufferView,
  length: number,
  memo: Memo<T>,
): LazyChunk {
  return { length, produce: () => bytesOf(pick(memo.get(compute))) };
}

/** One-entry cache: a module's initializers are written consecutively. */
class Memo<T> {
  private key: (() => T) | null = null;
  private value: T | null = null;
  get(compute: () => T): T {
    if (this.key !== compute || this.value === null) {
      this.value = compute();
      this.key = compute;
    }
    return this.value;
  }
}

function addBias(
  g: GraphBuilder,
  y: string,
  plan: LinearPlan,
  source: WeightSource,
  outputName?: string,
): string {
  if (!plan.hasBias) return y;
  const name = `${plan.module}.bias`;
  const bias = g.initializer(name, [plan.outDim], DataType.FLOAT, {
    length: plan.outDim * 4,
    produce: () => bytesOf(source.values(name)),
  });
  return g.op('Add', [y, bias], outputName ? { outputName } : {});
}

export function linearEmitter(variant: Variant, source: WeightSource): LinearEmitter {
  if (variant === 'fp32') return fp32Linear(source);
  if (variant === 'q4') return q4Linear(source);
  return q8Linear(source);
}

function fp32Linear(source: WeightSource): LinearEmitter {
  return (g, x, plan, outputName) => {
    const { module, outDim: N, inDim: K } = plan;
    const w = g.initializer(`${module}.weight_transposed`, [K, N], DataType.FLOAT, {
      length: K * N * 4,
      produce: () => bytesOf(transpose(source.values(`${module}.weight`), N, K)),
    });
    const named = plan.hasBias || !outputName ? {} : { outputName };
    return addBias(g, g.op('MatMul', [x, w], named), plan, source, outputName);
  };
}

function q4Linear(source: WeightSource): LinearEmitter {
  const memo = new Memo<ReturnType<typeof quantizeQ4>>();
  return (g, x, plan, outputName) => {
    const { module, outDim: N, inDim: K } = plan;
    const sizes = q4Sizes(N, K);
    const compute = (): ReturnType<typeof quantizeQ4> =>
      quantizeQ4(source.values(`${module}.weight`), N, K);
    const dims = [N, sizes.kBlocks, Q4_BLOCK_SIZE / 2];
    const b = g.initializer(
      `${module}.weight_Q4`,
      dims,
      DataType.UINT8,
      memoPart(compute, (q) => q.packed, sizes.packed, memo),
    );
    const s = g.initializer(
      `${module}.weight_scales`,
      [N, sizes.kBlocks],
      DataType.FLOAT,
      memoPart(compute, (q) => q.scales, sizes.scales * 4, memo),
    );
    const zp = g.initializer(
      `${module}.weight_zero_points`,
      [N, Math.ceil(sizes.kBlocks / 2)],
      DataType.UINT8,
      memoPart(compute, (q) => q.zeroPoints, sizes.zeroPoints, memo),
    );
    const y = g.op('MatMulNBits', [x, b, s, zp], {
      domain: 'com.microsoft',
      attrs: { K, N, bits: 4, block_size: Q4_BLOCK_SIZE },
      ...(plan.hasBias || !outputName ? {} : { outputName }),
    });
    return addBias(g, y, plan, source, outputName);
  };
}

function q8Linear(source: WeightSource): LinearEmitter {
  const memo = new Memo<ReturnType<typeof quantizeQ8>>();
  const quantizedInputs = new Map<string, string[]>(); // x → [x_q, x_scale, x_zero_point]
  return (g, x, plan, outputName) => {
    const { module, outDim: N, inDim: K } = plan;
    const compute = (): ReturnType<typeof quantizeQ8> =>
      quantizeQ8(source.values(`${module}.weight`), N, K);
    let xq = quantizedInputs.get(x);
    if (!xq) {
      xq = g.node('DynamicQuantizeLinear', [x], { outputs: 3 });
      quantizedInputs.set(x, xq);
    }
    const w = g.initializer(
      `${module}.weight_quantized`,
      [K, N],
      DataType.INT8,
      memoPart(compute, (q) => q.data, K * N, memo),
    );
    const ws = g.initializer(
      `${module}.weight_scale`,
      [],
      DataType.FLOAT,
      memoPart(compute, (q) => Float32Array.of(q.scale), 4, memo),
    );
    const wzp = g.initializer(`${module}.weight_zero_point`, [], DataType.INT8, new Uint8Array(1));
    const acc = g.op('MatMulInteger', [xq[0]!, w, xq[2]!, wzp]); // int32 [.., N]
    const accF = g.op('Cast', [acc], { attrs: { to: DataType.FLOAT } });
    const scale = g.op('Mul', [xq[1]!, ws]);
    const y = g.op('Mul', [accF, scale], plan.hasBias || !outputName ? {} : { outputName });
    return addBias(g, y, plan, source, outputName);
  };
}
