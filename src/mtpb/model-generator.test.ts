import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../shared/contracts/model-worker.ts';
import { modelTurnGenerator } from './model-generator.ts';

describe('modelTurnGenerator', () => {
  it('asks for text detail and passes the throttled counts on as added tokens', async () => {
    const asked: GenerateRequest[] = [];
    const counts: Array<[number, readonly number[]]> = [];
    const generator = modelTurnGenerator(
      (request, _signal, onEvent) => {
        asked.push(request);
        onEvent({ kind: 'generate-progress', tokens: [3, 2] });
        onEvent({ kind: 'notice', level: 'info', message: 'ignored' });
        onEvent({ kind: 'generate-progress', tokens: [10, 7] });
        return Promise.resolve({
          detail: 'text',
          timings: {
            prefillMs: 0,
            prefillTokens: 0,
            reusedTokens: 0,
            firstTokenMs: 0,
            decodeMs: 0,
            decodeSteps: 0,
            decodeTokens: 0,
          },
          rows: [
            { ids: new Array<number>(10).fill(1), text: 'a', stop: { kind: 'eos', tokenId: 1 } },
            {
              ids: [],
              text: '',
              stop: { kind: 'context-overflow', promptTokens: 2048, contextLength: 2048 },
            },
          ],
        });
      },
      { topP: 0.95 },
      (added, rows) => counts.push([added, rows]),
    );
    const rows = await generator.generate(['h1', 'h2'], 64, 9, new AbortController().signal, 0.2);
    expect(asked[0]).toMatchObject({
      detail: 'text',
      truncation: 'mtpb',
      overflow: 'skip',
      prefixCache: 'reuse',
    });
    expect(counts).toEqual([
      [5, [3, 2]],
      [12, [10, 7]],
    ]);
    expect(rows).toEqual([
      { completion: 'a', tokens: 10, contextOverflow: false },
      { completion: '', tokens: 0, contextOverflow: true },
    ]);
  });
});
