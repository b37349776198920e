// One prefill configuration on onnxruntime-web's WASM backend under Node, in a process of
// its own (spawned by prefill-memory.ts): each configuration starts with a fresh WASM heap,
// whose growth is then the prefill's, and one that hangs or runs out of memory is killed
// without taking the benchmark down. argv[2]: the model folder; argv[3]: the job as JSON.
// Writes one `@@prefill {json}` line.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ort } from '../../src/engine/ort-node.node.ts';
import { measurePrefill } from './prefill-memory-run.ts';
import { PREFILL_TAG } from './prefill-memory-types.ts';
import type { PrefillJob } from './prefill-memory-types.ts';

// Emscripten grows the heap through Memory.prototype.grow and never shrinks it.
let wasmGrownBytes = 0;
// eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .call(memory)
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, pages: number): number {
  wasmGrownBytes += pages * 65_536;
  return grow.call(this, pages);
};

async function main(): Promise<void> {
  const dir = process.argv[2] ?? '';
  const job = JSON.parse(process.argv[3] ?? '{}') as PrefillJob;
  const result = await measurePrefill(
    ort,
    {
      config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as unknown,
      onnx: readFileSync(join(dir, 'onnx', 'model.onnx')),
    },
    job,
    { wasmGrownBytes: () => wasmGrownBytes, gpu: () => null },
  );
  process.stdout.write(`${PREFILL_TAG}${JSON.stringify(result)}\n`);
}

await main();
