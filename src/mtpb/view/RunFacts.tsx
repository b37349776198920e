import { describeModel } from '../run-model.ts';
import type { RunDescription } from '../storage/run-store.ts';
import { runDate } from './PastRuns.tsx';

/**
 * Exactly what ran, as the run recorded it: model, revision, dtype, backend, engine,
 * generation settings, app version, start time, and each resume (with what differed when the
 * user continued on another model). A replay shows the run that wrote its file, if known.
 */
export function RunFacts({ run }: { run: RunDescription & { source: RunDescription | null } }) {
  const described = run.kind === 'replay' ? run.source : run;
  if (!described) return null;
  const { settings } = described;
  return (
    <details className="bench-facts" data-testid="run-facts">
      <summary>
        {run.kind === 'replay' ? 'What generated these samples' : 'What ran'}:{' '}
        <span data-testid="run-facts-model">
          {described.model ? describeModel(described.model) : 'no model recorded'}
        </span>
      </summary>
      <dl>
        <dt>Model</dt>
        <dd>{described.model ? `${described.model.label} (${described.model.id})` : '—'}</dd>
        <dt>Revision</dt>
        <dd>{described.model?.revision ?? 'none (a local folder)'}</dd>
        <dt>Weights</dt>
        <dd>
          {described.model ? `${described.model.dtype} (${described.model.onnxPath || '?'})` : '—'}
        </dd>
        <dt>Backend · engine</dt>
        <dd>{described.model ? `${described.model.backend} · ${described.model.engine}` : '—'}</dd>
        <dt>Settings</dt>
        <dd data-testid="run-facts-settings">
          {settings.mode}-turn, temperature {settings.temperature}, top-p {settings.topP}, seed{' '}
          {settings.seed}, n {settings.n}, k {settings.k}, {settings.problemIds.length} problem
          {settings.problemIds.length === 1 ? '' : 's'}
        </dd>
        <dt>App version</dt>
        <dd data-testid="run-facts-version">{described.appVersion}</dd>
        <dt>Started</dt>
        <dd>{runDate(described)}</dd>
        {described.resumes.map((resume, i) => (
          <div key={resume.at} data-testid="run-facts-resume">
            <dt>Resume {i + 1}</dt>
            <dd>
              {runDate({ createdAt: resume.at })} on {describeModel(resume.model)}
              {resume.differences.length > 0 &&
                ` — continued anyway although ${resume.differences.join('; ')}`}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
