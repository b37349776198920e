import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/** URL prefix → folder on disk. The longest matching prefix wins. */
export type Mounts = Record<string, string>;

export interface StaticServerOptions {
  /**
   * 'isolated' sends COOP/COEP like `vite preview`; 'plain' sends what a static host such as
   * GitHub Pages sends: types and lengths, nothing else.
   */
  headers?: 'isolated' | 'plain';
  /** 0: any free port. */
  port?: number;
}

export interface StaticServer {
  origin: string;
  /** Every request path (with query) in arrival order. */
  requests: string[];
  close: () => Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  // application/wasm lets the browser compile while it downloads.
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * A loopback file server: the benchmark's (the built app, model folders and the
 * transformers.js page on one origin, cross-origin isolated) and the offline tests' (the
 * build as a plain static host serves it, stopped mid-test). Files are streamed: the fp32
 * 350M model is 1.4 GB.
 */
export async function startStaticServer(
  mounts: Mounts,
  options: StaticServerOptions = {},
): Promise<StaticServer> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const requests: string[] = [];
  const extraHeaders = options.headers === 'plain' ? {} : ISOLATION;
  const server = createServer((request, response) => {
    requests.push(request.url ?? '/');
    void (async () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const prefix = prefixes.find((p) => path.startsWith(p));
      const root = prefix === undefined ? undefined : mounts[prefix];
      if (prefix === undefined || root === undefined) return notFound(response);
      let file = normalize(join(root, path.slice(prefix.length)));
      if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep))
        return notFound(response);
      try {
        let info = await stat(file);
        if (info.isDirectory()) {
          file = join(file, 'index.html');
          info = await stat(file);
        }
        response.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
          ...extraHeaders,
          'Cache-Control': 'no-store',
        });
        if (request.method === 'HEAD') return response.end();
        createReadStream(file).pipe(response);
      } catch {
        notFound(response);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'Content-Type': 'text/plain' });
  response.end('not found');
}
