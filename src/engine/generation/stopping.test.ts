import { describe, expect, it } from 'vitest';
import {
  anyOf,
  customCriterion,
  eosCriterion,
  maxNewTokensCriterion,
  standardCriteria,
  stopStringCriterion,
  type RowState,
  type StoppingCriterion,
} from './stopping.ts';

/** Feeds (id, text piece) steps to a criterion the way the generation loop does. */
function run(criterion: StoppingCriterion, steps: Array<[number, string]>) {
  const ids: number[] = [];
  let text = '';
  for (const [index, [id, piece]] of steps.entries()) {
    const previousTextLength = text.length;
    ids.push(id);
    text += piece;
    const state: RowState = { generatedIds: ids, text, previousTextLength };
    const reason = criterion.check(state);
    if (reason !== null) return { step: index, reason, text };
  }
  return null;
}

describe('built-in criteria', () => {
  it('eos stops on any of the given ids', () => {
    const result = run(eosCriterion([50256, 7]), [
      [1, 'a'],
      [7, ''],
    ]);
    expect(result).toMatchObject({ step: 1, reason: { kind: 'eos', tokenId: 7 } });
  });

  it('max new tokens stops at the budget, not before', () => {
    const steps: Array<[number, string]> = Array.from({ length: 5 }, () => [1, 'x']);
    expect(run(maxNewTokensCriterion(3), steps)).toMatchObject({
      step: 2,
      reason: { kind: 'max-new-tokens', limit: 3 },
    });
    expect(() => maxNewTokensCriterion(0)).toThrow(/maxNewTokens/);
  });

  it('finds a stop string that spans several tokens, and says where to cut', () => {
    const result = run(stopStringCriterion(['\ndef ']), [
      [1, 'return x'],
      [2, '\n'],
      [3, 'de'],
      [4, 'f main'],
    ]);
    expect(result).toMatchObject({
      step: 3,
      reason: { kind: 'stop-string', stop: '\ndef ', textEnd: 8 },
    });
    expect(result?.text.slice(0, 8)).toBe('return x');
  });

  it('reports the earliest of several stop strings', () => {
    const result = run(stopStringCriterion(['\nprint', '\n\n']), [[1, 'a = 1\n\n\nprint(a)']]);
    expect(result?.reason).toEqual({ kind: 'stop-string', stop: '\n\n', textEnd: 5 });
  });

  it('rejects an empty stop string', () => {
    expect(() => stopStringCriterion(['ok', ''])).toThrow(/Stop string 2/);
  });
});

describe('combining', () => {
  it('anyOf returns the first criterion that fires, in list order', () => {
    const stops = anyOf([maxNewTokensCriterion(1), eosCriterion([9])]);
    expect(run(stops, [[9, '']])?.reason.kind).toBe('max-new-tokens');
  });

  it('standardCriteria prefers eos over the token budget on the same step', () => {
    const stops = standardCriteria({ eosTokenIds: [50256], maxNewTokens: 2, stopStrings: ['###'] });
    expect(
      run(stops, [
        [1, 'a'],
        [50256, ''],
      ])?.reason,
    ).toEqual({ kind: 'eos', tokenId: 50256 });
    expect(
      run(stops, [
        [1, 'a'],
        [2, 'b'],
      ])?.reason,
    ).toEqual({ kind: 'max-new-tokens', limit: 2 });
    expect(
      run(stops, [
        [1, 'a#'],
        [2, '##'],
      ])?.reason,
    ).toEqual({ kind: 'stop-string', stop: '###', textEnd: 1 });
  });

  it('takes a pluggable criterion, e.g. a benchmark truncation rule', () => {
    // Stop once a line at indentation 0 follows the body: the cut is then certain.
    const truncation = customCriterion('mtpb-truncation', ({ text }) => {
      const match = /\n(?=\S)/.exec(text.slice(1));
      return match === null ? null : { textEnd: match.index + 1, detail: 'dedent' };
    });
    const stops = standardCriteria({
      eosTokenIds: [50256],
      maxNewTokens: 100,
      extra: [truncation],
    });
    const result = run(stops, [
      [1, ' x = 1\n'],
      [2, '    return x\n'],
      [3, 'print'],
    ]);
    expect(result?.reason).toEqual({
      kind: 'custom',
      name: 'mtpb-truncation',
      textEnd: 19,
      detail: 'dedent',
    });
    expect(result?.text.slice(0, 19)).toBe(' x = 1\n    return x');
  });
});
