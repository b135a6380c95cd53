import { Graph, gradients } from '@zs-sbir/graph';
import { describe, expect, it } from 'vitest';
import { Clip, Conv, Flatten, GlobalAveragePool, Transpose } from './onnx-inference-ops.js';

const conv = (pads: number[], strides: number[], group = 1) => ({
  dilations: [1, 1],
  group,
  pads,
  strides,
});

describe('ONNX inference operations (shape rules)', () => {
  const g = new Graph();
  const x = g.input('x', [2, 8, 7, 6]);
  const w = (shape: number[]) => g.constant(new Float32Array(shape.reduce((a, b) => a * b)), shape);

  it('give the output shapes of NCHW convolutions, transposes and pooling', () => {
    // 3x3 stride 2 with SAME-style asymmetric pads: 7 -> 4, 6 -> 3.
    const y = g.node(Conv, [x, w([16, 8, 3, 3]), w([16])], conv([1, 0, 1, 1], [2, 2]));
    expect(y.shape).toEqual([2, 16, 4, 3]);
    // Depthwise: one filter per channel.
    expect(g.node(Conv, [x, w([8, 1, 3, 3]), w([8])], conv([1, 1, 1, 1], [1, 1], 8)).shape).toEqual(
      [2, 8, 7, 6],
    );
    expect(g.node(Transpose, [x], { perm: [0, 2, 3, 1] }).shape).toEqual([2, 7, 6, 8]);
    const pooled = g.node(GlobalAveragePool, [y]);
    expect(pooled.shape).toEqual([2, 16, 1, 1]);
    expect(g.node(Flatten, [pooled], { axis: 1 }).shape).toEqual([2, 16]);
    expect(g.node(Clip, [x, g.scalar(0), g.scalar(6)]).shape).toEqual([2, 8, 7, 6]);
  });

  it('name what does not fit', () => {
    expect(() => g.node(Conv, [x, w([16, 4, 3, 3]), w([16])], conv([0, 0, 0, 0], [1, 1]))).toThrow(
      /Conv: filter \[16, 4, 3, 3\] with group 1 does not fit input \[2, 8, 7, 6\] \(8 channels\)/,
    );
    expect(() => g.node(Conv, [x, w([16, 8, 3, 3]), w([8])], conv([0, 0, 0, 0], [1, 1]))).toThrow(
      /bias \[8\] must be \[16\]/,
    );
    expect(() => g.node(Transpose, [x], { perm: [0, 1, 1, 3] })).toThrow(
      /Transpose: perm \[0, 1, 1, 3\] is not a permutation/,
    );
    expect(() => g.node(Clip, [x, w([2]), g.scalar(6)])).toThrow(/bounds must be scalars/);
  });

  it('have no gradient: a frozen encoder is not differentiated', () => {
    const h = new Graph();
    const v = h.input('v', [1, 1, 2, 2]);
    const loss = h.sum(h.node(GlobalAveragePool, [v]));
    expect(() => gradients(h, loss, [v])).toThrow(/GlobalAveragePool .* is inference-only/);
  });
});
