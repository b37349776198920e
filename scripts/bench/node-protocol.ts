import type { NodeRuntime } from './types.ts';
import type { ConfigPlan } from './types.ts';

/** What node-runner.ts hands node-child.ts (as a JSON file) and the lines it reads back. */
export interface NodeJob {
  runtime: NodeRuntime;
  modelDir: string;
  plan: ConfigPlan;
}

/** `@@load <Outcome JSON>`: the model loaded (or did not). */
export const LOAD_TAG = '@@load ';
/** `@@run <index> <RunResult JSON>`: one workload finished. */
export const RUN_TAG = '@@run ';
/** `@@config <ConfigResult JSON>`: the whole configuration finished. */
export const CONFIG_TAG = '@@config ';
