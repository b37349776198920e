// `npm run cli -- generate --engine wgsl` as a user runs it: the WGSL kernels on Dawn's
// WebGPU (SwiftShader on machines without a GPU) must write what onnxruntime writes greedily
// on the same tiny model, each token's log-probability within float32 summation-order error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/engine/generate.ts';
import { parseGenerationParams } from '../../src/engine/generation/params.ts';
import type { OrtLoadedModel } from '../../src/engine/loader/load-model.ts';
import { loadTiny, tinyModelDir } from '../make-model/tiny-model.ts';
import { runCli } from './run-cli.ts';
import type { Ran } from './run-cli.ts';

interface CliRow {
  ids: number[];
  text: string;
  tokens: Array<{ id: number; logprob: number }>;
}

const PROMPTS = ['def fibonacci(n):\n', '# add two numbers\ndef add(a, b):\n    return'];
const NEW_TOKENS = 12;
const TIMEOUT = 180_000; // tsx, Dawn's start and SwiftShader's shader compiles

let model: OrtLoadedModel;
beforeAll(async () => {
  model = await loadTiny('fp32');
}, TIMEOUT);
afterAll(() => model.lm.release());

const cli = (args: string[]): Promise<Ran> => runCli(args);

describe('npm run cli -- generate --engine wgsl', () => {
  it(
    'generates greedily what onnxruntime generates, on WebGPU through Dawn',
    async () => {
      for (const prompt of PROMPTS) {
        const { code, stdout, stderr } = await cli([
          'generate',
          '--model',
          tinyModelDir(),
          '--dtype',
          'fp32',
          '--engine',
          'wgsl',
          '--greedy',
          '--max-new-tokens',
          String(NEW_TOKENS),
          '--prompt',
          prompt,
          '--json',
        ]);
        expect(code, stderr).toBe(0);
        expect(stderr).toContain('[load] engine: WGSL kernels (--engine wgsl)');
        const parsed = JSON.parse(stdout) as { engine: string; rows: CliRow[] };
        expect(parsed.engine).toBe('wgsl');
        const [row] = parsed.rows;

        const reference = await generate(
          model.lm,
          (ids) => model.tokenizer.decode(ids),
          {
            contextLength: model.config.contextLength,
            vocabLimit: model.tokenizer.size,
            eosId: model.config.eosId,
          },
          {
            prompts: [model.tokenizer.encode(prompt)],
            params: parseGenerationParams({ mode: 'greedy', maxNewTokens: NEW_TOKENS }),
          },
        );
        const [expected] = reference.rows;
        expect(row?.ids).toEqual(expected?.ids);
        expect(row?.text).toBe(expected?.text);
        row?.tokens.forEach((token, i) => {
          // Float32 on the GPU sums in another order than onnxruntime's CPU kernels.
          expect(token.logprob).toBeCloseTo(expected?.tokens[i]?.logprob ?? NaN, 3);
        });
      }
    },
    TIMEOUT,
  );
});
