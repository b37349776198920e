/** Download progress across a model's files: bytes, speed and ETA, per file and in total. */
export interface FileProgress {
  path: string;
  loaded: number;
  total: number | null;
  fromCache: boolean;
  done: boolean;
}

export interface ProgressSummary {
  files: FileProgress[];
  loaded: number;
  /** Null while any file's size is still unknown. */
  total: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

/**
 * Keeps per-file state and a speed estimate over a sliding window, so the ETA follows the
 * current rate rather than the average since the start (cached files arrive instantly).
 */
export class ProgressTracker {
  private readonly files = new Map<string, FileProgress>();
  private readonly samples: Array<{ at: number; loaded: number }> = [];

  constructor(private readonly windowMs = 3000) {}

  update(file: FileProgress, now: number): ProgressSummary {
    const before = this.files.get(file.path);
    this.files.set(file.path, file);
    const loaded = this.loadedFromNetwork();
    // Bytes from the cache are not download speed.
    if (!file.fromCache || before === undefined) this.samples.push({ at: now, loaded });
    while (this.samples.length > 2 && now - (this.samples[0]?.at ?? now) > this.windowMs)
      this.samples.shift();
    return this.summary(now);
  }

  summary(now: number): ProgressSummary {
    const files = [...this.files.values()];
    const loaded = files.reduce((n, f) => n + f.loaded, 0);
    const total = files.every((f) => f.total !== null)
      ? files.reduce((n, f) => n + (f.total ?? 0), 0)
      : null;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = first && last ? (Math.max(now, last.at) - first.at) / 1000 : 0;
    const bytesPerSecond =
      first && last && seconds > 0.2 ? (last.loaded - first.loaded) / seconds : 0;
    const remaining = total === null ? null : total - loaded;
    const etaSeconds =
      remaining === null
        ? null
        : remaining <= 0
          ? 0
          : bytesPerSecond > 0
            ? remaining / bytesPerSecond
            : null;
    return { files, loaded, total, bytesPerSecond, etaSeconds };
  }

  private loadedFromNetwork(): number {
    let n = 0;
    for (const f of this.files.values()) if (!f.fromCache) n += f.loaded;
    return n;
  }
}
