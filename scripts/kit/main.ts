// The GPU kit's program, bundled by build.ts into kit.mjs (it also runs from the repository:
// `npx tsx scripts/kit/main.ts …`). run.sh calls its subcommands in turn:
//   generate DIR PART        write one weight file of the model folder DIR (q4, fp16, safetensors…)
//   bench --model DIR --out FILE [--preset tiny|350M] [--runtimes …] [--dtypes …]
//         [--batches 1,5] [--contexts 0,256,512,1024] [--prefill-tokens N] [--steps N] [--budget-s N]
//                          the engines' configurations, each in a child process with its caps
//   child JOB                one configuration (spawned by bench)
//   check --model DIR --out FILE [--dtypes …]   WGSL engine against onnxruntime-web, same GPU
//   report --dir DIR --model DIR   engines.json, check.json, torch.json → kit.json, kit.md

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { openWeights } from '../../src/engine/webgpu/weights/open-weights.ts';
import { describe } from '../bench/config-loop.ts';
import { runNodeJob } from '../bench/node-job.ts';
import { killNodeChildren, runNodeConfig } from '../bench/node-runner.ts';
import { machineFacts } from '../bench/results.ts';
import type { ChildCommand } from '../bench/node-runner.ts';
import { DTYPES, ONNX_FILE } from '../bench/types.ts';
import type { BenchDtype, ConfigPlan, ConfigResult } from '../bench/types.ts';
import { modelStepBytes } from './bound.ts';
import type { ModelStepBytes } from './bound.ts';
import { checkDtype } from './check.ts';
import { isWeightPart, readModelDims, writeWeightPart } from './model.ts';
import { capsFor, KIT_DEFAULTS, KIT_RUNTIMES, kitPlans, ortWebGpuRefuses } from './plan.ts';
import type { KitOptions, KitRuntime } from './plan.ts';
import { probeGpu } from './probe.ts';
import { exponent, kitJson, kitMarkdown } from './report.ts';
import type { EnginesRun, KitInputs, TorchRun } from './report.ts';

const SELF = fileURLToPath(import.meta.url);
/** This program's `child` subcommand: the bundle runs itself, the source runs under tsx. */
const CHILD: ChildCommand = SELF.endsWith('.ts')
  ? { command: process.execPath, args: ['--import', 'tsx', SELF, 'child'] }
  : { command: process.execPath, args: [SELF, 'child'] };

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function fail(message: string): never {
  log(`kit: ${message}`);
  process.exit(2);
}

/** Comma-separated integers of at least `min` (0 for contexts, 1 for batches and steps). */
function numbers(text: string | undefined, fallback: number[], flag: string, min = 1): number[] {
  if (text === undefined) return fallback;
  return text.split(',').map((item) => {
    const n = Number(item);
    return Number.isInteger(n) && n >= min
      ? n
      : fail(`${flag}: ${item} is not an integer ≥ ${min}`);
  });
}

function dtypes(text: string | undefined, fallback: BenchDtype[]): BenchDtype[] {
  if (text === undefined) return fallback;
  return text
    .split(',')
    .map((d) => DTYPES.find((known) => known === d) ?? fail(`--dtypes: unknown dtype ${d}`));
}

function runtimes(text: string | undefined): KitRuntime[] {
  if (text === undefined) return [...KIT_RUNTIMES];
  return text
    .split(',')
    .map((r) => KIT_RUNTIMES.find((known) => known === r) ?? fail(`--runtimes: unknown ${r}`));
}

function machine(): Record<string, unknown> {
  return {
    ...machineFacts(),
    vulkanDriver: process.env.VK_DRIVER_FILES ?? process.env.VK_ICD_FILENAMES ?? null,
  };
}

/** A configuration not run, and why, in the shape of one that ran. */
function skippedConfig(plan: ConfigPlan, message: string): ConfigResult {
  const why = { status: 'skipped' as const, message };
  log(`  skipped: ${message}`);
  return {
    runtime: plan.runtime,
    dtype: plan.dtype,
    load: why,
    runs: plan.workloads.map(() => why),
    loadAverage: [loadavg()[0] ?? 0, loadavg()[0] ?? 0],
    wallMs: 0,
  };
}

