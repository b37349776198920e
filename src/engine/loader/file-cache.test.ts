import { describe, expect, it } from 'vitest';
import { MemoryCacheStorage } from '../testing/memory-cache-storage.node.ts';
import { CacheStorageFileCache } from './file-cache.ts';

const url = 'https://hub.test/owner/model/resolve/main/onnx/model.onnx';
const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 256);

function setUp(quota?: number) {
  const storage = new MemoryCacheStorage(quota);
  const corrupt: string[] = [];
  const cache = new CacheStorageFileCache(storage, (u, why) => corrupt.push(`${u}: ${why}`));
  const tamper = (body: Uint8Array): void => storage.tamper(cache.name, url, body);
  return { cache, corrupt, tamper };
}

describe('CacheStorageFileCache', () => {
  it('stores a file with its size and reads it back checked', async () => {
    const { cache } = setUp();
    await cache.put(url, bytes);
    expect(await cache.get(url)).toEqual(bytes);
    expect(await cache.verify(url)).toEqual({ status: 'ok', bytes: 1000 });
    expect(await cache.list()).toEqual([{ url, bytes: 1000 }]);
  });

  it('reports an absent file as missing', async () => {
    const { cache } = setUp();
    expect(await cache.get(url)).toBeNull();
    expect(await cache.verify(url)).toEqual({ status: 'missing' });
  });

  it('finds a truncated entry and a changed one, and deletes them', async () => {
    const { cache, corrupt, tamper } = setUp();
    await cache.put(url, bytes);
    tamper(bytes.subarray(0, 10));
    expect(await cache.verify(url)).toEqual({
      status: 'corrupt',
      reason: 'stored 10 bytes, expected 1000',
    });
    expect(await cache.list()).toEqual([]);
    // verify() reports to its caller only; get() tells the loader it will download again.
    expect(corrupt).toEqual([]);

    await cache.put(url, bytes);
    const changed = bytes.slice();
    changed[500] = (changed[500] ?? 0) ^ 1;
    tamper(changed);
    expect(await cache.get(url)).toBeNull();
    expect(corrupt).toEqual([`${url}: its SHA-256 does not match what was stored`]);
    expect(await cache.verify(url)).toEqual({ status: 'missing' });
  });

  it("turns the browser's QuotaExceededError into AppError storage-quota", async () => {
    const { cache } = setUp(500);
    await expect(cache.put(url, bytes)).rejects.toMatchObject({
      code: 'storage-quota',
      message: expect.stringContaining('model.onnx (1000 bytes)') as string,
    });
  });
});
