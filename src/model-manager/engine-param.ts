import { parseEngineChoice } from '../engine/engine-choice.ts';
import type { EngineChoice } from '../shared/contracts/model-worker.ts';

/**
 * The Engine menu's choice on arrival: ?engine=wgsl|ort|auto, Auto without one (or with a
 * value that names no engine).
 */
export function engineChoiceOf(search: string): EngineChoice {
  return parseEngineChoice(new URLSearchParams(search).get('engine') ?? '') ?? 'auto';
}
