import { generate } from '../../src/engine/generate.ts';
import { buildPrefill } from '../../src/engine/padding.ts';
import { scoreRows, segmentIds } from '../../src/engine/score.ts';
import type { RowResult } from '../../src/engine/generate.ts';
import { mtpbTruncationCriterion } from '../../src/mtpb/stop-criterion.ts';
import { truncate } from '../../src/mtpb/truncate.ts';
import { parseGenerationParams } from '../../src/engine/generation/params.ts';
import { CacheStorageFileCache } from '../../src/engine/loader/file-cache.ts';
import type { FileCache } from '../../src/engine/loader/file-cache.ts';
import { loadModel } from '../../src/engine/loader/load-model.ts';
import type { LoadedModel } from '../../src/engine/loader/load-model.ts';
import { BlobSource, HttpSource, urlInFolder } from '../../src/engine/loader/sources.ts';
import type { FileSource } from '../../src/engine/loader/sources.ts';
import { CausalLm } from '../../src/engine/onnx/causal-lm.ts';
import type { Ort } from '../../src/engine/onnx/ort-types.ts';
import { chooseBackend } from '../../src/engine/backend-choice.ts';
import type {
  Backend,
  CachedFileCheck,
  EngineStats,
  GenerateRequest,
  GenerateResult,
  GeneratedToken,
  GenerationTimings,
  GpuReport,
  LoadRequest,
  LoadedInfo,
  ModelWorkerEvent,
  PrefetchRequest,
  PrefetchResult,
  RowStop,
  ScoreRequest,
  ScoreRow,
  TextRow,
  TokenRow,
} from '../../src/shared/contracts/model-worker.ts';
import { AbortedError, AppError } from '../../src/shared/errors.ts';
import type { CallContext } from '../../src/shared/rpc/server.ts';
import { prefetchFiles, requireCache, verifyCachedFiles } from './offline-files.ts';
import { ProgressThrottle } from './progress.ts';

export interface HostEnvironment {
  /**
   * onnxruntime-web for `backend` (each backend may get its own build). `fresh`: a new
   * instance of the module (after a lost GPU device), not the cached one.
   */
  loadOrt: (backend: Backend, fresh?: boolean) => Promise<Ort>;
  /** The WebGPU adapter this scope gets (Auto decides from it). */
  probeGpu: () => Promise<GpuReport>;
  /** WebGPU for the WGSL engine: navigator.gpu in the worker, Dawn under Node. */
  gpu: () => Promise<GPU>;
  caches: CacheStorage | undefined;
}

type Context = CallContext<ModelWorkerEvent>;

/**
 * Owns the one loaded model of this worker. A new model is loaded beside the previous one
 * and replaces it only once it is ready, so a load that fails or is cancelled leaves the
 * previous model loaded and usable (both sessions hold memory for that moment). A lost GPU
 * device (onnxruntime's or the WGSL engine's own) marks the model dead and the next request
 * reloads it from the cache.
 */
