import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCacheStorage } from '../../src/engine/testing/memory-cache-storage.node.ts';
import type {
  ModelWorkerContract,
  ModelWorkerEvent,
} from '../../src/shared/contracts/model-worker.ts';
import { RpcClient } from '../../src/shared/rpc/client.ts';
import { serveRpc } from '../../src/shared/rpc/server.ts';
import { createModelHandlers } from './handlers.ts';

const FILES: Record<string, Uint8Array> = {
  'config.json': new TextEncoder().encode('{"model_type":"codegen"}'),
  'tokenizer.json': new TextEncoder().encode('{}'),
  'tokenizer_config.json': new TextEncoder().encode('{}'),
  'onnx/model.onnx': Uint8Array.from({ length: 200_000 }, (_, i) => (i * 13) % 251),
};
const PATHS = Object.keys(FILES);
const requests: string[] = [];
let base = '';

// The model folder on loopback; /slow/ sends half of a file, then stalls until the client gives up.
const server = createServer((req, res) => {
  const path = (req.url ?? '').replace(/^\/(slow\/)?/, '');
  requests.push(req.url ?? '');
  const body = FILES[path];
  if (!body) return void res.writeHead(404).end();
  res.writeHead(200, { 'Content-Length': body.length });
  if (req.url?.startsWith('/slow/')) return void res.write(Buffer.from(body.subarray(0, 1000)));
  res.end(Buffer.from(body));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests.length = 0;
});

function setUp(quotaBytes?: number) {
  const caches = new MemoryCacheStorage(quotaBytes);
  const handlers = createModelHandlers(
    {},
    { loadOrt: () => Promise.reject(new Error('not used')), caches },
  );
  const events: ModelWorkerEvent[] = [];
  const controller = new AbortController();
  const context = { emit: (e: ModelWorkerEvent) => void events.push(e), signal: controller.signal };
  const source = { kind: 'url', label: 'test model', baseUrl: base } as const;
  const prefetch = (paths = PATHS, baseUrl = base) =>
    handlers.prefetch({ kind: 'prefetch', source: { ...source, baseUrl }, paths }, context);
  const verify = (paths = PATHS) =>
    handlers.verifyCached({ kind: 'verifyCached', urls: paths.map((p) => base + p) }, context);
  return { caches, handlers, events, controller, context, prefetch, verify };
}

describe('prefetch (make available offline)', () => {
  it('downloads every file into the cache with progress, and then reads them from it', async () => {
    const { handlers, events, prefetch, context } = setUp();
    const first = await prefetch();
    expect(first.files).toEqual(
      PATHS.map((path) => ({ path, bytes: FILES[path]?.length, fromCache: false })),
    );
    expect(requests).toEqual(PATHS.map((p) => `/${p}`));
    const weights = events.filter((e) => e.kind === 'file' && e.path === 'onnx/model.onnx');
    expect(weights.at(-1)).toMatchObject({ done: true, loaded: 200_000, total: 200_000 });
    expect(weights.length).toBeGreaterThan(1);

    const listed = await handlers.cachedFiles({ kind: 'cachedFiles' }, context);
    expect(listed.map((f) => f.url).sort()).toEqual(PATHS.map((p) => base + p).sort());

    requests.length = 0;
    const again = await prefetch();
    expect(again.files.every((f) => f.fromCache)).toBe(true);
    expect(requests).toEqual([]);
  });

  it('downloads again only the files that are missing or damaged', async () => {
    const { caches, prefetch, handlers, context } = setUp();
    await prefetch();
    caches.tamper('codegen-models-v1', `${base}onnx/model.onnx`, new Uint8Array(10));
    await handlers.deleteCached(
      { kind: 'deleteCached', urlPrefix: `${base}tokenizer.json` },
      context,
    );
    requests.length = 0;
    const repaired = await prefetch();
    expect(requests.sort()).toEqual(['/onnx/model.onnx', '/tokenizer.json']);
    expect(repaired.files.filter((f) => !f.fromCache).map((f) => f.path)).toEqual([
      'tokenizer.json',
      'onnx/model.onnx',
    ]);
  });

  it('fails with storage-quota when a file cannot be kept', async () => {
    const { prefetch, verify } = setUp(100_000);
    await expect(prefetch()).rejects.toMatchObject({ code: 'storage-quota' });
    const checks = (await verify()).files;
    expect(checks.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'missing']);
  });

  it('stops when cancelled in the middle of a file', async () => {
    const { controller, events, context, handlers } = setUp();
    const running = handlers.prefetch(
      {
        kind: 'prefetch',
        source: { kind: 'url', label: 'stalling', baseUrl: `${base}slow/` },
        paths: ['onnx/model.onnx'],
      },
      {
        ...context,
        emit: (event) => {
          events.push(event);
          if (event.kind === 'file' && event.loaded > 0) controller.abort();
        },
      },
    );
    await expect(running).rejects.toMatchObject({ code: 'aborted' });
  });

  it('says why when there is no Cache Storage', async () => {
    const handlers = createModelHandlers(
      {},
      { loadOrt: () => Promise.reject(new Error('x')), caches: undefined },
    );
    await expect(
      handlers.prefetch(
        { kind: 'prefetch', source: { kind: 'url', label: 'x', baseUrl: base }, paths: PATHS },
        { emit: () => undefined, signal: new AbortController().signal },
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('no Cache Storage') as string });
  });
});

describe('verifyCached', () => {
  it('reports each file as ok, missing or corrupt (with the reason) and drops corrupt ones', async () => {
    const { caches, prefetch, verify, handlers, context } = setUp();
    await prefetch(['config.json', 'onnx/model.onnx']);
    caches.tamper('codegen-models-v1', `${base}onnx/model.onnx`, new Uint8Array(10));
    const report = await verify(['config.json', 'tokenizer.json', 'onnx/model.onnx']);
    expect(report.files).toEqual([
      { url: `${base}config.json`, status: 'ok', bytes: FILES['config.json']?.length },
      { url: `${base}tokenizer.json`, status: 'missing' },
      {
        url: `${base}onnx/model.onnx`,
        status: 'corrupt',
        reason: 'stored 10 bytes, expected 200000',
      },
    ]);
    const listed = await handlers.cachedFiles({ kind: 'cachedFiles' }, context);
    expect(listed.map((f) => f.url)).toEqual([`${base}config.json`]);
  });
});

describe('over the worker boundary', () => {
  it('rebuilds the quota error and cancels a prefetch from the page side', async () => {
    const { handlers } = setUp(100_000);
    const channel = new MessageChannel();
    const stop = serveRpc<ModelWorkerContract>(channel.port2, handlers);
    const client = new RpcClient<ModelWorkerContract>(channel.port1);
    try {
      const source = { kind: 'url', label: 'test model', baseUrl: base } as const;
      await expect(client.call({ kind: 'prefetch', source, paths: PATHS })).rejects.toMatchObject({
        code: 'storage-quota',
        name: 'AppError',
      });

      const controller = new AbortController();
      const stalled = client.call(
        {
          kind: 'prefetch',
          source: { ...source, baseUrl: `${base}slow/` },
          paths: ['onnx/model.onnx'],
        },
        {
          signal: controller.signal,
          onEvent: (event) => {
            if (event.kind === 'file' && event.loaded > 0) controller.abort();
          },
        },
      );
      await expect(stalled).rejects.toMatchObject({ code: 'aborted' });
    } finally {
      stop();
      client.dispose();
      channel.port1.close();
      channel.port2.close();
    }
  });
});
