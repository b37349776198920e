import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildStandInIndex,
  LOCK_FILE,
  PACKAGE_INDEX_PATH,
} from '../../../scripts/test-hub/package-index.ts';
import { startTestHub } from '../../../scripts/test-hub/server.ts';
import type { TestHub } from '../../../scripts/test-hub/server.ts';
import { CacheStorageFileCache } from '../../engine/loader/file-cache.ts';
import { MemoryCacheStorage } from '../../engine/testing/memory-cache-storage.node.ts';
import { PACKAGE_CACHE } from '../../shared/cache-names.ts';
import { isAppError } from '../../shared/errors.ts';
import { prefetchPythonPackages, pythonPackagesStatus } from './offline-packages.ts';
import type { PackageSite, PrefetchProgress } from './offline-packages.ts';
import { benchmarkPackageFiles } from './package-lock.ts';
import { loadLockFile, PackageStore } from './package-store.ts';

// The prefetch against the test hub's stand-in index over real HTTP (scripts/test-hub); only
// Cache Storage, which Node lacks, is a double (MemoryCacheStorage).
const index = buildStandInIndex();
const needed = benchmarkPackageFiles(index.lock);
const totalBytes = needed.reduce((n, f) => n + (index.files.get(f.fileName)?.byteLength ?? 0), 0);
let hub: TestHub;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'package-hub-'));
  hub = await startTestHub({ root, packageIndex: index });
});
afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => hub.reset());

function site(storage = new MemoryCacheStorage(), at: TestHub = hub): PackageSite {
  const base = `${at.url}${PACKAGE_INDEX_PATH}`;
  return {
    index: { packageBaseUrl: base, lockFileURL: `${base}${LOCK_FILE}` },
    cache: new CacheStorageFileCache(storage, () => {}, PACKAGE_CACHE),
  };
}

const wheelRequests = (at: TestHub = hub): string[] =>
  at
    .requests()
    .map((r) => r.path.slice(PACKAGE_INDEX_PATH.length))
    .filter((p) => p.endsWith('.whl'));

const noProgress = { signal: new AbortController().signal, onProgress: () => {} };

