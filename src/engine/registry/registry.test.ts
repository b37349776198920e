import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { availableDtypes, DTYPE_TRAITS, onnxPath } from './dtypes.ts';
import {
  BUILT_IN_MODELS,
  CODEGEN_350M_MONO,
  CODEGEN_350M_MULTI,
  CODEGEN_350M_NL,
  findModel,
  TINY,
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
    expect(availableDtypes(CODEGEN_350M_MULTI)).toEqual(['fp32', 'q8']);
    expect(availableDtypes(CODEGEN_350M_NL)).toEqual(['fp32', 'q8']);
    expect(CODEGEN_350M_MULTI.dtypes.q8?.file.path).toBe(
      'onnx/decoder_model_merged_quantized.onnx',
    );
    expect(availableDtypes(TINY)).toEqual(['fp32', 'q4', 'q8']);
  });

  it('name files, backends and features consistently with the dtype table', () => {
    for (const entry of BUILT_IN_MODELS) {
      for (const dtype of availableDtypes(entry)) {
        const variant = entry.dtypes[dtype];
        expect(variant?.file.path).toBe(onnxPath(entry.layout, dtype));
        expect(variant?.backends).toEqual(DTYPE_TRAITS[dtype].backends);
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
