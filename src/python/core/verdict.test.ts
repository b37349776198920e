import { describe, expect, it } from 'vitest';
import { allClose, pyEquals } from './compare.ts';
import { hostOutcome } from './outcome.ts';
import type { CaseOutcome, CheckPlan, RunStatus } from './outcome.ts';
import { parsePyJson } from './pyjson.ts';
import { describeVerdict, judge } from './verdict.ts';

const v = parsePyJson;

function outcome(
  status: RunStatus,
  check: CheckPlan,
  extra: Partial<CaseOutcome> = {},
): CaseOutcome {
  return { ...hostOutcome(status, ''), error: null, check, ...extra };
}

describe('pyEquals', () => {
  it('compares numbers across int, float and bool exactly', () => {
    expect(pyEquals(v('1'), v('1.0'))).toBe(true);
    expect(pyEquals(v('true'), v('1'))).toBe(true);
    expect(pyEquals(v('[0.30000000000000004]'), v('[0.3]'))).toBe(false);
    expect(pyEquals(v('1e100'), { t: 'int', v: 10n ** 100n })).toBe(false);
  });

  it('tells lists from tuples and opaque objects from everything', () => {
    expect(pyEquals({ t: 'tuple', v: [v('1')] }, v('[1]'))).toBe(false);
    expect(pyEquals({ t: 'opaque', type: 'Foo' }, { t: 'opaque', type: 'Foo' })).toBe(false);
    expect(pyEquals(v('{"a": [1]}'), v('{"a": [1.0]}'))).toBe(true);
  });
});

describe('allClose', () => {
  it('follows numpy: tolerance, broadcasting, errors', () => {
    expect(allClose(v('[1.0, 2.0]'), v('[1.000001, 2]'))).toBe(true);
    expect(allClose(v('[[1, 1], [1, 1]]'), v('1'))).toBe(true);
    expect(allClose(v('[1, 2]'), v('[1, 2.1]'))).toBe(false);
    expect(() => allClose(v('[1, 2, 3]'), v('[1, 2]'))).toThrow(RangeError);
    expect(() => allClose(v('["a"]'), v('["a"]'))).toThrow(TypeError);
  });
});

describe('judge', () => {
  it('passes an equal value and fails a different one', () => {
    expect(judge(outcome('ok', { op: 'eq', value: v('[1, 2]') }), v('[1, 2]'))).toEqual({
      state: 'pass',
      note: null,
    });
    const verdict = judge(outcome('ok', { op: 'eq', value: v('[1, 2]') }), v('[2, 1]'));
    expect(verdict).toMatchObject({ state: 'fail', reason: 'wrong-answer' });
    expect(describeVerdict(verdict)).toBe(
      'failed (wrong-answer): Printed [1, 2], expected [2, 1].',
    );
  });

  it('compares floats within 1e-6 and bool golds as strings', () => {
    expect(judge(outcome('ok', { op: 'float', value: v('0.3000001') }), v('0.3')).state).toBe(
      'pass',
    );
    expect(judge(outcome('ok', { op: 'float', value: v('0.30001') }), v('0.3')).state).toBe('fail');
    expect(judge(outcome('ok', { op: 'str-bool', value: v('"True"') }), v('true')).state).toBe(
      'pass',
    );
    expect(judge(outcome('ok', { op: 'str-bool', value: v('"1"') }), v('true')).state).toBe('fail');
  });

  it('passes a right answer printed before a time-out in official mode only', () => {
    const timedOut = outcome('timeout', { op: 'eq', value: v('3') });
    expect(judge(timedOut, v('3'))).toEqual({ state: 'pass', note: 'timed-out-after-printing' });
    expect(describeVerdict(judge(timedOut, v('3')))).toBe('passed, but timed out after printing');
    expect(judge(timedOut, v('3'), 'strict')).toMatchObject({ state: 'fail', reason: 'timeout' });
  });

  it('says what happened when nothing was printed', () => {
    const none = { op: 'no-print' } as const;
    expect(judge(outcome('timeout', none), v('1'))).toMatchObject({ reason: 'timeout' });
    expect(judge(outcome('memory', none), v('1'))).toMatchObject({ reason: 'memory' });
    expect(judge(outcome('error', none, { errorType: 'SyntaxError' }), v('1'))).toMatchObject({
      reason: 'syntax-error',
    });
    expect(
      judge(outcome('error', none, { errorType: 'BlockedError', blocked: ['os.system'] }), v('1')),
    ).toMatchObject({
      reason: 'blocked',
    });
    expect(judge(outcome('ok', { op: 'no-args' }), v('1'))).toMatchObject({ reason: 'no-output' });
    expect(judge(hostOutcome('killed', ''), v('1'))).toMatchObject({ reason: 'timeout' });
    expect(judge(hostOutcome('crashed', 'boom'), v('1'))).toMatchObject({ reason: 'crash' });
  });

  it('keeps the official quirks: dicts and None cannot be compared', () => {
    expect(judge(outcome('ok', { op: 'unsupported', type: 'dict' }), v('{"a": 1}'))).toMatchObject({
      reason: 'unsupported-type',
    });
  });

  it('reports unavailable packages as a third state', () => {
    const verdict = judge(hostOutcome('unavailable', '', { missingPackages: ['numpy'] }), v('1'));
    expect(verdict).toEqual({ state: 'unavailable', packages: ['numpy'] });
    expect(describeVerdict(verdict)).toBe('unavailable (needs numpy)');
  });
});
