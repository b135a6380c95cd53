import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileIOHandler } from './file-io-handler.js';
import { checkBackbone, loadBackbone } from './load-backbone.js';
import { loadNsfwjsMobileNetV2, nsfwjsModel } from './nsfwjs-models.js';
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

/** Global average pooling of a `[n, h, w, c]` array, by hand: `[n, c]`. */
function poolByHand(values: Float32Array, [n, h, w, c]: number[]): Float32Array {
  const out = new Float32Array(n! * c!);
  for (let b = 0; b < n!; b++) {
    for (let p = 0; p < h! * w!; p++) {
      for (let k = 0; k < c!; k++) out[b * c! + k]! += values[(b * h! * w! + p) * c! + k]!;
    }
  }
  return out.map((v) => v / (h! * w!));
}

async function pooledByHand(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  const pooled = poolByHand(values, t.shape);
  t.dispose();
  return pooled;
}

describe('layer selection (bundled nsfwjs models)', () => {
  it('reads several layers of a layers model, each pooled, concatenated in the order given', async () => {
    const layers = ['block_13_expand_relu', 'block_6_expand_relu'];
    const backbone = await loadBackbone({ name: 'mobilenet-v2', layer: layers });
    expect([backbone.outputDim, backbone.layers, backbone.layerDims]).toEqual([
      576 + 192,
      layers,
      [576, 192],
    ]);
    // Reference: the full nsfwjs model cut with tf.model at each layer, pooled in plain JS.
    const full = await tf.loadLayersModel(tf.io.fromMemory(await loadNsfwjsMobileNetV2()));
    const x = images(1, 224);
    const want: number[] = [];
    for (const name of layers) {
      const cut = tf.model({ inputs: full.inputs, outputs: full.getLayer(name).output });
      want.push(
        ...(await pooledByHand(cut.predict(tf.tensor4d(x, [1, 224, 224, 3])) as tf.Tensor)),
      );
    }
    const got = await backbone.embedData(x, 1);
    expect(relativeError(got, Float32Array.from(want))).toBeLessThan(1e-5);
    full.dispose();
    await backbone.dispose();
  }, 60_000);

  it("reads a graph model's nodes by scope (mobilenet-v2-1.4), as model.execute pooled by hand", async () => {
    // TF.js here; the ONNX engine is checked against the same reference in graph-model-onnx.test.ts.
    const backbone = await loadBackbone({
      name: 'mobilenet-v2-1.4',
      layer: ['expanded_conv_13', 'expanded_conv_5'],
      engine: 'tfjs',
    });
    expect([backbone.inputSize, backbone.outputDim, backbone.normalisation]).toEqual([
      224,
      224 + 48,
      'unit',
    ]);
    // Reference: nsfwjs's graph as it is, executed up to the blocks' last nodes (full names).
    const graph = await tf.loadGraphModel(
      tf.io.fromMemory(await (await nsfwjsModel('mobilenet_v2_mid')).load()),
    );
    const prefix =
      'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2';
    const x = images(2, 224);
    const want: number[][] = [[], []];
    for (const node of [
      `${prefix}/expanded_conv_13/project/BatchNorm/FusedBatchNormV3`,
      `${prefix}/expanded_conv_5/add`,
    ]) {
      const pooled = await pooledByHand(
        graph.execute(tf.tensor4d(x, [2, 224, 224, 3]), node) as tf.Tensor,
      );
      const c = pooled.length / 2;
      want[0]!.push(...pooled.subarray(0, c));
      want[1]!.push(...pooled.subarray(c));
    }
    const got = await backbone.embedData(x, 2);
    expect(relativeError(got, Float32Array.from(want.flat()))).toBeLessThan(1e-5);
    graph.dispose();
    await backbone.dispose();
  }, 60_000);

  it('runs the graph model at another input size, and InceptionV3 at its default layer', async () => {
    const mid = await loadBackbone({ name: 'mobilenet-v2-1.4', inputSize: 96 });
    expect([mid.inputSize, mid.outputDim, mid.layers]).toEqual([96, 224, ['expanded_conv_13']]);
    expect((await mid.embedData(images(1, 96), 1)).every(Number.isFinite)).toBe(true);
    await mid.dispose();
    const inception = await loadBackbone({ name: 'inception-v3', inputSize: 96 });
    expect([
      inception.inputSize,
      inception.outputDim,
      inception.layers,
      inception.normalisation,
    ]).toEqual([96, 768, ['mixed5'], 'unit']);
    const features = await inception.embedData(images(1, 96), 1);
    expect(features.every(Number.isFinite) && features.some((v) => v > 0)).toBe(true);
    await inception.dispose();
  }, 120_000);

  it("loads a graph model from disk as 'graph-model' (model.json and shards)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-graph-'));
    await fileIOHandler(dir).save(await (await nsfwjsModel('mobilenet_v2_mid')).load());
    const spec = { layer: 'expanded_conv_13', inputSize: 64, normalisation: 'unit' } as const;
    const fromDisk = await loadBackbone({ name: 'graph-model', weights: dir, ...spec });
    const bundled = await loadBackbone({ name: 'mobilenet-v2-1.4', ...spec });
    expect([fromDisk.weights, fromDisk.outputDim]).toEqual([dir, 224]);
    const x = images(1, 64);
    expect(relativeError(await fromDisk.embedData(x, 1), await bundled.embedData(x, 1))).toBe(0);
    await expect(loadBackbone({ name: 'mobilenet-v2', weights: dir })).rejects.toThrow(
      /is a TensorFlow.js graph model: load it with \{ name: 'graph-model'/,
    );
    await Promise.all([fromDisk.dispose(), bundled.dispose()]);
    await rm(dir, { recursive: true });
  }, 60_000);

  it('rejects unknown layers with the closest valid names, before decoding the weights', async () => {
    await expect(
      loadBackbone({ name: 'inception-v3', layer: ['mixed4', 'mixed55'] }),
    ).rejects.toThrow(
      /nsfwjs@4.4.0 InceptionV3 \(bundled\) has no layer 'mixed55' \(option 'layer'\); closest: mixed5, /,
    );
    await expect(
      loadBackbone({ name: 'mobilenet-v2-1.4', layer: 'expanded_conv_133' }),
    ).rejects.toThrow(
      /has no node or scope 'expanded_conv_133' \(option 'layer'\); closest: expanded_conv_13, /,
    );
    await expect(
      loadBackbone({ name: 'graph-model', weights: 'x/model.json' } as never),
    ).rejects.toThrow(/graph-model: needs 'layer', 'normalisation'/);
    // checkBackbone: the same checks, nothing built.
    await expect(checkBackbone({ name: 'inception-v3', layer: 'mixed55' })).rejects.toThrow(
      /has no layer 'mixed55'/,
    );
    await expect(
      checkBackbone({ name: 'mobilenet-v2-1.4', layer: 'expanded_conv_13' }),
    ).resolves.toBeUndefined();
  }, 30_000);
});
