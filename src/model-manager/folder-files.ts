import { ALL_DTYPES } from '../engine/registry/types.ts';
import type { Dtype, DtypeVariant, GraphLayout, ModelEntry } from '../engine/registry/types.ts';
import { DTYPE_TRAITS, onnxPath } from '../engine/registry/dtypes.ts';
import { AppError } from '../shared/errors.ts';

/**
 * Model files picked from disk (a directory input or a dropped folder), keyed by their path
 * inside the folder: "config.json", "onnx/model_q4.onnx".
 */
export interface PickedFolder {
  name: string;
  files: Map<string, Blob>;
}

/** Strips the folder's own name: every path starts with it when a folder is picked. */
export function folderFromPaths(entries: ReadonlyArray<readonly [string, Blob]>): PickedFolder {
  const paths = entries.map(([path]) => path.replace(/^\/+/, ''));
  const first = paths[0]?.split('/')[0] ?? '';
  const shared = first !== '' && paths.every((p) => p.startsWith(`${first}/`));
  const files = new Map<string, Blob>();
  entries.forEach(([, blob], i) => {
    const path = paths[i] ?? '';
    files.set(shared ? path.slice(first.length + 1) : path, blob);
  });
  return { name: shared ? first : 'dropped files', files };
}

/** From `<input type=file webkitdirectory>`: each File knows its path in the folder. */
export function folderFromFileList(list: FileList | readonly File[]): PickedFolder {
  return folderFromPaths(
    Array.from(list, (file) => [file.webkitRelativePath || file.name, file] as const),
  );
}

/** From a drop: folders are walked (the File System entries API), files taken as they are. */
export async function folderFromDrop(items: DataTransferItemList): Promise<PickedFolder> {
  const roots = Array.from(items)
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  const found: Array<readonly [string, Blob]> = [];
  for (const root of roots) await walk(root, found);
  return folderFromPaths(found);
}

async function walk(entry: FileSystemEntry, out: Array<readonly [string, Blob]>): Promise<void> {
  if (isFile(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    out.push([entry.fullPath, file]);
  } else if (isDirectory(entry)) {
    const reader = entry.createReader();
    // readEntries answers in batches (100 in Chromium) until it answers with none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
        reader.readEntries(resolve, reject),
      );
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, out);
    }
  }
}

const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;
const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry =>
  entry.isDirectory;

const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

/**
 * A registry entry for a picked folder in the hub layout: the dtypes are the ONNX files it
 * has. Throws AppError('bad-model') saying what is missing.
 */
export function folderEntry(folder: PickedFolder): ModelEntry {
  const missing = REQUIRED.filter((path) => !folder.files.has(path));
  const layouts: GraphLayout[] = ['model', 'merged-decoder'];
  const layout =
    layouts.find((l) => ALL_DTYPES.some((d) => folder.files.has(onnxPath(l, d)))) ?? null;
  if (missing.length > 0 || layout === null) {
    const what = [
      ...missing,
      ...(layout === null ? ['onnx/model.onnx (or model_q4.onnx, …)'] : []),
    ];
    throw new AppError(
      'bad-model',
      `The folder "${folder.name}" is not a model folder: it has no ${what.join(', ')}.`,
      {
        hint: 'Pick the folder that holds config.json, tokenizer.json, tokenizer_config.json and onnx/ (the transformers.js layout of a Hugging Face repo).',
      },
    );
  }
  const dtypes: { [D in Dtype]?: DtypeVariant } = {};
  for (const dtype of ALL_DTYPES) {
    const path = onnxPath(layout, dtype);
    const blob = folder.files.get(path);
    if (blob) dtypes[dtype] = { ...DTYPE_TRAITS[dtype], file: { path, bytes: blob.size } };
  }
  return {
    id: `folder:${folder.name}`,
    label: `${folder.name} (from disk)`,
    description: `Files picked from your disk: ${folder.files.size} files, not copied into the browser's storage.`,
    source: { kind: 'local', basePath: `/${folder.name}/` },
    weights: 'pretrained',
    layout,
    architecture: null,
    dtypes,
  };
}
