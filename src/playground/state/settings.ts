import { PAPER_SAMPLING } from '../../mtpb/protocol.ts';
import type { GenerationParamsInput } from '../../engine/generation/params.ts';
import { resolveGenerationParams } from '../../engine/generation/params.ts';

/** The decoding settings of the playground, as the form edits them (text, so typing "0." works). */
export interface SettingsDraft {
  mode: 'greedy' | 'sample';
  maxNewTokens: string;
  temperature: string;
  topP: string;
  topK: string;
  seed: string;
  /** Stop where the MTPB truncation rules would cut, and keep only what they keep. */
  mtpbTruncation: boolean;
}

export type NumberField = 'maxNewTokens' | 'temperature' | 'topP' | 'topK' | 'seed';

export const DEFAULT_SETTINGS: SettingsDraft = {
  mode: 'sample',
  maxNewTokens: '64',
  temperature: String(PAPER_SAMPLING.temperature),
  topP: String(PAPER_SAMPLING.topP),
  topK: '0',
  seed: '0',
  mtpbTruncation: false,
};

export type ResolvedSettings =
  | { ok: true; params: GenerationParamsInput; truncation: boolean }
  | { ok: false; issues: Partial<Record<NumberField, string>> };

const asNumber = (text: string): number => (text.trim() === '' ? NaN : Number(text));

/** The request's params, or every problem keyed by the field to mark. */
export function resolveSettings(draft: SettingsDraft): ResolvedSettings {
  const params: GenerationParamsInput = {
    mode: draft.mode,
    maxNewTokens: asNumber(draft.maxNewTokens),
    temperature: asNumber(draft.temperature),
    topP: asNumber(draft.topP),
    topK: asNumber(draft.topK),
    seed: asNumber(draft.seed),
  };
  const result = resolveGenerationParams(params);
  if (result.ok) return { ok: true, params, truncation: draft.mtpbTruncation };
  const issues: Partial<Record<NumberField, string>> = {};
  for (const issue of result.issues) {
    if (issue.field !== 'mode' && issue.field !== 'stopStrings')
      issues[issue.field] = issue.message;
  }
  return { ok: false, issues };
}
