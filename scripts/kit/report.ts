// The kit's result: the engines' runs, PyTorch's and the bandwidth bound side by side, as
// one JSON object and markdown tables (decode ms per step by batch and context, prefill
// tokens/s, GPU work per step, the engines' logits agreement).

import type { BenchDtype, ConfigResult, Measurement, RunResult } from '../bench/types.ts';
import { boundMs, decodeStepBytes } from './bound.ts';
import type { ModelStepBytes } from './bound.ts';
import type { CheckResult } from './check.ts';
import type { KitOptions, KitRuntime } from './plan.ts';
import type { GpuProbe } from './probe.ts';

/** What `kit.mjs bench` writes. */
export interface EnginesRun {
  startedAt: string;
  wallS: number;
  options: KitOptions;
  probe: GpuProbe | { error: string };
  machine: Record<string, unknown>;
  configs: ConfigResult[];
}

/** What torch_ceiling.py writes (status 'skipped' where PyTorch or CUDA is missing). */
export interface TorchRun {
  /** 'running': cut off by its time cap (what it measured is kept). */
  status: 'ok' | 'running' | 'skipped' | 'error';
  reason?: string;
  device?: string;
  versions?: Record<string, string>;
  dtype?: string;
  /** Read plus written bytes per second of a device-to-device copy. */
  copyBytesPerS?: number;
  loadS?: number;
  weights?: { missing: string[]; unexpected: string[] };
  points?: Array<{
    batch: number;
    context: number;
    steps: number;
    msPerStep: number;
    medianStepMs: number;
  }>;
  prefill?: Array<{ batch: number; tokens: number; ms: number; tokPerS: number }>;
  peakBytes?: number;
  /** Points that could not be measured, and why. */
  errors?: string[];
}

export interface KitInputs {
  engines: EnginesRun;
  checks: CheckResult[] | null;
  torch: TorchRun | null;
  /** Per-step bytes of each dtype's file, for the bound. */
  stepBytes: Partial<Record<BenchDtype, ModelStepBytes>>;
}

const LABEL: Record<KitRuntime, string> = { 'node-wgsl': 'WGSL', 'node-ort-webgpu': 'ORT-web' };

/** A configuration's column and row name: engine and dtype, e.g. "WGSL q4". */
function configName(config: ConfigResult): string {
  return `${LABEL[config.runtime as KitRuntime] ?? config.runtime} ${config.dtype}`;
}

/** A workload's context position: a zero context runs as a one-token prompt. */
function contextOf(run: Measurement): number {
  return run.promptTokens <= 1 ? 0 : run.promptTokens;
}

function points(config: ConfigResult): Measurement[] {
  return config.runs.filter(
    (r: RunResult): r is Extract<RunResult, { status: 'ok' }> =>
      r.status === 'ok' && r.purpose === 'context',
  );
}

/** The bandwidth the bound uses: PyTorch's copy where it ran (CUDA), else WebGPU's. */
export function boundBandwidth(inputs: KitInputs): { bytesPerS: number; from: string } | null {
  if (inputs.torch?.copyBytesPerS)
    return { bytesPerS: inputs.torch.copyBytesPerS, from: 'PyTorch device-to-device copy' };
  const probe = inputs.engines.probe;
  if ('copyBytesPerS' in probe && probe.copyBytesPerS)
    return { bytesPerS: probe.copyBytesPerS, from: 'WebGPU copyBufferToBuffer' };
  return null;
}

interface Column {
  title: string;
  decode: (batch: number, context: number) => number | null;
  prefill: ((batch: number) => number | null) | null;
}

function engineColumns(inputs: KitInputs): Column[] {
  const { options } = inputs.engines;
  return inputs.engines.configs.map((config) => {
    const runs = points(config);
    const at = (batch: number, context: number): Measurement | undefined =>
      runs.find((r) => r.batch === batch && contextOf(r) === context);
    return {
      title: configName(config),
      decode: (batch, context) => {
        const ms = at(batch, context)?.medianStepMs;
        return ms === undefined || Number.isNaN(ms) ? null : ms;
      },
      prefill: (batch) => at(batch, options.prefillTokens)?.prefillTokPerS ?? null,
    };
  });
}

function torchColumn(torch: TorchRun): Column {
  return {
    title: `PyTorch ${torch.dtype ?? 'fp16'}`,
    decode: (batch, context) =>
      torch.points?.find((p) => p.batch === batch && p.context === context)?.medianStepMs ?? null,
    prefill: (batch) => torch.prefill?.find((p) => p.batch === batch)?.tokPerS ?? null,
  };
}

function boundColumns(inputs: KitInputs): Column[] {
  const bandwidth = boundBandwidth(inputs);
  if (!bandwidth) return [];
  return Object.entries(inputs.stepBytes).map(([dtype, bytes]) => ({
    title: `bound ${dtype}`,
    decode: (batch, context) =>
      boundMs(decodeStepBytes(bytes, batch, context), bandwidth.bytesPerS),
    prefill: null,
  }));
}

/** A relative error for a table; NaN (JSON null) where an engine's logits were not numbers. */
export function exponent(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'NaN' : value.toExponential(1);
}

