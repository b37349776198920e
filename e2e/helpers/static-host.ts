import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/serve/static-server.ts';
import type { StaticServer } from '../../scripts/serve/static-server.ts';

/** Where the offline project's static host listens (playwright.config.ts points baseURL here). */
export const STATIC_HOST_PORT = Number(process.env.E2E_STATIC_PORT ?? 4187);
export const STATIC_HOST_URL = `http://127.0.0.1:${STATIC_HOST_PORT}`;

/** `npm run build:subfolder`'s output and the folder it expects to be served from. */
export const SUBFOLDER = { dist: 'dist-subfolder', path: '/codegen/' } as const;

/**
 * A build on a plain static host: no COOP/COEP, nothing but files. Tests start and stop it
 * to take the network away from the app.
 */
export class StaticHost {
  private server: StaticServer | null = null;
  /** Requests of the previous runs of this host, then the current one's. */
  private earlier: string[] = [];

  constructor(
    /** `dist`: a folder of the repository, or an absolute path. */
    private readonly options: { dist: string; path: string; port: number } = {
      dist: 'dist',
      path: '/',
      port: STATIC_HOST_PORT,
    },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}${this.options.path}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const dist = isAbsolute(this.options.dist)
      ? this.options.dist
      : fileURLToPath(new URL(`../../${this.options.dist}/`, import.meta.url));
    this.server = await startStaticServer(
      { [this.options.path]: dist },
      { headers: 'plain', port: this.options.port },
    );
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.earlier.push(...this.server.requests);
    await this.server.close();
    this.server = null;
  }

  /** Every request path it answered (or refused), in order. */
  get requests(): string[] {
    return [...this.earlier, ...(this.server?.requests ?? [])];
  }
}

/**
 * The next release of the build in dist/: the same files (linked, not copied) and a service
 * worker that differs by one comment, which is all a browser needs to see an update.
 */
export function nextRelease(): string {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  const next = mkdtempSync(join(tmpdir(), 'codegen-next-release-'));
  for (const name of readdirSync(dist)) {
    if (name !== 'sw.js') symlinkSync(join(dist, name), join(next, name));
  }
  writeFileSync(
    join(next, 'sw.js'),
    `${readFileSync(join(dist, 'sw.js'), 'utf8')}\n// next release\n`,
  );
  return next;
}
