import type { LoadedDataset } from './load-dataset.ts';
import { mtpbPlan } from './plan.ts';
import type { RunSuite } from './run-controller.ts';

/** An MTPB file as a run suite: the selected problems in file order, planned as MTPB plans them. */
export function mtpbSuite(dataset: LoadedDataset): RunSuite {
  return {
    benchmark: 'mtpb',
    label: dataset.label,
    plan: (settings) =>
      dataset.problems
        .filter((p) => settings.problemIds.includes(p.id))
        .map((p) => mtpbPlan(p, settings.mode, settings.temperature)),
  };
}
