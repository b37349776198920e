import { parseArgs } from 'node:util';
import type { BenchModel } from './model-dir.ts';
import { DEFAULT_DTYPES, DTYPES } from './types.ts';
import type { ConfigPlan, BenchDtype, Runtime, Workload } from './types.ts';

export const RUNTIMES: readonly Runtime[] = [
  'ort-node-cpu',
  'node-wasm',
  'chromium-wasm',
  'tjs-wasm',
  'chromium-webgpu',
  'tjs-webgpu',
  'node-wgsl',
  'chromium-wgsl',
  'node-ort-webgpu',
];

export interface BenchOptions {
  model: BenchModel;
  /** A folder holding the 350M model's files (default: .cache/models/350M, generated). */
  modelDir: string | null;
  dtypes: BenchDtype[];
  /**
   * Dtypes for the WebGPU runtimes. q8 is left out by default: onnxruntime-web has no
   * WebGPU kernel for its MatMulInteger, so the app's registry runs q8 on WASM only.
   */
  webgpuDtypes: BenchDtype[];
  runtimes: Runtime[];
  promptTokens: number;
  newTokens: number;
  batches: number[];
  /** The asyncify-vs-JSEP comparison runs on this dtype (null: not run). */
  asyncifyDtype: BenchDtype | null;
  /** Decode step time at these context positions, batch 1 (empty: not run). */
  contextPositions: number[];
  /** Prompt tokens of the WGSL engine's per-kernel profile (0: not run). */
  profileTokens: number;
  quick: boolean;
}

const USAGE = `usage: npm run bench:engine -- [--quick] [--model 350M|tiny] [--model-dir DIR]
  [--dtypes q4,q4f16,q8,fp16,fp32] [--webgpu-dtypes q4,q4f16,fp16,fp32]
  [--runtimes ${RUNTIMES.join(',')}] [--prompt-tokens N] [--new-tokens N] [--batches 1,5]
  [--asyncify-dtype q4|none] [--context-positions 0,256,512,1024|none] [--profile-tokens N|0]`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      model: { type: 'string' },
      'model-dir': { type: 'string' },
      dtypes: { type: 'string' },
      'webgpu-dtypes': { type: 'string' },
      runtimes: { type: 'string' },
      'prompt-tokens': { type: 'string' },
      'new-tokens': { type: 'string' },
      batches: { type: 'string' },
      'asyncify-dtype': { type: 'string' },
      'context-positions': { type: 'string' },
      'profile-tokens': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const model = values.model ?? '350M';
  if (model !== '350M' && model !== 'tiny') fail(`unknown --model ${model}`);
  const dtypes = list(values.dtypes, quick ? ['q4'] : [...DEFAULT_DTYPES], (d): d is BenchDtype =>
    DTYPES.some((known) => known === d),
  );
  const webgpuDtypes = list(
    values['webgpu-dtypes'],
    dtypes.filter((d) => d !== 'q8'),
    (d): d is BenchDtype => DTYPES.some((known) => known === d),
  );
  const runtimes = list(values.runtimes, [...RUNTIMES], (r): r is Runtime =>
    RUNTIMES.some((known) => known === r),
  );
  const asyncify = values['asyncify-dtype'] ?? 'q4';
  // The sweep takes ~5 minutes here: left out of --quick unless asked for.
  const positions = values['context-positions'] ?? (quick ? 'none' : '0,256,512,1024');
  const profile = values['profile-tokens'] ?? (quick ? '16' : '32');
  return {
    model,
    modelDir: values['model-dir'] ?? null,
    dtypes,
    webgpuDtypes,
    runtimes,
    promptTokens: count(values['prompt-tokens'], quick ? 64 : 256, '--prompt-tokens'),
    newTokens: count(values['new-tokens'], quick ? 16 : 128, '--new-tokens'),
    batches: (values.batches ?? '1,5').split(',').map((b) => count(b, 1, '--batches')),
    asyncifyDtype:
      asyncify === 'none'
        ? null
        : (DTYPES.find((d) => d === asyncify) ?? fail(`bad --asyncify-dtype ${asyncify}`)),
    contextPositions:
      positions === 'none'
        ? []
        : positions.split(',').map((p) => {
            const n = Number(p);
            return Number.isInteger(n) && n >= 0 ? n : fail(`bad --context-positions ${p}`);
          }),
    profileTokens: profile === '0' ? 0 : count(profile, 32, '--profile-tokens'),
    quick,
  };
}

