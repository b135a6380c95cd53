/**
 * A full WAD-CMSN training step assembled from @zs-sbir/semantic, this package and
 * @zs-sbir/losses (the way the recipe composes them), run for 20 steps under each critic
 * placement: no tensor may leak, and every logged value must stay finite.
 */
import { createRng, initBackend, type Rng, tf } from '@zs-sbir/core';
import { gatherRows, type LossContext, lossFromConfig } from '@zs-sbir/losses';
import { createDecoder, createProjector, createSideInfoAutoencoder } from '@zs-sbir/semantic';
import { beforeAll, describe, expect, it } from 'vitest';
import { criticStep } from './critic-step.js';
import { createDiscriminator, type Discriminator } from './discriminator.js';
import { type CriticPlacement, criticNames, criticPairs } from './placement.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const [batch, visual, d, sideDim, classes] = [8, 24, 6, 10, 5];

function randomMatrix(rng: Rng, rows: number, cols: number) {
  return tf.tensor2d(
    rng.fill(rows * cols, () => rng.normal()),
    [rows, cols],
  );
}

function buildStep(placement: CriticPlacement) {
  const rng = createRng(`step/${placement}`);
  const xSk = randomMatrix(rng, batch, visual);
  const xIm = randomMatrix(rng, batch, visual);
  const side = randomMatrix(rng, classes, sideDim);
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % classes),
    'int32',
  );
  const gSk = createProjector({ inputDim: visual, outputDim: d, seed: 'g-sk' });
  const gIm = createProjector({ inputDim: visual, outputDim: d, seed: 'g-im' });
  const fSk = createDecoder({ inputDim: d, outputDim: visual, seed: 'f-sk' });
  const fIm = createDecoder({ inputDim: d, outputDim: visual, seed: 'f-im' });
  const se = createSideInfoAutoencoder({ inputDim: sideDim, outputDim: d, seed: 'se' });
  const critics: Record<string, Discriminator> = {};
  const criticOptimizers: Record<string, tf.Optimizer> = {};
  for (const name of criticNames(placement)) {
    critics[name] = createDiscriminator({ inputDim: d, seed: `critic/${name}` });
    criticOptimizers[name] = tf.train.adam(1e-4, 0.5, 0.9);
  }
  const total = lossFromConfig({
    terms: {
      adversarial: { weight: 1 },
      identity: { weight: 1, tau: 0.1 },
      regression: { weight: 0.1 },
      reconstruction: { weight: 1 },
      'side-info': { weight: 1 },
      classification: { weight: 0.5, classes, inputDim: d },
      triplet: { weight: 0.5 },
      contrastive: { weight: 0.5 },
    },
  });
  const generatorVariables = [gSk, gIm, fSk, fIm, se, total].flatMap((m) => m.trainableVariables);
  const generatorOptimizer: tf.Optimizer = tf.train.adam(1e-4, 0.5, 0.999);
  const gpRng = createRng('gp');
  const train = { training: true };

  /** Projections and per-sample prototypes of the batch, `[batch, d]` each. */
  const project = () => {
    const sketch = gSk.apply(xSk, train);
    const image = gIm.apply(xIm, train);
    const prototypes = se.encode(side, train);
    return { sketch, image, prototypes, perSample: gatherRows(prototypes, labels) };
  };

  function step() {
    const projected = project();
    const critic = criticPairs(placement, {
      ...projected,
      prototypes: projected.perSample,
    }).map((pair) =>
      criticStep({
        discriminator: critics[pair.critic]!,
        optimizer: criticOptimizers[pair.critic]!,
        real: pair.real,
        fake: pair.fake,
        nCritic: 5,
        rng: gpRng,
      }),
    );
    tf.dispose(Object.values(projected));
    const logged: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const z = project();
      const pairs = criticPairs(placement, { ...z, prototypes: z.perSample });
      const ctx: LossContext = {
        embeddings: { sketch: z.sketch, image: z.image },
        labels,
        prototypes: z.prototypes,
        criticScores: Object.fromEntries(
          pairs.map((p) => {
            const c = critics[p.critic]!.critic;
            return [
              p.critic,
              { fake: c.apply(p.fake), real: p.realIsProjected ? c.apply(p.real) : undefined },
            ];
          }),
        ),
        reconstructions: {
          sketch: { output: fSk.apply(z.sketch, train), target: xSk },
          image: { output: fIm.apply(z.image, train), target: xIm },
        },
        sideInfo: { input: side, reconstruction: se.decode(z.prototypes, train) },
      };
      const { loss, parts } = total(ctx);
      for (const part of Object.values(parts)) logged.push(tf.keep(part));
      return loss;
    }, generatorVariables);
    generatorOptimizer.applyGradients(grads);
    const values = tf.tidy(() => tf.stack([value, ...logged]).dataSync());
    tf.dispose([value, ...logged, ...Object.values(grads)]);
    return { critic, values: Array.from(values) };
  }

  function dispose() {
    for (const m of [gSk, gIm, fSk, fIm, se, total, ...Object.values(critics)]) m.dispose();
    for (const o of [generatorOptimizer, ...Object.values(criticOptimizers)]) o.dispose();
    tf.dispose([xSk, xIm, side, labels]);
  }
  return { step, dispose };
}

describe('a WAD-CMSN training step built from semantic, critic and losses', () => {
  // 21 steps of 5 or 10 critic updates plus a projector update: a few seconds on the pure-JS
  // backend, more on a busy machine, hence the longer timeout.
  for (const placement of ['semantic', 'cross-modal'] as const) {
    it(`leaks no tensors across 20 steps (${placement} critic)`, () => {
      const { step, dispose } = buildStep(placement);
      const first = step();
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 20; i++) last = step();
      expect(tf.memory().numTensors).toBe(before);
      expect(last.critic).toHaveLength(placement === 'semantic' ? 2 : 1);
      expect(last.critic.every((c) => c.losses.length === 5)).toBe(true);
      expect([...last.values, ...last.critic.flatMap((c) => c.losses)].every(Number.isFinite)).toBe(
        true,
      );
      expect(last.values[0]).not.toBe(first.values[0]);
      dispose();
    }, 60_000);
  }
});
