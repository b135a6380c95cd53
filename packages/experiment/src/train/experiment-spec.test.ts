import { describe, expect, it } from 'vitest';
import { trainOptions } from './train-options.testkit.js';
import { experimentSpec } from './train-pipeline.js';

describe('experimentSpec', () => {
  it('records the feature layers with the backbone, weights and input size', () => {
    const spec = experimentSpec(
      trainOptions({
        backbone: 'mobilenet-v2-1.4',
        layer: ['expanded_conv_12', 'expanded_conv_13'],
        inputSize: 112,
      }),
    );
    expect(spec).toEqual({
      dataset: 'qd-emoji',
      backbone: 'mobilenet-v2-1.4',
      inputSize: 112,
      layer: ['expanded_conv_12', 'expanded_conv_13'],
      renderSize: 112,
      sideInfo: 'both',
      cacheDir: '/cache',
    });
    // Without layers (the backbone's default), run.json has no key, as before.
    expect(experimentSpec(trainOptions())).not.toHaveProperty('layer');
  });

  it('records the QD-Emoji render size (the input size, within 32-1024 px), and none for other datasets', () => {
    expect(experimentSpec(trainOptions({ inputSize: 150 })).renderSize).toBe(150);
    expect(experimentSpec(trainOptions({ inputSize: 2000 })).renderSize).toBe(1024);
    const { inputSize: _, ...withoutSize } = trainOptions();
    expect(experimentSpec(withoutSize)).not.toHaveProperty('renderSize');
    expect(
      experimentSpec(trainOptions({ dataset: 'folder', root: '/data', inputSize: 112 })),
    ).not.toHaveProperty('renderSize');
  });
});
