// Prefix reuse in the app's model worker, on each backend of headless Chromium: turns that
// continue from the previous turn's key/value cache (re-laid on the CPU for WASM, by GPU
// buffer copies on WebGPU) choose the same tokens as fresh prefills of the same histories,
// with every token's log-probability and alternatives within 1e-4.

import { expect, test } from './fixtures.ts';
import { ModelConsole } from './helpers/model-console.ts';
import type { Backend } from './helpers/model-console.ts';
import { ModelManager } from './helpers/model-manager.ts';
import type { GenerateRequest, GenerateResult } from '../src/shared/contracts/model-worker.ts';

const TOLERANCE = 1e-4;
const STARTS = [
  '# Assign the string "hello" to a variable\n',
  'def add(a, b):\n    """Add two numbers."""\n',
  '# Import the math module\nimport math\n',
];

function worstLogprobGap(a: GenerateResult, b: GenerateResult): number {
  if (a.detail !== 'tokens' || b.detail !== 'tokens') throw new Error('expected token detail');
  let worst = 0;
  a.rows.forEach((row, r) =>
    row.tokens.forEach((token, i) => {
      const other = b.rows[r]?.tokens[i];
      worst = Math.max(worst, Math.abs(token.logprob - (other?.logprob ?? Infinity)));
      token.top.forEach((alt, k) => {
        worst = Math.max(worst, Math.abs(alt.logprob - (other?.top[k]?.logprob ?? Infinity)));
      });
    }),
  );
  return worst;
}

for (const [backend, onnxPath] of [
  ['webgpu', 'onnx/model.onnx'],
  ['webgpu', 'onnx/model_q4.onnx'],
  ['wasm', 'onnx/model.onnx'],
] as const satisfies ReadonlyArray<readonly [Backend, string]>) {
  test(`${backend} ${onnxPath}: turns continuing from the cache equal fresh turns`, async ({
    page,
  }, testInfo) => {
    test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough');
    test.setTimeout(300_000);
    await new ModelManager(page).open();
    const devtools = new ModelConsole(page);
    await devtools.load('/models/tiny/', onnxPath, backend);
    const request = (histories: string[], prefixCache: 'reuse' | 'none'): GenerateRequest => ({
      kind: 'generate',
      detail: 'tokens',
      prompts: histories.map((text) => ({ text })),
      params: { mode: 'greedy', maxNewTokens: 10 },
      prefixCache,
    });
    const histories = [...STARTS];
    for (let turn = 0; turn < 3; turn++) {
      const reused = await devtools.generate(request(histories, 'reuse'));
      if (turn > 0) expect(reused.timings.reusedTokens).toBeGreaterThan(0);
      const fresh = await devtools.generate(request(histories, 'none'));
      expect(reused.rows.map((row) => row.ids)).toEqual(fresh.rows.map((row) => row.ids));
      const gap = worstLogprobGap(reused, fresh);
      testInfo.annotations.push({ type: 'logprob gap', description: `turn ${turn}: ${gap}` });
      expect(gap).toBeLessThanOrEqual(TOLERANCE);
      // The fresh turn dropped the cache; the reusing turn is run again to leave it.
      await devtools.generate(request(histories, 'reuse'));
      reused.rows.forEach((row, r) => {
        // Rows keep different shares of their completion: each rolls back differently.
        const kept = row.text.slice(0, Math.ceil(row.text.length * (0.3 + 0.3 * r)));
        histories[r] = `${histories[r] ?? ''}${kept}\n# turn ${turn}\n`;
      });
    }
  });
}
