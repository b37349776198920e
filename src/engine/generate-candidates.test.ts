import { describe, expect, it } from 'vitest';
import { generate } from './generate.ts';
import type { GenerationResult, StepModel, TokenEvent } from './generate.ts';
import type { CandidateRequest, CandidateSource } from './generation/candidates.ts';
import { customCriterion } from './generation/stopping.ts';
import { parseGenerationParams } from './generation/params.ts';
import type { GenerationParamsInput } from './generation/params.ts';
import { createRng } from './generation/rng.ts';
import type { StepInputs } from './onnx/causal-lm.ts';
import { cpuCandidates } from './testing/cpu-candidates.ts';

const VOCAB = 120;
const LIMIT = 110; // ids 110..119 are padding, with the largest logits
const EOS = 100;

/**
 * A deterministic stand-in for a model: each row's logits are a function of every token it
 * has attended to, cache included, in one of four shapes (peaked, normal, flat, with holes)
 * so that some steps settle from candidates and others need the full row.
 */
function hashModel(): StepModel {
  let state: number[] = [];
  return {
    reset: () => void (state = []),
    step: (inputs: StepInputs) => {
      const { batch, seq, inputIds, attentionMask } = inputs;
      const width = attentionMask.length / batch;
      const logits = new Float32Array(batch * VOCAB);
      for (let b = 0; b < batch; b++) {
        let h = state[b] ?? 0x2545f491;
        for (let c = 0; c < seq; c++) {
          if (attentionMask[b * width + width - seq + c] !== 1n) continue;
          h = Math.imul(h ^ Number(inputIds[b * seq + c] ?? 0n), 0x9e3779b1) >>> 0;
          h = (h ^ (h >>> 15)) >>> 0;
        }
        state[b] = h;
        const rng = createRng(h);
        const shape = h % 4;
        const scale = [1, 3, 0.05, 3][shape] ?? 1;
        for (let v = 0; v < VOCAB; v++) {
          const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
          logits[b * VOCAB + v] = v >= LIMIT ? 30 : Math.round(z * scale * 8) / 8;
          if (shape === 3 && rng.next() < 0.3) logits[b * VOCAB + v] = -Infinity;
        }
        if (shape === 0) logits[b * VOCAB + Math.floor(rng.next() * LIMIT)] = 9;
      }
      return Promise.resolve({ logits, vocab: VOCAB });
    },
  };
}

/**
 * The same model as a CandidateSource: candidates computed on the CPU as the GPU would
 * (cpuCandidates), full rows read from the last step's logits. Records what was asked.
 */
function candidateModel(model: StepModel) {
  let last: { logits: Float32Array; vocab: number } | null = null;
  const requests: CandidateRequest[] = [];
  /** Per step (0: the prefill), the rows read in full, if any were. */
  const reads = new Map<number, number[]>();
  const lm: StepModel & CandidateSource = {
    candidatesOnDevice: true,
    reset: () => model.reset(),
    step: () => Promise.reject(new Error('a CandidateSource is stepped with candidates')),
    stepCandidates: async (inputs, request) => {
      last = await model.step(inputs);
      requests.push(request);
      return cpuCandidates(last.logits, last.vocab, request);
    },
    readLogits: (rows) => {
      const { logits, vocab } = last ?? { logits: new Float32Array(0), vocab: 0 };
      expect(reads.has(requests.length - 1), 'one read per step').toBe(false);
      reads.set(requests.length - 1, [...rows]);
      const out = new Float32Array(rows.length * vocab);
      rows.forEach((r, i) => out.set(logits.subarray(r * vocab, (r + 1) * vocab), i * vocab));
      return Promise.resolve({ logits: out, vocab });
    },
  };
  return { lm, requests, reads };
}

const PROMPTS = [
  [1, 2, 3],
  [4, 5],
  [6, 7, 8, 9, 10],
];

async function run(
  lm: StepModel,
  params: GenerationParamsInput,
  detail: 'tokens' | 'text' = 'tokens',
): Promise<{ result: GenerationResult; events: TokenEvent[] }> {
  const events: TokenEvent[] = [];
  const result = await generate(
    lm,
    (ids) => ids.map((id) => String.fromCharCode(65 + (id % 26))).join(''),
    { contextLength: 1000, vocabLimit: LIMIT, eosId: EOS },
    {
      prompts: PROMPTS,
      params: parseGenerationParams({ maxNewTokens: 24, ...params }),
      detail,
      // Rows stop at different steps: row 0 after 6 tokens, row 1 after 12, row 2 runs on.
      criterion: (row) =>
        row < 2
          ? customCriterion('short', ({ generatedIds }) =>
              generatedIds.length >= 6 * (row + 1) ? {} : null,
            )
          : null,
    },
    (event) => events.push(event),
  );
  return { result, events };
}

