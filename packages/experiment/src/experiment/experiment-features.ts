import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  type Backbone,
  type ExtractProgress,
  extractFeatures,
  sampleStamps,
} from '@zs-sbir/backbones';
import type { Sample } from '@zs-sbir/core';
import type { FeatureSet } from '@zs-sbir/io';
import type { Experiment } from './open-experiment.js';

/** Backbone features of every sketch, gallery image and training view of an experiment. */
export interface ExperimentFeatures {
  sketch: FeatureSet;
  image: FeatureSet;
  /** Features of the augmented training views (empty when there are none). */
  views: FeatureSet;
}

/** Options of {@link experimentFeatures}. */
export interface ExperimentFeaturesOptions {
  /** Root of the feature caches; a store per dataset content, backbone and input size. */
  cacheDir: string;
  batchSize?: number;
  workers?: number;
  onProgress?: (stage: 'sketch' | 'image' | 'views', progress: ExtractProgress) => void;
  signal?: AbortSignal;
}

/**
 * A short key of the backbone (network, weights, layers, engine, normalisation) and the samples
 * (each file's label, path, size and modification time), so different contents get different
 * stores: a file replaced in place, or another engine, gets a new store, and the old one is left
 * as it was (`extractFeatures` never has to replace one).
 */
async function contentKey(backbone: Backbone, samples: readonly Sample[]): Promise<string> {
  const h = createHash('sha256');
  h.update(`${backbone.name}|${backbone.inputSize}|${backbone.weights}|`);
  if (backbone.layers) h.update(`${backbone.layers.join('+')}|`);
  h.update(`${backbone.engine}|${backbone.normalisation}|`);
  const stamps = await sampleStamps(samples);
  for (const [i, s] of samples.entries()) h.update(`${s.label}\t${s.path}\t${stamps[i]}\n`);
  return h.digest('hex').slice(0, 16);
}

const empty = (cols: number): FeatureSet => ({
  data: new Float32Array(0),
  rows: 0,
  cols,
  labels: new Int32Array(0),
});

/**
 * Extracts (or reads from the cache) the backbone features of an experiment's sketches, gallery
 * images and training views. Every class is extracted, whatever the split, so another split of
 * the same data reuses the cache; an interrupted extraction resumes where it stopped.
 */
export async function experimentFeatures(
  experiment: Experiment,
  backbone: Backbone,
  options: ExperimentFeaturesOptions,
): Promise<ExperimentFeatures> {
  // The dataset's store and the views' store are keyed apart: another split of the same data
  // changes the views (they cover the seen classes) but reuses the sketches' and images' features.
  const root = join(options.cacheDir, 'features', experiment.name);
  const { sketches, images } = experiment.dataset;
  const tag = `${backbone.name}-${backbone.inputSize}`;
  const datasetDir = join(root, `${tag}-${await contentKey(backbone, [...sketches, ...images])}`);
  const viewsDir = join(root, `views-${tag}-${await contentKey(backbone, experiment.trainViews)}`);
  const common = {
    datasetName: experiment.name,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const main = await extractFeatures(experiment.dataset, backbone, {
    ...common,
    cacheDir: datasetDir,
    onProgress: (p) => options.onProgress?.(p.modality, p),
  });
  let views = empty(backbone.outputDim);
  if (experiment.trainViews.length > 0) {
    const extracted = await extractFeatures(
      {
        classes: experiment.dataset.classes,
        sketches: [],
        images: experiment.trainViews,
        skipped: [],
      },
      backbone,
      {
        ...common,
        cacheDir: viewsDir,
        modalities: ['image'],
        onProgress: (p) => options.onProgress?.('views', p),
      },
    );
    views = extracted.image!;
  }
  return { sketch: main.sketch!, image: main.image!, views };
}
