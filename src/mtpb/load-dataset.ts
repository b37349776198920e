import { download } from '../engine/loader/download.ts';
import { AppError } from '../shared/errors.ts';
import { parseDataset } from './dataset.ts';
import type { Dataset } from './dataset.ts';

/** The public file in salesforce/CodeGen (BSD-3-Clause). */
export const UPSTREAM_MTPB_URL =
  'https://raw.githubusercontent.com/salesforce/CodeGen/main/codegen1/benchmark/mtpb.jsonl';

export interface LoadedDataset extends Dataset {
  label: string;
}

/**
 * The benchmark from the app's own origin (/datasets/mtpb.jsonl, copied at build time from
 * the data folder), else from the public upstream file. A file the user drops in goes
 * through `datasetFromText`.
 */
export async function loadDefaultDataset(
  baseUrl: string,
  signal?: AbortSignal,
  upstreamUrl = UPSTREAM_MTPB_URL,
): Promise<LoadedDataset> {
  const sources = [
    { label: 'mtpb.jsonl (served by this app)', url: new URL('datasets/mtpb.jsonl', baseUrl).href },
    { label: 'mtpb.jsonl (salesforce/CodeGen on GitHub)', url: upstreamUrl },
  ];
  const failures: string[] = [];
  for (const source of sources) {
    try {
      const bytes = await download(source.url, { ...(signal ? { signal } : {}), retries: 1 });
      const text = new TextDecoder().decode(bytes);
      // Static hosts with a single-page fallback answer a missing file with index.html.
      if (/^\s*<(!doctype html|html)/i.test(text)) {
        throw new AppError('not-found', 'not found (the host answered with a web page)');
      }
      return datasetFromText(text, source.label);
    } catch (error) {
      if (signal?.aborted) throw error;
      failures.push(`${source.label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new AppError('download', `The MTPB file could not be loaded (${failures.join('; ')}).`, {
    hint: 'Drop an mtpb.jsonl file (or any benchmark in the same format) onto the benchmark view.',
  });
}

export function datasetFromText(text: string, label: string): LoadedDataset {
  const dataset = parseDataset(text);
  if (dataset.problems.length === 0) {
    throw new AppError(
      'bad-input',
      `${label} has no valid problem${dataset.errors[0] ? ` (line ${dataset.errors[0].line}: ${dataset.errors[0].message})` : ''}.`,
      {
        hint: 'Use a JSONL file with one problem per line, as described in the README.',
      },
    );
  }
  return { ...dataset, label };
}
