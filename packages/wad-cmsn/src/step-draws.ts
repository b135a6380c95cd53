import type { Rng } from '@zs-sbir/core';
import { type CriticName, criticNames } from '@zs-sbir/critic';
import { dropoutMaskValues } from '@zs-sbir/semantic';
import type { BranchMasks, ModuleLayout, PerBranch, StepModel } from './training-step.js';

/**
 * The random values of one training step, drawn in the step's order, which is also the order
 * every engine runs it in: the critic phase (projector masks, then each critic's updates), then
 * the projector update (projector masks, then decoder masks).
 */
export interface StepDraws {
  /** Absent under placement `none`. */
  critic?: {
    /** Dropout masks of the critic phase's projection, sketch then image. */
    projector: BranchMasks<Float32Array>;
    /**
     * Per critic (in `criticNames` order), one entry per update (`criticSteps` of them): the
     * gradient penalty's interpolation weights `[rows]`, or undefined when it has no penalty.
     */
    updates: Partial<Record<CriticName, (Float32Array | undefined)[]>>;
  };
  /** The projector update's dropout masks. */
  main: { projector: BranchMasks<Float32Array>; decoder: BranchMasks<Float32Array> };
}

/** Whether a module draws dropout masks in training (a positive rate and hidden layers). */
export const dropsOut = (layout: ModuleLayout): boolean =>
  layout.dropout > 0 && layout.hiddenDims.length > 0;

const masks = (layouts: PerBranch<ModuleLayout>, rows: number, rng: Rng) => {
  const draw = (l: ModuleLayout) =>
    dropsOut(l) ? l.hiddenDims.map((w) => dropoutMaskValues(rows, w, l.dropout, rng)) : undefined;
  return { sketch: draw(layouts.sketch), image: draw(layouts.image) }; // sketch first
};

/**
 * Draws everything one training step of `model` on `rows` samples needs from `rng`: both
 * engines call it, so they consume `rng` identically and train the same model from one seed.
 * Masks come from `dropoutMaskValues`, interpolation weights from `rng.next()` (one per row).
 */
export function drawStep(model: StepModel, rows: number, rng: Rng): StepDraws {
  let critic: StepDraws['critic'];
  if (model.placement !== 'none') {
    const projector = masks(model.layouts.projectors, rows, rng);
    const updates: NonNullable<StepDraws['critic']>['updates'] = {};
    for (const name of criticNames(model.placement)) {
      const penalised = model.critics[name]!.lambda > 0;
      updates[name] = Array.from({ length: model.criticSteps }, () =>
        penalised ? rng.fill(rows, () => rng.next()) : undefined,
      );
    }
    critic = { projector, updates };
  }
  const projector = masks(model.layouts.projectors, rows, rng);
  const decoder = masks(model.layouts.decoders, rows, rng);
  return { ...(critic ? { critic } : {}), main: { projector, decoder } };
}
