import { backendLabel } from '../engine/backend-choice.ts';
import { checkCompatibility } from '../engine/registry/compat.ts';
import type { DeviceSupport } from '../engine/registry/compat.ts';
import { availableDtypes } from '../engine/registry/dtypes.ts';
import type { Backend, Dtype, FileSize, ModelEntry } from '../engine/registry/types.ts';
import { expectedBytes } from '../engine/registry/urls.ts';
import { formatBytes } from '../shared/format.ts';

/** A download size as the UI writes it: exact, "≈" for an estimate, or unknown. */
export function sizeText(size: FileSize): string {
  const known = expectedBytes(size);
  if (!known) return 'size unknown';
  return `${known.exact ? '' : '≈'}${formatBytes(known.bytes)}`;
}

/** One entry of the weights menu: what it costs to download, and whether it runs here. */
export interface DtypeChoice {
  dtype: Dtype;
  size: string;
  /** Why it cannot run on this backend and device; null when it can (or nothing says not). */
  refusal: string | null;
  /** The option's text, e.g. "q4 · 383 MB" or "int8 · 341 MB · unavailable on WebGPU". */
  label: string;
}

/**
 * The weights menu of `entry` on `backend`: every published dtype with its size, and for one
 * that cannot run, the registry's reason (a backend without the op's kernel) or the device's
 * (a missing GPU feature, a tensor over a limit). Before the device is probed (`caps` null)
 * only the registry's reasons are known.
 */
export function dtypeChoices(
  entry: ModelEntry,
  backend: Backend,
  caps: DeviceSupport | null,
): DtypeChoice[] {
  return availableDtypes(entry).map((dtype) => {
    const variant = entry.dtypes[dtype];
    const size = variant ? sizeText(variant.file) : 'size unknown';
    const refusal = refusalOf(entry, dtype, backend, caps);
    const label = `${dtype} · ${size}${refusal ? ` · unavailable on ${backendLabel(backend)}` : ''}`;
    return { dtype, size, refusal, label };
  });
}

function refusalOf(
  entry: ModelEntry,
  dtype: Dtype,
  backend: Backend,
  caps: DeviceSupport | null,
): string | null {
  const support = entry.dtypes[dtype]?.support[backend];
  // The registry's reason is the same for every file of the dtype: say it without the dtype.
  if (support && !support.runs) return support.reason;
  if (!caps) return null;
  const compat = checkCompatibility(entry, dtype, caps, backend);
  return compat.ok ? null : compat.reasons.map((r) => r.message).join(' ');
}

/** Refused dtypes grouped by their reason: int8, uint8 and q8 share one sentence. */
export function refusalGroups(
  choices: readonly DtypeChoice[],
): { dtypes: Dtype[]; reason: string }[] {
  const groups = new Map<string, Dtype[]>();
  for (const choice of choices) {
    if (choice.refusal === null) continue;
    groups.set(choice.refusal, [...(groups.get(choice.refusal) ?? []), choice.dtype]);
  }
  return [...groups].map(([reason, dtypes]) => ({ dtypes, reason }));
}
