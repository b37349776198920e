import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMtpbDataset } from '../core/mtpb.ts';
import type { MtpbProblem } from '../core/mtpb.ts';

/** The benchmark file, beside the repository (never copied into it). */
export const MTPB_PATH = fileURLToPath(
  new URL('../../../../shared/datasets/mtpb/mtpb.jsonl', import.meta.url),
);

/** The 115 problems, or null where the shared dataset folder is absent. */
export function loadMtpbDataset(): MtpbProblem[] | null {
  return existsSync(MTPB_PATH) ? parseMtpbDataset(readFileSync(MTPB_PATH, 'utf8')) : null;
}
