/**
 * Lets the worker's event loop run between decode steps. onnxruntime-web's WASM backend can
 * finish a step without ever returning to the event loop, so a cancel message (Stop) would
 * wait until the whole generation ended. A MessageChannel round trip is a macrotask without
 * setTimeout's 4 ms clamp.
 */
let channel: MessageChannel | null = null;

interface Unrefable {
  unref: () => void;
}
const isUnrefable = (port: unknown): port is Unrefable =>
  typeof port === 'object' && port !== null && 'unref' in port && typeof port.unref === 'function';
const waiting: Array<() => void> = [];

export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // Under Node an open port would keep the process alive after the last generation.
    const port: unknown = channel.port1;
    if (isUnrefable(port)) port.unref();
  }
  const ready = new Promise<void>((resolve) => waiting.push(resolve));
  channel.port2.postMessage(null);
  return ready;
}
