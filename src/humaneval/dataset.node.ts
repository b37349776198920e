import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { humanEvalText, parseHumanEval } from './dataset.ts';
import type { HumanEvalDataset } from './dataset.ts';

/** The benchmark file beside the checkout (../shared/datasets/humaneval); never copied into it. */
export const HUMANEVAL_PATH = fileURLToPath(
  new URL('../../../shared/datasets/humaneval/HumanEval.jsonl.gz', import.meta.url),
);

/** Reads a HumanEval file (gzipped or not) from disk. */
export async function readHumanEval(path = HUMANEVAL_PATH): Promise<HumanEvalDataset> {
  const text = await humanEvalText(new Uint8Array(readFileSync(path)));
  return parseHumanEval(text, path.split('/').at(-1) ?? path);
}
