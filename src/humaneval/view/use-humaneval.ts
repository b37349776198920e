import { useEffect, useState } from 'react';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { HumanEvalDataset } from '../dataset.ts';
import { loadHumanEval } from '../load.ts';

export type HumanEvalState =
  | { status: 'loading' }
  | { status: 'ready'; dataset: HumanEvalDataset }
  | { status: 'error'; error: AppError };

/** HumanEval, loaded once when the Benchmark view opens (50 kB gzipped, from this app's origin). */
export function useHumanEval(): HumanEvalState {
  const [state, setState] = useState<HumanEvalState>({ status: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    loadHumanEval(new URL(import.meta.env.BASE_URL, location.href).href, abort.signal).then(
      (dataset) => setState({ status: 'ready', dataset }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setState({
          status: 'error',
          error: isAppError(error)
            ? error
            : new AppError('download', error instanceof Error ? error.message : String(error)),
        });
      },
    );
    return () => abort.abort();
  }, []);
  return state;
}
