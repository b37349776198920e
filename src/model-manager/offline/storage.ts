/** The browser's storage as the offline step sees it: room left, and whether it may be evicted. */
export interface StorageInfo {
  usage: number | null;
  quota: number | null;
  /** Null where the browser cannot say (no StorageManager). */
  persisted: boolean | null;
}

export type SpaceCheck =
  | { fits: 'yes' | 'no'; needed: number; free: number }
  /** A size or the quota is unknown: nothing to warn about, nothing promised. */
  | { fits: 'unknown'; needed: number | null; free: number | null };

/** Whether `needed` bytes obviously do not fit in what the quota leaves. */
export function checkSpace(needed: number | null, storage: StorageInfo): SpaceCheck {
  const free =
    storage.quota === null || storage.usage === null
      ? null
      : Math.max(0, storage.quota - storage.usage);
  if (needed === null || free === null) return { fits: 'unknown', needed, free };
  return { fits: needed > free ? 'no' : 'yes', needed, free };
}

function manager(): StorageManager | undefined {
  // Absent in insecure contexts and some embedded browsers, whatever the DOM types say.
  return 'storage' in navigator ? navigator.storage : undefined;
}

export async function readStorage(): Promise<StorageInfo> {
  const storage = manager();
  const none: StorageEstimate = {};
  const [estimate, persisted] = await Promise.all([
    storage ? storage.estimate().catch(() => none) : none,
    storage ? storage.persisted().catch(() => null) : null,
  ]);
  return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
}

/**
 * Asks the browser not to evict this site's storage under pressure. Chromium decides without
 * a prompt (bookmarked or installed sites get it); Firefox asks the user. False is not an
 * error: the files are kept until the browser needs the room.
 */
export async function requestPersistence(): Promise<boolean | null> {
  const storage = manager();
  if (!storage) return null;
  if (await storage.persisted().catch(() => false)) return true;
  return storage.persist().catch(() => false);
}
