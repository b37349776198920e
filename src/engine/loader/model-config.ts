import { AppError } from '../../shared/errors.ts';

/** The parts of a Hugging Face CodeGen config.json the engine needs. */
export interface CodegenModelConfig {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  rotaryDim: number;
  vocabSize: number;
  contextLength: number; // n_positions
  eosId: number;
  headDim: number;
}

function positiveInt(config: Record<string, unknown>, key: string, fallback?: number): number {
  const value = config[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new AppError(
      'bad-model',
      `config.json: "${key}" must be a positive integer (got ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

export function parseModelConfig(json: unknown): CodegenModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AppError('bad-model', 'config.json is not a JSON object.');
  }
  const config = json as Record<string, unknown>;
  if (config.model_type !== 'codegen') {
    throw new AppError(
      'bad-model',
      `This is not a CodeGen model: config.json says model_type "${String(config.model_type)}".`,
      {
        hint: 'Pick a Salesforce CodeGen export (model_type "codegen"), e.g. Xenova/codegen-350M-mono.',
      },
    );
  }
  const nHead = positiveInt(config, 'n_head');
  const nEmbd = positiveInt(config, 'n_embd');
  if (nEmbd % nHead !== 0)
    throw new AppError(
      'bad-model',
      `config.json: n_embd ${nEmbd} is not a multiple of n_head ${nHead}.`,
    );
  const eos = config.eos_token_id;
  return {
    nLayer: positiveInt(config, 'n_layer'),
    nHead,
    nEmbd,
    rotaryDim: positiveInt(config, 'rotary_dim'),
    vocabSize: positiveInt(config, 'vocab_size'),
    contextLength: positiveInt(config, 'n_positions', 2048),
    eosId: typeof eos === 'number' && Number.isInteger(eos) && eos >= 0 ? eos : 50256,
    headDim: nEmbd / nHead,
  };
}
