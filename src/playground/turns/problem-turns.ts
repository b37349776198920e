import { loadDefaultDataset } from '../../mtpb/load-dataset.ts';
import type { LoadedDataset } from '../../mtpb/load-dataset.ts';
import { renderPrompts } from '../../mtpb/protocol.ts';
import { pyJsonDumps } from '../../python/core/pyjson-dumps.ts';
import { AppError } from '../../shared/errors.ts';
import type { Turn } from '../state/share-state.ts';

export interface ProblemTurns {
  title: string;
  turns: Turn[];
  /** The problem's token budget per turn (max_gen_length). */
  maxNewTokens: number;
  /** The gold output of this test case, as the dataset writes it. */
  expected: string;
}

let dataset: Promise<LoadedDataset> | null = null;

/** One MTPB test case as playground turns: its prompts filled with the case's inputs. */
export async function problemTurns(problemId: string, caseIndex: number): Promise<ProblemTurns> {
  dataset ??= loadDefaultDataset(new URL(import.meta.env.BASE_URL, location.href).href);
  const loaded = await dataset.catch((error: unknown) => {
    dataset = null; // try again next time
    throw error;
  });
  const problem = loaded.problems.find((p) => p.id === problemId);
  if (!problem) {
    throw new AppError('bad-input', `The benchmark has no problem "${problemId}".`, {
      hint: `Open one of problems ${loaded.problems[0]?.id ?? 1}–${loaded.problems[loaded.problems.length - 1]?.id ?? '?'} from the Benchmark view.`,
    });
  }
  if (caseIndex >= problem.inputs.length) {
    throw new AppError(
      'bad-input',
      `Problem ${problem.id} has ${problem.inputs.length} test cases; there is no case ${caseIndex + 1}.`,
      { hint: 'Test cases are numbered from 0 in the link (case=0 is the first).' },
    );
  }
  return {
    title: `Problem ${problem.id} · ${problem.name} · test case ${caseIndex + 1}`,
    turns: renderPrompts(problem, caseIndex).map((prompt) => ({ prompt, completion: '' })),
    maxNewTokens: problem.maxGenLength,
    expected: pyJsonDumps(problem.outputs[caseIndex] ?? { t: 'none' }),
  };
}
