import { AppError } from '../shared/errors.ts';
import type { Backend, EngineKind } from '../shared/contracts/model-worker.ts';
import type { Mode } from './protocol.ts';
import type { RunModel, RunResume } from './run-model.ts';
import type { RunDescription, RunState } from './storage/run-store.ts';

/**
 * What ran, written beside an exported samples file as `<name>.meta.json`. Not a line of the
 * JSONL: the official mtpb_exec.py reads every line of every `*.jsonl` in its folder with
 * json.loads and indexes r['input'], so a header line would break it; a `.json` file beside
 * it is never globbed.
 */
export const SIDECAR_FORMAT = 'codegen-webgpu-playground/mtpb-run';
export const SIDECAR_VERSION = 1;

export interface RunSidecar {
  format: typeof SIDECAR_FORMAT;
  version: typeof SIDECAR_VERSION;
  /** The samples file this describes. */
  samples: string;
  exportedAt: string;
  run: RunDescription;
}

/** `mtpb-x.jsonl` → `mtpb-x.meta.json`. */
export const sidecarName = (samplesFile: string): string =>
  `${samplesFile.replace(/\.jsonl$/i, '')}.meta.json`;

export const isSidecarName = (fileName: string): boolean => /\.meta\.json$/i.test(fileName);

export function writeRunSidecar(
  run: RunDescription,
  samplesFile: string,
  now = new Date(),
): string {
  const sidecar: RunSidecar = {
    format: SIDECAR_FORMAT,
    version: SIDECAR_VERSION,
    samples: samplesFile,
    exportedAt: now.toISOString(),
    run,
  };
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}

type Json = unknown;

function bad(why: string): never {
  throw new AppError('bad-input', `This is not a run metadata file: ${why}.`, {
    hint: `Pick the .meta.json file the app exported beside the samples, or import the samples alone.`,
  });
}

function field(value: Json, key: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('not an object');
  return Object.entries(value).find(([k]) => k === key)?.[1];
}

function text(value: Json, key: string): string {
  const v = field(value, key);
  return typeof v === 'string' ? v : bad(`"${key}" is not text`);
}

function textOrNull(value: Json, key: string): string | null {
  const v = field(value, key);
  return v === null || v === undefined ? null : typeof v === 'string' ? v : bad(`"${key}"`);
}

function count(value: Json, key: string): number {
  const v = field(value, key);
  return typeof v === 'number' && Number.isFinite(v) ? v : bad(`"${key}" is not a number`);
}

function list(value: Json, key: string): Json[] {
  const v = field(value, key);
  return Array.isArray(v) ? v : bad(`"${key}" is not a list`);
}

function oneOf<T extends string>(value: Json, key: string, allowed: readonly T[]): T {
  const v = text(value, key);
  return allowed.find((a) => a === v) ?? bad(`"${key}" is not one of ${allowed.join(', ')}`);
}

const BACKENDS: readonly Backend[] = ['webgpu', 'wasm'];
const ENGINES: readonly EngineKind[] = ['ort', 'wgsl'];
const MODES: readonly Mode[] = ['multi', 'single'];
const STATES: readonly RunState[] = ['running', 'paused', 'stopped', 'done', 'interrupted'];

function modelOf(value: Json): RunModel {
  return {
    id: text(value, 'id'),
    label: text(value, 'label'),
    revision: textOrNull(value, 'revision'),
    dtype: text(value, 'dtype'),
    onnxPath: text(value, 'onnxPath'),
    backend: oneOf(value, 'backend', BACKENDS),
    engine: oneOf(value, 'engine', ENGINES),
  };
}

function resumeOf(value: Json): RunResume {
  return {
    at: count(value, 'at'),
    model: modelOf(field(value, 'model')),
    differences: list(value, 'differences').map((d) =>
      typeof d === 'string' ? d : bad('a difference is not text'),
    ),
  };
}

/** Reads a `.meta.json` back; a file that is not one fails with 'bad-input'. */
export function readRunSidecar(source: string): RunDescription {
  let parsed: Json;
  try {
    parsed = JSON.parse(source);
  } catch {
    bad('it is not JSON');
  }
  if (field(parsed, 'format') !== SIDECAR_FORMAT) bad(`"format" is not ${SIDECAR_FORMAT}`);
  if (count(parsed, 'version') > SIDECAR_VERSION) bad('it was written by a newer version');
  const run = field(parsed, 'run');
  const settings = field(run, 'settings');
  const model = field(run, 'model');
  return {
    id: text(run, 'id'),
    kind: oneOf(run, 'kind', ['live', 'replay'] as const),
    createdAt: count(run, 'createdAt'),
    state: oneOf(run, 'state', STATES),
    model: model === null ? null : modelOf(model),
    settings: {
      // Written since HumanEval: absent in older files (MTPB runs).
      ...(settings !== null && typeof settings === 'object' && 'benchmark' in settings
        ? { benchmark: oneOf(settings, 'benchmark', ['mtpb', 'humaneval'] as const) }
        : {}),
      ...(settings !== null && typeof settings === 'object' && 'temperatures' in settings
        ? {
            temperatures: list(settings, 'temperatures').map((t) =>
              typeof t === 'number' && t > 0 ? t : bad('a temperature is not a positive number'),
            ),
          }
        : {}),
      ...(settings !== null && typeof settings === 'object' && 'maxNewTokens' in settings
        ? { maxNewTokens: count(settings, 'maxNewTokens') }
        : {}),
      mode: oneOf(settings, 'mode', MODES),
      seed: count(settings, 'seed'),
      n: count(settings, 'n'),
      k: count(settings, 'k'),
      temperature: count(settings, 'temperature'),
      topP: count(settings, 'topP'),
      problemIds: list(settings, 'problemIds').map((id) =>
        typeof id === 'string' ? id : bad('a problem id is not text'),
      ),
    },
    appVersion: text(run, 'appVersion'),
    resumes: list(run, 'resumes').map(resumeOf),
    datasetLabel: text(run, 'datasetLabel'),
    totalCases: count(run, 'totalCases'),
  };
}
