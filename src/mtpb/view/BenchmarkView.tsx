import { useMemo, useState } from 'react';
import type { ModelStore } from '../../model-manager/model-store.ts';
import type { ModelWorkerContract } from '../../shared/contracts/model-worker.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';
import { CaseDrawer } from './CaseDrawer.tsx';
import { DatasetSection } from './DatasetSection.tsx';
import { ErrorNotice } from '../../ui/ErrorNotice.tsx';
import { ExportImport } from './ExportImport.tsx';
import { FlawNotes } from './FlawNotes.tsx';
import { modelInfoOf, ModelStatus } from './ModelStatus.tsx';
import { PackageNotice } from './PackageNotice.tsx';
import { PastRuns, resumeBlocker, runTitle } from './PastRuns.tsx';
import { ResultsGrid } from './ResultsGrid.tsx';
import { RunCompare } from './RunCompare.tsx';
import { ResumeCheck } from './ResumeCheck.tsx';
import { RunFacts } from './RunFacts.tsx';
import { RunForm } from './RunForm.tsx';
import { RunSummary } from './RunSummary.tsx';
import { gridRows, parseCaseKey } from './stats.ts';
import { isActive, useBenchmark } from './use-benchmark.ts';
import { isOfficialDataset } from './package-needs.ts';
import { usePackageGate } from './use-package-gate.ts';
import type { RunMeta } from '../storage/run-store.ts';
import type { CreateExecutor } from './use-benchmark.ts';
import { useDataset } from './use-dataset.ts';
import './benchmark.css';

const PHASE_TEXT = {
  idle: 'not started',
  running: 'running',
  paused: 'paused',
  done: 'finished',
  stopped: 'stopped',
  error: 'failed',
} as const;

/**
 * The Multi-Turn Programming Benchmark, live: the dataset, the run form, the results grid
 * with a drawer per test case, saved runs, comparison, export and replay of samples files.
 */
