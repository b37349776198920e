import { download } from '../engine/loader/download.ts';
import { AppError } from '../shared/errors.ts';
import { humanEvalText, parseHumanEval } from './dataset.ts';
import type { HumanEvalDataset } from './dataset.ts';

/** The published file in openai/human-eval (MIT). */
export const UPSTREAM_HUMANEVAL_URL =
  'https://raw.githubusercontent.com/openai/human-eval/master/data/HumanEval.jsonl.gz';

/** A HumanEval file's bytes (gzipped or plain JSONL) as a dataset; refuses one with no task. */
export async function humanEvalFromBytes(
  bytes: Uint8Array,
  label: string,
): Promise<HumanEvalDataset> {
  let text: string;
  try {
    text = await humanEvalText(bytes);
  } catch (error) {
    throw new AppError('bad-input', `${label} is not a readable gzip file (${String(error)}).`, {
      hint: 'Use HumanEval.jsonl.gz as published in openai/human-eval, or its JSONL inflated.',
    });
  }
  const dataset = parseHumanEval(text, label);
  if (dataset.tasks.length === 0) {
    const first = dataset.errors[0];
    throw new AppError(
      'bad-input',
      `${label} has no valid HumanEval task${first ? ` (line ${first.line}: ${first.message})` : ''}.`,
      { hint: 'Each line needs task_id, prompt, entry_point and test (see the README).' },
    );
  }
  return dataset;
}

/**
 * HumanEval from the app's own origin (datasets/HumanEval.jsonl.gz, copied at build time from
 * the data folder), else from the published file upstream.
 */
export async function loadHumanEval(
  baseUrl: string,
  signal?: AbortSignal,
  upstreamUrl = UPSTREAM_HUMANEVAL_URL,
): Promise<HumanEvalDataset> {
  const sources = [
    {
      label: 'HumanEval.jsonl.gz (served by this app)',
      url: new URL('datasets/HumanEval.jsonl.gz', baseUrl).href,
    },
    { label: 'HumanEval.jsonl.gz (openai/human-eval on GitHub)', url: upstreamUrl },
  ];
  const failures: string[] = [];
  for (const source of sources) {
    try {
      const bytes = await download(source.url, { ...(signal ? { signal } : {}), retries: 1 });
      // Static hosts with a single-page fallback answer a missing file with index.html.
      if (/^\s*<(!doctype html|html)/i.test(new TextDecoder().decode(bytes.slice(0, 64))))
        throw new AppError('not-found', 'not found (the host answered with a web page)');
      return await humanEvalFromBytes(bytes, source.label);
    } catch (error) {
      if (signal?.aborted) throw error;
      failures.push(`${source.label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new AppError('download', `HumanEval could not be loaded (${failures.join('; ')}).`, {
    hint: 'Drop HumanEval.jsonl.gz (from openai/human-eval) onto the benchmark view.',
  });
}
