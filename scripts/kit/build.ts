// npm run kit:device -- [--out DIR]
//
// Builds the GPU kit (default .kit/, ignored by git): everything a run on a machine with
// nothing of ours needs, under 60 MiB so it travels to the lent GPU machine (64 MiB a call):
//   run.sh, torch_ceiling.py          the entry script and the PyTorch ceiling
//   kit.mjs                           one bundle: both engines, the bench, the model generator
//   node.xz                           this machine's Node binary (run.sh unpacks it)
//   node_modules/webgpu/              Dawn: index.js and the linux-x64 dawn.node (xz)
//   node_modules/onnxruntime-web/     its JSEP (WebGPU) build, the app's default, and .wasm (xz)
//   vulkan/*.deb                      the Vulkan loader and glvnd, for a machine without them
//   models/<preset>/                  config, tokenizer and shape of tiny and 350M: no weights
//   MANIFEST.json                     what is where, sizes, SHA-256, the commit it came from
// The kit then runs anywhere with `OUT=DIR .kit/run.sh` (README: "The GPU kit").

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { hfConfig } from '../make-model/config.ts';
import { DEFAULT_SEED, resolveSpec } from '../make-model/model-spec.ts';
import { SPEC_FILE } from './model.ts';
import type { KitSpec } from './model.ts';
import type { KitPreset } from './plan.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HERE = join(ROOT, 'scripts', 'kit');
/** The device's call carries 64 MiB with the repository (about 3 MiB): the kit stays under. */
export const KIT_LIMIT_BYTES = 60 * 2 ** 20;
/** What the README's recipe for headless Vulkan on the GPU machine brings (device README). */
const VULKAN_PACKAGES = ['libvulkan1', 'libglvnd0', 'libegl1', 'libgl1', 'libglx0', 'libopengl0'];
const PRESETS: KitPreset[] = ['tiny', '350M'];

const nodeRequire = createRequire(import.meta.url);

function log(line: string): void {
  console.error(line);
}

/** The folder of an installed package (found through a file it exports by name). */
function packageDir(name: string, exported: string): string {
  let dir = dirname(nodeRequire.resolve(`${name}/${exported}`));
  while (!readdirSync(dir).includes('package.json')) dir = dirname(dir);
  return dir;
}

/** Compresses `from` into `to` with xz (all cores; the device unpacks with Python's lzma). */
async function xz(from: string, to: string): Promise<void> {
  mkdirSync(dirname(to), { recursive: true });
  const child = spawn('xz', ['-T0', '-6', '-c', from], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) =>
      reject(new Error(`xz could not start (apt-get install xz-utils): ${error.message}`)),
    );
    child.on('close', resolve);
  });
  await pipeline(child.stdout, createWriteStream(to));
  const code = await exited;
  if (code !== 0) throw new Error(`xz ${from} exited with ${code}: ${stderr.trim()}`);
}

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

