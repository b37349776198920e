import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { CaseExecutor } from './runner.ts';
import type { CaseRecord, CaseStatus, ExecResult } from './records.ts';
import type { RunModel } from './run-model.ts';
import type { RunMeta } from './storage/run-store.ts';

/**
 * What the benchmark's unit tests share: records, runs and executors built in one place (so a
 * field added to CaseRecord or RunMeta is added once), and CPython as the ground truth.
 */

/** Asks python3 (scripts/fixtures/mtpb_reference.py) for ground truth. */
export function askPython<T>(request: object): T {
  const out = execFileSync(
    'python3',
    [resolve(process.cwd(), 'scripts', 'fixtures', 'mtpb_reference.py')],
    { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out) as T;
}

/** What an executor gives for `status`, with nothing printed. */
export function execResult(status: CaseStatus, overrides: Partial<ExecResult> = {}): ExecResult {
  return {
    status,
    passed: status === 'pass',
    printed: null,
    stdout: '',
    error: null,
    detail: status,
    execMs: 1,
    ...overrides,
  };
}

/** One finished sample of a test case, with empty turns and program. */
export function caseRecord(
  problemId: string,
  caseIndex: number,
  sample: number,
  status: CaseStatus,
  overrides: Partial<CaseRecord> = {},
): CaseRecord {
  return {
    ...execResult(status),
    problemId,
    caseIndex,
    sample,
    mode: 'multi',
    input: { t: 'dict', v: [] },
    goldOutput: { t: 'none' },
    turns: [],
    program: '',
    promptsCompletions: [],
    contextOverflow: false,
    genTokens: 0,
    ...overrides,
  };
}

/** The embedded tiny model as the worker reports it loaded (fp32 on WASM). */
export function runModel(overrides: Partial<RunModel> = {}): RunModel {
  return {
    id: 'tiny',
    label: 'Tiny CodeGen (random weights)',
    revision: null,
    dtype: 'fp32',
    onnxPath: 'onnx/model.onnx',
    backend: 'wasm',
    engine: 'ort',
    ...overrides,
  };
}

/** A stored live run of the paper's settings over `problemIds`. */
export function runMeta(overrides: Partial<RunMeta> = {}): RunMeta {
  return {
    id: 'r',
    kind: 'live',
    createdAt: 0,
    updatedAt: 0,
    state: 'stopped',
    model: null,
    appVersion: '0.1.0',
    resumes: [],
    source: null,
    settings: {
      mode: 'multi',
      seed: 16,
      n: 1,
      k: 1,
      temperature: 0.2,
      topP: 0.95,
      problemIds: [],
    },
    datasetLabel: 'mtpb.jsonl',
    stats: { genTokens: 0, genMs: 0, execMs: 0 },
    totalCases: 0,
    ...overrides,
  };
}

/** An executor that judges every program `status` (and remembers what it ran). */
export function fixedExecutor(
  status: CaseStatus,
  onRun: (program: string) => void = () => {},
): CaseExecutor {
  return {
    run: (program) => {
      onRun(program);
      return Promise.resolve(execResult(status, { detail: status === 'fail' ? 'failed' : status }));
    },
    endProblem: () => {},
  };
}
