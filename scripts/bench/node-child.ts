// One Node configuration in its own process (spawned by node-runner.ts): a hung or
// memory-hungry session can be killed without taking the benchmark down, and each dtype
// starts with a fresh WASM heap. Reads its job from the JSON file named in argv[2]; writes
// one `@@run` line per finished workload and one `@@config` line, logs to stderr.

import { readFileSync } from 'node:fs';
import { runConfig } from './config-loop.ts';
import { NodeSession } from './node-session.ts';
import { CONFIG_TAG, LOAD_TAG, RUN_TAG } from './node-protocol.ts';
import type { NodeJob } from './node-protocol.ts';
import { PromptSource } from './prompts.ts';

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as NodeJob;
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

await main();
