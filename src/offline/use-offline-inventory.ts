import { useCallback, useEffect, useState } from 'react';
import type { ModelStore } from '../models/model-store.ts';
import type { OfflineInventory } from './OfflineStatus.tsx';

/**
 * What is stored for offline use, read when asked (the header's status opens) and after
 * each model load. Placeholder until the model manager's readiness lands.
 */
export function useOfflineInventory(store: ModelStore): [OfflineInventory | null, () => void] {
  const [inventory, setInventory] = useState<OfflineInventory | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const { cachedFiles } = store;
  const status = store.state.status;
  useEffect(() => {
    let live = true;
    void cachedFiles().then(
      (files) => {
        if (live) setInventory({ models: files.length ? ['…'] : [], packages: null });
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [cachedFiles, status, version]);
  return [inventory, refresh];
}
