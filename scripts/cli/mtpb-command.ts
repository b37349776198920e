import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { exportCsv, exportJsonl, parseSamples, replayedRecord } from '../../src/mtpb/export.ts';
import { datasetFromText } from '../../src/mtpb/load-dataset.ts';
import { modelTurnGenerator } from '../../src/mtpb/model-generator.ts';
import { fromPythonRunner, pythonExecutor } from '../../src/mtpb/python-executor.ts';
import { caseKey, summarize } from '../../src/mtpb/records.ts';
import type { CaseRecord } from '../../src/mtpb/records.ts';
import { passAtK } from '../../src/mtpb/protocol.ts';
import { MtpbRunner } from '../../src/mtpb/runner.ts';
import { parseProblemSelection } from '../../src/mtpb/selection.ts';
import { MTPB_PATH } from '../../src/mtpb/python-fixtures.node.ts';
import { createNodeRunner } from '../../src/python/node/test-runner.node.ts';
import { AppError } from '../../src/shared/errors.ts';
import { EngineHost } from '../../workers/model/engine-host.ts';
import { openModel, parseDtype } from './open-model.ts';

export const MTPB_USAGE = `npm run mtpb -- --model <folder|hub id> [--dtype q4] [--problems 1-10,23]
    [--mode multi|single] [--n 1 --k 1] [--seed 16] [--temperature 0.2 --top-p 0.95]
    [--dataset mtpb.jsonl] [--hub-base URL] --out results.jsonl
  npm run mtpb -- --replay samples.jsonl --out results.jsonl

  Writes the official sample format plus status/passed/printed (JSONL) and a CSV summary
  beside it; exits 0 when the run completed (verdicts are data, not errors).`;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

export async function mtpbCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      dtype: { type: 'string', default: 'q4' },
      problems: { type: 'string', default: '' },
      mode: { type: 'string', default: 'multi' },
      n: { type: 'string', default: '1' },
      k: { type: 'string', default: '1' },
      seed: { type: 'string', default: '16' },
      temperature: { type: 'string', default: '0.2' },
      'top-p': { type: 'string', default: '0.95' },
      dataset: { type: 'string', default: MTPB_PATH },
      replay: { type: 'string' },
      'hub-base': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.out) throw new AppError('bad-input', `--out is required.\n${MTPB_USAGE}`);
  const mode = values.mode === 'single' ? 'single' : values.mode === 'multi' ? 'multi' : null;
  if (!mode) throw new AppError('bad-input', `--mode must be multi or single.`);
  const n = Number(values.n);
  const k = Number(values.k);
  const python = createNodeRunner();
  const executor = pythonExecutor(fromPythonRunner(python));
  const records: CaseRecord[] = [];
  const names = new Map<string, string>();
  const started = performance.now();
  try {
    if (values.replay) {
      const { samples, errors } = parseSamples(readFileSync(values.replay, 'utf8'));
      for (const e of errors) log(`${values.replay}:${e.line}: ${e.message}`);
      let previous = '';
      for (const line of samples) {
        if (previous && previous !== line.sample.id) executor.endProblem();
        previous = line.sample.id;
        const exec = await executor.run(
          line.sample.completions,
          line.gold,
          new AbortController().signal,
        );
        records.push(replayedRecord(line, exec));
        log(`problem ${line.sample.id} case ${line.caseIndex + 1}: ${exec.status}`);
      }
    } else {
      if (!values.model)
        throw new AppError('bad-input', `--model is required (or --replay).\n${MTPB_USAGE}`);
      const dataset = datasetFromText(
        readFileSync(values.dataset, 'utf8'),
        basename(values.dataset),
      );
      for (const e of dataset.errors) log(`${values.dataset}:${e.line}: ${e.message}`);
      for (const p of dataset.problems) names.set(p.id, p.name);
      const ids = parseProblemSelection(
        values.problems,
        dataset.problems.map((p) => p.id),
      );
      const model = await openModel(values.model, parseDtype(values.dtype), {
        ...(values['hub-base'] ? { hubBase: values['hub-base'] } : {}),
        log,
      });
      const host = new EngineHost({
        loadOrt: () => Promise.reject(new Error('unused')),
        hasWebGpu: () => Promise.resolve(false),
        caches: undefined,
      });
      host.adopt(model);
      const generator = modelTurnGenerator(
        (request, signal) => host.generate(request, { emit: () => {}, signal }),
        { temperature: Number(values.temperature), topP: Number(values['top-p']) },
      );
      const runner = new MtpbRunner(generator, executor, (event) => {
        if (event.kind === 'case') {
          records.push(event.record);
          log(
            `problem ${event.record.problemId} case ${event.record.caseIndex + 1}${n > 1 ? ` sample ${event.record.sample + 1}` : ''}: ${event.record.status}`,
          );
        } else if (event.kind === 'generated') {
          log(
            `problem ${event.problemId}: generated ${event.tokens} tokens in ${(event.ms / 1000).toFixed(1)} s`,
          );
        }
      });
      try {
        await runner.run(
          dataset.problems.filter((p) => ids.includes(p.id)),
          { mode, seed: Number(values.seed), n },
          new Set(),
          new AbortController().signal,
        );
      } finally {
        await model.lm.release();
      }
    }
  } finally {
    python.dispose();
  }
  writeFileSync(values.out, exportJsonl(records));
  const csv = values.out.replace(/\.jsonl$/, '') + '.csv';
  writeFileSync(csv, exportCsv(records, names));
  printSummary(records, n, k, (performance.now() - started) / 1000);
  log(`wrote ${values.out} and ${csv}`);
}

function printSummary(records: CaseRecord[], n: number, k: number, seconds: number): void {
  const s = summarize(records);
  const byCase = new Map<string, number>();
  for (const r of records) {
    const key = caseKey(r.problemId, r.caseIndex, 0);
    byCase.set(key, (byCase.get(key) ?? 0) + (r.passed ? 1 : 0));
  }
  const passK =
    byCase.size === 0 || k > n
      ? null
      : [...byCase.values()].reduce((sum, c) => sum + passAtK(n, c, k), 0) / byCase.size;
  const rows = [
    ['cases', String(s.cases)],
    ['pass', String(s.byStatus.pass)],
    ['fail', String(s.byStatus.fail)],
    ['timeout', String(s.byStatus.timeout)],
    ['error', String(s.byStatus.error)],
    ['unavailable', String(s.byStatus.unavailable)],
    ['pass rate (excl. unavailable)', `${(s.passRate * 100).toFixed(2)} %`],
    [`pass@${k} (n=${n})`, passK === null ? '—' : `${(passK * 100).toFixed(2)} %`],
    ['wall time', `${seconds.toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => (label ?? '').length));
  process.stdout.write(
    `\n${rows.map(([label, value]) => `${(label ?? '').padEnd(width)}  ${value ?? ''}`).join('\n')}\n`,
  );
}
