import type { StepInputs } from './onnx/causal-lm.ts';

/**
 * Left padding: every row ends at the same column so the last position is the next-token
 * position for all rows. Pads get attention 0 and position 1 (as Hugging Face does:
 * position_ids = cumsum(mask) - 1, pads filled with 1), so a padded row computes exactly
 * what it computes alone.
 */
export function buildPrefill(
  prompts: readonly (readonly number[])[],
  padId: number,
): { inputs: StepInputs; lastPositions: number[] } {
  return buildContinuation(prompts, { width: 0, rows: prompts.map(() => ({ keep: 0 })) }, padId);
}

/**
 * The prefill after a cache cut back to `kept` (prefix-reuse.ts): row r has its first
 * `keep` tokens cached, right-aligned at column `width`, and prefills the rest of its prompt
 * in a block as wide as the longest rest, left-padded. The mask covers cache and block
 * ([batch, width + block]); positions continue from each row's kept length.
 */
export function buildContinuation(
  prompts: readonly (readonly number[])[],
  kept: { width: number; rows: ReadonlyArray<{ keep: number }> },
  padId: number,
): { inputs: StepInputs; lastPositions: number[] } {
  const batch = prompts.length;
  const { width } = kept;
  const keepOf = (b: number): number => kept.rows[b]?.keep ?? 0;
  const seq = Math.max(...prompts.map((p, b) => p.length - keepOf(b)));
  const inputIds = new BigInt64Array(batch * seq).fill(BigInt(padId)); // [batch, seq]
  const attentionMask = new BigInt64Array(batch * (width + seq)); // [batch, width + seq]
  const positionIds = new BigInt64Array(batch * seq).fill(1n); // [batch, seq]
  const lastPositions: number[] = [];
  prompts.forEach((prompt, b) => {
    const keep = keepOf(b);
    const rowMask = b * (width + seq);
    attentionMask.fill(1n, rowMask + width - keep, rowMask + width);
    const offset = seq - (prompt.length - keep);
    for (let i = keep; i < prompt.length; i++) {
      const column = offset + i - keep;
      inputIds[b * seq + column] = BigInt(prompt[i] ?? padId);
      attentionMask[rowMask + width + column] = 1n;
      positionIds[b * seq + column] = BigInt(i);
    }
    lastPositions.push(prompt.length - 1);
  });
  return { inputs: { batch, seq, inputIds, attentionMask, positionIds }, lastPositions };
}

/** One decode step: each row's new token, the mask grown by one column, positions + 1. */
export function decodeInputs(
  tokens: readonly number[],
  previousMask: BigInt64Array,
  lastPositions: readonly number[],
): { inputs: StepInputs; positions: number[] } {
  const batch = tokens.length;
  const width = previousMask.length / batch;
  const attentionMask = new BigInt64Array(batch * (width + 1)); // [batch, past + 1]
  for (let b = 0; b < batch; b++) {
    attentionMask.set(previousMask.subarray(b * width, (b + 1) * width), b * (width + 1));
    attentionMask[b * (width + 1) + width] = 1n;
  }
  const positions = lastPositions.map((p) => p + 1);
  return {
    inputs: {
      batch,
      seq: 1,
      inputIds: BigInt64Array.from(tokens, (t) => BigInt(t)),
      attentionMask,
      positionIds: BigInt64Array.from(positions, (p) => BigInt(p)),
    },
    positions,
  };
}
