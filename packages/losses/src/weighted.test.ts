import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adversarialLoss } from './adversarial.js';
import { classificationLoss } from './classification.js';
import { scalarValue } from './gradient-flow.testkit.js';
import { identityMatchingLoss } from './identity-matching.js';
import { lossFromConfig } from './loss-from-config.js';
import { semanticRegressionLoss } from './semantic-regression.js';
import { weighted } from './weighted.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const context = () => ({
  embeddings: { sketch: tf.tensor2d([[1, 2]]), image: tf.tensor2d([[0, 1]]) },
  labels: tf.tensor1d([1], 'int32'),
  prototypes: tf.tensor2d([
    [5, 5],
    [0, 1],
  ]),
  criticScores: { sketch: { fake: tf.tensor2d([[3]]) }, image: { fake: tf.tensor2d([[1]]) } },
});

describe('weighted', () => {
  it('sums weighted terms and reports each unweighted, with its parts as name/part', () => {
    const loss = weighted({
      adversarial: [adversarialLoss(), 1],
      regression: [semanticRegressionLoss(), 0.1],
    });
    const { loss: total, parts } = loss(context());
    // adversarial: -3 - 1 = -4; regression: sketch mean([1, 1]^2) = 1, image 0 -> 1.
    expect(scalarValue(parts.adversarial!)).toBeCloseTo(-4, 6);
    expect(scalarValue(parts.regression!)).toBeCloseTo(1, 6);
    expect(scalarValue(total)).toBeCloseTo(-4 + 0.1, 6);
    expect(Object.keys(parts).sort()).toEqual([
      'adversarial',
      'adversarial/image',
      'adversarial/sketch',
      'regression',
      'regression/image',
      'regression/sketch',
    ]);
    expect(loss.options).toEqual({
      terms: {
        adversarial: { loss: 'adversarial', weight: 1, kind: 'wasserstein' },
        regression: { loss: 'regression', weight: 0.1, reduction: 'mean' },
      },
    });
  });

  it("gathers the terms' variables, and leaves no tensors behind when results are disposed", () => {
    const classification = classificationLoss({ classes: 2, inputDim: 2 });
    const loss = weighted({
      identity: [identityMatchingLoss(), 1],
      classification: [classification, 0.5],
    });
    expect(loss.trainableVariables).toEqual(classification.trainableVariables);
    const ctx = context();
    const run = () => {
      const r = loss(ctx);
      tf.dispose([r.loss, ...Object.values(r.parts)]);
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    loss.dispose();
    expect(classification.trainableVariables[0]!.isDisposed).toBe(true);
  });

  it('rejects a non-numeric weight', () => {
    expect(() => weighted({ a: [identityMatchingLoss(), Number.NaN] })).toThrow(
      "weighted: term 'a' has weight NaN, expected a finite number",
    );
  });
});

describe('lossFromConfig', () => {
  it('builds the weighted sum a JSON config describes; weight 0 switches a term off', () => {
    const loss = lossFromConfig({
      terms: {
        adversarial: { weight: 2 },
        identity: { weight: 0, tau: 0.1 },
        pull: { loss: 'regression', weight: 0.1, reduction: 'sum-features' },
      },
    });
    const { loss: total, parts } = loss(context());
    // 2 * -4 + 0.1 * (sketch sum-features 2 + image 0)
    expect(scalarValue(total)).toBeCloseTo(-8 + 0.2, 5);
    expect(Object.keys(parts)).not.toContain('identity');
    expect(loss.options).toEqual({
      terms: {
        adversarial: { loss: 'adversarial', weight: 2, kind: 'wasserstein' },
        pull: { loss: 'regression', weight: 0.1, reduction: 'sum-features' },
      },
    });
    // The options it reports rebuild the same loss.
    expect(lossFromConfig(JSON.parse(JSON.stringify(loss.options))).options).toEqual(loss.options);
  });

  it('names the term whose loss or option is unknown', () => {
    expect(() => lossFromConfig({ terms: { identity: { weight: 1, temperature: 0.1 } } })).toThrow(
      "lossFromConfig: term 'identity': identity: unknown option 'temperature'; valid options are tau",
    );
    expect(() => lossFromConfig({ terms: { wgan: { weight: 1 } } })).toThrow(
      /lossFromConfig: term 'wgan': createLoss: unknown loss 'wgan'; known losses are adversarial, identity/,
    );
    expect(() => lossFromConfig({ terms: { identity: { weight: 0 } } })).toThrow(
      'every term has weight 0',
    );
    expect(() => lossFromConfig({ terms: {}, extra: 1 } as never)).toThrow(
      "lossFromConfig: unknown option 'extra'; valid options are terms",
    );
  });
});
