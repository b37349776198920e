// Prefix reuse on real sessions (onnxruntime-web WASM under Node, the seeded tiny models):
// several turns of a multi-turn conversation, each continuing from the previous turn's
// cache (rolled back where the kept text is shorter than what was generated, and where
// re-tokenizing merges tokens), hold every step's logits within 1e-4 of a fresh prefill of
// the same prompts and choose the same tokens.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDifference } from '../shared/math/matmul.ts';
import { ensureTinyModel } from '../../scripts/make-model/ensure-tiny.ts';
import { loadTiny } from '../../scripts/make-model/tiny-model.ts';
import { generate } from './generate.ts';
import type { GenerationResult, StepModel } from './generate.ts';
import { parseGenerationParams } from './generation/params.ts';
import type { GenerationParamsInput } from './generation/params.ts';
import { DirSource } from './loader/dir-source.node.ts';
import { loadModel } from './loader/load-model.ts';
import type { LoadedModel } from './loader/load-model.ts';
import type { StepInputs } from './onnx/causal-lm.ts';
import { ort } from './ort-node.node.ts';
import { commonPrefix } from './prefix-reuse.ts';
import type { CachedRows, KvCache, RetainLayout } from './prefix-reuse.ts';

/** fp32: kept keys and values were computed in other matmul shapes than a fresh prefill's. */
const TOLERANCE = 1e-4;

/** Forwards to the model and keeps every step's logits ([batch, vocab]). */
class Recorder implements StepModel, KvCache {
  readonly logits: Float32Array[] = [];
  constructor(private readonly model: LoadedModel) {}
  reset(): void {
    this.model.lm.reset();
  }
  async step(inputs: StepInputs): Promise<{ logits: Float32Array; vocab: number }> {
    const out = await this.model.lm.step(inputs);
    this.logits.push(out.logits.slice());
    return out;
  }
  get cached(): CachedRows | null {
    return this.model.lm.cached;
  }
  get movesRows(): boolean {
    return this.model.lm.movesRows;
  }
  retain(layout: RetainLayout): Promise<void> {
    return this.model.lm.retain(layout);
  }
}

interface Turn {
  prompts: number[][];
  result: GenerationResult;
  logits: Float32Array[];
  /** Per row: cached tokens before the turn, and how many of them the prompt repeats. */
  cachedBefore: Array<{ cached: number; shared: number }>;
}

async function run(
  model: LoadedModel,
  prompts: number[][],
  reuse: boolean,
  params: GenerationParamsInput,
): Promise<Turn> {
  const recorder = new Recorder(model);
  const rows = model.lm.cached?.rows ?? [];
  const cachedBefore = prompts.map((prompt) => {
    const best = rows
      .map((ids) => ({ cached: ids?.length ?? 0, shared: ids ? commonPrefix(ids, prompt) : 0 }))
      .sort((a, b) => b.shared - a.shared)[0];
    return best ?? { cached: 0, shared: 0 };
  });
  const result = await generate(
    recorder,
    (ids) => model.tokenizer.decode(ids),
    {
      contextLength: model.config.contextLength,
      vocabLimit: model.tokenizer.size,
      eosId: model.config.eosId,
    },
    { prompts, params: parseGenerationParams(params), detail: 'text', reuse },
  );
  return { prompts, result, logits: recorder.logits, cachedBefore };
}

/**
 * A multi-turn conversation as MTPB holds one: each row's history is re-tokenized text, the
 * previous completion cut short (a cut inside a token makes BPE re-tokenize across it), and
 * a new prompt of its own length appended.
 */
async function conversation(
  model: LoadedModel,
  starts: string[],
  turns: number,
  params: GenerationParamsInput,
): Promise<Turn[]> {
  const histories = [...starts];
  const out: Turn[] = [];
  for (let t = 0; t < turns; t++) {
    const prompts = histories.map((text) => model.tokenizer.encode(text));
    const turn = await run(model, prompts, true, params);
    out.push(turn);
    turn.result.rows.forEach((row, r) => {
      const cut = Math.ceil(row.text.length * (0.4 + 0.2 * r)); // rows keep different shares
      histories[r] =
        `${histories[r] ?? ''}${row.text.slice(0, cut)}\n# turn ${t} ${'x'.repeat(r + t)}\n`;
    });
  }
  model.lm.reset();
  return out;
}

/** Each turn again from a fresh prefill of the same prompts: same tokens, same logits. */
async function expectSameAsFresh(
  model: LoadedModel,
  chain: Turn[],
  params: GenerationParamsInput,
): Promise<void> {
  for (const turn of chain) {
    const fresh = await run(model, turn.prompts, false, params);
    expect(turn.result.rows.map((row) => row.ids)).toEqual(fresh.result.rows.map((row) => row.ids));
    expect(turn.logits.length).toBe(fresh.logits.length);
    turn.logits.forEach((logits, step) => {
      expect(
        maxAbsDifference(logits, fresh.logits[step] ?? new Float32Array()),
      ).toBeLessThanOrEqual(TOLERANCE);
    });
  }
}

const STARTS = [
  '# Assign the string "hello" to a variable\n',
  'def add(a, b):\n    """Add two numbers."""\n',
  '# Import the math module\nimport math\n# Compute the square root of 2\n',
];
const GREEDY: GenerationParamsInput = { mode: 'greedy', maxNewTokens: 12 };

