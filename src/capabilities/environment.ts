/** Facts about the page's environment that need no worker. */
export interface EnvironmentReport {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  hardwareConcurrency: number;
  pageWebGpu: boolean;
  storage:
    | { available: true; quota: number; usage: number; persisted: boolean }
    | { available: false; reason: string };
}

export async function readEnvironment(): Promise<EnvironmentReport> {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hardwareConcurrency: navigator.hardwareConcurrency,
    pageWebGpu: 'gpu' in navigator,
    storage: await readStorage(),
  };
}

async function readStorage(): Promise<EnvironmentReport['storage']> {
  if (!('storage' in navigator) || typeof navigator.storage.estimate !== 'function') {
    return { available: false, reason: 'This browser has no Storage API (private window?).' };
  }
  try {
    const [estimate, persisted] = await Promise.all([
      navigator.storage.estimate(),
      navigator.storage.persisted(),
    ]);
    return {
      available: true,
      quota: estimate.quota ?? 0,
      usage: estimate.usage ?? 0,
      persisted,
    };
  } catch (error) {
    return {
      available: false,
      reason: `The browser refused to report storage: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
