import { useState } from 'react';
import type { ModelEntry } from '../../engine/registry/types.ts';
import type { CachedFileCheck } from '../../shared/contracts/model-worker.ts';
import type { CachedModel } from '../cache-groups.ts';
import type { ModelStore } from '../model-store.ts';
import { ModelFilesProgress } from './OfflineProgress.tsx';
import { QuotaError } from './QuotaError.tsx';
import { fileSetKey, pathInFolder, urlsToVerify } from './readiness.ts';
import type { FileSet } from './readiness.ts';
import './offline.css';

type Report =
  | { status: 'checking' }
  | {
      status: 'checked';
      checked: number;
      bad: Array<CachedFileCheck & { status: 'missing' | 'corrupt' }>;
    }
  | { status: 'error'; message: string };

const isBad = (f: CachedFileCheck): f is CachedFileCheck & { status: 'missing' | 'corrupt' } =>
  f.status !== 'ok';

/**
 * Verify for one cached model folder: reads back every file it holds, and every file its
 * cached weights need, checking size and SHA-256. Damaged copies are deleted by the check;
 * Re-download fetches the missing and damaged files again (the intact ones stay cached).
 */
export function VerifyCached({
  store,
  group,
  entry,
  models,
}: {
  store: ModelStore;
  group: CachedModel;
  entry: ModelEntry | null;
  models: readonly ModelEntry[];
}) {
  const [report, setReport] = useState<Report | null>(null);
  const [repair, setRepair] = useState<FileSet | null>(null);
  const prefetch = store.prefetchState;
  const mine =
    repair && prefetch.status !== 'idle' && prefetch.key === fileSetKey(repair) ? prefetch : null;

  const verify = (): void => {
    setReport({ status: 'checking' });
    store
      .verifyCached(
        urlsToVerify(
          group.files.map((f) => f.url),
          entry,
          group.prefix,
        ),
      )
      .then(
        (files) =>
          setReport({ status: 'checked', checked: files.length, bad: files.filter(isBad) }),
        (error: unknown) =>
          setReport({
            status: 'error',
            message: error instanceof Error ? error.message : String(error),
          }),
      );
  };

  const redownload = async (urls: readonly string[]): Promise<void> => {
    const paths = urls.flatMap((url) => pathInFolder(group.prefix, url) ?? []);
    const files: FileSet = { label: group.label, baseUrl: group.prefix, paths };
    setRepair(files);
    if (!(await store.prefetch(files))) return;
    const fixed = new Set(urls);
    setReport((r) =>
      r?.status === 'checked' ? { ...r, bad: r.bad.filter((f) => !fixed.has(f.url)) } : r,
    );
  };

  const running = report?.status === 'checking' || mine?.status === 'running';
  return (
    <>
      <button
        type="button"
        onClick={verify}
        disabled={running}
        aria-label={`Verify the cached files of ${group.label}`}
        data-testid="verify-cached"
      >
        Verify
      </button>
      {report && (
        <div
          className="verify-report"
          role="status"
          data-testid="verify-report"
          data-status={report.status}
          data-bad={report.status === 'checked' ? report.bad.length : undefined}
        >
          {report.status === 'checking' && 'Reading back every file and checking its SHA-256…'}
          {report.status === 'error' && `Could not check the files: ${report.message}`}
          {report.status === 'checked' &&
            (report.bad.length === 0 ? (
              `All ${report.checked} files are intact.`
            ) : (
              <>
                {report.bad.length} of {report.checked} files need downloading again:
                <ul>
                  {report.bad.map((f) => (
                    <li
                      key={f.url}
                      data-testid="verify-problem"
                      data-url={f.url}
                      data-status={f.status}
                    >
                      <code>{pathInFolder(group.prefix, f.url) ?? f.url}</code>{' '}
                      {f.status === 'missing'
                        ? 'is missing'
                        : `was damaged (${f.reason}) and removed`}
                      <button
                        type="button"
                        disabled={running}
                        onClick={() => void redownload([f.url])}
                        data-testid="redownload"
                      >
                        Re-download
                      </button>
                    </li>
                  ))}
                </ul>
                {report.bad.length > 1 && (
                  <button
                    type="button"
                    disabled={running}
                    onClick={() => void redownload(report.bad.map((f) => f.url))}
                    data-testid="redownload-all"
                  >
                    Re-download all {report.bad.length}
                  </button>
                )}
              </>
            ))}
        </div>
      )}
      {mine?.status === 'running' && (
        <ModelFilesProgress
          progress={mine.progress}
          fileCount={mine.files.paths.length}
          onCancel={store.cancelPrefetch}
        />
      )}
      {mine?.status === 'error' && mine.error.code === 'storage-quota' && (
        <QuotaError error={mine.error} store={store} models={models} />
      )}
      {mine?.status === 'error' && mine.error.code !== 'storage-quota' && (
        <p className="notice error" role="alert">
          {mine.error.code === 'aborted' ? 'Re-download cancelled.' : mine.error.message}
        </p>
      )}
    </>
  );
}
