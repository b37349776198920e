import { useCallback, useEffect, useState } from 'react';
import type { ModelEntry } from '../engine/registry/types.ts';
import { formatBytes } from '../shared/format.ts';
import type { CachedModel } from './cache-groups.ts';
import type { ModelStore } from './model-store.ts';
import { cachedModels, knownFolders } from './offline/known-models.ts';
import { offlineReadyDtypes } from './offline/readiness.ts';
import { readStorage } from './offline/storage.ts';
import { VerifyCached } from './offline/VerifyCached.tsx';

interface Listing {
  models: Array<CachedModel & { entry: ModelEntry | null }>;
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

/**
 * What the model cache holds, per model, with Delete and Verify, and which dtypes are
 * offline-ready; how much of the quota is used and whether the storage is persistent.
 */
export function CachedModels({
  store,
  models,
  open,
  onToggle,
}: {
  store: ModelStore;
  models: readonly ModelEntry[];
  open: boolean;
  onToggle: (open: boolean) => void;
}) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { cachedFiles, deleteCached, urlPrefixOf, cachedUrls } = store;
  const loadedStatus = store.state.status;

  const fetchListing = useCallback(async (): Promise<Listing> => {
    const [files, storage] = await Promise.all([cachedFiles(), readStorage()]);
    return { ...storage, models: cachedModels(files, knownFolders(models, urlPrefixOf)) };
  }, [cachedFiles, urlPrefixOf, models]);

  const show = useCallback((result: Promise<Listing>, live: () => boolean = () => true) => {
    result.then(
      (next) => {
        if (!live()) return;
        setListing(next);
        setProblem(null);
      },
      (error: unknown) => {
        if (live()) setProblem(error instanceof Error ? error.message : String(error));
      },
    );
  }, []);
  const refresh = (): void => show(fetchListing());

  // Listed when opened, and again whenever a load or a prefetch changed the cache.
  useEffect(() => {
    if (!open) return;
    let live = true;
    show(fetchListing(), () => live);
    return () => {
      live = false;
    };
  }, [open, fetchListing, show, loadedStatus, cachedUrls]);

  return (
    <details
      className="model-extra"
      open={open}
      onToggle={(e) => onToggle(e.currentTarget.open)}
      data-testid="cached-models"
    >
      <summary>Downloaded models and storage</summary>
      {problem && (
        <p className="notice error" role="alert">
          Could not read the cache: {problem}
        </p>
      )}
      {listing && (
        <>
          <p className="muted" data-testid="storage-estimate">
            This site uses{' '}
            {listing.usage === null ? 'an unknown amount' : formatBytes(listing.usage)}
            {listing.quota !== null && ` of ${formatBytes(listing.quota)} the browser allows`}.{' '}
            <span data-testid="storage-persisted" data-persisted={String(listing.persisted)}>
              {listing.persisted === true &&
                'The storage is persistent: the browser keeps it until you delete it.'}
              {listing.persisted === false &&
                'The storage is not persistent: the browser may clear it when the disk runs low.'}
            </span>
          </p>
          {listing.models.length === 0 ? (
            <p className="muted">No model files are cached yet.</p>
          ) : (
            <ul className="cached-list">
              {listing.models.map((model) => (
                <li key={model.prefix} data-testid="cached-model" data-prefix={model.prefix}>
                  <strong>{model.label}</strong> · {formatBytes(model.bytes)} in{' '}
                  {model.files.length} files
                  <OfflineReady model={model} />
                  <button
                    type="button"
                    onClick={() => {
                      show(deleteCached(model.prefix).then(fetchListing));
                    }}
                    aria-label={`Delete the cached files of ${model.label}`}
                  >
                    Delete
                  </button>
                  <VerifyCached store={store} group={model} entry={model.entry} models={models} />
                  <details>
                    <summary>Files</summary>
                    <ul className="file-progress">
                      {model.files.map((f) => (
                        <li key={f.url}>
                          <code>{f.url.slice(model.prefix.length)}</code> {formatBytes(f.bytes)}
                        </li>
                      ))}
                    </ul>
                  </details>
                </li>
              ))}
            </ul>
          )}
          <p className="muted">
            A deleted model that is loaded stays usable until the page is reloaded.
          </p>
        </>
      )}
      <button type="button" onClick={refresh}>
        Refresh
      </button>
    </details>
  );
}

/** The dtypes whose files the folder holds in full. */
function OfflineReady({ model }: { model: Listing['models'][number] }) {
  if (!model.entry) return null;
  const dtypes = offlineReadyDtypes(
    model.entry,
    model.prefix,
    new Set(model.files.map((f) => f.url)),
  );
  if (dtypes.length === 0) return null;
  return (
    <span
      className="offline-badge"
      data-testid="cached-offline-ready"
      data-dtypes={dtypes.join(' ')}
    >
      all model files stored ({dtypes.join(', ')})
    </span>
  );
}
