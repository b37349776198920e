import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { humanEvalMetrics } from '../../src/humaneval/metrics.ts';
import { HUMANEVAL_PATH, readHumanEval } from '../../src/humaneval/dataset.node.ts';
import { taskNumber } from '../../src/humaneval/dataset.ts';
import { HUMANEVAL_SAMPLING } from '../../src/humaneval/protocol.ts';
import {
  humanEvalJsonl,
  humanEvalReplayJobs,
  parseHumanEvalSamples,
} from '../../src/humaneval/samples.ts';
import { humanEvalSuite } from '../../src/humaneval/suite.ts';
import { percent } from '../../src/mtpb/metrics.ts';
import { completionStopOf, modelTurnGenerator } from '../../src/mtpb/model-generator.ts';
import type { RunSettings } from '../../src/mtpb/protocol.ts';
import { fromSandbox, pythonExecutor } from '../../src/mtpb/python-executor.ts';
import type { CaseRecord } from '../../src/mtpb/records.ts';
import { countCases } from '../../src/mtpb/run-controller.ts';
import { BenchmarkRunner } from '../../src/mtpb/runner.ts';
import type { RunEvent, TurnGenerator } from '../../src/mtpb/runner.ts';
import { sidecarName, writeRunSidecar } from '../../src/mtpb/run-sidecar.ts';
import { parseProblemSelection } from '../../src/mtpb/selection.ts';
import { createNodeSandbox } from '../../src/python/node/node-sandbox.node.ts';
import { AppError } from '../../src/shared/errors.ts';
import { version } from '../../package.json';
import { EXIT, EXIT_CODES_USAGE } from './exit-codes.ts';
import { numberOption } from './number-option.ts';
import { parseEngine } from './open-model.ts';
import { startRunEngine } from './run-engine.ts';

const S = HUMANEVAL_SAMPLING;

export const HUMANEVAL_USAGE = `npm run humaneval -- --model <folder|hub id> [--dtype DTYPE] [--engine auto|ort|wgsl]
    [--problems 0-163] [--n ${S.n}] [--temperature ${S.temperatures[0]}[,0.6,0.8]] [--top-p ${S.topP}]
    [--max-new-tokens ${S.maxNewTokens}] [--seed ${S.seed}] [--dataset HumanEval.jsonl.gz] [--hub-base URL]
    --out samples.jsonl
  npm run humaneval -- --replay samples.jsonl [--dataset HumanEval.jsonl.gz] --out results.jsonl

  Samples each task n times per temperature (top-p nucleus sampling), cuts completions at the
  Codex stop sequences, and checks each as openai/human-eval does (prompt + completion + test +
  check(entry_point), passed when nothing is raised within 3 s). --replay re-checks a samples
  file in the official format ({"task_id", "completion"} per line) or bigcode-evaluation-
  harness's generations.json.

  Writes the official format with temperature, result and passed (as the official evaluator
  writes <samples>_results.jsonl) and a .meta.json beside it for live runs; prints pass@k
  (unbiased estimator, k = 1, 10, 100 where n allows) per temperature and the best of them.
${EXIT_CODES_USAGE}`;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

const number = numberOption(HUMANEVAL_USAGE);