async function bench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      out: { type: 'string' },
      preset: { type: 'string' },
      runtimes: { type: 'string' },
      dtypes: { type: 'string' },
      batches: { type: 'string' },
      contexts: { type: 'string' },
      'prefill-tokens': { type: 'string' },
      steps: { type: 'string' },
      'budget-s': { type: 'string' },
    },
  });
  const model = values.model ?? fail('bench needs --model DIR');
  const out = values.out ?? fail('bench needs --out FILE');
  const preset = values.preset ?? KIT_DEFAULTS.preset;
  if (preset !== 'tiny' && preset !== '350M') fail(`unknown --preset ${preset}`);
  const options: KitOptions = {
    preset,
    runtimes: runtimes(values.runtimes),
    dtypes: dtypes(values.dtypes, KIT_DEFAULTS.dtypes),
    batches: numbers(values.batches, KIT_DEFAULTS.batches, '--batches'),
    contexts: numbers(values.contexts, KIT_DEFAULTS.contexts, '--contexts', 0),
    prefillTokens: numbers(
      values['prefill-tokens'],
      [KIT_DEFAULTS.prefillTokens],
      '--prefill-tokens',
    )[0]!,
    steps: numbers(values.steps, [KIT_DEFAULTS.steps], '--steps')[0]!,
    budgetS: numbers(values['budget-s'], [KIT_DEFAULTS.budgetS], '--budget-s')[0]!,
  };
  const started = new Date();
  let probe: EnginesRun['probe'];
  try {
    probe = await probeGpu(await nodeGpu());
    const bw = probe.copyBytesPerS ? `${(probe.copyBytesPerS / 1e9).toFixed(1)} GB/s copy` : '';
    log(`adapter: ${probe.adapter.vendor} ${probe.adapter.description} ${bw}`);
  } catch (error) {
    probe = { error: describe(error) };
    log(`no WebGPU adapter: ${probe.error}`);
  }
  const run: EnginesRun = {
    startedAt: started.toISOString(),
    wallS: 0,
    options,
    probe,
    machine: machine(),
    configs: [],
  };
  const refusal = (plan: ConfigPlan): string | null =>
    plan.runtime === 'node-ort-webgpu' && 'features' in probe
      ? ortWebGpuRefuses(plan.dtype, probe.features)
      : null;
  const plans = kitPlans(options);
  const budgetMs = options.budgetS * 1000;
  for (const [index, planned] of plans.entries()) {
    const refused = refusal(planned);
    if (refused) {
      run.configs.push(skippedConfig(planned, refused));
    } else {
      const toRun = plans.slice(index).filter((p) => !refusal(p)).length;
      const plan = { ...planned, ...capsFor(budgetMs - (Date.now() - started.getTime()), toRun) };
      log(
        `${plan.runtime} ${plan.dtype} (load cap ${plan.loadCapMs / 1000} s, work cap ${plan.capMs / 1000} s)`,
      );
      run.configs.push(await runNodeConfig(plan.runtime as KitRuntime, model, plan, log, CHILD));
    }
    // Written as each finishes: a run cut off by its time cap keeps the configurations done.
    run.wallS = Math.round((Date.now() - started.getTime()) / 1000);
    run.machine = machine();
    writeFileSync(out, `${JSON.stringify(run, null, 2)}\n`);
  }
  log(`wrote ${out}`);
}

async function check(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { model: { type: 'string' }, out: { type: 'string' }, dtypes: { type: 'string' } },
  });
  const model = values.model ?? fail('check needs --model DIR');
  const out = values.out ?? fail('check needs --out FILE');
  const results = [];
  const adapter = await (await nodeGpu()).requestAdapter();
  const features = [...(adapter?.features ?? [])].map(String);
  for (const dtype of dtypes(values.dtypes, KIT_DEFAULTS.dtypes)) {
    const result = await checkDtype(model, dtype, ortWebGpuRefuses(dtype, features));
    log(
      `check ${dtype}: ${result.status === 'ok' ? `errors ${result.errors.map(exponent).join(' ')}, agree ${result.agree}` : `${result.status}: ${result.message}`}`,
    );
    results.push(result);
    // Written as each finishes: a check cut off by its time cap keeps the dtypes done.
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  }
}

function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null;
}

function report(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, model: { type: 'string' } },
  });
  const dir = values.dir ?? fail('report needs --dir DIR');
  const model = values.model ?? fail('report needs --model DIR');
  const engines = readJson<EnginesRun>(join(dir, 'engines.json')) ?? fail(`no ${dir}/engines.json`);
  const nLayer = readModelDims(model).n_layer;
  const stepBytes: Partial<Record<BenchDtype, ModelStepBytes>> = {};
  for (const dtype of engines.options.dtypes) {
    const path = join(model, ONNX_FILE[dtype]);
    if (existsSync(path))
      stepBytes[dtype] = modelStepBytes(openWeights(readFileSync(path), path, nLayer), nLayer);
  }
  const inputs: KitInputs = {
    engines,
    checks: readJson(join(dir, 'check.json')),
    torch: readJson<TorchRun>(join(dir, 'torch.json')),
    stepBytes,
  };
  const markdown = kitMarkdown(inputs);
  writeFileSync(join(dir, 'kit.json'), `${JSON.stringify(kitJson(inputs), null, 2)}\n`);
  writeFileSync(join(dir, 'kit.md'), `${markdown}\n`);
  console.log(markdown);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'generate': {
      const [dir, part] = rest;
      if (!dir || !part || !isWeightPart(part))
        fail('usage: generate DIR q4|fp16|fp32|q8|safetensors');
      const t0 = performance.now();
      const { path, bytes } = writeWeightPart(dir, part);
      log(
        `${path}: ${(bytes / 2 ** 20).toFixed(1)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      return;
    }
    case 'bench':
      return bench(rest);
    case 'child':
      return runNodeJob(rest[0] ?? fail('usage: child JOB'));
    case 'check':
      return check(rest);
    case 'report':
      return report(rest);
    default:
      fail(`unknown command ${command ?? '(none)'}: generate, bench, child, check or report`);
  }
}

// Cut off by run.sh's time cap (SIGTERM): the configuration children go too, or they would
// keep the GPU busy through the PyTorch measurement that follows.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killNodeChildren();
    process.exit(130);
  });
}

await main();
// Dawn's adapter and onnxruntime's WASM threads keep a process alive after its work is done.
process.exit(0);
