import { formatBytes, formatEta } from '../shared/format.ts';
import type { ModelState } from './model-store.ts';

const PHASES = {
  download: 'Downloading',
  'create-session': 'Creating the onnxruntime session',
  'upload-weights': 'Putting the weights on the GPU (WGSL engine)',
  warmup: 'Compiling shaders (warm-up run)',
  ready: 'Ready',
} as const;

/** Per-file and total progress of a model load, with speed and ETA. */
export function LoadProgress({
  state,
  onCancel,
}: {
  state: Extract<ModelState, { status: 'loading' }>;
  onCancel: () => void;
}) {
  const { progress, phase, upload } = state;
  const fraction =
    phase === 'upload-weights' && upload && upload.total > 0
      ? upload.uploaded / upload.total
      : phase === 'download' && progress.total
        ? progress.loaded / progress.total
        : undefined;
  return (
    <div className="load-progress" role="status" aria-live="polite" data-testid="load-progress">
      <p>
        <strong data-testid="load-phase">{PHASES[phase]}</strong>
        {phase === 'download' && (
          <>
            {' '}
            {formatBytes(progress.loaded)}
            {progress.total !== null && ` of ${formatBytes(progress.total)}`}
            {progress.bytesPerSecond > 0 && ` · ${formatBytes(progress.bytesPerSecond)}/s`}
            {formatEta(progress.etaSeconds)}
          </>
        )}
        {phase === 'upload-weights' &&
          upload &&
          ` ${formatBytes(upload.uploaded)} of ${formatBytes(upload.total)}`}
      </p>
      <progress max={1} value={fraction} aria-label="Model loading progress" />
      <ul className="file-progress">
        {progress.files.map((file) => (
          <li
            key={file.path}
            data-testid="file-progress"
            data-path={file.path}
            data-from-cache={String(file.fromCache)}
          >
            <code>{file.path}</code> {formatBytes(file.loaded)}
            {file.total !== null && file.total !== file.loaded && ` / ${formatBytes(file.total)}`}
            {file.done && (file.fromCache ? ' · from cache' : ' · downloaded')}
          </li>
        ))}
      </ul>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
