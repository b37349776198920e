import { AppError } from '../../shared/errors.ts';

/**
 * What a decoder-with-past ONNX graph takes and gives, read from the session's input and
 * output names (never assumed: exports differ in position_ids and use_cache_branch).
 */
export interface ModelSignature {
  layers: number;
  hasPositionIds: boolean;
  hasUseCacheBranch: boolean;
  pastNames: string[]; // past_key_values.{i}.key, past_key_values.{i}.value, in layer order
  presentNames: string[]; // present.{i}.key, present.{i}.value, same order
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

export function readSignature(
  inputNames: readonly string[],
  outputNames: readonly string[],
): ModelSignature {
  for (const required of ['input_ids', 'attention_mask']) {
    if (!inputNames.includes(required)) {
      throw new AppError(
        'bad-model',
        `The ONNX model has no "${required}" input (it has ${inputNames.join(', ')}).`,
        {
          hint: 'Use a decoder export of a causal language model (transformers.js / Optimum layout).',
        },
      );
    }
  }
  if (!outputNames.includes('logits')) {
    throw new AppError('bad-model', 'The ONNX model has no "logits" output.');
  }
  let layers = 0;
  for (const name of inputNames) {
    const match = PAST.exec(name);
    if (match) layers = Math.max(layers, Number(match[1]) + 1);
  }
  const pastNames: string[] = [];
  const presentNames: string[] = [];
  for (let i = 0; i < layers; i++) {
    for (const part of ['key', 'value']) {
      const past = `past_key_values.${i}.${part}`;
      const present = `present.${i}.${part}`;
      if (!inputNames.includes(past) || !outputNames.includes(present)) {
        throw new AppError('bad-model', `The ONNX model lacks "${past}" or "${present}".`);
      }
      pastNames.push(past);
      presentNames.push(present);
    }
  }
  if (layers === 0) {
    throw new AppError(
      'bad-model',
      'The ONNX model has no past_key_values inputs: it cannot cache keys and values.',
      {
        hint: 'Pick the "with past" / merged decoder export.',
      },
    );
  }
  return {
    layers,
    hasPositionIds: inputNames.includes('position_ids'),
    hasUseCacheBranch: inputNames.includes('use_cache_branch'),
    pastNames,
    presentNames,
  };
}
