import { createNodeSession, int64Tensor, ort } from './../src/engine/ort-node.node.ts';
const path = process.argv[2]!;
const t0 = performance.now();
try {
  const s = await createNodeSession(path);
  console.log(`${path}: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; inputs ${s.inputNames.length}`);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64Tensor([1, 2, 3], [1, 3]),
    attention_mask: int64Tensor([1, 1, 1], [1, 3]),
  };
  if (s.inputNames.includes('use_cache_branch')) feeds.use_cache_branch = new ort.Tensor('bool', [false], [1]);
  if (s.inputNames.includes('position_ids')) feeds.position_ids = int64Tensor([0, 1, 2], [1, 3]);
  for (const n of s.inputNames) if (n.startsWith('past_key_values')) feeds[n] = new ort.Tensor('float32', new Float32Array(0), [1, 16, 0, 64]);
  const out = await s.run(feeds);
  console.log(`ran: logits ${out.logits!.dims.join('x')}`);
} catch (e) {
  console.log(`${path}: FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${String(e).slice(0, 300)}`);
}
