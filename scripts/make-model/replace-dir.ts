// Writes a folder beside its target and swaps it in, so a concurrent reader never sees half
// of it and an interrupted run leaves none behind.

import { renameSync, rmSync } from 'node:fs';

export function replaceDir(dir: string, build: (tmp: string) => void): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    build(tmp);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}
