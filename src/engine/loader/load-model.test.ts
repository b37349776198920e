import { describe, expect, it } from 'vitest';
import { ort } from '../ort-node.node.ts';
import { TINY_ONNX, tinyModelDir } from '../../../scripts/make-model/tiny-model.ts';
import { DirSource } from './dir-source.node.ts';
import { loadModel } from './load-model.ts';
import type { LoadPhase } from './load-model.ts';
import type { FileSource, ReadOptions, ReadResult } from './sources.ts';

/** The tiny model's folder with one JSON file edited, recording which files were read. */
class EditedSource implements FileSource {
  readonly label = 'test/edited';
  readonly reads: string[] = [];
  private readonly dir = new DirSource(tinyModelDir());

  constructor(
    private readonly file: string,
    private readonly edit: (json: Record<string, unknown>) => unknown,
  ) {}

  describe(path: string): string {
    return `${this.label}/${path}`;
  }

  async read(path: string, options?: ReadOptions): Promise<ReadResult> {
    this.reads.push(path);
    const result = await this.dir.read(path, options);
    if (path !== this.file) return result;
    const json = JSON.parse(new TextDecoder().decode(result.bytes)) as Record<string, unknown>;
    return { ...result, bytes: new TextEncoder().encode(JSON.stringify(this.edit(json))) };
  }
}

const loadFrom = (source: FileSource) =>
  loadModel({ ort, source, onnxPath: TINY_ONNX.fp32, backend: 'wasm', engine: 'ort' });

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
        engine: 'ort',
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

  it('refuses an eos id outside the vocabulary before reading the weights', async () => {
    const source = new EditedSource('config.json', (c) => ({ ...c, eos_token_id: 60000 }));
    await expect(loadFrom(source)).rejects.toMatchObject({
      code: 'bad-model',
      message:
        'test/edited/config.json: eos_token_id 60000 is outside the vocabulary (vocab_size 1088).',
    });
    expect(source.reads).not.toContain(TINY_ONNX.fp32);
  });

  it('refuses a tokenizer with more ids than the embedding has rows', async () => {
    // The tiny tokenizer has 1,024 ids; an embedding of 1,010 rows (eos 1008 still fits) cannot take them all.
    const source = new EditedSource('config.json', (c) => ({ ...c, vocab_size: 1010 }));
    await expect(loadFrom(source)).rejects.toMatchObject({
      code: 'bad-model',
      message:
        'test/edited/tokenizer.json has ids up to 1023, but test/edited/config.json says vocab_size 1010: those tokens have no embedding.',
    });
    expect(source.reads).not.toContain(TINY_ONNX.fp32);
  });
});
