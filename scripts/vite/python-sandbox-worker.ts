import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Plugin, Rollup } from 'vite';

/**
 * `import source from 'virtual:python-sandbox-worker'` gives the Python worker
 * (workers/python/sandbox-worker.ts) bundled into one classic script, as a string. The
 * sandbox iframe starts it from a blob URL: its opaque origin cannot load scripts from the
 * app, and a string works the same in dev and in a build.
 */
export const PYTHON_WORKER_MODULE = 'virtual:python-sandbox-worker';
const RESOLVED = `\0${PYTHON_WORKER_MODULE}`;
const ENTRY = fileURLToPath(new URL('../../workers/python/sandbox-worker.ts', import.meta.url));

export async function bundlePythonWorker(): Promise<{ code: string; files: string[] }> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: {
        entry: ENTRY,
        formats: ['iife'],
        name: 'pythonSandboxWorker',
        fileName: 'python-worker',
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs
    .flatMap((o) => o.output)
    .find((o): o is Rollup.OutputChunk => o.type === 'chunk');
  if (!chunk) throw new Error('bundling the Python worker produced no script');
  return { code: chunk.code, files: Object.keys(chunk.modules) };
}

export function pythonSandboxWorkerPlugin(): Plugin {
  return {
    name: 'python-sandbox-worker',
    resolveId: (id) => (id === PYTHON_WORKER_MODULE ? RESOLVED : null),
    async load(id) {
      if (id !== RESOLVED) return null;
      const { code, files } = await bundlePythonWorker();
      for (const file of files)
        if (!file.startsWith('\0')) this.addWatchFile(file.split('?')[0] ?? file);
      return `export default ${JSON.stringify(code)};`;
    },
  };
}
