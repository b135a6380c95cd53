import { initBackend } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { WeightMismatchError } from './backbone-error.js';
import { loadFeatureModel } from './feature-model.js';
import { loadNsfwjsMobileNetV2 } from './nsfwjs-models.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('loadFeatureModel', () => {
  it('cuts the graph at the feature layer and pools it', async () => {
    const artifacts = await loadNsfwjsMobileNetV2();
    const feature = await loadFeatureModel(artifacts, {
      label: 'nsfwjs',
      candidates: ['out_relu'],
    });
    expect([feature.layers, feature.inputSize, feature.outputDim]).toEqual([
      ['out_relu'],
      224,
      1280,
    ]);
    const names = feature.model.layers.map((l) => l.name);
    expect(names).not.toContain('dense_1');
    expect(names.at(-1)).toBe('feature_pool');
    feature.model.dispose();
  });

  it('reports weights the file lacks for the kept layers', async () => {
    const artifacts = await loadNsfwjsMobileNetV2();
    const specs = artifacts.weightSpecs!.map((s) =>
      s.name === 'Conv1/kernel' ? { ...s, name: 'Conv1_renamed/kernel' } : s,
    );
    const error = await loadFeatureModel(
      { ...artifacts, weightSpecs: specs },
      { label: 'renamed.json', layer: 'out_relu' },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(WeightMismatchError);
    expect(error.message).toContain('Conv1/kernel: missing (expected shape [3, 3, 3, 32])');
  });

  it('rejects graph models', async () => {
    await expect(
      loadFeatureModel({ format: 'graph-model', modelTopology: {} }, { label: 'g/model.json' }),
    ).rejects.toThrow(/g\/model.json is not a layers model \(format graph-model\)/);
  });
});
