import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { judge } from '../core/verdict.ts';
import { createNodeRunner, runBody } from './test-runner.node.ts';

// Each row: a program body, the gold output (JSON), whether the official checker passes it.
// These are the details of mtpb_exec.py that change verdicts.
const sandbox = createNodeRunner({ timeLimitMs: 1500 });
afterAll(() => sandbox.dispose());

async function verdictOf(body: string, gold: string): Promise<boolean> {
  const { verdict } = await runBody(sandbox, body, gold);
  return verdict?.state === 'pass';
}

describe('the official checker', () => {
  it.each([
    // the last statement is rewritten into print(<its value>), if it has one
    ['x = [1, 2]\nx', '[1, 2]', true],
    ['def f():\n    return 4\ny = f()', '4', true], // y = print(f())
    ['def print_result():\n    print(5)\nprint_result()', '5', true], // "print..." is not wrapped
    ['def show():\n    print(5)\nshow()', '5', false], // wrapped: print(show()) prints None
    ['import sys\nsys.stdout.write("abc")', '3', true], // wrapped: prints the count written
    ['for i in range(3):\n    print(i)', '2', true], // no value: runs unchanged
    // only the first argument of the last print counts
    ['print("Sum:", 5)', '5', false],
    ['print("Sum:", 5)', '"Sum:"', true],
    ['import sys\nprint(7, file=sys.stderr)', '7', true],
    ['print(7)\nprint()', '7', false],
    // the value compared is the live object at the end
    ['l = [1]\nprint(l)\nif True:\n    l.append(2)', '[1, 2]', true],
    ['l = [1]\nprint(l)\nif True:\n    l.append(2)', '[1]', false],
    ['l = [1]\nprint(l)\nl.append(2)', '[1, 2]', false], // rewritten: print(l.append(2))
    ['print(3)\n1 / 0', '3', true], // an exception after the last print does not fail
    // casting to the gold's type
    ['print(2.236)', '2', true],
    ['print("abcde")', '["a", "b", "c", "d", "e"]', true],
    ['print(zip([1], [2]))', '[[1, 2]]', false],
    ['print([(1, 2)])', '[[1, 2]]', true],
    ['print(((1, 2),))', '[[1, 2]]', false],
    ['print([0.1 + 0.2])', '[0.3]', false], // lists compare exactly
    ['print(0.1 + 0.2)', '0.3', true], // scalar floats within 1e-6
    ['print(1)', 'true', false], // bool golds compare as strings
    ['print("True")', 'true', true],
    ['print({"a": 1})', '{"a": 1}', false], // dicts are unsupported (problem 89)
    ['print(None)', 'null', false], // so is None (problem 41)
  ])('%j against %s passes: %s', async (body, gold, passes) => {
    expect(await verdictOf(body, gold)).toBe(passes);
  });

  it('passes a right answer printed before a time-out, flagged, and fails it in strict mode', async () => {
    const { outcome, verdict } = await runBody(sandbox, 'print(3)\nwhile True:\n    pass', '3');
    expect(verdict).toEqual({ state: 'pass', note: 'timed-out-after-printing' });
    expect(judge(outcome, { t: 'int', v: 3n }, 'strict')).toMatchObject({
      state: 'fail',
      reason: 'timeout',
    });
  });

  it('lets the program catch the time-out as an Exception, as the official harness does', async () => {
    const body = 'try:\n    while True:\n        pass\nexcept Exception as e:\n    print(str(e))';
    expect(await verdictOf(body, '"Timed out!"')).toBe(true);
  });
});

describe('a checker the program cannot fool', () => {
  afterEach(() => sandbox.endProblem()); // each attack may damage its worker for later cases
  it.each([
    ['print = lambda *a: None\nprint(1)', 'redefining print'],
    [
      'import builtins\nbuiltins.type = lambda x: int\nbuiltins.abs = lambda x: 0\nprint(1.5)',
      'patching builtins',
    ],
    ['print_stack.append({"args": (42,)})', 'the official print_stack'],
    [
      'class Eq:\n    def __eq__(self, other):\n        return True\nprint([Eq(), Eq()])',
      'an __eq__ that is always true',
    ],
    [
      'class S(str):\n    def __eq__(self, other):\n        return True\nprint(S("no"))',
      'a str subclass',
    ],
    [
      'import gc\nfor f in gc.get_objects():\n' +
        '    if getattr(f, "__name__", "") == "plan_check":\n' +
        '        f.__code__ = (lambda a, e: {"op": "eq", "value": {"t": "int", "v": "0"}}).__code__\nprint(1)',
      'replacing the checker via gc',
    ],
  ])('%j (%s) does not pass', async (body) => {
    expect(await verdictOf(body, '[1, 2]')).toBe(false);
  });
});

describe('recycling', () => {
  it('gives each problem a fresh worker, so module patches do not leak', async () => {
    expect(await verdictOf('import math\nmath.pi = 3\nprint(math.pi)', '3')).toBe(true);
    expect(await verdictOf('import math\nprint(math.pi)', '3')).toBe(true); // same problem: leaks, as officially
    sandbox.endProblem();
    expect(await verdictOf('import math\nprint(math.pi)', '3.141592653589793')).toBe(true);
  });
});
