import type { GenerateDetail, GenerationTimings } from '../shared/contracts/model-worker.ts';
import { AbortedError, AppError } from '../shared/errors.ts';
import type { Settlement } from './generation/candidate-sampler.ts';
import type { CandidateSource } from './generation/candidates.ts';
import type { GenerationParams } from './generation/params.ts';
import { Sampler } from './generation/sampler.ts';
import type { SampledToken } from './generation/sampler.ts';
import { customCriterion, standardCriteria } from './generation/stopping.ts';
import type { StopReason, StoppingCriterion } from './generation/stopping.ts';
import { TextStreamer } from './generation/streamer.ts';
import type { StepInputs } from './onnx/causal-lm.ts';
import { buildContinuation, buildPrefill, decodeInputs } from './padding.ts';
import { planReuse } from './prefix-reuse.ts';
import type { KvCache } from './prefix-reuse.ts';
import { yieldToEventLoop } from './yield.ts';

/**
 * What generation needs of a model: one forward step over the cache (returning only each
 * row's last-position logits), and a cache reset.
 */
export interface StepModel {
  reset(): void;
  step(inputs: StepInputs): Promise<{ logits: Float32Array; vocab: number }>;
  /**
   * Told before a generation how many rows and cache columns it will use at most, so an
   * engine with a static cache allocates it once (after any retain()).
   */
  reserve?(batch: number, columns: number): void;
}

export interface GenerationInput {
  /** Token ids of each prompt; rows may differ in length (they are left-padded). */
  prompts: readonly (readonly number[])[];
  params: GenerationParams;
  /** Extra per-row stopping rule, e.g. the MTPB truncation rules. */
  criterion?: (row: number) => StoppingCriterion | null;
  signal?: AbortSignal;
  /**
   * 'tokens' (default): each token's log-probability and alternatives, in the events and
   * the rows' `tokens`. 'text': ids and text only; the same tokens are chosen, but the
   * sampler skips the log-softmax and the alternatives, and `tokens` stays empty.
   */
  detail?: GenerateDetail;
  /**
   * Continue from the model's cache: each prompt keeps the longest token prefix it shares
   * with a cached row and prefills only the rest (prefix-reuse.ts), and this generation's
   * cache is kept for the next. Off: the cache is dropped before and after.
   */
  reuse?: boolean;
}

export interface ModelLimits {
  contextLength: number; // n_positions
  vocabLimit: number; // tokenizer size: logits above it are masked
  eosId: number; // also the pad id
}

/** One generated token of one row; `detail` is the input's, and says whether it is scored. */
export type TokenEvent = { row: number; index: number; delta: string } & (
  ({ detail: 'tokens' } & SampledToken) | { detail: 'text'; tokenId: number }
);

export interface RowResult {
  promptIds: number[];
  ids: number[];
  /** Empty with detail 'text'. */
  tokens: SampledToken[];
  text: string;
  stop: StopReason;
}

export type { GenerationTimings };

export interface GenerationResult {
  rows: RowResult[];
  timings: GenerationTimings;
}

interface Row {
  sampler: Sampler;
  criterion: StoppingCriterion;
  streamer: TextStreamer;
  tokens: SampledToken[];
  ids: number[];
  stop: StopReason | null;
}

/**
 * Candidates a CandidateSource returns per row: the contract's most, which covers the
 * sampler's whole nucleus head (NUCLEUS_HEAD), so top-p settles from them as often as it can.
 */
export const CANDIDATES = 64;

/** What a live row samples from after a step: its full logits, or its candidates' settlement. */
type RowSource = Float32Array | Settlement;

/**
 * Generates for a batch of prompts until every row has stopped. Rows that stop early keep
 * being fed a pad token (their outputs are ignored) so the batch stays rectangular. With
 * `reuse`, the prefill starts from what the model's cache holds (prefix-reuse.ts).
 *
 * A model that is a CandidateSource keeps its logits on the device: each step reads back
 * the top candidates per row, and the full logits only of the live rows whose token the
 * candidates cannot settle (candidate-sampler.ts). The tokens are the same either way.
 */
