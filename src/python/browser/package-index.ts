import { version as pyodideVersion } from 'pyodide/package.json';

/**
 * Where the sandbox gets package wheels: the lock file lists them, and each is fetched from
 * `packageBaseUrl + file_name`. By default that is Pyodide's official index of this version
 * with the lock file of the core we serve; `?packages=<base URL>` on the page replaces both
 * (a mirror, or the local test index in end-to-end tests), as `?hub=` replaces huggingface.co.
 */
export interface PackageIndex {
  /** Absolute, ending in '/'. */
  packageBaseUrl: string;
  /** Absolute. */
  lockFileURL: string;
}

/** The page URL parameter that names another package index. */
export const PACKAGES_PARAM = 'packages';

/** Pyodide's own default: the official index of the same version. */
export const OFFICIAL_PACKAGE_INDEX = `https://cdn.jsdelivr.net/pyodide/v${pyodideVersion}/full/`;

/** The page the app runs on: its address and Vite's base path (import.meta.env.BASE_URL). */
export interface PageLocation {
  href: string;
  baseUrl: string;
}

export function currentPage(): PageLocation {
  return { href: location.href, baseUrl: import.meta.env.BASE_URL };
}

/** The Pyodide core, copied into public/vendor/pyodide/ by scripts/vite/runtime-assets.ts. */
export function pyodideCoreUrl(page: PageLocation = currentPage()): string {
  return new URL(`${withSlash(page.baseUrl)}vendor/pyodide/`, page.href).href;
}

/** The package index the app uses on this page. */
export function packageIndex(page: PageLocation = currentPage()): PackageIndex {
  const override = new URL(page.href).searchParams.get(PACKAGES_PARAM);
  if (override) {
    const packageBaseUrl = withSlash(new URL(override, page.href).href);
    return { packageBaseUrl, lockFileURL: `${packageBaseUrl}pyodide-lock.json` };
  }
  return {
    packageBaseUrl: OFFICIAL_PACKAGE_INDEX,
    lockFileURL: `${pyodideCoreUrl(page)}pyodide-lock.json`,
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
