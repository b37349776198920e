import { AppError } from '../../shared/errors.ts';
import { availableDtypes } from './dtypes.ts';
import type { Dtype, FileSize, ModelEntry } from './types.ts';

export const DEFAULT_HUB_BASE_URL = 'https://huggingface.co';

export interface UrlOptions {
  /** Replaces https://huggingface.co, e.g. with a local server in tests. */
  hubBaseUrl?: string;
  /** Prefix for local folders when the app is not served from '/'; default '/'. */
  appBaseUrl?: string;
}

/**
 * The URL of one file of a model: `{hub}/{repo}/resolve/{revision}/{path}` for hub entries
 * (the revision is URL-encoded, so refs/pr/4 works), or a same-origin path for local ones.
 */
export function fileUrl(entry: ModelEntry, path: string, options: UrlOptions = {}): string {
  const segments = path.split('/');
  if (
    path.length === 0 ||
    path.startsWith('/') ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new AppError('bad-input', `"${path}" is not a relative file path inside a model folder.`);
  }
  const encodedPath = segments.map(encodeURIComponent).join('/');
  const source = entry.source;
  if (source.kind === 'hub') {
    const base = (options.hubBaseUrl ?? DEFAULT_HUB_BASE_URL).replace(/\/+$/, '');
    return `${base}/${source.repo}/resolve/${encodeURIComponent(source.revision)}/${encodedPath}`;
  }
  const appBase = (options.appBaseUrl ?? '/').replace(/\/+$/, '');
  const folder = source.basePath.replace(/^\/+/, '').replace(/\/+$/, '');
  return `${appBase}/${folder}/${encodedPath}`;
}

export type FileRole = 'config' | 'tokenizer' | 'tokenizer-config' | 'weights';

export interface RequiredFile {
  path: string;
  role: FileRole;
  /** Known for weights of built-in models; the small JSON files are not worth tracking. */
  size: FileSize;
}

/** Everything to fetch before generating with `dtype`, weights last (they take longest). */
export function requiredFiles(entry: ModelEntry, dtype: Dtype): RequiredFile[] {
  const variant = entry.dtypes[dtype];
  if (variant === undefined) {
    throw new AppError('bad-input', `${entry.label} has no ${dtype} weights.`, {
      hint: `Pick one of: ${availableDtypes(entry).join(', ')}.`,
    });
  }
  const unknown = { sizeUnknown: true } as const;
  return [
    { path: 'config.json', role: 'config', size: unknown },
    { path: 'tokenizer.json', role: 'tokenizer', size: unknown },
    { path: 'tokenizer_config.json', role: 'tokenizer-config', size: unknown },
    { path: variant.file.path, role: 'weights', size: sizeOf(variant.file) },
  ];
}

function sizeOf(size: FileSize): FileSize {
  if ('bytes' in size) return { bytes: size.bytes };
  if ('approxBytes' in size) return { approxBytes: size.approxBytes };
  return { sizeUnknown: true };
}

/** A FileSize as a number for progress bars and quota checks; undefined when unknown. */
export function expectedBytes(size: FileSize): { bytes: number; exact: boolean } | undefined {
  if ('bytes' in size) return { bytes: size.bytes, exact: true };
  if ('approxBytes' in size) return { bytes: size.approxBytes, exact: false };
  return undefined;
}
