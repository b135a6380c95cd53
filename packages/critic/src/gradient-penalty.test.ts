import { createRng, initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import fixture from './__fixtures__/gradient-penalty.json';
import { createCritic } from './critic.js';
import { CriticError } from './errors.js';
import { gradientPenalty } from './gradient-penalty.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const dims = [fixture.inputDim, ...fixture.hiddenDims, 1];

/**
 * The penalty in plain float64 JS, from weights [W1, b1, ...] (W row-major [in, out]): forward
 * through the leaky-ReLU MLP, backward to the input by the chain rule, then
 * lambda * mean((||grad|| - 1)^2) (one-sided: max(0, ||grad|| - 1)^2).
 */
function penalty64(weights: number[][], oneSided: boolean): number {
  const slope = fixture.leakySlope;
  const L = dims.length - 1;
  let total = 0;
  fixture.real.forEach((real, n) => {
    const e = fixture.epsilon[n]!;
    let a = real.map((r, j) => e * r + (1 - e) * fixture.fake[n]![j]!);
    const pre: number[][] = [];
    for (let l = 0; l < L - 1; l++) {
      const [W, b, out] = [weights[2 * l]!, weights[2 * l + 1]!, dims[l + 1]!];
      const z = Array.from({ length: out }, (_, k) =>
        a.reduce((s, ai, i) => s + ai * W[i * out + k]!, b[k]!),
      );
      pre.push(z);
      a = z.map((v) => (v > 0 ? v : slope * v));
    }
    // d score / d a_{L-1} is the output weight column; then back through each hidden layer.
    let g = [...weights[2 * (L - 1)]!];
    for (let l = L - 2; l >= 0; l--) {
      const [W, out] = [weights[2 * l]!, dims[l + 1]!];
      const gz = g.map((v, k) => v * (pre[l]![k]! > 0 ? 1 : slope));
      g = Array.from({ length: dims[l]! }, (_, i) =>
        gz.reduce((s, v, k) => s + v * W[i * out + k]!, 0),
      );
    }
    const gap = Math.hypot(...g) - 1;
    total += oneSided ? Math.max(0, gap) ** 2 : gap ** 2;
  });
  return (fixture.lambda * total) / fixture.real.length;
}

/** Central finite differences of {@link penalty64} with respect to every weight. */
function finiteDifferences(oneSided: boolean): number[][] {
  const h = 1e-6;
  return fixture.weights.map((w, i) =>
    w.map((_, j) => {
      const shifted = (delta: number) =>
        fixture.weights.map((x, k) => (k === i ? x.map((v, m) => (m === j ? v + delta : v)) : x));
      return (penalty64(shifted(h), oneSided) - penalty64(shifted(-h), oneSided)) / (2 * h);
    }),
  );
}

/** TensorFlow.js: the penalty and its gradient w.r.t. the critic's variables (double backprop). */
function tfPenaltyAndGrads(oneSided: boolean) {
  const critic = createCritic({
    inputDim: fixture.inputDim,
    hiddenDims: fixture.hiddenDims,
    leakySlope: fixture.leakySlope,
    seed: 0,
  });
  critic.setWeights(fixture.weights.map((w) => Float32Array.from(w)));
  const real = tf.tensor2d(fixture.real);
  const fake = tf.tensor2d(fixture.fake);
  const { value, grads } = tf.variableGrads(
    () =>
      gradientPenalty(critic, real, fake, {
        lambda: fixture.lambda,
        epsilon: fixture.epsilon,
        oneSided,
      }),
    critic.trainableVariables,
  );
  const result = {
    penalty: value.dataSync()[0]!,
    // The output bias does not move grad_u: no gradient reaches it (zero in the references).
    grads: critic.trainableVariables.map((v) =>
      grads[v.name] ? Array.from(grads[v.name]!.dataSync()) : new Array<number>(v.size).fill(0),
    ),
  };
  tf.dispose([value, real, fake, ...Object.values(grads)]);
  critic.dispose();
  return result;
}

/**
 * float32 tolerance: values and gradients here are O(1-100); each passes through ~20 float32
 * operations (relative rounding 6e-8 each), so errors stay below ~1e-5 relative. The float64
 * finite differences (step 1e-6, every pre-activation > 1e-3 away from the kink, checked by the
 * fixture script) are accurate to ~1e-8. 1e-4 absolute plus 1e-4 relative leaves a margin of 10
 * while any missing second-order term (errors of tens of percent) fails.
 */
function expectClose(actual: number[][], expected: number[][]) {
  expect(actual.map((a) => a.length)).toEqual(expected.map((e) => e.length));
  actual.forEach((a, i) => {
    a.forEach((v, j) => {
      const ref = expected[i]![j]!;
      expect(Math.abs(v - ref)).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(ref));
    });
  });
}

