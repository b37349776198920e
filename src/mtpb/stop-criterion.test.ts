import { describe, expect, it } from 'vitest';
import { generate } from '../engine/generate.ts';
import type { StepModel } from '../engine/generate.ts';
import { parseGenerationParams } from '../engine/generation/params.ts';
import { mtpbTruncationCriterion } from './stop-criterion.ts';
import { truncate } from './truncate.ts';

const VOCAB = 256;
const EOS = 0;
const decode = (ids: readonly number[]): string => String.fromCharCode(...ids);

/** A model that writes a fixed script per row, one character per token (greedy picks it). */
function scriptedModel(scripts: string[]): StepModel & { steps: number } {
  let position = 0;
  const model = {
    steps: 0,
    reset: () => void (position = 0),
    step: () => {
      const logits = new Float32Array(scripts.length * VOCAB);
      scripts.forEach((script, row) => {
        logits[row * VOCAB + (position < script.length ? script.charCodeAt(position) : EOS)] = 10;
      });
      position++;
      model.steps++;
      return Promise.resolve({ logits, vocab: VOCAB });
    },
  };
  return model;
}

describe('the MTPB stopping criterion in the generation loop', () => {
  it('stops each row once its cut is certain and keeps exactly truncate() of the full completion', async () => {
    const scripts = [
      'x = 1\nprint(x)\n# next turn\nprint(2)\nmore text that is never needed',
      'def f():\n    return 1\ndef g():\n    pass\n' + 'y'.repeat(40),
      'a = [1]\n\n\n\nb = 2' + 'z'.repeat(40),
    ];
    const model = scriptedModel(scripts);
    const result = await generate(
      model,
      decode,
      { contextLength: 2048, vocabLimit: VOCAB, eosId: EOS },
      {
        prompts: scripts.map(() => [65]),
        params: parseGenerationParams({ mode: 'greedy', maxNewTokens: 200 }),
        criterion: () => mtpbTruncationCriterion(),
      },
    );
    result.rows.forEach((row, i) => {
      const full = scripts[i] ?? '';
      expect(row.text).toBe(truncate(full));
      expect(row.stop).toMatchObject({ kind: 'custom', name: 'mtpb-truncation' });
      // It stopped right after the cut became certain, far before the script's end.
      expect(row.ids.length).toBeLessThan(full.length - 30);
    });
    expect(model.steps).toBeLessThan(Math.max(...scripts.map((s) => s.length)));
  });
});
