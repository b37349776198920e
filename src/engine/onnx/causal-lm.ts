import { AppError } from '../../shared/errors.ts';
import type { Ort, OrtSession, OrtTensor } from './ort-types.ts';
import { readSignature } from './signature.ts';
import type { ModelSignature } from './signature.ts';
import type { Backend } from '../registry/types.ts';

export interface AttentionShape {
  nHead: number;
  headDim: number;
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
 * each step's past is disposed once the step that consumed it has finished.
 */
export class CausalLm {
  readonly signature: ModelSignature;
  private past: OrtTensor[] | null = null;
  private pastLength = 0;
  private readonly kvType: 'float32' | 'float16';

  private constructor(
    private readonly ort: Ort,
    readonly session: OrtSession,
    readonly backend: Backend,
    private readonly shape: AttentionShape,
  ) {
    this.signature = readSignature(session.inputNames, session.outputNames);
    const first = session.inputMetadata.find((m) => m.name === this.signature.pastNames[0]);
    this.kvType = first?.isTensor && first.type === 'float16' ? 'float16' : 'float32';
  }

  static async create(
    ort: Ort,
    model: Uint8Array,
    backend: Backend,
    shape: AttentionShape,
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
      options.preferredOutputLocation = Object.fromEntries(
        names('present', 256).map((name) => [name, 'gpu-buffer'] as const),
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

  get cachedLength(): number {
    return this.pastLength;
  }

  /** Drops the cache so the next step starts a new sequence. */
  reset(): void {
    for (const tensor of this.past ?? []) tensor.dispose();
    this.past = null;
    this.pastLength = 0;
  }

  /**
   * Runs one step and returns the logits of each row's LAST position, [batch, vocab].
   * The presents become the cache for the next step.
   */
  async step(inputs: StepInputs): Promise<{ logits: Float32Array; vocab: number }> {
    const { ort, signature } = this;
    const { batch, seq } = inputs;
    const total = this.pastLength + seq;
    if (inputs.attentionMask.length !== batch * total) {
      throw new AppError(
        'internal',
        `attention_mask has ${inputs.attentionMask.length} values, expected ${batch * total}.`,
      );
    }
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

    const outputs = await this.session.run(feeds);
    // The step has consumed the old cache; free it before keeping the new one.
    for (const tensor of past) tensor.dispose();
    this.past = signature.presentNames.map((name) => {
      const present = outputs[name];
      if (!present) throw new AppError('bad-model', `The model returned no "${name}".`);
      return present;
    });
    this.pastLength = total;

    const logitsTensor = outputs.logits;
    if (!logitsTensor) throw new AppError('bad-model', 'The model returned no logits.');
    const result = await lastPositionLogits(logitsTensor, batch, seq);
    logitsTensor.dispose();
    return result;
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

/** logits [batch, seq, vocab] → the last position of each row, [batch, vocab], as f32. */
async function lastPositionLogits(
  tensor: OrtTensor,
  batch: number,
  seq: number,
): Promise<{ logits: Float32Array; vocab: number }> {
  const vocab = Number(tensor.dims[2]);
  const data = await tensor.getData();
  const out = new Float32Array(batch * vocab);
  for (let b = 0; b < batch; b++) {
    const from = (b * seq + seq - 1) * vocab;
    if (data instanceof Float32Array) {
      out.set(data.subarray(from, from + vocab), b * vocab);
    } else if (data instanceof Uint16Array) {
      for (let v = 0; v < vocab; v++) out[b * vocab + v] = halfToFloat(data[from + v] ?? 0);
    } else {
      throw new AppError('bad-model', `Unsupported logits type ${tensor.type}.`);
    }
  }
  return { logits: out, vocab };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
