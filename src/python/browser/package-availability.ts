import { isAppError } from '../../shared/errors.ts';
import { benchmarkPackageFiles } from './package-lock.ts';
import { openPackageSite, pageSite } from './offline-packages.ts';
import type { PackageSite } from './offline-packages.ts';

/** Why one package cannot be had, in words for the user. */
export interface MissingPackage {
  /** As the benchmark names it: numpy, pandas, scikit-learn. */
  name: string;
  /** One per file of it (or of what it depends on) that cannot be had, naming the file. */
  reasons: string[];
}

/** Whether the packages a run needs can be had: stored, or reachable at the package index. */
export type PackageAvailability =
  /** The package list itself cannot be read: no package can be had (nor can Python start). */
  { kind: 'no-package-list'; why: string } | { kind: 'checked'; missing: MissingPackage[] };

/** A HEAD that takes longer is a package index that cannot be reached. */
const HEAD_TIMEOUT_MS = 8_000;

/**
 * Can each of `names` (and all it depends on) be installed now? A wheel counts when the
 * package store holds it, else when the index answers a HEAD for it. Costs one cache listing
 * and at most one HEAD per wheel that is not stored, none when offline: cheap enough to ask
 * before a run spends time generating programs that would only end "unavailable".
 */
export async function packageAvailability(
  names: readonly string[],
  options: { signal?: AbortSignal; online?: boolean } = {},
  site: PackageSite = pageSite(),
): Promise<PackageAvailability> {
  const online = options.online ?? navigator.onLine;
  let opened;
  try {
    opened = await openPackageSite(site);
  } catch (error) {
    return {
      kind: 'no-package-list',
      why: isAppError(error) ? error.message : String(error),
    };
  }
  const { store, lock } = opened;
  const stored = await store.stored();
  // One answer per wheel: pandas and scikit-learn share numpy's.
  const answers = new Map<string, Promise<string | null>>();
  const reason = (fileName: string): Promise<string | null> => {
    const url = store.urlOf(fileName);
    if (stored.has(url)) return Promise.resolve(null);
    let answer = answers.get(fileName);
    if (!answer) {
      answer = online
        ? reachable(url, options.signal)
        : Promise.resolve(`${fileName} is not stored, and the browser is offline`);
      answers.set(fileName, answer);
    }
    return answer;
  };
  const missing: MissingPackage[] = [];
  for (const name of names) {
    let files;
    try {
      files = benchmarkPackageFiles(lock, [name]);
    } catch (error) {
      missing.push({ name, reasons: [isAppError(error) ? error.message : String(error)] });
      continue;
    }
    const reasons = await Promise.all(files.map((f) => reason(f.fileName)));
    const why = reasons.filter((r) => r !== null);
    if (why.length > 0) missing.push({ name, reasons: why });
  }
  return { kind: 'checked', missing };
}

/** Null when the index has the file, else why it cannot be had. */
async function reachable(url: string, signal?: AbortSignal): Promise<string | null> {
  const fileName = url.slice(url.lastIndexOf('/') + 1);
  const timeout = AbortSignal.timeout(HEAD_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      mode: 'cors',
      credentials: 'omit',
      cache: 'no-store',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (response.ok) return null;
    return `the package index answers HTTP ${response.status} for ${fileName}`;
  } catch (error) {
    if (signal?.aborted) throw error;
    return timeout.aborted
      ? `the package index did not answer for ${fileName} within ${HEAD_TIMEOUT_MS / 1000} s`
      : `the package index cannot be reached for ${fileName}`;
  }
}
