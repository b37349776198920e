import type { PreparePython } from '../model-manager/offline/prepare-python.ts';
import { packagesReadiness } from './package-readiness.ts';
import type { PackagesReadiness } from './package-readiness.ts';

type Listener = () => void;
const listeners = new Set<Listener>();

// The package code (lock file, index, store) loads when first used, not to draw the page.
const packages = () => import('../python/browser/offline-packages.ts');

/** What is stored of the benchmark's Python packages now. */
export async function readPackagesReadiness(): Promise<PackagesReadiness> {
  const status = await (await packages()).pythonPackagesStatus().catch(() => null);
  return packagesReadiness(status);
}

/** Called after every attempt to store the packages, whatever it stored: read them again. */
export function onPackagesChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The Python stage of "Make available offline" on the page's package index and Cache
 * Storage; everyone showing package readiness (the header) hears when it has run.
 */
export const pagePythonPackages: PreparePython = {
  prepare: async (options) => {
    try {
      return await (await packages()).prefetchPythonPackages(options);
    } finally {
      for (const listener of listeners) listener();
    }
  },
  readiness: readPackagesReadiness,
};
