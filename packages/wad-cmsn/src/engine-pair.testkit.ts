import { createRng } from '@zs-sbir/core';
import { featureStats } from './input-stats.js';
import { createWadCmsn, type TrainBatch, type WadCmsn } from './wad-cmsn.js';

/** Sizes and draws of {@link enginePairSetup}. */
export interface EnginePairOptions {
  /** Seed of every draw (side information, then the batches in order). */
  seed: string;
  dim: number;
  sideDim: number;
  classes: number;
  /** Rows per batch (keep it odd: see onnx-trainer.test.ts). */
  rows: number;
  batches: number;
  /** Config keys every model of the setup gets, under each test's own. */
  base: object;
}

/**
 * Random class-paired batches and a `build(config)` for comparing the two training engines on
 * one model: sketches ~ N(1, 2), images ~ N(-1, 0.5), row i of class `3i mod classes`, input
 * statistics from the first batch. `variables(model)` lists every trainable variable (main, then
 * critics) in a fixed order.
 */
export function enginePairSetup(o: EnginePairOptions) {
  const { dim, sideDim, classes, rows } = o;
  const data = createRng(o.seed);
  const sideInfo = data.fill(classes * sideDim, () => data.normal());
  const batches: TrainBatch[] = Array.from({ length: o.batches }, () => ({
    sketch: data.fill(rows * dim, () => data.normal(1, 2)),
    image: data.fill(rows * dim, () => data.normal(-1, 0.5)),
    labels: Int32Array.from({ length: rows }, (_, i) => (i * 3) % classes),
  }));
  const stats = {
    sketch: featureStats({ data: batches[0]!.sketch, rows, cols: dim }),
    image: featureStats({ data: batches[0]!.image, rows, cols: dim }),
  };
  const build = (config: object) =>
    createWadCmsn(
      { ...o.base, ...config },
      { visualDim: dim, sideInfoDim: sideDim, sideInfo, stats },
    );
  const variables = (model: WadCmsn) => [
    ...model.mainVariables,
    ...Object.values(model.networks.critics).flatMap((c) => c!.trainableVariables),
  ];
  return { batches, build, variables, classes };
}
