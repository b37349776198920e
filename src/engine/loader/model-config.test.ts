import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { checkTokenizerFits, parseModelConfig } from './model-config.ts';

const FILE = 'Xenova/codegen-350M-mono/config.json';

/** The 350M config.json as the hub serves it (the fields the engine reads). */
const base = {
  model_type: 'codegen',
  n_layer: 20,
  n_head: 16,
  n_embd: 1024,
  rotary_dim: 32,
  vocab_size: 51200,
  n_positions: 2048,
  bos_token_id: 1,
  eos_token_id: 50256,
};

/** `base` without some fields, as a config.json that lacks them. */
function without(...keys: (keyof typeof base)[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(base).filter(([key]) => !keys.some((k) => k === key)));
}

/** The AppError a config gives: its code must be bad-model, with a hint. */
function refusal(config: unknown): { message: string; hint: string | undefined } {
  try {
    parseModelConfig(config, FILE);
  } catch (error) {
    if (!isAppError(error, 'bad-model')) throw error;
    return { message: error.message, hint: error.hint };
  }
  throw new Error('expected config.json to be refused');
}

describe('parseModelConfig', () => {
  it('reads the 350M shape', () => {
    expect(parseModelConfig(base, FILE)).toEqual({
      nLayer: 20,
      nHead: 16,
      nEmbd: 1024,
      rotaryDim: 32,
      vocabSize: 51200,
      contextLength: 2048,
      eosId: 50256,
      eosIds: [50256],
      headDim: 64,
    });
  });

  it('names a wrong model_type and the file', () => {
    expect(refusal({ ...base, model_type: 'gpt2' }).message).toBe(
      `This is not a CodeGen model: ${FILE} says model_type "gpt2".`,
    );
    expect(refusal([]).message).toBe(`${FILE} is not a JSON object.`);
  });

  it('names each missing or ill-typed required field, all at once', () => {
    expect(refusal(without('n_layer', 'n_positions')).message).toBe(
      `${FILE}: n_layer is missing; n_positions is missing.`,
    );
    for (const [key, value] of [
      ['n_head', 0],
      ['n_embd', '1024'],
      ['rotary_dim', 32.5],
      ['vocab_size', -1],
      ['n_positions', null],
    ] as const) {
      const { message, hint } = refusal({ ...base, [key]: value });
      expect(message).toBe(
        `${FILE}: ${key} must be a positive integer (got ${JSON.stringify(value)}).`,
      );
      expect(hint).toMatch(/incomplete or damaged/);
    }
  });

  it('refuses head and rotary sizes that cannot be a CodeGen', () => {
    expect(refusal({ ...base, n_head: 7 }).message).toBe(
      `${FILE}: n_embd 1024 is not a multiple of n_head 7.`,
    );
    expect(refusal({ ...base, rotary_dim: 128 }).message).toBe(
      `${FILE}: rotary_dim 128 is larger than the head size (n_embd / n_head = 64).`,
    );
    expect(refusal({ ...base, rotary_dim: 33 }).message).toBe(
      `${FILE}: rotary_dim 33 is odd; rotary embedding turns channel pairs.`,
    );
    // The full head is allowed (rotary_dim = head_dim).
    expect(parseModelConfig({ ...base, rotary_dim: 64 }, FILE).rotaryDim).toBe(64);
  });

  it('refuses an eos, bos or pad id outside the vocabulary', () => {
    const { message, hint } = refusal({ ...base, eos_token_id: 60000 });
    expect(message).toBe(
      `${FILE}: eos_token_id 60000 is outside the vocabulary (vocab_size 51200).`,
    );
    expect(hint).toMatch(/below vocab_size/);
    expect(refusal({ ...base, bos_token_id: 51200 }).message).toBe(
      `${FILE}: bos_token_id 51200 is outside the vocabulary (vocab_size 51200).`,
    );
    expect(refusal({ ...base, pad_token_id: -1 }).message).toBe(
      `${FILE}: pad_token_id must be a token id or null (got -1).`,
    );
    expect(refusal({ ...base, eos_token_id: 'eos' }).message).toMatch(
      /eos_token_id must be a token id or null \(got "eos"\)/,
    );
  });

  it('accepts null or absent bos and pad, and an eos list', () => {
    expect(parseModelConfig({ ...without('bos_token_id'), pad_token_id: null }, FILE).eosId).toBe(
      50256,
    );
    const listed = parseModelConfig({ ...base, eos_token_id: [50256, 50295] }, FILE);
    expect(listed.eosIds).toEqual([50256, 50295]);
    expect(listed.eosId).toBe(50256);
    expect(refusal({ ...base, eos_token_id: [50256, 99999] }).message).toBe(
      `${FILE}: eos_token_id[1] 99999 is outside the vocabulary (vocab_size 51200).`,
    );
    expect(refusal({ ...base, eos_token_id: [] }).message).toBe(
      `${FILE}: eos_token_id is an empty list.`,
    );
  });

  it("falls back to CodeGen's eos 50256 when there is none, and says so when it does not fit", () => {
    const noEos = without('eos_token_id');
    expect(parseModelConfig(noEos, FILE).eosIds).toEqual([50256]);
    expect(parseModelConfig({ ...noEos, eos_token_id: null }, FILE).eosId).toBe(50256);
    expect(refusal({ ...noEos, vocab_size: 1088 }).message).toBe(
      `${FILE}: eos_token_id (absent: CodeGen's default) 50256 is outside the vocabulary (vocab_size 1088).`,
    );
  });
});

describe('checkTokenizerFits', () => {
  const config = parseModelConfig(base, FILE);
  const files = { config: FILE, tokenizer: 'Xenova/codegen-350M-mono/tokenizer.json' };

  it('allows a vocabulary padded beyond the tokenizer', () => {
    expect(() => checkTokenizerFits(config, 50295, files)).not.toThrow();
    expect(() => checkTokenizerFits(config, 51200, files)).not.toThrow();
  });

  it('refuses tokenizer ids the embedding has no row for', () => {
    expect(() => checkTokenizerFits(config, 51201, files)).toThrow(
      'Xenova/codegen-350M-mono/tokenizer.json has ids up to 51200, but Xenova/codegen-350M-mono/config.json says vocab_size 51200: those tokens have no embedding.',
    );
  });
});
