import { createRng, initBackend, tf } from '@zs-sbir/core';
import { OnnxError } from '@zs-sbir/graph';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdamArena, freshAdamCount, slotFloats } from './adam.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('createAdamArena', () => {
  it('updates like tf.train.adam, bit for bit, over several steps (bias correction included)', () => {
    const rng = createRng('adam');
    const sizes = [2053, 13, 1];
    const settings = { learningRate: 0.01, beta1: 0.5, beta2: 0.9, epsilon: 1e-7 };
    const arena = createAdamArena(slotFloats(sizes));
    const slots = sizes.map((n) => arena.slot(n));
    const variables = sizes.map((n, i) => {
      const init = rng.fill(n, () => rng.normal());
      slots[i]!.w.set(init);
      return tf.variable(tf.tensor1d(init));
    });
    const optimizer = tf.train.adam(
      settings.learningRate,
      settings.beta1,
      settings.beta2,
      settings.epsilon,
    );
    const count = freshAdamCount(settings);
    for (let step = 0; step < 4; step++) {
      const grads = sizes.map((n) => rng.fill(n, () => rng.normal(0, step === 2 ? 1e-6 : 1)));
      grads.forEach((g, i) => {
        slots[i]!.g.set(g);
      });
      arena.update(slots, count, settings);
      const named = variables.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(grads[i]!) }));
      optimizer.applyGradients(named);
      tf.dispose(named.map((n) => n.tensor));
    }
    expect(count.iterations).toBe(4);
    const acc = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    expect([count.accBeta1, count.accBeta2]).toEqual([
      acc.accBeta1.dataSync()[0],
      acc.accBeta2.dataSync()[0],
    ]);
    // Enough values that a bias correction off in the last bit (0.9^t from pow instead of TF.js's
    // running float32 product) or one missing float32 rounding changes some of them.
    variables.forEach((v, i) => {
      expect(Array.from(slots[i]!.w)).toEqual(Array.from(v.dataSync()));
    });
    optimizer.dispose();
    tf.dispose(variables);
  });

  it('leaves the padding and other slots alone, and refuses to overflow', () => {
    const arena = createAdamArena(slotFloats([5, 3]));
    const a = arena.slot(5);
    const b = arena.slot(3);
    a.w.fill(1);
    a.g.fill(1);
    b.w.fill(2);
    b.g.fill(1);
    const settings = { learningRate: 0.5, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    arena.update([a], freshAdamCount(settings), settings);
    for (const x of a.w) expect(x).toBeCloseTo(0.5, 5);
    expect(Array.from(b.w)).toEqual([2, 2, 2]);
    expect(() => arena.alloc(1)).toThrow(OnnxError);
  });
});
