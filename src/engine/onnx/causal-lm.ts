import { AppError } from '../../shared/errors.ts';
import type { Ort, OrtSession, OrtTensor } from './ort-types.ts';
import { lastPositionRows, logitsElementBytes } from './logits.ts';
import {
  chunkColumns,
  chunkWidths,
  DEFAULT_LOGITS_BUDGET_BYTES,
  sliceColumns,
} from './prefill-chunks.ts';
import { readSignature } from './signature.ts';
import type { ModelSignature } from './signature.ts';
import type { Backend } from '../registry/types.ts';
import type { LanguageModel } from '../language-model.ts';
import type { CachedRows, RetainLayout } from '../prefix-reuse.ts';
import { relayoutOnCpu, relayoutOnGpu } from './kv-relayout.ts';
import { CachedIds } from '../cached-ids.ts';

/**
 * The run each onnxruntime instance is busy with. Runs must not overlap, even on different
 * sessions: onnxruntime-web keeps a run's input and output tables on the WASM stack across
 * its awaits (wasm-core-impl.ts run()), so a second run started meanwhile overwrites them
 * ("Reading data from non-tensor typed value"). That happens when a model is loaded (its
 * warm-up) while the previous one still generates.
 */
const busy = new WeakMap<Ort, Promise<unknown>>();

/** Runs `run` once every run queued before it on `ort` has ended. */
function oneAtATime<T>(ort: Ort, run: () => Promise<T>): Promise<T> {
  const next = (busy.get(ort) ?? Promise.resolve()).then(run, run);
  busy.set(
    ort,
    next.catch(() => undefined),
  );
  return next;
}

/** What config.json says of the graph's tensors (checked before the session exists). */
export interface ModelShape {
  nHead: number;
  headDim: number;
  /** The logits' last dim (vocab_size): sizes the prefill's chunks. */
  vocabSize: number;
}

/** One forward step's inputs for a batch; the session's own names and dtypes are applied here. */
export interface StepInputs {
  batch: number;
  seq: number;
  inputIds: BigInt64Array; // [batch, seq]
  attentionMask: BigInt64Array; // [batch, past + seq]
  positionIds: BigInt64Array; // [batch, seq]
}

/**
 * A decoder-with-past ONNX session plus its key/value cache. On WebGPU the presents stay
 * on the GPU ('gpu-buffer') and are fed back as the next step's past without a round trip;
 * each step's past is disposed once the step that consumed it has finished. It records
 * which tokens each cached row holds, so a later generation can keep a prefix of them
 * (prefix-reuse.ts; `retain`).
 */
export class CausalLm implements LanguageModel {
  readonly engine = 'ort';
  readonly signature: ModelSignature;
  private past: OrtTensor[] | null = null;
  private pastLength = 0;
  /** The ids each row's cache holds, right-aligned at pastLength. */
  private readonly ids = new CachedIds();
  private readonly kvType: 'float32' | 'float16';
  /** The logits' element size: from the graph's metadata, then from each run. */
  private logitsBytes: number;
  /**
   * Logits bytes one session run may produce (see prefill-chunks.ts). Infinity runs every
   * step in one go, the unbounded behaviour, kept for comparisons in tests and benchmarks.
   */
  logitsBudgetBytes: number = DEFAULT_LOGITS_BUDGET_BYTES;

  private constructor(
    private readonly ort: Ort,
    readonly session: OrtSession,
    readonly backend: Backend,
    private readonly shape: ModelShape,
  ) {
    this.signature = readSignature(session.inputNames, session.outputNames);
    const first = session.inputMetadata.find((m) => m.name === this.signature.pastNames[0]);
    this.kvType = first?.isTensor && first.type === 'float16' ? 'float16' : 'float32';
    const logits = session.outputMetadata.find((m) => m.name === 'logits');
    this.logitsBytes = (logits?.isTensor ? logitsElementBytes(logits.type) : null) ?? 4;
  }

