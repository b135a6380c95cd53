import { createRng } from '@zs-sbir/core';
import type { FeatureSet } from '@zs-sbir/io';
import { featureStats } from './input-stats.js';
import { createWadCmsn } from './wad-cmsn.js';

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

/**
 * A ready training setup on {@link syntheticProblem} (`classes` classes of 12 samples in 24-d,
 * 10-d side information): the first `seen` classes train, the rest validate, and `build(config)`
 * makes a model for it with input statistics from the training features.
 */
export function syntheticSetup(seed: string, { classes = 10, seen = 6 } = {}) {
  const dim = 24;
  const sideDim = 10;
  const problem = syntheticProblem({ classes, perClass: 12, dim, sideDim, seed });
  const seenClasses = Array.from({ length: seen }, (_, i) => i);
  const heldOut = Array.from({ length: classes - seen }, (_, i) => seen + i);
  const train = {
    sketches: problem.set('sketch', seenClasses),
    images: problem.set('image', seenClasses),
  };
  const validation = {
    queries: problem.set('sketch', heldOut),
    gallery: problem.set('image', heldOut),
  };
  const sideInfo = problem.sideInfo(seenClasses);
  const build = (config: object) =>
    createWadCmsn(config, {
      visualDim: dim,
      sideInfoDim: sideDim,
      sideInfo,
      stats: { sketch: featureStats(train.sketches), image: featureStats(train.images) },
    });
  return { dim, sideDim, problem, train, validation, sideInfo, build };
}
