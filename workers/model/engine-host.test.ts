import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGpu } from '../../src/engine/gpu-node.node.ts';
import { ort } from '../../src/engine/ort-node.node.ts';
import { loadTiny, tinyModelDir } from '../../scripts/make-model/tiny-model.ts';
import { scoreRows, segmentIds } from '../../src/engine/score.ts';
import type { LoadedInfo, ModelWorkerEvent } from '../../src/shared/contracts/model-worker.ts';
import { truncate } from '../../src/mtpb/truncate.ts';
import { EngineHost } from './engine-host.ts';

function folderBlobs(dir: string): Map<string, Blob> {
  const files = new Map<string, Blob>();
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), new Blob([readFileSync(path)]));
    }
  };
  walk(dir);
  return files;
}

const events: ModelWorkerEvent[] = [];
const context = {
  emit: (event: ModelWorkerEvent) => void events.push(event),
  signal: new AbortController().signal,
};
const ortLoads: Array<{ backend: string; fresh: boolean }> = [];
const host = new EngineHost({
  loadOrt: (backend, fresh = false) => {
    ortLoads.push({ backend, fresh });
    return Promise.resolve(ort);
  },
  probeGpu: () => Promise.resolve({ available: false, reason: 'Node has no WebGPU' }),
  gpu: nodeGpu,
  caches: undefined,
});

const tinyFiles = folderBlobs(tinyModelDir());
let loadedInfo: LoadedInfo;
beforeAll(async () => {
  loadedInfo = await host.load(
    {
      kind: 'load',
      source: { kind: 'files', label: 'tiny (picked folder)', files: tinyFiles },
      onnxPath: 'onnx/model.onnx',
      backend: 'auto',
      cache: false,
    },
    context,
  );
});
afterAll(() => host.unload());

