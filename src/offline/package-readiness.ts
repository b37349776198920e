import { NEEDS_PACKAGES } from '../mtpb/reference-solutions/expectations.ts';
import type { PythonPackagesStatus } from '../python/browser/offline-packages.ts';

/**
 * Whether the Python packages the benchmark needs (numpy, pandas, scikit-learn and their
 * dependencies) are stored for offline use: all, some (and then which packages cannot be
 * imported offline, so which MTPB problems will be "unavailable"), none, or unknown.
 */
export type PackagesReadiness =
  /** The package list could not be read (never stored, and no network). */
  | { kind: 'unknown' }
  | { kind: 'ready'; needed: number }
  | {
      kind: 'partial' | 'none';
      stored: number;
      needed: number;
      /** Wheel files not stored. */
      missingFiles: string[];
      /** Benchmark packages that cannot be imported offline (a file of theirs is missing). */
      unusable: string[];
      /** MTPB problems that need one of those, by id. */
      problems: string[];
    };

export function packagesReadiness(status: PythonPackagesStatus | null): PackagesReadiness {
  if (!status) return { kind: 'unknown' };
  const needed = status.needed.length;
  if (status.missing.length === 0) return { kind: 'ready', needed };
  const unusable = status.packages.filter((p) => p.missing.length > 0).map((p) => p.name);
  return {
    kind: status.cached.length === 0 ? 'none' : 'partial',
    stored: status.cached.length,
    needed,
    missingFiles: status.missing,
    unusable,
    problems: problemsNeeding(unusable),
  };
}

/** The MTPB problems whose programs need one of `packages`, in id order. */
export function problemsNeeding(packages: readonly string[]): string[] {
  return Object.entries(NEEDS_PACKAGES)
    .filter(([, needs]) => needs.some((name) => packages.includes(name)))
    .map(([id]) => id)
    .sort((a, b) => Number(a) - Number(b));
}

/** A few words for a status line: "9 of 9 stored", "3 of 9 stored", "none stored". */
export function packagesShort(readiness: PackagesReadiness): string {
  switch (readiness.kind) {
    case 'unknown':
      return 'not known';
    case 'ready':
      return `ready offline (${readiness.needed} of ${readiness.needed} stored)`;
    case 'partial':
    case 'none':
      return `${readiness.stored} of ${readiness.needed} stored`;
  }
}

/** What it means, in full: what is missing and which problems will be "unavailable" offline. */
export function packagesDetail(readiness: PackagesReadiness): string {
  switch (readiness.kind) {
    case 'unknown':
      return 'Unknown: the package list could not be read (it is stored with the packages). Offline, MTPB problems that need numpy, pandas or scikit-learn will be “unavailable”.';
    case 'ready':
      return `${readiness.needed} of ${readiness.needed} wheels the benchmark needs (numpy, pandas, scikit-learn and their dependencies) are stored: every MTPB problem can run offline.`;
    case 'partial':
    case 'none':
      return `${readiness.stored} of ${readiness.needed} wheels the benchmark needs are stored — ${readiness.unusable.join(', ')} ${readiness.unusable.length === 1 ? 'is' : 'are'} missing: offline, MTPB problems ${readiness.problems.join(', ')} will be “unavailable”. Not stored: ${readiness.missingFiles.join(', ')}.`;
  }
}
