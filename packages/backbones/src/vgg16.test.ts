import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { WeightMismatchError } from './backbone-error.js';
import { loadBackbone } from './load-backbone.js';
import { readTensors, relativeError, torchFixture } from './torch-fixture.testkit.js';

// vgg16-narrow*.safetensors: torchvision VGG16 layout at narrow widths, written with its outputs
// by scripts/make-torch-fixture.py (PyTorch 1.13, eval mode).
const weights = torchFixture('vgg16-narrow.safetensors');
const narrow = {
  name: 'vgg16',
  weights,
  inputSize: 64,
  channels: [8, 16, 32, 32, 32],
  hidden: 64,
} as const;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('vgg16 from PyTorch safetensors', () => {
  it('reproduces torchvision fc7 (after ReLU) to 1e-4 relative', async () => {
    const io = await readTensors('vgg16-narrow-io.safetensors');
    const backbone = await loadBackbone(narrow);
    expect(backbone.outputDim).toBe(64);
    expect(backbone.normalisation).toBe('imagenet');
    expect(relativeError(await backbone.embedData(io.input!, 3), io.fc7!)).toBeLessThan(1e-4);
    await backbone.dispose();
  }, 30_000);

  it('reproduces the SEM-PCYC adapter output (classifier.6 after fc7)', async () => {
    const io = await readTensors('vgg16-narrow-io.safetensors');
    const backbone = await loadBackbone({ ...narrow, output: 'adapter', adapterDim: 16 });
    expect(backbone.outputDim).toBe(16);
    expect(backbone.weights).toBe(weights);
    const x = tf.tensor4d(io.input!, [3, 64, 64, 3]);
    const y = await backbone.embed(x);
    expect(y.shape).toEqual([3, 16]);
    expect(relativeError((await y.data()) as Float32Array, io.adapter!)).toBeLessThan(1e-4);
    tf.dispose([x, y]);
    await backbone.dispose();
  }, 30_000);

  it('keeps a random adapter when classifier.6 has another shape (an ImageNet fc8)', async () => {
    const backbone = await loadBackbone({ ...narrow, output: 'adapter', adapterDim: 12, seed: 4 });
    expect(backbone.outputDim).toBe(12);
    expect(backbone.weights).toContain('classifier.6.weight, classifier.6.bias: random, seed 4');
    await backbone.dispose();
  }, 30_000);

  it('lists the mis-shaped tensors when the widths do not match', async () => {
    const error = await loadBackbone({ ...narrow, channels: [8, 16, 32, 32, 64] }).catch((e) => e);
    expect(error).toBeInstanceOf(WeightMismatchError);
    expect(error.message).toMatch(/vgg16-narrow.safetensors does not match vgg16/);
    expect(error.message).toContain(
      'features.24.weight: shape [32, 32, 3, 3], expected [64, 32, 3, 3]',
    );
    expect(error.mismatches.map((m: { name: string }) => m.name)).toContain('classifier.0.weight');
  }, 30_000);

  it('lists missing and unexpected names for another network', async () => {
    const error = await loadBackbone({
      ...narrow,
      weights: torchFixture('resnet50-narrow.safetensors'),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(WeightMismatchError);
    expect(error.message).toContain('features.0.weight: missing (expected shape [8, 3, 3, 3])');
    const kinds = new Set(error.mismatches.map((m: { kind: string }) => m.kind));
    expect(kinds).toEqual(new Set(['missing', 'unexpected']));
    expect(error.message).toMatch(/\.\.\. and \d+ more/);
  }, 30_000);
});
