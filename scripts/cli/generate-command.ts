import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generate } from '../../src/engine/generate.ts';
import { parseGenerationParams } from '../../src/engine/generation/params.ts';
import { AppError } from '../../src/shared/errors.ts';
import { EXIT, EXIT_CODES_USAGE } from './exit-codes.ts';
import { cliBackend, defaultDtypeOn, openModel, parseDtype, parseEngine } from './open-model.ts';

export const GENERATE_USAGE = `npm run cli -- generate --model <folder|hub id> [--dtype DTYPE]
    [--engine auto|ort|wgsl] (--prompt-file F | --prompt TEXT | --batch-file F)
    --max-new-tokens N [--greedy | --temperature T --top-p P --top-k K] [--seed S]
    [--hub-base URL] [--json]

  --batch-file F   a JSON array of prompt strings, or one prompt per line (\\n escapes allowed)
  --json           print one JSON object: per row the prompt's token ids, the generated ids,
                   the text and per-token log-probabilities with the top-5 alternatives
  --engine         ort: onnxruntime-web on WASM; wgsl: the app's WGSL kernels on WebGPU
                   (Dawn; SwiftShader where there is no GPU); auto (default): as the page's
                   Auto on WASM, onnxruntime-web
  --dtype          default: the one the page picks on the engine's backend (on WASM, q8
                   where the model has it)
${EXIT_CODES_USAGE}`;

function readBatch(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('[')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
      throw new AppError('bad-input', `${file} must be a JSON array of strings.`);
    }
    return parsed;
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.replace(/\\n/g, '\n'));
}

/** `npm run cli -- generate`; resolves to the exit code (EXIT). */
export async function generateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      model: { type: 'string' },
      dtype: { type: 'string' },
      engine: { type: 'string', default: 'auto' },
      'prompt-file': { type: 'string' },
      prompt: { type: 'string' },
      'batch-file': { type: 'string' },
      'max-new-tokens': { type: 'string', default: '64' },
      greedy: { type: 'boolean', default: false },
      temperature: { type: 'string' },
      'top-p': { type: 'string' },
      'top-k': { type: 'string' },
      seed: { type: 'string', default: '0' },
      'hub-base': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`Usage:\n  ${GENERATE_USAGE}\n`);
    return EXIT.ok;
  }
  if (!values.model) throw new AppError('bad-input', `--model is required.\n${GENERATE_USAGE}`);
  const prompts = values['batch-file']
    ? readBatch(values['batch-file'])
    : values['prompt-file']
      ? [readFileSync(values['prompt-file'], 'utf8')]
      : values.prompt !== undefined
        ? [values.prompt]
        : [];
  if (prompts.length === 0) throw new AppError('bad-input', `Give a prompt.\n${GENERATE_USAGE}`);
  const number = (v: string | undefined): number | undefined =>
    v === undefined ? undefined : Number(v);
  const params = parseGenerationParams({
    mode: values.greedy ? 'greedy' : 'sample',
    ...(values.temperature !== undefined ? { temperature: Number(values.temperature) } : {}),
    ...(values['top-p'] !== undefined ? { topP: Number(values['top-p']) } : {}),
    ...(values['top-k'] !== undefined ? { topK: Number(values['top-k']) } : {}),
    maxNewTokens: number(values['max-new-tokens']) ?? 64,
    seed: number(values.seed) ?? 0,
  });
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const engine = parseEngine(values.engine);
  const dtype = values.dtype
    ? parseDtype(values.dtype)
    : defaultDtypeOn(values.model, cliBackend(engine));
  const model = await openModel(values.model, dtype, {
    ...(values['hub-base'] ? { hubBase: values['hub-base'] } : {}),
    engine,
    log,
  });
  try {
    const { tokenizer, config } = model;
    const result = await generate(
      model.lm,
      (ids) => tokenizer.decode(ids),
      { contextLength: config.contextLength, vocabLimit: tokenizer.size, eosId: config.eosId },
      { prompts: prompts.map((p) => tokenizer.encode(p)), params },
      (event) => {
        if (!values.json && prompts.length === 1) process.stdout.write(event.delta);
      },
    );
    const text = (id: number): string => tokenizer.decode([id]);
    if (values.json) {
      const rows = result.rows.map((row) => ({
        promptIds: row.promptIds,
        ids: row.ids,
        text: row.text,
        stop: row.stop,
        tokens: row.tokens.map((t) => ({
          id: t.tokenId,
          text: text(t.tokenId),
          logprob: t.logprob,
          top: t.top.map((alt) => ({
            id: alt.tokenId,
            text: text(alt.tokenId),
            logprob: alt.logprob,
          })),
        })),
      }));
      process.stdout.write(
        `${JSON.stringify({ model: values.model, dtype, engine: model.lm.engine, params, rows, timings: result.timings }, null, 1)}\n`,
      );
    } else {
      if (prompts.length > 1)
        result.rows.forEach((row, i) => process.stdout.write(`--- row ${i}\n${row.text}\n`));
      const t = result.timings;
      log(
        `\n[${result.rows.length} row(s)] prefill ${t.prefillTokens} tok in ${t.prefillMs.toFixed(0)} ms, decode ${t.decodeTokens} tok in ${t.decodeMs.toFixed(0)} ms`,
      );
    }
  } finally {
    await model.lm.release();
  }
  return EXIT.ok;
}
