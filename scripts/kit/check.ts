// Do the two engines compute the same model on this GPU? The kit's speed table means little
// if a kernel is wrong on hardware no test has reached (the WGSL engine's GPU layouts, its
// float16 cache): each dtype's file is run by both engines on the same prompts, a batched
// prefill and a few decode steps fed the same tokens, and their logits compared.

import { loadModel } from '../../src/engine/loader/load-model.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import { DirSource } from '../../src/engine/loader/dir-source.node.ts';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { buildPrefill, decodeInputs } from '../../src/engine/padding.ts';
import type { StepInputs } from '../../src/engine/onnx/causal-lm.ts';
import { relativeError } from '../../src/engine/testing/relative-error.ts';
import { WgslLm } from '../../src/engine/webgpu/wgsl-lm.ts';
import { FP16_TOLERANCE, LOGITS_TOLERANCE } from '../make-model/logits-tolerance.ts';
import { describe } from '../bench/config-loop.ts';
import { ortNodeWebGpu } from '../bench/ort-node-webgpu.ts';
import { PromptSource } from '../bench/prompts.ts';
import { ONNX_FILE } from '../bench/types.ts';
import type { BenchDtype } from '../bench/types.ts';

export interface CheckResult {
  dtype: BenchDtype;
  status: 'ok' | 'error' | 'skipped';
  message?: string;
  /** max |wgsl - ort| / max |ort| per step: the prefill, then each decode step. */
  errors: number[];
  /** Whether the WGSL engine kept its cache in float16 (a GPU with shader-f16). */
  f16Cache: boolean;
  /** Rows × steps whose greedy token is the same on both engines. */
  sameArgmax: number;
  compared: number;
  /**
   * The bound both engines must meet together: each is held to its dtype's tolerance from
   * the exact forward pass (logits-tolerance.ts), or the float16 one where the WGSL engine
   * keeps a float16 cache; so they may differ by twice that.
   */
  tolerance: number;
  agree: boolean;
}

const BATCH = 2;
const PROMPT = 12;
const DECODE_STEPS = 3;

async function load(dir: string, dtype: BenchDtype, engine: 'wgsl' | 'ort'): Promise<LoadedModel> {
  return loadModel({
    ort: await ortNodeWebGpu(),
    source: new DirSource(dir),
    onnxPath: ONNX_FILE[dtype],
    backend: 'webgpu',
    engine,
    gpu: nodeGpu,
  });
}

/** Logits of every row's last position after each of `steps`, from an empty cache. */
async function stepLogits(model: LoadedModel, steps: StepInputs[]): Promise<Float32Array[]> {
  const { lm } = model;
  lm.reset();
  const out: Float32Array[] = [];
  for (const inputs of steps) out.push((await lm.step(inputs)).logits.slice());
  lm.reset();
  return out;
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Checks one dtype's file; `refused` says why onnxruntime-web cannot run it here, if so. */
export async function checkDtype(
  dir: string,
  dtype: BenchDtype,
  refused: string | null = null,
): Promise<CheckResult> {
  const empty = { dtype, errors: [], sameArgmax: 0, compared: 0, agree: false, f16Cache: false };
  if (refused) return { ...empty, status: 'skipped', message: refused, tolerance: 0 };
  let wgsl: LoadedModel | null = null;
  let ort: LoadedModel | null = null;
  try {
    wgsl = await load(dir, dtype, 'wgsl');
    ort = await load(dir, dtype, 'ort');
    const { vocabSize, eosId } = wgsl.config;
    const prompts = new PromptSource(dir).rows(BATCH, PROMPT);
    const prefill = buildPrefill(prompts, eosId);
    // The decode steps' tokens are the WGSL engine's greedy picks, fed to both engines, so a
    // near-tie argmax cannot make the two runs diverge.
    const steps: StepInputs[] = [];
    const ours: Float32Array[] = [];
    wgsl.lm.reset();
    if (wgsl.lm instanceof WgslLm) wgsl.lm.reserve(BATCH, PROMPT + DECODE_STEPS + 1);
    let inputs = prefill.inputs;
    let positions = prefill.lastPositions;
    for (let s = 0; s <= DECODE_STEPS; s++) {
      const logits = (await wgsl.lm.step(inputs)).logits.slice();
      steps.push(inputs);
      ours.push(logits);
      const tokens = Array.from({ length: BATCH }, (_, r) =>
        argmax(logits.subarray(r * vocabSize, (r + 1) * vocabSize)),
      );
      const next = decodeInputs(tokens, inputs.attentionMask, positions);
      inputs = next.inputs;
      positions = next.positions;
    }
    wgsl.lm.reset();
    const theirs = await stepLogits(ort, steps);
    const errors = ours.map((o, s) => relativeError(o, theirs[s]!));
    let same = 0;
    for (let s = 0; s < steps.length; s++)
      for (let r = 0; r < BATCH; r++) {
        const row = (x: Float32Array): Float32Array =>
          x.subarray(r * vocabSize, (r + 1) * vocabSize);
        if (argmax(row(ours[s]!)) === argmax(row(theirs[s]!))) same++;
      }
    const f16Cache = wgsl.lm instanceof WgslLm && wgsl.lm.cacheElementBytes === 2;
    // fp16 and q4f16 already have the float16 tolerance; a float16 cache brings it to all.
    const tolerance = 2 * Math.max(LOGITS_TOLERANCE[dtype], f16Cache ? FP16_TOLERANCE : 0);
    const worst = Math.max(...errors);
    return {
      dtype,
      status: 'ok',
      errors,
      f16Cache,
      sameArgmax: same,
      compared: steps.length * BATCH,
      tolerance,
      agree: worst <= tolerance,
    };
  } catch (error) {
    return { ...empty, status: 'error', message: describe(error), tolerance: 0 };
  } finally {
    await wgsl?.lm.release();
    await ort?.lm.release();
  }
}
