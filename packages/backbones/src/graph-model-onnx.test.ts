import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphBackbone, TfjsGraphBackbone } from './backbone.js';
import { BackboneError } from './backbone-error.js';
import { graphModelToOnnx, samePads } from './graph-model-onnx.js';
import { loadBackbone } from './load-backbone.js';
import { relativeError } from './torch-fixture.testkit.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const PREFIX =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2';
/** Scopes read, and their output nodes: the default features, a stride-2 depthwise block, the stride-2 stem. */
const LAYERS = {
  expanded_conv_12: `${PREFIX}/expanded_conv_12/add`,
  expanded_conv_3: `${PREFIX}/expanded_conv_3/project/BatchNorm/FusedBatchNormV3`,
  Conv: `${PREFIX}/Conv/Relu6`,
};

/** Two seeded random images in [0, 1] (`unit`), NHWC. */
function images(size: number): Float32Array {
  let s = 7;
  return Float32Array.from({ length: 2 * size * size * 3 }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  });
}

/** `[batch, h, w, c]` averaged over h and w in plain JS, as `[batch][c]`. */
async function pooledByHand(t: tf.Tensor): Promise<number[][]> {
  const [n, h, w, c] = t.shape as [number, number, number, number];
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return Array.from({ length: n }, (_, i) => {
    const sums = new Float64Array(c);
    for (let p = 0; p < h * w; p++)
      for (let k = 0; k < c; k++) sums[k]! += v[(i * h * w + p) * c + k]!;
    return Array.from(sums, (x) => x / (h * w));
  });
}

describe('samePads', () => {
  it("splits TensorFlow's SAME padding with the smaller half first", () => {
    expect(samePads(112, 3, 2, 1)).toEqual([0, 1]);
    expect(samePads(25, 3, 2, 1)).toEqual([1, 1]);
    expect(samePads(7, 3, 1, 1)).toEqual([1, 1]);
    expect(samePads(8, 1, 1, 1)).toEqual([0, 0]);
    expect(samePads(10, 4, 1, 1)).toEqual([1, 2]);
  });
});

describe("loadBackbone({ name: 'mobilenet-v2-1.4' }) on ONNX Runtime", () => {
  it.each([112, 100])(
    'gives the features of TF.js graph.execute pooled by hand at %i px (batch 2, several layers)',
    async (size) => {
      const layer = Object.keys(LAYERS);
      const onnx = await loadBackbone({ name: 'mobilenet-v2-1.4', inputSize: size, layer });
      const tfjs = (await loadBackbone({
        name: 'mobilenet-v2-1.4',
        inputSize: size,
        layer,
        engine: 'tfjs',
      })) as TfjsGraphBackbone;
      // The default engine ('auto') is ONNX Runtime when it loads.
      expect([onnx.engine, tfjs.engine]).toEqual(['onnx', 'tfjs']);
      expect(onnx.layerDims).toEqual(tfjs.layerDims);
      const x = images(size);
      const input = tf.tensor4d(x, [2, size, size, 3]);
      const raw = tfjs.graph.execute(
        { [tfjs.graph.inputs[0]!.name]: input },
        Object.values(LAYERS),
      ) as tf.Tensor[];
      const parts = await Promise.all(raw.map(pooledByHand));
      input.dispose();
      const want = Float32Array.from([0, 1].flatMap((i) => parts.flatMap((p) => p[i]!)));
      const got = await onnx.embedData(x, 2);
      expect(relativeError(got, want)).toBeLessThan(1e-4);
      // Each layer on its own scale too (the stem's values are larger than the blocks').
      const d = onnx.outputDim;
      let from = 0;
      for (const dim of onnx.layerDims) {
        const cut = (a: Float32Array) =>
          Float32Array.from(
            [0, 1].flatMap((i) => [...a.subarray(i * d + from, i * d + from + dim)]),
          );
        expect(relativeError(cut(got), cut(want))).toBeLessThan(1e-4);
        from += dim;
      }
      // The batch is free: one image alone gives its row.
      const single = await onnx.embedData(x.subarray(0, size * size * 3), 1);
      expect(relativeError(single, got.subarray(0, d))).toBeLessThan(1e-5);
      await Promise.all([onnx.dispose(), tfjs.dispose()]);
    },
    60_000,
  );

  it("names an unsupported operation and its node; 'auto' then runs TF.js and says why", async () => {
    const options = { name: 'mobilenet-v2-1.4', layer: 'Logits/AvgPool' } as const;
    await expect(loadBackbone({ ...options, engine: 'onnx' })).rejects.toThrow(
      /node '.*\/Logits\/AvgPool' is operation AvgPool, which the ONNX conversion does not support .*use engine 'tfjs'/,
    );
    const auto: GraphBackbone = await loadBackbone(options);
    expect(auto.engine).toBe('tfjs');
    expect(auto.engine === 'tfjs' && auto.fallback).toMatch(/AvgPool/);
    // Worker threads rebuild it on TF.js directly.
    expect(auto.spec).toMatchObject({ engine: 'tfjs' });
    expect(auto.outputDim).toBe(1792);
    await auto.dispose();
  }, 60_000);

  it('refuses a graph fed by a second input, and non-constant filters', () => {
    const topology = {
      node: [
        { name: 'image', op: 'Placeholder' },
        { name: 'other', op: 'Placeholder' },
        { name: 'sum', op: 'AddV2', input: ['image', 'other'] },
        { name: 'conv', op: 'Conv2D', input: ['image', 'other'], attr: {} },
      ],
    };
    const options = { label: 'tiny', input: 'image', inputSize: 8 };
    expect(() => graphModelToOnnx(topology, {}, { ...options, nodes: ['sum'] })).toThrow(
      /tiny: node 'other' is a second input/,
    );
    expect(() => graphModelToOnnx(topology, {}, { ...options, nodes: ['conv'] })).toThrow(
      BackboneError,
    );
    expect(() => graphModelToOnnx(topology, {}, { ...options, nodes: ['conv'] })).toThrow(
      /node 'conv' is a Conv2D whose filter is not a constant/,
    );
  });
});
