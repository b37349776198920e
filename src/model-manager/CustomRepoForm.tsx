import { useId, useState } from 'react';
import { customModel } from '../engine/registry/custom.ts';
import type { ModelEntry } from '../engine/registry/types.ts';
import { isAppError } from '../shared/errors.ts';

/** Adds any hub repo ("owner/name") or same-origin folder to the model list. */
export function CustomRepoForm({ onAdd }: { onAdd: (entry: ModelEntry) => void }) {
  const [location, setLocation] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const problemId = useId();

  return (
    <form
      className="form-row"
      onSubmit={(event) => {
        event.preventDefault();
        try {
          onAdd(customModel({ location }));
          setProblem(null);
        } catch (error) {
          setProblem(isAppError(error) ? error.message : String(error));
        }
      }}
    >
      <label>
        Hugging Face repo id
        <input
          value={location}
          onChange={(e) => setLocation(e.target.value)}
          placeholder="Xenova/codegen-350M-mono"
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-describedby={problem === null ? undefined : problemId}
          data-testid="custom-repo"
        />
      </label>
      <button type="submit">Use</button>
      {problem !== null && (
        <p id={problemId} className="notice error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
