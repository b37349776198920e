import { useMemo, useState } from 'react';
import {
  backendLabel,
  chooseBackend,
  decisionOf,
  describeDecision,
} from '../engine/backend-choice.ts';
import {
  chooseEngine,
  describeEngineDecision,
  engineDecisionOf,
  engineLabel,
  parseEngineChoice,
} from '../engine/engine-choice.ts';
import { checkCompatibility, defaultDtype } from '../engine/registry/compat.ts';
import type { DeviceSupport } from '../engine/registry/compat.ts';
import { availableDtypes } from '../engine/registry/dtypes.ts';
import { LISTED_MODELS } from '../engine/registry/models.ts';
import type { Dtype, ModelEntry } from '../engine/registry/types.ts';
import type { BackendChoice, EngineChoice, GpuReport } from '../shared/contracts/model-worker.ts';
import type { AppError } from '../shared/errors.ts';
import { isAppError } from '../shared/errors.ts';
import { formatMs } from '../shared/format.ts';
import { CachedModels } from './CachedModels.tsx';
import { CustomRepoForm } from './CustomRepoForm.tsx';
import { dtypeChoices } from './dtype-choices.ts';
import { DtypeRefusals, DtypeSelect } from './DtypeMenu.tsx';
import { folderEntry } from './folder-files.ts';
import { LoadProgress } from './LoadProgress.tsx';
import { LocalFolderPicker } from './LocalFolderPicker.tsx';
import { ModelCatalog } from './ModelCatalog.tsx';
import { ModelError } from './ModelError.tsx';
import { usableModel } from './model-store.ts';
import type { ModelStore } from './model-store.ts';
import { loadBackendChoice, saveBackendChoice } from './backend-preference.ts';
import { MakeOffline } from './offline/MakeOffline.tsx';
import type { PreparePython } from './offline/prepare-python.ts';
import './models.css';

