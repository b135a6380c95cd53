import { need } from './context.js';
import { type Loss, makeLoss } from './loss.js';
import { type OptionSpec, type ResolvedOptions, readOptions } from './read-options.js';
import { elementwiseError, NORMS, REDUCTIONS } from './reduce.js';

const SPEC = {
  norm: { type: 'enum', values: NORMS, default: 'l2' },
  reduction: { type: 'enum', values: REDUCTIONS, default: 'mean' },
} as const satisfies Record<string, OptionSpec>;

/** Options of {@link sideInfoLoss}. */
export type SideInfoOptions = Partial<ResolvedOptions<typeof SPEC>>;

/**
 * Side-information autoencoder (registry name `side-info`): the prototypes must keep the side
 * information, `L = reduce((dec(E_se(s)) - s)^2)` (`norm = 'l2'`, default) or `reduce(|...|)`.
 *
 * Defaults `norm = 'l2'`, `reduction = 'mean'`, after SEM-PCYC's semantic autoencoder (Dutta &
 * Akata, CVPR 2019). Context: `sideInfo` `{ input, reconstruction }`, `[classes, D_s]`. Gradients
 * reach the reconstruction. No parts.
 */
export function sideInfoLoss(options: SideInfoOptions = {}): Loss {
  const o = readOptions('side-info', options, SPEC);
  return makeLoss('side-info', o, (ctx) => {
    const s = need('side-info', ctx, 'sideInfo', '{ input, reconstruction } of [classes, D_s]');
    return { loss: elementwiseError(s.reconstruction, s.input, o.norm, o.reduction), parts: {} };
  });
}
