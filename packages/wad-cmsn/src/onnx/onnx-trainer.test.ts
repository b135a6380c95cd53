import { createRng, initBackend, tf } from '@zs-sbir/core';
import { makeLoss, readOptions, registerLoss } from '@zs-sbir/losses';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginePairSetup } from '../engine-pair.testkit.js';
import type { WadCmsn } from '../wad-cmsn.js';
import { createOnnxTrainer } from './onnx-trainer.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// An odd batch: the L1 reconstruction's bias gradients are sums of +-1/N over the rows, which
// cancel to exactly zero for an even batch; Adam then turns the rounding noise of a zero gradient
// into an update of about lr * |g| / (|g| + eps), which differs between engines.
const { batches, build, variables, classes } = enginePairSetup({
  seed: 'onnx-trainer-data',
  dim: 12,
  sideDim: 7,
  classes: 5,
  rows: 9,
  batches: 3,
  base: { embeddingDim: 6, critic: { steps: 2 }, optimiser: { learningRate: 1e-2 } },
});

const flat = (model: WadCmsn) => variables(model).map((v) => Float32Array.from(v.dataSync()));

/** Largest |a - b| over the largest |b|, across all arrays. */
function relativeError(a: Float32Array[], b: Float32Array[]): number {
  let err = 0;
  let scale = 1e-12;
  a.forEach((x, k) => {
    x.forEach((v, i) => {
      err = Math.max(err, Math.abs(v - b[k]![i]!));
      scale = Math.max(scale, Math.abs(b[k]![i]!));
    });
  });
  return err / scale;
}

/** Equal to float32 rounding of a few hundred operations: 1e-5 relative (absolute below 1). */
function expectClose(got: number | undefined, expected: number): void {
  expect(Math.abs(got! - expected)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected)));
}

const models: WadCmsn[] = [];
afterAll(() => {
  for (const m of models) m.dispose();
});

