import { createRng, initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradients } from './gradients.js';
import { Graph } from './graph.js';
import { compileGraph } from './onnx-program.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const rng = createRng('onnx-gradients');
const draw = (n: number) => rng.fill(n, () => rng.normal());

/** Largest |a - b| relative to the largest |b|. */
function relativeError(a: Float32Array, b: Float32Array | number[]): number {
  let err = 0;
  let scale = 1e-12;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

describe('gradients', () => {
  it('match TensorFlow.js on a leaky-ReLU MLP with broadcasting, L1, log-softmax and division', async () => {
    const [n, din, h, c] = [6, 5, 4, 3];
    const values = {
      x: draw(n * din),
      w1: draw(din * h),
      b1: draw(h),
      w2: draw(h * c),
      b2: draw(c),
    };
    const target = Float32Array.from({ length: n * c }, (_, i) => (i % c === i % 2 ? 1 : 0));
    const g = new Graph();
    const x = g.input('x', [n, din]);
    const w1 = g.input('w1', [din, h]);
    const b1 = g.input('b1', [h]);
    const w2 = g.input('w2', [c, h]);
    const b2 = g.input('b2', [c]);
    const t = g.constant(target, [n, c]);
    const hidden = g.leakyRelu(g.add(g.matMul(x, w1), b1), 0.2);
    const logits = g.add(g.matMul(hidden, w2, false, true), b2);
    const norm = g.sqrt(g.add(g.reduceSum(g.square(logits), [1], true), 1e-12));
    const ce = g.neg(g.mean(g.reduceSum(g.mul(t, g.logSoftmax(g.div(logits, norm))), [1])));
    const loss = g.add(ce, g.mean(g.abs(g.sub(logits, t))));
    const grads = gradients(g, loss, [w1, b1, w2, b2]);
    g.output('loss', loss);
    grads.forEach((s, i) => {
      g.output(`g${i}`, s);
    });
    const program = await compileGraph(g, { threads: 1 });
    await program.run({ ...values, w2: transposeOf(values.w2, h, c) });

    const reference = tf.tidy(() => {
      const tx = tf.tensor2d(values.x, [n, din]);
      const tt = tf.tensor2d(target, [n, c]);
      const f = (tw1: tf.Tensor, tb1: tf.Tensor, tw2: tf.Tensor, tb2: tf.Tensor) => {
        const a = tf.add(tf.matMul(tx, tw1), tb1);
        const hid = tf.sub(tf.relu(a), tf.mul(0.2, tf.relu(tf.neg(a))));
        const lg = tf.add(tf.matMul(hid, tw2), tb2);
        const nrm = tf.sqrt(tf.add(tf.sum(tf.square(lg), 1, true), 1e-12));
        const cross = tf.neg(tf.mean(tf.sum(tf.mul(tt, tf.logSoftmax(tf.div(lg, nrm))), 1)));
        return tf.add(cross, tf.mean(tf.abs(tf.sub(lg, tt)))) as tf.Scalar;
      };
      const args = [
        tf.tensor2d(values.w1, [din, h]),
        tf.tensor1d(values.b1),
        tf.tensor2d(values.w2, [h, c]),
        tf.tensor1d(values.b2),
      ];
      const { value, grads: gs } = tf.valueAndGrads(f as never)(args);
      return [value.dataSync(), ...gs.map((x) => x.dataSync())] as Float32Array[];
    });
    expect(relativeError(program.outputs.loss!, reference[0]!)).toBeLessThan(1e-5);
    expect(relativeError(program.outputs.g0!, reference[1]!)).toBeLessThan(1e-4);
    expect(relativeError(program.outputs.g1!, reference[2]!)).toBeLessThan(1e-4);
    expect(relativeError(transposeOf(program.outputs.g2!, c, h), reference[3]!)).toBeLessThan(1e-4);
    expect(relativeError(program.outputs.g3!, reference[4]!)).toBeLessThan(1e-4);
    await program.dispose();
  });

  it('match TensorFlow.js through exp, log, softplus, sigmoid, relu, where and reductions', async () => {
    const [n, d] = [4, 3];
    const values = { a: draw(n * d), b: draw(d) };
    const g = new Graph();
    const a = g.input('a', [n, d]);
    const b = g.input('b', [d]);
    const t = g.add(a, b);
    const u = g.add(g.log(g.add(g.exp(g.mul(t, 0.5)), 1)), g.softplus(g.neg(t)));
    const v = g.where(g.positive(t), g.sigmoid(t), g.relu(g.sub(1, t)));
    const loss = g.add(
      g.reduceMean(g.mul(u, v), [0, 1]),
      g.sum(g.reshape(g.reduceSum(g.square(u), [0], true), [d])),
    );
    const grads = gradients(g, loss, [a, b]);
    g.output('loss', loss);
    g.output('ga', grads[0]!);
    g.output('gb', grads[1]!);
    const program = await compileGraph(g, { threads: 1 });
    await program.run(values);
    const reference = tf.tidy(() => {
      const args = [tf.tensor2d(values.a, [n, d]), tf.tensor1d(values.b)] as const;
      // The condition is piecewise constant; TensorFlow.js will not differentiate through it.
      const positive = tf.greater(tf.add(args[0], args[1]), 0);
      const f = (ta: tf.Tensor, tb: tf.Tensor) => {
        const tt = tf.add(ta, tb);
        const tu = tf.add(tf.log(tf.add(tf.exp(tf.mul(tt, 0.5)), 1)), tf.softplus(tf.neg(tt)));
        const tv = tf.where(positive, tf.sigmoid(tt), tf.relu(tf.sub(1, tt)));
        return tf.add(tf.mean(tf.mul(tu, tv)), tf.sum(tf.sum(tf.square(tu), 0))) as tf.Scalar;
      };
      const { value, grads: gs } = tf.valueAndGrads(f as never)([...args]);
      return [value.dataSync(), ...gs.map((x) => x.dataSync())] as Float32Array[];
    });
    expect(relativeError(program.outputs.loss!, reference[0]!)).toBeLessThan(1e-5);
    expect(relativeError(program.outputs.ga!, reference[1]!)).toBeLessThan(1e-4);
    expect(relativeError(program.outputs.gb!, reference[2]!)).toBeLessThan(1e-4);
    await program.dispose();
  });

  it('differentiate a gradient again: a gradient penalty matches TensorFlow.js double backprop', async () => {
    const [n, d, h] = [5, 4, 3];
    const values = { u: draw(n * d), w1: draw(d * h), b1: draw(h), w2: draw(h), b2: draw(1) };
    const g = new Graph();
    const u = g.input('u', [n, d]);
    const w1 = g.input('w1', [d, h]);
    const b1 = g.input('b1', [h]);
    const w2 = g.input('w2', [h, 1]);
    const b2 = g.input('b2', [1]);
    const critic = (v: typeof u) =>
      g.add(g.matMul(g.leakyRelu(g.add(g.matMul(v, w1), b1), 0.2), w2), b2);
    const [gu] = gradients(g, g.sum(critic(u)), [u]);
    const norm = g.sqrt(g.add(g.reduceSum(g.square(gu!), [1]), 1e-12));
    const penalty = g.mul(10, g.mean(g.square(g.sub(norm, 1))));
    const grads = gradients(g, penalty, [w1, b1, w2, b2]);
    g.output('penalty', penalty);
    grads.forEach((s, i) => {
      g.output(`g${i}`, s);
    });
    const program = await compileGraph(g, { threads: 1 });
    await program.run(values);

    const reference = tf.tidy(() => {
      const tu = tf.tensor2d(values.u, [n, d]);
      const tb1 = tf.tensor1d(values.b1);
      const tb2 = tf.tensor1d(values.b2);
      // The biases get no gradient (TensorFlow.js refuses to differentiate with respect to them).
      const f = (tw1: tf.Tensor, tw2: tf.Tensor) => {
        const c = (v: tf.Tensor) => {
          const a = tf.add(tf.matMul(v as tf.Tensor2D, tw1 as tf.Tensor2D), tb1);
          const hid = tf.sub(tf.relu(a), tf.mul(0.2, tf.relu(tf.neg(a))));
          return tf.sum(tf.add(tf.matMul(hid as tf.Tensor2D, tw2 as tf.Tensor2D), tb2));
        };
        const grad = tf.grad(c)(tu);
        const nrm = tf.sqrt(tf.add(tf.sum(tf.square(grad), 1), 1e-12));
        return tf.mul(10, tf.mean(tf.square(tf.sub(nrm, 1)))) as tf.Scalar;
      };
      const args = [tf.tensor2d(values.w1, [d, h]), tf.tensor2d(values.w2, [h, 1])];
      const { value, grads: gs } = tf.valueAndGrads(f as never)(args);
      return [value.dataSync(), ...gs.map((x) => x.dataSync())] as Float32Array[];
    });
    expect(relativeError(program.outputs.penalty!, reference[0]!)).toBeLessThan(1e-5);
    expect(relativeError(program.outputs.g0!, reference[1]!)).toBeLessThan(1e-4);
    expect(relativeError(program.outputs.g2!, reference[2]!)).toBeLessThan(1e-4);
    // The biases do not move the input gradient of a piecewise-linear critic.
    expect(
      Math.max(...program.outputs.g1!.map(Math.abs), ...program.outputs.g3!.map(Math.abs)),
    ).toBe(0);
    // ...but the weights do.
    expect(Math.max(...program.outputs.g0!.map(Math.abs))).toBeGreaterThan(1e-3);
    await program.dispose();
  });
});

function transposeOf(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}
