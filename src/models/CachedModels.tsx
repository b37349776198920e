import { useCallback, useEffect, useState } from 'react';
import type { ModelEntry } from '../engine/registry/types.ts';
import { formatBytes } from '../shared/format.ts';
import { groupCached } from './cache-groups.ts';
import type { CachedModel } from './cache-groups.ts';
import type { ModelStore } from './model-store.ts';

interface Listing {
  models: CachedModel[];
  usage: number | null;
  quota: number | null;
}

/** What the model cache holds, per model, with Delete; and how much of the quota is used. */
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
  const { cachedFiles, deleteCached, urlPrefixOf } = store;
  const loadedStatus = store.state.status;

  const fetchListing = useCallback(async (): Promise<Listing> => {
    const [files, estimate] = await Promise.all([
      cachedFiles(),
      navigator.storage?.estimate?.() ?? Promise.resolve<StorageEstimate>({}),
    ]);
    const known = models
      .filter((m) => !m.id.startsWith('folder:'))
      .map((m) => ({ prefix: urlPrefixOf(m), label: m.label }));
    return {
      models: groupCached(files, known),
      usage: estimate.usage ?? null,
      quota: estimate.quota ?? null,
    };
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

  // Listed when opened, and again whenever a load finishes (it may have added files).
  useEffect(() => {
    if (!open) return;
    let live = true;
    show(fetchListing(), () => live);
    return () => {
      live = false;
    };
  }, [open, fetchListing, show, loadedStatus]);

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
            {listing.quota !== null && ` of ${formatBytes(listing.quota)} the browser allows`}.
          </p>
          {listing.models.length === 0 ? (
            <p className="muted">No model files are cached yet.</p>
          ) : (
            <ul className="cached-list">
              {listing.models.map((model) => (
                <li key={model.prefix} data-testid="cached-model" data-prefix={model.prefix}>
                  <strong>{model.label}</strong> · {formatBytes(model.bytes)} in{' '}
                  {model.files.length} files
                  <button
                    type="button"
                    onClick={() => {
                      show(deleteCached(model.prefix).then(fetchListing));
                    }}
                    aria-label={`Delete the cached files of ${model.label}`}
                  >
                    Delete
                  </button>
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
