/**
 * Per-decode-step profile of our engine in Node: where a step's time goes (onnxruntime's
 * session.run vs our JS around it: feeds, logits copy, sampling, the event-loop yield).
 *
 *   npx tsx scripts/bench/step-profile.ts --model .cache/models/350M --dtype q8 \
 *     --ort ours|tjs|node --threads 1 --prompt 256 --steps 20
 *
 * `--ort tjs` is the onnxruntime-web build transformers.js bundles (a different version).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Sampler } from '../../src/engine/generation/sampler.ts';
import { CausalLm } from '../../src/engine/onnx/causal-lm.ts';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';
import { buildPrefill, decodeInputs } from '../../src/engine/padding.ts';
import { yieldToEventLoop } from '../../src/engine/yield.ts';
import { ortNodeCpu } from './ort-node-cpu.ts';
import { ONNX_FILE } from './types.ts';
import type { BenchDtype } from './types.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: '.cache/models/350M' },
    dtype: { type: 'string', default: 'q8' },
    ort: { type: 'string', default: 'ours' },
    threads: { type: 'string', default: '1' },
    prompt: { type: 'string', default: '256' },
    steps: { type: 'string', default: '20' },
    // plain | jsep | asyncify: which of onnxruntime-web's .wasm binaries the Node build runs
    wasm: { type: 'string', default: 'plain' },
  },
});

async function pickOrt(which: string, threads: number): Promise<Ort> {
  if (which === 'node') return ortNodeCpu();
  // A path in a variable: the nested package has no type declarations of its own.
  const tjsOrt =
    '../../node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/ort.node.min.mjs';
  const ort = (which === 'tjs' ? await import(tjsOrt) : await import('onnxruntime-web')) as Ort;
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  if (values.wasm && values.wasm !== 'plain') {
    const dist =
      which === 'tjs'
        ? 'node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/'
        : 'node_modules/onnxruntime-web/dist/';
    const base = pathToFileURL(join(process.cwd(), dist)).href;
    ort.env.wasm.wasmPaths = {
      mjs: `${base}ort-wasm-simd-threaded.${values.wasm}.mjs`,
      wasm: `${base}ort-wasm-simd-threaded.${values.wasm}.wasm`,
    };
  }
  return ort;
}

function stats(xs: number[]): string {
  const sorted = [...xs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return `median ${median.toFixed(2)} mean ${mean.toFixed(2)}`;
}

async function main(): Promise<void> {
  const dtype = values.dtype as BenchDtype;
  const threads = Number(values.threads);
  const ort = await pickOrt(values.ort ?? 'ours', threads);
  const config = JSON.parse(await readFile(join(values.model ?? '', 'config.json'), 'utf8')) as {
    n_head: number;
    n_embd: number;
    vocab_size: number;
  };
  const bytes = new Uint8Array(await readFile(join(values.model ?? '', ONNX_FILE[dtype])));
  let t = performance.now();
  const lm = await CausalLm.create(ort, bytes, 'wasm', {
    nHead: config.n_head,
    headDim: config.n_embd / config.n_head,
    vocabSize: config.vocab_size,
  });
  console.log(`session ${(performance.now() - t).toFixed(0)} ms`);

  // Time session.run on its own by wrapping it.
  let runMs = 0;
  const session = lm.session;
  const run = session.run.bind(session);
  session.run = (async (...args: Parameters<typeof run>) => {
    const s = performance.now();
    const out = await run(...args);
    runMs += performance.now() - s;
    return out;
  }) as typeof session.run;

  const promptLength = Number(values.prompt);
  const prompt = Array.from({ length: promptLength }, (_, i) => 100 + ((i * 7919) % 5000));
  const prefill = buildPrefill([prompt], 50256);
  t = performance.now();
  let { logits, vocab } = await lm.step(prefill.inputs);
  console.log(`prefill ${promptLength} tokens ${(performance.now() - t).toFixed(0)} ms`);
  const sampler = new Sampler({ vocabLimit: 50295, params: { kind: 'greedy' } }, 1);
  let mask = prefill.inputs.attentionMask;
  let positions = prefill.lastPositions;
  const rows = {
    step: [] as number[],
    run: [] as number[],
    sample: [] as number[],
    yield: [] as number[],
  };
  for (let i = 0; i < Number(values.steps); i++) {
    const s0 = performance.now();
    const token = sampler.sample(logits.subarray(0, vocab));
    const s1 = performance.now();
    const step = decodeInputs([token.tokenId], mask, positions);
    mask = step.inputs.attentionMask;
    positions = step.positions;
    runMs = 0;
    ({ logits, vocab } = await lm.step(step.inputs));
    const s2 = performance.now();
    await yieldToEventLoop();
    const s3 = performance.now();
    rows.sample.push(s1 - s0);
    rows.run.push(runMs);
    rows.step.push(s2 - s1);
    rows.yield.push(s3 - s2);
  }
  const total = rows.step.map((x, i) => x + (rows.sample[i] ?? 0) + (rows.yield[i] ?? 0));
  console.log(
    `ort=${values.ort} wasm=${values.wasm} dtype=${dtype} threads=${threads} past=${promptLength}`,
  );
  console.log(
    `  whole step      ${stats(total)} ms  → ${(1000 / (total.reduce((a, b) => a + b, 0) / total.length)).toFixed(2)} tok/s`,
  );
  console.log(`  session.run     ${stats(rows.run)} ms`);
  console.log(`  lm.step - run   ${stats(rows.step.map((x, i) => x - (rows.run[i] ?? 0)))} ms`);
  console.log(`  sampling        ${stats(rows.sample)} ms`);
  console.log(`  yield           ${stats(rows.yield)} ms`);
  console.log(`  yields ${rows.yield.map((x) => x.toFixed(0)).join(' ')}`);
  console.log(`  runs   ${rows.run.map((x) => x.toFixed(0)).join(' ')}`);
  await lm.release();
}

await main();
