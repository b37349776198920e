import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasMtpb } from '../../src/mtpb/python-fixtures.node.ts';
import { tinyModelDir } from '../../src/engine/testing/tiny-model.node.ts';

const run = promisify(execFile);
const cli = (args: string[]) =>
  run('npx', ['tsx', 'scripts/cli/main.ts', 'mtpb', ...args], { maxBuffer: 32 * 2 ** 20 });
const PREFIX = '# Import libraries.\n\nimport numpy as np\n\n';
const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map(
      (l) => JSON.parse(l) as { id: string; status: string; passed: boolean; completions: string },
    );

describe('npm run mtpb', () => {
  it('replays a samples file and writes verdicts, with a CSV summary beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtpb-cli-'));
    const samples = join(dir, 'samples.jsonl');
    const sample = (id: string, body: string, gold: unknown) =>
      JSON.stringify({
        id,
        input: { n: id },
        gold_output: gold,
        completions: `${PREFIX}# Go.\n${body}\n\n`,
      });
    writeFileSync(
      samples,
      [
        sample('1', 'print(sum([1, 2, 3]))', 6),
        sample('2', 'print(5)', 6),
        sample('3', 'x = 1 +', 6),
      ].join('\n'),
    );
    const out = join(dir, 'replayed.jsonl');
    const { stdout } = await cli(['--replay', samples, '--out', out]);
    expect(readLines(out).map((l) => [l.id, l.status, l.passed])).toEqual([
      ['1', 'pass', true],
      ['2', 'fail', false],
      ['3', 'error', false],
    ]);
    expect(stdout).toMatch(/pass rate \(excl\. unavailable\)\s+33\.33 %/);
    expect(readFileSync(join(dir, 'replayed.csv'), 'utf8')).toContain('total,,3,1,1,0,1,0,0.3333');
  });

  it.skipIf(!hasMtpb)(
    'runs a problem live with the tiny model and exits 0 (verdicts are data)',
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'mtpb-cli-')), 'run.jsonl');
      await cli(['--model', tinyModelDir(), '--dtype', 'fp32', '--problems', '1', '--out', out]);
      const lines = readLines(out);
      expect(lines).toHaveLength(5);
      for (const line of lines) {
        expect(line.id).toBe('1');
        expect(line.status).toMatch(/^(pass|fail|timeout|error|unavailable)$/);
        expect(line.completions.startsWith(`${PREFIX}# Assign the string`)).toBe(true);
      }
    },
  );
});
