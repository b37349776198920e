import { AppError } from '../../shared/errors.ts';
import { DTYPE_TRAITS, onnxPath } from './dtypes.ts';
import type { Dtype, DtypeVariant, GraphLayout, ModelEntry } from './types.ts';

/**
 * Hub rules for a repo name part (huggingface_hub's validate_repo_id): letters, digits,
 * '-', '_', '.'; starting and ending with a letter or digit; at most 96 characters; no
 * '--' or '..'.
 */
const NAME_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const MAX_PART_LENGTH = 96;

/** Why `repoId` is not a valid "owner/name" hub id; an empty list means it is. */
export function repoIdProblems(repoId: string): string[] {
  const parts = repoId.split('/');
  if (parts.length !== 2) {
    return [`"${repoId}" is not of the form owner/name (for example Xenova/codegen-350M-mono)`];
  }
  const problems: string[] = [];
  for (const [label, part] of [
    ['owner', parts[0] ?? ''],
    ['name', parts[1] ?? ''],
  ] as const) {
    if (part.length === 0) problems.push(`the ${label} is empty`);
    else if (part.length > MAX_PART_LENGTH)
      problems.push(`the ${label} is longer than ${MAX_PART_LENGTH} characters`);
    else if (!NAME_PART.test(part)) {
      problems.push(
        `the ${label} "${part}" may only contain letters, digits, '-', '_' and '.', and must start and end with a letter or digit`,
      );
    } else if (part.includes('--') || part.includes('..')) {
      problems.push(`the ${label} "${part}" contains '--' or '..'`);
    }
  }
  if (repoId.endsWith('.git')) problems.push('the name must not end in .git');
  return problems;
}

/** A branch, tag, or commit; "refs/pr/4" style names are allowed. */
const REVISION = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export interface CustomModelOptions {
  /** A hub repo id ("owner/name"), or a same-origin folder ("/models/mine/"). */
  location: string;
  /** Hub only; default 'main'. */
  revision?: string;
  label?: string;
  /** Default 'model' (transformers.js v3 files: onnx/model*.onnx). */
  layout?: GraphLayout;
  /** The dtypes the folder has; default fp32, q4, q4f16 and q8. */
  dtypes?: readonly Dtype[];
}

const DEFAULT_CUSTOM_DTYPES: readonly Dtype[] = ['fp32', 'q4', 'q4f16', 'q8'];

/**
 * A registry entry for a model the registry does not know: any hub repo or local folder in
 * the hub layout (config.json, tokenizer.json, tokenizer_config.json, onnx/…). Its
 * architecture and file sizes are unknown until config.json and the responses arrive.
 * Throws AppError('bad-input') with every problem found.
 */
export function customModel(options: CustomModelOptions): ModelEntry {
  const location = options.location.trim();
  const layout = options.layout ?? 'model';
  const dtypes: { [D in Dtype]?: DtypeVariant } = {};
  for (const dtype of options.dtypes ?? DEFAULT_CUSTOM_DTYPES) {
    dtypes[dtype] = {
      ...DTYPE_TRAITS[dtype],
      file: { path: onnxPath(layout, dtype), sizeUnknown: true },
    };
  }
  const common = { weights: 'pretrained', layout, architecture: null, dtypes } as const;

  if (location.startsWith('/')) {
    const problems = localPathProblems(location);
    if (problems.length > 0) throw badLocation(location, problems);
    const basePath = location.endsWith('/') ? location : `${location}/`;
    return {
      ...common,
      id: `local:${basePath}`,
      label: options.label ?? basePath,
      description: `Model files served by this app from ${basePath}`,
      source: { kind: 'local', basePath },
    };
  }

  const revision = options.revision ?? 'main';
  const problems = repoIdProblems(location);
  if (!REVISION.test(revision) || revision.split('/').includes('..')) {
    problems.push(`the revision "${revision}" is not a branch, tag or commit name`);
  }
  if (problems.length > 0) throw badLocation(location, problems);
  return {
    ...common,
    id: `hub:${location}@${revision}`,
    label: options.label ?? location,
    description: `https://huggingface.co/${location} at ${revision}`,
    source: { kind: 'hub', repo: location, revision },
  };
}

function localPathProblems(path: string): string[] {
  const problems: string[] = [];
  if (path.startsWith('//')) problems.push('a path starting with // would leave this site');
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) {
    problems.push("the path must not contain '.' or '..' segments");
  }
  if (/[?#\\]/.test(path)) problems.push("the path must not contain '?', '#' or '\\'");
  return problems;
}

function badLocation(location: string, problems: string[]): AppError {
  return new AppError('bad-input', `Cannot use "${location}" as a model: ${problems.join('; ')}.`, {
    hint: 'Give a Hugging Face repo id like Xenova/codegen-350M-mono, or a folder on this site like /models/my-model/.',
  });
}
