/**
 * A/B of onnxruntime-web builds under our real model worker in Chromium, beside
 * transformers.js, one workload each, same machine, one after the other. Serves the app
 * already built into .cache/bench/app (run bench:engine once to build it).
 *
 *   npx tsx scripts/bench/app-ort-ab.ts --dtype q8 --prompt 256 --new 40
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startStaticServer } from '../serve/static-server.ts';
import { AppSession } from './app-session.ts';
import { launchChromium } from './browser.ts';
import type { BenchSession } from './config-loop.ts';
import { PromptSource } from './prompts.ts';
import { COUNTED_WORKER, countedWorkerEntry } from './serve.ts';
import { TjsSession } from './tjs-session.ts';
import type { BenchDtype } from './types.ts';

const { values } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'q8' },
    prompt: { type: 'string', default: '256' },
    new: { type: 'string', default: '40' },
    only: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const root = process.cwd();
  const appDir = join(root, '.cache', 'bench', 'app');
  const worker = readdirSync(join(appDir, 'assets')).find(
    (n) => n.startsWith('model.worker-') && n.endsWith('.js'),
  );
  const tjsPackage = join(root, 'node_modules', '@huggingface', 'transformers');
  const modelDir = join(root, '.cache', 'models', '350M');
  const server = await startStaticServer({
    '/': appDir,
    '/bench-models/350M/': modelDir,
    '/bench-gpu/': countedWorkerEntry(root, worker ?? ''),
    '/tjs/': join(root, 'scripts', 'bench', 'transformersjs-page'),
    '/tjs-lib/': join(tjsPackage, 'dist'),
    '/tjs-ort/': join(tjsPackage, 'node_modules', 'onnxruntime-web', 'dist'),
  });
  const { origin } = server;
  const app = {
    origin,
    modelUrl: `${origin}/bench-models/350M/`,
    label: '350M',
    workerPath: COUNTED_WORKER,
  };
  const tjs = {
    origin,
    libUrl: `${origin}/tjs-lib/`,
    ortUrl: `${origin}/tjs-ort/`,
    modelsUrl: `${origin}/bench-models/`,
    modelId: '350M',
  };
  const prompts = new PromptSource(modelDir);
  const dtype = values.dtype as BenchDtype;
  const log = (line: string): void => console.log(line);
  const variants: Array<[string, (b: Awaited<ReturnType<typeof launchChromium>>) => BenchSession]> =
    [
      [
        'app, JSEP build (before)',
        (b) =>
          new AppSession(
            b,
            app,
            { backend: 'wasm', engine: 'ort', ortBuild: 'jsep' },
            dtype,
            prompts,
            log,
          ),
      ],
      [
        'app, plain WASM build (now the default)',
        (b) =>
          new AppSession(
            b,
            app,
            { backend: 'wasm', engine: 'ort', ortBuild: 'wasm' },
            dtype,
            prompts,
            log,
          ),
      ],
      ['tjs wasm', (b) => new TjsSession(b, tjs, 'wasm', dtype, prompts, log)],
    ];
  try {
    for (const [name, make] of variants) {
      if (values.only && !values.only.split(',').includes(name)) continue;
      const browser = await launchChromium();
      const session = make(browser);
      try {
        const { loadMs } = await session.load();
        const trace = await session.run({
          purpose: 'throughput',
          batch: 1,
          promptTokens: Number(values.prompt),
          newTokens: Number(values.new),
          decodeCapMs: 20_000,
        });
        const t = trace.stepTimes;
        const steps = t.slice(1).map((x, i) => x - (t[i] ?? 0));
        const sorted = [...steps].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
        const mean = steps.reduce((a, b) => a + b, 0) / Math.max(1, steps.length);
        console.log(
          `${name.padEnd(18)} ${dtype} load ${loadMs.toFixed(0)} ms, prefill ${(t[0] ?? 0).toFixed(0)} ms, ` +
            `decode median ${median.toFixed(1)} mean ${mean.toFixed(1)} ms/step (${(1000 / mean).toFixed(2)} tok/s), ` +
            `load avg ${loadavg()[0]?.toFixed(2)} [${steps.map((x) => x.toFixed(0)).join(' ')}]`,
        );
      } finally {
        await session.close();
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
}

await main();
