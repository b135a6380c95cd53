import { createRng, initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSideInfoAutoencoder } from './side-info-autoencoder.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Row-vector times `[in, out]` matrix plus bias, in float64. */
const affine = (x: number[], W: Float32Array, b: Float32Array) =>
  Array.from(b, (bj, j) => x.reduce((s, xi, i) => s + xi * W[i * b.length + j]!, bj));

describe('createSideInfoAutoencoder', () => {
  it('encodes D_s -> d and decodes d -> D_s with linear maps by default', () => {
    const ae = createSideInfoAutoencoder({ inputDim: 6, outputDim: 3, seed: 5 });
    expect(ae.trainableVariables.map((v) => v.shape)).toEqual([[6, 3], [3], [3, 6], [6]]);
    // Non-zero biases so the test sees them.
    const rng = createRng('bias');
    const weights = ae.getWeights().map((w) => w.map(() => rng.normal()));
    ae.setWeights(weights);
    const s = Array.from({ length: 6 }, () => rng.normal());
    const st = tf.tensor2d([s]);
    const p = ae.encode(st);
    const expectedP = affine(s, weights[0]!, weights[1]!);
    expect(p.shape).toEqual([1, 3]);
    expect(Array.from(p.dataSync())).toEqual(expectedP.map((v) => expect.closeTo(v, 5)));
    const r = ae.apply(st);
    const expectedR = affine(expectedP, weights[2]!, weights[3]!);
    expect(Array.from(r.dataSync())).toEqual(expectedR.map((v) => expect.closeTo(v, 4)));
    for (const t of [st, p, r]) t.dispose();
    ae.dispose();
  });

  it('mirrors hidden layers in the decoder and seeds encoder and decoder apart', () => {
    const ae = createSideInfoAutoencoder({ inputDim: 300, hiddenDims: [128], seed: 'w2v' });
    expect(ae.config.outputDim).toBe(64);
    expect(ae.encoder.trainableVariables.map((v) => v.shape)).toEqual([
      [300, 128],
      [128],
      [128, 64],
      [64],
    ]);
    expect(ae.decoder.trainableVariables.map((v) => v.shape)).toEqual([
      [64, 128],
      [128],
      [128, 300],
      [300],
    ]);
    expect(ae.getWeights()).toHaveLength(8);
    expect(() => ae.setWeights(ae.getWeights().slice(0, 4))).toThrow(
      /side-info-autoencoder.setWeights: expected 8 arrays/,
    );
    ae.dispose();
  });
});
