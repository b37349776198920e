import { customCriterion } from '../engine/generation/stopping.ts';
import type { StoppingCriterion } from '../engine/generation/stopping.ts';
import { certainTruncation } from './truncate.ts';

/**
 * Stops a row as soon as truncate()'s result can no longer change, and keeps exactly that
 * text: the tokens after the cut would be thrown away anyway.
 */
export function mtpbTruncationCriterion(): StoppingCriterion {
  return customCriterion('mtpb-truncation', ({ text }) => {
    const kept = certainTruncation(text);
    return kept === null ? null : { textEnd: kept };
  });
}
