// `npm run cli -- generate` as a user runs it: a child process, its exit code, stdout and
// stderr. Its greedy output is compared with the engine's own greedy run in this process.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/engine/generate.ts';
import { parseGenerationParams } from '../../src/engine/generation/params.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import { loadTiny, tinyModelDir } from '../make-model/tiny-model.ts';
import { prepareHubModels, TEST_REPOS } from '../test-hub/models.ts';
import { startTestHub } from '../test-hub/server.ts';
import type { TestHub } from '../test-hub/server.ts';
import { runCli } from './run-cli.ts';
import type { Ran } from './run-cli.ts';

interface CliToken {
  id: number;
  text: string;
  logprob: number;
  top: Array<{ id: number; text: string; logprob: number }>;
}
interface CliRow {
  promptIds: number[];
  ids: number[];
  text: string;
  tokens: CliToken[];
}

const PROMPT = 'def fibonacci(n):\n';
const OTHER_PROMPT = '# add two numbers\ndef add(a, b):\n    return';
const NEW_TOKENS = 12;
const TIMEOUT = 120_000; // several child processes, each starting tsx and onnxruntime

let model: LoadedModel;
let hub: TestHub;
let scratch: string;

beforeAll(async () => {
  model = await loadTiny('fp32');
  const hubRoot = join(process.cwd(), '.cache', 'test-hub-cli');
  prepareHubModels(hubRoot);
  hub = await startTestHub({ root: hubRoot });
  scratch = mkdtempSync(join(tmpdir(), 'codegen-cli-'));
}, TIMEOUT);

afterAll(async () => {
  await model.lm.release();
  await hub.close();
  rmSync(scratch, { recursive: true, force: true });
});

const cli = (args: string[]): Promise<Ran> => runCli(['generate', ...args]);

/** Runs the CLI with --json and returns its rows; fails with its stderr otherwise. */
async function cliRows(args: string[]): Promise<CliRow[]> {
  const { code, stdout, stderr } = await cli([...args, '--json']);
  expect(code, stderr).toBe(0);
  const parsed = JSON.parse(stdout) as { rows: CliRow[] };
  return parsed.rows;
}

/** What the engine generates greedily in this process for the same prompt. */
async function engineGreedy(prompts: string[]) {
  const result = await generate(
    model.lm,
    (ids) => model.tokenizer.decode(ids),
    {
      contextLength: model.config.contextLength,
      vocabLimit: model.tokenizer.size,
      eosId: model.config.eosId,
    },
    {
      prompts: prompts.map((p) => model.tokenizer.encode(p)),
      params: parseGenerationParams({ mode: 'greedy', maxNewTokens: NEW_TOKENS }),
    },
  );
  return result.rows;
}

const greedyArgs = (modelArg: string) => [
  '--model',
  modelArg,
  '--dtype',
  'fp32',
  '--greedy',
  '--max-new-tokens',
  String(NEW_TOKENS),
];

describe('npm run cli -- generate', () => {
  it(
    '--json gives prompt ids, generated ids, text and per-token logprobs with the top 5; greedy equals the engine',
    async () => {
      const [row, ...more] = await cliRows([...greedyArgs(tinyModelDir()), '--prompt', PROMPT]);
      expect(more).toEqual([]);
      const [engine] = await engineGreedy([PROMPT]);
      expect(row?.promptIds).toEqual(model.tokenizer.encode(PROMPT));
      expect(row?.ids).toEqual(engine?.ids);
      expect(row?.ids).toHaveLength(NEW_TOKENS);
      expect(row?.text).toBe(model.tokenizer.decode(row?.ids ?? []));

      expect(row?.tokens.map((t) => t.id)).toEqual(row?.ids);
      row?.tokens.forEach((token, i) => {
        const expected = engine?.tokens[i];
        expect(token.text).toBe(model.tokenizer.decode([token.id]));
        expect(token.logprob).toBeCloseTo(expected?.logprob ?? NaN, 5);
        expect(token.logprob).toBeLessThan(0);
        // Five other tokens, most likely first, none likelier than the greedy pick.
        expect(token.top).toHaveLength(5);
        expect(token.top.map((t) => t.id)).toEqual(expected?.top.map((t) => t.tokenId));
        expect(token.top.map((t) => t.id)).not.toContain(token.id);
        const logprobs = token.top.map((t) => t.logprob);
        expect(logprobs).toEqual([...logprobs].sort((a, b) => b - a));
        expect(logprobs[0]).toBeLessThanOrEqual(token.logprob);
        const mass = [token.logprob, ...logprobs].reduce((sum, lp) => sum + Math.exp(lp), 0);
        expect(mass).toBeLessThanOrEqual(1 + 1e-6);
      });
    },
    TIMEOUT,
  );

  it(
    '--batch-file runs every prompt (JSON array or one per line with \\n escapes), each as alone',
    async () => {
      const prompts = [PROMPT, OTHER_PROMPT];
      const jsonFile = join(scratch, 'prompts.json');
      writeFileSync(jsonFile, JSON.stringify(prompts));
      const lineFile = join(scratch, 'prompts.txt');
      writeFileSync(lineFile, prompts.map((p) => p.replace(/\n/g, '\\n')).join('\n'));

      const engine = await engineGreedy(prompts);
      for (const file of [jsonFile, lineFile]) {
        const rows = await cliRows([...greedyArgs(tinyModelDir()), '--batch-file', file]);
        expect(rows.map((r) => r.promptIds)).toEqual(prompts.map((p) => model.tokenizer.encode(p)));
        expect(rows.map((r) => r.ids)).toEqual(engine.map((r) => r.ids));
        expect(rows.map((r) => r.text)).toEqual(engine.map((r) => r.text));
      }
    },
    TIMEOUT,
  );

  it(
    'a bad --model exits with code 1 and says why',
    async () => {
      const notAModel = await cli([...greedyArgs('no/such/model/folder'), '--prompt', PROMPT]);
      expect(notAModel.code).toBe(1);
      expect(notAModel.stdout).toBe('');
      expect(notAModel.stderr).toContain(
        'error: Cannot use "no/such/model/folder" as a model: "no/such/model/folder" is not of the form owner/name',
      );

      const missingRepo = await cli([
        ...greedyArgs('test/does-not-exist'),
        '--hub-base',
        hub.url,
        '--prompt',
        PROMPT,
      ]);
      expect(missingRepo.code).toBe(1);
      expect(missingRepo.stderr).toContain(
        `error: Not found (404): ${hub.url}/test/does-not-exist/resolve/main/`,
      );
    },
    TIMEOUT,
  );

  it(
    'a hub id is fetched from --hub-base and generates what the folder generates',
    async () => {
      hub.reset();
      const [row] = await cliRows([
        ...greedyArgs(TEST_REPOS.tiny),
        '--hub-base',
        hub.url,
        '--prompt',
        PROMPT,
      ]);
      const [engine] = await engineGreedy([PROMPT]);
      expect(row?.ids).toEqual(engine?.ids);
      const fetched = hub
        .requests()
        .filter((r) => r.method === 'GET')
        .map((r) => `${r.status} ${r.path}`);
      expect(fetched.sort()).toEqual(
        ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']
          .map((file) => `200 /${TEST_REPOS.tiny}/resolve/main/${file}`)
          .sort(),
      );
    },
    TIMEOUT,
  );
});
