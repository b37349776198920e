import { describe, expect, it } from 'vitest';
import { OFFICIAL_PACKAGE_INDEX, packageIndex, pyodideCoreUrl } from './package-index.ts';

describe('the package index', () => {
  it('is the official one of this version, with the lock file of the core the app serves', () => {
    const page = { href: 'http://localhost:5173/#benchmark', baseUrl: '/' };
    expect(OFFICIAL_PACKAGE_INDEX).toMatch(
      /^https:\/\/cdn\.jsdelivr\.net\/pyodide\/v[\d.]+\/full\/$/,
    );
    expect(packageIndex(page)).toEqual({
      packageBaseUrl: OFFICIAL_PACKAGE_INDEX,
      lockFileURL: 'http://localhost:5173/vendor/pyodide/pyodide-lock.json',
    });
  });

  it('respects the base path the app is built for', () => {
    const page = { href: 'https://example.org/playground/?hub=x', baseUrl: '/playground/' };
    expect(pyodideCoreUrl(page)).toBe('https://example.org/playground/vendor/pyodide/');
    expect(packageIndex(page).lockFileURL).toBe(
      'https://example.org/playground/vendor/pyodide/pyodide-lock.json',
    );
  });

  it('is replaced by ?packages=', () => {
    const at = (href: string) => packageIndex({ href, baseUrl: '/' });
    const local = at(
      'http://127.0.0.1:4173/?packages=http://127.0.0.1:4180/pyodide-index#benchmark',
    );
    expect(local).toEqual({
      packageBaseUrl: 'http://127.0.0.1:4180/pyodide-index/',
      lockFileURL: 'http://127.0.0.1:4180/pyodide-index/pyodide-lock.json',
    });
    expect(at('https://app.test/?packages=/mirror/pyodide/').lockFileURL).toBe(
      'https://app.test/mirror/pyodide/pyodide-lock.json',
    );
    expect(at('https://app.test/?packages=').packageBaseUrl).toBe(OFFICIAL_PACKAGE_INDEX);
  });
});
