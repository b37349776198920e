import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportCsv, exportJsonl, mtpbReplayJobs, parseSamples } from '../../src/mtpb/export.ts';
import { mtpbPlan } from '../../src/mtpb/plan.ts';
import { MTPB_PATH } from '../../src/mtpb/dataset.node.ts';
import { datasetFromText } from '../../src/mtpb/load-dataset.ts';
import { categoriesOf } from '../../src/mtpb/metrics.ts';
import { modelTurnGenerator } from '../../src/mtpb/model-generator.ts';
import { PAPER_SAMPLING } from '../../src/mtpb/protocol.ts';
import { fromSandbox, pythonExecutor } from '../../src/mtpb/python-executor.ts';
import type { CaseRecord } from '../../src/mtpb/records.ts';
import { BenchmarkRunner } from '../../src/mtpb/runner.ts';
import type { RunEvent, TurnGenerator } from '../../src/mtpb/runner.ts';
import type { RunModel } from '../../src/mtpb/run-model.ts';
import { sidecarName, writeRunSidecar } from '../../src/mtpb/run-sidecar.ts';
import { parseProblemSelection } from '../../src/mtpb/selection.ts';
import { version } from '../../package.json';
import {
  createNodeSandbox,
  OFFICIAL_NODE_PACKAGE_INDEX,
} from '../../src/python/node/node-sandbox.node.ts';
import { AppError } from '../../src/shared/errors.ts';
import { EXIT, EXIT_CODES_USAGE } from './exit-codes.ts';
import { numberOption } from './number-option.ts';
import { parseEngine } from './open-model.ts';
import { startRunEngine } from './run-engine.ts';
import { formatSummary, summaryRows } from './summary-table.ts';

export const MTPB_USAGE = `npm run mtpb -- --model <folder|hub id> [--dtype DTYPE] [--engine auto|ort|wgsl]
    [--problems 1-10,23] [--mode multi|single] [--n ${PAPER_SAMPLING.n} --k 1] [--seed ${PAPER_SAMPLING.seed}]
    [--temperature ${PAPER_SAMPLING.temperature} --top-p ${PAPER_SAMPLING.topP}]
    [--dataset mtpb.jsonl] [--hub-base URL] [--packages URL] --out results.jsonl
  npm run mtpb -- --replay samples.jsonl [--packages URL] --out results.jsonl

  --engine     ort: onnxruntime-web on WASM; wgsl: the app's WGSL kernels on WebGPU (Dawn;
               SwiftShader where there is no GPU); auto (default): as the page's Auto on
               WASM, onnxruntime-web
  --dtype      default: the one the page picks on the engine's backend (on WASM, q8 where
               the model has it)
  --packages   the Pyodide package index numpy, pandas and scikit-learn come from
               (default ${OFFICIAL_NODE_PACKAGE_INDEX}, as on the page); offline,
               problems that need them are "unavailable" and left out of every rate
  Sampling defaults are the paper's (temperature ${PAPER_SAMPLING.temperature}, top-p ${PAPER_SAMPLING.topP}, seed ${PAPER_SAMPLING.seed}, n ${PAPER_SAMPLING.n}).

  Writes the official sample format plus status/passed/printed (JSONL; inputs and gold
  outputs exactly as the dataset or the samples file has them) and a CSV summary beside it.
  Ctrl+C stops the run and writes the cases that finished.
${EXIT_CODES_USAGE}`;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

const number = numberOption(MTPB_USAGE);

/** A lock file for another index: Pyodide under Node reads one from disk only. */
async function lockFileFor(packages: string): Promise<string | undefined> {
  if (packages === OFFICIAL_NODE_PACKAGE_INDEX || !/^https?:/.test(packages)) return undefined;
  const url = new URL('pyodide-lock.json', packages.endsWith('/') ? packages : `${packages}/`);
  const response = await fetch(url).catch((error: unknown) => {
    throw new AppError(
      'bad-input',
      `--packages: ${url.href} cannot be fetched (${String(error)}).`,
    );
  });
  if (!response.ok)
    throw new AppError('bad-input', `--packages: ${url.href} answered ${response.status}.`);
  const file = join(mkdtempSync(join(tmpdir(), 'codegen-lock-')), 'pyodide-lock.json');
  writeFileSync(file, await response.text());
  return file;
}

