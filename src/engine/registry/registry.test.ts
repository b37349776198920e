import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { availableDtypes, DTYPE_TRAITS, onnxPath, runsOn } from './dtypes.ts';
import {
  BUILT_IN_MODELS,
  CODEGEN_350M_MONO,
  CODEGEN_350M_MULTI,
  CODEGEN_350M_NL,
  findModel,
  LISTED_MODELS,
  TINY,
  TINY_MERGED,
} from './models.ts';
import { ALL_DTYPES } from './types.ts';
import { expectedBytes, requiredFiles } from './urls.ts';

describe('built-in entries', () => {
  it('have unique ids and the CodeGen-350M architecture', () => {
    expect(new Set(BUILT_IN_MODELS.map((m) => m.id)).size).toBe(BUILT_IN_MODELS.length);
    for (const entry of [CODEGEN_350M_MONO, CODEGEN_350M_MULTI, CODEGEN_350M_NL]) {
      expect(entry.source).toMatchObject({ kind: 'hub', revision: 'main' });
      expect(entry.architecture).toEqual({
        nLayer: 20,
        nHead: 16,
        nEmbd: 1024,
        rotaryDim: 32,
        vocabSize: 51200,
        tokenizerSize: 50295,
        contextLength: 2048,
        eosTokenId: 50256,
      });
    }
    expect(findModel('codegen-350M-mono')).toBe(CODEGEN_350M_MONO);
    expect(findModel('nope')).toBeUndefined();
  });

  it('list the files each repo really has', () => {
    expect(availableDtypes(CODEGEN_350M_MONO)).toEqual(ALL_DTYPES);
    // -multi and -nl only have the 2023 merged decoder, in fp32 and q8.
    for (const entry of [CODEGEN_350M_MULTI, CODEGEN_350M_NL]) {
      expect(entry.layout).toBe('merged-decoder');
      expect(availableDtypes(entry)).toEqual(['fp32', 'q8']);
      expect(entry.dtypes.fp32?.file.path).toBe('onnx/decoder_model_merged.onnx');
      expect(entry.dtypes.q8?.file.path).toBe('onnx/decoder_model_merged_quantized.onnx');
      // Their other files are listed with the reason they are not offered.
      expect(entry.leftOut?.map((f) => f.path)).toEqual([
        'onnx/decoder_model.onnx',
        'onnx/decoder_model_quantized.onnx',
        'onnx/decoder_model_fp16.onnx',
        'onnx/decoder_with_past_model.onnx',
        'onnx/decoder_with_past_model_quantized.onnx',
      ]);
      expect(entry.leftOut?.[0]?.reason).toMatch(/recompute the whole prompt/);
    }
    expect(availableDtypes(TINY)).toEqual(ALL_DTYPES);
    expect(availableDtypes(TINY_MERGED)).toEqual(['fp32', 'q8']);
    expect(TINY_MERGED.source).toEqual({ kind: 'local', basePath: '/models/tiny-merged/' });
  });

  it('keep the merged tiny model out of the menu, but findable', () => {
    expect(LISTED_MODELS).not.toContain(TINY_MERGED);
    expect(LISTED_MODELS).toContain(TINY);
    expect(findModel('tiny-merged')).toBe(TINY_MERGED);
  });

  it('say which backend runs each dtype, and why not the other', () => {
    const on = (d: keyof typeof DTYPE_TRAITS) => runsOn(DTYPE_TRAITS[d]);
    expect(on('fp32')).toEqual(['webgpu', 'wasm']);
    expect(on('q4')).toEqual(['webgpu', 'wasm']);
    for (const d of ['int8', 'uint8', 'q8'] as const) {
      expect(on(d)).toEqual(['wasm']);
      expect(DTYPE_TRAITS[d].support.webgpu).toMatchObject({
        runs: false,
        reason: /MatMulInteger and DynamicQuantizeLinear have no WebGPU kernel/,
      });
    }
    expect(on('bnb4')).toEqual(['wasm']);
    expect(DTYPE_TRAITS.bnb4.support.webgpu).toMatchObject({ reason: /MatMulBnb4/ });
    // float16 files run everywhere; on WebGPU they need shader-f16 (checked per device).
    for (const d of ['fp16', 'q4f16'] as const) {
      expect(on(d)).toEqual(['webgpu', 'wasm']);
      expect(DTYPE_TRAITS[d].requiredFeatures).toEqual(['shader-f16']);
    }
    // On WebGPU, -multi and -nl offer exactly one file that runs: the fp32 merged decoder.
    const onGpu = availableDtypes(CODEGEN_350M_MULTI).filter(
      (d) => CODEGEN_350M_MULTI.dtypes[d]?.support.webgpu.runs,
    );
    expect(onGpu).toEqual(['fp32']);
  });

  it('name files, backends and features consistently with the dtype table', () => {
    for (const entry of BUILT_IN_MODELS) {
      for (const dtype of availableDtypes(entry)) {
        const variant = entry.dtypes[dtype];
        expect(variant?.file.path).toBe(onnxPath(entry.layout, dtype));
        // One measured exception: the fp32 merged decoder does not fit the WASM heap.
        const mergedFp32 =
          entry.layout === 'merged-decoder' && dtype === 'fp32' && entry.weights === 'pretrained';
        expect(variant?.support.webgpu).toEqual(DTYPE_TRAITS[dtype].support.webgpu);
        if (!mergedFp32) expect(variant?.support).toEqual(DTYPE_TRAITS[dtype].support);
        else expect(variant?.support.wasm).toMatchObject({ runs: false, reason: /bad_alloc/ });
        expect(variant?.requiredFeatures).toEqual(DTYPE_TRAITS[dtype].requiredFeatures);
      }
    }
    expect(DTYPE_TRAITS.fp16.requiredFeatures).toEqual(['shader-f16']);
    expect(DTYPE_TRAITS.q4f16.requiredFeatures).toEqual(['shader-f16']);
  });

  it('record sizes that agree with the dtype (4-bit < 8-bit-ish < fp16 < fp32)', () => {
    const size = (d: 'fp32' | 'fp16' | 'q4' | 'q4f16'): number => {
      const file = CODEGEN_350M_MONO.dtypes[d]?.file;
      return (file && expectedBytes(file)?.bytes) ?? 0;
    };
    expect(size('fp32')).toBe(1_427_700_304);
    expect(CODEGEN_350M_MONO.dtypes.q4f16?.file).toEqual({
      path: 'onnx/model_q4f16.onnx',
      approxBytes: 277_000_000,
    });
    expect(CODEGEN_350M_MULTI.dtypes.fp32?.file).toMatchObject({ approxBytes: 1_440_000_000 });
    expect(size('q4f16')).toBeLessThan(size('q4'));
    expect(size('q4')).toBeLessThan(size('fp16'));
    expect(size('fp16')).toBeLessThan(size('fp32'));
  });

  it('mark the tiny model as random weights served from this site', () => {
    expect(TINY.weights).toBe('random');
    expect(TINY.description).toMatch(/noise/);
    expect(TINY.source).toEqual({ kind: 'local', basePath: '/models/tiny/' });
  });
});

describe('requiredFiles', () => {
  it('is the config, the tokenizer files and the ONNX file of the dtype', () => {
    expect(requiredFiles(CODEGEN_350M_MONO, 'q4f16').map((f) => [f.path, f.role])).toEqual([
      ['config.json', 'config'],
      ['tokenizer.json', 'tokenizer'],
      ['tokenizer_config.json', 'tokenizer-config'],
      ['onnx/model_q4f16.onnx', 'weights'],
    ]);
    expect(requiredFiles(CODEGEN_350M_MONO, 'fp32')[3]?.size).toEqual({ bytes: 1_427_700_304 });
  });

  it('refuses a dtype the model does not have, naming the ones it has', () => {
    let caught: unknown;
    try {
      requiredFiles(CODEGEN_350M_MULTI, 'q4');
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, 'bad-input')).toBe(true);
    expect(isAppError(caught) && caught.hint).toBe('Pick one of: fp32, q8.');
  });
});
