import { afterEach, describe, expect, it } from 'vitest';
import type {
  FrameStart,
  PythonFrameContract,
  WorkerStart,
} from '../../shared/contracts/python-worker.ts';
import { isWorkerStart } from '../../shared/contracts/python-worker.ts';
import { RpcClient } from '../../shared/rpc/index.ts';
import { FRAME_DOCUMENT } from './frame-document.ts';

// The frame's script speaks the RPC wire format by hand (no module loads in the frame); this
// runs it against the real RpcClient, with the frame's globals stood in for.

class StandInWorker extends EventTarget {
  static last: StandInWorker | null = null;
  readonly posted: unknown[] = [];
  constructor() {
    super();
    StandInWorker.last = this;
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function startFrame(isolated: boolean): {
  frame: RpcClient<PythonFrameContract>;
  init: WorkerStart;
} {
  const script = /<script>([\s\S]*)<\/script>/.exec(FRAME_DOCUMENT)?.[1] ?? '';
  const listeners: Array<(event: { source: unknown; data: unknown }) => void> = [];
  const parent = {};
  const globals = {
    addEventListener: (_type: string, listener: (typeof listeners)[number]) =>
      listeners.push(listener),
    removeEventListener: () => {},
    parent,
    self: { crossOriginIsolated: isolated },
    Worker: StandInWorker,
    URL: { createObjectURL: () => 'blob:worker' },
    Blob,
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the frame's own script, under test
  const run = new Function(...Object.keys(globals), script) as (...values: unknown[]) => void;
  run(...Object.values(globals));
  const [rpc, files, control] = [new MessageChannel(), new MessageChannel(), new MessageChannel()];
  channels.push(rpc, files, control);
  const start: FrameStart = {
    kind: 'python-sandbox-start',
    workerSource: '',
    core: {},
    rpc: rpc.port2,
    files: files.port2,
    control: control.port2,
  };
  for (const listener of listeners) listener({ source: parent, data: start });
  const init = StandInWorker.last?.posted[0];
  if (!isWorkerStart(init)) throw new Error('the frame did not start the worker');
  return { frame: new RpcClient<PythonFrameContract>(control.port1), init };
}

describe('the sandbox frame', () => {
  it('raises Stop in the worker’s interrupt buffer where it is cross-origin isolated', async () => {
    const { frame, init } = startFrame(true);
    expect(await frame.call({ kind: 'interrupt', signal: 2 })).toBe(true);
    expect(init.interruptBuffer && Atomics.load(init.interruptBuffer, 0)).toBe(2);
    frame.dispose();
  });

  it('says it cannot interrupt where it is not isolated', async () => {
    const { frame, init } = startFrame(false);
    expect(init.interruptBuffer).toBeNull();
    expect(await frame.call({ kind: 'interrupt', signal: 2 })).toBe(false);
    frame.dispose();
  });

  it('answers `exit` when the worker dies, before or after the question', async () => {
    const { frame } = startFrame(true);
    const exit = frame.call({ kind: 'exit' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const error = Object.assign(new Event('error'), { message: 'out of memory' });
    StandInWorker.last?.dispatchEvent(error);
    expect(await exit).toEqual({ reason: 'out of memory' });
    frame.dispose();

    const late = startFrame(true);
    StandInWorker.last?.dispatchEvent(Object.assign(new Event('error'), { message: 'gone' }));
    expect(await late.frame.call({ kind: 'exit' })).toEqual({ reason: 'gone' });
    late.frame.dispose();
  });
});
