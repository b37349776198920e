import type { Browser } from '@playwright/test';
import { AppSession } from './app-session.ts';
import type { AppTarget } from './app-session.ts';
import { launchChromium } from './browser.ts';
import { runConfig } from './config-loop.ts';
import type { BenchSession } from './config-loop.ts';
import type { GpuReport } from '../../src/shared/contracts/model-worker.ts';
import type { PromptSource } from './prompts.ts';
import type { BenchSite } from './serve.ts';
import { TjsSession } from './tjs-session.ts';
import type { TjsTarget } from './tjs-session.ts';
import type { ConfigPlan, ConfigResult, NodeRuntime, Runtime } from './types.ts';

export type BrowserRuntime = Exclude<Runtime, NodeRuntime>;

/**
 * One browser configuration in a Chromium of its own: a configuration that hangs or
 * exhausts GPU memory is cut off by closing that browser, and the next starts clean.
 */
export async function runBrowserConfig(
  runtime: BrowserRuntime,
  site: BenchSite,
  modelId: string,
  plan: ConfigPlan,
  prompts: PromptSource,
  log: (line: string) => void,
): Promise<ConfigResult> {
  const browser = await launchChromium();
  try {
    const target = { app: site.app(modelId), tjs: site.tjs(modelId) };
    return await runConfig(plan, session(runtime, browser, target, plan, prompts, log), { log });
  } finally {
    await browser.close();
  }
}

function session(
  runtime: BrowserRuntime,
  browser: Browser,
  site: { app: AppTarget; tjs: TjsTarget },
  plan: ConfigPlan,
  prompts: PromptSource,
  log: (line: string) => void,
): BenchSession {
  const app = (
    backend: 'wasm' | 'webgpu',
    engine: 'ort' | 'wgsl',
    ortBuild: 'default' | 'asyncify',
  ) => new AppSession(browser, site.app, { backend, engine, ortBuild }, plan.dtype, prompts, log);
  switch (runtime) {
    case 'chromium-wasm':
      return app('wasm', 'ort', 'default');
    case 'chromium-webgpu':
      return app('webgpu', 'ort', 'default');
    case 'chromium-webgpu-asyncify':
      return app('webgpu', 'ort', 'asyncify');
    case 'chromium-wgsl':
      return app('webgpu', 'wgsl', 'default');
    case 'tjs-wasm':
      return new TjsSession(browser, site.tjs, 'wasm', plan.dtype, prompts, log);
    case 'tjs-webgpu':
      return new TjsSession(browser, site.tjs, 'webgpu', plan.dtype, prompts, log);
    default: {
      const unreachable: never = runtime;
      return unreachable;
    }
  }
}

/** The WebGPU adapter our model worker sees, and the browser version, for the record. */
export async function describeBrowser(
  site: BenchSite,
): Promise<{ version: string; gpu: GpuReport | { available: false; reason: string } }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/`);
    await page.waitForFunction(() => window.codegenPlayground !== undefined);
    const gpu = await page.evaluate(() =>
      window.codegenPlayground?.modelWorker.call({ kind: 'probeGpu' }),
    );
    return {
      version: browser.version(),
      gpu: gpu ?? { available: false, reason: 'no console API' },
    };
  } finally {
    await browser.close();
  }
}
