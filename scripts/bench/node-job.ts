// The child side of node-runner.ts: one configuration, run by whichever process was spawned
// for it (node-child.ts under tsx, or the GPU kit's bundle).

import { readFileSync } from 'node:fs';
import { runConfig } from './config-loop.ts';
import { NodeSession } from './node-session.ts';
import { CONFIG_TAG, LOAD_TAG, RUN_TAG } from './node-protocol.ts';
import type { NodeJob } from './node-protocol.ts';
import { PromptSource } from './prompts.ts';

/**
 * Runs the job in `jobFile` in this process: one `@@run` line per finished workload and one
 * `@@config` line on stdout, logs on stderr. The GPU kit's bundle calls it for its children.
 */
export async function runNodeJob(jobFile: string): Promise<void> {
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as NodeJob;
  const session = new NodeSession(
    job.runtime,
    job.modelDir,
    job.plan.dtype,
    new PromptSource(job.modelDir),
  );
  const result = await runConfig(job.plan, session, {
    log: (line) => process.stderr.write(`${line}\n`),
    onLoad: (load) => process.stdout.write(`${LOAD_TAG}${JSON.stringify(load)}\n`),
    onRun: (run, index) => process.stdout.write(`${RUN_TAG}${index} ${JSON.stringify(run)}\n`),
  });
  await session.close();
  process.stdout.write(`${CONFIG_TAG}${JSON.stringify(result)}\n`);
}
