import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { unzipSync } from 'fflate';

/**
 * Python source from pyodide's python_stdlib.zip: a pinned (by the lockfile),
 * offline corpus of ~9.6 MB of real-world code.
 */

export interface SourceFile {
  name: string;
  text: string;
}

export interface CorpusSlice {
  /** Skip files until this many bytes have been passed over. */
  skipBytes?: number;
  /** Stop once at least this many bytes have been taken (whole files only). */
  maxBytes?: number;
}

const nodeRequire = createRequire(import.meta.url);

/**
 * The `.py` files in code-unit order of their names (not locale order, so
 * every machine sees the same sequence), sliced by size without unpacking
 * the files that fall outside the slice.
 */
export function readPythonCorpus(slice: CorpusSlice = {}): SourceFile[] {
  const zip = readFileSync(nodeRequire.resolve('pyodide/python_stdlib.zip'));
  const sizes = new Map<string, number>();
  unzipSync(zip, {
    filter: (file) => {
      if (file.name.endsWith('.py')) sizes.set(file.name, file.originalSize);
      return false;
    },
  });
  const names = [...sizes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const wanted = new Set<string>();
  const skip = slice.skipBytes ?? 0;
  const max = slice.maxBytes ?? Infinity;
  let passed = 0;
  let taken = 0;
  for (const name of names) {
    if (taken >= max) break;
    const size = sizes.get(name) ?? 0;
    if (passed < skip) {
      passed += size;
      continue;
    }
    wanted.add(name);
    taken += size;
  }

  const files = unzipSync(zip, { filter: (file) => wanted.has(file.name) });
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  return names
    .filter((name) => wanted.has(name))
    .map((name) => {
      const bytes = files[name];
      if (bytes === undefined) throw new Error(`python_stdlib.zip: ${name} vanished`);
      return { name, text: utf8.decode(bytes) };
    });
}
