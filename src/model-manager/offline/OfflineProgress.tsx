import { formatBytes, formatEta } from '../../shared/format.ts';
import type { ProgressSummary } from '../progress.ts';
import type { PythonPrepareProgress } from './prepare-python.ts';

/** The model stage of a prefetch: files, bytes, speed and ETA, per file and in total. */
export function ModelFilesProgress({
  progress,
  fileCount,
  onCancel,
}: {
  progress: ProgressSummary;
  /** Files in the set: the progress knows only those it has heard of. */
  fileCount: number;
  onCancel: () => void;
}) {
  const done = progress.files.filter((f) => f.done).length;
  // Files not started yet have no size: until every file has been heard of, no total or ETA.
  const total = progress.files.length >= fileCount ? progress.total : null;
  const fraction = total ? progress.loaded / total : undefined;
  return (
    <div
      className="offline-progress"
      role="status"
      aria-live="polite"
      data-testid="offline-progress"
    >
      <p>
        <strong>
          Model files: {done} of {fileCount}
        </strong>{' '}
        · {formatBytes(progress.loaded)}
        {total !== null && ` of ${formatBytes(total)}`}
        {progress.bytesPerSecond > 0 && ` · ${formatBytes(progress.bytesPerSecond)}/s`}
        {total !== null && formatEta(progress.etaSeconds)}
      </p>
      <progress max={1} value={fraction} aria-label="Model files for offline use" />
      <ul className="file-progress">
        {progress.files.map((file) => (
          <li
            key={file.path}
            data-testid="offline-file"
            data-path={file.path}
            data-from-cache={String(file.fromCache)}
          >
            <code>{file.path}</code> {formatBytes(file.loaded)}
            {file.total !== null && file.total !== file.loaded && ` / ${formatBytes(file.total)}`}
            {file.done && (file.fromCache ? ' · already cached' : ' · downloaded')}
          </li>
        ))}
      </ul>
      <button type="button" onClick={onCancel} data-testid="offline-cancel">
        Cancel
      </button>
    </div>
  );
}

/** The Python stage: packages the benchmark needs, fetched into their own cache. */
export function PythonPackagesProgress({
  progress,
  onCancel,
}: {
  progress: PythonPrepareProgress | null;
  onCancel: () => void;
}) {
  return (
    <div
      className="offline-progress"
      role="status"
      aria-live="polite"
      data-testid="python-progress"
    >
      <p>
        <strong>
          Python packages: {progress ? `${progress.done} of ${progress.total}` : 'starting'}
        </strong>
        {progress && progress.bytes > 0 && ` · ${formatBytes(progress.bytes)}`}
        {progress?.file && (
          <>
            {' · '}
            <code>{progress.file}</code>
          </>
        )}
      </p>
      <progress
        max={1}
        value={progress && progress.total > 0 ? progress.done / progress.total : undefined}
        aria-label="Python packages for offline use"
      />
      <button type="button" onClick={onCancel} data-testid="offline-cancel">
        Cancel
      </button>
    </div>
  );
}
