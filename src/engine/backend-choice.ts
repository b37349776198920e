import type {
  BackendChoice,
  BackendDecision,
  GpuReport,
  LoadedInfo,
} from '../shared/contracts/model-worker.ts';

// Adapters that compute on the CPU without saying so through isFallbackAdapter (Mesa's
// llvmpipe/lavapipe behind Vulkan, Windows' WARP): as slow as SwiftShader, slower than WASM.
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render/i;

type Adapter = Extract<GpuReport, { available: true }>['adapter'];

/** The adapter's own words for itself, e.g. "SwiftShader Device (Subzero)" or "nvidia ampere". */
export function adapterName(adapter: Adapter): string {
  return (
    adapter.description ||
    [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ') ||
    'an unnamed adapter'
  );
}

/** A software WebGPU adapter: a fallback one, or a known CPU rasterizer behind a GPU API. */
export function isSoftwareAdapter(adapter: Adapter): boolean {
  if (adapter.isFallbackAdapter) return true;
  return SOFTWARE_ADAPTER.test(
    [adapter.vendor, adapter.architecture, adapter.device, adapter.description].join(' '),
  );
}

/**
 * Where a model runs for `choice`, given the adapter the model worker sees. Auto takes WebGPU
 * only on a hardware adapter: on a software one (SwiftShader, as on machines without a GPU
 * and in headless CI) WebGPU generates an order of magnitude slower than onnxruntime's WASM
 * kernels (tiny model: ~14 tok/s against ~280). An explicit choice is kept as it is; whether
 * WebGPU can then run is the loader's question.
 */
export function chooseBackend(choice: BackendChoice, gpu: GpuReport): BackendDecision {
  if (choice !== 'auto') return { backend: choice, choice, reason: 'chosen in the Backend menu' };
  if (!gpu.available) {
    return { backend: 'wasm', choice, reason: `this browser has no WebGPU (${gpu.reason})` };
  }
  const name = adapterName(gpu.adapter);
  if (isSoftwareAdapter(gpu.adapter)) {
    return {
      backend: 'wasm',
      choice,
      reason: `the WebGPU adapter is a software fallback (${name}), slower than WASM on the CPU`,
    };
  }
  return { backend: 'webgpu', choice, reason: `the WebGPU adapter is a hardware GPU (${name})` };
}

/** "WebGPU" or "WASM", as the UI names backends. */
export function backendLabel(backend: BackendDecision['backend']): string {
  return backend === 'webgpu' ? 'WebGPU' : 'WASM';
}

/** One line for the UI: "WASM — Auto chose it: the WebGPU adapter is a software fallback (…)". */
export function describeDecision(decision: BackendDecision): string {
  const why = decision.choice === 'auto' ? `Auto chose it: ${decision.reason}` : decision.reason;
  return `${backendLabel(decision.backend)} — ${why}`;
}

/** The decision a load reports back (LoadedInfo's flat fields). */
export function decisionOf(
  info: Pick<LoadedInfo, 'backend' | 'backendChoice' | 'backendReason'>,
): BackendDecision {
  return { backend: info.backend, choice: info.backendChoice, reason: info.backendReason };
}
