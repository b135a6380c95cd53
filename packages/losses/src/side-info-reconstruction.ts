import { oneOfSchema } from '@zs-sbir/core';
import * as v from 'valibot';
import { need } from './context.js';
import { type Loss, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';
import { elementwiseError, NORMS, REDUCTIONS } from './reduce.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const SIDE_INFO_OPTIONS = v.strictObject({
  norm: v.optional(oneOfSchema(NORMS), 'l2'),
  reduction: v.optional(oneOfSchema(REDUCTIONS), 'mean'),
});

/** Options of {@link sideInfoLoss}. */
export type SideInfoOptions = v.InferInput<typeof SIDE_INFO_OPTIONS>;

/**
 * Side-information autoencoder (registry name `side-info`): the prototypes must keep the side
 * information, `L = reduce((dec(E_se(s)) - s)^2)` (`norm = 'l2'`, default) or `reduce(|...|)`.
 *
 * Defaults `norm = 'l2'`, `reduction = 'mean'`, after SEM-PCYC's semantic autoencoder (Dutta &
 * Akata, CVPR 2019). Context: `sideInfo` `{ input, reconstruction }`, `[classes, D_s]`. Gradients
 * reach the reconstruction. No parts.
 */
export function sideInfoLoss(options: SideInfoOptions = {}): Loss {
  const o = readOptions('side-info', options, SIDE_INFO_OPTIONS);
  return makeLoss('side-info', o, (ops, ctx) => {
    const s = need('side-info', ctx, 'sideInfo', '{ input, reconstruction } of [classes, D_s]');
    return {
      loss: elementwiseError(ops, s.reconstruction, s.input, o.norm, o.reduction),
      parts: {},
    };
  });
}
