import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NEEDS_PACKAGES } from '../../mtpb/reference-solutions/expectations.ts';
import {
  BENCHMARK_PACKAGES,
  benchmarkPackageFiles,
  packageClosure,
  parseLockFile,
} from './package-lock.ts';

// The lock file of the Pyodide version the app serves (public/vendor/pyodide/ is a copy).
const lock = parseLockFile(
  readFileSync(new URL('../../../node_modules/pyodide/pyodide-lock.json', import.meta.url)),
);

describe('the benchmark packages', () => {
  it('are what the MTPB problems import', () => {
    const needed = new Set(Object.values(NEEDS_PACKAGES).flat());
    expect([...needed].sort()).toEqual([...BENCHMARK_PACKAGES].sort());
  });

  it('close over depends in the real lock file', () => {
    expect(packageClosure(lock, BENCHMARK_PACKAGES)).toEqual([
      'joblib',
      'numpy',
      'pandas',
      'python-dateutil',
      'pytz',
      'scikit-learn',
      'scipy',
      'six',
      'threadpoolctl',
    ]);
  });

  it('are listed as the lock names their wheels', () => {
    const files = benchmarkPackageFiles(lock);
    expect(files).toHaveLength(9);
    for (const file of files) {
      const entry = lock.packages[file.package];
      expect(file.fileName).toBe(entry?.file_name);
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(file.sha256).toBe(entry?.sha256);
      // Every dependency is in the list too.
      for (const dependency of entry?.depends ?? [])
        expect(files.map((f) => f.package)).toContain(dependency);
    }
    expect(files.find((f) => f.package === 'numpy')?.fileName).toMatch(/^numpy-.*\.whl$/);
  });

  it('finds packages by their normalized name and rejects unknown ones', () => {
    expect(packageClosure(lock, ['Scikit_Learn'])).toContain('scikit-learn');
    expect(() => packageClosure(lock, ['no-such-package'])).toThrow(/no package no-such-package/);
  });

  it('rejects a lock file that is not one', () => {
    expect(() => parseLockFile('<html>')).toThrow(/not JSON/);
    expect(() => parseLockFile('{"info": {}}')).toThrow(/no "packages"/);
  });
});
