import { loadavg } from 'node:os';
import { measure } from './measure.ts';
import type { ConfigPlan, ConfigResult, Outcome, RunResult, Trace, Workload } from './types.ts';

/** A loaded-model handle in some runtime; the loop below drives every runtime the same way. */
export interface BenchSession {
  /**
   * Loads the model (and compiles what the first step needs). `stepMsHint` is a guess at one
   * decode step, for runtimes whose generation cannot be interrupted (see fit()).
   */
  load(): Promise<{ loadMs: number; stepMsHint: number | null }>;
  run(workload: Workload): Promise<Trace>;
  /** Frees the model. Also called after a time-out, while a call may still be running. */
  close(): Promise<void>;
}

/** What a runner hears while a configuration runs; a runner killed mid-way keeps these. */
export interface ConfigHooks {
  log: (line: string) => void;
  onLoad?: (load: Outcome<{ loadMs: number }>) => void;
  onRun?: (result: RunResult, index: number) => void;
}

/**
 * The smallest prompt a shrunk workload keeps. Tiny on purpose: on SwiftShader a batch-5
 * prefill of even 8 tokens each outlasts the cap, and a 2-token prompt still lets the
 * batch-5 decode rate be measured (the JSON says what the prompt was).
 */
const MIN_PROMPT = 2;
/** Share of the configuration's remaining time one prefill may take. */
const PREFILL_SHARE = 0.35;

class Timeout extends Error {}

/**
 * Loads once, then runs each workload, within the plan's time caps: a call that outlives
 * them is recorded as 'timeout' and what is left is skipped. On a slow runtime later
 * workloads are cut to fit the time left, judged by the rates measured so far (SwiftShader
 * can be 100× slower than the CPU); the JSON records what actually ran.
 */
export async function runConfig(
  plan: ConfigPlan,
  session: BenchSession,
  hooks: ConfigHooks,
): Promise<ConfigResult> {
  const { log } = hooks;
  const started = performance.now();
  const before = loadavg()[0] ?? 0;
  const runs: RunResult[] = [];
  let dead: string | null = null; // why later workloads are skipped

  let load: Outcome<{ loadMs: number }>;
  const rates: Rates = { prefill: null, step: null };
  try {
    const loaded = await within(session.load(), plan.loadCapMs, 'load');
    load = { status: 'ok', loadMs: Math.round(loaded.loadMs) };
    if (loaded.stepMsHint !== null) rates.step = { ms: loaded.stepMsHint, batch: 1 };
    log(`  load ${(loaded.loadMs / 1000).toFixed(1)} s`);
  } catch (error) {
    load = failure(error);
    dead = 'the model did not load';
    log(`  load ${load.status}: ${load.message}`);
  }
  hooks.onLoad?.(load);

  const workStarted = performance.now();
  const left = (): number => plan.capMs - (performance.now() - workStarted);
  for (const [index, requested] of plan.workloads.entries()) {
    let result: RunResult;
    if (dead) {
      result = { status: 'skipped', message: dead };
    } else {
      const workload = fit(requested, left(), rates);
      try {
        const trace = await within(session.run(workload), left(), 'workloads');
        result = { status: 'ok', ...measure(workload, trace) };
        if (result.prefillMs > 0)
          rates.prefill = (result.batch * result.promptTokens) / result.prefillMs;
        if (result.decodeSteps > 0) rates.step = { ms: result.msPerStep, batch: result.batch };
        log(
          `  batch ${result.batch} prompt ${result.promptTokens}: prefill ${result.prefillTokPerS} tok/s, ` +
            `decode ${result.decodeTokPerS} tok/s (${result.decodeSteps} steps, ${result.msPerStep} ms/step` +
            `${result.capped ? ', capped' : ''})`,
        );
      } catch (error) {
        result = failure(error);
        if (result.status === 'timeout') dead = 'an earlier workload timed out';
        log(
          `  batch ${workload.batch} prompt ${workload.promptTokens} ${result.status}: ${result.message}`,
        );
      }
    }
    runs.push(result);
    hooks.onRun?.(result, index);
  }
  await session.close().catch(() => undefined);
  return {
    runtime: plan.runtime,
    dtype: plan.dtype,
    load,
    runs,
    loadAverage: [round(before), round(loadavg()[0] ?? 0)],
    wallMs: Math.round(performance.now() - started),
  };
}

/** What the runs so far say about this configuration's speed. */
interface Rates {
  prefill: number | null; // prompt tokens per ms, batch included
  step: { ms: number; batch: number } | null; // one decode step
}

/**
 * The workload cut to the time left: a shorter prompt when its prefill would not fit, and
 * fewer new tokens when the decode would outlast its cap. The token count matters where a
 * run cannot be interrupted (our worker on WASM never yields to its message loop between
 * steps, so a cancel arrives only at the end); elsewhere the cap stops decoding anyway.
 * Step time is taken to grow linearly with the batch, which errs on the short side.
 */
function fit(workload: Workload, leftMs: number, rates: Rates): Workload {
  const decodeCapMs = Math.max(0, Math.min(workload.decodeCapMs, leftMs * 0.4));
  let { promptTokens, newTokens } = workload;
  if (rates.step) {
    const stepMs = (rates.step.ms * workload.batch) / rates.step.batch;
    newTokens = Math.max(2, Math.min(newTokens, Math.ceil(decodeCapMs / stepMs) + 1));
  }
  if (
    rates.prefill !== null &&
    (workload.purpose === 'throughput' || workload.purpose === 'profile')
  ) {
    const affordable = Math.floor((leftMs * PREFILL_SHARE * rates.prefill) / workload.batch);
    promptTokens = Math.max(MIN_PROMPT, Math.min(promptTokens, affordable));
  }
  return { ...workload, promptTokens, newTokens, decodeCapMs };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Timeout(`over the ${Math.round(ms / 1000)} s left for the ${what}`)),
      Math.max(0, ms),
    );
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function failure(error: unknown): { status: 'timeout' | 'error'; message: string } {
  return error instanceof Timeout
    ? { status: 'timeout', message: error.message }
    : { status: 'error', message: describe(error) };
}

export function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Browser errors carry the whole remote stack; the first lines say what happened.
  return text.split('\n').slice(0, 3).join(' ').slice(0, 500);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
