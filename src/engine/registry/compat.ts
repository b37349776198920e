import { backendLabel } from '../backend-choice.ts';
import { ALL_DTYPES, type Backend, type Dtype, type GpuFeature, type ModelEntry } from './types.ts';

/** What the environment offers; the WebGPU numbers are the adapter's limits, when known. */
export interface DeviceSupport {
  webgpu: boolean;
  shaderF16: boolean;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
}

export type IncompatibilityReason =
  | { code: 'no-such-dtype'; message: string }
  | { code: 'backend-unsupported'; message: string }
  | { code: 'no-webgpu'; message: string }
  | { code: 'missing-feature'; feature: GpuFeature; message: string }
  | {
      code: 'tensor-too-large';
      limit: 'maxBufferSize' | 'maxStorageBufferBindingSize';
      needed: number;
      available: number;
      message: string;
    };

export type Compatibility =
  | { ok: true; backend: Backend }
  | { ok: false; backend: Backend; reasons: IncompatibilityReason[]; suggestedDtype: Dtype | null };

const MiB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(0)} MiB`;

/**
 * Can `entry` run with `dtype` on `backend` (default: WebGPU when there is one)? Checked from
 * registry data alone, before a byte is downloaded. Every reason is listed, each saying what
 * is missing; `suggestedDtype` is what defaultDtype would pick instead.
 */
export function checkCompatibility(
  entry: ModelEntry,
  dtype: Dtype,
  caps: DeviceSupport,
  backend: Backend = caps.webgpu ? 'webgpu' : 'wasm',
): Compatibility {
  const reasons = incompatibilities(entry, dtype, caps, backend);
  if (reasons.length === 0) return { ok: true, backend };
  const suggested = defaultDtype(entry, backend, caps);
  return { ok: false, backend, reasons, suggestedDtype: suggested === dtype ? null : suggested };
}

function incompatibilities(
  entry: ModelEntry,
  dtype: Dtype,
  caps: DeviceSupport,
  backend: Backend,
): IncompatibilityReason[] {
  const variant = entry.dtypes[dtype];
  if (variant === undefined) {
    return [{ code: 'no-such-dtype', message: `${entry.label} is not published in ${dtype}.` }];
  }
  const reasons: IncompatibilityReason[] = [];
  const support = variant.support[backend];
  if (!support.runs) {
    reasons.push({
      code: 'backend-unsupported',
      message: `${dtype} is not offered on ${backendLabel(backend)}: ${support.reason}`,
    });
  }
  if (backend !== 'webgpu') return reasons;

  if (!caps.webgpu) {
    reasons.push({ code: 'no-webgpu', message: 'This browser offers no WebGPU adapter.' });
    return reasons;
  }
  for (const feature of variant.requiredFeatures) {
    if (feature === 'shader-f16' && !caps.shaderF16) {
      reasons.push({
        code: 'missing-feature',
        feature,
        message: `${dtype} weights need the WebGPU feature shader-f16, which this GPU does not offer.`,
      });
    }
  }
  const largest = variant.largestTensorBytes;
  if (largest !== undefined) {
    for (const limit of ['maxStorageBufferBindingSize', 'maxBufferSize'] as const) {
      const available = caps[limit];
      if (available !== undefined && largest > available) {
        reasons.push({
          code: 'tensor-too-large',
          limit,
          needed: largest,
          available,
          message: `Its largest tensor (${mib(largest)}) exceeds this GPU's ${limit} (${mib(available)}).`,
        });
      }
    }
  }
  return reasons;
}

/**
 * Smallest download that runs well first. WebGPU: the 4-bit MatMulNBits files, then
 * half and full precision. wasm: onnxruntime's 8-bit dynamic quantization, which its CPU
 * kernels handle best, then 4-bit, then fp32.
 */
const PREFERENCE: { readonly [B in Backend]: readonly Dtype[] } = {
  webgpu: ['q4f16', 'q4', 'fp16', 'fp32'],
  wasm: ['q8', 'uint8', 'int8', 'q4', 'bnb4', 'fp32'],
};

/**
 * The dtype to load when the user has not chosen: the first in PREFERENCE that `entry` has
 * and that runs here. Without `caps`, assumes nothing optional (no shader-f16, unknown
 * limits). null when nothing fits.
 */
export function defaultDtype(
  entry: ModelEntry,
  backend: Backend,
  caps?: DeviceSupport,
): Dtype | null {
  const assumed: DeviceSupport = caps ?? { webgpu: backend === 'webgpu', shaderF16: false };
  const ordered = [
    ...PREFERENCE[backend],
    ...ALL_DTYPES.filter((d) => !PREFERENCE[backend].includes(d)),
  ];
  return ordered.find((d) => incompatibilities(entry, d, assumed, backend).length === 0) ?? null;
}
