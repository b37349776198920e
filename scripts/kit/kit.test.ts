// The GPU kit, built and run end to end here, on SwiftShader (the tiny preset, short
// workloads, no PyTorch): a kit that does not build, unpack or run is found here rather than
// in a GPU session's 15 minutes. The full 350M run is `npm run kit:device && .kit/run.sh`.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigResult, Measurement } from '../bench/types.ts';
import { buildKit, KIT_LIMIT_BYTES } from './build.ts';
import type { CheckResult } from './check.ts';
import type { EnginesRun, TorchRun } from './report.ts';

const root = mkdtempSync(join(tmpdir(), 'gpu-kit-'));
const kit = join(root, 'kit');
const out = join(root, 'out');
let run: { status: number | null; log: string };

beforeAll(async () => {
  await buildKit(kit);
  const result = spawnSync(join(kit, 'run.sh'), {
    env: {
      ...process.env,
      OUT: out,
      KIT_WORK: join(root, 'work'),
      KIT_PRESET: 'tiny',
      KIT_CONTEXTS: '0,64',
      KIT_PREFILL: '64',
      KIT_STEPS: '4',
      KIT_CAP_S: '420',
    },
    encoding: 'utf8',
    timeout: 480_000,
  });
  run = { status: result.status, log: `${result.stdout}${result.stderr}` };
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function json<T>(file: string): T {
  return JSON.parse(readFileSync(join(out, file), 'utf8')) as T;
}

function points(config: ConfigResult | undefined): Measurement[] {
  return (config?.runs ?? []).flatMap((r) =>
    r.status === 'ok' && r.purpose === 'context' ? [r] : [],
  );
}

describe('the GPU kit, run here on SwiftShader', () => {
  it('fits the device call: under 60 MiB, binaries compressed, no weights', () => {
    const manifest = JSON.parse(readFileSync(join(kit, 'MANIFEST.json'), 'utf8')) as {
      bytes: number;
      files: Array<{ path: string; bytes: number; sha256: string }>;
    };
    expect(manifest.bytes).toBeLessThan(KIT_LIMIT_BYTES);
    const paths = manifest.files.map((f) => f.path);
    for (const path of [
      'run.sh',
      'kit.mjs',
      'torch_ceiling.py',
      'node.xz',
      'node_modules/webgpu/dist/linux-x64/dawn.node.xz',
      'node_modules/onnxruntime-web/dist/ort.all.min.mjs',
      'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.wasm.xz',
      'models/350M/spec.json',
      'models/350M/tokenizer.json',
    ])
      expect(paths).toContain(path);
    expect(paths.some((p) => /^vulkan\/libvulkan1_.*\.deb$/.test(p))).toBe(true);
    expect(paths.filter((p) => /\.(onnx|safetensors)$/.test(p))).toEqual([]);
    expect(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
  });

  it('runs end to end and writes what the device call brings back', () => {
    expect(run.status, run.log.slice(-3000)).toBe(0);
    // At most 8 files come back from a device call.
    expect(readdirSync(out).sort()).toEqual([
      'MANIFEST.json',
      'check.json',
      'engines.json',
      'kit.json',
      'kit.md',
      'run.log',
      'torch.json',
    ]);
  });

  it('measures the WGSL engine at every point and onnxruntime-web’s JSEP build beside it', () => {
    const engines = json<EnginesRun>('engines.json');
    expect('adapter' in engines.probe && engines.probe.adapter.vendor).toMatch(/google/i);
    const config = (runtime: string, dtype: string): ConfigResult | undefined =>
      engines.configs.find((c) => c.runtime === runtime && c.dtype === dtype);
    for (const dtype of ['q4f16', 'q4', 'fp16']) {
      const wgsl = points(config('node-wgsl', dtype));
      expect(wgsl.map((p) => `${p.batch}/${p.promptTokens}`)).toEqual([
        '1/1',
        '1/64',
        '5/1',
        '5/64',
      ]);
      for (const p of wgsl) {
        expect(p.decodeSteps).toBeGreaterThan(0);
        expect(p.medianStepMs).toBeGreaterThan(0);
        // Counted twice, by the WebGPU wrappers and by the engine: the same dispatches.
        const [wrapped, engine] = ['wrapped', 'engine'].map((s) =>
          p.gpu?.find((g) => g.source === s),
        );
        expect(wrapped?.dispatches).toBeGreaterThan(0);
        expect(wrapped?.dispatches).toBe(engine?.dispatches);
      }
    }
    const ort = points(config('node-ort-webgpu', 'q4'));
    expect(ort.length).toBeGreaterThan(0);
    const ortStep = ort[0]!.gpu?.find((g) => g.source === 'wrapped');
    expect(ortStep?.dispatches).toBeGreaterThan(0);
    // SwiftShader has no shader-f16: onnxruntime-web's fp16 and q4f16 are skipped, saying why.
    for (const dtype of ['fp16', 'q4f16'])
      expect(config('node-ort-webgpu', dtype)?.load).toMatchObject({
        status: 'skipped',
        message: expect.stringMatching(/shader-f16/) as unknown,
      });
  });

  it('finds both engines computing the same logits on this GPU', () => {
    const checks = json<CheckResult[]>('check.json');
    const q4 = checks.find((c) => c.dtype === 'q4');
    expect(q4).toMatchObject({ status: 'ok', agree: true, compared: 8, sameArgmax: 8 });
    expect(Math.max(...q4!.errors)).toBeLessThan(q4!.tolerance);
  });

  it('skips PyTorch where there is none, and reports the bound and the tables', () => {
    expect(json<TorchRun>('torch.json')).toMatchObject({ status: 'skipped' });
    const report = json<{ bound: Array<{ dtype: string; ms: number; stepBytes: number }> }>(
      'kit.json',
    );
    expect(report.bound.length).toBe(3 * 2 * 2); // dtypes × batches × contexts
    expect(report.bound.every((b) => b.ms > 0 && b.stepBytes > 0)).toBe(true);
    const markdown = readFileSync(join(out, 'kit.md'), 'utf8');
    expect(markdown).toContain('### Decode, ms per step (median of the timed steps: 4 a point');
    expect(markdown).toContain(
      '| batch | context | WGSL q4f16 | WGSL q4 | WGSL fp16 | ORT-web q4f16 | ORT-web q4 | ORT-web fp16 | bound q4f16 | bound q4 | bound fp16 |',
    );
    expect(markdown).toContain('### Logits: WGSL engine against onnxruntime-web');
  });
});
