import type { Matrix } from '@zs-sbir/io';

/**
 * Indices of the `k` gallery rows most similar (dot product; cosine for L2-normalised rows) to
 * query row `q`, best first, ties in gallery order.
 */
export function topResults(queries: Matrix, gallery: Matrix, q: number, k: number): number[] {
  const d = queries.cols;
  const scores = new Float64Array(gallery.rows);
  for (let g = 0; g < gallery.rows; g++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += queries.data[q * d + j]! * gallery.data[g * d + j]!;
    scores[g] = s;
  }
  return Array.from(scores.keys())
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

/**
 * Picks up to `count` queries for a retrieval figure: the first query of each of the first
 * `count` classes in label order, so the figure shows different classes.
 */
export function pickQueries(labels: Int32Array, count: number): number[] {
  const first = new Map<number, number>();
  labels.forEach((l, i) => {
    if (!first.has(l)) first.set(l, i);
  });
  return [...first.entries()]
    .sort((a, b) => a[0] - b[0])
    .slice(0, count)
    .map(([, i]) => i);
}
