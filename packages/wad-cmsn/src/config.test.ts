import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from './config.js';
import { ConfigError } from './config-error.js';

describe('resolveConfig', () => {
  it('returns the documented defaults for an empty config', () => {
    const c = resolveConfig({});
    expect(c).toEqual(DEFAULT_CONFIG);
    expect(c.critic).toMatchObject({ steps: 5, gradientPenalty: 10, beta1: 0.5, beta2: 0.9 });
    expect(c.embeddingDim).toBe(64);
  });

  it('merges nested keys and keeps the other defaults', () => {
    const c = resolveConfig({ critic: { placement: 'cross-modal' }, training: { epochs: 3 } });
    expect(c.critic.placement).toBe('cross-modal');
    expect(c.critic.steps).toBe(5);
    expect(c.training).toEqual({ ...DEFAULT_CONFIG.training, epochs: 3 });
  });

  it('adds, reweights and switches off loss terms, idempotently', () => {
    const c = resolveConfig({
      losses: { identity: null, triplet: { weight: 0.5, margin: 0.2 }, regression: { weight: 1 } },
    });
    expect(Object.keys(c.losses).sort()).toEqual([
      'adversarial',
      'identity',
      'reconstruction',
      'regression',
      'side-info',
      'triplet',
    ]);
    expect(c.losses.identity).toEqual({ weight: 0, tau: 0.1 });
    expect(c.losses.regression).toEqual({ weight: 1 });
    expect(c.losses.triplet).toEqual({ weight: 0.5, margin: 0.2 });
    expect(resolveConfig(c)).toEqual(c);
  });

  it('names an unknown key and lists the valid ones', () => {
    expect(() => resolveConfig({ critic: { placment: 'semantic' } })).toThrow(
      "config.critic: unknown key 'placment'; valid keys are placement, kind, hiddenDims, steps, gradientPenalty, clip, learningRate, beta1, beta2",
    );
  });

  it('names a wrong value and lists the valid choices', () => {
    expect(() => resolveConfig({ critic: { placement: 'both' } })).toThrow(ConfigError);
    expect(() => resolveConfig({ critic: { placement: 'both' } })).toThrow(
      'config.critic.placement must be one of semantic, cross-modal, none, got "both"',
    );
    expect(() => resolveConfig({ training: { batchSize: 1.5 } })).toThrow(
      'config.training.batchSize must be an integer >= 2, got 1.5',
    );
    expect(() => resolveConfig({ projector: { hiddenDims: [64, -1] } })).toThrow(
      'config.projector.hiddenDims[1] must be an integer >= 1, got -1',
    );
  });

  it('checks loss names and options against the loss registry, switched-off terms too', () => {
    expect(() => resolveConfig({ losses: { tripplet: { weight: 1 } } })).toThrow(
      /^config\.losses\.tripplet: unknown loss 'tripplet'; known losses are adversarial, identity, regression, reconstruction, side-info, classification, triplet, contrastive/,
    );
    expect(() => resolveConfig({ losses: { identity: { weight: 1, tua: 0.1 } } })).toThrow(
      /^config\.losses\.identity: .*'tua'.*tau/,
    );
    expect(() =>
      resolveConfig({ losses: { l2: { loss: 'reconstruction', norm: 'l3', weight: 1 } } }),
    ).toThrow(/^config\.losses\.l2: .*norm.*l1, l2/);
    expect(() => resolveConfig({ losses: { triplet: { weight: 0, margn: 0.2 } } })).toThrow(
      /^config\.losses\.triplet: .*'margn'/,
    );
    expect(() => resolveConfig({ losses: { regression: { weight: 'high' } } })).toThrow(
      'config.losses.regression.weight is "high": expected a finite number',
    );
    expect(() =>
      resolveConfig({
        critic: { placement: 'none' },
        losses: { identity: null, regression: null, reconstruction: null, 'side-info': null },
      }),
    ).toThrow('config.losses: every loss term is off (weight 0 or null)');
  });

  it('accepts a classification term without a class count (the model sizes it)', () => {
    const c = resolveConfig({ losses: { classification: { weight: 1 } } });
    expect(c.losses.classification).toEqual({ weight: 1 });
  });

  it('names a wrong type inside an array and a wrong section type', () => {
    expect(() => resolveConfig({ sideInfo: { hiddenDims: [8, '16'] } })).toThrow(
      'config.sideInfo.hiddenDims[1] must be an integer >= 1, got "16"',
    );
    expect(() => resolveConfig({ critic: 'wgan-gp' })).toThrow(
      'config.critic must be an object, got "wgan-gp"',
    );
    expect(() => resolveConfig({ losses: { triplet: 0.5 } })).toThrow(
      'config.losses.triplet must be an object, got 0.5',
    );
  });
});
