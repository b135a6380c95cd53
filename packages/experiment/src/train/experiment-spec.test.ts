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
      sideInfo: 'both',
      cacheDir: '/cache',
    });
    // Without layers (the backbone's default), run.json has no key, as before.
    expect(experimentSpec(trainOptions())).not.toHaveProperty('layer');
  });
});
