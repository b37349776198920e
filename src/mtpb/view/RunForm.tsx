import { useState } from 'react';
import { RunControls } from './RunControls.tsx';
import type { RunSnapshot } from '../run-controller.ts';
import { DEFAULT_FORM, HUMANEVAL_FORM, HUMANEVAL_PAPER_FORM, readForm } from './form-values.ts';
import type { FormField, FormValues } from './form-values.ts';
import type { BenchmarkId, RunSettings } from '../protocol.ts';
import { HUMANEVAL_STOPS } from '../../humaneval/protocol.ts';

interface Field {
  field: Exclude<FormField, 'problems'>;
  label: string;
  step?: number;
  hint: string;
  /** A text field (a list), not a number. */
  text?: boolean;
}

const FIELDS: Record<BenchmarkId, readonly Field[]> = {
  mtpb: [
    { field: 'seed', label: 'Seed', hint: '16, as the official sampler' },
    { field: 'n', label: 'Samples n', hint: 'per test case' },
    { field: 'k', label: 'k for pass@k', hint: '1 to n' },
    { field: 'temperature', label: 'Temperature', step: 0.05, hint: '' },
    { field: 'topP', label: 'Top-p', step: 0.05, hint: '' },
  ],
  humaneval: [
    { field: 'seed', label: 'Seed', hint: '' },
    { field: 'n', label: 'Samples n', hint: 'per task and temperature (pass@k for k ≤ n)' },
    {
      field: 'temperatures',
      label: 'Temperatures',
      hint: 'comma-separated; the paper: 0.2, 0.6, 0.8',
      text: true,
    },
    { field: 'topP', label: 'Top-p', step: 0.05, hint: '0.95 in the paper' },
    { field: 'maxNewTokens', label: 'Max new tokens', hint: 'per completion' },
  ],
};