describe('prefetchPythonPackages', () => {
  it('stores every wheel the benchmark needs, once, with progress', async () => {
    const where = site();
    const events: PrefetchProgress[] = [];
    const result = await prefetchPythonPackages(
      { signal: new AbortController().signal, onProgress: (p) => events.push(p) },
      where,
    );
    expect(result).toEqual({ files: 9, bytes: totalBytes });
    expect(wheelRequests().sort()).toEqual(needed.map((f) => f.fileName).sort());
    expect(events.at(-1)).toEqual({
      done: 9,
      total: 9,
      bytes: totalBytes,
      file: needed.at(-1)?.fileName,
    });
    // done never goes back, bytes never shrink
    for (const [a, b] of events.slice(1).map((e, i) => [events[i], e] as const)) {
      expect(b.done).toBeGreaterThanOrEqual(a?.done ?? 0);
      expect(b.bytes).toBeGreaterThanOrEqual(a?.bytes ?? 0);
    }
    expect(await pythonPackagesStatus(where)).toEqual({
      needed: needed.map((f) => f.fileName),
      cached: needed.map((f) => f.fileName),
      missing: [],
      packages: [
        { name: 'numpy', missing: [] },
        { name: 'pandas', missing: [] },
        { name: 'scikit-learn', missing: [] },
      ],
    });

    // A second prefetch downloads nothing and says all is done.
    hub.reset();
    const again: PrefetchProgress[] = [];
    const second = await prefetchPythonPackages(
      { signal: new AbortController().signal, onProgress: (p) => again.push(p) },
      where,
    );
    expect(second).toEqual({ files: 0, bytes: 0 });
    expect(wheelRequests()).toEqual([]);
    expect(again.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is what the sandbox then reads: no request for a stored wheel', async () => {
    const where = site();
    await prefetchPythonPackages(noProgress, where);
    hub.reset();
    const store = PackageStore.fromLockFile(where.index.packageBaseUrl, index.lock, where.cache);
    const numpy = needed.find((f) => f.package === 'numpy')?.fileName ?? '';
    const bytes = await store.get(store.urlOf(numpy));
    expect(new Uint8Array(bytes)).toEqual(index.files.get(numpy));
    expect(hub.requests()).toEqual([]);
  });

  it('reports what is missing before, and after a cancelled prefetch', async () => {
    const where = site();
    const before = await pythonPackagesStatus(where);
    expect(before.cached).toEqual([]);
    expect(before.missing).toEqual(needed.map((f) => f.fileName));

    const abort = new AbortController();
    const cancelled = prefetchPythonPackages(
      { signal: abort.signal, onProgress: (p) => p.done === 2 && abort.abort() },
      where,
    );
    await expect(cancelled).rejects.toMatchObject({ code: 'aborted' });
    const after = await pythonPackagesStatus(where);
    expect(after.cached).toEqual(needed.slice(0, 2).map((f) => f.fileName));
    expect(after.missing).toHaveLength(7);
    // The rest is fetched by the next prefetch; the first two are not fetched again.
    hub.reset();
    expect(await prefetchPythonPackages(noProgress, where)).toMatchObject({ files: 7 });
    expect(wheelRequests()).toHaveLength(7);
  });

  it('never stores a wheel whose SHA-256 is not the lock file’s', async () => {
    const victim = needed[3]?.fileName ?? '';
    const files = new Map(index.files);
    const damaged = new Uint8Array(files.get(victim) ?? []);
    damaged[10] = (damaged[10] ?? 0) ^ 0xff;
    files.set(victim, damaged);
    const corrupt = await startTestHub({ root, packageIndex: { ...index, files } });
    try {
      const storage = new MemoryCacheStorage();
      const where = site(storage, corrupt);
      const error: unknown = await prefetchPythonPackages(noProgress, where).catch(
        (e: unknown) => e,
      );
      expect(isAppError(error, 'download'), String(error)).toBe(true);
      expect(String(error)).toContain(`${victim} is not the file the lock file names`);
      // The others are stored all the same: only the damaged one is missing.
      const status = await pythonPackagesStatus(where);
      expect(status.cached).toEqual(
        needed.map((f) => f.fileName).filter((name) => name !== victim),
      );
      expect(status.missing).toEqual([victim]);
      // The sandbox's path refuses it too.
      const store = PackageStore.fromLockFile(where.index.packageBaseUrl, index.lock, where.cache);
      await expect(store.get(store.urlOf(victim))).rejects.toMatchObject({ code: 'download' });
      expect((await pythonPackagesStatus(where)).missing).toContain(victim);
    } finally {
      await corrupt.close();
    }
  });

  it('turns a full quota into a storage-quota error that says what to do', async () => {
    const lockBytes = index.files.get(LOCK_FILE)?.byteLength ?? 0;
    const where = site(new MemoryCacheStorage(lockBytes + 500)); // room for the lock file only
    const error: unknown = await prefetchPythonPackages(noProgress, where).catch((e: unknown) => e);
    expect(isAppError(error, 'storage-quota'), String(error)).toBe(true);
    expect(isAppError(error) && error.hint).toMatch(/Delete cached models/);
  });

  it('says which file the index does not have', async () => {
    const victim = needed[0]?.fileName ?? '';
    hub.fail({ mode: '404', path: `${PACKAGE_INDEX_PATH}${victim}`, times: 1 });
    const error: unknown = await prefetchPythonPackages(noProgress, site()).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error, 'not-found'), String(error)).toBe(true);
    expect(String(error)).toContain(victim);
    expect(String(error)).toContain('1 of 9 Python package files could not be stored');
  });

  it('stores what it can, and says per package what is missing and so cannot be imported', async () => {
    const numpy = needed.find((f) => f.package === 'numpy')?.fileName ?? '';
    const joblib = needed.find((f) => f.package === 'joblib')?.fileName ?? '';
    for (const victim of [numpy, joblib])
      hub.fail({ mode: '404', path: `${PACKAGE_INDEX_PATH}${victim}`, times: 5 });
    const where = site();
    const events: PrefetchProgress[] = [];
    const error: unknown = await prefetchPythonPackages(
      { signal: new AbortController().signal, onProgress: (p) => events.push(p) },
      where,
    ).catch((e: unknown) => e);
    expect(String(error)).toContain('2 of 9 Python package files could not be stored');
    expect(String(error)).toContain(numpy);
    expect(String(error)).toContain(joblib);
    expect(events.at(-1)).toMatchObject({ done: 9, total: 9 });
    const status = await pythonPackagesStatus(where);
    expect(status.cached).toHaveLength(7);
    expect(status.missing.sort()).toEqual([joblib, numpy].sort());
    // pandas and scikit-learn need numpy; scikit-learn needs joblib too.
    expect(status.packages).toEqual([
      { name: 'numpy', missing: [numpy] },
      { name: 'pandas', missing: [numpy] },
      { name: 'scikit-learn', missing: [joblib, numpy].sort() },
    ]);
  });

  it('resumes a wheel whose transfer broke off', async () => {
    const victim = needed[1]?.fileName ?? '';
    hub.fail({ mode: 'drop', path: `${PACKAGE_INDEX_PATH}${victim}`, after: 100, times: 1 });
    expect(await prefetchPythonPackages(noProgress, site())).toEqual({
      files: 9,
      bytes: totalBytes,
    });
    expect(hub.requests().find((r) => r.range !== null)?.range).toBe('bytes=100-');
  });
});

describe('the lock file', () => {
  it('comes from the stored copy when the index cannot be reached', async () => {
    const own = await startTestHub({ root, packageIndex: index });
    const where = site(new MemoryCacheStorage(), own);
    await prefetchPythonPackages(noProgress, where);
    await own.close();
    const lock = await loadLockFile(where.index.lockFileURL, where.cache);
    expect(new Uint8Array(lock)).toEqual(index.files.get(LOCK_FILE));
    expect(await pythonPackagesStatus(where)).toMatchObject({ missing: [] });
    // Never reached and never stored: a clear error.
    await expect(loadLockFile(where.index.lockFileURL, site().cache)).rejects.toMatchObject({
      code: 'download',
    });
  });
});
