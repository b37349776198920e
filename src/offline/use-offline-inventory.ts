import { useCallback, useEffect, useState } from 'react';
import { BUILT_IN_MODELS } from '../engine/registry/models.ts';
import type { ModelStore } from '../models/model-store.ts';
import { offlineReadyModels } from '../models/offline/readiness.ts';
import type { OfflineInventory } from './OfflineStatus.tsx';

/**
 * What is stored for offline use: the built-in models whose files are all cached, and the
 * benchmark's Python wheels. Read on mount, after each model load, and whenever asked.
 */
export function useOfflineInventory(store: ModelStore): [OfflineInventory | null, () => void] {
  const [inventory, setInventory] = useState<OfflineInventory | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const { cachedFiles, urlPrefixOf } = store;
  const status = store.state.status;
  useEffect(() => {
    let live = true;
    const models = cachedFiles().then((files) =>
      offlineReadyModels(BUILT_IN_MODELS, urlPrefixOf, new Set(files.map((f) => f.url))).map(
        ({ entry, dtype }) => `${entry.label} (${dtype})`,
      ),
    );
    // Loaded on demand: the package index code is not needed to draw the page.
    const packages = import('../python/browser/offline-packages.ts')
      .then(({ pythonPackagesStatus }) => pythonPackagesStatus())
      .then(
        (s) => ({ cached: s.cached.length, needed: s.needed.length }),
        () => null, // no package list reachable (offline before it was ever stored)
      );
    void Promise.all([models, packages]).then(
      ([readyModels, readyPackages]) => {
        if (live) setInventory({ models: readyModels, packages: readyPackages });
      },
      () => {
        if (live) setInventory({ models: [], packages: null });
      },
    );
    return () => {
      live = false;
    };
  }, [cachedFiles, urlPrefixOf, status, version]);
  return [inventory, refresh];
}
