import { useEffect, useState } from 'react';
import type { GpuReport, SelfCheckReport } from '../shared/contracts/model-worker.ts';
import type { ModelWorkerContract } from '../shared/contracts/model-worker.ts';
import type { RpcClient } from '../shared/rpc/client.ts';
import { readEnvironment } from './environment.ts';
import type { EnvironmentReport } from './environment.ts';

type Loadable<T> =
  { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

export interface Capabilities {
  environment: Loadable<EnvironmentReport>;
  gpu: Loadable<GpuReport>;
  selfCheck: Loadable<SelfCheckReport>;
}

const SELF_CHECK_SHAPE = { m: 64, k: 96, n: 48 } as const;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Probes the page and the model worker once; each part reports on its own. */
export function useCapabilities(client: RpcClient<ModelWorkerContract>): Capabilities {
  const [environment, setEnvironment] = useState<Capabilities['environment']>({ state: 'loading' });
  const [gpu, setGpu] = useState<Capabilities['gpu']>({ state: 'loading' });
  const [selfCheck, setSelfCheck] = useState<Capabilities['selfCheck']>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    const guard =
      <T>(set: (value: Loadable<T>) => void) =>
      (promise: Promise<T>): void => {
        promise.then(
          (value) => live && set({ state: 'ready', value }),
          (error: unknown) => live && set({ state: 'error', message: describe(error) }),
        );
      };
    guard(setEnvironment)(readEnvironment());
    // The self-check runs after the probe so the two do not race for the adapter.
    const probe = client.call({ kind: 'probeGpu' });
    guard(setGpu)(probe);
    guard(setSelfCheck)(
      probe
        .catch(() => undefined)
        .then(() => client.call({ kind: 'gpuSelfCheck', ...SELF_CHECK_SHAPE })),
    );
    return () => {
      live = false;
    };
  }, [client]);

  return { environment, gpu, selfCheck };
}
