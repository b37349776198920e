import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmarkPackageFiles, parseLockFile } from '../../src/python/browser/package-lock.ts';
import { buildStandInIndex, LOCK_FILE, PACKAGE_INDEX_PATH, readRealLock } from './package-index.ts';
import { startTestHub } from './server.ts';
import type { TestHub } from './server.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('the stand-in package index', () => {
  const real = readRealLock();
  const index = buildStandInIndex(real);

  it('serves a wheel of its own, with its hash, for every package the benchmark needs', () => {
    const needed = benchmarkPackageFiles(index.lock);
    expect(needed.map((f) => f.package)).toEqual(index.standIns);
    expect(needed).toHaveLength(9);
    for (const file of needed) {
      const bytes = index.files.get(file.fileName);
      expect(bytes, file.fileName).toBeDefined();
      expect(sha256(bytes ?? new Uint8Array())).toBe(file.sha256);
      expect(file.fileName).toMatch(/\+standin-py3-none-any\.whl$/);
      expect(file.fileName).not.toBe(real.packages[file.package]?.file_name);
    }
  });

  it('keeps every name, version, import and dependency of the real lock file', () => {
    expect(Object.keys(index.lock.packages)).toEqual(Object.keys(real.packages));
    expect(index.lock.info).toEqual(real.info);
    for (const [key, entry] of Object.entries(index.lock.packages)) {
      const original = real.packages[key];
      expect(entry.name).toBe(original?.name);
      expect(entry.version).toBe(original?.version);
      expect(entry.imports).toEqual(original?.imports);
      expect(entry.depends).toEqual(original?.depends);
      if (!index.standIns.includes(key)) expect(entry).toEqual(original);
    }
    const served = parseLockFile(index.files.get(LOCK_FILE) ?? new Uint8Array());
    expect(served).toEqual(index.lock);
  });

  it('builds valid, deterministic wheels: dist-info and a stand-in module per import', () => {
    const again = buildStandInIndex(real);
    const entry = index.lock.packages['python-dateutil'];
    const bytes = index.files.get(entry?.file_name ?? '') ?? new Uint8Array();
    expect(again.files.get(entry?.file_name ?? '')).toEqual(bytes);
    expect(entry?.file_name).toBe('python_dateutil-2.9.0.post0+standin-py3-none-any.whl');
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual([
      'dateutil/__init__.py',
      'python_dateutil-2.9.0.post0+standin.dist-info/METADATA',
      'python_dateutil-2.9.0.post0+standin.dist-info/RECORD',
      'python_dateutil-2.9.0.post0+standin.dist-info/WHEEL',
    ]);
    const module = strFromU8(files['dateutil/__init__.py'] ?? new Uint8Array());
    expect(module).toContain('STAND_IN = True');
    expect(module).toContain('__version__ = "2.9.0.post0"');
    expect(module).toContain('import six');
    expect(module).toMatch(/NOT python-dateutil/);
  });
});

describe('the test hub', () => {
  let hub: TestHub;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'test-hub-'));
    hub = await startTestHub({ root });
  });
  afterAll(async () => {
    await hub.close();
    rmSync(root, { recursive: true, force: true });
  });

  it(`serves the stand-in index under ${PACKAGE_INDEX_PATH}, with CORS, logged`, async () => {
    const base = `${hub.url}${PACKAGE_INDEX_PATH}`;
    const response = await fetch(`${base}${LOCK_FILE}`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const lock = parseLockFile(await response.arrayBuffer());
    const needed = benchmarkPackageFiles(lock);
    for (const file of needed) {
      const wheel = await fetch(`${base}${file.fileName}`);
      expect(wheel.status, file.fileName).toBe(200);
      expect(sha256(new Uint8Array(await wheel.arrayBuffer()))).toBe(file.sha256);
    }
    // A package the index does not stand in for: its real file is not here.
    const real = await fetch(`${base}${lock.packages.matplotlib?.file_name ?? 'x.whl'}`);
    expect(real.status).toBe(404);
    const log = hub.requests().filter((r) => r.path.startsWith(PACKAGE_INDEX_PATH));
    expect(log.map((r) => r.path)).toEqual([
      `${PACKAGE_INDEX_PATH}${LOCK_FILE}`,
      ...needed.map((f) => `${PACKAGE_INDEX_PATH}${f.fileName}`),
      expect.stringMatching(/^\/pyodide-index\/matplotlib-/),
    ]);
    expect(log.map((r) => r.status)).toEqual([...needed.map(() => 200), 200, 404]);
  });

  it('fails index files on demand like model files', async () => {
    const path = `${PACKAGE_INDEX_PATH}${LOCK_FILE}`;
    hub.fail({ mode: '404', path, times: 1 });
    expect((await fetch(`${hub.url}${path}`)).status).toBe(404);
    expect((await fetch(`${hub.url}${path}`)).status).toBe(200);
  });
});
