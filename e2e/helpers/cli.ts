import { execFileSync } from 'node:child_process';

export interface CliRow {
  promptIds: number[];
  ids: number[];
  text: string;
  tokens: Array<{ id: number; text: string; logprob: number }>;
}

/** What the command line generates from the tiny model's files for a prompt and settings. */
export function cliGenerate(prompt: string, args: string[]): CliRow {
  const out = execFileSync(
    'npx',
    [
      'tsx',
      'scripts/cli/main.ts',
      'generate',
      '--model',
      'public/models/tiny',
      '--dtype',
      'fp32',
      '--prompt',
      prompt,
      '--json',
      ...args,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const row = (JSON.parse(out) as { rows: CliRow[] }).rows[0];
  if (!row) throw new Error('the command line gave no row');
  return row;
}