/**
 * How fast a runtime is here, which sets its caps: SwiftShader WebGPU is by far the slowest;
 * our WGSL kernels on it less so, and their prefill is much cheaper per token than decode.
 */
type Speed = 'native' | 'cpu' | 'swiftshader' | 'wgsl';

const SPEED: { readonly [R in Runtime]: Speed } = {
  'ort-node-cpu': 'native',
  'node-wasm': 'cpu',
  'chromium-wasm': 'cpu',
  'tjs-wasm': 'cpu',
  'chromium-webgpu': 'swiftshader',
  'chromium-webgpu-asyncify': 'swiftshader',
  'tjs-webgpu': 'swiftshader',
  'node-wgsl': 'wgsl',
  'chromium-wgsl': 'wgsl',
  'node-ort-webgpu': 'swiftshader',
};

/** Runtimes on WebGPU: their dtypes are --webgpu-dtypes, their tables count GPU work. */
export function onWebGpu(runtime: Runtime): boolean {
  return SPEED[runtime] === 'swiftshader' || SPEED[runtime] === 'wgsl';
}

/**
 * Time caps in seconds (load; all workloads after it; one decode) and the longest prompt.
 * Measured here (2 cores shared with other jobs, SwiftShader): a 350M decode step takes
 * 0.05–0.15 s on onnxruntime-node, 0.2–1.2 s on Node WASM (q4 slowest), 3–8 s for q4 and
 * 17–40 s for fp32 on SwiftShader, where prefill costs about as much per token as decode,
 * so SwiftShader prompts stay short. Our WGSL kernels on SwiftShader: q4 decode about
 * 1.7 s a step at batch 1 and prefill about 0.55 s a token (128 tokens in 71 s) on an idle
 * machine, but a 256-token prefill outlasted 5 minutes at a load average of 6, so their
 * prompts stop at 64 tokens too (loading takes 50–70 s). Loading 350M in Chromium takes
 * 10–110 s. With these caps the default run takes about 25 minutes at a load average of 9,
 * plus about 12 for the WGSL runtimes.
 */
const CAPS: {
  readonly [S in Speed]: { load: number; work: number; decode: number; maxPrompt: number };
} = {
  native: { load: 60, work: 45, decode: 10, maxPrompt: Infinity },
  cpu: { load: 150, work: 45, decode: 10, maxPrompt: Infinity },
  swiftshader: { load: 150, work: 75, decode: 20, maxPrompt: 8 },
  wgsl: { load: 300, work: 240, decode: 20, maxPrompt: 64 },
};

/** Throughput configurations: every runtime × dtype, then the asyncify build on one dtype. */
export function throughputPlans(options: BenchOptions): ConfigPlan[] {
  const plans: ConfigPlan[] = [];
  for (const runtime of options.runtimes) {
    const dtypes = onWebGpu(runtime) ? options.webgpuDtypes : options.dtypes;
    for (const dtype of dtypes) plans.push(throughputPlan(options, runtime, dtype));
  }
  if (options.asyncifyDtype && options.runtimes.includes('chromium-webgpu')) {
    plans.push(throughputPlan(options, 'chromium-webgpu-asyncify', options.asyncifyDtype));
  }
  return plans;
}