export class EngineHost {
  private model: LoadedModel | null = null;
  private loaded: { request: LoadRequest; info: LoadedInfo } | null = null;
  private deviceLost = false;
  /** Counts load requests: only the latest one may replace the model. */
  private loads = 0;
  /** Calls in flight per model, and replaced models waiting for theirs to end. */
  private readonly inUse = new Map<LoadedModel, number>();
  private readonly retired = new Set<LoadedModel>();
  /** The GPU device each WGSL-engine model made for itself (for `loseDevice`). */
  /** One onnxruntime per backend, loaded when first used. */
  private readonly ort = new Map<Backend, Promise<Ort>>();
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
    const attempt = ++this.loads;
    const gpu = await this.env.probeGpu();
    const decision = chooseBackend(request.backend, gpu);
    const { backend } = decision;
    if (backend === 'webgpu' && !gpu.available) {
      throw new AppError(
        'webgpu-unavailable',
        `WebGPU is not available in this browser (${gpu.reason}), so the WebGPU backend cannot be used.`,
        {
          hint: 'Choose the WASM backend (or Auto).',
        },
      );
    }
    const ort = await this.ortFor(backend);
    const model = await loadModel({
      ort,
      source: this.source(request),
      onnxPath: request.onnxPath,
      backend,
      engine: request.engine ?? 'auto',
      gpu: this.env.gpu,
      signal: context.signal,
      onEvent: context.emit,
    });
    // Cancelled, or overtaken by a newer load, as it finished: the model in use stays.
    if (context.signal.aborted || attempt !== this.loads) {
      await model.lm.release().catch(() => undefined);
      throw new AbortedError('Loading the model was cancelled.');
    }
    const previous = this.model;
    this.model = model;
    this.deviceLost = false;
    if (!(model.lm instanceof CausalLm)) this.watchWgslDevice(model, model.lm.lost);
    else if (backend === 'webgpu') this.watchDevice(ort);
    const { engineDecision } = model;
    const info: LoadedInfo = {
      label: request.source.label,
      onnxPath: request.onnxPath,
      backend,
      backendChoice: decision.choice,
      backendReason: decision.reason,
      engine: engineDecision.engine,
      engineChoice: engineDecision.choice,
      engineReason: engineDecision.reason,
      fromCache: model.fromCache,
      vocabSize: model.config.vocabSize,
      tokenizerSize: model.tokenizer.size,
      contextLength: model.config.contextLength,
      layers: model.config.nLayer,
      timings: model.timings,
    };
    this.loaded = { request, info };
    if (previous) await this.retire(previous);
    return info;
  }

  /**
   * Detail 'tokens' (the default) streams one 'token' event per token and returns every
   * token with its alternatives; 'text' streams throttled counts and returns text and ids.
   */
  generate(request: GenerateRequest, context: Context): Promise<GenerateResult> {
    return this.withModel(context, (model) => this.generateWith(model, request, context));
  }

  private async generateWith(
    model: LoadedModel,
    request: GenerateRequest,
    context: Context,
  ): Promise<GenerateResult> {
    const { tokenizer } = model;
    const params = parseGenerationParams(request.params);
    const detail = request.detail ?? 'tokens';
    const allPrompts = request.prompts.map((p) => ('ids' in p ? p.ids : tokenizer.encode(p.text)));
    const contextLength = model.config.contextLength;
    const fits = (ids: number[]): boolean => ids.length < contextLength;
    // With overflow 'skip', rows that cannot fit are answered without running; the rest batch.
    const runRows = allPrompts
      .map((ids, row) => ({ ids, row }))
      .filter(({ ids }) => request.overflow !== 'skip' || fits(ids));
    const prompts = runRows.map(({ ids }) => ids);
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
    const progress =
      detail === 'text' ? new ProgressThrottle(allPrompts.length, context.emit) : null;
    const criterion = request.truncation === 'mtpb' ? () => mtpbTruncationCriterion() : undefined;
    let result: Awaited<ReturnType<typeof generate>> | null = null;
    try {
      if (prompts.length > 0) {
        result = await generate(
          model.lm,
          (ids) => tokenizer.decode(ids),
          { contextLength, vocabLimit: tokenizer.size, eosId: model.config.eosId },
          {
            prompts,
            params,
            detail,
            signal: context.signal,
            reuse: request.prefixCache === 'reuse',
            ...(criterion ? { criterion } : {}),
          },
          (event) => {
            const row = runRows[event.row]?.row ?? event.row;
            if (event.detail === 'text') {
              progress?.count(row);
              return;
            }
            context.emit({
              kind: 'token',
              row,
              index: event.index,
              delta: event.delta,
              token: toToken(event),
            });
          },
        );
      }
    } finally {
      progress?.flush(); // a stopped run's counts too
    }
    const timings = result?.timings ?? emptyTimings();
    // Rows that did not run (overflow 'skip') stay as they are here.
    const ran = new Map<number, RowResult>();
    result?.rows.forEach((row, i) => ran.set(runRows[i]?.row ?? i, row));
    const textRows: TextRow[] = allPrompts.map((ids, at) => {
      const row = ran.get(at);
      if (!row) return { ids: [], text: '', stop: overflowStop(ids.length, contextLength) };
      // Whatever stopped the row (EOS, budget, the criterion), the kept text is truncate()'s.
      const text = request.truncation === 'mtpb' ? truncate(row.text) : row.text;
      return { ids: row.ids, text, stop: row.stop };
    });
    if (detail === 'text') return { detail, rows: textRows, timings };
    const tokenRows: TokenRow[] = textRows.map((row, at) => ({
      ...row,
      promptIds: allPrompts[at] ?? [],
      tokens: ran.get(at)?.tokens.map(toToken) ?? [],
    }));
    return { detail, rows: tokenRows, timings };
  }

  /** Next-token logits after `ids`, [vocab]: for checks against the reference and the inspector. */
  logits(ids: number[], context: Context): Promise<{ logits: Float32Array; vocab: number }> {
    return this.withModel(context, (model) => this.logitsWith(model, ids));
  }

  /**
   * Next-token logits of each row after one left-padded prefill, [rows, vocab]: what a batched
   * generation sees, so tests can hold padded rows against rows alone.
   */
  batchLogits(
    rows: number[][],
    context: Context,
    logitsBudgetBytes?: number,
  ): Promise<{ logits: Float32Array; vocab: number }> {
    return this.withModel(context, async (model) => {
      if (rows.length === 0 || rows.some((row) => row.length === 0))
        throw new AppError('bad-input', 'batchLogits needs at least one non-empty row.');
      if (logitsBudgetBytes !== undefined && !(logitsBudgetBytes > 0))
        throw new AppError('bad-input', 'logitsBudgetBytes must be a positive number of bytes.');
      const { lm } = model;
      // The budget is onnxruntime's: the WGSL engine has no logits chunking to exercise.
      const ortLm = lm instanceof CausalLm ? lm : null;
      if (logitsBudgetBytes !== undefined && !ortLm)
        throw new AppError(
          'bad-input',
          'logitsBudgetBytes applies to the onnxruntime engine; this model runs on the WGSL kernels.',
        );
      const budget = ortLm?.logitsBudgetBytes;
      if (ortLm && logitsBudgetBytes !== undefined) ortLm.logitsBudgetBytes = logitsBudgetBytes;
      lm.reset();
      try {
        return await lm.step(buildPrefill(rows, model.config.eosId).inputs);
      } finally {
        lm.reset();
        if (ortLm && budget !== undefined) ortLm.logitsBudgetBytes = budget;
      }
    });
  }

  private async logitsWith(
    model: LoadedModel,
    ids: number[],
  ): Promise<{ logits: Float32Array; vocab: number }> {
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

  /**
   * Teacher-forced scoring (prompt perplexity): each row's segments tokenized one by one, the
   * ids concatenated, and each scored segment's tokens scored given everything before them
   * (src/engine/score.ts). The cache is left empty, as a generation without reuse leaves it.
   */
  async score(request: ScoreRequest, context: Context): Promise<{ rows: ScoreRow[]; ms: number }> {
    if (request.rows.length === 0) throw new AppError('bad-input', 'Nothing to score: no rows.');
    request.rows.forEach((row, r) => {
      if (!row.segments.some((segment) => segment.scored))
        throw new AppError('bad-input', `Row ${r} has no scored segment.`);
    });
    return await this.withModel(context, async (model) => {
      const started = performance.now();
      const encode = (text: string): number[] => model.tokenizer.encode(text);
      const rows = await scoreRows(
        model.lm,
        request.rows.map((row) => segmentIds(row.segments, encode)),
        {
          contextLength: model.config.contextLength,
          vocabLimit: model.tokenizer.size,
          eosId: model.config.eosId,
        },
        { signal: context.signal },
      );
      return { rows, ms: performance.now() - started };
    });
  }

  async tokenize(text: string, context: Context): Promise<{ ids: number[] }> {
    return { ids: (await this.ready(context)).tokenizer.encode(text) };
  }

  /** Serves a model loaded elsewhere (the command line opens folders and hub ids itself). */
  adopt(model: LoadedModel): void {
    this.model = model;
    this.loaded = null;
  }

  async unload(): Promise<undefined> {
    const model = this.model;
    this.model = null;
    this.loaded = null;
    if (model) await this.retire(model);
    return undefined;
  }

  /** Runs `use` on the current model; a model replaced meanwhile is released when it ends. */
  private async withModel<T>(
    context: Context,
    use: (model: LoadedModel) => Promise<T>,
  ): Promise<T> {
    const model = await this.ready(context);
    this.inUse.set(model, (this.inUse.get(model) ?? 0) + 1);
    try {
      return await use(model);
    } finally {
      const left = (this.inUse.get(model) ?? 1) - 1;
      if (left > 0) this.inUse.set(model, left);
      else {
        this.inUse.delete(model);
        if (this.retired.delete(model)) await this.retire(model);
      }
    }
  }

  /** Releases a model no longer served, once no call is using it. */
  private async retire(model: LoadedModel): Promise<void> {
    if (this.inUse.has(model)) {
      this.retired.add(model);
      return;
    }
    // A session on a lost device may fail to release; its memory went with the device.
    await model.lm.release().catch(() => undefined);
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

  /** Makes files available offline: into the cache, no session. */
  async prefetch(request: PrefetchRequest, context: Context): Promise<PrefetchResult> {
    return prefetchFiles(requireCache(this.cache), request, context);
  }

  async verifyCached(urls: string[], context: Context): Promise<{ files: CachedFileCheck[] }> {
    return verifyCachedFiles(requireCache(this.cache), urls, context);
  }

  private async ready(context: Context): Promise<LoadedModel> {
    if (this.deviceLost && this.loaded) {
      context.emit({
        kind: 'notice',
        level: 'warn',
        message: 'The GPU device was lost; reloading the model on a new device.',
      });
      // onnxruntime-web keeps its device for the life of its wasm instance: a fresh instance
      // of the module gets a fresh device. The WGSL engine makes a device per model. The
      // model files come from the cache.
      const { request, info } = this.loaded;
      await this.unload();
      this.deviceLost = false;
      if (info.engine === 'ort') this.ort.set('webgpu', this.env.loadOrt('webgpu', true));
      await this.load(request, context);
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
    return new HttpSource(
      source.label,
      (path) => urlInFolder(source.baseUrl, path),
      request.cache ? this.cache : null,
      (error) =>
        this.notify({
          kind: 'notice',
          level: 'warn',
          message: `${error instanceof Error ? error.message : String(error)} The model is loaded but will be downloaded again next time.`,
        }),
    );
  }

  private ortFor(backend: Backend): Promise<Ort> {
    let ort = this.ort.get(backend);
    if (!ort) {
      ort = this.env.loadOrt(backend, false);
      this.ort.set(backend, ort);
      // A failed load is not kept: the next request tries again.
      ort.catch(() => this.ort.delete(backend));
    }
    return ort;
  }

  private watchDevice(ort: Ort): void {
    // Typed as a promise, but some builds return the device itself: accept both.
    void Promise.resolve(ort.env.webgpu.device).then((device) => {
      void device.lost.then(() => {
        // Any loss while a model is in use (a driver reset, a GPU process crash, or the
        // diagnostic `loseDevice`) means the session is dead: rebuild on the next request.
        if (this.model?.backend === 'webgpu' && this.model.lm instanceof CausalLm)
          this.deviceLost = true;
      });
    });
  }

  /** As watchDevice, for a WGSL-engine model: its device is its own, lost with it alone. */
  private watchWgslDevice(model: LoadedModel, lost: Promise<string>): void {
    void lost.then(() => {
      if (this.model === model) this.deviceLost = true;
    });
  }

  /** Diagnostic (the benchmark): the WGSL engine's last step; null on onnxruntime. */
  engineStats(): EngineStats | null {
    const lm = this.model?.lm;
    if (!lm || lm instanceof CausalLm) return null;
    const { dispatches, readbackBytes } = lm.lastStep;
    return { dispatches, readbackBytes, allocatedBytes: lm.allocatedBytes };
  }

  /** Diagnostic: destroys the GPU device so recovery can be exercised (tests, demos). */
  async loseDevice(): Promise<{ lost: boolean }> {
    const model = this.model;
    if (model?.backend !== 'webgpu') return { lost: false };
    if (!(model.lm instanceof CausalLm)) {
      model.lm.loseDevice();
      // Resolved once the device reports the loss; the watch (registered at load) has then
      // marked the model for reloading, so the next request reloads it.
      await model.lm.lost;
      return { lost: true };
    }
    const ort = this.ort.get('webgpu');
    if (!ort) return { lost: false };
    (await Promise.resolve((await ort).env.webgpu.device)).destroy();
    return { lost: true };
  }
}

function overflowStop(promptTokens: number, contextLength: number): RowStop {
  return { kind: 'context-overflow', promptTokens, contextLength };
}

function emptyTimings(): GenerationTimings {
  return {
    prefillMs: 0,
    prefillTokens: 0,
    reusedTokens: 0,
    firstTokenMs: 0,
    decodeMs: 0,
    decodeSteps: 0,
    decodeTokens: 0,
  };
}
