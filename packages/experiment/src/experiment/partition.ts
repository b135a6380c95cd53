import type { Split } from '@zs-sbir/core';
import { labelIndices } from '@zs-sbir/data';
import type { FeatureSet } from '@zs-sbir/io';
import { ExperimentError } from './experiment-error.js';
import type { ExperimentFeatures } from './experiment-features.js';

/** Queries and gallery of one evaluation (labels: dataset class indices). */
export interface RetrievalSet {
  queries: FeatureSet;
  gallery: FeatureSet;
}

/** An experiment's features cut along its split. */
export interface Partition {
  /** Seen classes, in split order; train labels index this list. */
  seen: string[];
  /** Training sketches and images (gallery designs plus views) of the seen classes. */
  train: { sketches: FeatureSet; images: FeatureSet };
  /** Held-out seen classes: their sketches against their gallery images. */
  validation: RetrievalSet;
  /** Unseen classes: their sketches against their gallery images. */
  test: RetrievalSet;
}

/** The rows of `f` whose label is in `keep`, relabelled by `relabel` (default: unchanged). */
export function selectRows(
  f: FeatureSet,
  keep: Set<number>,
  relabel?: Map<number, number>,
): FeatureSet {
  const rows: number[] = [];
  for (let i = 0; i < f.rows; i++) if (keep.has(f.labels[i]!)) rows.push(i);
  const data = new Float32Array(rows.length * f.cols);
  const labels = new Int32Array(rows.length);
  const paths = f.paths ? ([] as string[]) : undefined;
  rows.forEach((r, i) => {
    data.set(f.data.subarray(r * f.cols, (r + 1) * f.cols), i * f.cols);
    labels[i] = relabel ? relabel.get(f.labels[r]!)! : f.labels[r]!;
    if (paths) paths.push(f.paths![r]!);
  });
  return { data, rows: rows.length, cols: f.cols, labels, ...(paths ? { paths } : {}) };
}

function concat(a: FeatureSet, b: FeatureSet): FeatureSet {
  if (b.rows === 0) return a;
  const data = new Float32Array((a.rows + b.rows) * a.cols);
  data.set(a.data);
  data.set(b.data, a.data.length);
  const labels = new Int32Array(a.rows + b.rows);
  labels.set(a.labels);
  labels.set(b.labels, a.rows);
  return { data, rows: a.rows + b.rows, cols: a.cols, labels };
}

/**
 * Cuts features along a split: training data of the seen classes (labels re-indexed to the
 * order of `split.seen`), validation on the held-out seen classes, test on the unseen classes
 * (labels stay dataset class indices). Training images are the seen classes' gallery images
 * plus their augmented views; evaluation galleries hold each image once and never a view.
 *
 * @throws ExperimentError when a split class has no sketch or no image.
 */
export function partition(
  classes: string[],
  split: Split,
  features: ExperimentFeatures,
): Partition {
  const seenIdx = labelIndices(classes, split.seen);
  const relabel = new Map(seenIdx.map((c, i) => [c, i]));
  const seenSet = new Set(seenIdx);
  const valSet = new Set(labelIndices(classes, split.validation));
  const testSet = new Set(labelIndices(classes, split.unseen));
  const out: Partition = {
    seen: split.seen,
    train: {
      sketches: selectRows(features.sketch, seenSet, relabel),
      images: concat(
        selectRows(features.image, seenSet, relabel),
        selectRows(features.views, seenSet, relabel),
      ),
    },
    validation: {
      queries: selectRows(features.sketch, valSet),
      gallery: selectRows(features.image, valSet),
    },
    test: {
      queries: selectRows(features.sketch, testSet),
      gallery: selectRows(features.image, testSet),
    },
  };
  const lacking = (set: FeatureSet) => {
    const present = new Set(set.labels);
    return split.seen.filter((_, i) => !present.has(i));
  };
  const missing = [...new Set([...lacking(out.train.sketches), ...lacking(out.train.images)])];
  if (missing.length > 0) {
    throw new ExperimentError(
      `seen classes without sketch or image features: ${missing.join(', ')}`,
    );
  }
  return out;
}
