// Exports write Python values back exactly: an imported samples file's fields and a live run's
// dataset inputs and golds keep ints, floats (10.0, 1e-06, -0.0), big ints and key order.
// Checked twice: PyValue trees compared with their kinds here, and CPython's json module.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePyJson } from '../python/core/pyjson.ts';
import { entryOf } from './dataset.ts';
import { hasMtpb, loadMtpbDataset, MTPB_PATH } from './dataset.node.ts';
import { exportJsonl, mtpbReplayJobs, parseSamples } from './export.ts';
import { mtpbPlan } from './plan.ts';
import { samePyValue } from '../python/core/pyjson-dumps.ts';
import { askPython } from './fixtures.node.ts';
import type { CaseRecord } from './records.ts';
import { BenchmarkRunner } from './runner.ts';
import type { TurnGenerator } from './runner.ts';
import { fixedExecutor } from './fixtures.node.ts';

const PREFIX = '# Import libraries.\\n\\nimport numpy as np\\n\\n';
/** As mtpb_sample.py writes it: json.dumps of each sample, one per line. */
const OFFICIAL = [
  `{"id": "75", "input": {"lst1": [10.0, 20.0, 30.0], "lst2": [0.1, 0.2, 0.3]}, "gold_output": 0.9999999999999999, "completions": "${PREFIX}# Go.\\nprint(1)\\n\\n", "prompts_completions": ["${PREFIX}", "# Go.\\n", "print(1)\\n\\n"]}`,
  `{"id": "75", "input": {"lst1": [10.0, 20.0, 30.0], "lst2": [0.1, 0.2, 0.3]}, "gold_output": 0.9999999999999999, "completions": "${PREFIX}# Go.\\nprint(2)\\n\\n", "prompts_completions": ["${PREFIX}", "# Go.\\n", "print(2)\\n\\n"]}`,
  `{"id": "9", "input": {"z": 1e-06, "a": -0.0, "big": 123456789012345678901234567890, "n": 5}, "gold_output": 5.0, "completions": "print(5)", "prompts_completions": []}`,
  `{"id": "10", "input": {"s": "caf\\u00e9 \\"q\\"", "nested": {"y": [1, 2.0], "x": null}}, "gold_output": [true, 1e+16, -2], "completions": "print(1)", "prompts_completions": []}`,
].join('\n');
const CARRIED = ['id', 'input', 'gold_output', 'completions', 'prompts_completions'];

const judged = fixedExecutor('fail');

async function collect(
  run: (runner: BenchmarkRunner) => Promise<void>,
  generator: TurnGenerator = { generate: () => Promise.reject(new Error('no model')) },
): Promise<CaseRecord[]> {
  const records: CaseRecord[] = [];
  await run(
    new BenchmarkRunner(generator, judged, (e) => {
      if (e.kind === 'case') records.push(e.record);
    }),
  );
  return records;
}

describe('export of an imported (official-format) samples file', () => {
  it('writes every field it carries over value-identical to the input', async () => {
    const { samples, errors } = parseSamples(OFFICIAL);
    expect(errors).toEqual([]);
    const records = await collect((runner) =>
      runner.replay(mtpbReplayJobs(samples), new Set(), new AbortController().signal),
    );
    // exportJsonl orders by problem; the official lines are matched back by problem and sample.
    const exported = exportJsonl(records).trim().split('\n');
    const order = [2, 3, 0, 1]; // ids 9, 10, 75, 75
    const inputs = OFFICIAL.split('\n');
    expect(exported).toHaveLength(4);
    exported.forEach((line, i) => {
      const original = parsePyJson(inputs[order[i]!]!);
      const written = parsePyJson(line);
      for (const field of CARRIED) {
        const a = entryOf(original, field);
        const b = entryOf(written, field);
        expect(a && b && samePyValue(a, b), `${field} of line ${i}`).toBe(true);
      }
    });
    expect(exported[0]).toContain(
      '"input": {"z": 1e-06, "a": -0.0, "big": 123456789012345678901234567890, "n": 5}, "gold_output": 5.0',
    );
    expect(exported[2]).toContain('"input": {"lst1": [10.0, 20.0, 30.0]');
    const { same_fields } = askPython<{ same_fields: boolean[] }>({
      same_fields: exported.map((line, i) => [inputs[order[i]!], line, CARRIED.map((f) => [f, f])]),
    });
    expect(same_fields).toEqual([true, true, true, true]);
  });
});

describe.skipIf(!hasMtpb)('export of a live run (problems 75, 76, 81)', () => {
  it('writes the dataset inputs and golds exactly, 10.0 included', async () => {
    const problems = (loadMtpbDataset() ?? []).filter((p) => ['75', '76', '81'].includes(p.id));
    expect(problems.map((p) => p.id)).toEqual(['75', '76', '81']);
    const generator: TurnGenerator = {
      generate: (histories) =>
        Promise.resolve(
          histories.map(() => ({ completion: 'x = 1', tokens: 1, contextOverflow: false })),
        ),
    };
    const records = await collect(
      (runner) =>
        runner.run(
          problems.map((p) => mtpbPlan(p, 'multi', 0.2)),
          { seed: 16, n: 1 },
          new Set(),
          new AbortController().signal,
        ),
      generator,
    );
    const exported = exportJsonl(records).trim().split('\n');
    expect(exported).toHaveLength(15);
    expect(
      exported.find((l) => l.startsWith('{"id": "75"') && l.includes('"lst1": [10.0, 20.0, 30.0]')),
    ).toBeDefined();
    const source = new Map(
      readFileSync(MTPB_PATH, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => [(JSON.parse(l) as { id: string }).id, l]),
    );
    const { same_fields } = askPython<{ same_fields: boolean[] }>({
      same_fields: records
        .sort((a, b) => Number(a.problemId) - Number(b.problemId) || a.caseIndex - b.caseIndex)
        .map((r, i) => [
          source.get(r.problemId),
          exported[i],
          [
            [`inputs.${r.caseIndex}`, 'input'],
            [`outputs.${r.caseIndex}`, 'gold_output'],
          ],
        ]),
    });
    expect(same_fields).toEqual(records.map(() => true));
  });
});
