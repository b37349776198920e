const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB" (powers of 1024, as browsers report quotas). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit] ?? 'B'}`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * A span of time in minutes and seconds, as people read it: "42 s", "4 min 20 s" (to 5 s:
 * an estimate's last digit is noise), "1 h 5 min".
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) {
    const rounded = Math.round(seconds / 5) * 5;
    const min = Math.floor(rounded / 60);
    const sec = rounded % 60;
    return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
  }
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const min = minutes % 60;
  return min === 0 ? `${h} h` : `${h} h ${min} min`;
}

/** " · about 4 min 20 s left", for a progress line; empty while the time left is unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 1) return ' · less than a second left';
  return ` · about ${formatDuration(seconds)} left`;
}