describe('createOnnxTrainer', () => {
  const configs: [string, object][] = [
    ['semantic wgan-gp, design defaults', {}],
    [
      'cross-modal wgan-lp, decoder dropout, L2 sum-features reconstruction',
      {
        critic: { steps: 2, placement: 'cross-modal', kind: 'wgan-lp' },
        decoder: { dropout: 0.3 },
        losses: { reconstruction: { weight: 0.5, norm: 'l2', reduction: 'sum-features' } },
      },
    ],
    ['semantic lsgan', { critic: { steps: 1, kind: 'lsgan' } }],
    ['cross-modal gan', { critic: { steps: 1, placement: 'cross-modal', kind: 'gan' } }],
    ['wgan-clip', { critic: { steps: 2, kind: 'wgan-clip', clip: 0.05 } }],
    ['no critic', { critic: { placement: 'none' } }],
  ];
  it.each(configs)('trains like model.trainStep: %s', async (_, config) => {
    const reference = build(config);
    const fast = build(config);
    models.push(reference, fast);
    const trainer = await createOnnxTrainer(fast, { threads: 1 });
    const r1 = createRng('steps');
    const r2 = createRng('steps');
    for (const batch of batches) {
      const expected = reference.trainStep(batch, r1);
      const got = await trainer.step(batch, r2);
      expect(Object.keys(got.parts)).toEqual(Object.keys(expected.parts));
      expectClose(got.loss, expected.loss);
      for (const [k, v] of Object.entries(expected.parts)) expectClose(got.parts[k], v);
      expect(Object.keys(got.critics)).toEqual(Object.keys(expected.critics));
      for (const [k, c] of Object.entries(expected.critics)) {
        expectClose(got.critics[k]!.loss, c.loss);
        expectClose(got.critics[k]!.penalty, c.penalty);
        expectClose(got.critics[k]!.wasserstein, c.wasserstein);
      }
    }
    // Both generators drew the same numbers.
    expect(r2.next()).toBe(r1.next());
    const before = flat(fast);
    await trainer.sync();
    const after = flat(fast);
    expect(relativeError(after, flat(reference))).toBeLessThan(1e-4);
    expect(relativeError(before, after)).toBeGreaterThan(1e-3);
    // The optimisers' state went back too: one more TF.js step agrees again.
    const next = { ...batches[0]!, labels: batches[1]!.labels };
    reference.trainStep(next, r1);
    fast.trainStep(next, r2);
    expect(relativeError(flat(fast), flat(reference))).toBeLessThan(1e-4);
    await trainer.dispose();
  });

  it("hands Adam's bias-correction powers back as TF.js's own steps leave them", async () => {
    // TF.js multiplies accBeta by beta in float32 at each step but recomputes it with pow() in
    // setWeights; after 5 steps of beta2 = 0.999 (accBeta2 = 0.999^6) the two differ in the last
    // bit.
    const reference = build({});
    const fast = build({});
    models.push(reference, fast);
    const trainer = await createOnnxTrainer(fast, { threads: 1 });
    const r1 = createRng('powers');
    const r2 = createRng('powers');
    for (let i = 0; i < 5; i++) {
      reference.trainStep(batches[i % batches.length]!, r1);
      await trainer.step(batches[i % batches.length]!, r2);
    }
    await trainer.sync();
    const powers = (m: WadCmsn) =>
      [m.optimisers.main, ...Object.values(m.optimisers.critics)].flatMap((o) => {
        const acc = o as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
        return [acc.accBeta1.dataSync()[0], acc.accBeta2.dataSync()[0]];
      });
    expect(powers(fast)).toEqual(powers(reference));
    await trainer.dispose();
  });

  it('does not leak TF.js tensors over steps and syncs', async () => {
    const model = build({});
    models.push(model);
    const trainer = await createOnnxTrainer(model, { threads: 1 });
    const rng = createRng('leak');
    await trainer.step(batches[0]!, rng);
    await trainer.sync();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await trainer.step(batches[i]!, rng);
      await trainer.sync();
    }
    expect(tf.memory().numTensors).toBe(before);
    await trainer.dispose();
  });

  it('trains a loss of your own, registered once, like model.trainStep', async () => {
    // L = mean(max(0, margin - cos(z_m, p_y))) per branch, written once against the operations.
    registerLoss('test-margin', (options) => {
      const o = readOptions(
        'test-margin',
        options,
        v.strictObject({ margin: v.optional(v.number(), 0.5) }),
      );
      return makeLoss('test-margin', o, (ops, ctx) => {
        const unit = (x: ReturnType<typeof ops.neg>) =>
          ops.div(x, ops.sqrt(ops.sum(ops.square(x), 1, true)));
        const p = unit(ops.matMul(ops.oneHot(ctx.labels as never, 5), ctx.prototypes!));
        const parts: Record<string, ReturnType<typeof ops.neg>> = {};
        for (const m of ['sketch', 'image'] as const) {
          const cos = ops.sum(ops.mul(unit(ctx.embeddings![m]!), p), 1);
          parts[m] = ops.mean(ops.relu(ops.sub(o.margin, cos)));
        }
        return { loss: ops.add(parts.sketch!, parts.image!), parts };
      });
    });
    const config = { losses: { 'test-margin': { weight: 2, margin: 0.3 } } };
    const reference = build(config);
    const fast = build(config);
    models.push(reference, fast);
    const trainer = await createOnnxTrainer(fast, { threads: 1 });
    const [r1, r2] = [createRng('margin'), createRng('margin')];
    for (const batch of batches) {
      const expected = reference.trainStep(batch, r1);
      const got = await trainer.step(batch, r2);
      expect(expected.parts['test-margin']).toBeGreaterThan(0.01);
      expectClose(got.parts['test-margin'], expected.parts['test-margin']!);
      expectClose(got.parts['test-margin/image'], expected.parts['test-margin/image']!);
      expectClose(got.loss, expected.loss);
    }
    await trainer.sync();
    expect(relativeError(flat(fast), flat(reference))).toBeLessThan(1e-4);
    await trainer.dispose();
  });

  it('names a label outside the seen classes', async () => {
    const model = build({});
    models.push(model);
    const trainer = await createOnnxTrainer(model, { threads: 1 });
    const labels = batches[0]!.labels.slice();
    labels[3] = classes;
    await expect(trainer.step({ ...batches[0]!, labels }, createRng('x'))).rejects.toThrow(
      /labels\[3\] is 5/,
    );
    await trainer.dispose();
  });
});
