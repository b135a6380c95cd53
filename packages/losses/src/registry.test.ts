import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LossError } from './errors.js';
import { scalarValue } from './gradient-flow.testkit.js';
import { makeLoss } from './loss.js';
import { createLoss, lossNames, registerLoss } from './registry.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('registry', () => {
  it('builds every built-in by name with its options', () => {
    expect(lossNames().slice(0, 8)).toEqual([
      'adversarial',
      'identity',
      'regression',
      'reconstruction',
      'side-info',
      'classification',
      'triplet',
      'contrastive',
    ]);
    const identity = createLoss('identity', { tau: 0.2 });
    expect(identity.id).toBe('identity');
    expect(identity.options).toEqual({ tau: 0.2 });
    expect(createLoss('triplet').options).toEqual({
      margin: 0.2,
      mining: 'batch-hard',
      distance: 'euclidean',
      crossModal: true,
    });
    const classifier = createLoss('classification', { classes: 5 });
    expect(classifier.trainableVariables).toHaveLength(2);
    classifier.dispose();
  });

  it('lists the known names for an unknown loss and the valid options for an unknown option', () => {
    expect(() => createLoss('focal')).toThrow(LossError);
    expect(() => createLoss('focal')).toThrow(
      /createLoss: unknown loss 'focal'; known losses are adversarial, identity, regression, reconstruction, side-info, classification, triplet, contrastive/,
    );
    expect(() => createLoss('reconstruction', { norm: 'l1', p: 2 })).toThrow(
      "reconstruction: unknown option 'p'; valid options are norm, reduction",
    );
    expect(() => createLoss('reconstruction', { norm: 'l3' })).toThrow(
      'reconstruction: option \'norm\' must be one of l1, l2, got "l3"',
    );
  });

  it("registers a user's loss, and refuses to replace one", () => {
    registerLoss('mean-embedding', (options) =>
      makeLoss('mean-embedding', options, (ops, ctx) => ({
        loss: ops.mean(ctx.embeddings!.sketch!),
        parts: {},
      })),
    );
    const sketch = tf.tensor2d([[1, 3]]);
    const r = createLoss('mean-embedding')({ embeddings: { sketch } });
    expect(scalarValue(r.loss)).toBe(2);
    expect(lossNames().at(-1)).toBe('mean-embedding');
    expect(() => registerLoss('identity', () => createLoss('identity'))).toThrow(
      "registerLoss: a loss named 'identity' is already registered",
    );
    tf.dispose([sketch, r.loss]);
  });
});
