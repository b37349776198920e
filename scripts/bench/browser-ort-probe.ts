/**
 * onnxruntime-web alone in headless Chromium, no app code: session.run times of one
 * decoder-with-past ONNX file for several ORT builds, thread counts, and page main thread
 * vs dedicated worker. Tells apart "our engine is slow" from "this ORT build/placement is".
 *
 *   npx tsx scripts/bench/browser-ort-probe.ts --model .cache/models/350M --file onnx/model_quantized.onnx
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startStaticServer } from '../serve/static-server.ts';
import { launchChromium, openPage } from './browser.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: '.cache/models/350M' },
    file: { type: 'string', default: 'onnx/model_quantized.onnx' },
    prompt: { type: 'string', default: '128' },
    steps: { type: 'string', default: '12' },
    only: { type: 'string' },
  },
});

interface Variant {
  name: string;
  ort: string; // module path on the server
  threads: number;
  where: 'main' | 'worker';
}

const VARIANTS: Variant[] = [
  { name: 'ours jsep (app)', ort: '/ort/ort.all.min.mjs', threads: 2, where: 'worker' },
  { name: 'ours plain wasm', ort: '/ort/ort.wasm.min.mjs', threads: 2, where: 'worker' },
  { name: 'ours asyncify', ort: '/ort/ort.webgpu.min.mjs', threads: 2, where: 'worker' },
  { name: 'tjs asyncify (tjs)', ort: '/tjs-ort/ort.webgpu.min.mjs', threads: 2, where: 'main' },
  { name: 'tjs asyncify', ort: '/tjs-ort/ort.webgpu.min.mjs', threads: 2, where: 'worker' },
  { name: 'ours jsep main', ort: '/ort/ort.all.min.mjs', threads: 2, where: 'main' },
  { name: 'ours jsep 1 thread', ort: '/ort/ort.all.min.mjs', threads: 1, where: 'worker' },
  { name: 'ours plain 1 thread', ort: '/ort/ort.wasm.min.mjs', threads: 1, where: 'worker' },
];

interface ProbeResult {
  createMs: number;
  prefillMs: number;
  stepMs: number[];
  isolated: boolean;
}

// Runs in the page or in a worker: plain JS, so tsx's helpers never reach the browser.
const PROBE = `async function probe(a) {
  const ort = await import(a.ortUrl);
  ort.env.wasm.wasmPaths = a.ortUrl.slice(0, a.ortUrl.lastIndexOf('/') + 1);
  ort.env.wasm.numThreads = a.threads;
  ort.env.logLevel = 'error';
  const bytes = new Uint8Array(await (await fetch(a.modelUrl)).arrayBuffer());
  let t = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const createMs = performance.now() - t;
  const pastNames = session.inputNames.filter((n) => n.startsWith('past_key_values'));
  const presentNames = session.outputNames.filter((n) => n.startsWith('present'));
  const i64 = (xs) => BigInt64Array.from(xs, (x) => BigInt(x));
  let past = pastNames.map(() => new ort.Tensor('float32', new Float32Array(0), [1, a.nHead, 0, a.headDim]));
  let ids = Array.from({ length: a.prompt }, (_, i) => 100 + ((i * 7919) % 5000));
  let total = 0;
  const times = [];
  for (let step = 0; step <= a.steps; step++) {
    const seq = ids.length;
    const feeds = {
      input_ids: new ort.Tensor('int64', i64(ids), [1, seq]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total + seq).fill(1n), [1, total + seq]),
    };
    if (session.inputNames.includes('position_ids'))
      feeds.position_ids = new ort.Tensor('int64', i64(ids.map((_, i) => total + i)), [1, seq]);
    pastNames.forEach((n, i) => { feeds[n] = past[i]; });
    t = performance.now();
    const out = await session.run(feeds);
    times.push(performance.now() - t);
    for (const p of past) p.dispose();
    past = presentNames.map((n) => out[n]);
    const logits = out.logits.data;
    const vocab = out.logits.dims[2];
    let best = 0;
    for (let v = 1; v < vocab; v++) if (logits[(seq - 1) * vocab + v] > logits[(seq - 1) * vocab + best]) best = v;
    out.logits.dispose();
    total += seq;
    ids = [best];
  }
  await session.release();
  return { createMs, prefillMs: times[0], stepMs: times.slice(1), isolated: self.crossOriginIsolated };
}`;

async function main(): Promise<void> {
  const root = process.cwd();
  const server = await startStaticServer({
    '/page/': join(root, 'scripts', 'bench', 'transformersjs-page'),
    '/ort/': join(root, 'node_modules', 'onnxruntime-web', 'dist'),
    '/tjs-ort/': join(
      root,
      'node_modules',
      '@huggingface',
      'transformers',
      'node_modules',
      'onnxruntime-web',
      'dist',
    ),
    '/model/': join(root, values.model ?? ''),
  });
  const browser = await launchChromium();
  try {
    for (const variant of VARIANTS) {
      if (values.only && !values.only.split(',').includes(variant.name)) continue;
      const page = await openPage(browser, `${server.origin}/page/`, (l) => console.log(l));
      const args = {
        ortUrl: `${server.origin}${variant.ort}`,
        modelUrl: `${server.origin}/model/${values.file}`,
        threads: variant.threads,
        prompt: Number(values.prompt),
        steps: Number(values.steps),
        nHead: 16,
        headDim: 64,
      };
      const script =
        variant.where === 'main'
          ? `(${PROBE.replace('async function probe', 'async function')})(${JSON.stringify(args)})`
          : `new Promise((resolve, reject) => {
              const code = ${JSON.stringify(PROBE)} + 'probe(' + ${JSON.stringify(JSON.stringify(args))} + ').then((r) => postMessage(r), (e) => postMessage({ error: String(e) }));';
              const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
              w.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data));
              w.onerror = (e) => reject(new Error(e.message));
            })`;
      try {
        const r = await page.evaluate<ProbeResult>(script);
        const sorted = [...r.stepMs].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
        console.log(
          `${variant.name.padEnd(22)} ${variant.where.padEnd(6)} threads=${variant.threads} isolated=${r.isolated} ` +
            `create ${r.createMs.toFixed(0)} ms, prefill(${values.prompt}) ${r.prefillMs.toFixed(0)} ms, ` +
            `decode median ${median.toFixed(1)} ms/step [${r.stepMs.map((x) => x.toFixed(0)).join(' ')}]`,
        );
      } catch (error) {
        console.log(`${variant.name}: failed: ${String(error).slice(0, 300)}`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
