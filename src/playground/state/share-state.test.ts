import { describe, expect, it } from 'vitest';
import { playgroundProblemHref } from '../open-problem.ts';
import { DEFAULT_SETTINGS, resolveSettings } from './settings.ts';
import {
  fromBase64Url,
  pack,
  readHash,
  snapshotHash,
  splitHash,
  toBase64Url,
  unpack,
} from './share-state.ts';
import type { PlaygroundSnapshot } from './share-state.ts';

const editor: PlaygroundSnapshot = {
  settings: { ...DEFAULT_SETTINGS, mode: 'greedy', seed: '7', mtpbTruncation: true },
  doc: { kind: 'editor', text: 'def f(x):\n\treturn "é→✓" # ü\n' },
};
const turns: PlaygroundSnapshot = {
  settings: DEFAULT_SETTINGS,
  doc: {
    kind: 'turns',
    turns: [
      { prompt: 'Assign 3 to a.', completion: 'a = 3' },
      { prompt: 'Print a.', completion: '' },
    ],
  },
};

describe('shared playground state', () => {
  it('round-trips both kinds of document through the URL form', () => {
    for (const snapshot of [editor, turns]) {
      expect(unpack(pack(snapshot))).toEqual(snapshot);
      expect(readHash(snapshotHash(snapshot))).toEqual({ kind: 'snapshot', snapshot });
    }
  });

  it('uses URL-safe base64 of UTF-8 and rejects what is not', () => {
    const text = '\u{1F600}?>>~';
    const encoded = toBase64Url(text);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64Url(encoded)).toBe(text);
    expect(fromBase64Url('%%%')).toBeNull();
  });

  it('ignores malformed or foreign state instead of throwing', () => {
    for (const json of [
      '',
      '[]',
      '{"v":2}',
      '{"v":1,"s":[1,2]}',
      '{"v":1,"s":["g","1","1","1","1","1",0],"u":[[1,2]]}',
    ]) {
      expect(unpack(json)).toBeNull();
    }
    expect(readHash('#playground?s=bm90IGpzb24')).toEqual({ kind: 'none' });
    expect(readHash('#benchmark')).toEqual({ kind: 'none' });
  });

  it('reads a problem link, as the benchmark view writes it', () => {
    const href = playgroundProblemHref('12', 3);
    expect(href).toBe('#playground?problem=12&case=3');
    expect(splitHash(href).view).toBe('playground');
    expect(readHash(href)).toEqual({ kind: 'problem', problemId: '12', caseIndex: 3 });
    expect(readHash('#playground?problem=4&case=x')).toEqual({
      kind: 'problem',
      problemId: '4',
      caseIndex: 0,
    });
  });
});

describe('settings', () => {
  it('turns the form into request params', () => {
    expect(resolveSettings(DEFAULT_SETTINGS)).toEqual({
      ok: true,
      truncation: false,
      params: { mode: 'sample', maxNewTokens: 64, temperature: 0.2, topP: 0.95, topK: 0, seed: 0 },
    });
  });

  it('marks each bad field', () => {
    const result = resolveSettings({
      ...DEFAULT_SETTINGS,
      topP: '1.5',
      maxNewTokens: '',
      seed: '1.5',
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(Object.keys(result.issues).sort()).toEqual(['maxNewTokens', 'seed', 'topP']);
  });

  it('ignores sampling fields in greedy mode', () => {
    expect(resolveSettings({ ...DEFAULT_SETTINGS, mode: 'greedy', temperature: 'x' }).ok).toBe(
      true,
    );
  });
});
