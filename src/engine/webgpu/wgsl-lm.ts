// CodeGen on this app's own WGSL kernels: one command buffer per step, a static key/value
// cache (allocated per context and batch, grown only when a longer one is asked for), the
// LM head on each row's last position only, and the logits kept on the GPU: a step returns
// each row's top candidates (candidates.ts), or full rows when asked.

import { AppError } from '../../shared/errors.ts';
import type {
  CandidateRequest,
  CandidateSource,
  StepCandidates,
} from '../generation/candidates.ts';
import type { LanguageModel } from '../language-model.ts';
import type { StepInputs } from '../onnx/causal-lm.ts';
import type { CachedRows, RetainLayout } from '../prefix-reuse.ts';
import { CachedIds } from '../cached-ids.ts';
import { outOfMemory, pieceQ4 } from './gpu-weights.ts';
import type { GpuLinear, GpuWeights, LinearPiece } from './gpu-weights.ts';
import { attentionShader, embedShader, layerNormShader, qkvRotaryShader } from './shaders/block.ts';
import type { AttentionShape } from './shaders/block.ts';
import {
  BLOCK,
  firstPassShader,
  KEEP,
  mergeInputs,
  mergePassShader,
} from './shaders/candidates.ts';
import { STEP_WORDS } from './shaders/common.ts';
import {
  GEMV_LAYOUT,
  GEMV_MAX_ROWS,
  gemmShader,
  gemmWorkgroups,
  gemvShader,
  gemvWorkgroups,
  linearBindings,
} from './shaders/linear.ts';
import type { GemvLayout, LinearOperand, LinearSpec } from './shaders/linear.ts';

export interface WgslShape {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  nInner: number;
  rotaryDim: number;
  vocabSize: number;
  nPositions: number;
  layerNormEpsilon: number;
}

/** What one step cost: for the benchmark (dispatches per step, bytes read back). */
export interface StepStats {
  dispatches: number;
  readbackBytes: number;
  /** With `profile` on: GPU time per kernel (timestamp queries), in dispatch order. */
  kernels?: Array<{ kernel: string; ms: number }>;
}

/** Dispatches one step may time (two timestamps each). */
const PROFILE_SLOTS = 2048;

const F32 = 4;
const MAX_DIM = 65535;

type Buffers = Record<string, GPUBuffer>;

export class WgslLm implements LanguageModel, CandidateSource {
  readonly engine = 'wgsl' as const;
  readonly movesRows = true;
  /** See CandidateSource: off on software adapters (open.ts), where full rows are cheaper. */
  candidatesOnDevice: boolean;
  readonly layers: number;
  /** Set by the last step (and readLogits). */
  lastStep: StepStats = { dispatches: 0, readbackBytes: 0 };
  private readonly ids = new CachedIds();
  private readonly E: number;
  private readonly H: number;
  private readonly D: number;
  private readonly kvBytes: number;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  /** Per pipeline (an 'auto' layout fits its own pipeline only), per binding set. */
  private bindGroups = new Map<GPUComputePipeline, Map<string, GPUBindGroup>>();
  /** Activation buffers, sized for `tokenCapacity` tokens and `rowCapacity` rows. */
  private act: Buffers = {};
  private tokenCapacity = 0;
  private rowCapacity = 0;
  /** Per layer key and value caches, [batch, heads, cap, headDim]. */
  private kv: Array<{ k: GPUBuffer; v: GPUBuffer }> = [];
  private cacheBatch = 0;
  private cap = 0;
  private pastLength = 0;
  private staging: GPUBuffer | null = null;
  private readonly uniform: GPUBuffer;
  private released = false;
  /** The decode kernel's split of work (tests and the benchmark compare layouts). */
  gemvLayout: GemvLayout = GEMV_LAYOUT;
  /** Set with `profile`: a query set and its resolve/readback buffers. */
  private profiler: { set: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer } | null = null;
  private profiled: string[] = [];
  private lostReason: string | null = null;
  /** Resolves with the reason when the device is lost; the model is dead from then on. */
  readonly lost: Promise<string>;

