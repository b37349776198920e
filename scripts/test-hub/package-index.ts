// A Pyodide package index for tests, served by the test hub (server.ts) under /pyodide-index/:
//   GET /pyodide-index/pyodide-lock.json  Pyodide's real lock file, except that every package
//                                         the MTPB benchmark needs (numpy, pandas,
//                                         scikit-learn and all they depend on) names a wheel
//                                         generated here, with its SHA-256
//   GET /pyodide-index/{file_name}        those wheels, e.g. numpy-2.4.6+standin-py3-none-any.whl
// Every other package keeps its real file name, which this index does not serve (404).
//
// THE WHEELS ARE STAND-INS, NOT NUMPY. Pyodide's real wheels cannot be had here (no CDN), so
// each package keeps its real name, version, imports and depends, but its wheel is a tiny
// pure-Python one: a module per import name that imports its dependencies' modules and sets
// `STAND_IN = True` and `__version__` (numpy's also has the bare types the sandbox's checker
// binds when numpy is present, src/python/core/harness.py). That proves the package path offline (lock file →
// the app's package store and Cache Storage → the sandbox → Pyodide's installer → import);
// a program that calls numpy gets an AttributeError.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { benchmarkPackageFiles, parseLockFile } from '../../src/python/browser/package-lock.ts';
import type { LockPackage, PyodideLock } from '../../src/python/browser/package-lock.ts';

export const PACKAGE_INDEX_PATH = '/pyodide-index/';
export const LOCK_FILE = 'pyodide-lock.json';

export interface StandInIndex {
  /** The lock file the index serves. */
  lock: PyodideLock;
  /** Lock keys of the packages whose wheel is a stand-in. */
  standIns: string[];
  /** What the index serves, by file name: the lock file and the stand-in wheels. */
  files: ReadonlyMap<string, Uint8Array>;
}

/** numpy's types that harness.py binds as soon as numpy is importable, as empty classes. */
const NUMPY_TYPES = [
  'class generic: pass',
  'class ndarray: pass',
  ...['bool_', 'uint8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64'].map(
    (name) => `class ${name}(generic): pass`,
  ),
];

const REAL_LOCK = new URL('../../node_modules/pyodide/pyodide-lock.json', import.meta.url);
// A fixed time in the zip entries, so the same lock gives the same wheels (and hashes).
const MTIME = new Date(2024, 0, 1);

export function readRealLock(): PyodideLock {
  return parseLockFile(readFileSync(REAL_LOCK, 'utf8'));
}

export function buildStandInIndex(real: PyodideLock = readRealLock()): StandInIndex {
  const standIns = benchmarkPackageFiles(real).map((f) => f.package);
  const packages = { ...real.packages };
  const files = new Map<string, Uint8Array>();
  for (const key of standIns) {
    const entry = real.packages[key];
    if (!entry) continue; // benchmarkPackageFiles only names lock keys
    const { fileName, bytes } = standInWheel(entry, real);
    files.set(fileName, bytes);
    packages[key] = {
      ...entry,
      file_name: fileName,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      install_dir: 'site',
      package_type: 'package',
      unvendored_tests: false,
    };
  }
  const lock = { ...real, packages };
  files.set(LOCK_FILE, strToU8(JSON.stringify(lock)));
  return { lock, standIns, files };
}

/** A pure-Python wheel that stands in for `entry`: same name, version and import names. */
export function standInWheel(
  entry: LockPackage,
  lock: PyodideLock,
): { fileName: string; bytes: Uint8Array } {
  // Wheel file names spell separators '_' (python_dateutil); '-' separates the fields. The
  // local version label keeps a stand-in's name apart from the real wheel's (joblib's real
  // wheel is pure Python too).
  const dist = entry.name.replace(/[-_.]+/g, '_');
  const version = `${entry.version.replace(/-/g, '_')}+standin`;
  const distInfo = `${dist}-${version}.dist-info`;
  const dependencyModules = entry.depends.flatMap((d) => lock.packages[d]?.imports[0] ?? []);
  const module = (name: string): string =>
    [
      `"""Stand-in for ${entry.name} ${entry.version}, generated for tests by`,
      `scripts/test-hub/package-index.ts. It is NOT ${entry.name}: it has none of its API."""`,
      ...dependencyModules.map((m) => `import ${m}  # a dependency, installed with it`),
      'STAND_IN = True',
      `__version__ = ${JSON.stringify(entry.version)}`,
      ...(name === 'numpy' ? NUMPY_TYPES : []),
      '',
    ].join('\n');
  const files: Record<string, Uint8Array> = {
    [`${distInfo}/METADATA`]: strToU8(
      `Metadata-Version: 2.1\nName: ${entry.name}\nVersion: ${version}\nSummary: A test stand-in, not the real package\n`,
    ),
    [`${distInfo}/WHEEL`]: strToU8(
      'Wheel-Version: 1.0\nGenerator: codegen-playground test hub\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    ),
    [`${distInfo}/RECORD`]: strToU8(''),
  };
  for (const name of entry.imports) files[`${name}/__init__.py`] = strToU8(module(name));
  return {
    fileName: `${dist}-${version}-py3-none-any.whl`,
    bytes: zipSync(files, { mtime: MTIME }),
  };
}
