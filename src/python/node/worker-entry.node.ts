/**
 * The interpreter worker under Node (tests, benchmarks, the command line): the same handler as in
 * the browser, served over worker_threads' parentPort. Not a security boundary: under Node the
 * programs are our own reference solutions or the user's own.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { loadPyodide } from 'pyodide';
import { serveRpc } from '../../shared/rpc/index.ts';
import type { Endpoint } from '../../shared/rpc/index.ts';
import type { PythonWorkerContract } from '../../shared/contracts/python-worker.ts';
import { PythonHandler } from '../core/handler.ts';

if (!parentPort) throw new Error('worker-entry.node.ts runs in a worker thread');
const harness = readFileSync(new URL('../core/harness.py', import.meta.url), 'utf8');
// Node's MessagePort is an EventTarget whose message events carry `data`, as Endpoint expects.
const endpoint = parentPort as unknown as Endpoint;
serveRpc<PythonWorkerContract>(endpoint, new PythonHandler(loadPyodide, harness).handlers());
