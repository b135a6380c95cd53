import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { tf } from './tf.js';
import { installWasmConvGradients, WASM_MISSING_CONV_KERNELS } from './wasm-conv-gradients.js';

interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
  depthwise: boolean;
  /** A fused conv with bias and relu6 (the layers' path), whose gradient calls the kernels directly. */
  fused?: boolean;
}

const cases: Case[] = [
  {
    name: '1x1 conv',
    x: [2, 7, 7, 6],
    filter: [1, 1, 6, 5],
    strides: 1,
    pad: 'valid',
    depthwise: false,
  },
  {
    name: '3x3 conv stride 2 same',
    x: [2, 9, 8, 3],
    filter: [3, 3, 3, 4],
    strides: 2,
    pad: 'same',
    depthwise: false,
  },
  {
    name: '3x2 conv strides 1,2 same',
    x: [1, 8, 8, 3],
    filter: [3, 2, 3, 2],
    strides: [1, 2],
    pad: 'same',
    depthwise: false,
  },
  {
    name: '3x3 conv stride 2 pad 1',
    x: [2, 8, 7, 3],
    filter: [3, 3, 3, 2],
    strides: 2,
    pad: 1,
    depthwise: false,
  },
  {
    name: 'fused 1x1 conv',
    x: [2, 5, 5, 4],
    filter: [1, 1, 4, 3],
    strides: 1,
    pad: 'same',
    depthwise: false,
    fused: true,
  },
  {
    name: '3x3 depthwise same',
    x: [2, 7, 7, 6],
    filter: [3, 3, 6, 1],
    strides: 1,
    pad: 'same',
    depthwise: true,
  },
  {
    name: '3x3 depthwise stride 2 valid',
    x: [2, 9, 8, 3],
    filter: [3, 3, 3, 1],
    strides: 2,
    pad: 'valid',
    depthwise: true,
  },
  {
    name: 'depthwise multiplier 2',
    x: [1, 6, 6, 2],
    filter: [3, 3, 2, 2],
    strides: 1,
    pad: 'same',
    depthwise: true,
  },
  {
    name: 'fused depthwise',
    x: [2, 6, 6, 3],
    filter: [3, 3, 3, 1],
    strides: 2,
    pad: 'same',
    depthwise: true,
    fused: true,
  },
];

const values = (shape: number[], phase: number) =>
  Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + phase));

/** d/dx and d/dfilter of sum(conv(x, filter)^2), on the current backend. */
function gradients(c: Case): number[][] {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(c.x, 0), c.x);
    const filter = tf.tensor4d(values(c.filter, 1), c.filter);
    const bias = tf.tensor1d(
      values([c.filter[2] * c.filter[3]], 2).slice(
        0,
        c.depthwise ? c.filter[2] * c.filter[3] : c.filter[3],
      ),
    );
    const conv = (a: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D => {
      if (c.fused) {
        const args = {
          x: a,
          filter: f,
          strides: c.strides,
          pad: c.pad as 'same',
          bias,
          activation: 'relu6' as const,
        };
        return c.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
      }
      return c.depthwise
        ? tf.depthwiseConv2d(a, f, c.strides, c.pad as 'same')
        : tf.conv2d(a, f, c.strides, c.pad as 'same');
    };
    const g = tf.grads((a: tf.Tensor, f: tf.Tensor) =>
      tf.sum(tf.square(conv(a as tf.Tensor4D, f as tf.Tensor4D))),
    );
    return g([x, filter]).map((t) => Array.from(t.dataSync()));
  });
}

describe('convolution gradients on wasm', () => {
  it('equal the cpu backend stock gradients, where wasm has no kernel for them', async () => {
    await initBackend({ backend: 'cpu' });
    const reference = cases.map(gradients);
    await initBackend({ backend: 'wasm' });
    for (const name of WASM_MISSING_CONV_KERNELS)
      expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    expect(installWasmConvGradients()).toEqual([]);
    const tensors = tf.memory().numTensors;
    cases.forEach((c, i) => {
      const got = gradients(c);
      got.forEach((g, k) => {
        const want = reference[i]![k]!;
        expect(g.length, `${c.name} ${k ? 'filter' : 'x'}`).toBe(want.length);
        const scale = Math.max(...want.map(Math.abs));
        const worst = Math.max(...g.map((v, j) => Math.abs(v - want[j]!)));
        expect(worst / scale, `${c.name} ${k ? 'filter' : 'x'}`).toBeLessThan(1e-5);
      });
    });
    expect(tf.memory().numTensors).toBe(tensors);
  }, 60_000);
});
