import { describe, expect, it } from 'vitest';
import { ort } from '../ort-node.node.ts';
import { TINY_ONNX, tinyModelDir } from '../../../scripts/make-model/tiny-model.ts';
import { DirSource } from './dir-source.node.ts';
import { loadModel } from './load-model.ts';
import type { LoadPhase } from './load-model.ts';

describe('loadModel', () => {
  it.each(['create-session', 'warmup'] as const)(
    'a cancel during %s rejects with "aborted" instead of returning a model',
    async (phase) => {
      const controller = new AbortController();
      const phases: LoadPhase[] = [];
      const loading = loadModel({
        ort,
        source: new DirSource(tinyModelDir()),
        onnxPath: TINY_ONNX.fp32,
        backend: 'wasm',
        signal: controller.signal,
        onEvent: (event) => {
          if (event.kind !== 'phase') return;
          phases.push(event.phase);
          if (event.phase === phase) controller.abort();
        },
      });
      await expect(loading).rejects.toMatchObject({ code: 'aborted' });
      expect(phases).not.toContain('ready');
    },
  );
});
