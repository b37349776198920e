import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/** The machine a run's numbers come from; this machine is shared, so the load matters. */
export function machineFacts(): {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverageAtEnd: number[];
  node: string;
} {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverageAtEnd: loadavg(),
    node: process.version,
  };
}

/**
 * Writes a run's JSON as bench/results/<name>-<date>.json and <name>-latest.json (both
 * ignored by git: results are machine-specific). Returns the dated path.
 */
export function writeResults(root: string, report: unknown, date: Date, name = 'engine'): string {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = date.toISOString().slice(0, 16).replace(':', '-'); // 2026-11-26T06-21
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const dated = join(dir, `${name}-${stamp}.json`);
  writeFileSync(dated, text);
  writeFileSync(join(dir, `${name}-latest.json`), text);
  return dated;
}
