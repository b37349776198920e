import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import type { FileSource, ReadOptions, ReadResult } from './sources.ts';

/** A model folder on disk (command line, tests, benchmarks). */
export class DirSource implements FileSource {
  constructor(readonly label: string) {}

  describe(path: string): string {
    return join(this.label, path);
  }

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    try {
      const bytes = new Uint8Array(await readFile(join(this.label, path)));
      options.onProgress?.(bytes.byteLength, bytes.byteLength);
      return { bytes, fromCache: false };
    } catch (error) {
      throw new AppError(
        'not-found',
        `${join(this.label, path)} could not be read: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}
