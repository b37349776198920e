import { useState } from 'react';
import type { GenerationParamsInput } from '../engine/generation/params.ts';
import type { ModelWorkerContract } from '../shared/contracts/model-worker.ts';
import { formatMs } from '../shared/format.ts';
import type { RpcClient } from '../shared/rpc/client.ts';
import { useGeneration } from './use-generation.ts';

const numberOr = (value: string, fallback: number): number =>
  value.trim() === '' || Number.isNaN(Number(value)) ? fallback : Number(value);

/** A prompt, the sampling settings, and the streamed continuation with its timings. */
export function GeneratePanel({
  client,
  modelReady,
}: {
  client: RpcClient<ModelWorkerContract>;
  modelReady: boolean;
}) {
  const [prompt, setPrompt] = useState(
    '# Return the sum of a list of numbers.\ndef sum_list(numbers):\n',
  );
  const [mode, setMode] = useState<'greedy' | 'sample'>('sample');
  const [maxNewTokens, setMaxNewTokens] = useState('64');
  const [temperature, setTemperature] = useState('0.2');
  const [topP, setTopP] = useState('0.95');
  const [topK, setTopK] = useState('0');
  const [seed, setSeed] = useState('0');
  const { state, run, stop } = useGeneration(client);
  const params: GenerationParamsInput = {
    mode,
    maxNewTokens: numberOr(maxNewTokens, 64),
    temperature: numberOr(temperature, 0.2),
    topP: numberOr(topP, 0.95),
    topK: numberOr(topK, 0),
    seed: numberOr(seed, 0),
  };
  const generated = state.result?.rows[0]?.ids.length ?? state.tokens.length;
  const timings = state.result?.timings;

  return (
    <section className="panel" aria-labelledby="generate-title" data-testid="generate-panel">
      <h2 id="generate-title">Generate</h2>
      <label className="stacked">
        Prompt
        <textarea
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          rows={6}
          spellCheck={false}
          data-testid="prompt"
        />
      </label>
      <fieldset className="form-row">
        <legend>Decoding</legend>
        <label>
          Mode
          <select
            value={mode}
            onChange={(e) => setMode(e.target.value === 'greedy' ? 'greedy' : 'sample')}
            data-testid="mode"
          >
            <option value="sample">Sample</option>
            <option value="greedy">Greedy</option>
          </select>
        </label>
        <label>
          Max new tokens
          <input
            type="number"
            min={1}
            value={maxNewTokens}
            onChange={(e) => setMaxNewTokens(e.target.value)}
            data-testid="max-new-tokens"
          />
        </label>
        <label>
          Temperature
          <input
            type="number"
            step={0.05}
            min={0.01}
            value={temperature}
            disabled={mode === 'greedy'}
            onChange={(e) => setTemperature(e.target.value)}
          />
        </label>
        <label>
          Top-p
          <input
            type="number"
            step={0.05}
            min={0.01}
            max={1}
            value={topP}
            disabled={mode === 'greedy'}
            onChange={(e) => setTopP(e.target.value)}
          />
        </label>
        <label>
          Top-k
          <input
            type="number"
            min={0}
            value={topK}
            disabled={mode === 'greedy'}
            onChange={(e) => setTopK(e.target.value)}
          />
        </label>
        <label>
          Seed
          <input
            type="number"
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            data-testid="seed"
          />
        </label>
      </fieldset>
      <div className="form-row">
        <button
          type="button"
          className="primary"
          disabled={state.status === 'running'}
          onClick={() => void run({ text: prompt }, params)}
          data-testid="generate"
        >
          Generate
        </button>
        <button
          type="button"
          disabled={state.status !== 'running'}
          onClick={stop}
          data-testid="stop"
        >
          Stop
        </button>
        {!modelReady && <span className="muted">Load a model first.</span>}
      </div>
      {state.error && state.status === 'error' && (
        <div
          className="notice error"
          role="alert"
          data-testid="generate-error"
          data-code={state.error.code}
        >
          <strong>{state.error.message}</strong>
          {state.error.hint && <p>{state.error.hint}</p>}
        </div>
      )}
      <pre className="output" data-testid="output" data-status={state.status} aria-live="polite">
        <span className="prompt-echo">{prompt}</span>
        {state.text}
      </pre>
      <p className="muted" data-testid="generation-stats">
        {state.status === 'running' && `Generating… ${generated} tokens`}
        {state.status === 'stopped' && `Stopped after ${generated} tokens.`}
        {state.status === 'done' &&
          timings &&
          `${generated} tokens · stop: ${state.result?.rows[0]?.stop.kind ?? '?'} · time to first token ${formatMs(timings.firstTokenMs)} · prefill ${Math.round(
            timings.prefillTokens / Math.max(timings.prefillMs / 1000, 1e-6),
          )} tok/s · decode ${timings.decodeSteps > 0 ? Math.round(timings.decodeTokens / Math.max(timings.decodeMs / 1000, 1e-6)) : 0} tok/s`}
      </p>
    </section>
  );
}
