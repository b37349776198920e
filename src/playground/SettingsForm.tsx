import { useId } from 'react';
import type { NumberField, SettingsDraft } from './state/settings.ts';

const FIELDS: ReadonlyArray<{
  field: NumberField;
  label: string;
  testId: string;
  sampling: boolean;
  step?: number;
  min?: number;
  max?: number;
}> = [
  {
    field: 'maxNewTokens',
    label: 'Max new tokens',
    testId: 'max-new-tokens',
    sampling: false,
    min: 1,
  },
  {
    field: 'temperature',
    label: 'Temperature',
    testId: 'temperature',
    sampling: true,
    step: 0.05,
    min: 0.01,
  },
  { field: 'topP', label: 'Top-p', testId: 'top-p', sampling: true, step: 0.05, min: 0.01, max: 1 },
  { field: 'topK', label: 'Top-k (0: off)', testId: 'top-k', sampling: true, min: 0 },
  { field: 'seed', label: 'Seed', testId: 'seed', sampling: false },
];

/** Decoding settings; a bad value is marked where it is, with what is wrong. */
export function SettingsForm({
  draft,
  issues,
  onChange,
}: {
  draft: SettingsDraft;
  issues: Partial<Record<NumberField, string>>;
  onChange: (draft: SettingsDraft) => void;
}) {
  const id = useId();
  return (
    <fieldset className="pg-settings">
      <legend>Decoding</legend>
      <label>
        Mode
        <select
          value={draft.mode}
          onChange={(e) =>
            onChange({ ...draft, mode: e.target.value === 'greedy' ? 'greedy' : 'sample' })
          }
          data-testid="mode"
        >
          <option value="sample">Sample</option>
          <option value="greedy">Greedy</option>
        </select>
      </label>
      {FIELDS.map(({ field, label, testId, sampling, step, min, max }) => {
        const issue = issues[field];
        return (
          <label key={field}>
            {label}
            <input
              type="number"
              inputMode="decimal"
              value={draft[field]}
              step={step}
              min={min}
              max={max}
              disabled={sampling && draft.mode === 'greedy'}
              aria-invalid={issue !== undefined}
              aria-describedby={issue ? `${id}-${field}` : undefined}
              onChange={(e) => onChange({ ...draft, [field]: e.target.value })}
              data-testid={testId}
            />
            {issue && (
              <span id={`${id}-${field}`} className="pg-field-issue" role="alert">
                {issue}
              </span>
            )}
          </label>
        );
      })}
      <label className="pg-check">
        <input
          type="checkbox"
          checked={draft.mtpbTruncation}
          onChange={(e) => onChange({ ...draft, mtpbTruncation: e.target.checked })}
          data-testid="truncation"
        />
        MTPB truncation (stop where the benchmark would cut)
      </label>
    </fieldset>
  );
}
