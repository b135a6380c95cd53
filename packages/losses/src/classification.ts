import { integerSchema, seedSchema } from '@zs-sbir/core';
import { createMlp, mlpForward } from '@zs-sbir/semantic';
import * as v from 'valibot';
import { labelsOf, need } from './context.js';
import { softmaxCrossEntropy } from './cross-entropy.js';
import { type Loss, makeLoss } from './loss.js';
import { readOptions } from './read-options.js';
import { sumOverModalities } from './sum-over-modalities.js';

/** The schema (valibot) of this loss's options: names, types, ranges and defaults. */
export const CLASSIFICATION_OPTIONS = v.strictObject({
  classes: integerSchema({ min: 2 }),
  inputDim: v.optional(integerSchema(), 64),
  seed: v.optional(seedSchema(), 'classification'),
});

/** Options of {@link classificationLoss}; `classes` is required. */
export type ClassificationOptions = v.InferInput<typeof CLASSIFICATION_OPTIONS>;

/**
 * Classification with a learned classifier (registry name `classification`): a linear layer
 * `W [d, classes]`, `b [classes]`, owned by the loss and shared by both modalities, scores each
 * embedding, `L_m = mean_i -log softmax(z_i W + b)[y_i]`, summed over the modalities present.
 *
 * The plain-classification ablation of identity matching (SEM-PCYC and SAKE train with a
 * classification loss on seen classes). Options: `classes` (required), `inputDim = 64` (`d`),
 * `seed = 'classification'` (Glorot-uniform init). Train `loss.trainableVariables` with the
 * projectors; `loss.dispose()` frees them. Context: `embeddings`, `labels`. Gradients reach the
 * embeddings and the classifier. Parts: per modality.
 */
export function classificationLoss(options: ClassificationOptions): Loss {
  const o = readOptions('classification', options, CLASSIFICATION_OPTIONS);
  const classifier = createMlp({ inputDim: o.inputDim, outputDim: o.classes, seed: o.seed });
  return makeLoss(
    'classification',
    o,
    (ops, ctx) => {
      const embeddings = need(
        'classification',
        ctx,
        'embeddings',
        '{ sketch?, image? } of [batch, d]',
      );
      const weights = classifier.trainableVariables.map((w) => ops.variable(w));
      return sumOverModalities(ops, 'classification', 'embeddings', embeddings, (m, z) =>
        softmaxCrossEntropy(
          ops,
          mlpForward(ops, classifier.config, weights, z),
          labelsOf('classification', ctx, m),
        ),
      );
    },
    { trainableVariables: classifier.trainableVariables, dispose: classifier.dispose },
  );
}