export async function generate(
  lm: StepModel,
  decode: (ids: readonly number[]) => string,
  limits: ModelLimits,
  request: GenerationInput,
  onToken: (event: TokenEvent) => void = () => {},
): Promise<GenerationResult> {
  const { prompts, params, signal } = request;
  const scored = (request.detail ?? 'tokens') === 'tokens';
  if (prompts.length === 0) throw new AppError('bad-input', 'Nothing to generate: no prompts.');
  const longest = Math.max(...prompts.map((p) => p.length));
  if (prompts.some((p) => p.length === 0)) throw new AppError('bad-input', 'A prompt is empty.');
  if (longest >= limits.contextLength) {
    throw new AppError(
      'context-overflow',
      `The prompt has ${longest} tokens; the model's context holds ${limits.contextLength}.`,
      {
        hint: 'Shorten the prompt (or drop earlier turns) and try again.',
      },
    );
  }
  const budget = Math.min(params.maxNewTokens, limits.contextLength - longest);
  const rows: Row[] = prompts.map((_, row) => {
    const extra = request.criterion?.(row);
    const criteria = [extra, budget < params.maxNewTokens ? contextLimit(budget) : null].filter(
      (c): c is StoppingCriterion => c !== null && c !== undefined,
    );
    return {
      sampler: new Sampler(
        { vocabLimit: limits.vocabLimit, params: params.sampling },
        params.seed,
        row,
      ),
      criterion: standardCriteria({
        eosTokenIds: [limits.eosId],
        maxNewTokens: params.maxNewTokens,
        stopStrings: params.stopStrings,
        extra: criteria,
      }),
      streamer: new TextStreamer(decode),
      tokens: [],
      ids: [],
      stop: null,
    };
  });

  const started = performance.now();
  const cache = request.reuse && isKvCache(lm) ? lm : null;
  const plan = cache ? planReuse(cache.cached, prompts, cache.movesRows) : null;
  const reusedTokens = plan?.reused ?? 0;
  const timings: GenerationTimings = {
    prefillMs: 0,
    prefillTokens: prompts.reduce((n, p) => n + p.length, 0) - reusedTokens,
    reusedTokens,
    firstTokenMs: 0,
    decodeMs: 0,
    decodeSteps: 0,
    decodeTokens: 0,
  };
  const prefill = plan
    ? buildContinuation(prompts, plan, limits.eosId)
    : buildPrefill(prompts, limits.eosId);
  const candidates = isCandidateSource(lm) ? lm : null;
  const invTemperature = params.sampling.kind === 'sample' ? 1 / params.sampling.temperature : 1;

  /** One forward step; what each row samples from next, null for rows that have stopped. */
  const forward = async (inputs: StepInputs): Promise<Array<RowSource | null>> => {
    if (!candidates) {
      const { logits, vocab } = await lm.step(inputs);
      return rows.map((row, r) => (row.stop ? null : logits.subarray(r * vocab, (r + 1) * vocab)));
    }
    const top = await candidates.stepCandidates(inputs, {
      k: CANDIDATES,
      vocabLimit: limits.vocabLimit,
      invTemperature,
    });
    const sources: Array<RowSource | null> = rows.map((row, r) =>
      row.stop ? null : row.sampler.settle(top, r, scored),
    );
    const unsettled = rows.flatMap((row, r) => (!row.stop && sources[r] === null ? [r] : []));
    if (unsettled.length > 0) {
      const { logits, vocab } = await candidates.readLogits(unsettled);
      unsettled.forEach((r, i) => (sources[r] = logits.subarray(i * vocab, (i + 1) * vocab)));
    }
    return sources;
  };

  // One step over the whole batch; CausalLm runs it in column chunks whose logits fit its
  // budget (a 5 × 1,500 prompt with vocab 51,200 would otherwise be 1.5 GB of logits).
  let keep = false;
  let decodeStarted = performance.now();
  try {
    if (cache && plan) await cache.retain(plan);
    else lm.reset();
    lm.reserve?.(prompts.length, (plan?.width ?? 0) + prefill.inputs.seq + budget);
    let sources = await forward(prefill.inputs);
    timings.prefillMs = performance.now() - started;
    let mask = prefill.inputs.attentionMask;
    let positions = prefill.lastPositions;
    decodeStarted = performance.now();

    for (;;) {
      if (signal?.aborted) throw new AbortedError('Generation was stopped.');
      const next = rows.map((row, r) => {
        const source = sources[r];
        if (!source) return limits.eosId; // the row had stopped
        const token = scored ? row.sampler.sample(source) : null;
        const tokenId = token?.tokenId ?? row.sampler.pick(source);
        const previousTextLength = row.streamer.text.length;
        if (token) row.tokens.push(token);
        row.ids.push(tokenId);
        let delta = row.streamer.push(tokenId);
        // The criteria see the streamed text in both details: truncation needs it.
        row.stop = row.criterion.check({
          generatedIds: row.ids,
          text: row.streamer.text,
          previousTextLength,
        });
        if (row.stop) delta += row.streamer.flush();
        const index = row.ids.length - 1;
        onToken(
          token
            ? { row: r, index, delta, detail: 'tokens', ...token }
            : { row: r, index, delta, detail: 'text', tokenId },
        );
        return tokenId;
      });
      if (timings.firstTokenMs === 0) timings.firstTokenMs = performance.now() - started;
      if (rows.every((row) => row.stop)) break;
      timings.decodeTokens += rows.filter((row) => !row.stop).length;
      const step = decodeInputs(next, mask, positions);
      mask = step.inputs.attentionMask;
      positions = step.positions;
      sources = await forward(step.inputs);
      await yieldToEventLoop(); // a Stop sent meanwhile is seen before the next step
      timings.decodeSteps++;
    }
    keep = cache !== null;
  } finally {
    timings.decodeMs = performance.now() - decodeStarted;
    // A stopped or failed generation leaves nothing to continue from.
    if (!keep) lm.reset();
  }

  return {
    timings,
    rows: rows.map((row, r) => {
      const stop = row.stop ?? { kind: 'max-new-tokens', limit: budget };
      const textEnd = 'textEnd' in stop && stop.textEnd !== undefined ? stop.textEnd : undefined;
      return {
        promptIds: [...(prompts[r] ?? [])],
        ids: row.ids,
        tokens: row.tokens,
        text: textEnd === undefined ? row.streamer.text : row.streamer.text.slice(0, textEnd),
        stop,
      };
    }),
  };
}

function isCandidateSource(lm: StepModel): lm is StepModel & CandidateSource {
  return 'stepCandidates' in lm && (lm as Partial<CandidateSource>).candidatesOnDevice === true;
}

function isKvCache(lm: StepModel): lm is StepModel & KvCache {
  return 'retain' in lm && 'cached' in lm;
}

/** The context window ends before the token budget does. */
function contextLimit(tokens: number): StoppingCriterion {
  return customCriterion('context-limit', ({ generatedIds }) =>
    generatedIds.length >= tokens
      ? { detail: `the model's context is full after ${tokens} new tokens` }
      : null,
  );
}
