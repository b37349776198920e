import { describe, expect, it } from 'vitest';
import { customModel } from '../../engine/registry/custom.ts';
import { CODEGEN_350M_MONO, TINY } from '../../engine/registry/models.ts';
import {
  bytesToFetch,
  isOfflineReady,
  missingPaths,
  offlineFileSet,
  offlineState,
  offlineReadyDtypes,
  offlineReadyModels,
  pathInFolder,
  urlsOf,
  urlsToVerify,
} from './readiness.ts';
import { checkSpace } from './storage.ts';
import type { PackagesReadiness } from '../../offline/package-readiness.ts';

const HUB = 'https://huggingface.co/Xenova/codegen-350M-mono/resolve/main/';
const TINY_BASE = 'http://localhost:5173/models/tiny/';
const JSON_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const cached = (base: string, ...paths: string[]) => new Set(paths.map((p) => base + p));

describe('offline readiness', () => {
  it('needs the three JSON files and the dtype’s weights, weights last', () => {
    const set = offlineFileSet(CODEGEN_350M_MONO, 'q4', HUB);
    expect(set.paths).toEqual([...JSON_FILES, 'onnx/model_q4.onnx']);
    expect(urlsOf(set)[3]).toBe(`${HUB}onnx/model_q4.onnx`);
    expect(set.label).toBe('CodeGen 350M mono (Python) (q4)');
  });

  it('is ready only when every file is cached', () => {
    const some = cached(HUB, 'config.json', 'tokenizer.json', 'onnx/model_q4.onnx');
    expect(isOfflineReady(CODEGEN_350M_MONO, 'q4', HUB, some)).toBe(false);
    expect(missingPaths(offlineFileSet(CODEGEN_350M_MONO, 'q4', HUB), some)).toEqual([
      'tokenizer_config.json',
    ]);
    const all = cached(HUB, ...JSON_FILES, 'onnx/model_q4.onnx');
    expect(isOfflineReady(CODEGEN_350M_MONO, 'q4', HUB, all)).toBe(true);
    expect(offlineReadyDtypes(CODEGEN_350M_MONO, HUB, all)).toEqual(['q4']);
    // Another place for the same model (a mirror) is another cache entry.
    expect(isOfflineReady(CODEGEN_350M_MONO, 'q4', 'https://mirror.test/x/', all)).toBe(false);
  });

  it('lists every ready (model, dtype) and never a folder picked from disk', () => {
    const urls = cached(TINY_BASE, ...JSON_FILES, 'onnx/model.onnx', 'onnx/model_q4.onnx');
    const folder = { ...TINY, id: 'folder:tiny' };
    const baseOf = (m: { id: string }) => (m.id === CODEGEN_350M_MONO.id ? HUB : TINY_BASE);
    const ready = offlineReadyModels([CODEGEN_350M_MONO, TINY, folder], baseOf, urls);
    expect(ready.map((r) => `${r.entry.id} ${r.dtype}`)).toEqual(['tiny fp32', 'tiny q4']);
  });

  it('counts the bytes of missing weights only, exact when the registry knows them', () => {
    expect(bytesToFetch(CODEGEN_350M_MONO, 'q4', HUB, new Set())).toEqual({
      bytes: 401_418_657,
      exact: true,
    });
    expect(bytesToFetch(CODEGEN_350M_MONO, 'q4f16', HUB, new Set())).toEqual({
      bytes: 277_000_000,
      exact: false,
    });
    expect(bytesToFetch(CODEGEN_350M_MONO, 'q4', HUB, cached(HUB, 'onnx/model_q4.onnx'))).toEqual({
      bytes: 0,
      exact: true,
    });
    const custom = customModel({ location: 'someone/codegen-onnx' });
    expect(bytesToFetch(custom, 'q4', HUB, new Set())).toBeNull();
  });

  it('verifies what a folder holds and what its cached weights need', () => {
    const present = [`${HUB}onnx/model_q4.onnx`, `${HUB}config.json`, `${HUB}stray.bin`];
    expect(urlsToVerify(present, CODEGEN_350M_MONO, HUB)).toEqual(
      [...JSON_FILES, 'onnx/model_q4.onnx', 'stray.bin'].map((p) => HUB + p).sort(),
    );
    // A folder the app does not know: only what is there.
    expect(urlsToVerify(present, null, HUB)).toEqual([...present].sort());
  });

  it('finds a URL’s path inside its folder', () => {
    expect(pathInFolder(HUB, `${HUB}onnx/model_q4.onnx`)).toBe('onnx/model_q4.onnx');
    expect(pathInFolder(HUB.slice(0, -1), `${HUB}config.json`)).toBe('config.json');
    expect(pathInFolder(HUB, 'https://elsewhere.test/config.json')).toBeNull();
  });
});

describe('offlineState', () => {
  const partial: PackagesReadiness = {
    kind: 'partial',
    stored: 3,
    needed: 9,
    missingFiles: ['numpy.whl'],
    unusable: ['numpy'],
    problems: ['23'],
  };

  it('calls a model Offline-ready only with its files and every Python package stored', () => {
    expect(offlineState(true, { kind: 'ready', needed: 9 })).toBe('ready');
    expect(offlineState(true, partial)).toBe('model-only');
    expect(offlineState(true, { ...partial, kind: 'none' })).toBe('model-only');
    expect(offlineState(true, { kind: 'unknown' })).toBe('model-only');
    // Still being read: not ready yet.
    expect(offlineState(true, null)).toBe('model-only');
  });

  it('needs only the model files where there is no Python stage', () => {
    expect(offlineState(true, undefined)).toBe('ready');
    expect(offlineState(false, undefined)).toBe('not-stored');
  });

  it('is not stored without the files, whatever the packages, and unknown before a listing', () => {
    expect(offlineState(false, { kind: 'ready', needed: 9 })).toBe('not-stored');
    expect(offlineState(null, { kind: 'ready', needed: 9 })).toBe('unknown');
  });
});

describe('checkSpace', () => {
  it('warns only when the download obviously does not fit', () => {
    const storage = { usage: 1_000, quota: 10_000, persisted: false };
    expect(checkSpace(9_500, storage)).toEqual({ fits: 'no', needed: 9_500, free: 9_000 });
    expect(checkSpace(9_000, storage)).toEqual({ fits: 'yes', needed: 9_000, free: 9_000 });
    expect(checkSpace(null, storage).fits).toBe('unknown');
    expect(checkSpace(5, { usage: null, quota: null, persisted: null }).fits).toBe('unknown');
  });
});