  constructor(
    private readonly device: GPUDevice,
    private readonly weights: GpuWeights,
    private readonly shape: WgslShape,
    private readonly options: { kvF16: boolean; candidatesOnDevice?: boolean },
  ) {
    this.candidatesOnDevice = options.candidatesOnDevice ?? true;
    this.layers = shape.nLayer;
    this.E = shape.nEmbd;
    this.H = shape.nHead;
    this.D = shape.nEmbd / shape.nHead;
    this.kvBytes = options.kvF16 ? 2 : 4;
    this.uniform = device.createBuffer({
      size: STEP_WORDS * 4,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.lost = device.lost.then((info) => {
      this.lostReason ??= info.message || info.reason || 'unknown reason';
      return this.lostReason;
    });
  }

  /** GPU memory this model holds now: weights, cache, activations. */
  /** Bytes of one cached key or value element: 2 where the cache is float16, else 4. */
  get cacheElementBytes(): number {
    return this.kvBytes;
  }

  get allocatedBytes(): number {
    const sum = (buffers: Iterable<GPUBuffer>): number => {
      let n = 0;
      for (const b of buffers) n += b.size;
      return n;
    };
    return (
      this.weights.bytes +
      sum(Object.values(this.act)) +
      sum(this.kv.flatMap(({ k, v }) => [k, v])) +
      (this.staging?.size ?? 0)
    );
  }

  get cached(): CachedRows | null {
    return this.ids.describe(this.pastLength);
  }

  reset(): void {
    this.pastLength = 0;
    this.ids.clear();
  }

  /** Sizes the cache for `batch` rows of `columns` before a generation (no copies later). */
  reserve(batch: number, columns: number): void {
    this.ensureCache(batch, Math.min(columns, this.shape.nPositions));
  }

  async retain(layout: RetainLayout): Promise<void> {
    if (this.pastLength === 0) throw new AppError('internal', 'retain() with nothing cached.');
    const widths = this.ids.rowLengths();
    for (const { from, keep } of layout.rows) {
      if (keep > (widths[from] ?? 0))
        throw new AppError('internal', `retain() asks row ${from} for ${keep} tokens it lacks.`);
    }
    const batch = layout.rows.length;
    const next = this.allocateCache(batch, Math.max(this.cap, layout.width));
    const { H, D } = this;
    const encoder = this.device.createCommandEncoder();
    const rowBytes = D * this.kvBytes;
    for (let l = 0; l < this.shape.nLayer; l++) {
      for (const which of ['k', 'v'] as const) {
        const src = this.kv[l]![which];
        const dst = next.caches[l]![which];
        layout.rows.forEach(({ from, keep }, r) => {
          if (keep === 0) return;
          const srcCol = this.pastLength - (widths[from] ?? 0);
          const dstCol = layout.width - keep;
          for (let h = 0; h < H; h++) {
            encoder.copyBufferToBuffer(
              src,
              ((from * H + h) * this.cap + srcCol) * rowBytes,
              dst,
              ((r * H + h) * next.cap + dstCol) * rowBytes,
              keep * rowBytes,
            );
          }
        });
      }
    }
    this.device.queue.submit([encoder.finish()]);
    this.replaceCache(next, batch);
    this.ids.retain(layout);
    this.pastLength = layout.width;
    // The old buffers go once the copies are done (destroy() waits for submitted work, but
    // a lost device would otherwise surface only at the next step).
    await this.device.queue.onSubmittedWorkDone();
  }

  async step(inputs: StepInputs): Promise<{ logits: Float32Array; vocab: number }> {
    const V = this.shape.vocabSize;
    const B = inputs.batch;
    const stats = this.encodeAndSubmit(inputs, null);
    const data = await this.read([{ buffer: this.act.logits!, offset: 0, size: B * V * F32 }]);
    stats.readbackBytes += data.byteLength;
    this.lastStep = stats;
    return { logits: new Float32Array(data), vocab: V };
  }

  async stepCandidates(inputs: StepInputs, request: CandidateRequest): Promise<StepCandidates> {
    const B = inputs.batch;
    const stats = this.encodeAndSubmit(inputs, request);
    const candBytes = B * KEEP * 8;
    const data = await this.read([
      { buffer: this.act.candOut!, offset: 0, size: candBytes },
      { buffer: this.act.rowStats!, offset: 0, size: B * 16 },
    ]);
    stats.readbackBytes += data.byteLength;
    this.lastStep = stats;
    const words = new Uint32Array(data, 0, B * KEEP * 2);
    const floats = new Float32Array(data, 0, B * KEEP * 2);
    const rowStats = new Float32Array(data, candBytes, B * 4);
    const k = Math.min(KEEP, request.k);
    const ids = new Int32Array(B * k);
    const logits = new Float32Array(B * k);
    const max = new Float32Array(B);
    const logZ = new Float32Array(B);
    const total = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < k; i++) {
        const value = floats[(b * KEEP + i) * 2]!;
        const id = words[(b * KEEP + i) * 2 + 1]!;
        const finite = value > -1e38 && id !== 0xffffffff;
        ids[b * k + i] = finite ? id : -1;
        logits[b * k + i] = finite ? value : -Infinity;
      }
      max[b] = rowStats[b * 4]! > -1e38 ? rowStats[b * 4]! : -Infinity;
      logZ[b] = rowStats[b * 4 + 1]!;
      total[b] = rowStats[b * 4 + 2]!;
    }
    return { k, ids, logits, max, logZ, total };
  }

