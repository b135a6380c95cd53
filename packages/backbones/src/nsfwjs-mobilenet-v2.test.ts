import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackbone } from './load-backbone.js';
import { loadNsfwjsMobileNetV2 } from './nsfwjs-mobilenet-v2.js';
import { relativeError } from './torch-fixture.testkit.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function images(count: number, size: number): Float32Array {
  return Float32Array.from(
    { length: count * size * size * 3 },
    (_, i) => (Math.sin(i * 0.37) + 1) / 2,
  );
}

describe("loadBackbone({ name: 'mobilenet-v2' }) (nsfwjs bundled weights)", () => {
  it('gives 1280-d features equal to the 7x7 average pooling of the original nsfwjs graph', async () => {
    const backbone = await loadBackbone({ name: 'mobilenet-v2' });
    expect([backbone.inputSize, backbone.outputDim, backbone.normalisation]).toEqual([
      224,
      1280,
      'unit',
    ]);
    expect(backbone.weights).toMatch(/nsfwjs/);
    // Reference: nsfwjs's own topology, read at its 'flatten_1' layer (AveragePooling2D 7x7 on
    // out_relu, the same as a global average at 224 px).
    const full = await tf.loadLayersModel(tf.io.fromMemory(await loadNsfwjsMobileNetV2()));
    const reference = tf.model({ inputs: full.inputs, outputs: full.getLayer('flatten_1').output });
    const x = images(2, 224);
    const want = tf.tidy(() => reference.predict(tf.tensor4d(x, [2, 224, 224, 3])) as tf.Tensor);
    const got = await backbone.embedData(x, 2);
    expect(relativeError(got, (await want.data()) as Float32Array)).toBeLessThan(1e-5);
    expect(got.some((v) => v > 0)).toBe(true);
    want.dispose();
    full.dispose();
    await backbone.dispose();
  }, 30_000);

  it('runs at 112 px (the graph rebuilt for the smaller input)', async () => {
    const backbone = await loadBackbone({ name: 'mobilenet-v2', inputSize: 112 });
    expect([backbone.inputSize, backbone.outputDim]).toEqual([112, 1280]);
    const features = await backbone.embedData(images(1, 112), 1);
    expect(features.length).toBe(1280);
    expect(features.every(Number.isFinite)).toBe(true);
    await backbone.dispose();
  }, 30_000);

  it('leaves no tensors behind after dispose, nor across embed calls', async () => {
    const before = tf.memory().numTensors;
    const backbone = await loadBackbone({ name: 'mobilenet-v2', inputSize: 64 });
    const x = tf.tensor4d(images(2, 64), [2, 64, 64, 3]);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      (await backbone.embed(x)).dispose();
      await backbone.embedData(images(1, 64), 1);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    x.dispose();
    await backbone.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);
});
