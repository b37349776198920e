import { describe, expect, test } from 'vitest';
import { loadSafetensors, readSafetensorsHeader } from './safetensors.ts';

function build(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('loadSafetensors', () => {
  test('reads F32 and F16 tensors at unaligned offsets', () => {
    const f32 = new Uint8Array(Float32Array.from([1.5, -2, 3.25]).buffer);
    const f16 = Uint8Array.from([0x00, 0x3c, 0x00, 0xc0]); // 1.0, -2.0 little endian
    const header = {
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
      b: { dtype: 'F16', shape: [1, 2], data_offsets: [12, 16] },
    };
    const bytes = build(header, Uint8Array.from([...f32, ...f16]));
    const tensors = loadSafetensors(bytes);
    expect([...tensors.get('a')!.data]).toEqual([1.5, -2, 3.25]);
    expect(tensors.get('b')!.shape).toEqual([1, 2]);
    expect([...tensors.get('b')!.data]).toEqual([1, -2]);
    expect(readSafetensorsHeader(bytes).metadata).toEqual({ format: 'pt' });
  });

  test('rejects truncated files', () => {
    expect(() => loadSafetensors(new Uint8Array(4))).toThrow();
    const bytes = build(
      { a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } },
      new Uint8Array(8),
    );
    expect(() => loadSafetensors(bytes)).toThrow(/size mismatch/);
  });
});
