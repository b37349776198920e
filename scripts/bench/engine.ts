// npm run bench:engine -- [--quick] [--model 350M|tiny] [--dtypes q4,q8,fp32] [--runtimes …]
//   [--prompt-tokens N] [--new-tokens N] [--batches 1,5] [--asyncify-dtype q4|none]
//   [--context-positions 0,256,512,1024|none]
//
// Prefill and decode tokens/s of our engine (Node WASM, Chromium WASM, Chromium WebGPU with
// the JSEP and asyncify builds of onnxruntime-web) beside onnxruntime-node's CPU EP and
// transformers.js on the same ONNX files, plus decode step time against context length.
// Prints markdown tables; writes bench/results/engine-<date>.json and engine-latest.json.
// A program, not a test: every configuration has a time cap and records what it ran.

import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBrowser, runBrowserConfig } from './browser-runner.ts';
import { benchModelDir } from './model-dir.ts';
import type { BenchModel } from './model-dir.ts';
import { killNodeChildren, runNodeConfig } from './node-runner.ts';
import { contextPlans, parseOptions, throughputPlans } from './plan.ts';
import { PromptSource } from './prompts.ts';
import { machineFacts, writeResults } from './results.ts';
import { serveBench } from './serve.ts';
import { contextTable, fastestDtypes, throughputTable } from './table.ts';
import { RUNTIME_LABEL } from './types.ts';
import type { ConfigPlan, ConfigResult } from './types.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const log = (line: string): void => console.error(line);

  const throughput = throughputPlans(options);
  const sweeps = contextPlans(options);
  const modelIds = new Set<BenchModel>([options.model, ...sweeps.map((s) => s.model)]);
  const dirs = new Map<BenchModel, string>();
  for (const id of modelIds) dirs.set(id, benchModelDir(ROOT, id, log));
  const prompts = new Map([...dirs].map(([id, dir]) => [id, new PromptSource(dir)] as const));
  const site = await serveBench(ROOT, Object.fromEntries(dirs), log);

  const run = async (model: BenchModel, plan: ConfigPlan): Promise<ConfigResult> => {
    log(`${RUNTIME_LABEL[plan.runtime]} · ${model} ${plan.dtype} (cap ${plan.capMs / 1000} s)`);
    const dir = dirs.get(model) ?? '';
    const source = prompts.get(model);
    if (!source) throw new Error(`no prompts for ${model}`);
    return plan.runtime === 'node-wasm' || plan.runtime === 'ort-node-cpu'
      ? runNodeConfig(plan.runtime, dir, plan, log)
      : runBrowserConfig(plan.runtime, site, model, plan, source, log);
  };

  try {
    const browser = await describeBrowser(site);
    const configs: ConfigResult[] = [];
    for (const plan of throughput) configs.push(await run(options.model, plan));
    const context: Array<{ model: BenchModel; result: ConfigResult }> = [];
    for (const { model, plan } of sweeps) context.push({ model, result: await run(model, plan) });

    const report = {
      benchmark: 'engine',
      startedAt: started.toISOString(),
      wallS: Math.round((Date.now() - started.getTime()) / 1000),
      machine: {
        ...machineFacts(),
        chromium: browser.version,
        gpu: browser.gpu,
      },
      options,
      method:
        'Greedy generate() per workload. Prefill = time to the first token (prompt pass + first ' +
        'sample); decode = later steps, tokens/s = batch × steps / time (rows that met EOS still ' +
        'fill their slot). Steps are timed from token events (our worker, generate() onToken) ' +
        'or the streamer (transformers.js), the same way for all. Each configuration has a ' +
        'time cap; prompts of slow configurations are shortened and decode is capped: ' +
        'promptTokens / newTokensRun / capped record what ran.',
      configs,
      context,
    };
    const path = writeResults(ROOT, report, started);

    const out: string[] = [
      `## Engine benchmark, ${options.model} (${report.wallS} s, ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)})`,
      '',
      throughputTable(configs, options.batches),
      '',
      '### Fastest dtype per runtime',
      '',
      fastestDtypes(configs, options.batches),
    ];
    if (context.length > 0) {
      out.push(
        '',
        '### Decode step time against context position (batch 1)',
        '',
        contextTable(context, options.contextPositions),
      );
    }
    out.push('', `JSON: ${path}`);
    console.log(out.join('\n'));
  } finally {
    await site.close();
  }
}

// Interrupted: no orphans. Exiting also runs Playwright's exit hook, which kills the browsers.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killNodeChildren();
    process.exit(130);
  });
}

await main();
