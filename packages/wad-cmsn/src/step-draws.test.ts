import { createRng, initBackend } from '@zs-sbir/core';
import { dropoutMaskValues } from '@zs-sbir/semantic';
import { beforeAll, describe, expect, it } from 'vitest';
import { enginePairSetup } from './engine-pair.testkit.js';
import { identityStats } from './input-stats.js';
import { drawStep } from './step-draws.js';
import { type ModuleLayout, type StepModel, stepModel } from './training-step.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const layout = (hiddenDims: number[], dropout: number): ModuleLayout => ({
  kind: 'mlp',
  init: 'glorot-uniform',
  seed: 0,
  inputDim: 4,
  outputDim: 2,
  hiddenDims,
  activation: 'leaky-relu',
  leakySlope: 0.2,
  dropout,
});
const critic = (lambda: number) => ({ kind: 'wgan-gp' as const, lambda, clip: 0 });

const model = (placement: StepModel['placement']): StepModel => ({
  classes: 3,
  layouts: {
    // projectors drop out after their one hidden layer; the image decoder has no hidden layer
    projectors: { sketch: layout([3], 0.5), image: layout([3], 0.5) },
    decoders: { sketch: layout([2], 0.25), image: layout([], 0.25) },
    encoder: layout([], 0),
    sideDecoder: layout([], 0),
    critics: {},
  },
  placement,
  critics:
    placement === 'semantic'
      ? { sketch: critic(10), image: critic(0) }
      : placement === 'cross-modal'
        ? { 'cross-modal': critic(10) }
        : {},
  criticSteps: 2,
  loss: { compute: () => ({ loss: 0, parts: {} }) as never, trainableVariables: [] },
  stats: { sketch: identityStats(4), image: identityStats(4) },
  unitRows: false,
  sideInfo: new Float32Array(3),
});

describe('drawStep', () => {
  it('draws the critic phase, then the projector update, in the one fixed order', () => {
    const rng = createRng('plan');
    const draws = drawStep(model('semantic'), 3, rng);
    // The same draws by hand: projector masks (sketch, image), the sketch critic's two
    // interpolation weights (the image critic has no penalty), then the update's projector masks
    // and the sketch decoder's (the image decoder has no hidden layer to drop out).
    const hand = createRng('plan');
    const mask = (cols: number, rate: number) => dropoutMaskValues(3, cols, rate, hand);
    const epsilon = () => hand.fill(3, () => hand.next());
    const critic = { projector: { sketch: [mask(3, 0.5)], image: [mask(3, 0.5)] } };
    const updates = { sketch: [epsilon(), epsilon()], image: [undefined, undefined] };
    const main = {
      projector: { sketch: [mask(3, 0.5)], image: [mask(3, 0.5)] },
      decoder: { sketch: [mask(2, 0.25)], image: undefined },
    };
    expect(draws).toEqual({ critic: { ...critic, updates }, main });
    expect(rng.next()).toBe(hand.next());
  });

  it('draws only the projector update without a critic, one critic under cross-modal', () => {
    expect(drawStep(model('none'), 3, createRng('plan')).critic).toBeUndefined();
    const cross = drawStep(model('cross-modal'), 3, createRng('plan')).critic!;
    expect(Object.keys(cross.updates)).toEqual(['cross-modal']);
    expect(cross.updates['cross-modal']).toHaveLength(2);
  });

  it('is what model.trainStep consumes of the generator, draw for draw', () => {
    const { batches, build } = enginePairSetup({
      seed: 'plan-data',
      dim: 6,
      sideDim: 4,
      classes: 3,
      rows: 5,
      batches: 1,
      base: {
        embeddingDim: 3,
        projector: { dropout: 0.3 },
        decoder: { dropout: 0.2, hiddenDims: [4] },
        critic: { steps: 2, placement: 'semantic' },
      },
    });
    const m = build({});
    const stepped = createRng('plan-step');
    m.trainStep(batches[0]!, stepped);
    const drawn = createRng('plan-step');
    drawStep(stepModel(m), 5, drawn);
    expect(stepped.next()).toBe(drawn.next());
    m.dispose();
  });
});
