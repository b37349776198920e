import { PAPER_SAMPLING } from '../../src/mtpb/protocol.ts';
/**
 * `npm run bench:mtpb`: wall time of the MTPB harness, split into generation, execution and
 * idle time, with tokens/s. Node: the engine on onnxruntime-web WASM and Pyodide in
 * worker_threads, the same code as `npm run mtpb`. Prints a table and writes
 * bench/results/mtpb-<date>.json. Usage:
 *   npm run bench:mtpb -- [--model public/models/tiny] [--dtype fp32] [--problems 1-115] [--mode multi]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { modelTurnGenerator } from '../../src/mtpb/model-generator.ts';
import { fromSandbox, pythonExecutor } from '../../src/mtpb/python-executor.ts';
import { summarize } from '../../src/mtpb/metrics.ts';
import type { CaseRecord } from '../../src/mtpb/records.ts';
import { MtpbRunner } from '../../src/mtpb/runner.ts';
import type { CaseExecutor, TurnGenerator } from '../../src/mtpb/runner.ts';
import { openMtpbSession } from './mtpb-session.ts';
import { createNodeRunner } from '../../src/python/node/test-runner.node.ts';

/** Busy intervals of one kind of work; their union gives busy time when phases overlap. */
class Intervals {
  readonly spans: Array<[number, number]> = [];
  async time<T>(work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.spans.push([start, performance.now()]);
    }
  }
  get total(): number {
    return this.spans.reduce((sum, [a, b]) => sum + (b - a), 0);
  }
}

function unionMs(spans: Array<[number, number]>): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = sorted[0] ?? [0, 0];
  for (const [a, b] of sorted.slice(1)) {
    if (a > end) {
      total += end - start;
      [start, end] = [a, b];
    } else end = Math.max(end, b);
  }
  return total + (end - start);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'public/models/tiny' },
      dtype: { type: 'string', default: 'fp32' },
      problems: { type: 'string', default: '' },
      mode: { type: 'string', default: 'multi' },
      seed: { type: 'string', default: '16' },
    },
  });
  const { problems, model, host } = await openMtpbSession(values);
  const python = createNodeRunner();
  const gen = new Intervals();
  const exec = new Intervals();
  let tokens = 0;
  const inner = modelTurnGenerator(
    (request, signal) => host.generate(request, { emit: () => {}, signal }),
    { temperature: PAPER_SAMPLING.temperature, topP: PAPER_SAMPLING.topP },
  );
  const generator: TurnGenerator = {
    generate: (...args) =>
      gen.time(async () => {
        const rows = await inner.generate(...args);
        tokens += rows.reduce((n, r) => n + r.tokens, 0);
        return rows;
      }),
  };
  const innerExec = pythonExecutor(fromSandbox(python));
  const executor: CaseExecutor = {
    run: (...args) => exec.time(() => innerExec.run(...args)),
    endProblem: () => innerExec.endProblem(),
  };
  const records: CaseRecord[] = [];
  await python.ready();
  const started = performance.now();
  await new MtpbRunner(generator, executor, (event) => {
    if (event.kind === 'case') records.push(event.record);
    if (event.kind === 'problem-done')
      process.stderr.write(`\rproblem ${event.problemId} done (${records.length} cases)   `);
  }).run(
    problems,
    { mode: values.mode === 'single' ? 'single' : 'multi', seed: Number(values.seed), n: 1 },
    new Set(),
    new AbortController().signal,
  );
  const wallMs = performance.now() - started;
  python.dispose();
  await model.lm.release();

  const busy = unionMs([...gen.spans, ...exec.spans]);
  const summary = summarize(records);
  const report = {
    date: new Date().toISOString(),
    runtime: 'node (onnxruntime-web WASM + Pyodide worker_threads)',
    model: values.model,
    dtype: values.dtype,
    mode: values.mode,
    problems: problems.length,
    cases: records.length,
    wallMs,
    generationMs: gen.total,
    executionMs: exec.total,
    overlapMs: gen.total + exec.total - busy,
    idleMs: wallMs - busy,
    tokens,
    tokensPerS: tokens / (gen.total / 1000),
    executionMsPerCase: exec.total / Math.max(records.length, 1),
    byStatus: summary.byStatus,
  };
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  process.stdout.write(
    [
      '',
      `| runtime | model | problems | cases | wall | generation | execution | overlap | idle | tokens | tok/s | exec ms/case |`,
      `|---|---|---|---|---|---|---|---|---|---|---|---|`,
      `| Node WASM | ${values.model} ${values.dtype} | ${problems.length} | ${records.length} | ${s(wallMs)} | ${s(gen.total)} | ${s(exec.total)} | ${s(report.overlapMs)} | ${s(report.idleMs)} | ${tokens} | ${report.tokensPerS.toFixed(0)} | ${report.executionMsPerCase.toFixed(1)} |`,
      '',
      `verdicts: ${JSON.stringify(summary.byStatus)}`,
      '',
    ].join('\n'),
  );
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(':', '-');
  writeFileSync(join(dir, `mtpb-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'mtpb-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
