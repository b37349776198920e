import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Chart } from '../../../charts/Chart.tsx';
import type { ChartSpec } from '../../../charts/spec.ts';
import { composeSvg, download } from '../../../charts/export-image.ts';
import type { ModelWorkerContract } from '../../../shared/contracts/model-worker.ts';
import type { RpcClient } from '../../../shared/rpc/client.ts';
import { ErrorNotice } from '../../../ui/ErrorNotice.tsx';
import type { Dataset } from '../../dataset.ts';
import { judgedRate, percent } from '../../metrics.ts';
import type { Mode } from '../../protocol.ts';
import { caseKey } from '../../records.ts';
import { describeModel, hasRandomWeights } from '../../run-model.ts';
import type { RunModel } from '../../run-model.ts';
import { summarizeTimeline } from '../../timeline.ts';
import { CaseDrawer } from '../../view/CaseDrawer.tsx';
import { ResultsGrid } from '../../view/ResultsGrid.tsx';
import { RunControls } from '../../view/RunControls.tsx';
import { APP_VERSION } from '../../view/app-version.ts';
import { gridRows, mtpbGridProblems, parseCaseKey } from '../../view/stats.ts';
import { compareRuns, MODE_NAMES, MODES } from '../analysis.ts';
import type { ComparisonSnapshot } from '../compare-controller.ts';
import {
  categoryChart,
  passAtKChart,
  perplexityChart,
  problemChart,
  timelineChart,
} from '../charts.ts';
import type { ProblemSort } from '../charts.ts';
import { comparisonReport, reportFileName } from '../report.ts';
import { PresenterView } from './PresenterView.tsx';
import { usePerplexity } from './use-perplexity.ts';
import '../../../charts/charts.css';
import './compare.css';
import { PHASE_TEXT } from '../../view/phase-text.ts';

/**
 * The multi- vs single-turn comparison: both runs' progress and pass rates beside the paper's,
 * the charts (live while it runs), prompt perplexity on demand, each run's grid, the presenter
 * view and the HTML report. Loaded lazily with the charting library.
 */
