import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { runMeta, runModel } from './fixtures.node.ts';
import { describeRun } from './run-controller.ts';
import {
  isSidecarName,
  readRunSidecar,
  sidecarName,
  SIDECAR_FORMAT,
  writeRunSidecar,
} from './run-sidecar.ts';

const run = runMeta({
  id: 'r1',
  createdAt: Date.UTC(2026, 11, 4, 20, 0),
  state: 'done',
  model: runModel({ id: 'Xenova/codegen-350M-mono', revision: 'main', dtype: 'q4' }),
  appVersion: '0.1.0',
  resumes: [
    {
      at: Date.UTC(2026, 11, 4, 21, 0),
      model: runModel({ dtype: 'fp32' }),
      differences: ['dtype: q4 → fp32'],
    },
  ],
  settings: { ...runMeta().settings, problemIds: ['1', '2', '3'] },
  totalCases: 15,
  stats: { genTokens: 99, genMs: 1, execMs: 2 },
});

describe('run metadata beside an exported samples file', () => {
  it('is a .meta.json the official mtpb_exec.py never reads (it globs *.jsonl)', () => {
    const name = sidecarName('mtpb-tiny-multi-2026-12-04-20-00.jsonl');
    expect(name).toBe('mtpb-tiny-multi-2026-12-04-20-00.meta.json');
    expect(name.endsWith('.jsonl')).toBe(false);
    expect(isSidecarName(name)).toBe(true);
    expect(isSidecarName('samples.jsonl')).toBe(false);
  });

  it('writes what ran and reads it back unchanged', () => {
    const text = writeRunSidecar(describeRun(run), 'x.jsonl', new Date(0));
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json).toMatchObject({ format: SIDECAR_FORMAT, version: 1, samples: 'x.jsonl' });
    expect(json.run).toMatchObject({
      model: {
        id: 'Xenova/codegen-350M-mono',
        revision: 'main',
        dtype: 'q4',
        backend: 'wasm',
        engine: 'ort',
      },
      appVersion: '0.1.0',
      settings: { temperature: 0.2, topP: 0.95, seed: 16, n: 1, k: 1, mode: 'multi' },
    });
    // Progress counters are not what ran.
    expect(json.run).not.toHaveProperty('stats');
    expect(readRunSidecar(text)).toEqual(describeRun(run));
  });

  it('keeps which engine ran: the WGSL kernels as well as onnxruntime', () => {
    const onWgsl = { ...run, model: runModel({ backend: 'webgpu', engine: 'wgsl' }) };
    const text = writeRunSidecar(describeRun(onWgsl), 'x.jsonl');
    expect(readRunSidecar(text).model).toMatchObject({ backend: 'webgpu', engine: 'wgsl' });
  });

  it('refuses a file that is not one, saying so', () => {
    const cases = [
      writeRunSidecar(describeRun(run), 'x.jsonl').replace('"ort"', '"cuda-kernels"'),
      'not json',
      '{"format": "something-else", "version": 1, "run": {}}',
      JSON.stringify({ format: SIDECAR_FORMAT, version: 1, run: { id: 'x' } }),
      writeRunSidecar(describeRun(run), 'x.jsonl').replace('"wasm"', '"cuda"'),
    ];
    for (const text of cases) {
      let caught: unknown;
      try {
        readRunSidecar(text);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught, 'bad-input'), text).toBe(true);
      expect(caught instanceof Error && caught.message).toMatch(/not a run metadata file/);
    }
  });
});
