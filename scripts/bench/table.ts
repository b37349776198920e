import type { BenchModel } from './model-dir.ts';
import type { MtpbEstimate } from './mtpb-estimate.ts';
import { RUNTIME_LABEL } from './types.ts';
import type {
  BenchDtype,
  ConfigResult,
  Failure,
  KernelTime,
  Measurement,
  Runtime,
} from './types.ts';

/** Markdown tables of a benchmark run: throughput, fastest dtype, ORT builds, context. */
export function throughputTable(configs: readonly ConfigResult[], batches: number[]): string {
  const head = [
    'runtime',
    'dtype',
    'load s',
    ...batches.flatMap((b) => [`b${b} prefill tok/s`, `b${b} decode tok/s`]),
    'what ran',
  ];
  const rows = configs.map((config) => {
    // Throughput runs come in the order of `batches`.
    const cells = batches
      .map((_, i) => config.runs[i])
      .flatMap((run) => {
        if (!run) return ['–', '–'];
        if (run.status !== 'ok') return [run.status, run.status];
        return [fmt(run.prefillTokPerS), fmt(run.decodeTokPerS)];
      });
    const notes = config.runs.map((run) => (run.status === 'ok' ? ran(run) : shortError(run)));
    const load = config.load.status === 'ok' ? fmt(config.load.loadMs / 1000) : config.load.status;
    return [RUNTIME_LABEL[config.runtime], config.dtype, load, ...cells, notes.join('; ')];
  });
  return markdown(head, rows);
}

/** Per runtime, the dtype with the best batch-1 decode rate (what a user waits on). */
export function fastestDtypes(configs: readonly ConfigResult[], batches: number[]): string {
  const best = new Map<Runtime, { dtype: BenchDtype; rate: number; all: string[] }>();
  for (const config of configs) {
    const run = config.runs[batches.indexOf(1)];
    if (run?.status !== 'ok' || !Number.isFinite(run.decodeTokPerS)) continue;
    const entry = best.get(config.runtime) ?? { dtype: config.dtype, rate: -1, all: [] };
    entry.all.push(`${config.dtype} ${fmt(run.decodeTokPerS)}`);
    if (run.decodeTokPerS > entry.rate)
      Object.assign(entry, { dtype: config.dtype, rate: run.decodeTokPerS });
    best.set(config.runtime, entry);
  }
  const rows = [...best].map(([runtime, entry]) => [
    RUNTIME_LABEL[runtime],
    entry.dtype,
    entry.all.join(', '),
  ]);
  return markdown(['runtime', 'fastest dtype (b1 decode)', 'b1 decode tok/s by dtype'], rows);
}

/** ms per decode step at each context position, batch 1. */
export function contextTable(
  sweeps: ReadonlyArray<{ model: BenchModel; result: ConfigResult }>,
  positions: number[],
): string {
  const rows = sweeps.map(({ model, result }) => {
    // Context runs follow one warm-up run, in the order of `positions`.
    const cells = positions.map((_, i) => {
      const run = result.runs[i + 1];
      if (!run) return '–';
      return run.status === 'ok' ? `${fmt(run.medianStepMs)} (${run.decodeSteps})` : run.status;
    });
    return [RUNTIME_LABEL[result.runtime], `${model} ${result.dtype}`, ...cells];
  });
  return markdown(
    ['runtime', 'model', ...positions.map((p) => `median ms/step @${p} (steps)`)],
    rows,
  );
}

/**
 * GPU work of one steady decode step per WebGPU configuration and batch: dispatches, bytes
 * read back, live GPU buffer bytes at the step's end (and the run's peak). A WGSL run in
 * Chromium has two rows, the wrappers' count and the engine's own, which should agree.
 */
export function gpuTable(configs: readonly ConfigResult[]): string {
  const rows = configs.flatMap((config) =>
    config.runs.flatMap((run) => {
      if (run.status !== 'ok' || run.purpose !== 'throughput' || !run.gpu) return [];
      return run.gpu.map((cost) => [
        RUNTIME_LABEL[config.runtime],
        config.dtype,
        String(run.batch),
        cost.source,
        String(cost.dispatches),
        fmt(cost.readbackBytes / 1024),
        `${fmt(cost.liveBytes / 2 ** 20)} (${fmt(cost.peakBytes / 2 ** 20)})`,
      ]);
    }),
  );
  return markdown(
    [
      'runtime',
      'dtype',
      'batch',
      'counted by',
      'dispatches/step',
      'KiB read back/step',
      'GPU MiB live (peak)',
    ],
    rows,
  );
}

/** Kernel times summed per kernel family (the engine names them with layer numbers as #). */
export function kernelSummary(
  kernels: readonly KernelTime[],
): Map<string, { calls: number; ms: number }> {
  const byKernel = new Map<string, { calls: number; ms: number }>();
  for (const { kernel, ms } of kernels) {
    const entry = byKernel.get(kernel) ?? { calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += ms;
    byKernel.set(kernel, entry);
  }
  return byKernel;
}

/** One decode step and one prefill, kernel by kernel, the slowest decode kernels first. */
export function kernelTable(profile: { prefill: KernelTime[]; decode: KernelTime[] }): string {
  const decode = kernelSummary(profile.decode);
  const prefill = kernelSummary(profile.prefill);
  const total = (m: Map<string, { ms: number }>): number =>
    [...m.values()].reduce((sum, e) => sum + e.ms, 0);
  const decodeMs = total(decode);
  const prefillMs = total(prefill);
  const names = [...new Set([...decode.keys(), ...prefill.keys()])].sort(
    (a, b) => (decode.get(b)?.ms ?? 0) - (decode.get(a)?.ms ?? 0),
  );
  const cells = (entry: { calls: number; ms: number } | undefined, all: number): string[] =>
    entry
      ? [String(entry.calls), fmt(entry.ms), `${fmt((100 * entry.ms) / all)}%`]
      : ['–', '–', '–'];
  const rows = names.map((name) => [
    name,
    ...cells(decode.get(name), decodeMs),
    ...cells(prefill.get(name), prefillMs),
  ]);
  rows.push([
    'total',
    String(profile.decode.length),
    fmt(decodeMs),
    '100%',
    String(profile.prefill.length),
    fmt(prefillMs),
    '100%',
  ]);
  return markdown(
    [
      'kernel',
      'decode calls',
      'decode ms',
      'decode share',
      'prefill calls',
      'prefill ms',
      'prefill share',
    ],
    rows,
  );
}

/** The full-MTPB estimate per configuration, with the rates it rests on. */
export function mtpbTable(estimates: readonly MtpbEstimate[]): string {
  const rows = estimates.map((e) => [
    RUNTIME_LABEL[e.runtime],
    e.dtype,
    `b${e.rates.batch} ${fmt(e.rates.msPerStep)} ms/step, prefill ${fmt(e.rates.prefillTokPerS)} tok/s`,
    e.fullMtpbMs === null ? '–' : fmt(e.fullMtpbMs / 3_600_000),
  ]);
  return markdown(['runtime', 'dtype', 'from', 'full MTPB, hours'], rows);
}

function ran(run: Measurement): string {
  const capped = run.capped ? ' capped' : '';
  const what = run.purpose === 'profile' ? 'kernel profile ' : '';
  return `${what}b${run.batch}: ${run.promptTokens}+${run.newTokensRun} tok${capped}`;
}

function shortError(run: Failure): string {
  return `${run.status}: ${run.message.slice(0, 80)}`;
}

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function markdown(head: string[], rows: string[][]): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}
