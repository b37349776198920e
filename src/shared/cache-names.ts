/**
 * Cache Storage names, shared by the page, the model worker and the service worker: each
 * file is stored once, in the cache its owner writes, and the service worker only reads it.
 */
/** Model files, written by the engine's loader (entries carry their size and SHA-256). */
export const MODEL_CACHE = 'codegen-models-v1';
/** Pyodide package wheels, written by the app's PackageStore. */
export const PACKAGE_CACHE = 'python-packages-v1';
/** onnxruntime-web builds the app does not precache (?ort=asyncify|wasm), kept once used. */
export const RUNTIME_CACHE = 'codegen-runtime-v1';
