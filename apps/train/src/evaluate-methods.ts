import { createRng, type FeatureSet, type Matrix } from '@zs-sbir/core';
import type { RetrievalSet } from '@zs-sbir/eval';
import { evaluateRetrieval, type Protocol, type RetrievalReport } from '@zs-sbir/metrics';
import type { WadCmsn } from '@zs-sbir/wad-cmsn';

/** Cut-offs every comparison reports: P@100, P@200, mAP@100, mAP@200. */
export const KS = [100, 200];

/** Common settings of every evaluation in a comparison. */
export interface EvaluationContext {
  protocol: Protocol;
  classNames: string[];
}

/** Evaluates embeddings of a retrieval set by cosine similarity. */
export function evaluateCosine(
  queries: Matrix,
  gallery: Matrix,
  set: RetrievalSet,
  ctx: EvaluationContext,
): Promise<RetrievalReport> {
  return evaluateRetrieval({
    queries,
    gallery,
    queryLabels: set.queries.labels,
    galleryLabels: set.gallery.labels,
    similarity: 'cosine',
    protocol: ctx.protocol,
    ks: KS,
    classNames: ctx.classNames,
  });
}

/** Chance level: the same evaluation on seeded uniform random scores. */
export function evaluateChance(
  set: RetrievalSet,
  ctx: EvaluationContext,
  seed = 0,
): Promise<RetrievalReport> {
  const rng = createRng(`chance/${seed}`);
  const rows = set.queries.rows;
  const cols = set.gallery.rows;
  return evaluateRetrieval({
    scores: { data: rng.fill(rows * cols), rows, cols },
    queryLabels: set.queries.labels,
    galleryLabels: set.gallery.labels,
    protocol: ctx.protocol,
    ks: KS,
    classNames: ctx.classNames,
  });
}

/** Column means of `f`. */
function columnMean(f: Matrix): Float32Array {
  const mean = new Float64Array(f.cols);
  for (let r = 0; r < f.rows; r++)
    for (let c = 0; c < f.cols; c++) mean[c]! += f.data[r * f.cols + c]!;
  return Float32Array.from(mean, (v) => v / Math.max(1, f.rows));
}

/** `f` minus `mean` in every row. */
export function centred(f: FeatureSet, mean: Float32Array): Matrix {
  const data = f.data.slice();
  for (let r = 0; r < f.rows; r++)
    for (let c = 0; c < f.cols; c++) data[r * f.cols + c]! -= mean[c]!;
  return { data, rows: f.rows, cols: f.cols };
}

/**
 * The training-free baseline: each modality's features minus that modality's mean over the
 * training set (seen classes), compared by cosine. Removing the domain offset alone helps
 * cross-modal retrieval.
 */
export function evaluateCentred(
  train: { sketches: FeatureSet; images: FeatureSet },
  set: RetrievalSet,
  ctx: EvaluationContext,
): Promise<RetrievalReport> {
  return evaluateCosine(
    centred(set.queries, columnMean(train.sketches)),
    centred(set.gallery, columnMean(train.images)),
    set,
    ctx,
  );
}

/** A trained model's embeddings of a retrieval set. */
export function embedSet(model: WadCmsn, set: RetrievalSet): { queries: Matrix; gallery: Matrix } {
  const d = model.config.embeddingDim;
  return {
    queries: { data: model.embed('sketch', set.queries), rows: set.queries.rows, cols: d },
    gallery: { data: model.embed('image', set.gallery), rows: set.gallery.rows, cols: d },
  };
}
