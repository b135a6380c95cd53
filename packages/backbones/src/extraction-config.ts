import type { FeatureManifest, ImageOptions } from '@zs-sbir/data';
import type { Backbone } from './backbone.js';

/** How one modality's files become network inputs (size and normalisation come from the backbone). */
export type PipelineOptions = Omit<ImageOptions, 'size' | 'normalisation'>;

/**
 * What features depend on besides the samples: with another one, the features are of another
 * kind (not a newer version of the same). Recorded in each feature store's manifest as
 * `extra.config`.
 */
export interface ExtractionConfig {
  backbone: string;
  engine: string;
  weights: string;
  /** The layers read, or `null` for a network's fixed feature output. */
  layers: readonly string[] | null;
  inputSize: number;
  outputDim: number;
  normalisation: string;
  pipeline: PipelineOptions;
  /** The split whose classes were kept, or `null` for every class: another selection of samples. */
  split: string | null;
}

/** The configuration a backbone, a pipeline and a split (its name, if any) extract with. */
export function extractionConfig(
  backbone: Backbone,
  pipeline: PipelineOptions,
  split: string | null,
): ExtractionConfig {
  return {
    backbone: backbone.name,
    engine: backbone.engine,
    weights: backbone.weights,
    layers: backbone.layers ?? null,
    inputSize: backbone.inputSize,
    outputDim: backbone.outputDim,
    normalisation: backbone.normalisation,
    pipeline,
    split,
  };
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The configuration a store's manifest records. Stores written before `extra.config` existed give
 * what their manifest shows (backbone, input size, dimension, split, and the weights,
 * normalisation and pipeline in `extra`); the fields they do not show are left out, and so are
 * not compared.
 */
export function recordedConfig(manifest: FeatureManifest): Partial<ExtractionConfig> {
  const extra = manifest.extra ?? {};
  if (isRecord(extra.config)) return extra.config as Partial<ExtractionConfig>;
  const known: Partial<ExtractionConfig> = {
    backbone: manifest.backbone,
    inputSize: manifest.inputSize,
    outputDim: manifest.cols,
    split: manifest.split ?? null,
  };
  if (typeof extra.weights === 'string') known.weights = extra.weights;
  if (typeof extra.normalisation === 'string') known.normalisation = extra.normalisation;
  if (isRecord(extra.pipeline)) known.pipeline = extra.pipeline as PipelineOptions;
  return known;
}

/** JSON with each object's keys sorted, so `{ fit, invert }` and `{ invert, fit }` compare equal. */
const show = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  ) ?? 'none';

/**
 * Where a recorded configuration differs from the one of this run, one phrase a field, e.g.
 * `weights "random (seed 2)" there, "random (seed 3)" here`; empty when every recorded field
 * agrees. Fields the record lacks are not compared.
 */
export function configDifferences(
  there: Partial<ExtractionConfig>,
  here: ExtractionConfig,
): string[] {
  const differences: string[] = [];
  for (const key of Object.keys(here) as (keyof ExtractionConfig)[]) {
    if (!(key in there)) continue;
    const [a, b] = [show(there[key]), show(here[key])];
    if (a !== b) differences.push(`${key} ${a} there, ${b} here`);
  }
  return differences;
}
