// The model registry: data about models, and pure functions over it.
export * from './types.ts';
export { DTYPE_TRAITS, availableDtypes, onnxPath } from './dtypes.ts';
export * from './models.ts';
export { customModel, repoIdProblems, type CustomModelOptions } from './custom.ts';
export * from './urls.ts';
export * from './compat.ts';
