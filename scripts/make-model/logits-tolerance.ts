// How close a generated file's logits must be to the reference forward pass run on the weights
// read back from that same file (onnx/file-reference.ts), per dtype; the same bounds under
// Node (dtypes.test.ts) and in Chromium (e2e/exports-matrix.spec.ts).
// Metric: max |onnx - reference| / max |reference|.

import type { PublishedDtype } from './onnx/passes/index.ts';

/** fp16 and q4f16 compute in float16 too: measured 2.5e-4 … 6.8e-4 on the tiny preset. */
export const FP16_TOLERANCE = 2e-3;

export const LOGITS_TOLERANCE: Record<PublishedDtype, number> = {
  // float32 summation order only
  fp32: 1e-4,
  // both kernels dequantize to float32 and multiply in float32 (no accuracy_level)
  q4: 1e-4,
  bnb4: 1e-4,
  // the integer path simulated exactly: same int32 products
  int8: 1e-3,
  uint8: 1e-3,
  q8: 1e-3,
  fp16: FP16_TOLERANCE,
  q4f16: FP16_TOLERANCE,
};
