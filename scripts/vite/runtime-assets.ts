import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { ensureTinyModel } from '../make-model/ensure-tiny.ts';

/**
 * Files the app loads at run time, copied from node_modules (and ../shared) into public/ so
 * that dev, preview and any static host serve them same-origin, unmodified. They are
 * generated, never committed (see .gitignore).
 *
 * onnxruntime-web is loaded from /vendor/ort/ rather than bundled: its threaded WASM starts
 * pthread workers from its own module URL, which bundling would point at our worker chunk.
 */
export const ORT_FILES = [
  'ort.all.min.mjs', // JSEP build: WebGPU through the JS execution provider, plus WASM
  'ort.webgpu.min.mjs', // asyncify build: the native WebGPU EP
  'ort.wasm.min.mjs', // WASM only
  'ort-wasm-simd-threaded.jsep.mjs',
  'ort-wasm-simd-threaded.jsep.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
] as const;

export const PYODIDE_FILES = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
] as const;

interface Copy {
  from: string;
  to: string;
}

function copyIfChanged({ from, to }: Copy): boolean {
  const source = statSync(from);
  if (existsSync(to)) {
    const target = statSync(to);
    if (target.size === source.size && target.mtimeMs >= source.mtimeMs) return false;
  }
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  return true;
}

export function runtimeCopies(root: string): Copy[] {
  const modules = join(root, 'node_modules');
  const publicDir = join(root, 'public');
  const copies: Copy[] = [
    ...ORT_FILES.map((file) => ({
      from: join(modules, 'onnxruntime-web', 'dist', file),
      to: join(publicDir, 'vendor', 'ort', file),
    })),
    ...PYODIDE_FILES.map((file) => ({
      from: join(modules, 'pyodide', file),
      to: join(publicDir, 'vendor', 'pyodide', file),
    })),
  ];
  // The MTPB data is read from the shared folder beside the checkout and never committed.
  const mtpb = resolve(root, '..', 'shared', 'datasets', 'mtpb');
  if (existsSync(join(mtpb, 'mtpb.jsonl'))) {
    copies.push(
      { from: join(mtpb, 'mtpb.jsonl'), to: join(publicDir, 'datasets', 'mtpb.jsonl') },
      { from: join(mtpb, 'LICENSE.txt'), to: join(publicDir, 'datasets', 'mtpb.LICENSE.txt') },
    );
  }
  // So is HumanEval (MIT, openai/human-eval): served gzipped, as published.
  const humaneval = resolve(root, '..', 'shared', 'datasets', 'humaneval');
  if (existsSync(join(humaneval, 'HumanEval.jsonl.gz'))) {
    copies.push(
      {
        from: join(humaneval, 'HumanEval.jsonl.gz'),
        to: join(publicDir, 'datasets', 'HumanEval.jsonl.gz'),
      },
      {
        from: join(humaneval, 'LICENSE.txt'),
        to: join(publicDir, 'datasets', 'HumanEval.LICENSE.txt'),
      },
    );
  }
  return copies;
}

/** Copies everything before Vite starts serving or building, so `npm start` needs no setup. */
export function prepareRuntimeAssets(root: string, log: (line: string) => void = () => {}): void {
  let copied = 0;
  for (const copy of runtimeCopies(root)) if (copyIfChanged(copy)) copied++;
  if (copied > 0) log(`runtime assets: copied ${copied} file(s) into public/`);
  // The embedded default model: random weights, generated in well under a second.
  const tiny = ensureTinyModel(join(root, 'public', 'models', 'tiny'));
  if (tiny.regenerated) log(`runtime assets: generated the tiny model in ${tiny.outDir}`);
  // The same weights as the -multi / -nl merged decoder (If on use_cache_branch, no position_ids).
  const merged = ensureTinyModel(
    join(root, 'public', 'models', 'tiny-merged'),
    log,
    'merged-decoder',
  );
  if (merged.regenerated)
    log(`runtime assets: generated the tiny merged decoder in ${merged.outDir}`);
}

export function runtimeAssetsPlugin(): Plugin {
  return {
    name: 'codegen:runtime-assets',
    configResolved(config) {
      prepareRuntimeAssets(config.root, (line) => config.logger.info(line));
    },
  };
}
