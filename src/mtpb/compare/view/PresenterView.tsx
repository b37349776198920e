import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { percent } from '../../metrics.ts';
import type { Mode } from '../../protocol.ts';
import { caseKey } from '../../records.ts';
import type { ComparisonSnapshot } from '../compare-controller.ts';
import { MODE_NAMES, MODES } from '../analysis.ts';
import type { ComparedProblem, ComparisonAnalysis } from '../analysis.ts';
import { judgedRate } from '../../metrics.ts';

export const PRESENTER_VIEWS = ['live', 'categories', 'problems'] as const;
export type PresenterViewId = (typeof PRESENTER_VIEWS)[number];

const VIEW_NAMES: Record<PresenterViewId, string> = {
  live: 'Live',
  categories: 'By category',
  problems: 'By problem',
};

/**
 * The comparison for a room: full screen, large type, the grid filling in, both modes'
 * running pass rates beside the paper's, and the charts, driven from the keyboard (S start,
 * Space pause/resume, → and ← change view, Esc leave). Rendered as a modal dialog so focus
 * and the keys stay in it.
 */
export function PresenterView({
  comparison,
  analysis,
  problems,
  randomWeights,
  modelLabel,
  charts,
  onStart,
  onPause,
  onResume,
  onClose,
}: {
  comparison: ComparisonSnapshot;
  analysis: ComparisonAnalysis;
  problems: readonly ComparedProblem[];
  randomWeights: boolean;
  modelLabel: string;
  /** The category and per-problem charts, sized for the screen. */
  charts: Record<Exclude<PresenterViewId, 'live'>, ReactNode>;
  /** Starts a comparison with the form's settings; null when none can start now. */
  onStart: (() => void) | null;
  onPause: () => void;
  onResume: () => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [view, setView] = useState<PresenterViewId>('live');
  const { phase } = comparison;

  // The latest onClose, for the fullscreen listener the mount effect sets up once.
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement;
    if (element && !element.open) element.showModal();
    // The dialog itself goes full screen where the browser allows it (a click opened it): the
    // page's root would be stacked above the modal dialog. The browser's Esc leaves full
    // screen without a key event reaching us, so leaving full screen leaves the view too.
    let entered = false;
    const onFullscreen = (): void => {
      if (document.fullscreenElement === element) entered = true;
      else if (entered) close.current();
    };
    document.addEventListener('fullscreenchange', onFullscreen);
    void element?.requestFullscreen?.().catch(() => undefined);
    return () => {
      document.removeEventListener('fullscreenchange', onFullscreen);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      if (opener instanceof HTMLElement) opener.focus();
    };
  }, []);

  const step = (by: number): void =>
    setView((current) => {
      const i = PRESENTER_VIEWS.indexOf(current);
      const next = (i + by + PRESENTER_VIEWS.length) % PRESENTER_VIEWS.length;
      return PRESENTER_VIEWS[next] ?? 'live';
    });

  const onKeyDown = (event: React.KeyboardEvent): void => {
    // Keys typed into a control (none here but the buttons) keep their meaning.
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowRight':
      case 'PageDown':
      case 'n':
        event.preventDefault();
        return step(1);
      case 'ArrowLeft':
      case 'PageUp':
      case 'p':
        event.preventDefault();
        return step(-1);
      case ' ':
        event.preventDefault();
        if (phase === 'running') onPause();
        else if (phase === 'paused') onResume();
        return;
      case 's':
      case 'S':
        event.preventDefault();
        if (phase !== 'running' && phase !== 'paused') onStart?.();
        return;
      default:
        return;
    }
  };

  const lanes = comparison.lanes;
  const total = lanes.multi.run?.totalCases ?? 0;
  return (
    <dialog
      ref={dialog}
      className="presenter"
      aria-label="Presenter view: multi- vs single-turn"
      data-testid="presenter"
      data-view={view}
      data-phase={phase}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {randomWeights && (
        <p className="presenter-banner" role="alert" data-testid="presenter-random-banner">
          This model has random weights: its pass rates are noise, not CodeGen’s.
        </p>
      )}
      <header className="presenter-head">
        <h2>
          Multi-turn vs single-turn <span className="presenter-model">{modelLabel}</span>
        </h2>
        <nav aria-label="Presenter views" className="presenter-tabs">
          {PRESENTER_VIEWS.map((id) => (
            <button
              key={id}
              type="button"
              aria-current={view === id ? 'page' : undefined}
              onClick={() => setView(id)}
            >
              {VIEW_NAMES[id]}
            </button>
          ))}
        </nav>
      </header>
      {/* Focusable: at some sizes it scrolls, and a keyboard must reach what is below. */}
      <div className="presenter-body" role="region" aria-label={VIEW_NAMES[view]} tabIndex={0}>
        {view === 'live' && (
          <div className="presenter-live">
            <div className="presenter-rates">
              {MODES.map((mode) => (
                <RateTile
                  key={mode}
                  mode={mode}
                  ours={judgedRate(lanes[mode].records).rate}
                  cases={lanes[mode].records.length}
                  total={total}
                  paper={analysis.paper ? analysis.paper[mode] / 100 : null}
                  paperModel={
                    analysis.paper
                      ? `${analysis.paper.model}${analysis.paper.matched ? '' : ', not this model'}`
                      : null
                  }
                />
              ))}
            </div>
            <PresenterGrid comparison={comparison} problems={problems} />
            {charts.categories}
          </div>
        )}
        {view === 'categories' && charts.categories}
        {view === 'problems' && charts.problems}
      </div>
      <footer className="presenter-foot">
        <span data-testid="presenter-phase">{PHASE_WORDS[phase]}</span>
        <span className="presenter-keys">
          <kbd>S</kbd> start · <kbd>Space</kbd> pause/resume · <kbd>←</kbd> <kbd>→</kbd> views ·{' '}
          <kbd>Esc</kbd> leave
        </span>
        <button type="button" onClick={onClose} data-testid="presenter-close">
          Leave presenter view
        </button>
      </footer>
    </dialog>
  );
}

