import { useState } from 'react';
import type { LoadedDataset } from '../load-dataset.ts';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import type { DatasetState } from './use-dataset.ts';

/** Lines listed before "and N more": a broken file should not push the form off screen. */
const SHOWN_ERRORS = 8;

function LineErrors({ dataset }: { dataset: LoadedDataset }) {
  if (dataset.errors.length === 0) return null;
  return (
    <details className="notice warn" data-testid="dataset-line-errors">
      <summary>
        {dataset.errors.length} malformed line{dataset.errors.length === 1 ? '' : 's'} skipped
      </summary>
      <ul>
        {dataset.errors.slice(0, SHOWN_ERRORS).map((e) => (
          <li key={e.line}>
            line {e.line}: {e.message}
          </li>
        ))}
        {dataset.errors.length > SHOWN_ERRORS && (
          <li>and {dataset.errors.length - SHOWN_ERRORS} more</li>
        )}
      </ul>
    </details>
  );
}

/** Which benchmark is loaded, and a drop zone for another file in the same format. */
export function DatasetSection({
  state,
  dataset,
  onFile,
  disabled,
}: {
  state: DatasetState;
  dataset: LoadedDataset | null;
  onFile: (file: File) => void;
  disabled: boolean;
}) {
  const [dragging, setDragging] = useState(false);
  return (
    <section className="panel bench-dataset" aria-labelledby="dataset-title">
      <div className="bench-dataset-row">
        <div>
          <h2 id="dataset-title">Benchmark</h2>
          <p
            className="muted"
            role="status"
            data-testid="dataset-status"
            data-status={state.status}
          >
            {state.status === 'loading' && 'Loading the MTPB problems…'}
            {dataset && (
              <>
                <strong>{dataset.label}</strong> · {dataset.problems.length} problems ·{' '}
                {dataset.problems.reduce((sum, p) => sum + p.inputs.length, 0)} test cases
                {dataset.errors.length > 0 && ` · ${dataset.errors.length} malformed lines`}
              </>
            )}
          </p>
        </div>
        <div
          className={`bench-drop${dragging ? ' dragging' : ''}`}
          data-testid="dataset-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const file = e.dataTransfer.files[0];
            if (file && !disabled) onFile(file);
          }}
        >
          <label>
            Drop a benchmark JSONL here, or choose one
            <input
              type="file"
              accept=".jsonl,.json,.txt,application/jsonl,application/json,text/plain"
              disabled={disabled}
              data-testid="dataset-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) onFile(file);
                e.target.value = '';
              }}
            />
          </label>
        </div>
      </div>
      {disabled && <p className="muted">Another benchmark can be loaded once this run ends.</p>}
      {state.status === 'error' && (
        <ErrorNotice error={state.error} testId="dataset-error">
          {state.previous && <p>Still using {state.previous.label}.</p>}
        </ErrorNotice>
      )}
      {dataset && <LineErrors dataset={dataset} />}
    </section>
  );
}