describe('prefix reuse on the tiny model (transformers.js layout, position_ids)', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadTiny('fp32');
  });
  afterAll(() => model.lm.release());

  it('equals a fresh prefill over five turns of ragged rows with rollbacks', async () => {
    const chain = await conversation(model, STARTS, 5, GREEDY);
    for (const turn of chain.slice(1)) {
      const { prefillTokens, reusedTokens } = turn.result.timings;
      const total = turn.prompts.reduce((n, p) => n + p.length, 0);
      expect(reusedTokens).toBeGreaterThan(0);
      expect(prefillTokens + reusedTokens).toBe(total);
      // Far less is prefilled than the histories hold.
      expect(prefillTokens).toBeLessThan(total / 2);
    }
    // Rows rolled back: the kept text repeats fewer tokens than the cache held.
    const rollbacks = chain.flatMap((turn) => turn.cachedBefore.filter((c) => c.shared < c.cached));
    expect(rollbacks.length).toBeGreaterThan(0);
    await expectSameAsFresh(model, chain, GREEDY);
  });

  it('samples the same tokens with the same seed', async () => {
    const params: GenerationParamsInput = { mode: 'sample', temperature: 0.8, topP: 0.95, seed: 7 };
    const chain = await conversation(model, STARTS, 3, { ...params, maxNewTokens: 10 });
    await expectSameAsFresh(model, chain, { ...params, maxNewTokens: 10 });
  });

  it('continues rows from whichever cached row they extend, and fewer rows than cached', async () => {
    const first = STARTS.map((text) => model.tokenizer.encode(text));
    await run(model, first, true, GREEDY);
    // The next batch: row 2 and row 0 continued, in that order, and row 1 dropped.
    const next = [
      [...(first[2] ?? []), ...model.tokenizer.encode('print(x)\n')],
      [...(first[0] ?? []), ...model.tokenizer.encode('y = 1\n')],
    ];
    const reused = await run(model, next, true, GREEDY);
    expect(reused.result.timings.reusedTokens).toBeGreaterThan(0);
    await expectSameAsFresh(model, [reused], GREEDY);
  });

  it('drops the cache when a generation is stopped', async () => {
    const prompts = STARTS.map((text) => model.tokenizer.encode(text));
    await run(model, prompts, true, GREEDY);
    expect(model.lm.cached).not.toBeNull();
    const controller = new AbortController();
    controller.abort();
    await expect(
      generate(
        model.lm,
        (ids) => model.tokenizer.decode(ids),
        {
          contextLength: model.config.contextLength,
          vocabLimit: model.tokenizer.size,
          eosId: model.config.eosId,
        },
        {
          prompts,
          params: parseGenerationParams(GREEDY),
          reuse: true,
          signal: controller.signal,
        },
      ),
    ).rejects.toThrow(/stopped/);
    expect(model.lm.cached).toBeNull();
  });
});

describe('prefix reuse on the tiny model in q8 (DynamicQuantizeLinear)', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadTiny('q8');
  });
  afterAll(() => model.lm.release());

  // The 8-bit exports quantize each activation tensor with ONE scale taken over the whole
  // tensor, so what a step computes for a row depends on the other tokens of that step: a
  // prefill of the new tokens only is not bit-identical to a prefill of the whole history (as
  // a padded batch or a chunked prefill is not; exports-matrix.spec.ts measures those at
  // ≤ 2.2e-2). Its logits are held to the same 8-bit bound, max |Δ| / max |logit| ≤ 5e-2;
  // sampled tokens may differ from a fresh prefill's.
  it('keeps each turn’s prefill logits within the 8-bit bound of a fresh prefill', async () => {
    const chain = await conversation(model, STARTS, 4, GREEDY);
    expect(chain.slice(1).every((turn) => turn.result.timings.reusedTokens > 0)).toBe(true);
    for (const turn of chain) {
      const fresh = await run(model, turn.prompts, false, GREEDY);
      const reused = turn.logits[0] ?? new Float32Array();
      const scale = Math.max(...Array.from(fresh.logits[0] ?? [], Math.abs));
      expect(
        maxAbsDifference(reused, fresh.logits[0] ?? new Float32Array()) / scale,
      ).toBeLessThanOrEqual(5e-2);
    }
  });
});

describe('prefix reuse on the tiny merged decoder (no position_ids)', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    const dir = ensureTinyModel(
      join(process.cwd(), '.cache', 'models', 'tiny-merged'),
      () => {},
      'merged-decoder',
    ).outDir;
    model = await loadModel({
      ort,
      source: new DirSource(dir),
      onnxPath: 'onnx/decoder_model_merged.onnx',
      backend: 'wasm',
      engine: 'ort',
    });
  });
  afterAll(() => model.lm.release());

  it('reuses one row (its columns never move) and equals a fresh prefill', async () => {
    expect(model.lm.movesRows).toBe(false);
    const chain = await conversation(model, STARTS.slice(1, 2), 4, GREEDY);
    expect(chain.slice(1).every((turn) => turn.result.timings.reusedTokens > 0)).toBe(true);
    await expectSameAsFresh(model, chain, GREEDY);
  });

  it('prefills ragged rows from scratch where keeping them would move their columns', async () => {
    const chain = await conversation(model, STARTS, 3, GREEDY);
    // These rows add different numbers of tokens each turn, so no turn can keep them in
    // their columns: every turn prefills from scratch, exactly as without reuse.
    expect(chain.map((turn) => turn.result.timings.reusedTokens)).toEqual([0, 0, 0]);
    await expectSameAsFresh(model, chain, GREEDY);
  });
});