/** Run settings and the Run / Pause / Resume / Stop buttons. */
export function RunForm({
  benchmark,
  knownIds,
  phase,
  canPause,
  blocked,
  onRun,
  onCompare,
  comparing = false,
  onPause,
  onResume,
  onStop,
}: {
  benchmark: BenchmarkId;
  knownIds: readonly string[];
  phase: RunSnapshot['phase'];
  /** Replays have no turns to pause between. */
  canPause: boolean;
  /** Why Run is unavailable (no model, no dataset…), or null. */
  blocked: string | null;
  onRun: (request: RunSettings) => void;
  /** MTPB: runs the settings in both modes, interleaved, as one comparison. */
  onCompare?: (request: RunSettings) => void;
  /** A comparison is running (its own controls stop it): nothing else may start. */
  comparing?: boolean;
  onPause: () => void;
  onResume: () => void;
  onStop: () => void;
}) {
  const [values, setValues] = useState<FormValues>(
    benchmark === 'humaneval' ? HUMANEVAL_FORM : DEFAULT_FORM,
  );
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const active = phase === 'running' || phase === 'paused' || comparing;
  const set = (field: FormField, value: string): void => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((current) => {
      const next = { ...current };
      delete next[field];
      return next;
    });
  };
  const submit = (go: (request: RunSettings) => void = onRun): void => {
    const result = readForm(values, knownIds, benchmark);
    if ('errors' in result) setErrors(result.errors);
    else go(result.request);
  };
  const problemsError = errors.problems;

  return (
    <form
      className="bench-form"
      aria-label="Run settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (!active && !blocked) submit();
      }}
    >
      <fieldset className="form-row bench-settings" disabled={active}>
        <legend className="visually-hidden">Run settings</legend>
        {benchmark === 'mtpb' && (
          <fieldset className="bench-mode">
            <legend>Mode</legend>
            <div className="bench-radios">
              <label className="radio">
                <input
                  type="radio"
                  name="bench-mode"
                  value="multi"
                  checked={values.mode === 'multi'}
                  onChange={() => setValues((v) => ({ ...v, mode: 'multi' }))}
                  aria-describedby="bench-mode-help"
                  data-testid="mode-multi"
                />
                Multi-turn
              </label>
              <label className="radio">
                <input
                  type="radio"
                  name="bench-mode"
                  value="single"
                  checked={values.mode === 'single'}
                  onChange={() => setValues((v) => ({ ...v, mode: 'single' }))}
                  aria-describedby="bench-mode-help"
                  data-testid="mode-single"
                />
                Single-turn
              </label>
            </div>
          </fieldset>
        )}
        <label>
          Problems
          <input
            type="text"
            value={values.problems}
            placeholder={benchmark === 'humaneval' ? 'all (e.g. 0-9,42)' : 'all (e.g. 1-10,23)'}
            onChange={(e) => set('problems', e.target.value)}
            aria-invalid={problemsError ? true : undefined}
            aria-describedby={problemsError ? 'bench-problems-error' : undefined}
            data-testid="bench-problems"
          />
          {problemsError && (
            <span className="field-error" id="bench-problems-error">
              {problemsError}
            </span>
          )}
        </label>
        {FIELDS[benchmark].map(({ field, label, step, hint, text }) => (
          <label key={field} title={hint || undefined}>
            {label}
            <input
              type={text ? 'text' : 'number'}
              step={step}
              value={values[field]}
              onChange={(e) => set(field, e.target.value)}
              aria-invalid={errors[field] ? true : undefined}
              aria-describedby={errors[field] ? `bench-${field}-error` : undefined}
              data-testid={`bench-${field}`}
            />
            {errors[field] && (
              <span className="field-error" id={`bench-${field}-error`}>
                {errors[field]}
              </span>
            )}
          </label>
        ))}
      </fieldset>
      {benchmark === 'humaneval' ? (
        <p className="muted bench-mode-help" data-testid="humaneval-help">
          Each task’s prompt (signature and docstring) is completed by the model, cut at the first
          of {HUMANEVAL_STOPS.map((s) => JSON.stringify(s)).join(', ')}, and checked as
          openai/human-eval checks it: prompt + completion + test + check(entry point), passed when
          nothing is raised within 3 s.{' '}
          <button
            type="button"
            className="link"
            disabled={active}
            onClick={() => setValues((v) => ({ ...v, ...HUMANEVAL_PAPER_FORM }))}
            data-testid="humaneval-paper-settings"
          >
            Use the paper’s settings
          </button>{' '}
          (temperatures 0.2, 0.6, 0.8, top-p 0.95, n = 100: long on a small GPU).
        </p>
      ) : (
        <p className="muted bench-mode-help" id="bench-mode-help" data-testid="mode-help">
          {values.mode === 'multi'
            ? "Multi-turn, the paper's protocol: one turn per prompt. The model completes each prompt with the earlier prompts and its own kept completions before it, max_gen_length tokens per turn."
            : 'Single-turn: the same intent as one turn. Every prompt of the problem becomes its own comment line, one after another, then a single completion whose token budget is the sum of the turns’ budgets.'}
        </p>
      )}
      <div className="form-row">
        <button
          type="submit"
          className="primary"
          disabled={active || blocked !== null}
          aria-describedby={blocked ? 'bench-blocked' : undefined}
          data-testid="bench-run"
        >
          Run
        </button>
        {onCompare && (
          <button
            type="button"
            disabled={active || blocked !== null}
            onClick={() => submit(onCompare)}
            title="Runs these problems and settings turn by turn and as one turn, alternating problem by problem, and shows the comparison"
            data-testid="bench-compare"
          >
            Compare multi- vs single-turn
          </button>
        )}
        <RunControls
          phase={phase}
          canPause={canPause}
          testIdPrefix="bench"
          onPause={onPause}
          onResume={onResume}
          onStop={onStop}
        />
        {blocked && !active && (
          <span className="muted" id="bench-blocked">
            {blocked}
          </span>
        )}
        {phase === 'paused' && (
          <span className="muted">Paused. Finished cases are saved; Resume goes on.</span>
        )}
      </div>
    </form>
  );
}
