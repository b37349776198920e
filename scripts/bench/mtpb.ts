/**
 * `npm run bench:mtpb`: the MTPB harness per problem, with and without prefix reuse, in one
 * run. Each problem runs both ways back to back (the order alternating between problems, so
 * drift in the machine's load falls on both): its turns generate as one batch of its test
 * cases through the model worker's `generate` (text detail, the paper's sampling), then its
 * programs execute in Pyodide (worker_threads). Reports per problem and in total: prefill
 * tokens (real tokens run through the model) and those kept from the cache, prefill time,
 * decode time, generation and wall time, and whether both ways wrote the same programs;
 * then the full-MTPB time extrapolated from the mean per problem. Prints markdown and
 * writes bench/results/mtpb-<date>.json. Usage:
 *   npm run bench:mtpb -- [--model public/models/tiny] [--dtype fp32] [--problems 1-115]
 *     [--mode multi|single] [--runtime node|chromium] [--reuse both|on|off] [--seed 16]
 *     [--engine ort|wgsl]
 */
import { mtpbPlan } from '../../src/mtpb/plan.ts';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { GenerationTimings } from '../../src/shared/contracts/model-worker.ts';
import { MTPB_PATH } from '../../src/mtpb/dataset.node.ts';
import type { Problem } from '../../src/mtpb/dataset.ts';
import { datasetFromText } from '../../src/mtpb/load-dataset.ts';
import { modelTurnGenerator } from '../../src/mtpb/model-generator.ts';
import type { GenerateFn } from '../../src/mtpb/model-generator.ts';
import { PAPER_SAMPLING } from '../../src/mtpb/protocol.ts';
import { fromSandbox, pythonExecutor } from '../../src/mtpb/python-executor.ts';
import type { CaseRecord } from '../../src/mtpb/records.ts';
import { caseKey } from '../../src/mtpb/records.ts';
import { BenchmarkRunner } from '../../src/mtpb/runner.ts';
import type { CaseExecutor } from '../../src/mtpb/runner.ts';
import { parseProblemSelection } from '../../src/mtpb/selection.ts';
import { createNodeRunner } from '../../src/python/node/test-runner.node.ts';
import { parseDtype } from '../cli/open-model.ts';
import { openMtpbEngine } from './mtpb-engine.ts';
import type { MtpbRuntime } from './mtpb-engine.ts';
import { machineFacts, writeResults } from './results.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FULL_MTPB = 115;

/** One problem run one way. */
interface ProblemRun {
  problemId: string;
  reuse: boolean;
  turns: number;
  /** Tokens run through the model in prefills, and prompt tokens kept from the cache. */
  prefillTokens: number;
  reusedTokens: number;
  prefillMs: number;
  decodeMs: number;
  /** Generated tokens (rows still running at each step). */
  decodeTokens: number;
  /** Time inside the worker's generate calls (prefill, decode, tokenizing, the cache cut). */
  generateMs: number;
  executeMs: number;
  wallMs: number;
  /** Each case's program, by caseKey: both ways must write the same ones. */
  programs: Record<string, string>;
}

type Timed = { ms: number; timings: GenerationTimings };