export function BenchmarkView({
  client,
  modelStore,
  createExecutor,
  onOpenModels,
}: {
  client: RpcClient<ModelWorkerContract>;
  modelStore: ModelStore;
  /** The Python sandbox that judges programs; booted on the first run, reused after. */
  createExecutor: CreateExecutor;
  onOpenModels: () => void;
}) {
  const data = useDataset();
  const bench = useBenchmark(client, createExecutor);
  const { snapshot } = bench;
  const { run } = snapshot;
  const [openKey, setOpenKey] = useState<string | null>(null);
  const model = modelInfoOf(modelStore.state);
  const active = isActive(snapshot.phase);
  const dataset = data.dataset;
  const packageGate = usePackageGate(dataset);
  const rows = useMemo(
    () => gridRows(run, snapshot.cells, dataset, bench.expectedKeys),
    [run, snapshot.cells, dataset, bench.expectedKeys],
  );
  // The flaw notes describe the published mtpb.jsonl, not any file in its format.
  const official = isOfficialDataset(
    run?.kind === 'live' ? run.datasetLabel : (dataset?.label ?? ''),
  );
  const knownIds = useMemo(() => dataset?.problems.map((p) => p.id) ?? [], [dataset]);
  const blocked = !bench.ready
    ? 'Opening saved runs…'
    : !dataset
      ? 'The benchmark is not loaded.'
      : !model
        ? 'Load a model first.'
        : null;
  const resumeContext = { active, modelLoaded: model !== null, datasetReady: !!dataset };
  // A resumed run is checked for its Python packages as a new one is: it says up front which
  // of its problems will be "unavailable".
  const resume = (meta: RunMeta): void =>
    packageGate.guard(meta.settings, () => {
      if (dataset && model) void bench.resume(meta, dataset, model);
    });
  const check = bench.resumeCheck;
  const opened = openKey === null ? null : parseCaseKey(openKey);

  return (
    <div className="bench" data-testid="benchmark-view">
      {bench.storeError && <ErrorNotice error={bench.storeError} testId="bench-store-error" />}
      {bench.interrupted.map((meta) => {
        const blocker = resumeBlocker(meta, resumeContext);
        const done = bench.runs.find((entry) => entry.meta.id === meta.id)?.summary.cases;
        return (
          <div
            key={meta.id}
            className="notice warn bench-interrupted"
            data-testid="interrupted-run"
          >
            <span>
              A run was interrupted when the page closed: <strong>{runTitle(meta)}</strong>
              {done !== undefined && ` (${done} of ${meta.totalCases} cases done)`}.
              {blocker && ` ${blocker}`}
            </span>
            <button type="button" disabled={blocker !== null} onClick={() => resume(meta)}>
              Resume
            </button>
            <button type="button" disabled={active} onClick={() => void bench.open(meta.id)}>
              Open
            </button>
          </div>
        );
      })}
      {check && (
        <ResumeCheck
          title={runTitle(check.meta)}
          differences={check.differences}
          canContinue={!!dataset && !active}
          onContinue={() => dataset && void bench.resume(check.meta, dataset, check.model, true)}
          onCancel={bench.cancelResume}
        />
      )}
      <DatasetSection
        state={data.state}
        dataset={dataset}
        disabled={active}
        onFile={(file) => void data.loadFile(file)}
      />
      <section className="panel" aria-labelledby="bench-run-title">
        <h2 id="bench-run-title">Run</h2>
        <ModelStatus state={modelStore.state} onOpenModels={onOpenModels} />
        <RunForm
          knownIds={knownIds}
          phase={snapshot.phase}
          canPause={run?.kind === 'live'}
          blocked={blocked}
          onRun={(request) =>
            packageGate.guard(request, () => {
              if (dataset && model) void bench.start(request, dataset, model);
            })
          }
          onPause={bench.pause}
          onResume={bench.resumePaused}
          onStop={bench.stop}
        />
        <PackageNotice gate={packageGate} />
        {bench.actionError && (
          <ErrorNotice
            error={bench.actionError}
            testId="benchmark-error"
            onDismiss={bench.dismissError}
          />
        )}
      </section>
      <section
        className="panel"
        aria-labelledby="bench-results-title"
        data-testid="benchmark-results"
        data-phase={snapshot.phase}
        data-run-id={run?.id}
      >
        <h2 id="bench-results-title">
          Results
          {run && (
            <span className="bench-run-title">
              {runTitle(run)} · <span data-testid="bench-phase">{PHASE_TEXT[snapshot.phase]}</span>
            </span>
          )}
        </h2>
        {snapshot.error && <ErrorNotice error={snapshot.error} testId="run-error" />}
        {run ? (
          <>
            <RunFacts run={run} />
            <RunSummary snapshot={snapshot} dataset={dataset} now={bench.now} />
            {official && <FlawNotes rows={rows} />}
            <ResultsGrid rows={rows} live={active} officialDataset={official} onOpen={setOpenKey} />
          </>
        ) : (
          <p className="muted">
            No run yet: start one above, open a saved run below, or import a samples file.
          </p>
        )}
        <ExportImport
          run={run}
          records={snapshot.records}
          dataset={dataset}
          canImport={bench.ready && !active}
          onReplay={(label, lines, source) => void bench.replay(label, lines, source)}
        />
      </section>
      <section className="panel" aria-labelledby="bench-saved-title">
        <h2 id="bench-saved-title">Saved runs</h2>
        <PastRuns
          runs={bench.runs}
          currentRunId={run?.id ?? null}
          active={active}
          modelLoaded={model !== null}
          datasetReady={!!dataset}
          onOpen={(id) => void bench.open(id)}
          onResume={resume}
          onDelete={(id) => void bench.remove(id)}
        />
        {bench.runs.length >= 2 && (
          <>
            <h3>Compare two runs</h3>
            <RunCompare runs={bench.runs} loadRecords={bench.records} dataset={dataset} />
          </>
        )}
      </section>
      {openKey !== null && opened && (
        <CaseDrawer
          key={openKey}
          caseRef={opened}
          view={snapshot.cells.get(openKey)}
          problem={dataset?.problems.find((p) => p.id === opened.problemId)}
          live={active}
          officialDataset={official}
          onClose={() => setOpenKey(null)}
        />
      )}
    </div>
  );
}
