import { createRng, type FeatureSet } from '@zs-sbir/core';

/**
 * A small synthetic zero-shot problem for tests: `classes` classes, each with a random centre in
 * a `dim`-d visual space; sketches and images of a class are the centre plus a modality offset and
 * noise; side information is a noisy linear map of the centre, so it carries the class structure.
 */
export function syntheticProblem(options: {
  classes: number;
  perClass: number;
  dim: number;
  sideDim: number;
  seed: string;
  noise?: number;
}) {
  const { classes, perClass, dim, sideDim, seed } = options;
  const noise = options.noise ?? 0.6;
  const rng = createRng(seed);
  const centres = Array.from({ length: classes }, () => rng.fill(dim, () => rng.normal()));
  const offset = {
    sketch: rng.fill(dim, () => rng.normal(0, 2)),
    image: rng.fill(dim, () => rng.normal(0, 2)),
  };
  const map = rng.fill(dim * sideDim, () => rng.normal(0, 1 / Math.sqrt(dim)));
  const features = (branch: 'sketch' | 'image', labels: number[]): FeatureSet => {
    const data = new Float32Array(labels.length * dim);
    labels.forEach((c, i) => {
      for (let j = 0; j < dim; j++) {
        data[i * dim + j] = centres[c]![j]! + offset[branch][j]! + rng.normal(0, noise);
      }
    });
    return { data, rows: labels.length, cols: dim, labels: Int32Array.from(labels) };
  };
  const labelsOf = (cs: number[]) => cs.flatMap((c) => Array.from({ length: perClass }, () => c));
  const sideInfo = (cs: number[]) => {
    const out = new Float32Array(cs.length * sideDim);
    cs.forEach((c, i) => {
      for (let k = 0; k < sideDim; k++) {
        let v = 0;
        for (let j = 0; j < dim; j++) v += centres[c]![j]! * map[j * sideDim + k]!;
        out[i * sideDim + k] = v + rng.normal(0, 0.05);
      }
    });
    return out;
  };
  /** Features of classes `cs` with labels re-indexed 0..cs.length-1. */
  const set = (branch: 'sketch' | 'image', cs: number[]) => {
    const f = features(branch, labelsOf(cs));
    f.labels = f.labels.map((l) => cs.indexOf(l));
    return f;
  };
  return { set, sideInfo };
}