async function runProblem(
  problem: Problem,
  reuse: boolean,
  generate: GenerateFn,
  executor: CaseExecutor,
  options: { mode: 'multi' | 'single'; seed: number },
): Promise<ProblemRun> {
  const calls: Timed[] = [];
  const timed: GenerateFn = async (request, signal, onEvent) => {
    const started = performance.now();
    const result = await generate(request, signal, onEvent);
    calls.push({ ms: performance.now() - started, timings: result.timings });
    return result;
  };
  const generator = modelTurnGenerator(timed, { topP: PAPER_SAMPLING.topP }, () => {}, { reuse });
  let executeMs = 0;
  const timedExecutor: CaseExecutor = {
    run: async (...args) => {
      const started = performance.now();
      try {
        return await executor.run(...args);
      } finally {
        executeMs += performance.now() - started;
      }
    },
    endProblem: () => executor.endProblem(),
  };
  const records: CaseRecord[] = [];
  const started = performance.now();
  await new BenchmarkRunner(generator, timedExecutor, (event) => {
    if (event.kind === 'case') records.push(event.record);
  }).run(
    [mtpbPlan(problem, options.mode, PAPER_SAMPLING.temperature)],
    { seed: options.seed, n: 1 },
    new Set(),
    new AbortController().signal,
  );
  const sum = (pick: (call: Timed) => number): number =>
    calls.reduce((n, call) => n + pick(call), 0);
  return {
    problemId: problem.id,
    reuse,
    turns: calls.length,
    prefillTokens: sum((c) => c.timings.prefillTokens),
    reusedTokens: sum((c) => c.timings.reusedTokens),
    prefillMs: sum((c) => c.timings.prefillMs),
    decodeMs: sum((c) => c.timings.decodeMs),
    decodeTokens: sum((c) => c.timings.decodeTokens),
    generateMs: sum((c) => c.ms),
    executeMs,
    wallMs: performance.now() - started,
    programs: Object.fromEntries(
      records.map((r) => [caseKey(r.problemId, r.caseIndex, r.sample), r.program] as const),
    ),
  };
}

/** A way's sums over its problems. */
type Totals = Pick<
  ProblemRun,
  | 'prefillTokens'
  | 'reusedTokens'
  | 'prefillMs'
  | 'decodeMs'
  | 'decodeTokens'
  | 'generateMs'
  | 'executeMs'
  | 'wallMs'
> & { problems: number };

function totals(runs: readonly ProblemRun[]): Totals {
  const sum = (pick: (run: ProblemRun) => number): number =>
    runs.reduce((n, run) => n + pick(run), 0);
  return {
    problems: runs.length,
    prefillTokens: sum((r) => r.prefillTokens),
    reusedTokens: sum((r) => r.reusedTokens),
    prefillMs: sum((r) => r.prefillMs),
    decodeMs: sum((r) => r.decodeMs),
    decodeTokens: sum((r) => r.decodeTokens),
    generateMs: sum((r) => r.generateMs),
    executeMs: sum((r) => r.executeMs),
    wallMs: sum((r) => r.wallMs),
  };
}

const s = (ms: number): string =>
  ms >= 100_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(1)} s`;

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${h.toFixed(1)} h` : `${(ms / 60_000).toFixed(0)} min`;
}

