import type { ModelEntry } from '../../engine/registry/types.ts';
import { groupCached } from '../cache-groups.ts';
import type { CachedModel } from '../cache-groups.ts';

export interface KnownFolder {
  /** Where the entry's files are fetched from: its cache entries start with this. */
  prefix: string;
  label: string;
  entry: ModelEntry;
}

/** The models whose files can be in the cache (not folders picked from disk), by URL prefix. */
export function knownFolders(
  models: readonly ModelEntry[],
  urlPrefixOf: (entry: ModelEntry) => string,
): KnownFolder[] {
  return models
    .filter((m) => !m.id.startsWith('folder:'))
    .map((entry) => ({ prefix: urlPrefixOf(entry), label: entry.label, entry }));
}

/** Cached files per model, largest first, each with the registry entry when the app knows it. */
export function cachedModels(
  files: ReadonlyArray<{ url: string; bytes: number }>,
  known: readonly KnownFolder[],
): Array<CachedModel & { entry: ModelEntry | null }> {
  return groupCached(files, known).map((group) => ({
    ...group,
    entry: known.find((k) => k.prefix === group.prefix)?.entry ?? null,
  }));
}