function throughputPlan(options: BenchOptions, runtime: Runtime, dtype: BenchDtype): ConfigPlan {
  const caps = CAPS[SPEED[runtime]];
  const scale = options.quick ? 0.5 : 1;
  const workloads = options.batches.map((batch): Workload => ({
    purpose: 'throughput',
    batch,
    promptTokens: Math.min(options.promptTokens, caps.maxPrompt),
    newTokens: options.newTokens,
    decodeCapMs: caps.decode * scale * 1000,
  }));
  // The per-kernel profile: one prefill and one decode step, after the rates are measured.
  const profile = runtime === 'node-wgsl' && options.profileTokens > 0;
  if (profile) {
    workloads.push({
      purpose: 'profile',
      batch: 1,
      promptTokens: options.profileTokens,
      newTokens: 2,
      decodeCapMs: Infinity,
    });
  }
  // Time of its own: ~0.7 s a token on an idle machine (timed passes are slower), 2 s loaded.
  const profileS = profile ? options.profileTokens * 2 : 0;
  return {
    runtime,
    dtype,
    loadCapMs: caps.load * 1000,
    capMs: (caps.work * scale + profileS) * 1000,
    workloads,
  };
}

/** Steps measured at each context position: enough for a median, few enough to stay cheap. */
const CONTEXT_STEPS = 6;

/**
 * Decode step time against context length, batch 1, q4: a prompt of P tokens, then a few
 * steps at positions P..P+6. Only runtimes that can prefill 1024 tokens of this model in
 * minutes take part: on SwiftShader a 350M prefill costs ~3 s per token, so the WebGPU
 * paths are swept on the tiny model, which isolates per-step costs that grow with the
 * cache (fresh present buffers each step, transformers.js issue 1741). Our WGSL engine
 * is swept on the tiny model in Chromium and on the benchmark's model under Node, where
 * its prefill (~0.55 s a token for 350M) makes a 1024-token context cost ~10 minutes:
 * pass fewer --context-positions for a short run (the cap skips what does not fit).
 */
export function contextPlans(
  options: BenchOptions,
): Array<{ model: BenchModel; plan: ConfigPlan }> {
  if (options.contextPositions.length === 0) return [];
  const picks: Array<{ runtime: Runtime; model: BenchModel; capS: number }> = [
    { runtime: 'ort-node-cpu', model: options.model, capS: 60 },
    { runtime: 'node-wasm', model: options.model, capS: 100 },
    { runtime: 'chromium-webgpu', model: 'tiny', capS: 60 },
    { runtime: 'tjs-webgpu', model: 'tiny', capS: 60 },
    { runtime: 'chromium-wgsl', model: 'tiny', capS: 60 },
    { runtime: 'node-wgsl', model: options.model, capS: 300 },
  ];
  const decodeCapMs = 30_000;
  const workloads: Workload[] = [
    // The first generate after a load compiles kernels for new shapes; keep that out.
    { purpose: 'warmup', batch: 1, promptTokens: 8, newTokens: 3, decodeCapMs },
    ...options.contextPositions.map((position): Workload => ({
      purpose: 'context',
      batch: 1,
      promptTokens: Math.max(1, position),
      newTokens: CONTEXT_STEPS + 1,
      decodeCapMs,
    })),
  ];
  return picks
    .filter(({ runtime }) => options.runtimes.includes(runtime))
    .map(({ runtime, model, capS }) => ({
      model,
      plan: {
        runtime,
        dtype: 'q4',
        loadCapMs: CAPS[SPEED[runtime]].load * 1000,
        capMs: capS * (options.quick ? 0.5 : 1) * 1000,
        workloads,
      },
    }));
}

function list<T extends string>(
  value: string | undefined,
  fallback: T[],
  known: (item: string) => item is T,
): T[] {
  if (value === undefined) return fallback;
  return value.split(',').map((item) => (known(item) ? item : fail(`unknown value ${item}`)));
}

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fail(`${flag} must be a positive integer`);
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
