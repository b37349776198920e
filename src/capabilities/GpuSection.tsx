import { adapterName, isSoftwareAdapter } from '../engine/backend-choice.ts';
import { formatBytes, formatMs } from '../shared/format.ts';
import type { Capabilities } from './useCapabilities.ts';
import { Pending, Row } from '../ui/facts.tsx';

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** WebGPU as the model worker sees it (the scope inference runs in), and the WGSL self-check. */
export function GpuSection({ gpu, selfCheck }: Pick<Capabilities, 'gpu' | 'selfCheck'>) {
  return (
    <>
      <h3>WebGPU (in the inference worker)</h3>
      {gpu.state === 'loading' && <Pending what="WebGPU" />}
      {gpu.state === 'error' && (
        <p className="notice error" data-testid="webgpu-status">
          The inference worker did not answer: {gpu.message}
        </p>
      )}
      {gpu.state === 'ready' && !gpu.value.available && (
        <p className="notice warn" data-testid="webgpu-status">
          No WebGPU: {gpu.value.reason}. Inference will use WebAssembly (WASM) on the CPU, which
          works everywhere but is several times slower.
        </p>
      )}
      {gpu.state === 'ready' && gpu.value.available && (
        <>
          <p className="notice ok" data-testid="webgpu-status">
            WebGPU adapter found:{' '}
            {isSoftwareAdapter(gpu.value.adapter)
              ? 'Auto runs inference on WASM, which is faster here (below).'
              : 'Auto runs inference on the GPU.'}
          </p>
          {isSoftwareAdapter(gpu.value.adapter) && (
            <p className="notice warn" data-testid="fallback-warning">
              This is a software adapter ({adapterName(gpu.value.adapter)}): results are correct but
              WebGPU generates several times slower than WASM on the CPU, so the model
              manager&apos;s Auto backend uses WASM. Choose WebGPU there to use it anyway.
            </p>
          )}
          <table className="facts">
            <tbody>
              <Row
                label="Adapter"
                testId="adapter"
                value={
                  [
                    gpu.value.adapter.vendor,
                    gpu.value.adapter.architecture,
                    gpu.value.adapter.device,
                  ]
                    .filter(Boolean)
                    .join(' · ') || 'unnamed'
                }
              />
              {gpu.value.adapter.description && (
                <Row label="Description" value={gpu.value.adapter.description} />
              )}
              <Row
                label="isFallbackAdapter"
                testId="is-fallback-adapter"
                value={String(gpu.value.adapter.isFallbackAdapter)}
              />
              <Row
                label="shader-f16"
                testId="feature-shader-f16"
                value={
                  gpu.value.features.shaderF16
                    ? 'yes'
                    : 'no (fp16 and q4f16 models cannot run here)'
                }
              />
              <Row
                label="subgroups"
                testId="feature-subgroups"
                value={yesNo(gpu.value.features.subgroups)}
              />
              <Row
                label="timestamp-query"
                testId="feature-timestamp-query"
                value={yesNo(gpu.value.features.timestampQuery)}
              />
              <Row
                label="maxStorageBufferBindingSize"
                testId="limit-binding"
                value={formatBytes(gpu.value.limits.maxStorageBufferBindingSize)}
              />
              <Row
                label="maxBufferSize"
                testId="limit-buffer"
                value={formatBytes(gpu.value.limits.maxBufferSize)}
              />
            </tbody>
          </table>
        </>
      )}
      <h3>WGSL self-check</h3>
      {selfCheck.state === 'loading' && <Pending what="a WGSL matmul on the GPU" />}
      {selfCheck.state === 'error' && (
        <p className="notice error" data-testid="self-check">
          Self-check could not run: {selfCheck.message}
        </p>
      )}
      {selfCheck.state === 'ready' && (
        <p
          className={`notice ${selfCheck.value.status === 'passed' ? 'ok' : selfCheck.value.status === 'skipped' ? 'warn' : 'error'}`}
          data-testid="self-check"
          data-status={selfCheck.value.status}
        >
          {selfCheck.value.status === 'skipped' && `Skipped: ${selfCheck.value.reason}`}
          {selfCheck.value.status === 'error' &&
            `Error: ${selfCheck.value.error.message}${selfCheck.value.error.hint ? ` ${selfCheck.value.error.hint}` : ''}`}
          {(selfCheck.value.status === 'passed' || selfCheck.value.status === 'failed') &&
            `${selfCheck.value.status === 'passed' ? 'Passed' : 'FAILED'}: ${selfCheck.value.shape.m}×${selfCheck.value.shape.k} · ${selfCheck.value.shape.k}×${selfCheck.value.shape.n} matmul, max |error| ${selfCheck.value.maxAbsError.toExponential(2)} (tolerance ${selfCheck.value.tolerance.toExponential(0)}), ${formatMs(selfCheck.value.gpuMs)} in the worker.`}
        </p>
      )}
    </>
  );
}
