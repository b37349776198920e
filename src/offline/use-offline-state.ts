import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ServiceWorkerClient, ServiceWorkerState } from './service-worker.ts';

/** navigator.onLine, kept current. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (changed) => {
      addEventListener('online', changed);
      addEventListener('offline', changed);
      return () => {
        removeEventListener('online', changed);
        removeEventListener('offline', changed);
      };
    },
    () => navigator.onLine,
  );
}

export function useServiceWorker(client: ServiceWorkerClient): ServiceWorkerState {
  const state = useSyncExternalStore(
    (changed) => client.subscribe(changed),
    () => client.current,
  );
  useEffect(() => client.start(), [client]);
  return state;
}

export interface StorageState {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

/** Usage, quota and persistence, read again whenever `version` changes. */
export function useStorageState(version: unknown): StorageState | null {
  const [state, setState] = useState<StorageState | null>(null);
  useEffect(() => {
    let live = true;
    const storage = navigator.storage as StorageManager | undefined;
    void Promise.all([
      storage?.estimate?.() ?? Promise.resolve<StorageEstimate>({}),
      storage?.persisted?.() ?? Promise.resolve(null),
    ]).then(
      ([estimate, persisted]) => {
        if (live)
          setState({
            usage: estimate.usage ?? null,
            quota: estimate.quota ?? null,
            persisted,
          });
      },
      () => {
        if (live) setState({ usage: null, quota: null, persisted: null });
      },
    );
    return () => {
      live = false;
    };
  }, [version]);
  return state;
}
