import { useCallback, useEffect, useState } from 'react';
import { datasetFromText, loadDefaultDataset } from '../load-dataset.ts';
import type { LoadedDataset } from '../load-dataset.ts';
import { AppError, isAppError } from '../../shared/errors.ts';

export type DatasetState =
  | { status: 'loading' }
  | { status: 'ready'; dataset: LoadedDataset }
  | { status: 'error'; error: AppError; previous: LoadedDataset | null };

const toAppError = (error: unknown): AppError =>
  isAppError(error)
    ? error
    : new AppError('bad-input', error instanceof Error ? error.message : String(error));

/** The benchmark loaded when the view opens; a dropped file replaces it. */
export function useDataset(): {
  state: DatasetState;
  dataset: LoadedDataset | null;
  loadFile: (file: File) => Promise<void>;
} {
  const [state, setState] = useState<DatasetState>({ status: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    loadDefaultDataset(new URL(import.meta.env.BASE_URL, location.href).href, abort.signal).then(
      // A file dropped while the default was still loading wins.
      (dataset) => setState((s) => (s.status === 'loading' ? { status: 'ready', dataset } : s)),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setState((s) =>
          s.status === 'loading'
            ? { status: 'error', error: toAppError(error), previous: null }
            : s,
        );
      },
    );
    return () => abort.abort();
  }, []);

  const loadFile = useCallback(async (file: File) => {
    const text = await file.text();
    try {
      const dataset = datasetFromText(text, file.name);
      setState({ status: 'ready', dataset });
    } catch (error) {
      // A bad drop keeps the benchmark already loaded usable.
      setState((s) => ({
        status: 'error',
        error: toAppError(error),
        previous: s.status === 'ready' ? s.dataset : s.status === 'error' ? s.previous : null,
      }));
    }
  }, []);

  const dataset =
    state.status === 'ready' ? state.dataset : state.status === 'error' ? state.previous : null;
  return { state, dataset, loadFile };
}
