import { resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type {} from '../../src/app/console-api.ts';
import { onnxPath } from '../../src/engine/registry/index.ts';
import type { Dtype } from '../../src/engine/registry/index.ts';
import type { GenerateFn } from '../../src/mtpb/model-generator.ts';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { EngineHost } from '../../workers/model/engine-host.ts';
import { openModel } from '../cli/open-model.ts';
import { launchChromium, openPage } from './browser.ts';
import { serveBench } from './serve.ts';
import type { BenchSite } from './serve.ts';

/** Where the MTPB benchmark's generation runs; Python always runs in Node's Pyodide. */
export type MtpbRuntime = 'node' | 'chromium';

export interface MtpbEngine {
  generate: GenerateFn;
  label: string;
  close: () => Promise<void>;
}

/**
 * The model worker's `generate`: in process under Node (EngineHost, as `npm run mtpb` runs
 * it), or the built app's own model worker in headless Chromium. `engine` 'ort' runs
 * onnxruntime-web on WASM; 'wgsl' the WGSL kernels on WebGPU (Dawn or Chromium's adapter).
 */
export async function openMtpbEngine(
  runtime: MtpbRuntime,
  root: string,
  model: string,
  dtype: Dtype,
  log: (line: string) => void,
  engine: 'ort' | 'wgsl' = 'ort',
): Promise<MtpbEngine> {
  const kernels = engine === 'wgsl' ? 'WGSL kernels on WebGPU' : 'onnxruntime-web WASM';
  if (runtime === 'node') {
    const loaded = await openModel(model, dtype, { engine });
    const host = new EngineHost({
      loadOrt: () => Promise.reject(new Error('unused: the session adopts an open model')),
      probeGpu: () => Promise.resolve({ available: false, reason: 'Node has no WebGPU' }),
      gpu: nodeGpu,
      caches: undefined,
    });
    host.adopt(loaded);
    return {
      generate: (request, signal, onEvent) => host.generate(request, { emit: onEvent, signal }),
      label: `Node · ${kernels}`,
      close: () => loaded.lm.release(),
    };
  }
  const site = await serveBench(root, { bench: resolve(root, model) }, log);
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await loadInPage(browser, site, onnxPath('model', dtype), engine, log);
    const version = browser.version();
    const opened = browser;
    return {
      generate: (request) =>
        page.evaluate((request) => {
          const api = window.codegenPlayground;
          if (!api) throw new Error('the console API is missing');
          return api.modelWorker.call(request);
        }, request),
      label: `Chromium ${version} · ${kernels} (the app's model worker)`,
      close: async () => {
        await opened.close();
        await site.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await site.close();
    throw error;
  }
}

async function loadInPage(
  browser: Browser,
  site: BenchSite,
  path: string,
  engine: 'ort' | 'wgsl',
  log: (line: string) => void,
): Promise<Page> {
  const target = site.app('bench');
  const page = await openPage(browser, `${target.origin}/`, log);
  await page.waitForFunction(() => window.codegenPlayground !== undefined);
  // The app loads its tiny model by itself; let that finish so two loads never overlap.
  await page.getByTestId('model-ready').waitFor({ timeout: 120_000 });
  await page.evaluate(
    async ({ modelUrl, path, engine }) => {
      const api = window.codegenPlayground;
      if (!api) throw new Error('the console API is missing');
      await api.modelWorker.call({
        kind: 'load',
        source: { kind: 'url', label: 'bench', baseUrl: modelUrl },
        onnxPath: path,
        backend: engine === 'wgsl' ? 'webgpu' : 'wasm',
        engine,
        cache: false,
      });
    },
    { modelUrl: target.modelUrl, path, engine },
  );
  return page;
}