/** Rows live at each step (0: the prefill): those that took a token from it. */
function liveRows(result: GenerationResult): number[][] {
  const steps = Math.max(...result.rows.map((r) => r.ids.length));
  return Array.from({ length: steps }, (_, s) =>
    result.rows.flatMap((row, r) => (row.ids.length > s ? [r] : [])),
  );
}

/** Logprobs come from the GPU's float32 logZ: equal to within its rounding, ids exactly. */
function expectSameTokens(got: GenerationResult, want: GenerationResult): void {
  expect(got.rows.map((r) => [r.ids, r.text, r.stop])).toEqual(
    want.rows.map((r) => [r.ids, r.text, r.stop]),
  );
  got.rows.forEach((row, r) =>
    row.tokens.forEach((token, i) => {
      const reference = want.rows[r]?.tokens[i];
      expect(Math.abs(token.logprob - (reference?.logprob ?? NaN))).toBeLessThanOrEqual(1e-6);
      expect(token.top.map((t) => t.tokenId)).toEqual(reference?.top.map((t) => t.tokenId));
    }),
  );
}

describe('generate with a CandidateSource gives the tokens of plain steps', () => {
  const settings: Array<{ name: string; params: GenerationParamsInput }> = [
    { name: 'greedy', params: { mode: 'greedy' } },
    { name: 'MTPB (T 0.2, top-p 0.95)', params: { temperature: 0.2, topP: 0.95, seed: 3 } },
    { name: 'top-p 0.5, T 1.5', params: { temperature: 1.5, topP: 0.5, seed: 4 } },
    { name: 'top-k 5', params: { temperature: 0.7, topP: 1, topK: 5, seed: 5 } },
    { name: 'top-k 40 and top-p', params: { temperature: 1, topP: 0.9, topK: 40, seed: 6 } },
    { name: 'top-k 100 > k', params: { temperature: 1, topP: 0.95, topK: 100, seed: 7 } },
    { name: 'no filter', params: { temperature: 1, topP: 1, topK: 0, seed: 8 } },
  ];

  for (const { name, params } of settings) {
    it(`${name}, both details`, async () => {
      for (const detail of ['tokens', 'text'] as const) {
        const plain = await run(hashModel(), params, detail);
        const source = candidateModel(hashModel());
        const viaCandidates = await run(source.lm, params, detail);
        expectSameTokens(viaCandidates.result, plain.result);
        expect(viaCandidates.events.map((e) => [e.row, e.index, e.delta, e.tokenId])).toEqual(
          plain.events.map((e) => [e.row, e.index, e.delta, e.tokenId]),
        );
        expect(plain.result.rows.map((r) => r.stop.kind)).toEqual([
          'custom',
          'custom',
          'max-new-tokens',
        ]);

        // Every step asked for candidates, at the sampling temperature.
        const live = liveRows(plain.result);
        const sampling = parseGenerationParams(params).sampling;
        const invTemperature = sampling.kind === 'sample' ? 1 / sampling.temperature : 1;
        expect(source.requests).toEqual(
          live.map(() => ({ k: 64, vocabLimit: LIMIT, invTemperature })),
        );
        // Only live rows are ever read in full, each step in one call.
        for (const [step, rows] of source.reads) {
          expect(rows.length).toBeGreaterThan(0);
          expect(live[step]).toEqual(expect.arrayContaining(rows));
        }
      }
    });
  }

  const readCount = async (params: GenerationParamsInput) => {
    const source = candidateModel(hashModel());
    const { result } = await run(source.lm, params);
    const live = liveRows(result);
    const read = [...source.reads.values()].reduce((n, rows) => n + rows.length, 0);
    return { source, live, read, liveTotal: live.reduce((n, rows) => n + rows.length, 0) };
  };

  it('reads no full row for greedy or top-k within the candidates', async () => {
    for (const params of [{ mode: 'greedy' as const }, { temperature: 1, topP: 0.9, topK: 40 }]) {
      expect((await readCount(params)).read).toBe(0);
    }
  });

  it('reads every live row, every step, without a filter (a draw in id order)', async () => {
    const { source, live } = await readCount({ temperature: 1, topP: 1, topK: 0, seed: 8 });
    expect([...source.reads.entries()]).toEqual(live.map((rows, step) => [step, rows]));
  });

  it('reads only the rows top-p cannot settle from the candidates', async () => {
    const { read, liveTotal } = await readCount({ temperature: 0.2, topP: 0.95, seed: 3 });
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(liveTotal);
  });
});
