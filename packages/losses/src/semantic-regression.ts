import { oneOfSchema } from '@zs-sbir/core';
import * as v from 'valibot';
import { labelsOf, need } from './context.js';
import { gatherRowsOf } from './gather-rows.js';
import { type Loss, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';
import { elementwiseError, REDUCTIONS } from './reduce.js';
import { sumOverModalities } from './sum-over-modalities.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const REGRESSION_OPTIONS = v.strictObject({
  reduction: v.optional(oneOfSchema(REDUCTIONS), 'mean'),
});

/** Options of {@link semanticRegressionLoss}. */
export type SemanticRegressionOptions = v.InferInput<typeof REGRESSION_OPTIONS>;

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
  const o = readOptions('regression', options, REGRESSION_OPTIONS);
  return makeLoss('regression', o, (ops, ctx) => {
    const prototypes = need('regression', ctx, 'prototypes', '[classes, d]');
    const embeddings = need('regression', ctx, 'embeddings', '{ sketch?, image? } of [batch, d]');
    return sumOverModalities(ops, 'regression', 'embeddings', embeddings, (m, z) =>
      elementwiseError(
        ops,
        z,
        gatherRowsOf(ops, prototypes, labelsOf('regression', ctx, m)),
        'l2',
        o.reduction,
      ),
    );
  });
}
