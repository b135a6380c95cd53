import { beforeAll, describe, expect, it } from 'vitest';
import { activation, leakyRelu } from './activations.js';
import { initBackend } from './init-backend.js';
import { createRng } from './rng.js';
import { tf } from './tf.js';

/**
 * A one-hidden-layer critic C(x) = v . act(W x) on a single input x [k], W [h, k], v [h].
 * Its gradient-penalty term is g(W) = (||grad_x C||_2 - 1)^2 with
 * grad_x C = W^T (v * act'(W x)). The reference computes g in float64 from that closed form and
 * differentiates it by central finite differences; TensorFlow.js computes dg/dW by double
 * backprop (tf.grad inside tf.grads).
 */
const h = 5;
const k = 4;
const rng = createRng('second-order');
const x = Array.from({ length: k }, () => rng.normal());
const v = Array.from({ length: h }, () => rng.normal());
const W0 = Array.from({ length: h * k }, () => rng.normal(0, 0.8));

type Scalar = (t: number) => number;
const derivatives: Record<string, Scalar> = {
  relu: (t) => (t > 0 ? 1 : 0),
  'leaky-relu': (t) => (t > 0 ? 1 : 0.2),
  softplus: (t) => 1 / (1 + Math.exp(-t)),
  tanh: (t) => 1 - Math.tanh(t) ** 2,
};

function penalty64(W: number[], dact: Scalar): number {
  const grad = new Array<number>(k).fill(0);
  for (let i = 0; i < h; i++) {
    let pre = 0;
    for (let j = 0; j < k; j++) pre += W[i * k + j]! * x[j]!;
    const s = v[i]! * dact(pre);
    for (let j = 0; j < k; j++) grad[j]! += W[i * k + j]! * s;
  }
  const norm = Math.sqrt(grad.reduce((a, b) => a + b * b, 0));
  return (norm - 1) ** 2;
}

function finiteDifferences(dact: Scalar): number[] {
  const eps = 1e-6;
  return W0.map((_, i) => {
    const up = [...W0];
    const down = [...W0];
    up[i]! += eps;
    down[i]! -= eps;
    return (penalty64(up, dact) - penalty64(down, dact)) / (2 * eps);
  });
}

function doubleBackprop(act: (t: tf.Tensor) => tf.Tensor): number[] {
  return tf.tidy(() => {
    const xt = tf.tensor2d(x, [1, k]);
    const vt = tf.tensor2d(v, [h, 1]);
    const dW = tf.grad((W: tf.Tensor) => {
      const critic = (u: tf.Tensor) => tf.sum(tf.matMul(act(tf.matMul(u, W, false, true)), vt));
      const gx = tf.grad(critic)(xt);
      return tf.square(tf.sub(tf.norm(gx), 1));
    })(tf.tensor2d(W0, [h, k]));
    return Array.from(dW.dataSync());
  });
}

function maxRelativeError(got: number[], want: number[]): number {
  const scale = Math.max(...want.map(Math.abs));
  return Math.max(...got.map((g, i) => Math.abs(g - want[i]!))) / scale;
}

describe.each(['cpu', 'wasm'] as const)('second-order gradients on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend });
  });

  it.each(['relu', 'leaky-relu', 'softplus'] as const)(
    '%s: the gradient penalty gradient matches finite differences',
    (name) => {
      const got = doubleBackprop(activation(name));
      const want = finiteDifferences(derivatives[name]!);
      expect(want.some((w) => Math.abs(w) > 1e-3)).toBe(true);
      expect(maxRelativeError(got, want)).toBeLessThan(1e-4);
    },
  );

  it('leakyRelu equals relu(t) - a*relu(-t) and honours its slope', () => {
    const t = tf.tensor1d([-2, -0.5, 0, 0.5, 3]);
    expect(Array.from(leakyRelu(t, 0.1).dataSync())).toEqual(
      [-0.2, -0.05, 0, 0.5, 3].map((n) => Math.fround(n)),
    );
    t.dispose();
  });

  // Documents a TensorFlow.js pitfall (facts.md): tanh's gradient reuses its saved output and
  // loses the second-order term, so a gradient penalty through tf.tanh is silently wrong. If
  // this test ever fails, TensorFlow.js has fixed it; until then never use tanh in a critic.
  it('tf.tanh gives a WRONG gradient-penalty gradient', () => {
    const got = doubleBackprop((t) => tf.tanh(t));
    const want = finiteDifferences(derivatives.tanh!);
    expect(maxRelativeError(got, want)).toBeGreaterThan(0.1);
  });
});

describe('activation()', () => {
  it('rejects unknown names and lists the valid ones', () => {
    expect(() => activation('tanh' as never)).toThrow(/relu, leaky-relu, softplus, linear/);
  });
});
