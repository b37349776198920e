// The top of one step's logits per row, computed where the logits are (the GPU), so a step
// reads back a few hundred bytes per row instead of the vocabulary. The sampler settles a
// token from them when that is exact (greedy, top-k within the candidates, a top-p nucleus
// inside them) and asks for the full row otherwise, with the same random draw.

import type { StepInputs } from '../onnx/causal-lm.ts';

export interface StepCandidates {
  /** Candidates per row. */
  k: number;
  /** [rows, k] token ids, best first (ties: lower id first); -1 past the last finite logit. */
  ids: Int32Array;
  /** [rows, k] their logits. */
  logits: Float32Array;
  /** [rows] the largest logit below vocabLimit. */
  max: Float32Array;
  /** [rows] log Σ exp(logit) over ids below vocabLimit (temperature 1). */
  logZ: Float32Array;
  /** [rows] Σ exp((logit - max) * invTemperature) over ids below vocabLimit. */
  total: Float32Array;
}

export interface CandidateRequest {
  /** Candidates per row, 1..64. */
  k: number;
  /** Ids at or above it are masked (the tokenizer's size). */
  vocabLimit: number;
  /** 1 / temperature of the sampling distribution (1 for greedy). */
  invTemperature: number;
}

/**
 * A step model that can keep its logits on the device: step with candidates, then, only for
 * rows whose token the candidates cannot settle, read those rows in full.
 */
export interface CandidateSource {
  /**
   * Whether generation should ask for candidates. False where reading a whole row costs no
   * more than selecting on the device (a software adapter: its "GPU memory" is host memory,
   * and its sort is slower than the CPU sampler's heap).
   */
  readonly candidatesOnDevice: boolean;
  stepCandidates(inputs: StepInputs, request: CandidateRequest): Promise<StepCandidates>;
  /** Rows of the last stepCandidates' logits, [rows.length, vocab]. */
  readLogits(rows: readonly number[]): Promise<{ logits: Float32Array; vocab: number }>;
}
