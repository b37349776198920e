import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError, AppError, isAppError } from '../errors.ts';
import { RpcClient } from './client.ts';
import type { Contract } from './contract.ts';
import { serveRpc } from './server.ts';

interface EchoContract extends Contract {
  request:
    | { kind: 'add'; a: number; b: number }
    | { kind: 'count'; to: number }
    | { kind: 'fail'; code: 'bad-input' | 'no-model' }
    | { kind: 'wait' };
  results: { add: number; count: string; fail: never; wait: 'done' };
  event: { kind: 'tick'; n: number };
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function connect(): RpcClient<EchoContract> {
  const channel = new MessageChannel();
  channels.push(channel);
  serveRpc<EchoContract>(channel.port2, {
    add: ({ a, b }) => a + b,
    count: ({ to }, context) => {
      for (let n = 1; n <= to; n++) context.emit({ kind: 'tick', n });
      return 'counted';
    },
    fail: ({ code }) => {
      throw new AppError(code, `failed with ${code}`, { hint: 'try again' });
    },
    wait: (_request, { signal }) =>
      new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(new AbortedError())),
      ),
  });
  return new RpcClient<EchoContract>(channel.port1);
}

describe('worker RPC', () => {
  it('returns typed results', async () => {
    const client = connect();
    const sum: number = await client.call({ kind: 'add', a: 2, b: 3 });
    expect(sum).toBe(5);
  });

  it('streams events before the result', async () => {
    const client = connect();
    const ticks: number[] = [];
    const result = await client.call({ kind: 'count', to: 3 }, { onEvent: (e) => ticks.push(e.n) });
    expect(ticks).toEqual([1, 2, 3]);
    expect(result).toBe('counted');
  });

  it('rebuilds errors with their code and hint across the boundary', async () => {
    const client = connect();
    const error: unknown = await client
      .call({ kind: 'fail', code: 'no-model' })
      .catch((e: unknown) => e);
    expect(isAppError(error, 'no-model')).toBe(true);
    expect(error).toMatchObject({ message: 'failed with no-model', hint: 'try again' });
  });

  it('cancels a call through its AbortSignal', async () => {
    const client = connect();
    const controller = new AbortController();
    const pending = client.call({ kind: 'wait' }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('rejects in-flight and later calls once the worker has failed', async () => {
    const client = connect();
    const pending = client.call({ kind: 'wait' });
    client.fail(new AppError('worker-crashed', 'gone'));
    await expect(pending).rejects.toMatchObject({ code: 'worker-crashed' });
    await expect(client.call({ kind: 'add', a: 1, b: 1 })).rejects.toMatchObject({
      code: 'worker-crashed',
    });
  });
});
