import { useCallback, useEffect, useMemo, useState } from 'react';
import { BUILT_IN_MODELS } from '../engine/registry/models.ts';
import type { ModelStore } from '../model-manager/model-store.ts';
import { offlineReadyModels } from '../model-manager/offline/readiness.ts';
import type { OfflineInventory } from './OfflineStatus.tsx';
import type { PackagesReadiness } from './package-readiness.ts';
import { onPackagesChanged, readPackagesReadiness } from './python-packages.ts';

/**
 * What is stored for offline use: the built-in models whose files are all in the model
 * cache (derived from the store's listing, which it keeps current), and the benchmark's
 * Python wheels, read on mount, after each attempt to store them, and whenever asked (the
 * header's status opens).
 */
export function useOfflineInventory(store: ModelStore): [OfflineInventory | null, () => void] {
  const { cachedUrls, cachedFiles, urlPrefixOf } = store;
  const [packages, setPackages] = useState<PackagesReadiness | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => {
    cachedFiles().catch(() => {}); // lists the cache again: cachedUrls follows
    setVersion((v) => v + 1);
  }, [cachedFiles]);

  useEffect(() => onPackagesChanged(() => setVersion((v) => v + 1)), []);

  useEffect(() => {
    let live = true;
    readPackagesReadiness().then(
      (next) => {
        if (live) setPackages(next);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [version]);

  const models = useMemo(
    () =>
      cachedUrls &&
      offlineReadyModels(BUILT_IN_MODELS, urlPrefixOf, cachedUrls).map(({ entry, dtype }) => ({
        label: `${entry.label} (${dtype})`,
        short: `${entry.id} ${dtype}`,
      })),
    [cachedUrls, urlPrefixOf],
  );
  const inventory = useMemo(
    () => (models && packages !== undefined ? { models, packages } : null),
    [models, packages],
  );
  return [inventory, refresh];
}
