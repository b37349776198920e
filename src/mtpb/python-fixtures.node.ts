import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The MTPB data file beside the checkout; never copied into the repository. */
export const MTPB_PATH = resolve(process.cwd(), '..', 'shared', 'datasets', 'mtpb', 'mtpb.jsonl');
export const hasMtpb = existsSync(MTPB_PATH);

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
