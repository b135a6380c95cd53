import { ExperimentError } from '../experiment/experiment-error.js';

/** One side (queries or gallery) of an evaluation, with the names its errors use. */
export interface EvalSide {
  /** Embedding rows. */
  rows: number;
  /** `[labels.length]` class of each row (checked against `rows`). */
  labels: Int32Array;
  /** The embeddings as the user named them, e.g. `--queries q.npy`. */
  source: string;
  /** The labels as the user named them, e.g. `--query-labels ql.npy`. */
  labelSource: string;
}

/** How many distinct labels an error lists before `…`. */
const LISTED = 5;

/** `3, 4, 5` or `0, 1, 2, 3, 4, … (12 classes)`: the distinct labels, ascending. */
function listLabels(labels: Int32Array): string {
  const distinct = [...new Set(labels)].sort((a, b) => a - b);
  const shown = distinct.slice(0, LISTED).join(', ');
  return distinct.length > LISTED ? `${shown}, … (${distinct.length} classes)` : shown;
}

/**
 * Checks, before anything is evaluated, that an evaluation can give a meaningful score: each side
 * has at least one row, one label per row, and at least one query label occurs among the gallery
 * labels (otherwise every query has no relevant item and every metric is 0 or NaN). Queries
 * whose class alone is missing from the gallery are allowed: the report counts them
 * (`counts.queriesWithoutRelevant`).
 *
 * @throws ExperimentError naming the file (`source` / `labelSource`) and what was expected.
 */
export function checkEvalInputs(queries: EvalSide, gallery: EvalSide): void {
  for (const [side, what] of [
    [queries, 'query'],
    [gallery, 'gallery'],
  ] as const) {
    if (side.rows === 0) {
      throw new ExperimentError(
        `${side.source}: holds 0 rows; expected at least one ${what} embedding`,
      );
    }
    if (side.labels.length !== side.rows) {
      throw new ExperimentError(
        `${side.labelSource}: holds ${side.labels.length} labels; expected ${side.rows}, one per row of ${side.source}`,
      );
    }
  }
  const galleryClasses = new Set(gallery.labels);
  if (!queries.labels.some((label) => galleryClasses.has(label))) {
    throw new ExperimentError(
      `${queries.labelSource} and ${gallery.labelSource} share no class (query labels ${listLabels(queries.labels)}; gallery labels ${listLabels(gallery.labels)}); expected the queries' classes among the gallery's, otherwise no query has a relevant item and every score is 0 or NaN`,
    );
  }
}
