// npm run bench:prefill-memory -- [--runtimes node-wasm,chromium-webgpu] [--models 350M,wide-vocab]
//   [--modes one-shot,bounded] [--rows 5] [--tokens 1500] [--webgpu-350m-tokens 32] [--cap-scale 1]
//
// Peak logits memory and prefill time of one batch prefill (5 rows × 1,500 tokens by
// default), one-shot (the whole prompt in one session run, as before issue 13) against
// bounded (CausalLm's logits budget: column chunks), on onnxruntime-web WASM under Node and
// WebGPU in Chromium (SwiftShader without a GPU). Models: the CodeGen-350M shape (fp32,
// random weights) and 'wide-vocab' (vocabulary 51,200 but 1 layer of width 32, where the
// logits are nearly all the memory and compute, so SwiftShader can run the full batch).
// Prints a markdown table; writes bench/results/prefill-memory-<date>.json and -latest.json.
// A program, not a test: every configuration has a time cap, and a failure (out of memory,
// a buffer over the device's limit) is a result.

import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runPrefillInChromium, servePrefillPage } from './prefill-memory-browser.ts';
import type { PrefillSite } from './prefill-memory-browser.ts';
import { prefillModelDir } from './prefill-memory-models.ts';
import { PREFILL_TAG } from './prefill-memory-types.ts';
import type {
  PrefillJob,
  PrefillMeasurement,
  PrefillMode,
  PrefillModel,
  PrefillResult,
  PrefillRuntime,
} from './prefill-memory-types.ts';
import { machineFacts, writeResults } from './results.ts';
import { DEFAULT_LOGITS_BUDGET_BYTES } from '../../src/engine/onnx/prefill-chunks.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHILD = fileURLToPath(new URL('./prefill-memory-node.ts', import.meta.url));
const RUNTIMES: readonly PrefillRuntime[] = ['node-wasm', 'chromium-webgpu'];
const MODELS: readonly PrefillModel[] = ['wide-vocab', '350M'];
const MODES: readonly PrefillMode[] = ['one-shot', 'bounded'];

/**
 * Seconds per configuration (load + warm-up + prefill), from trial runs here (2 cores shared
 * with other jobs, load average about 9): the 350M 5 × 1,500 prefill on Node WASM took over
 * 10 minutes; SwiftShader takes about 6 s per session run even on wide-vocab (94 runs
 * bounded), and far longer per 350M token, so its 350M prompt is cut to
 * `webgpu350mTokens` (the table says what ran).
 */
const CAP_S: Record<PrefillRuntime, Record<PrefillModel, number>> = {
  'node-wasm': { 'wide-vocab': 120, '350M': 1500 },
  'chromium-webgpu': { 'wide-vocab': 900, '350M': 600 },
  'chromium-wasm': { 'wide-vocab': 300, '350M': 900 },
};

interface Options {
  runtimes: PrefillRuntime[];
  models: PrefillModel[];
  modes: PrefillMode[];
  rows: number;
  tokens: number;
  webgpu350mTokens: number;
  capScale: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      runtimes: { type: 'string' },
      models: { type: 'string' },
      modes: { type: 'string' },
      rows: { type: 'string' },
      tokens: { type: 'string' },
      'webgpu-350m-tokens': { type: 'string' },
      'cap-scale': { type: 'string' },
    },
  });
  const list = <T extends string>(value: string | undefined, known: readonly T[]): T[] =>
    value === undefined
      ? [...known]
      : value.split(',').map((v) => known.find((k) => k === v) ?? fail(`unknown value ${v}`));
  const count = (value: string | undefined, fallback: number): number => {
    const n = value === undefined ? fallback : Number(value);
    return n > 0 && Number.isFinite(n) ? n : fail(`bad number ${value}`);
  };
  return {
    runtimes: list(values.runtimes, [...RUNTIMES, 'chromium-wasm'] as const).filter(
      (r) => values.runtimes !== undefined || r !== 'chromium-wasm',
    ),
    models: list(values.models, MODELS),
    modes: list(values.modes, MODES),
    rows: count(values.rows, 5),
    tokens: count(values.tokens, 1500),
    webgpu350mTokens: count(values['webgpu-350m-tokens'], 32),
    capScale: count(values['cap-scale'], 1),
  };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** One Node configuration in a child process, killed at its cap. */
