// Draws the app icon (the favicon's design: a code bracket pair and a slash on a dark tile)
// as PNGs for the web app manifest, which needs raster icons of at least 192 and 512 px.
// Run: npm run make-icons   (writes public/icons/; the PNGs are committed)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zlibSync } from 'fflate';

type Rgb = readonly [number, number, number];
const BACKGROUND: Rgb = [0x1f, 0x29, 0x37];
const GREEN: Rgb = [0x34, 0xd3, 0x99];
const BLUE: Rgb = [0x93, 0xc5, 0xfd];

/** A stroke in the favicon's 64-unit coordinates: a polyline with round caps and joins. */
interface Stroke {
  points: ReadonlyArray<readonly [number, number]>;
  width: number;
  color: Rgb;
}
const STROKES: Stroke[] = [
  {
    points: [
      [22, 20],
      [10, 32],
      [22, 44],
    ],
    width: 6,
    color: GREEN,
  },
  {
    points: [
      [42, 20],
      [54, 32],
      [42, 44],
    ],
    width: 6,
    color: GREEN,
  },
  {
    points: [
      [36, 16],
      [28, 48],
    ],
    width: 5,
    color: BLUE,
  },
];

function segmentDistance(
  px: number,
  py: number,
  a: readonly [number, number],
  b: readonly [number, number],
): number {
  const [ax, ay] = a;
  const [bx, by] = b;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Inside the 64×64 tile with corners of radius `r` (r = 0: the full square). */
function inTile(x: number, y: number, r: number): boolean {
  const cx = Math.min(Math.max(x, r), 64 - r);
  const cy = Math.min(Math.max(y, r), 64 - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

/**
 * Colour at a point of the 64-unit design. `maskable`: the tile fills the square and the
 * drawing shrinks to the central 80 % safe zone that launchers never crop.
 */
function colorAt(x: number, y: number, maskable: boolean): Rgb | null {
  if (!inTile(x, y, maskable ? 0 : 12)) return null;
  const scale = maskable ? 0.8 : 1;
  const u = 32 + (x - 32) / scale;
  const v = 32 + (y - 32) / scale;
  for (const stroke of STROKES) {
    for (let i = 1; i < stroke.points.length; i++) {
      const a = stroke.points[i - 1];
      const b = stroke.points[i];
      if (a && b && segmentDistance(u, v, a, b) <= stroke.width / 2) return stroke.color;
    }
  }
  return BACKGROUND;
}

/** RGBA pixels, 4×4 supersampled for smooth edges. */
function render(size: number, maskable: boolean): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) / size) * 64;
          const y = ((py + (sy + 0.5) / samples) / size) * 64;
          const c = colorAt(x, y, maskable);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        pixels[o] = Math.round(r / a);
        pixels[o + 1] = Math.round(g / a);
        pixels[o + 2] = Math.round(b / a);
      }
      pixels[o + 3] = Math.round((a / (samples * samples)) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A minimal PNG: 8-bit RGBA, no interlace, filter 0 on every row. */
export function encodePng(size: number, rgba: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = new Uint8Array(size * (size * 4 + 1));
  for (let y = 0; y < size; y++)
    rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    png.set(part, at);
    at += part.length;
  }
  return png;
}

export const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon.png', size: 180, maskable: true },
] as const;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('../../public/icons/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const icon of ICONS) {
    writeFileSync(dir + icon.file, encodePng(icon.size, render(icon.size, icon.maskable)));
    console.log(`public/icons/${icon.file}`);
  }
}
