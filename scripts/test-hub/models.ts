// The repositories the test hub serves, generated from the seeded tiny model:
//   test/tiny         the tiny model as make-model writes it (transformers-js layout)
//   test/tiny-merged  the same weights as the 2023 merged decoder (-multi / -nl layout)
//   test/tiny-fp16-io the same weights in fp16 with float16 logits and KV cache (no I/O Casts)
//   test/not-codegen  the same files, but config.json says model_type "gpt2"
//   test/missing      the same files without tokenizer.json
//   test/bad-config   the same files, but config.json's eos_token_id lies outside the vocabulary

import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTinyModel } from '../make-model/ensure-tiny.ts';
import { replaceDir } from '../make-model/replace-dir.ts';

export const TEST_REPOS = {
  tiny: 'test/tiny',
  tinyMerged: 'test/tiny-merged',
  tinyFp16Io: 'test/tiny-fp16-io',
  notCodegen: 'test/not-codegen',
  missing: 'test/missing',
  badConfig: 'test/bad-config',
} as const;

/** The eos id test/bad-config's config.json names: far beyond the tiny vocabulary (1,088). */
export const BAD_CONFIG_EOS_ID = 60000;

/** Writes the repos under `root` ({owner}/{name}/…); returns quickly when they are current. */
export function prepareHubModels(root: string, log: (line: string) => void = () => {}): void {
  const tiny = ensureTinyModel(join(root, TEST_REPOS.tiny), log);
  ensureTinyModel(join(root, TEST_REPOS.tinyMerged), log, 'merged-decoder');
  ensureTinyModel(join(root, TEST_REPOS.tinyFp16Io), log, 'fp16-io');
  derive(root, TEST_REPOS.notCodegen, tiny.regenerated, (dir) =>
    editConfig(dir, { model_type: 'gpt2' }),
  );
  derive(root, TEST_REPOS.missing, tiny.regenerated, (dir) => rmSync(join(dir, 'tokenizer.json')));
  derive(root, TEST_REPOS.badConfig, tiny.regenerated, (dir) =>
    editConfig(dir, { eos_token_id: BAD_CONFIG_EOS_ID }),
  );
}

/** Overwrites fields of the config.json in `dir`. */
function editConfig(dir: string, fields: Record<string, unknown>): void {
  const configPath = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(configPath, JSON.stringify({ ...config, ...fields }, null, 2));
}

/** A copy of test/tiny changed by `edit`, built beside its target and swapped in. */
function derive(root: string, repo: string, force: boolean, edit: (dir: string) => void): void {
  const dir = join(root, repo);
  if (!force && existsSync(join(dir, 'config.json'))) return;
  replaceDir(dir, (tmp) => {
    cpSync(join(root, TEST_REPOS.tiny), tmp, { recursive: true });
    edit(tmp);
  });
}
