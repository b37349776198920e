import type { RunSuite } from '../mtpb/run-controller.ts';
import { temperaturesOf } from '../mtpb/protocol.ts';
import type { HumanEvalDataset } from './dataset.ts';
import { HUMANEVAL_SAMPLING, humanEvalPlan } from './protocol.ts';

/**
 * Rows generated together at most: n samples of a temperature go as one batch up to this,
 * several above it (a batch's key/value cache grows with its rows).
 */
export const HUMANEVAL_MAX_BATCH = 20;

/** A HumanEval file as a run suite: the selected tasks in file order, one case per temperature. */
export function humanEvalSuite(dataset: HumanEvalDataset): RunSuite {
  return {
    benchmark: 'humaneval',
    label: dataset.label,
    maxBatch: HUMANEVAL_MAX_BATCH,
    plan: (settings) =>
      dataset.tasks
        .filter((t) => settings.problemIds.includes(t.id))
        .map((t) =>
          humanEvalPlan(
            t,
            temperaturesOf(settings),
            settings.maxNewTokens ?? HUMANEVAL_SAMPLING.maxNewTokens,
          ),
        ),
  };
}