export default function ComparePanel({
  comparison,
  dataset,
  client,
  loadedModel,
  officialDataset,
  onPause,
  onResume,
  onStop,
  onStart,
}: {
  comparison: ComparisonSnapshot;
  dataset: Dataset | null;
  client: RpcClient<ModelWorkerContract>;
  /** The model loaded now (perplexity is scored with it). */
  loadedModel: RunModel | null;
  officialDataset: boolean;
  onPause: () => void;
  onResume: () => void;
  onStop: () => void;
  /** Starts another comparison with the last settings (the presenter's S), or null. */
  onStart: (() => void) | null;
}) {
  const { lanes, phase } = comparison;
  const meta = lanes.multi.run ?? lanes.single.run;
  const active = phase === 'running' || phase === 'paused';
  const problems = useMemo(() => (dataset ? mtpbGridProblems(dataset.problems) : []), [dataset]);
  const multiRecords = lanes.multi.records;
  const singleRecords = lanes.single.records;
  const n = meta?.settings.n ?? 1;
  const modelLabel = meta?.model?.label ?? null;
  const analysis = useMemo(
    () => compareRuns(problems, { multi: multiRecords, single: singleRecords }, n, modelLabel),
    [problems, multiRecords, singleRecords, n, modelLabel],
  );
  const random = hasRandomWeights(meta?.model ?? null);

  const [sort, setSort] = useState<ProblemSort>('id');
  const [openCase, setOpenCase] = useState<{ mode: Mode; key: string } | null>(null);
  const [gridMode, setGridMode] = useState<Mode>('multi');
  const [presenting, setPresenting] = useState(false);
  const [reportError, setReportError] = useState<string | null>(null);
  const perplexity = usePerplexity(client);
  const charts = useRef<HTMLDivElement>(null);

  /** A problem's first case of a mode: what a click on the problem opens. */
  const openProblem = useCallback(
    (problemId: string, mode: Mode = 'multi') =>
      setOpenCase({ mode, key: caseKey(problemId, 0, 0) }),
    [],
  );

  const categorySpec = useMemo(() => categoryChart(analysis), [analysis]);
  const problemSpec = useMemo(
    () => problemChart(analysis, sort, { onOpen: (id) => openProblem(id), onSort: setSort }),
    [analysis, sort, openProblem],
  );
  // The presenter's copy opens nothing: a drawer would open behind its dialog.
  const presenterProblemSpec = useMemo(() => problemChart(analysis, sort), [analysis, sort]);
  const passAtKSpec = useMemo(() => passAtKChart(analysis), [analysis]);
  // Keyed on the spans and clocks only: `lanes` is new with every token count (each second
  // while a run goes on), and the timeline chart would redraw for nothing.
  const multiTimeline = lanes.multi.timeline;
  const singleTimeline = lanes.single.timeline;
  const multiStart = lanes.multi.sessionStartedAt;
  const singleStart = lanes.single.sessionStartedAt;
  const timelines = useMemo(() => {
    const byMode = {
      multi: { spans: multiTimeline, start: multiStart },
      single: { spans: singleTimeline, start: singleStart },
    };
    const origin = Math.min(...MODES.map((mode) => byMode[mode].start).filter((t) => t > 0));
    return MODES.filter((mode) => byMode[mode].spans.length > 0).map((mode) => {
      const offset = byMode[mode].start - origin;
      return {
        lane: MODE_NAMES[mode],
        spans: byMode[mode].spans.map((s) => ({
          ...s,
          start: s.start + offset,
          end: s.end + offset,
        })),
      };
    });
  }, [multiTimeline, singleTimeline, multiStart, singleStart]);
  const timelineSpec = useMemo(
    () => (timelines.length > 0 ? timelineChart(timelines) : null),
    [timelines],
  );
  const perplexitySpec = useMemo(
    () =>
      perplexity.state.status === 'done'
        ? perplexityChart(
            perplexity.state.summary.points,
            perplexity.state.summary.bins,
            perplexity.state.summary.meanByMode,
          )
        : null,
    [perplexity.state],
  );

  const shownSpecs: Array<[string, ChartSpec<unknown>]> = [
    ['categories', categorySpec],
    ['problems', problemSpec],
    ...(passAtKSpec ? [['pass-at-k', passAtKSpec] as [string, ChartSpec<unknown>]] : []),
    ...(timelineSpec ? [['timeline', timelineSpec] as [string, ChartSpec<unknown>]] : []),
    ...(perplexitySpec ? [['perplexity', perplexitySpec] as [string, ChartSpec<unknown>]] : []),
  ];

  const saveReport = (): void => {
    if (!meta) return;
    try {
      const root = charts.current;
      const reportCharts = shownSpecs.flatMap(([id, spec]) => {
        const node = root?.querySelector(`[data-testid="chart-${id}"] .chart-plot`);
        if (!node || node.childElementCount === 0) return [];
        const { markup } = composeSvg(node, {
          title: spec.title,
          description: spec.description,
          legend: spec.legend ?? [],
        });
        return [{ id, title: spec.title, description: spec.description, svg: markup }];
      });
      const input = {
        title: `MTPB: multi- vs single-turn — ${meta.model?.label ?? 'unknown model'}`,
        generatedAt: Date.now(),
        appVersion: meta.appVersion || APP_VERSION,
        model: meta.model,
        randomWeights: random,
        datasetLabel: meta.datasetLabel,
        settings: meta.settings,
        runIds: { multi: lanes.multi.run?.id ?? '', single: lanes.single.run?.id ?? '' },
        analysis,
        timing: {
          multi: lanes.multi.timeline.length > 0 ? summarizeTimeline(lanes.multi.timeline) : null,
          single:
            lanes.single.timeline.length > 0 ? summarizeTimeline(lanes.single.timeline) : null,
        },
        perplexity:
          perplexity.state.status === 'done'
            ? {
                meanByMode: perplexity.state.summary.meanByMode,
                problems: perplexity.state.summary.problems.length,
              }
            : null,
        charts: reportCharts,
      };
      download(
        new Blob([comparisonReport(input)], { type: 'text/html;charset=utf-8' }),
        reportFileName(input),
      );
      setReportError(null);
    } catch (error) {
      setReportError(error instanceof Error ? error.message : String(error));
    }
  };

  const lane = lanes[gridMode];
  const gridProblems = problems;
  const rows = useMemo(
    () => gridRows(lane.run, lane.cells, gridProblems, []),
    [lane.run, lane.cells, gridProblems],
  );
  // Stable, so the grid's rows (memoized) re-render only when their own cells change, not
  // when a chart or the other run moves.
  const openCell = useCallback((key: string) => setOpenCase({ mode: gridMode, key }), [gridMode]);
  const opened = openCase ? parseCaseKey(openCase.key) : null;
  const perplexityState = perplexity.state;
  const scoringModel = loadedModel ? describeModel(loadedModel) : null;
  const sameModel =
    !!loadedModel &&
    !!meta?.model &&
    loadedModel.id === meta.model.id &&
    loadedModel.dtype === meta.model.dtype;

  // Part of the comparison: when a comparison this page ran finishes, its prompts are scored
  // by the model that ran it (a reopened one is scored on demand).
  const previousPhase = useRef(phase);
  const { compute } = perplexity;
  useEffect(() => {
    const finished = previousPhase.current === 'running' && phase === 'done';
    previousPhase.current = phase;
    if (finished && sameModel && dataset && loadedModel)
      void compute(dataset.problems, multiRecords, analysis, describeModel(loadedModel));
  }, [phase, sameModel, dataset, loadedModel, multiRecords, analysis, compute]);

  return (
    <section
      className="panel compare"
      aria-labelledby="compare-title"
      data-testid="comparison"
      data-phase={phase}
      data-comparison-id={comparison.id ?? undefined}
    >
      <div className="compare-head">
        <h2 id="compare-title">Multi-turn vs single-turn</h2>
        <span className="muted">
          {meta ? `${meta.model ? describeModel(meta.model) : 'unknown model'} · ` : ''}
          <span data-testid="compare-phase">{PHASE_TEXT[phase]}</span>
        </span>
      </div>
      {random && (
        <p className="compare-banner" data-testid="compare-random-banner">
          This model has random weights: both modes’ pass rates are noise, not CodeGen’s. Load a
          real checkpoint to see the paper’s effect.
        </p>
      )}
      <div className="form-row">
        <RunControls
          phase={phase}
          testIdPrefix="compare"
          onPause={onPause}
          onResume={onResume}
          onStop={onStop}
        />
        <button type="button" onClick={() => setPresenting(true)} data-testid="compare-present">
          Presenter view
        </button>
        <button
          type="button"
          disabled={active || analysis.problems.length === 0}
          onClick={saveReport}
          data-testid="compare-report"
        >
          Download report (HTML)
        </button>
      </div>
      {reportError && (
        <p className="chart-error" role="alert">
          The report could not be written: {reportError}
        </p>
      )}
      <table className="compare-lanes" data-testid="compare-lanes">
        <caption className="visually-hidden">Both runs of the comparison</caption>
        <thead>
          <tr>
            <th scope="col">Mode</th>
            <th scope="col">Cases done</th>
            <th scope="col">Pass rate so far</th>
            <th scope="col">On problems both finished</th>
            <th scope="col">
              Paper
              {analysis.paper &&
                ` (${analysis.paper.model}${analysis.paper.matched ? '' : ', not this model'})`}
            </th>
          </tr>
        </thead>
        <tbody>
          {MODES.map((mode) => {
            const snapshot = lanes[mode];
            const rate = judgedRate(snapshot.records);
            return (
              <tr key={mode} data-testid={`compare-lane-${mode}`}>
                <th scope="row">{MODE_NAMES[mode]}</th>
                <td className="num">
                  {snapshot.records.length} / {snapshot.run?.totalCases ?? 0}
                </td>
                <td className="num">{rate.judged > 0 ? percent(rate.rate) : '—'}</td>
                <td className="num" data-testid={`compare-rate-${mode}`}>
                  {analysis.overall[mode].judged > 0
                    ? `${percent(analysis.overall[mode].rate)} (${analysis.overall[mode].passed}/${analysis.overall[mode].judged})`
                    : '—'}
                </td>
                <td className="num">
                  {analysis.paper ? `${analysis.paper[mode].toFixed(2)} %` : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted" data-testid="compare-coverage">
        Compared on {analysis.problems.length} problem{analysis.problems.length === 1 ? '' : 's'}{' '}
        both modes finished
        {analysis.pending.length > 0 ? `; ${analysis.pending.length} pending` : ''}. Generation
        alternates problem by problem, so a stopped comparison still compares like with like.
      </p>
      <div className="chart-grid" ref={charts}>
        <Chart id="categories" fileName="mtpb-compare-categories" {...categorySpec} />
        <Chart
          id="problems"
          fileName="mtpb-compare-problems"
          {...problemSpec}
          onDatum={(datum) => openProblem(datum.problemId)}
        />
        {passAtKSpec && <Chart id="pass-at-k" fileName="mtpb-compare-pass-at-k" {...passAtKSpec} />}
        {timelineSpec && <Chart id="timeline" fileName="mtpb-compare-timeline" {...timelineSpec} />}
        {perplexitySpec && (
          <Chart id="perplexity" fileName="mtpb-compare-perplexity" {...perplexitySpec} />
        )}
      </div>
      <section aria-labelledby="compare-ppl-title" data-testid="compare-perplexity">
        <h3 id="compare-ppl-title">Prompt perplexity</h3>
        <p className="muted">
          The paper explains the multi-turn gain by perplexity: the model finds prompts split into
          turns less surprising. Each multi-turn prompt is scored given the history before it, with
          this run’s own kept completions; each single-turn prompt is scored as one piece. Only
          prompt tokens count, never completions.
        </p>
        <div className="form-row">
          <button
            type="button"
            disabled={
              active ||
              !loadedModel ||
              !dataset ||
              analysis.problems.length === 0 ||
              perplexityState.status === 'running'
            }
            onClick={() =>
              dataset &&
              loadedModel &&
              void perplexity.compute(
                dataset.problems,
                multiRecords,
                analysis,
                describeModel(loadedModel),
              )
            }
            data-testid="compare-perplexity-run"
          >
            Compute prompt perplexity
          </button>
          {perplexityState.status === 'running' && (
            <>
              <progress
                max={perplexityState.total}
                value={perplexityState.done}
                aria-label="Prompts scored"
              />
              <span role="status">
                {perplexityState.done} / {perplexityState.total} prompts scored
              </span>
              <button type="button" onClick={perplexity.cancel}>
                Cancel
              </button>
            </>
          )}
          {!loadedModel && <span className="muted">Load a model to score prompts.</span>}
        </div>
        {loadedModel && meta?.model && !sameModel && (
          <p className="notice warn">
            The loaded model ({scoringModel}) is not the one the runs used (
            {describeModel(meta.model)}): its perplexities describe it, not the runs’ model.
          </p>
        )}
        {perplexityState.status === 'error' && (
          <ErrorNotice error={perplexityState.error} testId="compare-perplexity-error" />
        )}
        {perplexityState.status === 'done' && (
          <p data-testid="compare-perplexity-means">
            Mean prompt perplexity: multi-turn{' '}
            <strong data-testid="ppl-multi">
              {perplexityState.summary.meanByMode.multi?.toFixed(2) ?? '—'}
            </strong>
            , single-turn{' '}
            <strong data-testid="ppl-single">
              {perplexityState.summary.meanByMode.single?.toFixed(2) ?? '—'}
            </strong>{' '}
            ({perplexityState.rows} prompts scored by {perplexityState.modelLabel} in{' '}
            {(perplexityState.ms / 1000).toFixed(1)} s).
          </p>
        )}
      </section>
      <div className="compare-grid-choice" role="radiogroup" aria-label="Grid of which run">
        <span>Grid:</span>
        {MODES.map((mode) => (
          <label key={mode} className="radio">
            <input
              type="radio"
              name="compare-grid"
              checked={gridMode === mode}
              onChange={() => setGridMode(mode)}
              data-testid={`compare-grid-${mode}`}
            />
            {MODE_NAMES[mode]}
          </label>
        ))}
      </div>
      <ResultsGrid rows={rows} live={active} officialDataset={officialDataset} onOpen={openCell} />
      {openCase && opened && (
        <CaseDrawer
          key={`${openCase.mode}:${openCase.key}`}
          caseRef={opened}
          view={lanes[openCase.mode].cells.get(openCase.key)}
          problem={dataset?.problems.find((p) => p.id === opened.problemId)}
          live={active}
          officialDataset={officialDataset}
          onClose={() => setOpenCase(null)}
        />
      )}
      {presenting && (
        <PresenterView
          comparison={comparison}
          analysis={analysis}
          problems={problems}
          randomWeights={random}
          modelLabel={meta?.model ? describeModel(meta.model) : ''}
          charts={{
            categories: (
              <Chart
                id="presenter-categories"
                fileName="mtpb-compare-categories"
                {...categorySpec}
              />
            ),
            problems: (
              <Chart
                id="presenter-problems"
                fileName="mtpb-compare-problems"
                {...presenterProblemSpec}
              />
            ),
          }}
          onStart={onStart}
          onPause={onPause}
          onResume={onResume}
          onClose={() => setPresenting(false)}
        />
      )}
    </section>
  );
}
