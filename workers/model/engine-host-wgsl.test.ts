// How the model worker routes loads to the WGSL engine, falls back from it and recovers from
// its lost device: the real engine on Dawn (SwiftShader here), the real tiny files.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';
import { ort } from '../../src/engine/ort-node.node.ts';
import { tinyModelDir } from '../../scripts/make-model/tiny-model.ts';
import type {
  EngineChoice,
  GpuReport,
  LoadRequest,
  ModelWorkerEvent,
} from '../../src/shared/contracts/model-worker.ts';
import { EngineHost } from './engine-host.ts';

// onnxruntime-web under Node has WASM only: for a fallback "on WebGPU" its sessions run there,
// and the device the host watches for it is a Dawn device of its own.
const ortDevice = nodeGpu()
  .then((gpu) => gpu.requestAdapter())
  .then((adapter) => {
    if (!adapter) throw new Error('Dawn found no adapter');
    return adapter.requestDevice();
  });
const ortEnv = new Proxy(ort.env, {
  get: (real, key): unknown =>
    key === 'webgpu' ? { device: ortDevice } : (Reflect.get(real, key, real) as unknown),
});
const ortOnWasm = new Proxy<Ort>(ort, {
  get: (real, key): unknown => {
    if (key === 'env') return ortEnv;
    if (key !== 'InferenceSession') return Reflect.get(real, key, real) as unknown;
    return {
      create: (model: Uint8Array, options: Parameters<Ort['InferenceSession']['create']>[1]) =>
        ort.InferenceSession.create(model, { ...options, executionProviders: ['wasm'] }),
    };
  },
});

const hardwareGpu: GpuReport = {
  available: true,
  adapter: {
    vendor: 'test',
    architecture: '',
    device: '',
    description: 'a hardware test GPU',
    isFallbackAdapter: false,
  },
  features: { shaderF16: false, subgroups: false, timestampQuery: false, all: [] },
  limits: {
    maxStorageBufferBindingSize: 1 << 30,
    maxBufferSize: 1 << 30,
    maxComputeWorkgroupStorageSize: 1 << 14,
    maxComputeInvocationsPerWorkgroup: 256,
  },
};

const ortLoads: Array<{ backend: string; fresh: boolean }> = [];
const host = new EngineHost({
  loadOrt: (backend, fresh = false) => {
    ortLoads.push({ backend, fresh });
    return Promise.resolve(ortOnWasm);
  },
  probeGpu: () => Promise.resolve(hardwareGpu),
  gpu: nodeGpu,
  caches: undefined,
});
afterAll(() => host.unload());

const tinyDir = tinyModelDir();
const files = new Map(
  [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'onnx/model.onnx',
    'onnx/model_quantized.onnx',
  ].map((path) => [path, new Blob([readFileSync(join(tinyDir, path))])]),
);
const request = (
  engine: EngineChoice,
  backend: LoadRequest['backend'] = 'webgpu',
  onnxPath = 'onnx/model.onnx',
): LoadRequest => ({
  kind: 'load',
  source: { kind: 'files', label: `tiny (${engine})`, files },
  onnxPath,
  backend,
  engine,
  cache: false,
});
let events: ModelWorkerEvent[] = [];
const context = {
  emit: (event: ModelWorkerEvent) => void events.push(event),
  signal: new AbortController().signal,
};
const phases = (): string[] => events.flatMap((e) => (e.kind === 'phase' ? [e.phase] : []));
const notices = (): string[] => events.flatMap((e) => (e.kind === 'notice' ? [e.message] : []));
const greedy = {
  kind: 'generate' as const,
  prompts: [{ text: 'def add(a, b):' }],
  params: { mode: 'greedy' as const, maxNewTokens: 6 },
};

beforeEach(() => {
  events = [];
  ortLoads.length = 0;
});

