import { useState } from 'react';
import { exportCsv, exportJsonl, parseSamples } from '../export.ts';
import type { ImportedLine } from '../export.ts';
import type { LoadedDataset } from '../load-dataset.ts';
import type { CaseRecord } from '../records.ts';
import type { RunMeta } from '../storage/run-store.ts';

function saveText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // The click has started the download; the URL only has to outlive this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function baseName(run: RunMeta): string {
  const model = (run.model?.label ?? run.kind).replace(/[^A-Za-z0-9.-]+/g, '-');
  const date = new Date(run.createdAt).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return `mtpb-${model}-${run.settings.mode}-${date}`.replace(/-+/g, '-');
}

const SHOWN_ERRORS = 8;

/** Downloads of the current run, and a samples file to re-execute and show like a run. */
export function ExportImport({
  run,
  records,
  dataset,
  canImport,
  onReplay,
}: {
  run: RunMeta | null;
  records: readonly CaseRecord[];
  dataset: LoadedDataset | null;
  canImport: boolean;
  onReplay: (label: string, lines: readonly ImportedLine[]) => void;
}) {
  const [parseErrors, setParseErrors] = useState<{
    file: string;
    errors: Array<{ line: number; message: string }>;
  } | null>(null);
  const nothing = !run || records.length === 0;

  const importFile = async (file: File): Promise<void> => {
    const { samples, errors } = parseSamples(await file.text());
    setParseErrors(
      errors.length > 0 || samples.length === 0
        ? {
            file: file.name,
            errors:
              samples.length === 0 && errors.length === 0
                ? [{ line: 0, message: 'the file holds no samples' }]
                : errors,
          }
        : null,
    );
    if (samples.length > 0) onReplay(file.name, samples);
  };

  return (
    <div className="bench-export">
      <div className="form-row">
        <button
          type="button"
          disabled={nothing}
          onClick={() =>
            run && saveText(exportJsonl(records), `${baseName(run)}.jsonl`, 'application/jsonl')
          }
          title="The official sample format (id, input, gold_output, completions, prompts_completions) plus status, passed and printed"
          data-testid="export-jsonl"
        >
          Export JSONL
        </button>
        <button
          type="button"
          disabled={nothing}
          onClick={() => {
            if (!run) return;
            const names = new Map(dataset?.problems.map((p) => [p.id, p.name]));
            saveText(exportCsv(records, names), `${baseName(run)}.csv`, 'text/csv');
          }}
          title="One row per problem: cases, verdict counts, pass rate; a total row last"
          data-testid="export-csv"
        >
          Export CSV summary
        </button>
        <label>
          Import samples (JSONL) to re-execute
          <input
            type="file"
            accept=".jsonl,.json,.txt,application/jsonl,application/json,text/plain"
            disabled={!canImport}
            data-testid="import-samples"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
          />
        </label>
      </div>
      {parseErrors && (
        <div className="notice warn" role="alert" data-testid="import-errors">
          <strong>
            {parseErrors.file}: {parseErrors.errors.length} line
            {parseErrors.errors.length === 1 ? '' : 's'} could not be read
          </strong>
          <ul>
            {parseErrors.errors.slice(0, SHOWN_ERRORS).map((e) => (
              <li key={e.line}>
                {e.line > 0 ? `line ${e.line}: ` : ''}
                {e.message}
              </li>
            ))}
            {parseErrors.errors.length > SHOWN_ERRORS && (
              <li>and {parseErrors.errors.length - SHOWN_ERRORS} more</li>
            )}
          </ul>
          <button type="button" onClick={() => setParseErrors(null)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
