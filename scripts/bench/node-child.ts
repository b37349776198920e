// One Node configuration in its own process (spawned by node-runner.ts): a hung or
// memory-hungry session can be killed without taking the benchmark down, and each dtype
// starts with a fresh WASM heap. Reads its job from the JSON file named in argv[2].

import { runNodeJob } from './node-job.ts';

await runNodeJob(process.argv[2] ?? '');
