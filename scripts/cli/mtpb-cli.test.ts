// `npm run mtpb` as a user runs it: a child process, its exit code, stdout and what it wrote.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunSidecar } from '../../src/mtpb/run-sidecar.ts';
import { hasMtpb } from '../../src/mtpb/dataset.node.ts';
import { tinyModelDir } from '../make-model/tiny-model.ts';
import { PACKAGE_INDEX_PATH } from '../test-hub/package-index.ts';
import { startTestHub } from '../test-hub/server.ts';
import type { TestHub } from '../test-hub/server.ts';
import { runCli } from './run-cli.ts';

const TIMEOUT = 180_000;
const PREFIX = '# Import libraries.\n\nimport numpy as np\n\n';

let scratch: string;
/** A folder with no wheels: package loads fail at once, as offline with an empty cache. */
let noWheels: string;
let hub: TestHub;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'mtpb-cli-'));
  noWheels = join(scratch, 'no-wheels/');
  mkdirSync(noWheels);
  hub = await startTestHub({ root: join(scratch, 'hub') });
});
afterAll(async () => {
  await hub.close();
  rmSync(scratch, { recursive: true, force: true });
});

const cli = runCli;

const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) => JSON.parse(l) as { id: string; status: string; passed: boolean; completions: string },
    );

const sample = (id: string, body: string, gold: string) =>
  `{"id": "${id}", "input": {"n": "${id}"}, "gold_output": ${gold}, "completions": ${JSON.stringify(`${PREFIX}# Go.\n${body}\n\n`)}}`;