describe('EngineHost (model worker logic under Node)', () => {
  it('loads a model from picked files and reports progress events', () => {
    expect(events.some((e) => e.kind === 'file' && e.path === 'onnx/model.onnx' && e.done)).toBe(
      true,
    );
    expect(
      events.filter((e) => e.kind === 'phase').map((e) => e.kind === 'phase' && e.phase),
    ).toEqual(['download', 'create-session', 'warmup', 'ready']);
  });

  it('loads the onnxruntime build of the backend it runs on, once', () => {
    // 'auto' without WebGPU is WASM: the worker maps that to the plain WASM build.
    expect(ortLoads).toEqual([{ backend: 'wasm', fresh: false }]);
    expect(loadedInfo).toMatchObject({
      backend: 'wasm',
      backendChoice: 'auto',
      backendReason: 'this browser has no WebGPU (Node has no WebGPU)',
      // No engine in the request: Auto, which on WASM is onnxruntime.
      engine: 'ort',
      engineChoice: 'auto',
      engineReason: 'the WGSL kernels need WebGPU and the backend is WASM',
    });
  });

  it('a load that fails or is cancelled leaves the previous model loaded and usable', async () => {
    const ask = { kind: 'generate' as const, prompts: [{ text: 'def f():' }], params: {} };
    const before = await host.generate(
      { ...ask, params: { mode: 'greedy', maxNewTokens: 4 } },
      context,
    );
    const withoutWeights = new Map(tinyFiles);
    withoutWeights.delete('onnx/model.onnx');
    const broken = {
      kind: 'load' as const,
      source: { kind: 'files' as const, label: 'no weights', files: withoutWeights },
      onnxPath: 'onnx/model.onnx',
      backend: 'auto' as const,
      cache: false,
    };
    await expect(host.load(broken, context)).rejects.toMatchObject({ code: 'not-found' });
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(
      host.load(
        { ...broken, source: { ...broken.source, label: 'cancelled', files: tinyFiles } },
        { ...context, signal: cancelled.signal },
      ),
    ).rejects.toMatchObject({ code: 'aborted' });
    const after = await host.generate(
      { ...ask, params: { mode: 'greedy', maxNewTokens: 4 } },
      context,
    );
    expect(after.rows[0]?.ids).toEqual(before.rows[0]?.ids);
    expect(after.rows[0]?.ids).toHaveLength(4);
  });

  it('a generation running while a new model replaces the old one finishes on the old one', async () => {
    const ask = {
      kind: 'generate' as const,
      prompts: [{ text: 'def f():' }],
      params: { mode: 'greedy' as const, maxNewTokens: 300 },
    };
    const alone = await host.generate(ask, context);
    const running = host.generate(ask, context);
    const replaced = host.load(
      {
        kind: 'load',
        source: { kind: 'files', label: 'tiny again', files: tinyFiles },
        onnxPath: 'onnx/model.onnx',
        backend: 'wasm',
        cache: false,
      },
      context,
    );
    const [during, info] = await Promise.all([running, replaced]);
    expect(info.label).toBe('tiny again');
    expect(during.rows[0]?.ids).toEqual(alone.rows[0]?.ids);
    // The new model serves the next call.
    expect((await host.generate(ask, context)).rows[0]?.ids).toEqual(alone.rows[0]?.ids);
  });

  it('with MTPB truncation, keeps exactly truncate() of what an unconstrained run writes', async () => {
    const prompts = [
      '# Import libraries.\n\nimport numpy as np\n\n# Print 1.\n',
      'x = 1\n\n# a\n',
    ].map((text) => ({ text }));
    // Each seed replays exactly, so the full and the cut run see the same tokens. (Random
    // weights seldom write a terminal: src/mtpb/stop-criterion.test.ts covers early stops.)
    for (let seed = 0; seed < 3; seed++) {
      const params = { mode: 'sample' as const, temperature: 1.5, topP: 1, seed, maxNewTokens: 32 };
      const full = await host.generate({ kind: 'generate', prompts, params }, context);
      const cut = await host.generate(
        { kind: 'generate', prompts, params, truncation: 'mtpb' },
        context,
      );
      full.rows.forEach((row, i) => {
        const kept = cut.rows[i];
        expect(kept?.text).toBe(truncate(row.text));
        expect(kept?.ids).toEqual(row.ids.slice(0, kept?.ids.length));
      });
    }
  });

  it('answers rows that overflow the context without failing the batch when asked to', async () => {
    const long = { ids: new Array<number>(2048).fill(5) };
    const result = await host.generate(
      {
        kind: 'generate',
        prompts: [long, { text: 'def f():' }],
        params: { mode: 'greedy', maxNewTokens: 3 },
        overflow: 'skip',
      },
      context,
    );
    expect(result.rows[0]?.stop).toEqual({
      kind: 'context-overflow',
      promptTokens: 2048,
      contextLength: 2048,
    });
    expect(result.rows[1]?.ids).toHaveLength(3);
    await expect(
      host.generate(
        { kind: 'generate', prompts: [long], params: { mode: 'greedy', maxNewTokens: 3 } },
        context,
      ),
    ).rejects.toMatchObject({
      code: 'context-overflow',
    });
  });

  it("MTPB turns with prefixCache 'reuse' equal fresh turns, past a row that outgrows the context", async () => {
    const { ids: unit } = await host.tokenize('x = 1\n', context);
    // Row 2 fits for the first turn only: its next history passes the 2,048-token context.
    const long = 'x = 1\n'.repeat(Math.floor(2030 / unit.length));
    const starts = ['# Assign 5 to a\n', 'def add(a, b):\n', long];
    const turn = (histories: string[], prefixCache: 'reuse' | 'none', t: number) =>
      host.generate(
        {
          kind: 'generate',
          detail: 'text',
          prompts: histories.map((text) => ({ text })),
          params: { mode: 'sample', temperature: 0.6, topP: 0.95, maxNewTokens: 8, seed: t },
          truncation: 'mtpb',
          overflow: 'skip',
          prefixCache,
        },
        context,
      );
    const histories = [...starts];
    for (let t = 0; t < 4; t++) {
      const reused = await turn(histories, 'reuse', t);
      if (t > 0) expect(reused.timings.reusedTokens).toBeGreaterThan(0);
      expect(reused.rows[2]?.stop.kind === 'context-overflow').toBe(t > 0);
      const fresh = await turn(histories, 'none', t);
      expect(fresh.timings.reusedTokens).toBe(0);
      expect(reused.rows).toEqual(fresh.rows);
      // The fresh turn dropped the cache: run the reusing one again to continue from it.
      await turn(histories, 'reuse', t);
      reused.rows.forEach((row, r) => {
        histories[r] = `${histories[r] ?? ''}${row.text}\n# step ${t}: print the result\n`;
      });
    }
  });

  it("detail 'text' sends throttled counts, not one event per token, and no tokens back", async () => {
    const prompts = [{ text: 'def add(a, b):' }, { text: 'import numpy as np\n' }];
    const params = { mode: 'sample' as const, temperature: 0.2, topP: 0.95, seed: 4 };
    const heard = (list: ModelWorkerEvent[]) => ({
      emit: (event: ModelWorkerEvent) => void list.push(event),
      signal: new AbortController().signal,
    });
    const textEvents: ModelWorkerEvent[] = [];
    const started = performance.now();
    const text = await host.generate(
      { kind: 'generate', detail: 'text', prompts, params: { ...params, maxNewTokens: 200 } },
      heard(textEvents),
    );
    const generated = text.rows.map((row) => row.ids.length);
    const total = generated.reduce((n, t) => n + t, 0);
    expect(total).toBe(400);
    expect(text.detail).toBe('text');
    for (const row of text.rows) expect(Object.keys(row).sort()).toEqual(['ids', 'stop', 'text']);
    expect(textEvents.some((e) => e.kind === 'token')).toBe(false);
    const progress = textEvents.flatMap((e) => (e.kind === 'generate-progress' ? [e] : []));
    const ms = performance.now() - started;
    // Reports are at least 100 ms apart (the last one carries the final counts).
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThanOrEqual(Math.floor(ms / 100) + 1);
    expect(progress.length).toBeLessThan(total);
    expect(progress.at(-1)?.tokens).toEqual(generated);

    const fullEvents: ModelWorkerEvent[] = [];
    const full = await host.generate(
      { kind: 'generate', detail: 'tokens', prompts, params: { ...params, maxNewTokens: 200 } },
      heard(fullEvents),
    );
    // The same tokens either way; only what is reported differs.
    expect(full.rows.map((row) => [row.ids, row.text])).toEqual(
      text.rows.map((row) => [row.ids, row.text]),
    );
    expect(fullEvents.filter((e) => e.kind === 'token')).toHaveLength(total);
    expect(fullEvents.some((e) => e.kind === 'generate-progress')).toBe(false);
    if (full.detail !== 'tokens') throw new Error('expected token detail');
    full.rows.forEach((row, i) => {
      expect(row.promptIds.length).toBeGreaterThan(0);
      expect(row.tokens.map((t) => t.tokenId)).toEqual(row.ids);
      expect(row.tokens.every((t) => t.top.length === 5 && t.text.length > 0)).toBe(true);
      expect(row.ids).toEqual(text.rows[i]?.ids);
    });
  });

  it('scores segments as scoreRows does on the same ids, and leaves no cache to reuse', async () => {
    const rows = [
      [
        { text: '# Import libraries.\n\nimport numpy as np\n\n', scored: false },
        { text: '# Assign 5 to a.\n', scored: true },
        { text: 'a = 5\n\n', scored: false },
        { text: '# Print a.\n', scored: true },
      ],
      [{ text: 'def add(a, b):\n    return a + b\n', scored: true }],
      [
        { text: 'x = 1\n'.repeat(700), scored: false }, // past the 2,048-token context
        { text: '# Print x.\n', scored: true },
      ],
    ];
    // Leave a cache a 'reuse' generation would continue from.
    const prompts = [{ text: rows[0]!.map((segment) => segment.text).join('') }];
    const reuse = { mode: 'greedy' as const, maxNewTokens: 2 };
    await host.generate(
      { kind: 'generate', prompts, params: reuse, prefixCache: 'reuse' },
      context,
    );
    const scored = await host.score(
      { kind: 'score', rows: rows.map((segments) => ({ segments })) },
      context,
    );
    expect(scored.ms).toBeGreaterThan(0);
    const after = await host.generate(
      { kind: 'generate', prompts, params: reuse, prefixCache: 'reuse' },
      context,
    );
    expect(after.timings.reusedTokens).toBe(0);

    const direct = await loadTiny('fp32');
    try {
      const encode = (text: string): number[] => direct.tokenizer.encode(text);
      const expected = await scoreRows(
        direct.lm,
        rows.map((segments) => segmentIds(segments, encode)),
        {
          contextLength: direct.config.contextLength,
          vocabLimit: direct.tokenizer.size,
          eosId: direct.config.eosId,
        },
      );
      expect(scored.rows.map((row) => row.overflow)).toEqual([false, false, true]);
      expect(scored.rows.map((row) => row.spans.map((span) => span.tokens))).toEqual(
        expected.map((row) => row.spans.map((span) => span.tokens)),
      );
      scored.rows.forEach((row, r) => {
        expect(Math.abs(row.logprob - (expected[r]?.logprob ?? NaN))).toBeLessThan(1e-6);
        expect(row.tokens).toBe(expected[r]?.tokens);
      });
      expect(scored.rows[0]?.spans[1]?.tokens).toBe(encode('# Print a.\n').length);
      expect(scored.rows[1]?.tokens).toBe(encode(rows[1]![0]!.text).length - 1);
    } finally {
      await direct.lm.release();
    }
  });

  it('refuses a score request without rows or with a row that scores nothing', async () => {
    await expect(host.score({ kind: 'score', rows: [] }, context)).rejects.toMatchObject({
      code: 'bad-input',
    });
    await expect(
      host.score(
        { kind: 'score', rows: [{ segments: [{ text: 'x = 1\n', scored: false }] }] },
        context,
      ),
    ).rejects.toMatchObject({ code: 'bad-input', message: 'Row 0 has no scored segment.' });
  });

  it('says no model is loaded after unload', async () => {
    await host.unload();
    await expect(
      host.generate({ kind: 'generate', prompts: [{ text: 'x' }], params: {} }, context),
    ).rejects.toMatchObject({ code: 'no-model' });
  });
});