/** `npm run mtpb`; resolves to the exit code (EXIT). */
export async function mtpbCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      model: { type: 'string' },
      dtype: { type: 'string' },
      engine: { type: 'string', default: 'auto' },
      problems: { type: 'string', default: '' },
      mode: { type: 'string', default: 'multi' },
      n: { type: 'string', default: String(PAPER_SAMPLING.n) },
      k: { type: 'string', default: '1' },
      seed: { type: 'string', default: String(PAPER_SAMPLING.seed) },
      temperature: { type: 'string', default: String(PAPER_SAMPLING.temperature) },
      'top-p': { type: 'string', default: String(PAPER_SAMPLING.topP) },
      dataset: { type: 'string', default: MTPB_PATH },
      replay: { type: 'string' },
      'hub-base': { type: 'string' },
      packages: { type: 'string', default: OFFICIAL_NODE_PACKAGE_INDEX },
      out: { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(`Usage:\n  ${MTPB_USAGE}\n`);
    return EXIT.ok;
  }
  if (!values.out) throw new AppError('bad-input', `--out is required.\n${MTPB_USAGE}`);
  const mode = values.mode === 'single' ? 'single' : values.mode === 'multi' ? 'multi' : null;
  if (!mode) throw new AppError('bad-input', `--mode must be multi or single.`);
  const n = number('n', values.n, (v) => Number.isInteger(v) && v >= 1);
  const k = number('k', values.k, (v) => Number.isInteger(v) && v >= 1 && v <= n);
  const seed = number('seed', values.seed, (v) => Number.isInteger(v) && v >= 0);
  const temperature = number('temperature', values.temperature, (v) => v > 0);
  const topP = number('top-p', values['top-p'], (v) => v > 0 && v <= 1);
  const engine = parseEngine(values.engine);
  if (!values.replay && !values.model)
    throw new AppError('bad-input', `--model is required (or --replay).\n${MTPB_USAGE}`);

  const lockFileURL = await lockFileFor(values.packages);
  const python = createNodeSandbox({
    packageBaseUrl: values.packages,
    ...(lockFileURL ? { lockFileURL } : {}),
  });
  const executor = pythonExecutor(fromSandbox(python));
  const records: CaseRecord[] = [];
  const categories = new Map<string, readonly string[]>();
  const names = new Map<string, string>();
  const started = performance.now();
  const abort = new AbortController();
  const onSigint = (): void => {
    log('interrupted: stopping the run and writing the cases that finished');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  const onEvent = (event: RunEvent): void => {
    if (event.kind === 'case') {
      records.push(event.record);
      const r = event.record;
      log(
        `problem ${r.problemId} case ${r.caseIndex + 1}${n > 1 ? ` sample ${r.sample + 1}` : ''}: ${r.status}`,
      );
    } else if (event.kind === 'generated') {
      log(
        `problem ${event.problemId}: generated ${event.tokens} tokens in ${(event.ms / 1000).toFixed(1)} s`,
      );
    }
  };
  let interrupted = false;
  // What ran, for the metadata file beside the samples (live runs only).
  let ran: {
    model: RunModel;
    problemIds: string[];
    datasetLabel: string;
    totalCases: number;
  } | null = null;
  const createdAt = Date.now();
  try {
    if (values.replay) {
      const { samples, errors } = parseSamples(readFileSync(values.replay, 'utf8'));
      for (const e of errors) log(`${values.replay}:${e.line}: ${e.message}`);
      const noGenerator: TurnGenerator = {
        generate: () => Promise.reject(new Error('a replay generates nothing')),
      };
      await new BenchmarkRunner(noGenerator, executor, onEvent).replay(
        mtpbReplayJobs(samples),
        new Set(),
        abort.signal,
      );
    } else {
      const dataset = datasetFromText(
        readFileSync(values.dataset, 'utf8'),
        basename(values.dataset),
      );
      for (const e of dataset.errors) log(`${values.dataset}:${e.line}: ${e.message}`);
      for (const p of dataset.problems) names.set(p.id, p.name);
      for (const [id, list] of categoriesOf(dataset.problems)) categories.set(id, list);
      const ids = parseProblemSelection(
        values.problems,
        dataset.problems.map((p) => p.id),
      );
      const engineRun = await startRunEngine(values.model ?? '', {
        dtype: values.dtype,
        engine,
        hubBase: values['hub-base'],
        log,
      });
      const host = engineRun.host;
      ran = {
        model: engineRun.model,
        problemIds: ids,
        datasetLabel: basename(values.dataset),
        totalCases: dataset.problems
          .filter((p) => ids.includes(p.id))
          .reduce((sum, p) => sum + p.inputs.length * n, 0),
      };
      const generator = modelTurnGenerator(
        (request, signal) => host.generate(request, { emit: () => {}, signal }),
        { topP },
      );
      try {
        await new BenchmarkRunner(generator, executor, onEvent).run(
          dataset.problems
            .filter((p) => ids.includes(p.id))
            .map((p) => mtpbPlan(p, mode, temperature)),
          { seed, n },
          new Set(),
          abort.signal,
        );
      } finally {
        await engineRun.release();
      }
    }
  } catch (error) {
    // Whatever a stopped generation or execution threw, Ctrl+C asked for it.
    if (!abort.signal.aborted) throw error;
    interrupted = true;
  } finally {
    process.off('SIGINT', onSigint);
    python.dispose();
  }
  writeFileSync(values.out, exportJsonl(records));
  const csv = values.out.replace(/\.jsonl$/, '') + '.csv';
  writeFileSync(csv, exportCsv(records, names));
  const meta = ran ? sidecarName(values.out) : null;
  if (ran && meta)
    writeFileSync(
      meta,
      writeRunSidecar(
        {
          id: crypto.randomUUID(),
          kind: 'live',
          createdAt,
          state: interrupted ? 'stopped' : 'done',
          model: ran.model,
          settings: { problemIds: ran.problemIds, mode, seed, n, k, temperature, topP },
          appVersion: version,
          resumes: [],
          datasetLabel: ran.datasetLabel,
          totalCases: ran.totalCases,
        },
        basename(values.out),
      ),
    );
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\n${formatSummary(summaryRows(records, { k, n, categoriesOf: categories, seconds }))}`,
  );
  log(
    `wrote ${values.out}, ${csv}${meta ? ` and ${meta}` : ''}${interrupted ? ' (interrupted: the cases that finished)' : ''}`,
  );
  return interrupted ? EXIT.interrupted : EXIT.ok;
}
