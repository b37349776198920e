import { join } from 'node:path';
import { build } from 'vite';
import { launchChromium, openPage } from './browser.ts';
import type { PrefillJob, PrefillMeasurement } from './prefill-memory-types.ts';
import { startStaticServer } from '../serve/static-server.ts';

export interface PrefillSite {
  origin: string;
  modelUrl: (id: string) => string;
  close: () => Promise<void>;
}

/**
 * Builds the benchmark page (prefill-memory-page/) into .cache/bench/prefill-page and serves
 * it with onnxruntime-web's dist and the model folders from one loopback origin.
 */
export async function servePrefillPage(
  root: string,
  models: Record<string, string>, // id → folder
  log: (line: string) => void,
): Promise<PrefillSite> {
  const outDir = join(root, '.cache', 'bench', 'prefill-page');
  log(`building the prefill page into ${outDir}`);
  await build({
    configFile: false,
    root: join(root, 'scripts', 'bench', 'prefill-memory-page'),
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  const port = Number(process.env.E2E_STATIC_PORT ?? 0);
  const server = await startStaticServer(
    {
      '/': outDir,
      '/ort/': join(root, 'node_modules', 'onnxruntime-web', 'dist'),
      ...Object.fromEntries(
        Object.entries(models).map(([id, dir]) => [`/models/${id}/`, dir] as const),
      ),
    },
    { headers: 'isolated', port },
  );
  return {
    origin: server.origin,
    modelUrl: (id) => `${server.origin}/models/${id}/`,
    close: server.close,
  };
}

/**
 * One configuration in a Chromium of its own (WebGPU on; SwiftShader without a GPU): a
 * configuration that hangs or exhausts memory is cut off by closing that browser.
 */
export async function runPrefillInChromium(
  site: PrefillSite,
  modelId: string,
  job: PrefillJob,
  capMs: number,
  log: (line: string) => void,
): Promise<PrefillMeasurement | { status: 'timeout' | 'crash'; message: string }> {
  const browser = await launchChromium();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const page = await openPage(browser, `${site.origin}/`, log);
    await page.waitForFunction(() => window.prefillBench !== undefined);
    const timeout = new Promise<{ status: 'timeout'; message: string }>((resolve) => {
      timer = setTimeout(
        () => resolve({ status: 'timeout', message: `stopped after ${capMs / 1000} s` }),
        capMs,
      );
    });
    const measured = page
      .evaluate(
        ({ job, modelUrl }) => {
          const bench = window.prefillBench;
          if (!bench) throw new Error('the page has no prefillBench');
          return bench(job, modelUrl);
        },
        { job, modelUrl: site.modelUrl(modelId) },
      )
      .catch((error: unknown) => ({
        status: 'crash' as const,
        message: (error instanceof Error ? error.message : String(error)).slice(0, 400),
      }));
    return await Promise.race([measured, timeout]);
  } finally {
    clearTimeout(timer);
    await browser.close();
  }
}
