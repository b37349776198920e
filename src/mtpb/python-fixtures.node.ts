import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Asks python3 (scripts/fixtures/mtpb_reference.py) for ground truth. */
export function askPython<T>(request: object): T {
  const out = execFileSync(
    'python3',
    [resolve(process.cwd(), 'scripts', 'fixtures', 'mtpb_reference.py')],
    {
      input: JSON.stringify(request),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(out) as T;
}