  /** With `profile` on: the last step's kernel times (call after the step has returned). */
  async readProfile(): Promise<Array<{ kernel: string; ms: number }>> {
    const profiler = this.profiler;
    if (!profiler || this.profiled.length === 0) return [];
    const bytes = 16 * this.profiled.length;
    await profiler.read.mapAsync(GPUMapMode.READ, 0, bytes);
    const times = new BigUint64Array(profiler.read.getMappedRange(0, bytes).slice(0));
    profiler.read.unmap();
    return this.profiled.map((kernel, i) => ({
      kernel,
      ms: Number(times[2 * i + 1]! - times[2 * i]!) / 1e6,
    }));
  }

  async readLogits(rows: readonly number[]): Promise<{ logits: Float32Array; vocab: number }> {
    const V = this.shape.vocabSize;
    const data = await this.read(
      rows.map((row) => ({ buffer: this.act.logits!, offset: row * V * F32, size: V * F32 })),
    );
    this.lastStep.readbackBytes += data.byteLength;
    return { logits: new Float32Array(data), vocab: V };
  }

  release(): Promise<void> {
    if (this.released) return Promise.resolve();
    this.released = true;
    this.reset();
    for (const b of Object.values(this.act)) b.destroy();
    for (const { k, v } of this.kv) {
      k.destroy();
      v.destroy();
    }
    this.staging?.destroy();
    this.uniform.destroy();
    this.weights.destroy();
    this.act = {};
    this.kv = [];
    // The device is this model's own (open.ts): nothing else uses it.
    this.device.destroy();
    return Promise.resolve();
  }

  /**
   * Times every kernel of the following steps with timestamp queries (each dispatch in a
   * pass of its own, so slightly slower): for the benchmark's per-kernel breakdown.
   */
  get profile(): boolean {
    return this.profiler !== null;
  }

  set profile(on: boolean) {
    if (!on) {
      this.profiler?.set.destroy();
      this.profiler?.resolve.destroy();
      this.profiler?.read.destroy();
      this.profiler = null;
      return;
    }
    if (this.profiler) return;
    if (!this.device.features.has('timestamp-query')) {
      throw new AppError(
        'missing-gpu-feature',
        'This GPU has no timestamp queries to profile with.',
      );
    }
    const bytes = PROFILE_SLOTS * 8;
    this.profiler = {
      set: this.device.createQuerySet({ type: 'timestamp', count: PROFILE_SLOTS }),
      resolve: this.device.createBuffer({
        size: bytes,
        usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
      }),
      read: this.device.createBuffer({
        size: bytes,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      }),
    };
  }

  /** Diagnostic: destroys the device (its `lost` resolves), so recovery can be exercised. */
  loseDevice(): void {
    this.device.destroy();
  }

  // ---- one step ----

