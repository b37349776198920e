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
import type { PackageSite } from './offline-packages.ts';
import { prefetchPythonPackages } from './offline-packages.ts';
import { packageAvailability } from './package-availability.ts';
import { benchmarkPackageFiles } from './package-lock.ts';

// Against the test hub's stand-in index over real HTTP; only Cache Storage is a double.
const index = buildStandInIndex();
const needed = benchmarkPackageFiles(index.lock);
const fileOf = (pkg: string): string => needed.find((f) => f.package === pkg)?.fileName ?? '';
const ALL = ['numpy', 'pandas', 'scikit-learn'];
let hub: TestHub;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'package-check-'));
  hub = await startTestHub({ root, packageIndex: index });
});
afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => hub.reset());

function site(storage = new MemoryCacheStorage(), base = `${hub.url}${PACKAGE_INDEX_PATH}`) {
  return {
    index: { packageBaseUrl: base, lockFileURL: `${base}${LOCK_FILE}` },
    cache: new CacheStorageFileCache(storage, () => {}, PACKAGE_CACHE),
  } satisfies PackageSite;
}

const noProgress = { signal: new AbortController().signal, onProgress: () => {} };

describe('packageAvailability', () => {
  it('finds every package at a reachable index with one HEAD per wheel and no download', async () => {
    expect(await packageAvailability(ALL, { online: true }, site())).toEqual({
      kind: 'checked',
      missing: [],
    });
    const wheels = hub.requests().filter((r) => r.path.endsWith('.whl'));
    expect(wheels.map((r) => r.method)).toEqual(needed.map(() => 'HEAD'));
  });

  it('names the packages a wheel missing at the index takes down, and why', async () => {
    hub.fail({ mode: '404', path: `${PACKAGE_INDEX_PATH}${fileOf('joblib')}`, times: 5 });
    const result = await packageAvailability(ALL, { online: true }, site());
    expect(result.kind === 'checked' && result.missing.map((m) => m.name)).toEqual([
      'scikit-learn',
    ]);
    expect(JSON.stringify(result)).toContain(`HTTP 404 for ${fileOf('joblib')}`);
  });

  it('offline, counts stored wheels only and asks the network nothing', async () => {
    const storage = new MemoryCacheStorage();
    await prefetchPythonPackages(noProgress, site(storage));
    hub.reset();
    expect(await packageAvailability(ALL, { online: false }, site(storage))).toEqual({
      kind: 'checked',
      missing: [],
    });
    // numpy's wheel evicted: everything built on numpy goes with it.
    const cache = await storage.open(PACKAGE_CACHE);
    await cache.delete(`${hub.url}${PACKAGE_INDEX_PATH}${fileOf('numpy')}`);
    const result = await packageAvailability(ALL, { online: false }, site(storage));
    expect(result).toEqual({
      kind: 'checked',
      missing: ALL.map((name) => ({
        name,
        reasons: [`${fileOf('numpy')} is not stored, and the browser is offline`],
      })),
    });
    expect(hub.requests()).toEqual([]);
  });

  it('says so when the package list itself cannot be read', async () => {
    const result = await packageAvailability(
      ['numpy'],
      { online: true },
      site(new MemoryCacheStorage(), `${hub.url}/no-such-index/`),
    );
    expect(result.kind).toBe('no-package-list');
    expect(JSON.stringify(result)).toContain('Could not load the Python package list');
  });

  it('a package the lock file does not know cannot be had', async () => {
    const result = await packageAvailability(['tensorflow'], { online: true }, site());
    expect(result.kind === 'checked' && result.missing[0]?.reasons.join()).toContain(
      'has no package tensorflow',
    );
  });
});