describe('npm run mtpb', () => {
  it(
    'replays a samples file and writes verdicts, with a CSV summary beside it',
    async () => {
      const samples = join(scratch, 'samples.jsonl');
      writeFileSync(
        samples,
        [
          sample('1', 'print(sum([1, 2, 3]))', '6'),
          sample('2', 'print(5)', '6'),
          sample('3', 'x = 1 +', '6.0'),
        ].join('\n'),
      );
      const out = join(scratch, 'replayed.jsonl');
      const { code, stdout, stderr } = await cli([
        'mtpb',
        '--replay',
        samples,
        '--packages',
        noWheels,
        '--out',
        out,
      ]);
      expect(code, stderr).toBe(0);
      expect(readLines(out).map((l) => [l.id, l.status, l.passed])).toEqual([
        ['1', 'pass', true],
        ['2', 'fail', false],
        ['3', 'error', false],
      ]);
      expect(readFileSync(out, 'utf8')).toContain('"gold_output": 6.0,');
      expect(stdout).toMatch(/pass rate \(excl\. unavailable\)\s+33\.33 % \(1\/3\)/);
      expect(stdout).toContain('unavailable cases are not counted');
      expect(readFileSync(join(scratch, 'replayed.csv'), 'utf8')).toContain(
        'total,,3,1,1,0,1,0,0.3333',
      );
    },
    TIMEOUT,
  );

  it(
    'judges a package problem against the index named by --packages',
    async () => {
      const samples = join(scratch, 'packages.jsonl');
      // The test hub's stand-in wheels (not numpy): they install and mark themselves.
      writeFileSync(samples, sample('1', 'import pandas\nprint(pandas.STAND_IN)', 'true'));
      const out = join(scratch, 'packages-out.jsonl');
      const offline = join(scratch, 'offline-out.jsonl');
      const online = await cli([
        'mtpb',
        '--replay',
        samples,
        '--packages',
        `${hub.url}${PACKAGE_INDEX_PATH}`,
        '--out',
        out,
      ]);
      expect(online.code, online.stderr).toBe(0);
      expect(readLines(out).map((l) => l.status)).toEqual(['pass']);
      const empty = await cli([
        'mtpb',
        '--replay',
        samples,
        '--packages',
        noWheels,
        '--out',
        offline,
      ]);
      expect(empty.code, empty.stderr).toBe(0);
      expect(readLines(offline).map((l) => l.status)).toEqual(['unavailable']);
    },
    TIMEOUT,
  );

  it(
    'prints its usage on --help and exits 0; bad input exits 1',
    async () => {
      const help = await cli(['mtpb', '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('--packages');
      expect(help.stdout).toContain('--engine auto|ort|wgsl');
      expect(help.stdout).toContain('Exit codes: 0 completed, 1 bad input');
      const generateHelp = await cli(['generate', '--help']);
      expect(generateHelp.code).toBe(0);
      expect(generateHelp.stdout).toContain('--max-new-tokens');
      expect(generateHelp.stdout).toContain('--engine auto|ort|wgsl');
      const top = await cli(['--help']);
      expect(top.code).toBe(0);
      expect(top.stdout).toContain('npm run mtpb');

      const noOut = await cli(['mtpb', '--replay', 'x.jsonl']);
      expect(noOut.code).toBe(1);
      expect(noOut.stderr).toContain('--out is required');
      const unknownOption = await cli(['mtpb', '--bogus']);
      expect(unknownOption.code).toBe(1);
      expect(unknownOption.stderr).toContain('--bogus');
      const unknownCommand = await cli(['frobnicate']);
      expect(unknownCommand.code).toBe(1);
      const badK = await cli(['mtpb', '--model', 'm', '--n', '2', '--k', '3', '--out', 'o.jsonl']);
      expect(badK.code).toBe(1);
      expect(badK.stderr).toContain('--k 3 is not valid');
      const badEngine = await cli(['mtpb', '--model', 'm', '--engine', 'gpu', '--out', 'o.jsonl']);
      expect(badEngine.code).toBe(1);
      expect(badEngine.stderr).toContain('error: Unknown engine "gpu"; one of auto, ort, wgsl.');
      const badGenerateEngine = await cli([
        'generate',
        '--model',
        'm',
        '--engine',
        'WGSL',
        '--prompt',
        'x',
      ]);
      expect(badGenerateEngine.code).toBe(1);
      expect(badGenerateEngine.stderr).toContain(
        'error: Unknown engine "WGSL"; one of auto, ort, wgsl.',
      );
    },
    TIMEOUT,
  );

  it(
    'on Ctrl+C stops, writes the cases that finished and exits 2',
    async () => {
      const samples = join(scratch, 'long.jsonl');
      const lines = Array.from({ length: 40 }, (_, i) =>
        sample(String(i + 1), 'import time\ntime.sleep(0.3)\nprint(1)', '1'),
      );
      writeFileSync(samples, lines.join('\n'));
      const out = join(scratch, 'interrupted.jsonl');
      let sent = false;
      const ran = await cli(
        ['mtpb', '--replay', samples, '--packages', noWheels, '--out', out],
        (stderr, child) => {
          if (!sent && /problem 2 case 1: pass/.test(stderr)) {
            sent = true;
            child.kill('SIGINT');
          }
        },
      );
      expect(ran.code, ran.stderr).toBe(2);
      expect(ran.stderr).toContain('interrupted');
      const written = readLines(out);
      expect(written.length).toBeGreaterThanOrEqual(2);
      expect(written.length).toBeLessThan(40);
      expect(written.every((l) => l.status === 'pass')).toBe(true);
    },
    TIMEOUT,
  );

  it.skipIf(!hasMtpb)(
    'runs a problem live with the tiny model and exits 0 (verdicts are data)',
    async () => {
      const out = join(scratch, 'run.jsonl');
      const ran = await cli([
        'mtpb',
        '--model',
        tinyModelDir(),
        '--dtype',
        'fp32',
        '--problems',
        '1',
        '--packages',
        noWheels,
        '--out',
        out,
      ]);
      expect(ran.code, ran.stderr).toBe(0);
      const lines = readLines(out);
      expect(lines).toHaveLength(5);
      for (const line of lines) {
        expect(line.id).toBe('1');
        expect(line.status).toMatch(/^(pass|fail|timeout|error|unavailable)$/);
        expect(line.completions.startsWith(`${PREFIX}# Assign the string`)).toBe(true);
      }
      // What ran, beside the samples as the page exports it (not a *.jsonl: the official
      // mtpb_exec.py reads every *.jsonl of its folder).
      const meta = readRunSidecar(readFileSync(join(scratch, 'run.meta.json'), 'utf8'));
      expect(meta).toMatchObject({
        kind: 'live',
        state: 'done',
        model: { dtype: 'fp32', onnxPath: 'onnx/model.onnx', backend: 'wasm', engine: 'ort' },
        settings: { problemIds: ['1'], mode: 'multi', seed: 16, temperature: 0.2, topP: 0.95 },
        appVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
        totalCases: 5,
      });
    },
    TIMEOUT,
  );
});