  private encodeAndSubmit(inputs: StepInputs, candidates: CandidateRequest | null): StepStats {
    if (this.released) throw new AppError('internal', 'The model was released.');
    if (this.lostReason !== null) {
      throw new AppError('gpu-device-lost', `The GPU device was lost (${this.lostReason}).`, {
        hint: 'The model reloads on the next request.',
      });
    }
    const { batch: B, seq: S } = inputs;
    const past = this.pastLength;
    const total = past + S;
    if (inputs.attentionMask.length !== B * total) {
      throw new AppError(
        'internal',
        `attention_mask has ${inputs.attentionMask.length} values, expected ${B * total}.`,
      );
    }
    if (past > 0 && B !== this.cacheBatch) {
      throw new AppError('internal', `The cache holds ${this.cacheBatch} rows; the step has ${B}.`);
    }
    if (total > this.shape.nPositions) {
      throw new AppError(
        'context-overflow',
        `${total} positions; the model's context holds ${this.shape.nPositions}.`,
      );
    }
    const M = B * S;
    this.ensureCache(B, total);
    this.ensureActivations(M, B);
    const queue = this.device.queue;
    const step = new ArrayBuffer(STEP_WORDS * 4);
    const u = new Uint32Array(step);
    u.set([M, S, B, past, this.cap, candidates?.vocabLimit ?? this.shape.vocabSize]);
    new Float32Array(step)[6] = candidates?.invTemperature ?? 1;
    queue.writeBuffer(this.uniform, 0, step);
    queue.writeBuffer(this.act.ids!, 0, Uint32Array.from(inputs.inputIds, Number));
    queue.writeBuffer(this.act.pos!, 0, Uint32Array.from(inputs.positionIds, Number));
    const mask = new Uint32Array(B * this.cap);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < total; j++)
        mask[b * this.cap + j] = Number(inputs.attentionMask[b * total + j]);
    }
    queue.writeBuffer(this.act.mask!, 0, mask);

    const stats: StepStats = { dispatches: 0, readbackBytes: 0 };
    const encoder = this.device.createCommandEncoder();
    const profiler = this.profiler;
    this.profiled = [];
    // One pass for the whole step; with profiling, a pass per dispatch to time each.
    let pass: GPUComputePassEncoder | null = profiler ? null : encoder.beginComputePass();
    const run = (
      code: string,
      key: string,
      buffers: GPUBuffer[],
      groups: [number, number?, number?],
    ): void => {
      const pipeline = this.pipeline(code);
      const at = this.profiled.length;
      const timed = profiler !== null && 2 * at + 1 < PROFILE_SLOTS;
      const target =
        pass ??
        encoder.beginComputePass(
          timed
            ? {
                timestampWrites: {
                  querySet: profiler.set,
                  beginningOfPassWriteIndex: 2 * at,
                  endOfPassWriteIndex: 2 * at + 1,
                },
              }
            : {},
        );
      target.setPipeline(pipeline);
      target.setBindGroup(0, this.bindGroup(key, pipeline, buffers));
      target.dispatchWorkgroups(groups[0], groups[1] ?? 1, groups[2] ?? 1);
      if (!pass) target.end();
      if (timed) this.profiled.push(key.replace(/[0-9]+/g, '#'));
      stats.dispatches++;
    };
    this.encodeForward(run, M, B);
    if (candidates) this.encodeCandidates(run, B);
    pass?.end();
    pass = null;
    if (profiler && this.profiled.length > 0) {
      encoder.resolveQuerySet(profiler.set, 0, 2 * this.profiled.length, profiler.resolve, 0);
      encoder.copyBufferToBuffer(profiler.resolve, 0, profiler.read, 0, 16 * this.profiled.length);
    }
    queue.submit([encoder.finish()]);
    this.ids.record(inputs, past);
    this.pastLength = total;
    return stats;
  }

  private encodeForward(run: Runner, M: number, B: number): void {
    const { E, H, D, shape, weights: w, act } = this;
    const kvF16 = this.options.kvF16;
    const attn: AttentionShape = {
      E,
      H,
      D,
      rotaryDim: shape.rotaryDim,
      kvF16,
      positions: shape.nPositions,
    };
    const tokens = split(M);
    for (const [i, piece] of w.embedding.pieces.entries()) {
      run(
        embedShader(E, w.embedding.f16, piece.from, piece.to),
        `embed${i}`,
        [this.uniform, act.ids!, piece.buffer, act.x!],
        [Math.ceil(E / 64), M],
      );
    }
    let x = act.x!;
    let x2 = act.x2!;
    const ln = layerNormShader(E, shape.layerNormEpsilon, false);
    for (let l = 0; l < shape.nLayer; l++) {
      const layer = w.layers[l]!;
      const cache = this.kv[l]!;
      run(
        ln,
        `ln${l}${x === act.x ? 'a' : 'b'}`,
        [this.uniform, x, layer.ln1Weight, layer.ln1Bias, act.h!],
        tokens,
      );
      this.linear(run, `qkv${l}`, layer.qkv, null, { X: act.h!, Y: act.qkv! }, M, 'all', {});
      run(
        qkvRotaryShader(attn),
        `rot${l}`,
        [this.uniform, act.qkv!, act.pos!, w.rotary, act.q!, cache.k, cache.v],
        [Math.ceil((H * D) / 2 / 64), M],
      );
      run(
        attentionShader(attn),
        `att${l}`,
        [this.uniform, act.q!, cache.k, cache.v, act.mask!, act.attn!],
        [H, Math.min(M, MAX_DIM), Math.ceil(M / MAX_DIM)],
      );
      this.linear(
        run,
        `fcin${l}`,
        layer.fcIn,
        null,
        { X: act.h!, Y: act.ff!, bias: layer.fcInBias },
        M,
        'all',
        { gelu: true },
      );
      this.linear(
        run,
        `out${l}${x === act.x ? 'a' : 'b'}`,
        layer.outProj,
        layer.fcOut,
        { X: act.attn!, X2: act.ff!, bias: layer.fcOutBias, R: x, Y: x2 },
        M,
        'all',
        {},
      );
      [x, x2] = [x2, x];
    }
    const lnF = layerNormShader(E, shape.layerNormEpsilon, true);
    run(
      lnF,
      `lnf${x === act.x ? 'a' : 'b'}`,
      [this.uniform, x, w.lnFWeight, w.lnFBias, act.last!],
      split(B),
    );
    this.linear(
      run,
      'head',
      w.lmHead,
      null,
      { X: act.last!, Y: act.logits!, ...(w.lmHeadBias ? { bias: w.lmHeadBias } : {}) },
      B,
      'last',
      {},
    );
  }

  private linear(
    run: Runner,
    key: string,
    first: GpuLinear,
    second: GpuLinear | null,
    io: { X: GPUBuffer; Y: GPUBuffer; X2?: GPUBuffer; bias?: GPUBuffer; R?: GPUBuffer },
    rows: number,
    rowsKind: 'all' | 'last',
    flags: { gelu?: boolean },
  ): void {
    const operand = (linear: GpuLinear, piece: LinearPiece): LinearOperand => ({
      format: linear.format,
      K: linear.K,
      q4: pieceQ4(linear, piece),
    });
    for (const [i, piece] of first.pieces.entries()) {
      const secondPiece = second?.pieces[0] ?? null;
      const spec: LinearSpec = {
        N: piece.rows,
        outStride: first.N,
        outOffset: piece.offset,
        first: operand(first, piece),
        second: second && secondPiece ? operand(second, secondPiece) : null,
        bias: io.bias !== undefined,
        gelu: flags.gelu ?? false,
        residual: io.R !== undefined,
        rows: rowsKind,
      };
      const byName: Record<string, GPUBuffer | undefined> = {
        st: this.uniform,
        X: io.X,
        W: piece.buffer,
        X2: io.X2,
        W2: secondPiece?.buffer,
        bias: io.bias,
        R: io.R,
        Y: io.Y,
      };
      const buffers = linearBindings(spec).map((name) => {
        const b = byName[name];
        if (!b) throw new AppError('internal', `linear ${key}: no buffer for ${name}`);
        return b;
      });
      if (rows <= GEMV_MAX_ROWS) {
        run(gemvShader(spec, rows, this.gemvLayout), `${key}.${i}.v`, buffers, [
          gemvWorkgroups(spec, this.gemvLayout),
        ]);
      } else {
        run(gemmShader(spec), `${key}.${i}.m`, buffers, gemmWorkgroups(spec, rows));
      }
    }
  }

  private encodeCandidates(run: Runner, B: number): void {
    const V = this.shape.vocabSize;
    const act = this.act;
    const blocks = Math.ceil(V / BLOCK);
    run(
      firstPassShader(V),
      'cand0',
      [this.uniform, act.logits!, act.candA!, act.blockStats!],
      [blocks, B],
    );
    const merges = mergeInputs(V);
    let input = act.candA!;
    let output = act.candB!;
    merges.forEach((count, i) => {
      const last = i === merges.length - 1;
      const target = last ? act.candOut! : output;
      run(
        mergePassShader(count, blocks, last),
        `cand${i + 1}`,
        [this.uniform, input, target, act.blockStats!, act.rowStats!],
        [Math.ceil(count / BLOCK), B],
      );
      [input, output] = [target, input];
    });
  }

  // ---- buffers ----

  private pipeline(code: string): GPUComputePipeline {
    let pipeline = this.pipelines.get(code);
    if (!pipeline) {
      const module = this.device.createShaderModule({ code });
      pipeline = this.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      this.pipelines.set(code, pipeline);
    }
    return pipeline;
  }

  /** Bind groups live until a buffer they name is replaced (cache or activation growth). */
  private bindGroup(key: string, pipeline: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
    let groups = this.bindGroups.get(pipeline);
    if (!groups) {
      groups = new Map();
      this.bindGroups.set(pipeline, groups);
    }
    let group = groups.get(key);
    if (!group) {
      group = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      groups.set(key, group);
    }
    return group;
  }

  private ensureActivations(M: number, B: number): void {
    if (
      M <= this.tokenCapacity &&
      B <= this.rowCapacity &&
      this.act.mask &&
      this.act.mask.size >= B * this.cap * 4
    )
      return;
    const tokens = Math.max(M, this.tokenCapacity, 16);
    const rows = Math.max(B, this.rowCapacity);
    const { E, shape } = this;
    const V = shape.vocabSize;
    const blocks = Math.ceil(V / BLOCK);
    const sizes: Record<string, number> = {
      ids: tokens * 4,
      pos: tokens * 4,
      mask: rows * this.cap * 4,
      x: tokens * E * F32,
      x2: tokens * E * F32,
      h: tokens * E * F32,
      qkv: tokens * 3 * E * F32,
      q: tokens * E * F32,
      attn: tokens * E * F32,
      ff: tokens * shape.nInner * F32,
      last: rows * E * F32,
      logits: rows * V * F32,
      candA: rows * blocks * KEEP * 8,
      candB: rows * blocks * KEEP * 8,
      candOut: rows * KEEP * 8,
      blockStats: rows * blocks * 16,
      rowStats: rows * 16,
    };
    this.device.pushErrorScope('out-of-memory');
    for (const b of Object.values(this.act)) b.destroy();
    this.act = Object.fromEntries(
      Object.entries(sizes).map(([name, size]) => [
        name,
        this.device.createBuffer({
          size: Math.max(16, size),
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
        }),
      ]),
    );
    void this.device.popErrorScope().then((error) => {
      if (error) this.lostReason ??= outOfMemory(error.message, this.allocatedBytes).message;
    });
    this.tokenCapacity = tokens;
    this.rowCapacity = rows;
    this.bindGroups.clear();
  }

  private ensureCache(batch: number, columns: number): void {
    if (batch === this.cacheBatch && columns <= this.cap) return;
    if (this.pastLength > 0 && batch !== this.cacheBatch) {
      throw new AppError(
        'internal',
        `The cache holds ${this.cacheBatch} rows; the step has ${batch}.`,
      );
    }
    // Grow to the next multiple of 256 columns (at most the context): a generation that did
    // not reserve grows a few times, never per token.
    const cap = Math.min(this.shape.nPositions, Math.max(columns, Math.ceil(columns / 256) * 256));
    const next = this.allocateCache(batch, cap);
    if (this.pastLength > 0) {
      const encoder = this.device.createCommandEncoder();
      const rowBytes = this.D * this.kvBytes;
      for (let l = 0; l < this.shape.nLayer; l++) {
        for (const which of ['k', 'v'] as const) {
          for (let r = 0; r < batch * this.H; r++) {
            encoder.copyBufferToBuffer(
              this.kv[l]![which],
              r * this.cap * rowBytes,
              next.caches[l]![which],
              r * cap * rowBytes,
              this.pastLength * rowBytes,
            );
          }
        }
      }
      this.device.queue.submit([encoder.finish()]);
    }
    this.replaceCache(next, batch);
  }

  private allocateCache(
    batch: number,
    cap: number,
  ): { caches: Array<{ k: GPUBuffer; v: GPUBuffer }>; cap: number } {
    const bytes = batch * this.H * cap * this.D * this.kvBytes;
    const make = (): GPUBuffer =>
      this.device.createBuffer({
        size: Math.max(16, bytes),
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
      });
    this.device.pushErrorScope('out-of-memory');
    const caches = Array.from({ length: this.shape.nLayer }, () => ({ k: make(), v: make() }));
    void this.device.popErrorScope().then((error) => {
      if (error) this.lostReason ??= outOfMemory(error.message, this.allocatedBytes).message;
    });
    return { caches, cap };
  }

  private replaceCache(
    next: { caches: Array<{ k: GPUBuffer; v: GPUBuffer }>; cap: number },
    batch: number,
  ): void {
    for (const { k, v } of this.kv) {
      k.destroy();
      v.destroy();
    }
    this.kv = next.caches;
    this.cap = next.cap;
    this.cacheBatch = batch;
    // The mask buffer is [rows, cap]: a new cap needs a new one.
    this.act.mask?.destroy();
    delete this.act.mask;
    this.bindGroups.clear();
  }

  /** Reads byte ranges of GPU buffers back, packed one after another, in one copy and map. */
  private async read(
    ranges: ReadonlyArray<{ buffer: GPUBuffer; offset: number; size: number }>,
  ): Promise<ArrayBuffer> {
    const total = ranges.reduce((n, r) => n + r.size, 0);
    const staging = this.stagingFor(total);
    const encoder = this.device.createCommandEncoder();
    let at = 0;
    for (const { buffer, offset, size } of ranges) {
      encoder.copyBufferToBuffer(buffer, offset, staging, at, size);
      at += size;
    }
    this.device.queue.submit([encoder.finish()]);
    return this.mapCopy(staging, total);
  }

  private stagingFor(size: number): GPUBuffer {
    if (!this.staging || this.staging.size < size) {
      this.staging?.destroy();
      this.staging = this.device.createBuffer({
        size: Math.max(256, Math.ceil(size / 256) * 256),
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
    }
    return this.staging;
  }

  private async mapCopy(staging: GPUBuffer, size: number): Promise<ArrayBuffer> {
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, Math.ceil(size / 4) * 4);
    } catch (error) {
      throw new AppError(
        'gpu-device-lost',
        `Reading results back from the GPU failed: ${this.lostReason ?? (error instanceof Error ? error.message : String(error))}.`,
        { hint: 'The model reloads on the next request.', cause: error },
      );
    }
    const copy = staging.getMappedRange(0, Math.ceil(size / 4) * 4).slice(0, size);
    staging.unmap();
    if (this.lostReason !== null) {
      throw new AppError('gpu-device-lost', `The GPU failed during the step: ${this.lostReason}.`, {
        hint: 'The model reloads on the next request.',
      });
    }
    return copy;
  }
}

type Runner = (
  code: string,
  key: string,
  buffers: GPUBuffer[],
  groups: [number, number?, number?],
) => void;

/** Workgroups for one-per-row kernels beyond 65,535 rows. */
function split(rows: number): [number, number] {
  return [Math.min(rows, MAX_DIM), Math.ceil(rows / MAX_DIM)];
}
