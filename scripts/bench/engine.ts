// npm run bench:engine -- [--quick] [--model 350M|tiny] [--model-dir DIR] [--dtypes q4,q8,fp32]
//   [--webgpu-dtypes q4,fp16,fp32] [--runtimes …] [--prompt-tokens N] [--new-tokens N]
//   [--batches 1,5] [--asyncify-dtype q4|none] [--context-positions 0,256,512,1024|none]
//   [--profile-tokens N|0]
//
// Prefill and decode tokens/s of our engine (Node WASM, Chromium WASM, Chromium WebGPU with
// the JSEP and asyncify builds of onnxruntime-web, our WGSL kernels in Chromium and under
// Node on Dawn) beside onnxruntime-node's CPU EP and transformers.js on the same ONNX files,
// plus decode step time against context length; for the WebGPU runtimes the GPU work of one
// decode step (dispatches, bytes read back, memory), the WGSL kernels' per-kernel times and
// a full-MTPB estimate per configuration. Prints markdown tables; writes
// bench/results/engine-<date>.json and engine-latest.json. A program, not a test: every
// configuration has a time cap and records what it ran.

import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBrowser, runBrowserConfig } from './browser-runner.ts';
import { benchModelDir } from './model-dir.ts';
import type { BenchModel } from './model-dir.ts';
import { loadMtpbDataset } from '../../src/mtpb/dataset.node.ts';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { mtpbEstimates, mtpbPlan } from './mtpb-estimate.ts';
import { killNodeChildren, runNodeConfig } from './node-runner.ts';
import { contextPlans, onWebGpu, parseOptions, throughputPlans } from './plan.ts';
import { PromptSource } from './prompts.ts';
import { machineFacts, writeResults } from './results.ts';
import { serveBench } from './serve.ts';
import {
  contextTable,
  fastestDtypes,
  gpuTable,
  kernelTable,
  mtpbTable,
  throughputTable,
} from './table.ts';
import { isNodeRuntime, RUNTIME_LABEL } from './types.ts';
import type { BenchDtype, ConfigPlan, ConfigResult } from './types.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const log = (line: string): void => console.error(line);

  const throughput = throughputPlans(options);
  const sweeps = contextPlans(options);
  const modelIds = new Set<BenchModel>([options.model, ...sweeps.map((s) => s.model)]);
  const dtypes = new Set<BenchDtype>(
    [...throughput, ...sweeps.map((s) => s.plan)].map((p) => p.dtype),
  );
  const dirs = new Map<BenchModel, string>();
  for (const id of modelIds)
    dirs.set(
      id,
      benchModelDir(ROOT, id, [...dtypes], log, id === options.model ? options.modelDir : null),
    );
  const prompts = new Map([...dirs].map(([id, dir]) => [id, new PromptSource(dir)] as const));
  const site = await serveBench(ROOT, Object.fromEntries(dirs), log);

  const run = async (model: BenchModel, plan: ConfigPlan): Promise<ConfigResult> => {
    log(`${RUNTIME_LABEL[plan.runtime]} · ${model} ${plan.dtype} (cap ${plan.capMs / 1000} s)`);
    const dir = dirs.get(model) ?? '';
    const source = prompts.get(model);
    if (!source) throw new Error(`no prompts for ${model}`);
    const { runtime } = plan;
    return isNodeRuntime(runtime)
      ? runNodeConfig(runtime, dir, plan, log)
      : runBrowserConfig(runtime, site, model, plan, source, log);
  };

  try {
    const browser = await describeBrowser(site);
    const dawn = options.runtimes.some((r) => r === 'node-wgsl' || r === 'node-ort-webgpu')
      ? await describeDawn()
      : null;
    const configs: ConfigResult[] = [];
    for (const plan of throughput) configs.push(await run(options.model, plan));
    const context: Array<{ model: BenchModel; result: ConfigResult }> = [];
    for (const { model, plan } of sweeps) context.push({ model, result: await run(model, plan) });

    const dataset = loadMtpbDataset();
    const promptSource = prompts.get(options.model);
    const estimates =
      dataset && promptSource
        ? mtpbEstimates(
            configs,
            mtpbPlan(dataset, (text) => promptSource.countTokens(text)),
          )
        : [];
    const profiles = configs.flatMap((config) =>
      config.runs.flatMap((run) =>
        run.status === 'ok' && run.kernels
          ? [
              {
                runtime: config.runtime,
                dtype: config.dtype,
                prompt: run.promptTokens,
                kernels: run.kernels,
              },
            ]
          : [],
      ),
    );
    const load = loadavg().map((x) => Number(x.toFixed(2)));

    const report = {
      benchmark: 'engine',
      startedAt: started.toISOString(),
      wallS: Math.round((Date.now() - started.getTime()) / 1000),
      machine: {
        ...machineFacts(),
        chromium: browser.version,
        gpu: browser.gpu,
        // On this machine WebGPU is SwiftShader (a CPU Vulkan driver), in Chromium and in
        // Dawn alike: only ratios, dispatch counts and bytes carry over to a real GPU.
        dawn,
        swiftShader: [JSON.stringify(browser.gpu), dawn ?? ''].some((text) =>
          /swiftshader/i.test(text),
        ),
      },
      options,
      method:
        'Greedy generate() per workload. Prefill = time to the first token (prompt pass + first ' +
        'sample); decode = later steps, tokens/s = batch × steps / time (rows that met EOS still ' +
        'fill their slot). Steps are timed from token events (our worker, generate() onToken) ' +
        'or the streamer (transformers.js), the same way for all. Each configuration has a ' +
        'time cap; prompts of slow configurations are shortened and decode is capped: ' +
        'promptTokens / newTokensRun / capped record what ran. WebGPU runs count one steady ' +
        'decode step (the last of the run): dispatches, bytes mapped for reading and live GPU ' +
        'buffer bytes, by wrapping the WebGPU prototypes in the runtime’s scope ' +
        '(gpu-counters.ts), and for the WGSL engine also its own count (lastStep, ' +
        'allocatedBytes). Full MTPB: src/mtpb/eta.ts’s estimator given one turn at the ' +
        'measured rates (mtpb-estimate.ts).',
      configs,
      context,
      mtpbEstimates: estimates,
    };
    const path = writeResults(ROOT, report, started);

    const webgpu = report.machine.swiftShader ? 'WebGPU is SwiftShader (CPU)' : 'WebGPU on a GPU';
    const out: string[] = [
      `## Engine benchmark, ${options.model} (${report.wallS} s, ${availableParallelism()} cores, load average ${load.join(' ')}, ${webgpu})`,
      '',
      throughputTable(configs, options.batches),
      '',
      '### Fastest dtype per runtime',
      '',
      fastestDtypes(configs, options.batches),
    ];
    if (configs.some((c) => onWebGpu(c.runtime))) {
      out.push('', '### GPU work per decode step (one steady step)', '', gpuTable(configs));
    }
    for (const p of profiles) {
      out.push(
        '',
        `### ${RUNTIME_LABEL[p.runtime]} ${p.dtype}: GPU time per kernel (one decode step; a ${p.prompt}-token prefill)`,
        '',
        kernelTable(p.kernels),
      );
    }
    if (estimates.length > 0) {
      out.push('', '### Full MTPB estimate (115 problems, multi-turn)', '', mtpbTable(estimates));
    }
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

/** Dawn's adapter under Node, for the record (the WGSL engine's Node runtime uses it). */
async function describeDawn(): Promise<string> {
  const adapter = await (await nodeGpu()).requestAdapter();
  const info = adapter?.info;
  return info ? `${info.vendor} ${info.architecture} (${info.description})` : 'no adapter';
}

// Interrupted: no orphans. Exiting also runs Playwright's exit hook, which kills the browsers.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killNodeChildren();
    process.exit(130);
  });
}

await main();
