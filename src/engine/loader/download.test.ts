import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download } from './download.ts';

const file = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251);
const requests: string[] = [];
let base = '';

// A real HTTP server on loopback: it drops the first transfer of /flaky after 30 kB,
// honours Range on /flaky and ignores it on /no-range.
const server = createServer((req, res) => {
  requests.push(`${req.url} ${req.headers.range ?? ''}`.trim());
  if (req.url === '/missing') return void res.writeHead(404).end();
  // The hub's answers: 401 for a repository that does not exist (or is private), 403 gated.
  if (req.url === '/no-repo') {
    return void res.writeHead(401, { 'X-Error-Code': 'RepoNotFound' }).end();
  }
  if (req.url === '/gated') return void res.writeHead(403, { 'X-Error-Code': 'GatedRepo' }).end();
  if (req.url === '/no-rev') {
    return void res.writeHead(404, { 'X-Error-Code': 'RevisionNotFound' }).end();
  }
  if (req.url === '/error') return void res.writeHead(500).end();
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (range && req.url === '/flaky') {
    const from = Number(range[1]);
    res.writeHead(206, {
      'Content-Length': file.length - from,
      'Content-Range': `bytes ${from}-${file.length - 1}/${file.length}`,
    });
    return void res.end(Buffer.from(file.subarray(from)));
  }
  res.writeHead(200, { 'Content-Length': file.length });
  const firstFlaky = requests.filter((r) => r.startsWith(req.url ?? '')).length === 1;
  if (firstFlaky && (req.url === '/flaky' || req.url === '/no-range')) {
    res.write(Buffer.from(file.subarray(0, 30_000)), () => res.destroy());
    return;
  }
  res.end(Buffer.from(file));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A port nobody listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('download', () => {
  it('streams a file with progress', async () => {
    const seen: number[] = [];
    const bytes = await download(`${base}/ok`, {
      onProgress: (loaded, total) => seen.push(loaded / (total ?? 1)),
    });
    expect(bytes).toEqual(file);
    expect(seen.at(-1)).toBe(1);
  });

  it('resumes a broken transfer with a Range request', async () => {
    const bytes = await download(`${base}/flaky`);
    expect(bytes).toEqual(file);
    expect(requests.filter((r) => r.startsWith('/flaky'))).toEqual([
      '/flaky',
      '/flaky bytes=30000-',
    ]);
  });

  it('starts over when the server ignores Range', async () => {
    expect(await download(`${base}/no-range`)).toEqual(file);
  });

  it('reports 404 and server errors specifically', async () => {
    await expect(download(`${base}/missing`)).rejects.toMatchObject({
      code: 'not-found',
      message: `Not found (404): ${base}/missing`,
      hint: expect.stringContaining('Check the model id') as string,
    });
    await expect(download(`${base}/no-rev`)).rejects.toMatchObject({
      code: 'not-found',
      hint: expect.stringContaining('no such revision') as string,
    });
    await expect(download(`${base}/error`)).rejects.toMatchObject({
      code: 'download',
      message: expect.stringContaining('500') as string,
    });
  });

  it('reports a refused repository (401/403) apart from a missing file, without retrying', async () => {
    const before = requests.length;
    await expect(download(`${base}/no-repo`)).rejects.toMatchObject({
      code: 'no-access',
      message: `Access refused (401) to ${base}/no-repo: the repository does not exist, or it is private.`,
      hint: expect.stringContaining('Check the repository id') as string,
    });
    await expect(download(`${base}/gated`)).rejects.toMatchObject({
      code: 'no-access',
      message: expect.stringContaining('the repository is gated') as string,
    });
    expect(requests.length - before).toBe(2);
  });

  it('reports a server it cannot reach as a network failure, after retrying', async () => {
    const url = `http://127.0.0.1:${await freePort()}/config.json`;
    await expect(download(url, { retries: 1 })).rejects.toMatchObject({
      code: 'network',
      message: expect.stringMatching(
        new RegExp(`^Could not reach 127\\.0\\.0\\.1:\\d+: downloading .* failed after 2 attempts`),
      ) as string,
      hint: expect.stringContaining('Check the network connection') as string,
    });
  });

  it('says "offline" at once, without retries, when the browser knows it has no network', async () => {
    // A port nobody listens on: the fetch fails.
    const port = await freePort();
    let attempts = 0;
    const failing: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const url = `http://127.0.0.1:${port}/model.onnx`;
    await expect(download(url, { fetch: failing, isOnline: () => false })).rejects.toMatchObject({
      code: 'network',
      message: `You are offline, and ${url} is not stored on this device.`,
      hint: expect.stringContaining('Offline-ready') as string,
    });
    expect(attempts).toBe(1);
    // Online, the same failure is retried before it is reported.
    attempts = 0;
    await expect(download(url, { fetch: failing, retries: 1 })).rejects.toMatchObject({
      message: expect.stringContaining('failed after 2 attempts') as string,
    });
    expect(attempts).toBe(2);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(download(`${base}/ok`, { signal: controller.signal })).rejects.toMatchObject({
      code: 'aborted',
    });
  });
});
