import { AppError } from '../../shared/errors.ts';

/** The parts of a Hugging Face CodeGen config.json the engine needs, checked for sanity. */
export interface CodegenModelConfig {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  rotaryDim: number;
  vocabSize: number;
  contextLength: number; // n_positions
  /** The first end-of-text id: generation stops on it and pads batches with it. */
  eosId: number;
  /** Every id config.json lists as eos_token_id (a number or a list in config.json). */
  eosIds: readonly number[];
  headDim: number;
}

/** transformers' CodeGenConfig default, used when config.json has no eos_token_id. */
const DEFAULT_EOS_ID = 50256;

/** The fields every CodeGen config.json must have, each a positive integer. */
const REQUIRED = [
  'n_layer',
  'n_head',
  'n_embd',
  'rotary_dim',
  'vocab_size',
  'n_positions',
] as const;
type RequiredField = (typeof REQUIRED)[number];

/**
 * Reads and checks config.json before any session exists: a wrong field then fails here, with
 * the field and the file named (`file`, e.g. "Xenova/codegen-350M-mono/config.json"), instead
 * of deep inside onnxruntime (an eos id outside the vocabulary reaches the embedding Gather as
 * "indices element out of data bounds"). Every problem is listed at once.
 */
export function parseModelConfig(json: unknown, file = 'config.json'): CodegenModelConfig {
  const bad = (problems: readonly string[], hint: string): AppError =>
    new AppError('bad-model', `${file}: ${problems.join('; ')}.`, { hint });
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AppError('bad-model', `${file} is not a JSON object.`, {
      hint: 'The file may be truncated or not a model file: delete it from the cache and download again.',
    });
  }
  const config = json as Record<string, unknown>;
  if (config.model_type !== 'codegen') {
    throw new AppError(
      'bad-model',
      `This is not a CodeGen model: ${file} says model_type "${String(config.model_type)}".`,
      {
        hint: 'Pick a Salesforce CodeGen export (model_type "codegen"), e.g. Xenova/codegen-350M-mono.',
      },
    );
  }

  const problems: string[] = [];
  const dims: Partial<Record<RequiredField, number>> = {};
  for (const key of REQUIRED) {
    const value = config[key];
    if (value === undefined) problems.push(`${key} is missing`);
    else if (!isPositiveInt(value)) {
      problems.push(`${key} must be a positive integer (got ${JSON.stringify(value)})`);
    } else dims[key] = value;
  }
  const { n_layer, n_head, n_embd, rotary_dim, vocab_size, n_positions } = dims;
  if (
    n_layer === undefined ||
    n_head === undefined ||
    n_embd === undefined ||
    rotary_dim === undefined ||
    vocab_size === undefined ||
    n_positions === undefined
  ) {
    throw bad(
      problems,
      'A CodeGen config.json has all of these; this one is incomplete or damaged.',
    );
  }

  // The attention splits n_embd into n_head heads; rotary embedding turns pairs of the first
  // rotary_dim channels of each head, so it must be even and fit in the head.
  const shapeProblems: string[] = [];
  const headDim = n_embd / n_head;
  if (n_embd % n_head !== 0) {
    shapeProblems.push(`n_embd ${n_embd} is not a multiple of n_head ${n_head}`);
  } else if (rotary_dim > headDim) {
    shapeProblems.push(
      `rotary_dim ${rotary_dim} is larger than the head size (n_embd / n_head = ${headDim})`,
    );
  }
  if (rotary_dim % 2 !== 0) {
    shapeProblems.push(`rotary_dim ${rotary_dim} is odd; rotary embedding turns channel pairs`);
  }
  if (shapeProblems.length > 0) {
    throw bad(
      shapeProblems,
      'These sizes do not describe a CodeGen model: the config.json is wrong.',
    );
  }

  // Token ids: each must be a row of the embedding, [vocab_size, n_embd].
  const idProblems: string[] = [];
  const tokenId = (key: string, value: unknown): number | null => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      idProblems.push(`${key} must be a token id or null (got ${JSON.stringify(value)})`);
      return null;
    }
    if (value >= vocab_size) {
      idProblems.push(`${key} ${value} is outside the vocabulary (vocab_size ${vocab_size})`);
      return null;
    }
    return value;
  };
  const rawEos = config.eos_token_id ?? DEFAULT_EOS_ID;
  const eosIds: number[] = [];
  if (Array.isArray(rawEos)) {
    if (rawEos.length === 0) idProblems.push('eos_token_id is an empty list');
    rawEos.forEach((value, i) => {
      const id = tokenId(`eos_token_id[${i}]`, value);
      if (id !== null) eosIds.push(id);
    });
  } else {
    const key =
      config.eos_token_id === undefined || config.eos_token_id === null
        ? "eos_token_id (absent: CodeGen's default)"
        : 'eos_token_id';
    const id = tokenId(key, rawEos);
    if (id !== null) eosIds.push(id);
  }
  tokenId('bos_token_id', config.bos_token_id);
  tokenId('pad_token_id', config.pad_token_id);
  const eosId = eosIds[0];
  if (idProblems.length > 0 || eosId === undefined) {
    throw bad(
      idProblems,
      'Token ids must be below vocab_size: config.json and the model do not belong together, or an id is mistyped.',
    );
  }

  return {
    nLayer: n_layer,
    nHead: n_head,
    nEmbd: n_embd,
    rotaryDim: rotary_dim,
    vocabSize: vocab_size,
    contextLength: n_positions,
    eosId,
    eosIds,
    headDim,
  };
}

/**
 * The tokenizer must not produce ids the embedding has no row for. `tokenizerSize` is one more
 * than the largest id tokenizer.json can produce; vocab_size may be larger (CodeGen pads 50,295
 * ids to 51,200), never smaller.
 */
export function checkTokenizerFits(
  config: CodegenModelConfig,
  tokenizerSize: number,
  files: { config: string; tokenizer: string },
): void {
  if (tokenizerSize <= config.vocabSize) return;
  throw new AppError(
    'bad-model',
    `${files.tokenizer} has ids up to ${tokenizerSize - 1}, but ${files.config} says vocab_size ${config.vocabSize}: those tokens have no embedding.`,
    { hint: 'The tokenizer belongs to another model: use the tokenizer.json of this export.' },
  );
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
