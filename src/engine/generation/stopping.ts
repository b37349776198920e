import type { StopReason } from '../../shared/contracts/model-worker.ts';
import { AppError } from '../../shared/errors.ts';

/** What a criterion sees of one row after a token has been appended. */
export interface RowState {
  /** Ids generated for this row so far, prompt excluded; the newest is last. */
  readonly generatedIds: readonly number[];
  /** The decoded text of generatedIds as streamed so far (no broken trailing character). */
  readonly text: string;
  /** text.length before this step, so a criterion can look only at what is new. */
  readonly previousTextLength: number;
}

export type { StopReason };

export interface StoppingCriterion {
  check(state: RowState): StopReason | null;
}

/** Stops when the newest token is one of `eosTokenIds` (CodeGen: 50256, <|endoftext|>). */
export function eosCriterion(eosTokenIds: readonly number[]): StoppingCriterion {
  const ids = new Set(eosTokenIds);
  return {
    check: ({ generatedIds }) => {
      const last = generatedIds[generatedIds.length - 1];
      return last !== undefined && ids.has(last) ? { kind: 'eos', tokenId: last } : null;
    },
  };
}

export function maxNewTokensCriterion(limit: number): StoppingCriterion {
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new AppError('bad-input', `maxNewTokens must be an integer ≥ 1 (got ${limit}).`);
  }
  return {
    check: ({ generatedIds }) =>
      generatedIds.length >= limit ? { kind: 'max-new-tokens', limit } : null,
  };
}

/**
 * Stops when the decoded text contains a stop string, wherever token boundaries fall: it
 * searches the new text plus enough of the old to catch a string that straddles them.
 * Reports the earliest occurrence; ties go to the stop string listed first.
 */
export function stopStringCriterion(stops: readonly string[]): StoppingCriterion {
  const emptyAt = stops.findIndex((s) => s.length === 0);
  if (emptyAt >= 0) throw new AppError('bad-input', `Stop string ${emptyAt + 1} is empty.`);
  const longest = stops.reduce((n, s) => Math.max(n, s.length), 0);
  return {
    check: ({ text, previousTextLength }) => {
      const from = Math.max(0, previousTextLength - longest + 1);
      let best: StopReason | null = null;
      let bestAt = Infinity;
      for (const stop of stops) {
        const at = text.indexOf(stop, from);
        if (at >= 0 && at < bestAt) {
          bestAt = at;
          best = { kind: 'stop-string', stop, textEnd: at };
        }
      }
      return best;
    },
  };
}

/**
 * Adapts a plain function, e.g. the MTPB runner's "the truncation point is certain" test.
 * `decide` returns null to continue, or where to cut the text (or undefined to keep all).
 */
export function customCriterion(
  name: string,
  decide: (state: RowState) => { textEnd?: number; detail?: string } | null,
): StoppingCriterion {
  return {
    check: (state) => {
      const verdict = decide(state);
      return verdict === null ? null : { kind: 'custom', name, ...verdict };
    },
  };
}

/** The first criterion, in list order, that wants to stop decides the reason. */
export function anyOf(criteria: readonly StoppingCriterion[]): StoppingCriterion {
  return {
    check: (state) => {
      for (const criterion of criteria) {
        const reason = criterion.check(state);
        if (reason !== null) return reason;
      }
      return null;
    },
  };
}

export interface StandardStopOptions {
  eosTokenIds: readonly number[];
  maxNewTokens: number;
  stopStrings?: readonly string[];
  extra?: readonly StoppingCriterion[];
}

/**
 * EOS, then stop strings, then `extra`, then the token budget: when several fire on the same
 * token the more informative reason wins (EOS over "ran out of budget").
 */
export function standardCriteria(options: StandardStopOptions): StoppingCriterion {
  const list: StoppingCriterion[] = [eosCriterion(options.eosTokenIds)];
  if (options.stopStrings !== undefined && options.stopStrings.length > 0) {
    list.push(stopStringCriterion(options.stopStrings));
  }
  list.push(...(options.extra ?? []), maxNewTokensCriterion(options.maxNewTokens));
  return anyOf(list);
}
