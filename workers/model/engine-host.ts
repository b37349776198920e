import { generate } from '../../src/engine/generate.ts';
import { parseGenerationParams } from '../../src/engine/generation/params.ts';
import { CacheStorageFileCache } from '../../src/engine/loader/file-cache.ts';
import type { FileCache } from '../../src/engine/loader/file-cache.ts';
import { loadModel } from '../../src/engine/loader/load-model.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import { BlobSource, HttpSource } from '../../src/engine/loader/sources.ts';
import type { FileSource } from '../../src/engine/loader/sources.ts';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';
import type {
  GenerateRequest,
  GenerateResult,
  GeneratedToken,
  LoadRequest,
  LoadedInfo,
  ModelWorkerEvent,
} from '../../src/shared/contracts/model-worker.ts';
import { AppError } from '../../src/shared/errors.ts';
import type { CallContext } from '../../src/shared/rpc/server.ts';

export interface HostEnvironment {
  loadOrt: () => Promise<Ort>;
  hasWebGpu: () => Promise<boolean>;
  caches: CacheStorage | undefined;
}

type Context = CallContext<ModelWorkerEvent>;

/**
 * Owns the one loaded model of this worker. Loading a new model releases the previous
 * one's session (and GPU memory) first; a lost GPU device marks the session dead and the
 * next request reloads it from the cache.
 */
export class EngineHost {
  private model: LoadedModel | null = null;
  private loaded: { request: LoadRequest; info: LoadedInfo } | null = null;
  private deviceLost = false;
  private ort: Promise<Ort> | null = null;
  private readonly cache: FileCache | null;
  private notify: (event: ModelWorkerEvent) => void = () => {};

  constructor(private readonly env: HostEnvironment) {
    this.cache = env.caches
      ? new CacheStorageFileCache(env.caches, (url, why) =>
          this.notify({
            kind: 'notice',
            level: 'warn',
            message: `The stored copy of ${url} was damaged (${why}); downloading it again.`,
          }),
        )
      : null;
  }

  async load(request: LoadRequest, context: Context): Promise<LoadedInfo> {
    this.notify = context.emit;
    await this.unload();
    const ort = await (this.ort ??= this.env.loadOrt());
    const backend =
      request.backend === 'auto'
        ? (await this.env.hasWebGpu())
          ? 'webgpu'
          : 'wasm'
        : request.backend;
    if (backend === 'webgpu' && !(await this.env.hasWebGpu())) {
      throw new AppError(
        'webgpu-unavailable',
        'WebGPU is not available in this browser, so the WebGPU backend cannot be used.',
        {
          hint: 'Choose the WASM backend (or Auto).',
        },
      );
    }
    const model = await loadModel({
      ort,
      source: this.source(request),
      onnxPath: request.onnxPath,
      backend,
      signal: context.signal,
      onEvent: context.emit,
    });
    this.model = model;
    this.deviceLost = false;
    if (backend === 'webgpu') this.watchDevice(ort);
    const info: LoadedInfo = {
      label: request.source.label,
      onnxPath: request.onnxPath,
      backend,
      fromCache: model.fromCache,
      vocabSize: model.config.vocabSize,
      tokenizerSize: model.tokenizer.size,
      contextLength: model.config.contextLength,
      layers: model.config.nLayer,
      timings: model.timings,
    };
    this.loaded = { request, info };
    return info;
  }

  async generate(request: GenerateRequest, context: Context): Promise<GenerateResult> {
    const model = await this.ready(context);
    const { tokenizer } = model;
    const params = parseGenerationParams(request.params);
    const prompts = request.prompts.map((p) => ('ids' in p ? p.ids : tokenizer.encode(p.text)));
    const describeToken = (tokenId: number): string => tokenizer.decode([tokenId]);
    const toToken = (t: {
      tokenId: number;
      logprob: number;
      top: Array<{ tokenId: number; logprob: number }>;
    }): GeneratedToken => ({
      tokenId: t.tokenId,
      text: describeToken(t.tokenId),
      logprob: t.logprob,
      top: t.top.map((alt) => ({ ...alt, text: describeToken(alt.tokenId) })),
    });
    const result = await generate(
      model.lm,
      (ids) => tokenizer.decode(ids),
      {
        contextLength: model.config.contextLength,
        vocabLimit: tokenizer.size,
        eosId: model.config.eosId,
      },
      { prompts, params, signal: context.signal },
      (event) =>
        context.emit({
          kind: 'token',
          row: event.row,
          index: event.index,
          delta: event.delta,
          token: toToken(event),
        }),
    );
    return {
      timings: result.timings,
      rows: result.rows.map((row) => ({ ...row, tokens: row.tokens.map(toToken) })),
    };
  }

  /** Next-token logits after `ids`, [vocab]: for checks against the reference and the inspector. */
  async logits(ids: number[], context: Context): Promise<{ logits: Float32Array; vocab: number }> {
    const model = await this.ready(context);
    model.lm.reset();
    try {
      const positionIds = BigInt64Array.from(ids, (_, i) => BigInt(i));
      return await model.lm.step({
        batch: 1,
        seq: ids.length,
        inputIds: BigInt64Array.from(ids, (id) => BigInt(id)),
        attentionMask: new BigInt64Array(ids.length).fill(1n),
        positionIds,
      });
    } finally {
      model.lm.reset();
    }
  }

  async tokenize(text: string, context: Context): Promise<{ ids: number[] }> {
    return { ids: (await this.ready(context)).tokenizer.encode(text) };
  }

  async unload(): Promise<undefined> {
    const model = this.model;
    this.model = null;
    this.loaded = null;
    await model?.lm.release();
    return undefined;
  }

  async cachedFiles(): Promise<Array<{ url: string; bytes: number }>> {
    return (await this.cache?.list()) ?? [];
  }

  async deleteCached(urlPrefix: string): Promise<{ deleted: number }> {
    let deleted = 0;
    for (const { url } of await this.cachedFiles()) {
      if (url.startsWith(urlPrefix) && (await this.cache?.delete(url))) deleted++;
    }
    return { deleted };
  }

  private async ready(context: Context): Promise<LoadedModel> {
    if (this.deviceLost && this.loaded) {
      context.emit({
        kind: 'notice',
        level: 'warn',
        message: 'The GPU device was lost; reloading the model on a new device.',
      });
      await this.load(this.loaded.request, context);
    }
    if (!this.model) {
      throw new AppError('no-model', 'No model is loaded.', {
        hint: 'Load a model in the model manager first (the tiny model loads in seconds).',
      });
    }
    return this.model;
  }

  private source(request: LoadRequest): FileSource {
    const { source } = request;
    if (source.kind === 'files') return new BlobSource(source.label, source.files);
    const base = source.baseUrl.endsWith('/') ? source.baseUrl : `${source.baseUrl}/`;
    return new HttpSource(
      source.label,
      (path) => new URL(path, base).href,
      request.cache ? this.cache : null,
      (error) =>
        this.notify({
          kind: 'notice',
          level: 'warn',
          message: `${error instanceof Error ? error.message : String(error)} The model is loaded but will be downloaded again next time.`,
        }),
    );
  }

  private watchDevice(ort: Ort): void {
    const device: unknown = ort.env.webgpu.device;
    if (
      device &&
      typeof device === 'object' &&
      'lost' in device &&
      device.lost instanceof Promise
    ) {
      void (device.lost as Promise<GPUDeviceLostInfo>).then((info) => {
        if (info.reason === 'destroyed' && !this.model) return;
        this.deviceLost = true;
      });
    }
  }
}
