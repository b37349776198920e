import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_TAG, LOAD_TAG, RUN_TAG } from './node-protocol.ts';
import type { NodeJob } from './node-protocol.ts';
import type { NodeRuntime } from './types.ts';
import type { ConfigPlan, ConfigResult, Failure, Outcome, RunResult } from './types.ts';

/** A program that runs the job file appended to its arguments (node-job.ts's runNodeJob). */
export interface ChildCommand {
  command: string;
  args: string[];
}

/** node-child.ts under tsx: the command in this repository. */
const TSX_CHILD: ChildCommand = {
  command: process.execPath,
  args: ['--import', 'tsx', fileURLToPath(new URL('./node-child.ts', import.meta.url))],
};
/** Past the plan's cap, how long the child gets to notice by itself before it is killed. */
export const GRACE_MS = 15_000;

const running = new Set<ChildProcess>();

/** Kills every configuration child still running (the benchmark was interrupted). */
export function killNodeChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * Runs one Node configuration in a child process (node-child.ts) and kills it when it
 * outlives its cap: WASM compute blocks the child's event loop, so only the parent can
 * enforce a time limit. Workloads the child finished before being killed are kept.
 */
export async function runNodeConfig(
  runtime: NodeRuntime,
  modelDir: string,
  plan: ConfigPlan,
  log: (line: string) => void,
  childCommand: ChildCommand = TSX_CHILD,
): Promise<ConfigResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-node-'));
  const jobFile = join(dir, 'job.json');
  const job: NodeJob = { runtime, modelDir, plan };
  writeFileSync(jobFile, JSON.stringify(job));
  const started = performance.now();
  const before = loadavg()[0] ?? 0;
  let load: Outcome<{ loadMs: number }> | null = null;
  const runs: RunResult[] = [];
  let final: ConfigResult | null = null;

  const child = spawn(childCommand.command, [...childCommand.args, jobFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(LOAD_TAG)) {
        load = JSON.parse(line.slice(LOAD_TAG.length)) as Outcome<{ loadMs: number }>;
      } else if (line.startsWith(RUN_TAG)) {
        const rest = line.slice(RUN_TAG.length);
        const space = rest.indexOf(' ');
        runs[Number(rest.slice(0, space))] = JSON.parse(rest.slice(space + 1)) as RunResult;
      } else if (line.startsWith(CONFIG_TAG)) {
        final = JSON.parse(line.slice(CONFIG_TAG.length)) as ConfigResult;
      }
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    for (const line of chunk.split('\n')) if (line.trim()) log(line);
  });

  let killed = false;
  const timer = setTimeout(
    () => {
      killed = true;
      child.kill('SIGKILL');
    },
    plan.loadCapMs + plan.capMs + GRACE_MS,
  );
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  running.delete(child);
  rmSync(dir, { recursive: true, force: true });
  if (final) return final;

  // The child died or was killed: keep what it reported, say why the rest is missing.
  const why: Failure = killed
    ? {
        status: 'timeout',
        message: `killed after ${Math.round((plan.loadCapMs + plan.capMs) / 1000)} s`,
      }
    : {
        status: 'error',
        message: `the child exited with ${code}: ${lastLine(stderr)}`,
      };
  log(`  ${why.status}: ${why.message}`);
  return {
    runtime,
    dtype: plan.dtype,
    load: load ?? why,
    runs: plan.workloads.map((_, i) => runs[i] ?? why),
    loadAverage: [before, loadavg()[0] ?? 0],
    wallMs: Math.round(performance.now() - started),
  };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
