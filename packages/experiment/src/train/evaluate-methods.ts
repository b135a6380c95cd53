import { createRng } from '@zs-sbir/core';
import type { FeatureSet, Matrix } from '@zs-sbir/io';
import {
  evaluateRetrieval,
  type Protocol,
  type RetrievalReport,
  type Similarity,
} from '@zs-sbir/metrics';
import { normalisationStats, type WadCmsn } from '@zs-sbir/wad-cmsn';
import type { RetrievalSet } from '../experiment/partition.js';
import { DEFAULT_KS as KS } from '../report/default-ks.js';

/** Common settings of every evaluation in a comparison. */
export interface EvaluationContext {
  protocol: Protocol;
  classNames: string[];
}

/**
 * Evaluates embeddings of a retrieval set: `queries` `[set.queries.rows, d]` and `gallery`
 * `[set.gallery.rows, d]`, labelled by the set, compared with `similarity` (default cosine).
 */
export function evaluateEmbeddings(
  queries: Matrix,
  gallery: Matrix,
  set: RetrievalSet,
  ctx: EvaluationContext,
  similarity: Similarity = 'cosine',
): Promise<RetrievalReport> {
  return evaluateRetrieval({
    queries,
    gallery,
    queryLabels: set.queries.labels,
    galleryLabels: set.gallery.labels,
    similarity,
    protocol: ctx.protocol,
    ks: KS,
    classNames: ctx.classNames,
  });
}

/**
 * Chance level: the same evaluation on seeded random 16-d embeddings, so memory stays bounded
 * (query blocks) whatever the size of the test set.
 */
export function evaluateChance(
  set: RetrievalSet,
  ctx: EvaluationContext,
  seed = 0,
): Promise<RetrievalReport> {
  const rng = createRng(`chance/${seed}`);
  const random = (rows: number): Matrix => ({
    data: rng.fill(rows * 16, () => rng.normal()),
    rows,
    cols: 16,
  });
  return evaluateEmbeddings(random(set.queries.rows), random(set.gallery.rows), set, ctx);
}

/** `f` minus `mean` in every row. */
function minus(f: FeatureSet, mean: Float32Array): Matrix {
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
  return evaluateEmbeddings(
    minus(set.queries, normalisationStats('centre', train.sketches).mean),
    minus(set.gallery, normalisationStats('centre', train.images).mean),
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