const PHASE_WORDS: Record<ComparisonSnapshot['phase'], string> = {
  idle: 'Not started: press S',
  running: 'Running',
  paused: 'Paused: Space resumes',
  done: 'Finished',
  stopped: 'Stopped',
  error: 'Failed',
};

function RateTile({
  mode,
  ours,
  cases,
  total,
  paper,
  paperModel,
}: {
  mode: Mode;
  ours: number;
  cases: number;
  total: number;
  paper: number | null;
  paperModel: string | null;
}) {
  return (
    <section className={`presenter-rate mode-${mode}`} data-testid={`presenter-rate-${mode}`}>
      <h3>{MODE_NAMES[mode]}</h3>
      <p className="presenter-figure" data-testid={`presenter-figure-${mode}`}>
        {cases > 0 ? percent(ours) : '—'}
      </p>
      <p>
        {cases} of {total} cases
      </p>
      {paper !== null && (
        <p className="presenter-paper">
          Paper: {percent(paper, 2)} <span>({paperModel})</span>
        </p>
      )}
    </section>
  );
}

const CELL_LEGEND = [
  ['pass', 'passed'],
  ['fail', 'failed'],
  ['generating', 'running'],
  ['queued', 'waiting'],
] as const;

/** "3 passed, 7 failed of 10 done" for a mode's cells, the squares' text alternative. */
function cellCounts(cells: ComparisonSnapshot['lanes'][Mode]['cells']): string {
  let passed = 0;
  let done = 0;
  for (const view of cells.values())
    if (view.kind === 'done') {
      done++;
      if (view.record.passed) passed++;
    }
  return `${passed} passed, ${done - passed} failed, of ${cells.size} test cases`;
}

/** One square per test case and mode, filling in as verdicts come: green pass, red fail. */
function PresenterGrid({
  comparison,
  problems,
}: {
  comparison: ComparisonSnapshot;
  problems: readonly ComparedProblem[];
}) {
  const ids = new Set(comparison.lanes.multi.run?.settings.problemIds ?? []);
  const shown = problems.filter((p) => ids.has(p.id));
  return (
    <div className="presenter-grid">
      <ul className="presenter-grid-legend" aria-label="What the squares mean">
        {CELL_LEGEND.map(([state, label]) => (
          <li key={state}>
            <span className={`presenter-cell cell-${state}`} aria-hidden="true" /> {label}
          </li>
        ))}
      </ul>
      {MODES.map((mode) => {
        const cells = comparison.lanes[mode].cells;
        return (
          <div key={mode} className="presenter-grid-row">
            <span className="presenter-grid-label">{MODE_NAMES[mode]}</span>
            <div
              className="presenter-cells"
              role="img"
              aria-label={`${MODE_NAMES[mode]}: ${cellCounts(cells)}`}
            >
              {shown.flatMap((p) =>
                Array.from({ length: p.cases }, (_, c) => {
                  const view = cells.get(caseKey(p.id, c, 0));
                  const state =
                    view?.kind === 'done'
                      ? view.record.passed
                        ? 'pass'
                        : 'fail'
                      : (view?.kind ?? 'queued');
                  return <span key={`${p.id}/${c}`} className={`presenter-cell cell-${state}`} />;
                }),
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}
