import type { GenerationParamsInput } from '../../shared/contracts/model-worker.ts';
import { AppError } from '../../shared/errors.ts';

/** How the next token is picked from a row of logits. */
export type SamplingParams = GreedyParams | SampleParams;

export interface GreedyParams {
  readonly kind: 'greedy';
}

export interface SampleParams {
  readonly kind: 'sample';
  /** > 0. Logits are divided by it before softmax; below 1 sharpens, above 1 flattens. */
  readonly temperature: number;
  /** In (0, 1]; 1 = off. Keep the most likely tokens until their mass reaches topP. */
  readonly topP: number;
  /** Integer ≥ 0; 0 = off. Keep only the topK most likely tokens (applied before topP). */
  readonly topK: number;
}

export interface GenerationParams {
  readonly sampling: SamplingParams;
  /** Integer ≥ 1: tokens generated per row, the prompt excluded. */
  readonly maxNewTokens: number;
  /** Safe integer; with the same model, prompt and params, the same seed gives the same tokens. */
  readonly seed: number;
  /** Generation stops when the decoded text contains one of these; each non-empty. */
  readonly stopStrings: readonly string[];
}

/** The sampling setting of the CodeGen paper's MTPB evaluation: temperature 0.2, top-p 0.95. */
export const MTPB_SAMPLING: SampleParams = {
  kind: 'sample',
  temperature: 0.2,
  topP: 0.95,
  topK: 0,
};

export const DEFAULT_GENERATION_PARAMS: GenerationParams = {
  sampling: MTPB_SAMPLING,
  maxNewTokens: 128,
  seed: 0,
  stopStrings: [],
};

export type { GenerationParamsInput };

export interface ParamIssue {
  field: keyof GenerationParamsInput;
  message: string;
}

export type ParamsResult =
  { ok: true; params: GenerationParams } | { ok: false; issues: ParamIssue[] };

/** Every problem with a SampleParams, not just the first, so a form can mark each field. */
export function checkSampleParams(p: SampleParams): ParamIssue[] {
  const issues: ParamIssue[] = [];
  if (!(Number.isFinite(p.temperature) && p.temperature > 0)) {
    issues.push({
      field: 'temperature',
      message: `temperature must be a number greater than 0 (got ${p.temperature}); for deterministic output use greedy decoding`,
    });
  }
  if (!(Number.isFinite(p.topP) && p.topP > 0 && p.topP <= 1)) {
    issues.push({
      field: 'topP',
      message: `topP must be in (0, 1], 1 meaning off (got ${p.topP})`,
    });
  }
  if (!(Number.isInteger(p.topK) && p.topK >= 0)) {
    issues.push({
      field: 'topK',
      message: `topK must be an integer ≥ 0, 0 meaning off (got ${p.topK})`,
    });
  }
  return issues;
}

/** Fills defaults, then checks every field. Sampling fields are ignored in greedy mode. */
export function resolveGenerationParams(input: GenerationParamsInput = {}): ParamsResult {
  const d = DEFAULT_GENERATION_PARAMS;
  const dSample = d.sampling.kind === 'sample' ? d.sampling : MTPB_SAMPLING;
  const sampling: SamplingParams =
    (input.mode ?? d.sampling.kind) === 'greedy'
      ? { kind: 'greedy' }
      : {
          kind: 'sample',
          temperature: input.temperature ?? dSample.temperature,
          topP: input.topP ?? dSample.topP,
          topK: input.topK ?? dSample.topK,
        };
  const params: GenerationParams = {
    sampling,
    maxNewTokens: input.maxNewTokens ?? d.maxNewTokens,
    seed: input.seed ?? d.seed,
    stopStrings: input.stopStrings ?? d.stopStrings,
  };

  const issues = sampling.kind === 'sample' ? checkSampleParams(sampling) : [];
  if (!(Number.isInteger(params.maxNewTokens) && params.maxNewTokens >= 1)) {
    issues.push({
      field: 'maxNewTokens',
      message: `maxNewTokens must be an integer ≥ 1 (got ${params.maxNewTokens})`,
    });
  }
  if (!Number.isSafeInteger(params.seed)) {
    issues.push({
      field: 'seed',
      message: `seed must be an integer between ±${Number.MAX_SAFE_INTEGER} (got ${params.seed})`,
    });
  }
  const emptyAt = params.stopStrings.findIndex((s) => s.length === 0);
  if (emptyAt >= 0) {
    issues.push({
      field: 'stopStrings',
      message: `stop string ${emptyAt + 1} is empty; it would stop generation before the first token`,
    });
  }
  return issues.length === 0 ? { ok: true, params } : { ok: false, issues };
}

/** resolveGenerationParams for callers that want an exception: an AppError('bad-input'). */
export function parseGenerationParams(input: GenerationParamsInput = {}): GenerationParams {
  const result = resolveGenerationParams(input);
  if (result.ok) return result.params;
  throw new AppError(
    'bad-input',
    `Invalid generation settings: ${result.issues.map((i) => i.message).join('; ')}.`,
    { hint: 'Correct the marked settings and run again.' },
  );
}
