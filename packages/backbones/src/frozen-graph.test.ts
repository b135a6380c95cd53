import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FrozenGraph } from './frozen-graph.js';
import { loadBackbone } from './load-backbone.js';
import { relativeError, torchFixture } from './torch-fixture.testkit.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

async function compare(model: tf.LayersModel, size: number) {
  const x = tf.randomUniform([2, size, size, 3], -1, 1, 'float32', 11);
  const graph = new FrozenGraph(model);
  const want = model.predict(x) as tf.Tensor;
  const got = graph.predict(x);
  const error = relativeError(
    (await got.data()) as Float32Array,
    (await want.data()) as Float32Array,
  );
  tf.dispose([x, want, got]);
  return { graph, error };
}

describe('FrozenGraph', () => {
  it('fuses conv + batch norm (+ ReLU) of ResNet-50 and gives the layers-model outputs', async () => {
    const backbone = await loadBackbone({
      name: 'resnet50',
      weights: torchFixture('resnet50-narrow.safetensors'),
      inputSize: 64,
      width: 8,
    });
    const { graph, error } = await compare(backbone.model, 64);
    expect(error).toBeLessThan(1e-5);
    // 53 conv + batch-norm pairs in ResNet-50: 49 main-path convs and 4 downsample branches.
    expect(graph.fusedCount).toBe(53);
    graph.dispose();
    await backbone.dispose();
  }, 30_000);

  it('fuses depthwise convs with ReLU6 in MobileNetV2', async () => {
    const backbone = await loadBackbone({ name: 'mobilenet-v2', inputSize: 32 });
    const { graph, error } = await compare(backbone.model, 32);
    expect(error).toBeLessThan(1e-5);
    // Keras MobileNetV2: 52 conv / depthwise conv layers, each followed by batch norm.
    expect(graph.fusedCount).toBe(52);
    graph.dispose();
    await backbone.dispose();
  }, 30_000);

  it('frees its folded weights and leaks nothing per call', async () => {
    const backbone = await loadBackbone({ name: 'resnet50', inputSize: 32, width: 4 });
    const before = tf.memory().numTensors;
    const graph = new FrozenGraph(backbone.model);
    const x = tf.zeros([1, 32, 32, 3]);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      graph.predict(x).dispose();
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    graph.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await backbone.dispose();
  }, 30_000);
});