function cell(value: number | null, digits = 2): string {
  if (value === null) return '—';
  return value >= 100 ? value.toFixed(0) : value.toPrecision(digits + 1);
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

/** Why a configuration has no numbers, for the notes under the tables. */
function failures(inputs: KitInputs): string[] {
  const out: string[] = [];
  for (const config of inputs.engines.configs) {
    const name = configName(config);
    if (config.load.status !== 'ok') {
      out.push(`${name}: load ${config.load.status}: ${config.load.message}`);
      continue;
    }
    for (const run of config.runs)
      if (run.status !== 'ok') {
        out.push(`${name}: ${run.status}: ${run.message}`);
        break;
      }
  }
  if (!inputs.checks)
    out.push('Logits check: no check.json (it did not finish within its time cap; see run.log)');
  const { torch } = inputs;
  if (torch && torch.status !== 'ok')
    out.push(`PyTorch: ${torch.status}${torch.reason ? `: ${torch.reason}` : ''}`);
  for (const error of torch?.errors ?? []) out.push(`PyTorch ${error}`);
  return out;
}

export function kitMarkdown(inputs: KitInputs): string {
  const { engines, torch, checks } = inputs;
  const { options } = engines;
  const columns = [
    ...engineColumns(inputs),
    ...(torch?.points?.length ? [torchColumn(torch)] : []),
    ...boundColumns(inputs),
  ];
  const probe = engines.probe;
  const adapter =
    'adapter' in probe
      ? `${probe.adapter.vendor} ${probe.adapter.architecture} ${probe.adapter.description}`.trim()
      : `no adapter (${probe.error})`;
  const bandwidth = boundBandwidth(inputs);
  const out: string[] = [
    `## GPU kit, ${options.preset}: ${adapter}`,
    '',
    `WebGPU on Dawn/Vulkan${torch?.device ? `; PyTorch on ${torch.device}` : ''}; ` +
      `bound at ${bandwidth ? `${(bandwidth.bytesPerS / 1e9).toFixed(0)} GB/s (${bandwidth.from})` : 'no measured bandwidth'}.`,
    '',
    `### Decode, ms per step (median of the timed steps: ${options.steps} a point, fewer where capped)`,
    '',
    table(
      ['batch', 'context', ...columns.map((c) => c.title)],
      options.batches.flatMap((batch) =>
        options.contexts.map((context) => [
          String(batch),
          String(context),
          ...columns.map((c) => cell(c.decode(batch, context))),
        ]),
      ),
    ),
    '',
    `### Prefill of ${options.prefillTokens} tokens, tokens/s`,
    '',
  ];
  const prefill = columns.filter((c) => c.prefill !== null);
  out.push(
    table(
      ['batch', ...prefill.map((c) => c.title)],
      options.batches.map((batch) => [
        String(batch),
        ...prefill.map((c) => cell(c.prefill!(batch))),
      ]),
    ),
  );

  const work: string[][] = [];
  for (const config of engines.configs) {
    for (const run of points(config)) {
      if (contextOf(run) !== 0) continue;
      for (const gpu of run.gpu ?? []) {
        work.push([
          configName(config),
          String(run.batch),
          gpu.source,
          String(gpu.dispatches),
          (gpu.readbackBytes / 1024).toFixed(2),
          `${mib(gpu.liveBytes)} (${mib(gpu.peakBytes)})`,
        ]);
      }
    }
  }
  if (torch?.peakBytes !== undefined)
    work.push([
      `PyTorch ${torch.dtype ?? 'fp16'}`,
      '—',
      'torch.cuda',
      '—',
      '—',
      `(${mib(torch.peakBytes)})`,
    ]);
  if (work.length > 0) {
    out.push(
      '',
      '### GPU work per decode step (context 0)',
      '',
      table(
        ['engine', 'batch', 'counted by', 'dispatches', 'KiB read back', 'GPU MiB live (peak)'],
        work,
      ),
    );
  }
  if (checks) {
    out.push(
      '',
      '### Logits: WGSL engine against onnxruntime-web, same file, same GPU',
      '',
      table(
        ['dtype', 'max relative error (prefill, decode…)', 'same greedy token', 'bound', 'agree'],
        checks.map((c) => [
          c.dtype,
          c.status === 'ok'
            ? c.errors.map((e) => e.toExponential(1)).join(', ')
            : `error: ${c.message}`,
          `${c.sameArgmax}/${c.compared}`,
          c.status === 'ok' ? c.tolerance.toExponential(0) : '—',
          c.status === 'ok' ? (c.agree ? 'yes' : 'no') : '—',
        ]),
      ),
    );
  }
  const notes = failures(inputs);
  if (notes.length > 0) out.push('', '### Not measured', '', ...notes.map((n) => `- ${n}`));
  return out.join('\n');
}

/** The kit's JSON: every input as measured, and the bound per point. */
export function kitJson(inputs: KitInputs): Record<string, unknown> {
  const bandwidth = boundBandwidth(inputs);
  const { options } = inputs.engines;
  const bound = bandwidth
    ? Object.entries(inputs.stepBytes).flatMap(([dtype, bytes]) =>
        options.batches.flatMap((batch) =>
          options.contexts.map((context) => {
            const stepBytes = decodeStepBytes(bytes, batch, context);
            return {
              dtype,
              batch,
              context,
              stepBytes,
              ms: boundMs(stepBytes, bandwidth.bytesPerS),
            };
          }),
        ),
      )
    : [];
  return {
    benchmark: 'gpu-kit',
    method:
      'Each engine × dtype in a Node process of its own on Dawn (Vulkan): greedy generate() per ' +
      'point, a prompt filling the cache to the context, then `steps` decode steps; ms/step is ' +
      'their median; prefill tokens/s = batch × prompt / time to the first token. GPU work: ' +
      'one steady decode step counted by wrapping the WebGPU prototypes and (WGSL) by the ' +
      'engine. PyTorch: transformers CodeGenForCausalLM, fp16, CUDA, eager, the same points, ' +
      'the tokens read to the host every step as generate() does. Bound: bytes a decode step ' +
      'must read (weights as stored, one embedding row per row, a float16 cache up to the ' +
      'position) / copy bandwidth.',
    bandwidth,
    stepBytes: inputs.stepBytes,
    bound,
    engines: inputs.engines,
    checks: inputs.checks,
    torch: inputs.torch,
  };
}