describe('gradientPenalty', () => {
  it('is lambda (||w|| - 1)^2 with gradient 2 lambda (||w|| - 1) w / ||w|| for a linear critic', () => {
    const critic = createCritic({ inputDim: 2, hiddenDims: [], seed: 0 });
    critic.setWeights([Float32Array.from([3, 4]), Float32Array.from([0.5])]);
    const real = tf.tensor2d([
      [1, 2],
      [-1, 0],
    ]);
    const fake = tf.tensor2d([
      [0, 0],
      [5, 5],
    ]);
    const [W] = critic.trainableVariables;
    const { value, grads } = tf.variableGrads(() => gradientPenalty(critic, real, fake), [W!]);
    // ||w|| = 5: 10 * (5 - 1)^2 = 160; gradient 10 * 2 * 4 * [3, 4] / 5 = [48, 64].
    expect(value.dataSync()[0]).toBeCloseTo(160, 3);
    expect(Array.from(grads[W!.name]!.dataSync())).toEqual([
      expect.closeTo(48, 3),
      expect.closeTo(64, 3),
    ]);
    critic.setWeights([Float32Array.from([0.3, 0.4]), Float32Array.from([0])]);
    const two = gradientPenalty(critic, real, fake, { lambda: 2 });
    const one = gradientPenalty(critic, real, fake, { lambda: 2, oneSided: true });
    // ||w|| = 0.5: two-sided 2 * 0.25 = 0.5; one-sided max(0, -0.5)^2 = 0.
    expect(two.dataSync()[0]).toBeCloseTo(0.5, 5);
    expect(one.dataSync()[0]).toBe(0);
    tf.dispose([value, two, one, real, fake, ...Object.values(grads)]);
    critic.dispose();
  });

  it('matches a float64 reference and its central finite differences (two-sided and one-sided)', () => {
    for (const oneSided of [false, true]) {
      const ours = tfPenaltyAndGrads(oneSided);
      expect(ours.penalty).toBeCloseTo(penalty64(fixture.weights, oneSided), 4);
      expectClose(ours.grads, finiteDifferences(oneSided));
    }
  });

  it('matches PyTorch float64 (penalty and gradients w.r.t. every weight, from the fixture)', () => {
    for (const [oneSided, ref] of [
      [false, fixture.twoSided],
      [true, fixture.oneSided],
    ] as const) {
      const ours = tfPenaltyAndGrads(oneSided);
      expect(Math.abs(ours.penalty - ref.penalty)).toBeLessThan(1e-4 * Math.max(1, ref.penalty));
      expectClose(ours.grads, ref.grads);
    }
  });

  it("matches PyTorch float64 on the wasm backend too (with core's BatchMatMul gradient)", async () => {
    await initBackend({ backend: 'wasm' });
    try {
      const ours = tfPenaltyAndGrads(false);
      expect(Math.abs(ours.penalty - fixture.twoSided.penalty)).toBeLessThan(1e-4);
      expectClose(ours.grads, fixture.twoSided.grads);
    } finally {
      await initBackend({ backend: 'cpu' });
    }
  });

  it('works for any per-sample critic, not only createCritic MLPs', () => {
    const w = tf.variable(tf.tensor2d([[3], [4]]));
    const linear = { apply: (x: tf.Tensor2D) => tf.matMul(x, w) as tf.Tensor2D };
    const real = tf.tensor2d([[1, 2]]);
    const fake = tf.tensor2d([[0, 1]]);
    const { value, grads } = tf.variableGrads(() => gradientPenalty(linear, real, fake), [w]);
    // ||w|| = 5: 10 * 16 = 160, gradient 10 * 2 * 4 * w / 5 = [48, 64].
    expect(value.dataSync()[0]).toBeCloseTo(160, 3);
    expect(Array.from(grads[w.name]!.dataSync())).toEqual([
      expect.closeTo(48, 3),
      expect.closeTo(64, 3),
    ]);
    tf.dispose([w, real, fake, value, ...Object.values(grads)]);
  });

  it('draws epsilon from the rng reproducibly, per sample', () => {
    const critic = createCritic({ inputDim: 3, seed: 1 });
    const real = tf.tensor2d(fixture.real);
    const fake = tf.tensor2d(fixture.fake);
    const a = gradientPenalty(critic, real, fake, { rng: createRng('eps') });
    const b = gradientPenalty(critic, real, fake, { rng: createRng('eps') });
    const drawn = createRng('eps');
    const c = gradientPenalty(critic, real, fake, { epsilon: drawn.fill(6, () => drawn.next()) });
    expect(a.dataSync()[0]).toBe(b.dataSync()[0]);
    expect(a.dataSync()[0]).toBe(c.dataSync()[0]);
    tf.dispose([a, b, c, real, fake]);
    critic.dispose();
  });

  it('leaves no tensors behind across repeated penalty gradients', () => {
    const critic = createCritic({ inputDim: 3, seed: 1 });
    const real = tf.tensor2d(fixture.real);
    const fake = tf.tensor2d(fixture.fake);
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => gradientPenalty(critic, real, fake),
        critic.trainableVariables,
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([real, fake]);
    critic.dispose();
  });

  it('rejects mismatched batches and epsilon of the wrong size', () => {
    const critic = createCritic({ inputDim: 3, seed: 1 });
    const real = tf.tensor2d(fixture.real);
    const fake = tf.tensor2d(fixture.fake);
    const short = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => gradientPenalty(critic, real, fake, { epsilon: [0.5] })).toThrow(
      /option 'epsilon' must hold one value per sample \(6\)/,
    );
    expect(() => gradientPenalty(critic, real, short)).toThrow(CriticError);
    expect(() => gradientPenalty(critic, real, short)).toThrow(/real \[6, 3\] and fake \[2, 3\]/);
    expect(() => gradientPenalty(critic, real, fake, { lambda: -1 })).toThrow(/'lambda' must be/);
    tf.dispose([real, fake, short]);
    critic.dispose();
  });
});