async function runInNode(
  dir: string,
  job: PrefillJob,
  capMs: number,
  log: (line: string) => void,
): Promise<PrefillResult['outcome']> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, JSON.stringify(job)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
    for (const line of chunk.split('\n')) if (line.trim()) log(`  ${line.slice(0, 300)}`);
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, capMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const line = stdout.split('\n').find((l) => l.startsWith(PREFILL_TAG));
  if (line) return JSON.parse(line.slice(PREFILL_TAG.length)) as PrefillMeasurement;
  if (killed) return { status: 'timeout', message: `stopped after ${capMs / 1000} s` };
  const last = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400);
  return { status: 'crash', message: `exit ${code}: ${last}` };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const log = (line: string): void => console.error(line);
  const dirs = new Map(options.models.map((m) => [m, prefillModelDir(ROOT, m, log)] as const));
  const browserRuntimes = options.runtimes.filter((r) => r !== 'node-wasm');
  let site: PrefillSite | null = null;
  if (browserRuntimes.length > 0)
    site = await servePrefillPage(ROOT, Object.fromEntries(dirs), log);

  const results: PrefillResult[] = [];
  try {
    for (const runtime of options.runtimes) {
      for (const model of options.models) {
        const tokens =
          runtime === 'chromium-webgpu' && model === '350M'
            ? Math.min(options.tokens, options.webgpu350mTokens)
            : options.tokens;
        for (const mode of options.modes) {
          const capS = CAP_S[runtime][model] * options.capScale;
          const job: PrefillJob = {
            backend: runtime === 'chromium-webgpu' ? 'webgpu' : 'wasm',
            mode,
            rows: options.rows,
            tokens,
          };
          log(`${runtime} · ${model} · ${mode} · ${options.rows} × ${tokens} (cap ${capS} s)`);
          const dir = dirs.get(model) ?? '';
          const outcome =
            runtime === 'node-wasm'
              ? await runInNode(dir, job, capS * 1000, log)
              : await runPrefillInChromium(site as PrefillSite, model, job, capS * 1000, log);
          log(`  → ${JSON.stringify({ ...outcome, logitsSample: '(in the JSON)' })}`);
          results.push({ runtime, model, mode, rows: options.rows, tokens, capS, outcome });
        }
      }
    }
  } finally {
    await site?.close();
  }

  const agreement = modeAgreement(results);
  const report = {
    benchmark: 'prefill-memory',
    startedAt: started.toISOString(),
    wallS: Math.round((Date.now() - started.getTime()) / 1000),
    machine: machineFacts(),
    options,
    logitsBudgetBytes: DEFAULT_LOGITS_BUDGET_BYTES,
    method:
      'One prefill (CausalLm.step over the left-padded batch, as generate() runs it) after a ' +
      '2-token warm-up. Logits bytes: the largest logits tensor any session run returned ' +
      '(also the size of the JavaScript copy read from it). WASM heap: how much it grew during ' +
      'the prefill (Memory.grow calls; it never shrinks; fresh process or page per row). GPU: ' +
      'bytes of buffers created and not destroyed (GPUDevice.createBuffer/GPUBuffer.destroy ' +
      "wrapped in the page), the most added during the prefill (onnxruntime's buffer cache " +
      'keeps freed buffers, so this is what it holds), and the largest single buffer.',
    results,
    agreement,
  };
  const path = writeResults(ROOT, report, started, 'prefill-memory');
  console.log(
    [
      `## Prefill memory, one-shot vs bounded (${report.wallS} s, ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)})`,
      '',
      prefillTable(results),
      '',
      'Largest |one-shot − bounded| over the first 64 logits of each row, where both ran:',
      ...agreement.map((a) => `- ${a}`),
      '',
      `JSON: ${path}`,
    ].join('\n'),
  );
}

const MB = 1e6;

/** Per runtime and model with both modes measured: how far their logits are apart. */
function modeAgreement(results: readonly PrefillResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.mode !== 'bounded' || !measured(r.outcome) || r.outcome.status !== 'ok') continue;
    const other = results.find(
      (o) => o.mode === 'one-shot' && o.runtime === r.runtime && o.model === r.model,
    )?.outcome;
    if (!other || !measured(other) || other.status !== 'ok') continue;
    const a = r.outcome.logitsSample;
    const diff = a.reduce(
      (m, v, i) => Math.max(m, Math.abs(v - (other.logitsSample[i] ?? NaN))),
      0,
    );
    lines.push(`${r.runtime} ${r.model} ${r.rows} × ${r.tokens}: ${diff.toExponential(2)}`);
  }
  return lines.length > 0 ? lines : ['(no configuration where both ran)'];
}

function measured(outcome: PrefillResult['outcome']): outcome is PrefillMeasurement {
  return outcome.status === 'ok' || outcome.status === 'error';
}

function prefillTable(results: readonly PrefillResult[]): string {
  const head = [
    'runtime',
    'model',
    'batch',
    'mode',
    'prefill s',
    'runs',
    'largest logits tensor MB',
    'WASM heap growth MB',
    'GPU bytes added MB (largest buffer)',
    'outcome',
  ];
  const rows = results.map((r) => {
    const o = r.outcome;
    const cells = [r.runtime, r.model, `${r.rows} × ${r.tokens}`, r.mode];
    if (!measured(o)) {
      return [...cells, '–', '–', '–', '–', '–', `${o.status}: ${o.message}`];
    }
    const seconds = o.prefillMs === null ? '–' : (o.prefillMs / 1000).toFixed(1);
    const gpu = o.gpu
      ? `${(o.gpu.peakGrowthBytes / MB).toFixed(1)} (${(o.gpu.largestBufferBytes / MB).toFixed(1)})`
      : '–';
    const outcome =
      o.status === 'ok'
        ? 'ok'
        : `error after ${((o.failedAfterMs ?? 0) / 1000).toFixed(0)} s: ${o.message ?? ''}`;
    return [
      ...cells,
      seconds,
      String(o.runs),
      (o.peakLogitsBytes / MB).toFixed(1),
      (o.wasmHeapGrowthBytes / MB).toFixed(1),
      gpu,
      outcome,
    ];
  });
  const escape = (cell: string): string => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

await main();
