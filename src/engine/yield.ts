/**
 * Lets the worker's event loop run between decode steps. onnxruntime-web's WASM backend can
 * finish a step without ever returning to the event loop, so a cancel message (Stop) would
 * wait until the whole generation ended. A MessageChannel round trip is a macrotask without
 * setTimeout's 4 ms clamp. The channel is closed as soon as nobody waits on it: an open port
 * would keep a Node process (the command line) alive after its work is done.
 */
let channel: MessageChannel | null = null;
const waiting: Array<() => void> = [];

export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!channel) {
    const opened = new MessageChannel();
    opened.port1.onmessage = () => {
      waiting.shift()?.();
      if (waiting.length === 0) {
        opened.port1.close();
        opened.port2.close();
        if (channel === opened) channel = null;
      }
    };
    channel = opened;
  }
  const ready = new Promise<void>((resolve) => waiting.push(resolve));
  channel.port2.postMessage(null);
  return ready;
}