  static async create(
    ort: Ort,
    model: Uint8Array,
    backend: Backend,
    shape: ModelShape,
  ): Promise<CausalLm> {
    const names = (prefix: string, count: number): string[] =>
      Array.from({ length: count }, (_, i) => [
        `${prefix}.${i}.key`,
        `${prefix}.${i}.value`,
      ]).flat();
    const options: Parameters<Ort['InferenceSession']['create']>[1] = {
      executionProviders: [backend],
      graphOptimizationLevel: 'all',
    };
    if (backend === 'webgpu') {
      // The layer count is not known before the session exists; naming more outputs than the
      // graph has is harmless, naming fewer would leave presents on the CPU.
      // The logits stay there too: a long prefill's intermediate chunks are disposed unread,
      // and only the last chunk is downloaded (step()).
      options.preferredOutputLocation = Object.fromEntries(
        [...names('present', 256), 'logits'].map((name) => [name, 'gpu-buffer'] as const),
      );
    }
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(model, options);
    } catch (error) {
      throw new AppError(
        'bad-model',
        `onnxruntime could not load the model on ${backend}: ${describe(error)}`,
        {
          cause: error,
          hint:
            backend === 'webgpu'
              ? 'Try the WASM backend or another dtype.'
              : 'The file may be corrupted: delete it and download again.',
        },
      );
    }
    return new CausalLm(ort, session, backend, shape);
  }

  get layers(): number {
    return this.signature.layers;
  }

  get cachedLength(): number {
    return this.pastLength;
  }

  get cached(): CachedRows | null {
    return this.past ? this.ids.describe(this.pastLength) : null;
  }

  /** With position_ids, a row's positions are its own, whatever columns it sits in. */
  get movesRows(): boolean {
    return this.signature.hasPositionIds;
  }

  /** Drops the cache so the next step starts a new sequence. */
  reset(): void {
    for (const tensor of this.past ?? []) tensor.dispose();
    this.past = null;
    this.pastLength = 0;
    this.ids.clear();
  }

  /**
   * Cuts the cache back to `layout` (rows taken from any cached row, each keeping a prefix,
   * right-aligned at layout.width): on the CPU for WASM, by GPU buffer copies on WebGPU.
   */
  async retain(layout: RetainLayout): Promise<void> {
    const old = this.past;
    if (!old) throw new AppError('internal', 'retain() with nothing cached.');
    const geometry = {
      oldWidth: this.pastLength,
      oldRows: this.ids.rowLengths(),
      nHead: this.shape.nHead,
      headDim: this.shape.headDim,
    };
    for (const { from, keep } of layout.rows) {
      if (keep > (geometry.oldRows[from] ?? 0))
        throw new AppError('internal', `retain() asks row ${from} for ${keep} tokens it lacks.`);
    }
    const next =
      this.backend === 'webgpu'
        ? await relayoutOnGpu(this.ort, old, layout, geometry)
        : relayoutOnCpu(this.ort, old, layout, geometry);
    for (const tensor of old) tensor.dispose();
    this.past = next;
    this.ids.retain(layout);
    this.pastLength = layout.width;
  }

  /**
   * Runs the step's tokens and returns the logits of each row's LAST position, [batch, vocab].
   * The presents become the cache for the next step. A step whose logits for every position
   * would exceed `logitsBudgetBytes` (a long prefill) runs as several session runs over
   * column chunks, each continuing the cache; only the last one's logits are read.
   */
  async step(inputs: StepInputs): Promise<{ logits: Float32Array; vocab: number }> {
    const { batch, seq } = inputs;
    const past = this.pastLength;
    if (inputs.attentionMask.length !== batch * (past + seq)) {
      throw new AppError(
        'internal',
        `attention_mask has ${inputs.attentionMask.length} values, expected ${batch * (past + seq)}.`,
      );
    }
    const columns = chunkColumns(
      this.logitsBudgetBytes,
      batch,
      this.shape.vocabSize,
      this.logitsBytes,
    );
    let from = 0;
    for (const width of chunkWidths(seq, columns)) {
      const to = from + width;
      const chunk = from === 0 && to === seq ? inputs : sliceColumns(inputs, past, from, to);
      if (to === seq) return this.run(chunk, true);
      await this.run(chunk, false);
      from = to;
    }
    throw new AppError('internal', 'A step with no tokens.');
  }

  /** One session run; the logits are read only when `read` (else disposed unread). */
  private async run(
    inputs: StepInputs,
    read: true,
  ): Promise<{ logits: Float32Array; vocab: number }>;
  private async run(inputs: StepInputs, read: false): Promise<null>;
  private async run(
    inputs: StepInputs,
    read: boolean,
  ): Promise<{ logits: Float32Array; vocab: number } | null> {
    const { ort, signature } = this;
    const { batch, seq } = inputs;
    const total = this.pastLength + seq;
    const feeds: Record<string, OrtTensor> = {
      input_ids: new ort.Tensor('int64', inputs.inputIds, [batch, seq]),
      attention_mask: new ort.Tensor('int64', inputs.attentionMask, [batch, total]),
    };
    if (signature.hasPositionIds)
      feeds.position_ids = new ort.Tensor('int64', inputs.positionIds, [batch, seq]);
    if (signature.hasUseCacheBranch)
      feeds.use_cache_branch = new ort.Tensor('bool', [this.pastLength > 0], [1]);
    const past = this.past ?? this.emptyPast(batch);
    signature.pastNames.forEach((name, i) => {
      const tensor = past[i];
      if (tensor) feeds[name] = tensor;
    });

    const outputs = await oneAtATime(ort, () => this.session.run(feeds));
    // The run has consumed the old cache; free it before keeping the new one.
    for (const tensor of past) tensor.dispose();
    this.ids.record(inputs, this.pastLength);
    this.past = signature.presentNames.map((name) => {
      const present = outputs[name];
      if (!present) throw new AppError('bad-model', `The model returned no "${name}".`);
      return present;
    });
    this.pastLength = total;

    const logitsTensor = outputs.logits;
    if (!logitsTensor) throw new AppError('bad-model', 'The model returned no logits.');
    try {
      const dims = logitsTensor.dims.map(Number);
      this.logitsBytes = logitsElementBytes(logitsTensor.type) ?? this.logitsBytes;
      // On WebGPU the logits of an intermediate chunk never leave the GPU.
      if (!read) return null;
      return lastPositionRows(await logitsTensor.getData(), logitsTensor.type, dims);
    } finally {
      logitsTensor.dispose();
    }
  }

  async release(): Promise<void> {
    this.reset();
    await this.session.release();
  }

  private emptyPast(batch: number): OrtTensor[] {
    const { nHead, headDim } = this.shape;
    // [batch, n_head, 0, head_dim]: no cached positions yet.
    return this.signature.pastNames.map((): OrtTensor =>
      this.kvType === 'float16'
        ? new this.ort.Tensor('float16', new Uint16Array(0), [batch, nHead, 0, headDim])
        : new this.ort.Tensor('float32', new Float32Array(0), [batch, nHead, 0, headDim]),
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
