/**
 * Per-token cost of the benchmark's generate requests: tokens/s, and the events and bytes
 * that cross the worker boundary per generated token, for each `detail` a request can ask
 * for. The workload is what the MTPB harness asks of the model worker (batches of test
 * cases, turn by turn, temperature 0.2, top-p 0.95, MTPB truncation, overflow 'skip'): it is
 * recorded once by running BenchmarkRunner on Node with an executor that runs nothing, written
 * beside the results, and replayed as the same requests by every runtime:
 *   - node: EngineHost in this process (as `npm run mtpb` and `npm run bench:mtpb` use it);
 *   - chromium: the built app's model worker (plain WASM backend), through its RpcClient.
 * Bytes are the JSON length of each event and of the result (what a structured clone
 * copies, to within a small factor). Prints a table; writes bench/results/generate-detail-*.json.
 *
 *   npx tsx scripts/bench/generate-detail.ts [--problems 1-5] [--runtimes node,chromium]
 *     [--details default,text,tokens] [--workload FILE] [--label before]
 */
import { mtpbPlan } from '../../src/mtpb/plan.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import type {} from '../../src/app/console-api.ts';
import type { GenerateRequest, ModelWorkerEvent } from '../../src/shared/contracts/model-worker.ts';
import { openModel, parseDtype } from '../cli/open-model.ts';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { EngineHost } from '../../workers/model/engine-host.ts';
import { Sampler } from '../../src/engine/generation/sampler.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import { launchChromium, openPage } from './browser.ts';
import { serveBench } from './serve.ts';

/** 'default': the request names no detail (what callers sent before the field existed). */
type Detail = 'default' | 'text' | 'tokens';

interface RequestStats {
  ms: number;
  tokens: number;
  events: number;
  eventBytes: number;
  resultBytes: number;
}

interface Measured {
  runtime: 'node' | 'chromium';
  detail: Detail;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  requests: number;
  tokens: number;
  ms: number;
  tokensPerS: number;
  eventsPerToken: number;
  eventBytesPerToken: number;
  resultBytesPerToken: number;
  /** Wall time per generated token, all costs included. */
  msPerToken: number;
}

const { values } = parseArgs({
  options: {
    problems: { type: 'string', default: '1-5' },
    runtimes: { type: 'string', default: 'node,chromium' },
    details: { type: 'string', default: 'default' },
    workload: { type: 'string' },
    label: { type: 'string', default: '' },
    repeat: { type: 'string', default: '1' },
  },
});

const ROOT = process.cwd();
const MODEL_DIR = join(ROOT, 'public', 'models', 'tiny');
const log = (line: string): void => console.error(line);

function withDetail(request: GenerateRequest, detail: Detail): GenerateRequest {
  return detail === 'default' ? request : { ...request, detail };
}

/** The requests one MTPB run makes, recorded on Node (completions decide later prompts). */
async function recordWorkload(problemSpec: string): Promise<GenerateRequest[]> {
  const { datasetFromText } = await import('../../src/mtpb/load-dataset.ts');
  const { MTPB_PATH } = await import('../../src/mtpb/dataset.node.ts');
  const { parseProblemSelection } = await import('../../src/mtpb/selection.ts');
  const { BenchmarkRunner } = await import('../../src/mtpb/runner.ts');
  const { modelTurnGenerator } = await import('../../src/mtpb/model-generator.ts');
  const dataset = datasetFromText(readFileSync(MTPB_PATH, 'utf8'), 'mtpb.jsonl');
  const ids = parseProblemSelection(
    problemSpec,
    dataset.problems.map((p) => p.id),
  );
  const host = await nodeHost();
  const requests: GenerateRequest[] = [];
  const generator = modelTurnGenerator(
    (request, signal) => {
      requests.push(request);
      return host.generate(request, { emit: () => {}, signal });
    },
    { topP: 0.95 },
  );
  const nothing = {
    status: 'fail' as const,
    passed: false,
    printed: null,
    stdout: '',
    error: null,
    detail: 'not run (workload recording)',
    execMs: 0,
  };
  await new BenchmarkRunner(
    generator,
    { run: () => Promise.resolve(nothing), endProblem: () => {} },
    () => {},
  ).run(
    dataset.problems.filter((p) => ids.includes(p.id)).map((p) => mtpbPlan(p, 'multi', 0.2)),
    { seed: 16, n: 1 },
    new Set(),
    new AbortController().signal,
  );
  // Drop the detail the recording generator asked for: each pass sets its own.
  return requests.map((request) => {
    const copy = { ...request };
    delete copy.detail;
    return copy;
  });
}