/** `npm run humaneval`; resolves to the exit code (EXIT). */
export async function humanEvalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      model: { type: 'string' },
      dtype: { type: 'string' },
      engine: { type: 'string', default: 'auto' },
      problems: { type: 'string', default: '' },
      n: { type: 'string', default: String(S.n) },
      seed: { type: 'string', default: String(S.seed) },
      temperature: { type: 'string', default: String(S.temperatures[0]) },
      'top-p': { type: 'string', default: String(S.topP) },
      'max-new-tokens': { type: 'string', default: String(S.maxNewTokens) },
      dataset: { type: 'string', default: HUMANEVAL_PATH },
      replay: { type: 'string' },
      'hub-base': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(`Usage:\n  ${HUMANEVAL_USAGE}\n`);
    return EXIT.ok;
  }
  if (!values.out) throw new AppError('bad-input', `--out is required.\n${HUMANEVAL_USAGE}`);
  if (!values.replay && !values.model)
    throw new AppError('bad-input', `--model is required (or --replay).\n${HUMANEVAL_USAGE}`);
  const n = number('n', values.n, (v) => Number.isInteger(v) && v >= 1);
  const seed = number('seed', values.seed, (v) => Number.isInteger(v) && v >= 0);
  const temperatures = values.temperature
    .split(',')
    .map((t) => number('temperature', t, (v) => v > 0 && v <= 2));
  if (new Set(temperatures).size !== temperatures.length)
    throw new AppError('bad-input', '--temperature lists a temperature twice.');
  const topP = number('top-p', values['top-p'], (v) => v > 0 && v <= 1);
  const maxNewTokens = number(
    'max-new-tokens',
    values['max-new-tokens'],
    (v) => Number.isInteger(v) && v >= 1,
  );
  const engine = parseEngine(values.engine);
  const dataset = await readHumanEval(values.dataset);
  for (const e of dataset.errors) log(`${values.dataset}:${e.line}: ${e.message}`);
  if (dataset.tasks.length === 0) throw new AppError('bad-input', `${values.dataset} has no task.`);

  const python = createNodeSandbox();
  const executor = pythonExecutor(fromSandbox(python));
  const records: CaseRecord[] = [];
  const started = performance.now();
  const abort = new AbortController();
  const onSigint = (): void => {
    log('interrupted: stopping the run and writing the samples that finished');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  let columns = temperatures;
  const onEvent = (event: RunEvent): void => {
    if (event.kind === 'case') {
      records.push(event.record);
      const r = event.record;
      const t = columns[r.caseIndex];
      log(`${r.problemId}${t !== undefined ? ` T=${t}` : ''} sample ${r.sample + 1}: ${r.detail}`);
    } else if (event.kind === 'generated') {
      log(
        `${event.problemId}: generated ${event.tokens} tokens in ${(event.ms / 1000).toFixed(1)} s`,
      );
    }
  };
  let interrupted = false;
  let meta: string | null = null;
  const createdAt = Date.now();

  try {
    if (values.replay) {
      const parsed = parseHumanEvalSamples(readFileSync(values.replay, 'utf8'), dataset.tasks);
      for (const e of parsed.errors) log(`${values.replay}:${e.line}: ${e.message}`);
      const { jobs, temperatures: found } = humanEvalReplayJobs(parsed.samples, dataset.tasks);
      columns = found;
      const noGenerator: TurnGenerator = {
        generate: () => Promise.reject(new Error('a replay generates nothing')),
      };
      await new BenchmarkRunner(noGenerator, executor, onEvent).replay(
        jobs,
        new Set(),
        abort.signal,
      );
    } else {
      const numbers = new Map(dataset.tasks.map((t) => [String(taskNumber(t.id)), t.id]));
      const ids = parseProblemSelection(values.problems, [...numbers.keys()]).map(
        (num) => numbers.get(num) ?? num,
      );
      const settings: RunSettings = {
        benchmark: 'humaneval',
        problemIds: ids,
        mode: 'single',
        seed,
        n,
        k: 1,
        temperature: temperatures[0] ?? S.temperatures[0],
        temperatures,
        topP,
        maxNewTokens,
      };
      const engineRun = await startRunEngine(values.model ?? '', {
        dtype: values.dtype,
        engine,
        hubBase: values['hub-base'],
        log,
      });
      const suite = humanEvalSuite(dataset);
      const generator = modelTurnGenerator(
        (request, signal) => engineRun.host.generate(request, { emit: () => {}, signal }),
        { topP },
        () => {},
        { reuse: true, stop: completionStopOf('humaneval') },
      );
      const plans = suite.plan(settings);
      try {
        await new BenchmarkRunner(generator, executor, onEvent).run(
          plans,
          { seed, n, ...(suite.maxBatch ? { maxBatch: suite.maxBatch } : {}) },
          new Set(),
          abort.signal,
        );
      } catch (error) {
        if (!abort.signal.aborted) throw error;
        interrupted = true;
      } finally {
        await engineRun.release();
      }
      meta = sidecarName(values.out);
      writeFileSync(
        meta,
        writeRunSidecar(
          {
            id: crypto.randomUUID(),
            kind: 'live',
            createdAt,
            state: interrupted ? 'stopped' : 'done',
            model: engineRun.model,
            settings,
            appVersion: version,
            resumes: [],
            datasetLabel: basename(values.dataset),
            totalCases: countCases(plans, n),
          },
          basename(values.out),
        ),
      );
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    interrupted = true;
  } finally {
    process.off('SIGINT', onSigint);
    python.dispose();
  }
  writeFileSync(values.out, humanEvalJsonl(records, columns));
  const seconds = (performance.now() - started) / 1000;
  const metrics = humanEvalMetrics(records, columns.length > 0 ? columns : [Number.NaN], n);
  const lines = [
    `HumanEval: ${records.length} samples, ${records.filter((r) => r.passed).length} passed, ${seconds.toFixed(1)} s`,
    ...metrics.byTemperature.map(
      (row) =>
        `  T=${Number.isNaN(row.temperature) ? 'as imported' : row.temperature}: ` +
        metrics.ks.map((k) => `pass@${k} ${fmt(row.passAt.get(k))}`).join('  '),
    ),
    ...(metrics.byTemperature.length > 1
      ? [`  best: ${metrics.best.map((b) => `pass@${b.k} ${fmt(b.value)}`).join('  ')}`]
      : []),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  log(
    `wrote ${values.out}${meta ? ` and ${meta}` : ''}${interrupted ? ' (interrupted: the samples that finished)' : ''}`,
  );
  return interrupted ? EXIT.interrupted : EXIT.ok;
}

const fmt = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : percent(value, 2);