function row(label: string, run: ProblemRun | Totals, base?: ProblemRun | Totals): string {
  const speedup = base ? `${(base.wallMs / run.wallMs).toFixed(2)}×` : '';
  return `| ${label} | ${run.prefillTokens} | ${run.reusedTokens} | ${s(run.prefillMs)} | ${s(run.decodeMs)} | ${run.decodeTokens} | ${s(run.generateMs)} | ${s(run.executeMs)} | ${s(run.wallMs)} | ${speedup} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'public/models/tiny' },
      dtype: { type: 'string', default: 'fp32' },
      problems: { type: 'string', default: '' },
      mode: { type: 'string', default: 'multi' },
      runtime: { type: 'string', default: 'node' },
      reuse: { type: 'string', default: 'both' },
      seed: { type: 'string', default: '16' },
      engine: { type: 'string', default: 'ort' },
    },
  });
  const engineKind = values.engine;
  if (engineKind !== 'ort' && engineKind !== 'wgsl') throw new Error('--engine ort|wgsl');
  const runtime = values.runtime as MtpbRuntime;
  if (runtime !== 'node' && runtime !== 'chromium') throw new Error('--runtime node|chromium');
  const ways = values.reuse === 'both' ? [false, true] : values.reuse === 'on' ? [true] : [false];
  const mode = values.mode === 'single' ? 'single' : 'multi';
  const seed = Number(values.seed);
  const dataset = datasetFromText(readFileSync(MTPB_PATH, 'utf8'), 'mtpb.jsonl');
  const ids = parseProblemSelection(
    values.problems,
    dataset.problems.map((p) => p.id),
  );
  const problems = dataset.problems.filter((p) => ids.includes(p.id));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const engine = await openMtpbEngine(
    runtime,
    ROOT,
    resolve(ROOT, values.model),
    parseDtype(values.dtype),
    log,
    engineKind,
  );
  const python = createNodeRunner();
  const executor = pythonExecutor(fromSandbox(python));
  const runs: ProblemRun[] = [];
  try {
    await python.ready();
    for (const [i, problem] of problems.entries()) {
      const order = i % 2 === 0 ? ways : [...ways].reverse();
      for (const reuse of order) {
        const run = await runProblem(problem, reuse, engine.generate, executor, { mode, seed });
        runs.push(run);
        log(
          `problem ${problem.id} reuse ${reuse ? 'on ' : 'off'}: wall ${s(run.wallMs)}, prefill ${run.prefillTokens} tok (${run.reusedTokens} kept) ${s(run.prefillMs)}, decode ${s(run.decodeMs)}`,
        );
      }
    }
  } finally {
    python.dispose();
    await engine.close();
  }

  const of = (reuse: boolean): ProblemRun[] => runs.filter((r) => r.reuse === reuse);
  const off = of(false);
  const on = of(true);
  const sameProblems = problems.filter((p) => {
    const a = off.find((r) => r.problemId === p.id);
    const b = on.find((r) => r.problemId === p.id);
    return a && b && JSON.stringify(a.programs) === JSON.stringify(b.programs);
  }).length;
  const total = { off: off.length ? totals(off) : null, on: on.length ? totals(on) : null };
  const extrapolate = (t: Totals | null): number | null =>
    t && t.problems > 0 ? (t.wallMs / t.problems) * FULL_MTPB : null;
  const report = {
    benchmark: 'mtpb',
    startedAt: startedAt.toISOString(),
    runtime: engine.label,
    python: 'Pyodide in Node worker_threads',
    model: values.model,
    dtype: values.dtype,
    mode,
    seed,
    problems: problems.map((p) => p.id),
    machine: { ...machineFacts(), loadAverageAtStart: loadAtStart },
    method:
      'Each problem runs both ways back to back (order alternating per problem); n = 1, the ' +
      "paper's sampling. prefillTokens: real tokens prefilled; reusedTokens: prompt tokens " +
      'kept from the cache. Times are sums over the turns; wall includes execution.',
    sameProgramsBothWays: ways.length === 2 ? `${sameProblems}/${problems.length}` : null,
    fullMtpbMs: { off: extrapolate(total.off), on: extrapolate(total.on) },
    totals: total,
    runs,
  };
  const path = writeResults(ROOT, report, startedAt, 'mtpb');

  const header = [
    '| problem | prefill tok | kept tok | prefill | decode | gen tok | generate | execute | wall | speed-up |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const lines: string[] = [
    `## MTPB, ${values.model} ${values.dtype}, ${mode}-turn, ${engine.label}`,
    `load average ${loadAtStart.map((l) => l.toFixed(1)).join(' / ')} at start, ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at end`,
    '',
    ...header,
  ];
  for (const problem of problems) {
    const a = off.find((r) => r.problemId === problem.id);
    const b = on.find((r) => r.problemId === problem.id);
    if (a) lines.push(row(`${problem.id} off`, a));
    if (b) lines.push(row(`${problem.id} reuse`, b, a));
  }
  if (total.off) lines.push(row(`**all ${total.off.problems}, off**`, total.off));
  if (total.on)
    lines.push(row(`**all ${total.on.problems}, reuse**`, total.on, total.off ?? undefined));
  lines.push('');
  if (report.sameProgramsBothWays !== null)
    lines.push(`Same programs both ways: ${report.sameProgramsBothWays} problems.`);
  const full = report.fullMtpbMs;
  lines.push(
    `Full MTPB (${FULL_MTPB} problems) at this mean: ${full.off === null ? '–' : hours(full.off)} without reuse, ${full.on === null ? '–' : hours(full.on)} with.`,
    '',
    `JSON: ${path}`,
  );
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
