import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
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
import { gridRows, mtpbGridProblems, parseCaseKey } from './stats.ts';
import type { GridProblem } from './stats.ts';
import { benchmarkOf, temperaturesOf } from '../protocol.ts';
import type { BenchmarkId, RunSettings } from '../protocol.ts';
import { mtpbSuite } from '../suite.ts';
import { humanEvalSuite } from '../../humaneval/suite.ts';
import { useHumanEval } from '../../humaneval/view/use-humaneval.ts';
import { HumanEvalSummary } from '../../humaneval/view/HumanEvalSummary.tsx';
import { HumanEvalDrawer } from '../../humaneval/view/HumanEvalDrawer.tsx';
import { isActive, useBenchmark } from './use-benchmark.ts';
import { isOfficialDataset } from './package-needs.ts';
import { usePackageGate } from './use-package-gate.ts';
import type { RunMeta } from '../storage/run-store.ts';
import type { CreateExecutor } from './use-benchmark.ts';
import { useDataset } from './use-dataset.ts';
import './benchmark.css';
import { PHASE_TEXT } from './phase-text.ts';

// The comparison's charts (Observable Plot) load with it, not with the app.
const ComparePanel = lazy(() => import('../compare/view/ComparePanel.tsx'));
const RunCharts = lazy(() => import('./RunCharts.tsx'));

const BENCHMARK_NAMES: Record<BenchmarkId, string> = {
  mtpb: 'MTPB (multi-turn, 115 problems)',
  humaneval: 'HumanEval (164 tasks)',
};

