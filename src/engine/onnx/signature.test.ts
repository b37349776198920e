import { describe, expect, it } from 'vitest';
import { readSignature } from './signature.ts';

const kv = (n: number, prefix: string, sep = '.') =>
  Array.from({ length: n }, (_, i) => [
    `${prefix}${sep}${i}.key`,
    `${prefix}${sep}${i}.value`,
  ]).flat();

describe('readSignature', () => {
  it('reads layers, position_ids and use_cache_branch from the names', () => {
    const sig = readSignature(
      [
        'input_ids',
        'attention_mask',
        'position_ids',
        ...kv(2, 'past_key_values'),
        'use_cache_branch',
      ],
      ['logits', ...kv(2, 'present')],
    );
    expect(sig).toMatchObject({ layers: 2, hasPositionIds: true, hasUseCacheBranch: true });
    expect(sig.pastNames[3]).toBe('past_key_values.1.value');
    expect(sig.presentNames[3]).toBe('present.1.value');
  });

  it('gives a specific error for graphs it cannot drive', () => {
    expect(() => readSignature(['input_ids'], ['logits'])).toThrow(/attention_mask/);
    expect(() => readSignature(['input_ids', 'attention_mask'], ['hidden'])).toThrow(/logits/);
    expect(() => readSignature(['input_ids', 'attention_mask'], ['logits'])).toThrow(
      /past_key_values/,
    );
    expect(() =>
      readSignature(
        ['input_ids', 'attention_mask', ...kv(1, 'past_key_values')],
        ['logits', 'present.0.key'],
      ),
    ).toThrow(/present\.0\.value/);
  });
});