async function bundle(out: string): Promise<void> {
  await build({
    entryPoints: [join(HERE, 'main.ts')],
    outfile: join(out, 'kit.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dawn is a native addon, loaded from the kit's node_modules; onnxruntime-node is the CPU
    // runtime, never run by the kit. onnxruntime-web's JSEP build is not bundled either:
    // ort-node-webgpu.ts imports it from the kit's copy of the package, beside its .wasm.
    external: ['webgpu', 'onnxruntime-node'],
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __kitRequire } from 'node:module'; const require = __kitRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** The preset's config.json, tokenizer files and spec.json (the shape the device writes from). */
export function writeModelMeta(preset: KitPreset, dir: string): void {
  const spec = resolveSpec({ preset });
  mkdirSync(dir, { recursive: true });
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(join(dir, 'config.json'), json(hfConfig(spec.dims)));
  writeFileSync(join(dir, 'tokenizer.json'), json(spec.tokenizer.tokenizerJson));
  writeFileSync(join(dir, 'tokenizer_config.json'), json(spec.tokenizer.tokenizerConfig));
  const kitSpec: KitSpec = { preset, seed: DEFAULT_SEED, dims: spec.dims };
  writeFileSync(join(dir, SPEC_FILE), json(kitSpec));
}

/** The .deb files of the Vulkan loader, fetched with apt into lists of their own (no root). */
function downloadVulkan(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const lists = join(dir, '..', '.apt-lists');
  mkdirSync(join(lists, 'partial'), { recursive: true });
  const options = [
    '-qq',
    '-oAPT::Architecture=amd64',
    '-oAPT::Architectures=amd64',
    `-oDir::State::Lists=${lists}`,
  ];
  const run = (args: string[]): void => {
    const result = spawnSync('apt-get', [...options, ...args], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(
        `apt-get ${args[0]} failed (${result.error?.message ?? result.stderr.trim()}): the kit needs ` +
          "Debian's apt to fetch the Vulkan loader for the GPU machine",
      );
  };
  run(['update']);
  run(['download', ...VULKAN_PACKAGES]);
  rmSync(lists, { recursive: true, force: true });
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

function gitCommit(): string | null {
  const result = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

export async function buildKit(out: string): Promise<{ bytes: number; files: number }> {
  const started = performance.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  const webgpu = packageDir('webgpu', 'index.js');
  const ort = packageDir('onnxruntime-web', 'ort-wasm-simd-threaded.jsep.mjs');
  const ortOut = join(out, 'node_modules', 'onnxruntime-web');
  const webgpuOut = join(out, 'node_modules', 'webgpu');

  // The three large binaries compress in the background while the rest is put together.
  const compressed = Promise.all([
    xz(process.execPath, join(out, 'node.xz')),
    xz(
      join(webgpu, 'dist', 'linux-x64', 'dawn.node'),
      join(webgpuOut, 'dist', 'linux-x64', 'dawn.node.xz'),
    ),
    xz(
      join(ort, 'dist', 'ort-wasm-simd-threaded.jsep.wasm'),
      join(ortOut, 'dist', 'ort-wasm-simd-threaded.jsep.wasm.xz'),
    ),
  ]);
  await bundle(out);
  for (const file of ['package.json', 'index.js', 'LICENSE.md'])
    copy(join(webgpu, file), join(webgpuOut, file));
  for (const file of [
    'package.json',
    'dist/ort.all.min.mjs',
    'dist/ort-wasm-simd-threaded.jsep.mjs',
  ])
    copy(join(ort, file), join(ortOut, file));
  for (const file of ['run.sh', 'torch_ceiling.py']) copy(join(HERE, file), join(out, file));
  for (const preset of PRESETS) writeModelMeta(preset, join(out, 'models', preset));
  downloadVulkan(join(out, 'vulkan'));
  await compressed;

  const listed = await Promise.all(
    files(out).map(async (path) => ({
      path: relative(out, path),
      bytes: statSync(path).size,
      sha256: await sha256(path),
    })),
  );
  listed.sort((a, b) => a.path.localeCompare(b.path));
  const bytes = listed.reduce((sum, f) => sum + f.bytes, 0);
  const manifest = {
    builtAt: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    packages: {
      webgpu: (
        JSON.parse(readFileSync(join(webgpu, 'package.json'), 'utf8')) as { version: string }
      ).version,
      'onnxruntime-web': (
        JSON.parse(readFileSync(join(ort, 'package.json'), 'utf8')) as { version: string }
      ).version,
    },
    bytes,
    files: listed,
  };
  writeFileSync(join(out, 'MANIFEST.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (bytes > KIT_LIMIT_BYTES)
    throw new Error(
      `the kit is ${(bytes / 2 ** 20).toFixed(1)} MiB, over its ${KIT_LIMIT_BYTES / 2 ** 20} MiB limit`,
    );
  log(
    `built ${relative(process.cwd(), out) || out}: ${listed.length} files, ${(bytes / 2 ** 20).toFixed(1)} MiB, ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { bytes, files: listed.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  await buildKit(values.out ?? join(ROOT, '.kit'));
}