let opened: { host: EngineHost; model: LoadedModel } | null = null;
async function nodeModel(): Promise<{ host: EngineHost; model: LoadedModel }> {
  if (opened) return opened;
  const model = await openModel(MODEL_DIR, parseDtype('fp32'));
  const host = new EngineHost({
    loadOrt: () => Promise.reject(new Error('unused')),
    probeGpu: () => Promise.resolve({ available: false, reason: 'Node has no WebGPU' }),
    gpu: nodeGpu,
    caches: undefined,
  });
  host.adopt(model);
  opened = { host, model };
  return opened;
}
const nodeHost = async (): Promise<EngineHost> => (await nodeModel()).host;

/**
 * The per-token work itself, without the model step: one batch of 5 rows of real logits,
 * picked as the benchmark does (temperature 0.2, top-p 0.95) over and over. 'tokens' also
 * scores each token, decodes it and its 5 alternatives, and serializes the token event;
 * 'text' only picks. Microseconds per token.
 */
async function perTokenWork(): Promise<Record<'text' | 'tokens', number>> {
  const { host, model } = await nodeModel();
  const { tokenizer } = model;
  const ids = tokenizer.encode('# Import libraries.\n\nimport numpy as np\n\n# Print 1.\n');
  const context = { emit: () => {}, signal: new AbortController().signal };
  const { logits, vocab } = await host.logits(ids, context); // [vocab]
  const rows = Array.from({ length: 5 }, () => logits.subarray(0, vocab));
  const options = {
    vocabLimit: tokenizer.size,
    params: { kind: 'sample' as const, temperature: 0.2, topP: 0.95, topK: 0 },
  };
  const describe = (id: number): string => tokenizer.decode([id]);
  const time = (work: (sampler: Sampler, row: Float32Array) => void): number => {
    const samplers = rows.map((_, r) => new Sampler(options, 1, r));
    const steps = 400;
    const started = performance.now();
    for (let step = 0; step < steps; step++) {
      rows.forEach((row, r) => work(samplers[r] ?? new Sampler(options, 1, r), row));
    }
    return ((performance.now() - started) * 1000) / (steps * rows.length);
  };
  let sink = 0;
  const text = (): number => time((sampler, row) => void (sink += sampler.pick(row)));
  const tokens = (): number =>
    time((sampler, row) => {
      const t = sampler.sample(row);
      const token = {
        tokenId: t.tokenId,
        text: describe(t.tokenId),
        logprob: t.logprob,
        top: t.top.map((alt) => ({ ...alt, text: describe(alt.tokenId) })),
      };
      sink += JSON.stringify({ kind: 'token', row: 0, index: 0, delta: token.text, token }).length;
    });
  text(); // warm up both paths before timing
  tokens();
  const result = {
    text: Math.min(text(), text(), text()),
    tokens: Math.min(tokens(), tokens(), tokens()),
  };
  if (sink === 0.5) log('unreachable'); // keeps the work observable
  return result;
}

async function runNode(workload: GenerateRequest[], detail: Detail): Promise<RequestStats[]> {
  const engine = await nodeHost();
  const stats: RequestStats[] = [];
  for (const request of workload) {
    let events = 0;
    let eventBytes = 0;
    const emit = (event: ModelWorkerEvent): void => {
      events++;
      eventBytes += JSON.stringify(event).length;
    };
    const started = performance.now();
    const result = await engine.generate(withDetail(request, detail), {
      emit,
      signal: new AbortController().signal,
    });
    const ms = performance.now() - started;
    stats.push({
      ms,
      tokens: result.rows.reduce((n, row) => n + row.ids.length, 0),
      events,
      eventBytes,
      resultBytes: JSON.stringify(result).length,
    });
  }
  return stats;
}

async function loadInPage(page: Page, modelUrl: string): Promise<void> {
  await page.waitForFunction(() => window.codegenPlayground !== undefined);
  // The app loads its own tiny model at start; let that finish so two loads never overlap.
  await page.getByTestId('model-ready').waitFor({ timeout: 120_000 });
  await page.evaluate(async (baseUrl) => {
    const worker = window.codegenPlayground?.modelWorker;
    if (!worker) throw new Error('the console API is missing');
    await worker.call({
      kind: 'load',
      source: { kind: 'url', label: 'tiny', baseUrl },
      onnxPath: 'onnx/model.onnx',
      backend: 'wasm',
      cache: false,
    });
  }, modelUrl);
}

