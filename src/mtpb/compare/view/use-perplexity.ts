import { useCallback, useRef, useState } from 'react';
import type { ModelWorkerContract, ScoreRow } from '../../../shared/contracts/model-worker.ts';
import { AppError, isAppError } from '../../../shared/errors.ts';
import type { RpcClient } from '../../../shared/rpc/client.ts';
import type { Problem } from '../../dataset.ts';
import type { CaseRecord } from '../../records.ts';
import type { ComparisonAnalysis } from '../analysis.ts';
import { perplexityJobs, summarizePerplexity } from '../perplexity.ts';
import type { PerplexitySummary } from '../perplexity.ts';

/** Rows per score request: small enough that progress moves and Stop answers soon. */
const ROWS_PER_REQUEST = 8;

export type PerplexityState =
  | { status: 'idle' }
  | { status: 'running'; done: number; total: number }
  | {
      status: 'done';
      summary: PerplexitySummary;
      /** The model that scored (it may differ from the runs'). */
      modelLabel: string;
      ms: number;
      rows: number;
    }
  | { status: 'error'; error: AppError };

/**
 * The paper's prompt-perplexity analysis of a comparison, on demand: every multi-turn sample's
 * prompts given its own kept history, and every test case's single-turn prompt, scored by the
 * loaded model in the worker (teacher-forced), then averaged per mode and set against the
 * problems' pass rates.
 */
export function usePerplexity(client: RpcClient<ModelWorkerContract>) {
  const [state, setState] = useState<PerplexityState>({ status: 'idle' });
  const abort = useRef<AbortController | null>(null);

  const compute = useCallback(
    async (
      problems: readonly Problem[],
      multiRecords: readonly CaseRecord[],
      analysis: ComparisonAnalysis,
      modelLabel: string,
    ): Promise<void> => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      const compared = new Set(analysis.problems.map((p) => p.problemId));
      const jobs = perplexityJobs(
        problems.filter((p) => compared.has(p.id)),
        multiRecords.filter((r) => compared.has(r.problemId)),
      );
      if (jobs.length === 0) {
        setState({
          status: 'error',
          error: new AppError('bad-input', 'No problem has finished in both modes yet.', {
            hint: 'Let the comparison finish a problem in both modes first.',
          }),
        });
        return;
      }
      setState({ status: 'running', done: 0, total: jobs.length });
      const rows: ScoreRow[] = [];
      let ms = 0;
      try {
        for (let i = 0; i < jobs.length; i += ROWS_PER_REQUEST) {
          const batch = jobs.slice(i, i + ROWS_PER_REQUEST);
          const result = await client.call(
            { kind: 'score', rows: batch.map((job) => ({ segments: job.segments })) },
            { signal: controller.signal },
          );
          rows.push(...result.rows);
          ms += result.ms;
          setState({ status: 'running', done: rows.length, total: jobs.length });
        }
        const passRates = new Map(
          analysis.problems.map((p) => [
            p.problemId,
            { multi: p.multi.rate, single: p.single.rate },
          ]),
        );
        setState({
          status: 'done',
          summary: summarizePerplexity(jobs, rows, passRates),
          modelLabel,
          ms,
          rows: rows.length,
        });
      } catch (error) {
        if (controller.signal.aborted) return setState({ status: 'idle' });
        setState({
          status: 'error',
          error: isAppError(error)
            ? error
            : new AppError('internal', error instanceof Error ? error.message : String(error)),
        });
      }
    },
    [client],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);
  const reset = useCallback(() => {
    abort.current?.abort();
    setState({ status: 'idle' });
  }, []);

  return { state, compute, cancel, reset };
}
