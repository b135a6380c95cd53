/**
 * How embeddings are compared (higher = more similar):
 * - `cosine`: q·g / (|q| |g|); 0 when either vector is all zeros.
 * - `dot`: q·g.
 * - `euclidean`: -|q - g| (SAKE and ZSE-SBIR rank by `-cdist`).
 * - `exp-euclidean`: exp(-|q - g|) (SEM-PCYC).
 * - `inverse-euclidean`: 1 / (1 + |q - g|) (Doodle2Search).
 *
 * The three Euclidean forms rank identically; they differ only where the transform rounds two
 * distances to the same score (a tie for the `sklearn` protocol).
 */
export type Similarity = 'cosine' | 'dot' | 'euclidean' | 'exp-euclidean' | 'inverse-euclidean';

/** Every {@link Similarity} name. */
export const SIMILARITIES: readonly Similarity[] = [
  'cosine',
  'dot',
  'euclidean',
  'exp-euclidean',
  'inverse-euclidean',
];

/**
 * Squared L2 norm of each row of a row-major `[rows, dim]` matrix, summed in the same order as
 * the dot-product kernel (even and odd dimensions apart, then added), so |q|² + |q|² - 2 q·q is
 * exactly 0.
 */
export function rowNormsSquared(data: Float32Array, rows: number, dim: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let even = 0;
    let odd = 0;
    const start = r * dim;
    let k = 0;
    for (; k + 1 < dim; k += 2) {
      const v = data[start + k]!;
      const w = data[start + k + 1]!;
      even += v * v;
      odd += w * w;
    }
    if (k < dim) even += data[start + k]! * data[start + k]!;
    out[r] = even + odd;
  }
  return out;
}

/**
 * Cosine similarity from a float64 dot product, the query's norm and the gallery item's squared
 * norm; 0 when either vector is all zeros. Every path computes cosine scores with this function.
 */
export function cosineFromDot(dot: number, queryNorm: number, galleryNormSq: number): number {
  const norm = queryNorm * Math.sqrt(galleryNormSq);
  return norm === 0 ? 0 : dot / norm;
}

/**
 * Turns dot products `out` `[queryRows, galleryRows]` (summed in float64) into `similarity`
 * scores, in place. Euclidean distances come from |q|² + |g|² - 2 q·g, clamped at 0.
 *
 * @param queries row-major `[queryRows, dim]`, for their norms.
 * @param galleryNormsSq `[galleryRows]` from {@link rowNormsSquared}.
 */
export function dotsToSimilarity(
  similarity: Similarity,
  queries: Float32Array,
  queryRows: number,
  dim: number,
  galleryNormsSq: Float64Array,
  out: Float64Array,
): void {
  const n = galleryNormsSq.length;
  if (similarity === 'dot') return;
  const queryNormsSq = rowNormsSquared(queries, queryRows, dim);
  for (let i = 0; i < queryRows; i++) {
    const qq = queryNormsSq[i]!;
    const row = out.subarray(i * n, (i + 1) * n);
    if (similarity === 'cosine') {
      const qn = Math.sqrt(qq);
      for (let j = 0; j < n; j++) row[j] = cosineFromDot(row[j]!, qn, galleryNormsSq[j]!);
    } else if (similarity === 'euclidean') {
      for (let j = 0; j < n; j++)
        row[j] = -Math.sqrt(Math.max(qq + galleryNormsSq[j]! - 2 * row[j]!, 0));
    } else if (similarity === 'exp-euclidean') {
      for (let j = 0; j < n; j++) {
        row[j] = Math.exp(-Math.sqrt(Math.max(qq + galleryNormsSq[j]! - 2 * row[j]!, 0)));
      }
    } else {
      for (let j = 0; j < n; j++) {
        row[j] = 1 / (1 + Math.sqrt(Math.max(qq + galleryNormsSq[j]! - 2 * row[j]!, 0)));
      }
    }
  }
}
