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
  it('reads extra.config when the store has one', () => {
    expect(recordedConfig({ backbone: 'x', extra: { config: here } })).toEqual(here);
  });

  it("gives what an older store's manifest shows, and nothing it does not", () => {
    const manifest = {
      backbone: 'vgg16',
      inputSize: 224,
      cols: 4096,
      extra: { weights: 'vgg16.safetensors', normalisation: 'imagenet', pipeline: { fit: 'pad' } },
    };
    expect(recordedConfig(manifest)).toEqual({
      backbone: 'vgg16',
      inputSize: 224,
      outputDim: 4096,
      weights: 'vgg16.safetensors',
      normalisation: 'imagenet',
      pipeline: { fit: 'pad' },
      split: null,
    });
    expect(recordedConfig({ backbone: 'vgg16', split: 'sake' })).toEqual({
      backbone: 'vgg16',
      split: 'sake',
    });
    expect(configDifferences(recordedConfig({ split: 'sake' }), here)).toEqual([
      'split "sake" there, null here',
    ]);
    expect(recordedConfig(null)).toEqual({});
    expect(recordedConfig([1, 2])).toEqual({});
  });
});
