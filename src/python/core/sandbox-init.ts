/**
 * What the sandbox frame hands the Python worker when it starts it (browser only). Everything
 * the worker may read from outside comes in here: it has no network of its own.
 */
export interface SandboxInit {
  type: 'python-sandbox-init';
  /** The worker's end of the RPC channel to the app. */
  rpc: MessagePort;
  /** Where the worker asks the app for package files (see FileRequest). */
  files: MessagePort;
  /** The Pyodide core files by URL: pyodide.mjs, pyodide.asm.mjs/.wasm, stdlib, lock file. */
  core: Record<string, ArrayBuffer>;
  /** Written by the frame when the app asks for Stop; null where memory cannot be shared. */
  interruptBuffer: Int32Array | null;
}

export interface FileRequest {
  id: number;
  url: string;
}

export type FileResponse = { id: number; bytes: ArrayBuffer } | { id: number; error: string };

export function isSandboxInit(data: unknown): data is SandboxInit {
  return (
    typeof data === 'object' &&
    data !== null &&
    'type' in data &&
    data.type === 'python-sandbox-init'
  );
}
