/**
 * max |actual - ref| / max |ref|: the error relative to the scale of the logits, the metric
 * every logits comparison in the tests states its tolerance in.
 */
export function relativeError(actual: Float32Array, ref: Float32Array): number {
  if (actual.length !== ref.length) throw new Error(`length ${actual.length} vs ${ref.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] ?? NaN) - (ref[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(ref[i] ?? 0));
  }
  return diff / scale;
}
