import { createRng, initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropoutMask } from './dropout-mask.js';
import { SemanticError } from './errors.js';
import { createMlp } from './mlp.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Plain float64 forward pass of a leaky-ReLU MLP from its weights [W1, b1, ...], W [in, out]. */
function forward64(weights: Float32Array[], dims: number[], x: number[][], slope: number) {
  let h = x;
  const layers = dims.length - 1;
  for (let l = 0; l < layers; l++) {
    const W = weights[2 * l]!;
    const b = weights[2 * l + 1]!;
    const [fanIn, fanOut] = [dims[l]!, dims[l + 1]!];
    h = h.map((row) =>
      Array.from({ length: fanOut }, (_, j) => {
        let s = b[j]!;
        for (let i = 0; i < fanIn; i++) s += row[i]! * W[i * fanOut + j]!;
        return l < layers - 1 && s < 0 ? slope * s : s;
      }),
    );
  }
  return h;
}

const input = (rows: number, cols: number, seed: string) => {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
};

describe('createMlp', () => {
  it('computes dense layers with leaky ReLU, matching a float64 reference', () => {
    const mlp = createMlp({
      inputDim: 5,
      hiddenDims: [7, 4],
      outputDim: 3,
      leakySlope: 0.1,
      seed: 1,
    });
    const x = input(6, 5, 'x');
    const y = mlp.apply(tf.tensor2d(x));
    expect(y.shape).toEqual([6, 3]);
    const expected = forward64(mlp.getWeights(), [5, 7, 4, 3], x, 0.1);
    const got = y.arraySync();
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 3; c++) expect(got[r]![c]).toBeCloseTo(expected[r]![c]!, 5);
    }
    mlp.dispose();
  });

  it('orders variables [W1, b1, ..., Wout, bout] with W shaped [in, out] and zero biases', () => {
    const mlp = createMlp({ inputDim: 5, hiddenDims: [7], outputDim: 3, seed: 1 });
    expect(mlp.trainableVariables.map((v) => v.shape)).toEqual([[5, 7], [7], [7, 3], [3]]);
    expect(Array.from(mlp.getWeights()[1]!)).toEqual(new Array(7).fill(0));
    mlp.dispose();
  });

  it('draws Glorot-uniform or He-uniform weights inside their bounds, reproducibly from the seed', () => {
    const glorot = createMlp({ inputDim: 200, outputDim: 100, seed: 'a' });
    const he = createMlp({ inputDim: 200, outputDim: 100, init: 'he-uniform', seed: 'a' });
    const again = createMlp({ inputDim: 200, outputDim: 100, seed: 'a' });
    const other = createMlp({ inputDim: 200, outputDim: 100, seed: 'b' });
    const [wg] = glorot.getWeights();
    const [wh] = he.getWeights();
    const limitG = Math.sqrt(6 / 300);
    const limitH = Math.sqrt(6 / 200);
    const maxAbs = (w: Float32Array) => w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const std = (w: Float32Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(maxAbs(wg!)).toBeLessThanOrEqual(limitG);
    expect(maxAbs(wg!)).toBeGreaterThan(0.99 * limitG);
    expect(std(wg!)).toBeCloseTo(limitG / Math.sqrt(3), 2);
    expect(maxAbs(wh!)).toBeLessThanOrEqual(limitH);
    expect(std(wh!)).toBeCloseTo(limitH / Math.sqrt(3), 2);
    expect(again.getWeights()[0]).toEqual(wg);
    expect(other.getWeights()[0]).not.toEqual(wg);
    for (const m of [glorot, he, again, other]) m.dispose();
  });

  it('applies seeded inverted dropout in training only', () => {
    const options = { inputDim: 4, hiddenDims: [8], outputDim: 2, dropout: 0.5, seed: 3 };
    const mlp = createMlp(options);
    const twin = createMlp(options);
    const x = input(5, 4, 'x');
    const xt = tf.tensor2d(x);
    const weights = mlp.getWeights();
    const inference = forward64(weights, [4, 8, 2], x, 0.2);
    expect(mlp.apply(xt).arraySync()[0]![0]).toBeCloseTo(inference[0]![0]!, 5);

    // The mask the module must use: from the stream seeded `${seed}/dropout`.
    const mask = dropoutMask(5, 8, 0.5, createRng('3/dropout')).arraySync();
    const hidden = forward64(weights.slice(0, 2), [4, 8], x, 0.2).map((row, r) =>
      row.map((v, c) => (v < 0 ? 0.2 * v : v) * mask[r]![c]!),
    );
    const expected = forward64(weights.slice(2), [8, 2], hidden, 0.2);
    const trained = mlp.apply(xt, { training: true }).arraySync();
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 2; c++) expect(trained[r]![c]).toBeCloseTo(expected[r]![c]!, 5);
    }
    expect(twin.apply(xt, { training: true }).arraySync()).toEqual(trained);
    expect(mlp.apply(xt, { training: true }).arraySync()).not.toEqual(trained);
    mlp.dispose();
    twin.dispose();
  });

  it('round-trips weights through getWeights / setWeights', () => {
    const a = createMlp({ inputDim: 3, hiddenDims: [4], outputDim: 2, seed: 1 });
    const b = createMlp({ inputDim: 3, hiddenDims: [4], outputDim: 2, seed: 2 });
    b.setWeights(a.getWeights());
    expect(b.getWeights()).toEqual(a.getWeights());
    expect(() => b.setWeights(a.getWeights().slice(1))).toThrow(/expected 4 arrays/);
    expect(() => b.setWeights([new Float32Array(3), ...a.getWeights().slice(1)])).toThrow(
      /array 0 must hold 12 values for shape \[3, 4\]/,
    );
    a.dispose();
    b.dispose();
  });

  it('leaves no tensors behind across repeated training passes', () => {
    const mlp = createMlp({ inputDim: 6, hiddenDims: [5], outputDim: 2, dropout: 0.3, seed: 1 });
    const x = tf.ones([4, 6]) as tf.Tensor2D;
    mlp.apply(x, { training: true }).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) mlp.apply(x, { training: true }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    mlp.dispose();
  });

  it('rejects unknown options, bad values and wrong input shapes with a SemanticError', () => {
    const bad = { inputDim: 3, outputDim: 2, seed: 1, hidden: [4] } as never;
    expect(() => createMlp(bad)).toThrow(SemanticError);
    expect(() => createMlp(bad)).toThrow(
      /createMlp: unknown option 'hidden'; valid options are inputDim, outputDim, hiddenDims, activation, leakySlope, dropout, init, seed/,
    );
    expect(() => createMlp({ inputDim: 3, outputDim: 2, seed: 1, dropout: 1 })).toThrow(
      /option 'dropout' must be a finite number >= 0 and < 1, got 1/,
    );
    expect(() =>
      createMlp({ inputDim: 3, outputDim: 2, seed: 1, activation: 'tanh' as never }),
    ).toThrow(/option 'activation' must be one of relu, leaky-relu, softplus, linear/);
    expect(() => createMlp({ inputDim: 0, outputDim: 2, seed: 1 })).toThrow(
      /'inputDim' must be an integer >= 1/,
    );
    expect(() => createMlp({ inputDim: 3, outputDim: 2 } as never)).toThrow(/'seed' is required/);
    const mlp = createMlp({ inputDim: 3, outputDim: 2, seed: 1 });
    const x = tf.ones([2, 4]) as tf.Tensor2D;
    expect(() => mlp.apply(x)).toThrow(/mlp.apply: input must be \[batch, 3\], got \[2, 4\]/);
    x.dispose();
    mlp.dispose();
  });
});
