/** Files in the model cache, grouped per model so a model can be deleted as a whole. */
export interface CachedModel {
  /** Every file of the model starts with it; `deleteCached` takes it. */
  prefix: string;
  label: string;
  files: Array<{ url: string; bytes: number }>;
  bytes: number;
}

/** A model folder's URL from one of its files' URLs (hub: up to the revision). */
export function modelPrefixOf(url: string): string {
  const resolve = /^(.*?\/resolve\/[^/]+\/)/.exec(url);
  if (resolve?.[1]) return resolve[1];
  const onnx = url.lastIndexOf('/onnx/');
  if (onnx >= 0) return url.slice(0, onnx + 1);
  return url.slice(0, url.lastIndexOf('/') + 1);
}

function labelOf(prefix: string): string {
  try {
    const { pathname } = new URL(prefix);
    const hub = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/$/.exec(pathname);
    if (hub?.[1])
      return `${hub[1]}${hub[2] === 'main' ? '' : `@${decodeURIComponent(hub[2] ?? '')}`}`;
    return pathname;
  } catch {
    return prefix;
  }
}

/**
 * Groups cached files by model. `known` maps models the app knows (their URL prefix) to
 * their labels; other files are grouped by the folder their URL names.
 */
export function groupCached(
  files: ReadonlyArray<{ url: string; bytes: number }>,
  known: ReadonlyArray<{ prefix: string; label: string }>,
): CachedModel[] {
  const groups = new Map<string, CachedModel>();
  for (const file of files) {
    const match = known
      .filter((k) => file.url.startsWith(k.prefix))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
    const prefix = match?.prefix ?? modelPrefixOf(file.url);
    const group = groups.get(prefix) ?? {
      prefix,
      label: match?.label ?? labelOf(prefix),
      files: [],
      bytes: 0,
    };
    group.files.push(file);
    group.bytes += file.bytes;
    groups.set(prefix, group);
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes);
}
