/**
 * `npm run bench:mtpb-timeline`: records when each turn of a real MTPB run started and ended,
 * the worker's throttled token counts inside it, and each case's execution, as the compact
 * timeline the ETA estimator's unit test replays (src/mtpb/fixtures/eta-timeline.json).
 * Node: the engine on onnxruntime-web WASM and Pyodide in worker_threads, the same code as
 * `npm run mtpb`. Usage:
 *   npm run bench:mtpb-timeline -- [--model public/models/tiny] [--dtype fp32] [--problems 1-8] [--out FILE]
 */
import { mtpbPlan } from '../../src/mtpb/plan.ts';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EtaTimeline } from '../../src/mtpb/eta-timeline.node.ts';
import { modelTurnGenerator } from '../../src/mtpb/model-generator.ts';
import { PAPER_SAMPLING, turnsFor } from '../../src/mtpb/protocol.ts';
import { fromSandbox, pythonExecutor } from '../../src/mtpb/python-executor.ts';
import { BenchmarkRunner } from '../../src/mtpb/runner.ts';
import type { CaseExecutor, TurnGenerator } from '../../src/mtpb/runner.ts';
import { openMtpbSession } from './mtpb-session.ts';
import { createNodeRunner } from '../../src/python/node/test-runner.node.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'public/models/tiny' },
      dtype: { type: 'string', default: 'fp32' },
      problems: { type: 'string', default: '1-8' },
      out: { type: 'string', default: 'src/mtpb/fixtures/eta-timeline.json' },
    },
  });
  const { problems, model, host } = await openMtpbSession(values);
  const python = createNodeRunner();
  await python.ready();

  const started = performance.now();
  const at = (): number => Math.round(performance.now() - started);
  const timeline: EtaTimeline = {
    recorded: `${new Date().toISOString().slice(0, 10)}: ${values.model} ${values.dtype}, Node onnxruntime-web WASM + Pyodide worker_threads`,
    problems: problems.map((p) => ({
      id: p.id,
      rows: p.inputs.length,
      budgets: turnsFor(p, 0, 'multi').map((t) => t.budget),
    })),
    turns: [],
    cases: [],
    endMs: 0,
  };
  let progress: Array<[number, number]> = [];
  const inner = modelTurnGenerator(
    (request, signal, onEvent) => host.generate(request, { emit: onEvent, signal }),
    { topP: PAPER_SAMPLING.topP },
    (_added, rows) => progress.push([at(), rows.reduce((n, t) => n + t, 0)]),
  );
  let current = { problem: '', turn: 0 };
  const generator: TurnGenerator = {
    generate: async (...args) => {
      progress = [];
      const start = at();
      const rows = await inner.generate(...args);
      timeline.turns.push({
        ...current,
        startMs: start,
        endMs: at(),
        tokens: rows.reduce((n, r) => n + r.tokens, 0),
        progress,
      });
      return rows;
    },
  };
  const innerExec = pythonExecutor(fromSandbox(python));
  let executing = '';
  const executor: CaseExecutor = {
    run: async (...args) => {
      const start = at();
      const result = await innerExec.run(...args);
      timeline.cases.push({ problem: executing, startMs: start, endMs: at() });
      return result;
    },
    endProblem: () => innerExec.endProblem(),
  };
  await new BenchmarkRunner(generator, executor, (event) => {
    if (event.kind === 'generating') current = { problem: event.problemId, turn: event.turn };
    if (event.kind === 'executing') executing = event.problemId;
    if (event.kind === 'problem-done') process.stderr.write(`\rproblem ${event.problemId} done `);
  }).run(
    problems.map((p) => mtpbPlan(p, 'multi', PAPER_SAMPLING.temperature)),
    { seed: PAPER_SAMPLING.seed, n: 1 },
    new Set(),
    new AbortController().signal,
  );
  timeline.endMs = at();
  python.dispose();
  await model.lm.release();
  writeFileSync(values.out, `${JSON.stringify(timeline)}\n`);
  process.stderr.write(`\n${values.out}: ${timeline.turns.length} turns, ${timeline.endMs} ms\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
