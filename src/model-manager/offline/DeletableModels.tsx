import { useCallback, useEffect, useState } from 'react';
import type { ModelEntry } from '../../engine/registry/types.ts';
import { formatBytes } from '../../shared/format.ts';
import type { CachedModel } from '../cache-groups.ts';
import type { ModelStore } from '../model-store.ts';
import { cachedModels, knownFolders } from './known-models.ts';

/** The cached models, largest first, each with Delete: what to remove to make room. */
export function DeletableModels({
  store,
  models,
}: {
  store: ModelStore;
  models: readonly ModelEntry[];
}) {
  const [groups, setGroups] = useState<CachedModel[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { cachedFiles, deleteCached, urlPrefixOf } = store;

  const list = useCallback(
    async () => cachedModels(await cachedFiles(), knownFolders(models, urlPrefixOf)),
    [cachedFiles, urlPrefixOf, models],
  );
  const show = useCallback((result: Promise<CachedModel[]>, live: () => boolean = () => true) => {
    result.then(
      (next) => {
        if (!live()) return;
        setGroups(next);
        setProblem(null);
      },
      (error: unknown) => {
        if (live()) setProblem(error instanceof Error ? error.message : String(error));
      },
    );
  }, []);

  useEffect(() => {
    let live = true;
    show(list(), () => live);
    return () => {
      live = false;
    };
  }, [list, show]);

  if (problem) return <p>Could not read the cache: {problem}</p>;
  if (!groups) return null;
  if (groups.length === 0) {
    return (
      <p>
        No model files are cached: other data of this site (Python packages, the app itself) or of
        other sites uses the space. The browser&apos;s site settings can clear it.
      </p>
    );
  }
  return (
    <ul className="cached-list" data-testid="deletable-models">
      {groups.map((group) => (
        <li key={group.prefix} data-testid="deletable-model" data-prefix={group.prefix}>
          <strong>{group.label}</strong> · {formatBytes(group.bytes)}
          <button
            type="button"
            onClick={() => show(deleteCached(group.prefix).then(list))}
            aria-label={`Delete the cached files of ${group.label}`}
          >
            Delete
          </button>
        </li>
      ))}
    </ul>
  );
}
