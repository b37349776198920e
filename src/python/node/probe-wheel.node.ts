import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { PYODIDE_DIR } from './test-runner.node.ts';

/**
 * A pure-Python wheel of our own and a lock file that lists it beside Pyodide's packages: the
 * package-loading path, proven offline. `import sandbox_probe` then gives ANSWER = 42.
 */
export const PROBE_MODULE = 'sandbox_probe';
export const PROBE_PACKAGE = 'sandbox-probe';
export const PROBE_WHEEL = 'sandbox_probe-1.0.0-py3-none-any.whl';

export function buildProbeWheel(): Uint8Array {
  const dist = 'sandbox_probe-1.0.0.dist-info';
  return zipSync({
    [`${PROBE_MODULE}/__init__.py`]: strToU8('ANSWER = 42\n'),
    [`${dist}/METADATA`]: strToU8('Metadata-Version: 2.1\nName: sandbox-probe\nVersion: 1.0.0\n'),
    [`${dist}/WHEEL`]: strToU8(
      'Wheel-Version: 1.0\nGenerator: codegen-playground\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    ),
    [`${dist}/RECORD`]: strToU8(''),
  });
}

/** Pyodide's own lock file with the probe added, as JSON text. */
export function buildProbeLockFile(wheel: Uint8Array): string {
  const lock = JSON.parse(readFileSync(`${PYODIDE_DIR}pyodide-lock.json`, 'utf8')) as {
    packages: Record<string, unknown>;
  };
  lock.packages[PROBE_PACKAGE] = {
    name: PROBE_PACKAGE,
    version: '1.0.0',
    file_name: PROBE_WHEEL,
    install_dir: 'site',
    sha256: createHash('sha256').update(wheel).digest('hex'),
    package_type: 'package',
    imports: [PROBE_MODULE],
    depends: [],
    unvendored_tests: false,
  };
  return JSON.stringify(lock);
}
