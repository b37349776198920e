import { describe, expect, it } from 'vitest';
import { parseModelConfig } from './model-config.ts';

const base = {
  model_type: 'codegen',
  n_layer: 20,
  n_head: 16,
  n_embd: 1024,
  rotary_dim: 32,
  vocab_size: 51200,
  n_positions: 2048,
  eos_token_id: 50256,
};

describe('parseModelConfig', () => {
  it('reads the 350M shape', () => {
    expect(parseModelConfig(base)).toEqual({
      nLayer: 20,
      nHead: 16,
      nEmbd: 1024,
      rotaryDim: 32,
      vocabSize: 51200,
      contextLength: 2048,
      eosId: 50256,
      headDim: 64,
    });
  });

  it('names a wrong model_type and bad fields', () => {
    expect(() => parseModelConfig({ ...base, model_type: 'gpt2' })).toThrow(
      /not a CodeGen model.*gpt2/,
    );
    expect(() => parseModelConfig({ ...base, n_head: 0 })).toThrow(/n_head/);
    expect(() => parseModelConfig({ ...base, n_head: 7 })).toThrow(/multiple/);
    expect(() => parseModelConfig([])).toThrow(/JSON object/);
  });
});