async function runPage(
  page: Page,
  workload: GenerateRequest[],
  detail: Detail,
): Promise<RequestStats[]> {
  const requests = workload.map((request) => withDetail(request, detail));
  return page.evaluate(async (list) => {
    const worker = window.codegenPlayground?.modelWorker;
    if (!worker) throw new Error('the console API is missing');
    const stats = [];
    for (const request of list) {
      let events = 0;
      let eventBytes = 0;
      const started = performance.now();
      const result = await worker.call(request, {
        onEvent: (event) => {
          events++;
          eventBytes += JSON.stringify(event).length;
        },
      });
      const ms = performance.now() - started;
      stats.push({
        ms,
        tokens: result.rows.reduce((n, row) => n + row.ids.length, 0),
        events,
        eventBytes,
        resultBytes: JSON.stringify(result).length,
      });
    }
    return stats;
  }, requests);
}

function summarize(
  runtime: Measured['runtime'],
  detail: Detail,
  stats: RequestStats[],
  loadAverageBefore: number[],
): Measured {
  const sum = (key: keyof RequestStats): number => stats.reduce((n, s) => n + s[key], 0);
  const tokens = sum('tokens');
  const ms = sum('ms');
  return {
    runtime,
    detail,
    loadAverageBefore,
    loadAverageAfter: loadavg(),
    requests: stats.length,
    tokens,
    ms,
    tokensPerS: tokens / (ms / 1000),
    eventsPerToken: sum('events') / tokens,
    eventBytesPerToken: sum('eventBytes') / tokens,
    resultBytesPerToken: sum('resultBytes') / tokens,
    msPerToken: ms / tokens,
  };
}

async function main(): Promise<void> {
  const details = values.details.split(',') as Detail[];
  const runtimes = values.runtimes.split(',');
  const repeat = Number(values.repeat);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const workloadPath =
    values.workload ?? join(dir, `generate-detail-workload-${values.problems}.json`);
  let workload: GenerateRequest[];
  if (existsSync(workloadPath)) {
    workload = JSON.parse(readFileSync(workloadPath, 'utf8')) as GenerateRequest[];
    log(`workload: ${workload.length} requests from ${workloadPath}`);
  } else {
    log(`recording the workload of MTPB problems ${values.problems} on Node…`);
    workload = await recordWorkload(values.problems);
    writeFileSync(workloadPath, `${JSON.stringify(workload)}\n`);
    log(`workload: ${workload.length} requests, written to ${workloadPath}`);
  }

  const results: Measured[] = [];
  let work: Record<'text' | 'tokens', number> | null = null;
  if (runtimes.includes('node')) {
    work = await perTokenWork();
    await runNode(workload.slice(0, 2), 'tokens'); // warm-up, not measured
    for (let i = 0; i < repeat; i++) {
      for (const detail of details) {
        const load = loadavg();
        log(`node, detail ${detail}…`);
        results.push(summarize('node', detail, await runNode(workload, detail), load));
      }
    }
  }
  if (runtimes.includes('chromium')) {
    const site = await serveBench(ROOT, { tiny: MODEL_DIR }, log);
    const browser = await launchChromium();
    try {
      const page = await openPage(browser, `${site.origin}/`, log);
      await loadInPage(page, site.app('tiny').modelUrl);
      for (let i = 0; i < repeat; i++) {
        for (const detail of details) {
          const load = loadavg();
          log(`chromium, detail ${detail}…`);
          results.push(summarize('chromium', detail, await runPage(page, workload, detail), load));
        }
      }
    } finally {
      await browser.close();
      await site.close();
    }
  }

  const table = [
    '',
    '| runtime | detail | requests | tokens | tok/s | ms/token | events/token | event bytes/token | result bytes/token | load avg (1 min) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.runtime} | ${r.detail} | ${r.requests} | ${r.tokens} | ${r.tokensPerS.toFixed(0)} | ${r.msPerToken.toFixed(3)} | ${r.eventsPerToken.toFixed(3)} | ${r.eventBytesPerToken.toFixed(1)} | ${r.resultBytesPerToken.toFixed(1)} | ${r.loadAverageBefore[0]?.toFixed(2)} → ${r.loadAverageAfter[0]?.toFixed(2)} |`,
    ),
    '',
  ].join('\n');
  process.stdout.write(table);
  if (work) {
    process.stdout.write(
      `\nper-token work without the model step (Node, µs/token): tokens ${work.tokens.toFixed(1)}, text ${work.text.toFixed(1)}\n`,
    );
  }
  const report = {
    benchmark: 'generate-detail',
    label: values.label,
    date: new Date().toISOString(),
    model: 'public/models/tiny fp32',
    problems: values.problems,
    workload: workloadPath,
    perTokenWorkMicros: work,
    results,
  };
  const stamp = report.date.slice(0, 16).replace(':', '-');
  const name = `generate-detail-${values.label ? `${values.label}-` : ''}${stamp}.json`;
  writeFileSync(join(dir, name), `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote bench/results/${name}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
