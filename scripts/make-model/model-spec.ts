// Resolves a preset or a user config.json plus a tokenizer into final model dims.

import { completeDims, dimsFromJson, PRESETS } from './config.ts';
import type { ModelDims, PresetName } from './config.ts';
import { eosTokenId, tokenizerSize } from './tokenizer-info.ts';
import type { TokenizerFiles } from './tokenizer-info.ts';
import { buildTokenizer } from './tokenizers.ts';
import type { TokenizerName } from './tokenizers.ts';

export const DEFAULT_SEED = 1234;

export interface ResolvedModel {
  dims: ModelDims;
  tokenizer: TokenizerFiles;
}

export function resolveSpec(
  source: { preset: PresetName } | { config: unknown },
  tokenizerName?: TokenizerName,
): ResolvedModel {
  const partial = 'preset' in source ? PRESETS[source.preset].dims : dimsFromJson(source.config);
  const name = tokenizerName ?? ('preset' in source ? PRESETS[source.preset].tokenizer : 'codegen');
  const tokenizer = buildTokenizer(name);
  const eos = eosTokenId(tokenizer);
  return { dims: completeDims(partial, tokenizerSize(tokenizer.tokenizerJson), eos), tokenizer };
}
