// Runs the command line as a user does (a child process of this Node), for the CLI tests.

import { spawn } from 'node:child_process';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run cli -- <args>` under node + tsx (no npm or npx in between, so a signal reaches
 * the CLI itself). `onStderr` sees the whole stderr so far after each
 * chunk, and may kill the child (Ctrl+C tests).
 */
export function runCli(
  args: string[],
  onStderr?: (text: string, child: { kill: (s: NodeJS.Signals) => void }) => void,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli/main.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