describe('EngineHost with the WGSL engine', () => {
  it('loads on the WGSL engine when it is chosen, uploading instead of creating a session', async () => {
    const info = await host.load(request('wgsl'), context);
    expect(info).toMatchObject({
      backend: 'webgpu',
      engine: 'wgsl',
      engineChoice: 'wgsl',
      engineReason: 'chosen in the Engine menu',
    });
    expect(phases()).toEqual(['download', 'upload-weights', 'warmup', 'ready']);
    const uploads = events.flatMap((e) => (e.kind === 'upload' ? [e] : []));
    expect(uploads.at(-1)?.uploaded).toBe(uploads.at(-1)?.total);
    expect(uploads.at(-1)?.total).toBeGreaterThan(0);
    const onWgsl = await host.generate(greedy, context);
    // The benchmark's diagnostic: the engine's own count of the last (decode) step.
    const stats = host.engineStats();
    expect(stats?.dispatches).toBeGreaterThan(0);
    expect(stats?.readbackBytes).toBeGreaterThan(0);
    expect(stats?.allocatedBytes).toBeGreaterThan(uploads.at(-1)?.total ?? Infinity);
    // The same greedy ids as onnxruntime on the same file.
    await host.load(request('ort'), context);
    expect(host.engineStats()).toBeNull();
    const onOrt = await host.generate(greedy, context);
    expect(onWgsl.rows[0]?.ids).toEqual(onOrt.rows[0]?.ids);
    expect(onWgsl.rows[0]?.ids).toHaveLength(6);
  });

  it('Auto tries the WGSL engine on WebGPU', async () => {
    const info = await host.load(request('auto'), context);
    expect(info).toMatchObject({
      engine: 'wgsl',
      engineChoice: 'auto',
      engineReason: 'on WebGPU the WGSL kernels run the files they can map',
    });
  });

  it('Auto falls back to onnxruntime when the WGSL engine cannot map the file, and says so', async () => {
    const info = await host.load(request('auto', 'webgpu', 'onnx/model_quantized.onnx'), context);
    expect(info).toMatchObject({
      backend: 'webgpu',
      engine: 'ort',
      engineChoice: 'auto',
      engineReason: expect.stringMatching(
        /^the WGSL kernels cannot run this file: .*8-bit/,
      ) as string,
    });
    expect(phases()).toEqual(['download', 'upload-weights', 'create-session', 'warmup', 'ready']);
    expect(notices()).toEqual([
      expect.stringMatching(
        /^Loading with onnxruntime-web: the WGSL kernels cannot run onnx\/model_quantized\.onnx \(.*8-bit/,
      ) as string,
    ]);
    expect((await host.generate(greedy, context)).rows[0]?.ids).toHaveLength(6);
  });

  it('does not fall back from an explicit WGSL choice', async () => {
    await host.load(request('ort'), context);
    await expect(
      host.load(request('wgsl', 'webgpu', 'onnx/model_quantized.onnx'), context),
    ).rejects.toMatchObject({ code: 'bad-model' });
    // The model loaded before is still the one served.
    expect((await host.generate(greedy, context)).rows[0]?.ids).toHaveLength(6);
  });

  it('refuses the WGSL engine on WASM before downloading anything', async () => {
    await expect(host.load(request('wgsl', 'wasm'), context)).rejects.toMatchObject({
      code: 'bad-input',
      message: 'The WGSL engine runs on WebGPU only, and this load runs on WASM.',
    });
    expect(events.filter((e) => e.kind === 'file')).toEqual([]);
  });

  it('a lost WGSL device reloads the model on the next request; loseDevice destroys it', async () => {
    await host.load(request('wgsl'), context);
    const before = await host.generate(greedy, context);
    expect(await host.loseDevice()).toEqual({ lost: true });
    events = [];
    const after = await host.generate(greedy, context);
    expect(notices()).toContain('The GPU device was lost; reloading the model on a new device.');
    expect(after.rows[0]?.ids).toEqual(before.rows[0]?.ids);
    expect(phases().filter((p) => p === 'upload-weights')).toHaveLength(1);
    // onnxruntime's device was not the lost one: no fresh onnxruntime instance.
    expect(ortLoads.filter((load) => load.fresh)).toEqual([]);
  });

  it('a logits budget is onnxruntime’s alone', async () => {
    await host.load(request('wgsl'), context);
    await expect(host.batchLogits([[1, 2, 3]], context, 1024)).rejects.toMatchObject({
      code: 'bad-input',
    });
    const { vocab } = await host.batchLogits([[1, 2, 3]], context);
    expect(vocab).toBeGreaterThan(0);
  });
});
