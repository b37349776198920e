// A stand-in for the Hugging Face hub in tests: serves model folders in the hub's URL layout
//   GET /{owner}/{name}/resolve/{revision}/{path}
// with CORS (and CORP cross-origin, so a COEP page may read it), Range requests, no caching,
// a log of every request and failures on demand:
//   GET /__requests                      the log, JSON (control requests are not logged)
//   GET /__reset                         clears the log and the failure rules
//   GET /__fail?path=P&mode=404          the next request for pathname P answers 404
//   GET /__fail?path=P&mode=gated        … answers 401 GatedRepo, as the hub does for a gated
//                                        repository asked for without a sign-in
//   GET /__fail?path=P&mode=drop&after=N the next response for P is cut after N body bytes
//                                        (the connection closes 0.5 s after they were sent)
//   GET /__fail?path=P&mode=slow&rate=R  the next response for P trickles at R bytes/s
//   (&times=K applies a rule to the next K requests; default 1)
//   GET /__health                        200 once the models are ready
// and a Pyodide package index of stand-in wheels under /pyodide-index/ (package-index.ts),
// logged and failed on demand like the model files.
//
// Run: tsx scripts/test-hub/server.ts [--port 4180] [--root .cache/test-hub]

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TEST_HUB_PORT } from './address.ts';
import { prepareHubModels } from './models.ts';
import { buildStandInIndex, PACKAGE_INDEX_PATH } from './package-index.ts';
import type { StandInIndex } from './package-index.ts';

export type FailRule =
  | { mode: '404'; path: string; times: number }
  | { mode: 'gated'; path: string; times: number }
  | { mode: 'drop'; path: string; after: number; times: number }
  | { mode: 'slow'; path: string; bytesPerSecond: number; times: number };

export interface LoggedRequest {
  method: string;
  path: string;
  range: string | null;
  status: number;
  /** Body bytes the server wrote. */
  bytesSent: number;
  /** dropped: cut on purpose (a `drop` rule); aborted: the client closed the connection. */
  outcome: 'pending' | 'complete' | 'dropped' | 'aborted';
}

export interface TestHub {
  url: string;
  requests(): LoggedRequest[];
  fail(rule: FailRule): void;
  reset(): void;
  close(): Promise<void>;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges, X-Error-Code',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Cache-Control': 'no-store',
};

const DROP_DELAY_MS = 500;
const FILE_URL = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/;