/** Pick a model, dtype, backend and engine; load it with progress; see what is loaded. */
export function ModelPanel({
  store,
  caps,
  gpu,
  initialEngine,
  preparePython,
}: {
  store: ModelStore;
  caps: DeviceSupport | null;
  /** The model worker's WebGPU adapter (Auto decides from it); null until probed. */
  gpu: GpuReport | null;
  /** The Engine menu's choice on arrival (?engine=). */
  initialEngine: EngineChoice;
  /** The Python stage of "Make available offline" (the benchmark's packages). */
  preparePython?: PreparePython;
}) {
  const [entryId, setEntryId] = useState('tiny');
  const [customModels, setCustomModels] = useState<readonly ModelEntry[]>([]);
  const models = useMemo(() => [...LISTED_MODELS, ...customModels], [customModels]);
  const entry = models.find((m) => m.id === entryId) ?? LISTED_MODELS[0];
  const [backend, setBackend] = useState<BackendChoice>(loadBackendChoice);
  const [engine, setEngine] = useState<EngineChoice>(initialEngine);
  const [dtypeChoice, setDtype] = useState<Dtype | null>(null);
  // Files of folders picked from disk, by entry id; they never enter the cache.
  const [folders, setFolders] = useState<ReadonlyMap<string, Map<string, Blob>>>(new Map());
  const [pickError, setPickError] = useState<AppError | null>(null);
  const [storageOpen, setStorageOpen] = useState(false);
  if (!entry) return null;
  const addModel = (custom: ModelEntry): void => {
    setCustomModels((list) => [...list.filter((m) => m.id !== custom.id), custom]);
    setEntryId(custom.id);
    setDtype(null);
  };
  const files = folders.get(entry.id);
  const { state } = store;
  const decision = gpu ? chooseBackend(backend, gpu) : null;
  const autoDecision = gpu ? chooseBackend('auto', gpu) : null;
  const effectiveBackend = decision?.backend ?? (backend === 'auto' ? 'wasm' : backend);
  // The WGSL kernels need WebGPU: on WASM the menu rests on Auto, which takes onnxruntime.
  const engineOpen = effectiveBackend === 'webgpu';
  const engineChoice = engineOpen ? engine : 'auto';
  const autoEngine = chooseEngine('auto', effectiveBackend);
  const dtypes = availableDtypes(entry);
  const current = usableModel(state);
  // Until the user picks weights, the menu shows what is loaded (e.g. the tiny model's fp32).
  const loadedDtype = current?.target.entry.id === entry.id ? current.target.dtype : null;
  const dtype =
    dtypeChoice && dtypes.includes(dtypeChoice)
      ? dtypeChoice
      : (loadedDtype ??
        defaultDtype(entry, effectiveBackend, caps ?? undefined) ??
        dtypes[0] ??
        'fp32');
  const compat = caps ? checkCompatibility(entry, dtype, caps, effectiveBackend) : null;
  // Refused before a byte is downloaded: the warning below says why.
  const incompatible = compat !== null && !compat.ok;
  const choices = dtypeChoices(entry, effectiveBackend, caps);

  return (
    <section className="panel" aria-labelledby="model-title" data-testid="model-panel">
      <h2 id="model-title">Model</h2>
      <div className="model-row">
        <div className="form-row">
          <label>
            Model
            <select
              value={entry.id}
              onChange={(e) => setEntryId(e.target.value)}
              data-testid="model-select"
            >
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <DtypeSelect choices={choices} value={dtype} onChange={setDtype} />
          <label>
            Backend
            <select
              value={backend}
              onChange={(e) => {
                const choice =
                  e.target.value === 'webgpu'
                    ? 'webgpu'
                    : e.target.value === 'wasm'
                      ? 'wasm'
                      : 'auto';
                setBackend(choice);
                saveBackendChoice(choice);
              }}
              aria-describedby={autoDecision ? 'backend-plan' : undefined}
              data-testid="backend-select"
            >
              <option value="auto">
                Auto{autoDecision && ` (${backendLabel(autoDecision.backend)})`}
              </option>
              <option value="webgpu">WebGPU</option>
              <option value="wasm">WASM (CPU)</option>
            </select>
          </label>
          <label>
            Engine
            <select
              value={engineChoice}
              disabled={!engineOpen}
              onChange={(e) => setEngine(parseEngineChoice(e.target.value) ?? 'auto')}
              aria-describedby="engine-plan"
              data-testid="engine-select"
            >
              <option value="auto">Auto ({engineLabel(autoEngine.engine)})</option>
              <option value="ort">{engineLabel('ort')}</option>
              <option value="wgsl">{engineLabel('wgsl')}</option>
            </select>
          </label>
          <button
            type="button"
            className="primary"
            disabled={state.status === 'loading' || incompatible}
            aria-describedby={incompatible ? 'compat-warning' : undefined}
            onClick={() => {
              setPickError(null); // an old complaint about a folder is not this attempt's
              void store.load({
                entry,
                dtype,
                backend,
                engine: engineChoice,
                ...(files ? { files } : {}),
              });
            }}
            data-testid="load-model"
          >
            Load
          </button>
        </div>
        <CustomRepoForm onAdd={addModel} />
        <LocalFolderPicker
          onFolder={(folder) => {
            try {
              const picked = folderEntry(folder);
              setFolders((map) => new Map(map).set(picked.id, folder.files));
              addModel(picked);
              setPickError(null);
            } catch (error) {
              setPickError(isAppError(error) ? error : null);
            }
          }}
          onError={setPickError}
        />
      </div>
      {pickError && (
        <div className="notice error" role="alert" data-testid="folder-error">
          <strong>{pickError.message}</strong>
          {pickError.hint && <p>{pickError.hint}</p>}
        </div>
      )}
      {autoDecision && (
        <p className="muted" id="backend-plan" data-testid="backend-plan">
          Auto uses {backendLabel(autoDecision.backend)} here: {autoDecision.reason}.
        </p>
      )}
      <p className="muted" id="engine-plan" data-testid="engine-plan">
        {engineOpen
          ? `Auto uses the ${engineLabel(autoEngine.engine)} here: ${autoEngine.reason}, and onnxruntime-web for the others.`
          : `The engine is ${engineLabel(autoEngine.engine)}: ${autoEngine.reason}.`}
      </p>
      <DtypeRefusals choices={choices} backend={effectiveBackend} />
      <p className="muted">{entry.description}</p>
      {!files && entry.dtypes[dtype] && (
        <MakeOffline
          key={`${entry.id} ${dtype}`}
          store={store}
          entry={entry}
          dtype={dtype}
          models={models}
          preparePython={preparePython}
        />
      )}
      {compat && !compat.ok && (
        <ul className="notice warn" id="compat-warning" data-testid="compat-warning">
          {compat.reasons.map((r) => (
            <li key={r.code}>{r.message}</li>
          ))}
          {compat.suggestedDtype && (
            <li>
              Try {compat.suggestedDtype} instead.{' '}
              <button type="button" onClick={() => setDtype(compat.suggestedDtype)}>
                Use {compat.suggestedDtype}
              </button>
            </li>
          )}
        </ul>
      )}
      {state.status === 'loading' && <LoadProgress state={state} onCancel={store.cancel} />}
      {state.status === 'error' && (
        <ModelError
          error={state.error}
          onRetry={() => void store.load(state.target)}
          onManageStorage={() => setStorageOpen(true)}
        />
      )}
      {store.notices.map((notice) => (
        <p key={notice} className="notice warn">
          {notice}
        </p>
      ))}
      {current && (
        <p
          className="notice ok"
          data-testid="model-ready"
          data-backend={current.info.backend}
          data-backend-choice={current.info.backendChoice}
          data-engine={current.info.engine}
          data-engine-choice={current.info.engineChoice}
          data-from-cache={String(current.info.fromCache)}
        >
          Loaded <strong>{current.info.label}</strong> ({current.target.dtype}) on{' '}
          {backendLabel(current.info.backend)} with {engineLabel(current.info.engine)} in{' '}
          {formatMs(current.info.timings.totalMs)} (download{' '}
          {formatMs(current.info.timings.downloadMs)}
          {current.info.fromCache ? ', from cache' : ''},{' '}
          {current.info.engine === 'wgsl' ? 'weights to the GPU' : 'session'}{' '}
          {formatMs(current.info.timings.sessionMs)}, warm-up{' '}
          {formatMs(current.info.timings.warmupMs)}).
          {current.target.entry.weights === 'random' && ' Random weights: its output is noise.'}
          {state.status === 'error' &&
            ` It is still loaded and in use: loading ${state.target.entry.label} failed and changed nothing.`}{' '}
          <span data-testid="backend-reason">
            Backend: {describeDecision(decisionOf(current.info))}.
          </span>{' '}
          <span data-testid="engine-reason">
            Engine: {describeEngineDecision(engineDecisionOf(current.info))}.
          </span>
        </p>
      )}
      <div className="model-extras">
        <ModelCatalog
          models={models}
          caps={caps}
          backend={effectiveBackend}
          onChoose={(id, d) => {
            setEntryId(id);
            setDtype(d);
          }}
        />
        <CachedModels store={store} models={models} open={storageOpen} onToggle={setStorageOpen} />
      </div>
    </section>
  );
}
