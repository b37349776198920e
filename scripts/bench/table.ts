import type { BenchModel } from './model-dir.ts';
import { RUNTIME_LABEL } from './types.ts';
import type { ConfigResult, BenchDtype, Failure, Measurement, Runtime } from './types.ts';

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

function ran(run: Measurement): string {
  const capped = run.capped ? ' capped' : '';
  return `b${run.batch}: ${run.promptTokens}+${run.newTokensRun} tok${capped}`;
}

function shortError(run: Failure): string {
  return `${run.status}: ${run.message.slice(0, 80)}`;
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function markdown(head: string[], rows: string[][]): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}
