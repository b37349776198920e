import { AppError } from '../../shared/errors.ts';

/**
 * Pyodide's lock file (pyodide-lock.json): every package of the distribution, keyed by its
 * normalized name, with the wheel that holds it and what it depends on. Only the fields the
 * app reads are typed; the rest travels untouched.
 */
export interface PyodideLock {
  info: Record<string, unknown>;
  packages: Record<string, LockPackage>;
}

export interface LockPackage {
  name: string;
  version: string;
  /** Relative to the package index's base URL. */
  file_name: string;
  /** Hex SHA-256 of the file. */
  sha256: string;
  /** Lock keys of the packages it needs. */
  depends: string[];
  /** Top-level modules it provides. */
  imports: string[];
  [field: string]: unknown;
}

/** One wheel to keep for offline use. The lock gives no sizes, so none is known here. */
export interface PackageFile {
  /** The lock key, e.g. `scikit-learn`. */
  package: string;
  fileName: string;
  sha256: string;
}

/**
 * What the MTPB problems import beyond the standard library (reference-solutions/
 * expectations.ts lists the problems); scipy, joblib, pytz, … come in through `depends`.
 */
export const BENCHMARK_PACKAGES = ['numpy', 'pandas', 'scikit-learn'] as const;

export function parseLockFile(bytes: ArrayBuffer | Uint8Array | string): PyodideLock {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AppError('bad-input', 'The Pyodide lock file is not JSON.', { cause: error });
  }
  if (!isRecord(raw) || !isRecord(raw.packages)) {
    throw new AppError('bad-input', 'The Pyodide lock file has no "packages".');
  }
  const packages: Record<string, LockPackage> = {};
  for (const [key, value] of Object.entries(raw.packages)) {
    if (!isRecord(value)) continue;
    packages[key] = {
      ...value,
      name: typeof value.name === 'string' ? value.name : key,
      version: typeof value.version === 'string' ? value.version : '',
      file_name: typeof value.file_name === 'string' ? value.file_name : '',
      sha256: typeof value.sha256 === 'string' ? value.sha256 : '',
      depends: strings(value.depends),
      imports: strings(value.imports),
    };
  }
  return { info: isRecord(raw.info) ? raw.info : {}, packages };
}

/** The lock keys of `roots` and everything they depend on, sorted. */
export function packageClosure(lock: PyodideLock, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = roots.map((root) => lockKey(lock, root));
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    if (seen.has(key)) continue;
    seen.add(key);
    for (const dependency of lock.packages[key]?.depends ?? [])
      pending.push(lockKey(lock, dependency));
  }
  return [...seen].sort();
}

/** The wheels the MTPB benchmark needs offline: its packages and all they depend on. */
export function benchmarkPackageFiles(
  lock: PyodideLock,
  roots: readonly string[] = BENCHMARK_PACKAGES,
): PackageFile[] {
  return packageClosure(lock, roots).map((key) => {
    const entry = lock.packages[key];
    if (!entry?.file_name) {
      throw new AppError('bad-input', `The Pyodide lock file names no file for ${key}.`);
    }
    return { package: key, fileName: entry.file_name, sha256: entry.sha256 };
  });
}

/** A package's key in the lock: as written, else by its normalized name (PEP 503). */
function lockKey(lock: PyodideLock, name: string): string {
  if (name in lock.packages) return name;
  const normalized = name.toLowerCase().replace(/[-_.]+/g, '-');
  const key = Object.keys(lock.packages).find(
    (k) => k.toLowerCase().replace(/[-_.]+/g, '-') === normalized,
  );
  if (key === undefined) {
    throw new AppError('bad-input', `The Pyodide lock file has no package ${name}.`, {
      hint: 'The package index (?packages=) must be one of the same Pyodide version.',
    });
  }
  return key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}
