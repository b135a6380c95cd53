import { initBackend } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackbone } from './load-backbone.js';
import { readTensors, relativeError, torchFixture } from './torch-fixture.testkit.js';

// resnet50-narrow*.safetensors: torchvision ResNet-50 (3/4/6/3 bottlenecks, downsample branches,
// batch-norm running statistics) at base width 8, written with its pooled outputs by
// scripts/make-torch-fixture.py (PyTorch 1.13, eval mode).
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('resnet50 from PyTorch safetensors', () => {
  it('reproduces the pooled vector to 1e-4 relative', async () => {
    const io = await readTensors('resnet50-narrow-io.safetensors');
    const backbone = await loadBackbone({
      name: 'resnet50',
      weights: torchFixture('resnet50-narrow.safetensors'),
      inputSize: 64,
      width: 8,
    });
    expect(backbone.outputDim).toBe(256);
    expect(relativeError(await backbone.embedData(io.input!, 3), io.pooled!)).toBeLessThan(1e-4);
    await backbone.dispose();
  }, 30_000);
});
