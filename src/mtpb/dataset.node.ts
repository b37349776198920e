import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDataset } from './dataset.ts';
import type { Problem } from './dataset.ts';

/** The benchmark file beside the checkout (../shared/datasets/mtpb); never copied into it. */
export const MTPB_PATH = fileURLToPath(
  new URL('../../../shared/datasets/mtpb/mtpb.jsonl', import.meta.url),
);
export const hasMtpb = existsSync(MTPB_PATH);

/** The 115 problems, or null where the shared dataset folder is absent. */
export function loadMtpbDataset(): Problem[] | null {
  return hasMtpb ? parseDataset(readFileSync(MTPB_PATH, 'utf8')).problems : null;
}
