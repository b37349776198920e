import { AppError } from '../../../shared/errors.ts';
import type { WeightMap } from '../../reference/types.ts';
import type { CodegenWeightSource } from './types.ts';

/** fp32 weights already in Hugging Face names and torch layout (the reference's weight map). */
export function weightMapSource(weights: WeightMap, description: string): CodegenWeightSource {
  const get = (name: string) => {
    const t = weights.get(name);
    if (!t) throw new AppError('bad-model', `${description} has no ${name}.`);
    return t;
  };
  const matrix = (name: string) => {
    const t = get(name);
    if (t.shape.length !== 2) throw new AppError('bad-model', `${name} is not a matrix.`);
    return { format: 'f32' as const, rows: t.shape[0]!, cols: t.shape[1]!, data: t.data };
  };
  return {
    description,
    layerNormEpsilon: null,
    linear: (module) => ({ kind: 'dense', ...matrix(`${module}.weight`) }),
    vector: (name) => get(name).data,
    hasVector: (name) => weights.has(name),
    embedding: () => matrix('transformer.wte.weight'),
  };
}