/**
 * The benchmarks, live: MTPB (the dataset, its test cases) or HumanEval (its tasks, one
 * column per temperature); the run form, the results grid with a drawer per case, saved runs,
 * comparison, export and replay of samples files. One runner, grid and store serve both.
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
  const humanEvalState = useHumanEval();
  const humanEval = humanEvalState.status === 'ready' ? humanEvalState.dataset : null;
  const bench = useBenchmark(client, createExecutor);
  const { snapshot } = bench;
  const { run } = snapshot;
  const [choice, setChoice] = useState<BenchmarkId>('mtpb');
  /** The benchmark of the run shown (or, with none, of the form). */
  const shown: BenchmarkId = run ? benchmarkOf(run.settings) : choice;
  const [openKey, setOpenKey] = useState<string | null>(null);
  const model = modelInfoOf(modelStore.state);
  const comparing = isActive(bench.comparison.phase);
  const active = isActive(snapshot.phase) || comparing;
  /** The settings of the last comparison asked for: the presenter's S starts another. */
  const [compareRequest, setCompareRequest] = useState<RunSettings | null>(null);
  const dataset = data.dataset;
  const packageGate = usePackageGate(dataset);
  const columnsOf = useMemo((): number[] => (run ? temperaturesOf(run.settings) : []), [run]);
  const gridProblems = useMemo((): GridProblem[] | null => {
    if (shown === 'humaneval')
      return (
        humanEval?.tasks.map((t) => ({
          id: t.id,
          name: t.entryPoint,
          category: [],
          cases: columnsOf.length,
        })) ?? null
      );
    return dataset ? mtpbGridProblems(dataset.problems) : null;
  }, [shown, humanEval, dataset, columnsOf]);
  const rows = useMemo(
    () => gridRows(run, snapshot.cells, gridProblems, bench.expectedKeys),
    [run, snapshot.cells, gridProblems, bench.expectedKeys],
  );
  const temperatureLabel = useCallback(
    (c: number): string => (run?.settings.temperatures ? `T = ${columnsOf[c] ?? '?'}` : 'Samples'),
    [run, columnsOf],
  );
  const temperatureCase = useCallback(
    (c: number): string =>
      run?.settings.temperatures ? `temperature ${columnsOf[c] ?? '?'}` : 'as imported',
    [run, columnsOf],
  );
  const suiteFor = (settings: RunSettings) =>
    benchmarkOf(settings) === 'humaneval'
      ? humanEval && humanEvalSuite(humanEval)
      : dataset && mtpbSuite(dataset);
  // The flaw notes describe the published mtpb.jsonl, not any file in its format.
  const official =
    shown === 'mtpb' &&
    isOfficialDataset(run?.kind === 'live' ? run.datasetLabel : (dataset?.label ?? ''));
  const knownIds = useMemo(
    () =>
      choice === 'humaneval'
        ? (humanEval?.tasks.map((t) => t.id) ?? [])
        : (dataset?.problems.map((p) => p.id) ?? []),
    [choice, dataset, humanEval],
  );
  const choiceReady = choice === 'humaneval' ? !!humanEval : !!dataset;
  const blocked = !bench.ready
    ? 'Opening saved runs…'
    : !choiceReady
      ? 'The benchmark is not loaded.'
      : !model
        ? 'Load a model first.'
        : null;
  const resumeContext = { active, modelLoaded: model !== null, datasetReady: !!dataset };
  // A resumed MTPB run is checked for its Python packages as a new one is: it says up front
  // which of its problems will be "unavailable". HumanEval's tests need none.
  const guarded = (settings: RunSettings, go: () => void): void =>
    benchmarkOf(settings) === 'mtpb' ? packageGate.guard(settings, go) : go();
  // A run of a comparison resumes with its partner, the two taking turns again.
  const resume = (meta: RunMeta, acceptDifferences = false): void =>
    guarded(meta.settings, () => {
      const suite = suiteFor(meta.settings);
      if (!suite || !model) return;
      if (meta.comparison)
        void bench.resumeComparison(meta.comparison.id, suite, model, acceptDifferences);
      else void bench.resume(meta, suite, model, acceptDifferences);
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
          canContinue={!!suiteFor(check.meta.settings) && !active}
          onContinue={() => {
            const suite = suiteFor(check.meta.settings);
            if (!suite) return;
            if (check.meta.comparison)
              void bench.resumeComparison(check.meta.comparison.id, suite, check.model, true);
            else void bench.resume(check.meta, suite, check.model, true);
          }}
          onCancel={bench.cancelResume}
        />
      )}
      <fieldset className="panel bench-choice" disabled={active}>
        <legend>Benchmark</legend>
        <div className="bench-radios">
          {(['mtpb', 'humaneval'] as const).map((id) => (
            <label key={id} className="radio">
              <input
                type="radio"
                name="bench-benchmark"
                value={id}
                checked={choice === id}
                onChange={() => setChoice(id)}
                data-testid={`benchmark-${id}`}
              />
              {BENCHMARK_NAMES[id]}
            </label>
          ))}
        </div>
        {choice === 'humaneval' && (
          <p className="muted" data-testid="humaneval-status">
            {humanEvalState.status === 'loading' && 'Loading HumanEval…'}
            {humanEvalState.status === 'ready' &&
              `${humanEvalState.dataset.tasks.length} tasks from ${humanEvalState.dataset.label} (openai/human-eval, MIT).`}
          </p>
        )}
        {choice === 'humaneval' && humanEvalState.status === 'error' && (
          <ErrorNotice error={humanEvalState.error} testId="humaneval-error" />
        )}
      </fieldset>
      {choice === 'mtpb' && (
        <DatasetSection
          state={data.state}
          dataset={dataset}
          disabled={active}
          onFile={(file) => void data.loadFile(file)}
        />
      )}
      <section className="panel" aria-labelledby="bench-run-title">
        <h2 id="bench-run-title">Run</h2>
        <ModelStatus state={modelStore.state} onOpenModels={onOpenModels} />
        <RunForm
          key={choice}
          benchmark={choice}
          knownIds={knownIds}
          phase={snapshot.phase}
          comparing={comparing}
          canPause={run?.kind === 'live'}
          blocked={blocked}
          onRun={(request) =>
            guarded(request, () => {
              const suite = suiteFor(request);
              if (suite && model) void bench.start(request, suite, model);
            })
          }
          onCompare={
            choice === 'mtpb'
              ? (request) =>
                  guarded(request, () => {
                    const suite = suiteFor(request);
                    setCompareRequest(request);
                    if (suite && model) void bench.startComparison(request, suite, model);
                  })
              : undefined
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
      {bench.comparison.id !== null && (
        <Suspense
          fallback={
            <section className="panel" aria-busy="true">
              <p className="muted">Loading the comparison’s charts…</p>
            </section>
          }
        >
          <ComparePanel
            comparison={bench.comparison}
            dataset={dataset}
            client={client}
            loadedModel={model}
            officialDataset={isOfficialDataset(dataset?.label ?? '')}
            onPause={bench.pauseComparison}
            onResume={bench.resumePausedComparison}
            onStop={bench.stopComparison}
            onStart={
              compareRequest && model && dataset && !active
                ? () => {
                    const request = compareRequest;
                    guarded(request, () => {
                      void bench.startComparison(request, mtpbSuite(dataset), model);
                    });
                  }
                : null
            }
          />
        </Suspense>
      )}
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
            <RunSummary
              snapshot={snapshot}
              dataset={shown === 'mtpb' ? dataset : null}
              now={bench.now}
              paperFigure={shown === 'mtpb'}
            />
            {shown === 'humaneval' && <HumanEvalSummary run={run} records={snapshot.records} />}
            {shown === 'mtpb' && (snapshot.timeline.length > 0 || run.settings.n > 1) && (
              <Suspense fallback={<p className="muted">Loading the run’s charts…</p>}>
                <RunCharts snapshot={snapshot} />
              </Suspense>
            )}
            {official && <FlawNotes rows={rows} />}
            {shown === 'humaneval' ? (
              <ResultsGrid
                rows={rows}
                live={active}
                officialDataset={false}
                onOpen={setOpenKey}
                columnLabel={temperatureLabel}
                caseLabel={temperatureCase}
              />
            ) : (
              <ResultsGrid
                rows={rows}
                live={active}
                officialDataset={official}
                onOpen={setOpenKey}
              />
            )}
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
          humanEval={humanEval}
          canImport={bench.ready && !active}
          onReplay={(replay) =>
            void bench.replay(
              replay.label,
              replay.jobs,
              replay.source,
              replay.benchmark,
              replay.temperatures,
            )
          }
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
          onOpenComparison={(id) => void bench.openComparison(id)}
        />
        {bench.runs.length >= 2 && (
          <>
            <h3>Compare two runs</h3>
            <RunCompare runs={bench.runs} loadRecords={bench.records} dataset={dataset} />
          </>
        )}
      </section>
      {openKey !== null && opened && shown === 'humaneval' && (
        <HumanEvalDrawer
          key={openKey}
          caseRef={opened}
          view={snapshot.cells.get(openKey)}
          task={humanEval?.tasks.find((t) => t.id === opened.problemId)}
          temperature={run?.settings.temperatures ? columnsOf[opened.caseIndex] : undefined}
          live={active}
          onClose={() => setOpenKey(null)}
        />
      )}
      {openKey !== null && opened && shown === 'mtpb' && (
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
