import { useState } from 'react';
import { exportCsv, exportJsonl, mtpbReplayJobs, parseSamples } from '../export.ts';
import type { LoadedDataset } from '../load-dataset.ts';
import { benchmarkOf, temperaturesOf } from '../protocol.ts';
import type { BenchmarkId } from '../protocol.ts';
import type { Job } from '../runner.ts';
import type { HumanEvalDataset } from '../../humaneval/dataset.ts';
import {
  humanEvalJsonl,
  humanEvalReplayJobs,
  isHumanEvalSamples,
  parseHumanEvalSamples,
} from '../../humaneval/samples.ts';
import type { CaseRecord } from '../records.ts';
import { describeRun } from '../run-controller.ts';
import { isSidecarName, readRunSidecar, sidecarName, writeRunSidecar } from '../run-sidecar.ts';
import type { RunDescription, RunMeta } from '../storage/run-store.ts';
import { toAppError } from './use-benchmark.ts';

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
  // mtpb-<model>-<mode>-<date>, as before HumanEval; humaneval-<model>-<date>
  const name =
    benchmarkOf(run.settings) === 'humaneval'
      ? `humaneval-${model}-${date}`
      : `mtpb-${model}-${run.settings.mode}-${date}`;
  return name.replace(/-+/g, '-');
}

/** A samples file ready to re-execute: whose samples, and the grid's columns for HumanEval. */
export interface Replay {
  label: string;
  jobs: Job[];
  source: RunDescription | null;
  benchmark: BenchmarkId;
  temperatures: number[];
}

/** The run's samples as their benchmark's official tools read them. */
const samplesText = (run: RunMeta, records: readonly CaseRecord[]): string =>
  benchmarkOf(run.settings) === 'humaneval'
    ? humanEvalJsonl(records, run.settings.temperatures ? temperaturesOf(run.settings) : [])
    : exportJsonl(records);

const SHOWN_ERRORS = 8;

/** Downloads of the current run, and a samples file to re-execute and show like a run. */
export function ExportImport({
  run,
  records,
  dataset,
  humanEval,
  canImport,
  onReplay,
}: {
  run: RunMeta | null;
  records: readonly CaseRecord[];
  dataset: LoadedDataset | null;
  humanEval: HumanEvalDataset | null;
  canImport: boolean;
  onReplay: (replay: Replay) => void;
}) {
  const [parseErrors, setParseErrors] = useState<{
    file: string;
    errors: Array<{ line: number; message: string }>;
  } | null>(null);
  const nothing = !run || records.length === 0;

  /** The samples file, and the run metadata exported beside it when picked with it. */
  const importFiles = async (files: readonly File[]): Promise<void> => {
    const metaFile = files.find((f) => isSidecarName(f.name));
    const file = files.find((f) => !isSidecarName(f.name));
    let source: RunDescription | null = null;
    if (metaFile) {
      try {
        source = readRunSidecar(await metaFile.text());
      } catch (error) {
        setParseErrors({
          file: metaFile.name,
          errors: [{ line: 0, message: toAppError(error).message }],
        });
        return;
      }
    }
    if (!file) {
      setParseErrors({
        file: metaFile?.name ?? 'import',
        errors: [{ line: 0, message: 'pick the samples (.jsonl) file too, with its .meta.json' }],
      });
      return;
    }
    const text = await file.text();
    let read: { count: number; errors: Array<{ line: number; message: string }>; replay: Replay };
    if (isHumanEvalSamples(text)) {
      if (!humanEval) {
        setParseErrors({
          file: file.name,
          errors: [{ line: 0, message: 'HumanEval samples need HumanEval loaded; it is not' }],
        });
        return;
      }
      const { samples, errors } = parseHumanEvalSamples(text, humanEval.tasks);
      const { jobs, temperatures } = humanEvalReplayJobs(samples, humanEval.tasks);
      read = {
        count: samples.length,
        errors,
        replay: { label: file.name, jobs, source, benchmark: 'humaneval', temperatures },
      };
    } else {
      const { samples, errors } = parseSamples(text);
      read = {
        count: samples.length,
        errors,
        replay: {
          label: file.name,
          jobs: mtpbReplayJobs(samples),
          source,
          benchmark: 'mtpb',
          temperatures: [],
        },
      };
    }
    setParseErrors(
      read.errors.length > 0 || read.count === 0
        ? {
            file: file.name,
            errors:
              read.count === 0 && read.errors.length === 0
                ? [{ line: 0, message: 'the file holds no samples' }]
                : read.errors,
          }
        : null,
    );
    if (read.count > 0) onReplay(read.replay);
  };

  return (
    <div className="bench-export">
      <div className="form-row">
        <button
          type="button"
          disabled={nothing}
          onClick={() =>
            run &&
            saveText(samplesText(run, records), `${baseName(run)}.jsonl`, 'application/jsonl')
          }
          title={
            run && benchmarkOf(run.settings) === 'humaneval'
              ? 'The official HumanEval sample format (task_id, completion) with temperature, and result and passed as the official evaluator writes them'
              : 'The official sample format (id, input, gold_output, completions, prompts_completions) plus status, passed and printed'
          }
          data-testid="export-jsonl"
        >
          Export JSONL
        </button>
        <button
          type="button"
          disabled={!run}
          onClick={() => {
            if (!run) return;
            const samples = `${baseName(run)}.jsonl`;
            saveText(
              writeRunSidecar(describeRun(run), samples),
              sidecarName(samples),
              'application/json',
            );
          }}
          title="What ran — model, revision, dtype, backend, engine, settings, app version — as a .meta.json beside the JSONL (the official tools read only *.jsonl); import both together to keep it"
          data-testid="export-meta"
        >
          Export run metadata
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
          Import samples (MTPB or HumanEval JSONL, bigcode generations.json; with its .meta.json if
          you have it) to re-execute
          <input
            type="file"
            multiple
            accept=".jsonl,.json,.txt,application/jsonl,application/json,text/plain"
            disabled={!canImport}
            data-testid="import-samples"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length > 0) void importFiles(files);
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