export async function startTestHub(options: {
  root: string;
  port?: number;
  host?: string;
  packageIndex?: StandInIndex;
}): Promise<TestHub> {
  const root = resolve(options.root);
  const packageIndex = options.packageIndex ?? buildStandInIndex();
  const host = options.host ?? '127.0.0.1';
  const log: LoggedRequest[] = [];
  let rules: FailRule[] = [];

  const takeRule = (path: string): FailRule | undefined => {
    const rule = rules.find((r) => r.path === path && r.times > 0);
    if (rule) rule.times--;
    return rule;
  };

  const control = (url: URL, res: ServerResponse): void => {
    const json = (status: number, body: unknown): void =>
      void res
        .writeHead(status, { ...CORS_HEADERS, 'Content-Type': 'application/json' })
        .end(JSON.stringify(body));
    switch (url.pathname) {
      case '/__health':
        return json(200, { ok: true });
      case '/__requests':
        return json(200, log);
      case '/__reset':
        log.length = 0;
        rules = [];
        return json(200, { ok: true });
      case '/__fail': {
        const rule = parseRule(url.searchParams);
        if (typeof rule === 'string') return json(400, { error: rule });
        rules.push(rule);
        return json(200, rule);
      }
      default:
        return json(404, { error: `no control endpoint ${url.pathname}` });
    }
  };

  const serveFile = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      range: req.headers.range ?? null,
      status: 0,
      bytesSent: 0,
      outcome: 'pending',
    };
    log.push(entry);
    res.on('finish', () => {
      if (entry.outcome === 'pending') entry.outcome = 'complete';
    });
    res.on('close', () => {
      if (entry.outcome === 'pending') entry.outcome = 'aborted';
    });
    const fail = (status: number, code: string, message: string): void => {
      entry.status = status;
      res.writeHead(status, { ...CORS_HEADERS, 'X-Error-Code': code }).end(message);
    };

    if (req.method === 'OPTIONS') {
      entry.status = 204;
      res
        .writeHead(204, {
          ...CORS_HEADERS,
          'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
        })
        .end();
      return;
    }
    const rule = takeRule(url.pathname);
    if (rule?.mode === '404') return fail(404, 'EntryNotFound', 'Entry not found (test rule)');
    if (rule?.mode === 'gated') return fail(401, 'GatedRepo', 'Access to this repo is restricted');
    const found = url.pathname.startsWith(PACKAGE_INDEX_PATH)
      ? indexFile(packageIndex, url.pathname)
      : hubFile(root, url.pathname);
    if (!Buffer.isBuffer(found)) return fail(404, found.code, found.message);
    const whole = found;
    const range = /^bytes=(\d+)-(\d*)$/.exec(entry.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), whole.length - 1) : whole.length - 1;
    if (range && start >= whole.length) {
      entry.status = 416;
      res.writeHead(416, { ...CORS_HEADERS, 'Content-Range': `bytes */${whole.length}` }).end();
      return;
    }
    const body = whole.subarray(start, end + 1);
    entry.status = range ? 206 : 200;
    res.writeHead(entry.status, {
      ...CORS_HEADERS,
      'Content-Type': url.pathname.endsWith('.json')
        ? 'application/json'
        : 'application/octet-stream',
      'Content-Length': body.length,
      'Accept-Ranges': 'bytes',
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${whole.length}` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    send(res, entry, body, rule);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://test-hub');
    if (url.pathname.startsWith('/__')) control(url, res);
    else serveFile(req, res, url);
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, host, done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests: () => log.map((entry) => ({ ...entry })),
    fail: (rule) => void rules.push({ ...rule }),
    reset: () => {
      log.length = 0;
      rules = [];
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

type NotFound = { code: string; message: string };

/** A file of a hub repository: /{owner}/{name}/resolve/{revision}/{path}. */
function hubFile(root: string, pathname: string): Buffer | NotFound {
  const parts = FILE_URL.exec(pathname)?.slice(1).map(decodeURIComponent);
  if (!parts || parts.some((p) => p.split('/').some((s) => s === '..' || s === ''))) {
    return { code: 'RepoNotFound', message: 'Repository not found' };
  }
  const [owner = '', name = '', revision = '', path = ''] = parts;
  const repoDir = join(root, owner, name);
  if (!existsSync(repoDir)) return { code: 'RepoNotFound', message: 'Repository not found' };
  if (revision !== 'main') return { code: 'RevisionNotFound', message: 'Invalid rev id' };
  const file = join(repoDir, path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    return { code: 'EntryNotFound', message: 'Entry not found' };
  }
  return readFileSync(file);
}

/** A file of the stand-in package index: /pyodide-index/{file}. */
function indexFile(index: StandInIndex, pathname: string): Buffer | NotFound {
  const bytes = index.files.get(decodeURIComponent(pathname.slice(PACKAGE_INDEX_PATH.length)));
  return bytes
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : { code: 'EntryNotFound', message: 'Not a file of the test package index' };
}

function send(
  res: ServerResponse,
  entry: LoggedRequest,
  body: Buffer,
  rule: FailRule | undefined,
): void {
  if (rule?.mode === 'drop') {
    const part = body.subarray(0, Math.min(rule.after, body.length));
    entry.bytesSent = part.length;
    entry.outcome = 'dropped';
    // Cut the connection a moment after the bytes left, as a network failure would: cut at
    // once, Chromium may discard what it had buffered and the client sees no progress.
    res.write(part, () => setTimeout(() => res.destroy(), DROP_DELAY_MS));
    return;
  }
  if (rule?.mode === 'slow') {
    const TICK_MS = 50;
    const chunk = Math.max(1, Math.round((rule.bytesPerSecond * TICK_MS) / 1000));
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      const part = body.subarray(entry.bytesSent, entry.bytesSent + chunk);
      entry.bytesSent += part.length;
      if (entry.bytesSent >= body.length) {
        clearInterval(timer);
        res.end(part);
      } else {
        res.write(part);
      }
    }, TICK_MS);
    res.on('close', () => clearInterval(timer));
    return;
  }
  entry.bytesSent = body.length;
  res.end(body);
}

function parseRule(params: URLSearchParams): FailRule | string {
  const path = params.get('path');
  if (!path) return 'path is required';
  const times = Number(params.get('times') ?? 1);
  if (!Number.isInteger(times) || times < 1) return 'times must be a positive integer';
  const number = (key: string): number | null => {
    const value = Number(params.get(key));
    return params.has(key) && Number.isInteger(value) && value > 0 ? value : null;
  };
  switch (params.get('mode')) {
    case '404':
      return { mode: '404', path, times };
    case 'gated':
      return { mode: 'gated', path, times };
    case 'drop': {
      const after = number('after');
      return after === null ? 'drop needs after=N (bytes)' : { mode: 'drop', path, after, times };
    }
    case 'slow': {
      const bytesPerSecond = number('rate');
      return bytesPerSecond === null
        ? 'slow needs rate=N (bytes per second)'
        : { mode: 'slow', path, bytesPerSecond, times };
    }
    default:
      return 'mode must be 404, gated, drop or slow';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(TEST_HUB_PORT) },
      root: { type: 'string', default: '.cache/test-hub' },
    },
  });
  prepareHubModels(values.root, (line) => console.log(line));
  const hub = await startTestHub({ root: values.root, port: Number(values.port) });
  console.log(`test hub serving ${resolve(values.root)} on ${hub.url}`);
  const stop = (): void => void hub.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}
