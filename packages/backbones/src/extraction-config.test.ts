import type { FeatureManifest } from '@zs-sbir/data';
import { describe, expect, it } from 'vitest';
import { configDifferences, type ExtractionConfig, recordedConfig } from './extraction-config.js';

const here: ExtractionConfig = {
  backbone: 'mobilenet-v2-1.4',
  engine: 'onnx',
  weights: 'tfhub',
  layers: ['block_13_expand_relu'],
  inputSize: 112,
  outputDim: 1344,
  normalisation: 'unit',
  pipeline: { fit: 'pad', invert: false },
  split: null,
};

describe('configDifferences', () => {
  it('is empty for the same configuration, whatever the order of the pipeline keys', () => {
    expect(configDifferences({ ...here, pipeline: { invert: false, fit: 'pad' } }, here)).toEqual(
      [],
    );
  });

  it('names each differing field with both values, in the order of the configuration', () => {
    const there = { ...here, engine: 'tfjs', layers: null, pipeline: { fit: 'cover' as const } };
    expect(configDifferences(there, here)).toEqual([
      'engine "tfjs" there, "onnx" here',
      'layers null there, ["block_13_expand_relu"] here',
      'pipeline {"fit":"cover"} there, {"fit":"pad","invert":false} here',
    ]);
  });

  it('compares only the fields a record has', () => {
    expect(configDifferences({ inputSize: 112 }, here)).toEqual([]);
    expect(configDifferences({ inputSize: 224 }, here)).toEqual(['inputSize 224 there, 112 here']);
    expect(configDifferences({}, here)).toEqual([]);
  });
});

describe('recordedConfig', () => {
  const manifest: FeatureManifest = {
    schema: 'zs-sbir/feature-store',
    version: 1,
    dataset: 'sketchy',
    modality: 'image',
    backbone: 'vgg16',
    inputSize: 224,
    rows: 0,
    cols: 4096,
    paths: [],
    labels: [],
    classes: [],
    contentHash: '',
    createdAt: '2026-12-01T00:00:00.000Z',
  };

  it('reads extra.config when the store has one', () => {
    expect(recordedConfig({ ...manifest, extra: { config: here } })).toEqual(here);
  });

  it("gives what an older store's manifest shows, and nothing it does not", () => {
    const extra = {
      weights: 'vgg16.safetensors',
      normalisation: 'imagenet',
      pipeline: { fit: 'pad' },
    };
    expect(recordedConfig({ ...manifest, extra })).toEqual({
      backbone: 'vgg16',
      inputSize: 224,
      outputDim: 4096,
      weights: 'vgg16.safetensors',
      normalisation: 'imagenet',
      pipeline: { fit: 'pad' },
      split: null,
    });
    expect(recordedConfig({ ...manifest, split: 'sake' })).toEqual({
      backbone: 'vgg16',
      inputSize: 224,
      outputDim: 4096,
      split: 'sake',
    });
    expect(configDifferences(recordedConfig({ ...manifest, split: 'sake' }), here)).toEqual([
      'backbone "vgg16" there, "mobilenet-v2-1.4" here',
      'inputSize 224 there, 112 here',
      'outputDim 4096 there, 1344 here',
      'split "sake" there, null here',
    ]);
  });
});
