import { labelsOf, need } from './context.js';
import { gatherRows } from './gather-rows.js';
import { type Loss, makeLoss } from './loss.js';
import { type OptionSpec, type ResolvedOptions, readOptions } from './read-options.js';
import { elementwiseError, REDUCTIONS } from './reduce.js';
import { sumOverModalities } from './sum-over-modalities.js';

const SPEC = {
  reduction: { type: 'enum', values: REDUCTIONS, default: 'mean' },
} as const satisfies Record<string, OptionSpec>;

/** Options of {@link semanticRegressionLoss}. */
export type SemanticRegressionOptions = Partial<ResolvedOptions<typeof SPEC>>;

/**
 * Semantic regression (registry name `regression`): each embedding regresses onto its own class
 * prototype, `L_m = reduce((z_i - p_{y_i})^2)`, summed over the modalities present.
 *
 * Default `reduction = 'mean'` (mean over elements, as the MSE SEM-PCYC weights by 0.1;
 * `'sum-features'` gives `mean_i ||z_i - p_{y_i}||^2`). Source: SEM-PCYC's semantic regression
 * (Dutta & Akata, CVPR 2019). Context: `embeddings`, `labels`, `prototypes`. Gradients reach the
 * embeddings and the prototypes. Parts: per modality.
 */
export function semanticRegressionLoss(options: SemanticRegressionOptions = {}): Loss {
  const o = readOptions('regression', options, SPEC);
  return makeLoss('regression', o, (ctx) => {
    const prototypes = need('regression', ctx, 'prototypes', '[classes, d]');
    const embeddings = need('regression', ctx, 'embeddings', '{ sketch?, image? } of [batch, d]');
    return sumOverModalities('regression', 'embeddings', embeddings, (m, z) =>
      elementwiseError(
        z,
        gatherRows(prototypes, labelsOf('regression', ctx, m)),
        'l2',
        o.reduction,
      ),
    );
  });
}
