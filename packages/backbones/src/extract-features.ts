import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type Dataset, type Sample, type SkippedFile, type Split, tf } from '@zs-sbir/core';
import {
  imageBatches,
  readFeatureManifest,
  readFeatureStore,
  writeFeatureStore,
} from '@zs-sbir/data';
import type { FeatureSet } from '@zs-sbir/io';
import type { Backbone } from './backbone.js';
import { BackboneError } from './backbone-error.js';
import { BatchCache, type DamagedBatch } from './batch-cache.js';
import {
  configDifferences,
  type ExtractionConfig,
  extractionConfig,
  type PipelineOptions,
  recordedConfig,
} from './extraction-config.js';
import type { TfjsBackboneOptions } from './load-backbone-options.js';
import { sampleStamps } from './sample-stamps.js';
import { loadWorkerBackbone } from './worker-backbone.js';

/** The two visual domains of a ZS-SBIR dataset. */
export type Modality = 'sketch' | 'image';

export type { PipelineOptions } from './extraction-config.js';

/** Progress of {@link extractFeatures}, reported after every batch. */
export interface ExtractProgress {
  modality: Modality;
  /** Samples embedded (or found in the cache) so far, of `total`. */
  done: number;
  total: number;
  /** Batches finished so far, of `batches`. */
  batchesDone: number;
  batches: number;
  /** True when the whole modality came from a complete cache. */
  cached: boolean;
  /** Files skipped so far (unreadable images). */
  skipped: number;
  /**
   * Partial batches of an earlier run found damaged when resuming (no completion record, no
   * `.npy`, wrong size, sha256 mismatch, unreadable `.npy`), in index order with the reason; they
   * are extracted again like missing ones. Empty on a fresh run.
   */
  damaged: readonly DamagedBatch[];
  /** How many of the `damaged` batches have been re-extracted so far. */
  repaired: number;
}

/** Options of {@link extractFeatures}. */
export interface ExtractFeaturesOptions {
  /** Folder of the feature stores: `<cacheDir>/<modality>/`, with `partial/` while running. */
  cacheDir: string;
  /** Dataset name recorded in the store manifest (e.g. `sketchy`); default `dataset`. */
  datasetName?: string;
  /** Embed only the samples of the split's classes (seen, validation, unseen), and record its name. */
  split?: Split;
  /** Modalities to extract; default both. */
  modalities?: Modality[];
  /** Images per batch; default 32. */
  batchSize?: number;
  /** Per-modality pipeline options, e.g. `{ sketch: { invert: true } }` (SEM-PCYC). Default `pad` fit. */
  pipeline?: Partial<Record<Modality, PipelineOptions>>;
  /** Images decoded at once; default 8. */
  concurrency?: number;
  /**
   * Worker threads for a TensorFlow.js backbone that runs in-process on a single-threaded backend
   * (WASM, pure JS): default the CPU cores; 1 keeps it in this thread. Ignored for ONNX Runtime
   * (multi-threaded itself) and for backbones that already run in workers.
   */
  workers?: number;
  /**
   * Replace what `cacheDir` holds for another extraction: a store of another configuration
   * (backbone, engine, weights, layers, input size, normalisation, pipeline, split) and an
   * interrupted run's finished batches of another configuration, other samples or another batch
   * size. Default false: such a folder is an error naming it and what differs, before any work.
   * (A store of the same configuration whose files were added, removed or changed since is always
   * replaced by the new one.)
   */
  replace?: boolean;
  /** Called after every batch. */
  onProgress?: (progress: ExtractProgress) => void;
  /** Stops after the batches in flight (their results are kept for the next run). */
  signal?: AbortSignal;
}

/** What {@link extractFeatures} returns: features per modality, and the files it skipped. */
export interface ExtractedFeatures {
  sketch?: FeatureSet;
  image?: FeatureSet;
  skipped: SkippedFile[];
}

const MODALITIES: readonly Modality[] = ['sketch', 'image'];

/**
 * The pipeline a modality gets when {@link ExtractFeaturesOptions.pipeline} names none (what
 * `zs-sbir-train` extracts with): the whole image padded to the square on white. Anything that
 * embeds new images or sketches for a trained run (search) prepares them the same way.
 */
export const DEFAULT_PIPELINE: Readonly<PipelineOptions> = { fit: 'pad' };

function splitSamples(dataset: Dataset, modality: Modality, split: Split | undefined): Sample[] {
  const samples = modality === 'sketch' ? dataset.sketches : dataset.images;
  if (!split) return samples;
  const keep = new Set([...split.seen, ...split.validation, ...split.unseen]);
  return samples.filter((s) => keep.has(dataset.classes[s.label]!));
}

/**
 * Everything that changes the features: a new fingerprint means a new extraction. Each sample
 * counts with its file's size and modification time (`stamps`), so a file replaced in place is
 * extracted again.
 */
function fingerprint(
  backbone: Backbone,
  samples: Sample[],
  stamps: readonly string[],
  pipeline: PipelineOptions,
): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      backbone: backbone.name,
      // ONNX Runtime's features differ from TensorFlow.js's in the last float bits; TF.js keys
      // stay as they were before engines were recorded.
      ...(backbone.engine !== 'tfjs' ? { engine: backbone.engine } : {}),
      weights: backbone.weights,
      ...(backbone.layers ? { layers: backbone.layers } : {}),
      inputSize: backbone.inputSize,
      outputDim: backbone.outputDim,
      normalisation: backbone.normalisation,
      pipeline,
    }),
  );
  for (const [i, s] of samples.entries()) hash.update(`\n${s.label}\t${s.path}\t${stamps[i]}`);
  return hash.digest('hex');
}

function defaultWorkers(backbone: Backbone): number {
  const singleThreaded = ['wasm', 'cpu'].includes(tf.getBackend());
  return backbone.engine === 'tfjs' && backbone.parallelism === 1 && backbone.spec && singleThreaded
    ? cpus().length
    : 1;
}

/** Concatenates the cached batches in order into one feature set. */
async function assemble(cache: BatchCache, batches: number, dim: number) {
  const parts = [];
  for (let i = 0; i < batches; i++) parts.push(await cache.read(i));
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const data = new Float32Array(rows * dim);
  const labels = new Int32Array(rows);
  const paths: string[] = [];
  const skipped: SkippedFile[] = [];
  let row = 0;
  for (const part of parts) {
    data.set(part.features, row * dim);
    labels.set(part.labels, row);
    paths.push(...part.paths);
    skipped.push(...part.skipped);
    row += part.rows;
  }
  const features: FeatureSet = { data, rows, cols: dim, labels, paths };
  return { features, skipped };
}

type Report = (p: Omit<ExtractProgress, 'modality' | 'total' | 'batches'>) => void;

interface BatchRun {
  cache: BatchCache;
  samples: Sample[];
  pipeline: PipelineOptions;
  batchSize: number;
  batches: number;
  backbone: Backbone;
  options: ExtractFeaturesOptions;
  report: Report;
}

/**
 * Embeds the batches the cache lacks, `backbone.parallelism` at a time, recording each as it
 * finishes (in any order).
 * @throws the first batch failure, or {@link BackboneError} when stopped before the end.
 */
async function embedMissingBatches(run: BatchRun): Promise<void> {
  const { cache, samples, pipeline, batchSize, batches, backbone, options, report } = run;
  const scan = await cache.scan(batches);
  const finished = new Set(scan.finished.keys());
  const damaged = new Set(scan.damaged.map((d) => d.batch));
  let done = 0;
  let skippedCount = 0;
  let repaired = 0;
  for (const { rows, skipped } of scan.finished.values()) {
    done += rows + skipped.length;
    skippedCount += skipped.length;
  }
  let firstMissing = 0;
  while (finished.has(firstMissing)) firstMissing++;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  for await (const batch of imageBatches(samples, {
    ...pipeline,
    size: backbone.inputSize,
    normalisation: backbone.normalisation,
    batchSize,
    startBatch: firstMissing,
    concurrency: options.concurrency ?? 8,
  })) {
    if (failure || options.signal?.aborted) break;
    if (finished.has(batch.index)) continue;
    const job = (async () => {
      const features =
        batch.count > 0 ? await backbone.embedData(batch.data, batch.count) : new Float32Array(0);
      await cache.write(batch.index, {
        features,
        paths: batch.samples.map((s) => s.path),
        labels: batch.samples.map((s) => s.label),
        skipped: batch.skipped,
      });
      finished.add(batch.index);
      done += batch.count + batch.skipped.length;
      skippedCount += batch.skipped.length;
      if (damaged.has(batch.index)) repaired++;
      report({
        done,
        batchesDone: finished.size,
        cached: false,
        skipped: skippedCount,
        damaged: scan.damaged,
        repaired,
      });
    })().catch((err: unknown) => {
      failure ??= err;
    });
    inFlight.add(job);
    void job.then(() => inFlight.delete(job));
    while (inFlight.size >= backbone.parallelism) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  if (finished.size < batches) {
    throw new BackboneError(
      `feature extraction stopped after ${finished.size} of ${batches} batches: run it again with the same cacheDir to resume`,
    );
  }
}

/** What one modality of a run found in its cache folder, decided before any work. */
interface ModalityPlan {
  modality: Modality;
  samples: Sample[];
  pipeline: PipelineOptions;
  batchSize: number;
  batches: number;
  /** `<cacheDir>/<modality>`. */
  dir: string;
  print: string;
  config: ExtractionConfig;
  /** The key its finished batches are recorded under in `<dir>/partial`. */
  partialKey: string;
  /** Whether a complete store with this fingerprint is there to read. */
  stored: boolean;
  /** Whether `<dir>/partial` holds another run's batches, to delete first (`replace`). */
  clearPartial: boolean;
}

/** The fingerprint, batch size and configuration an interrupted run recorded in its partial folder. */
interface PartialKey {
  fingerprint: string;
  batchSize: number;
  config: Partial<ExtractionConfig>;
}

function parsePartialKey(text: string): PartialKey | null {
  try {
    const key = JSON.parse(text) as PartialKey;
    return typeof key.fingerprint === 'string' && typeof key.batchSize === 'number' ? key : null;
  } catch {
    return null;
  }
}

/**
 * Reads what `<cacheDir>/<modality>` holds and decides what the run does with it.
 * @throws {BackboneError} when it holds another extraction's work and `replace` is not set.
 */
async function planModality(
  dataset: Dataset,
  modality: Modality,
  backbone: Backbone,
  options: ExtractFeaturesOptions,
): Promise<ModalityPlan> {
  const batchSize = options.batchSize ?? 32;
  const pipeline: PipelineOptions = { ...DEFAULT_PIPELINE, ...options.pipeline?.[modality] };
  const samples = splitSamples(dataset, modality, options.split);
  const dir = join(options.cacheDir, modality);
  const print = fingerprint(backbone, samples, await sampleStamps(samples), pipeline);
  const config = extractionConfig(backbone, pipeline, options.split?.name ?? null);
  const plan: ModalityPlan = {
    modality,
    samples,
    pipeline,
    batchSize,
    batches: Math.ceil(samples.length / batchSize),
    dir,
    print,
    config,
    partialKey: JSON.stringify({ fingerprint: print, batchSize, config }),
    stored: false,
    clearPartial: false,
  };
  const manifest = await readFeatureManifest(dir);
  if (manifest?.extra?.fingerprint === print) return { ...plan, stored: true };
  const replace = options.replace === true;
  const differences = manifest ? configDifferences(recordedConfig(manifest), config) : [];
  if (differences.length > 0 && !replace) {
    throw new BackboneError(
      `extractFeatures: ${dir} holds ${modality} features of another configuration (${differences.join('; ')}): pass replace: true to replace them, or choose another cacheDir`,
    );
  }

  const partial = join(dir, 'partial');
  const recorded = await BatchCache.recorded(partial);
  // Folders made before the key recorded the configuration held `<fingerprint>/<batch size>`.
  if (recorded === `${print}/${batchSize}`) return { ...plan, partialKey: recorded };
  if (recorded === null || recorded === plan.partialKey) return plan;
  if (!replace) {
    const finished = await BatchCache.batchFiles(partial);
    const other = parsePartialKey(recorded);
    const what =
      other?.fingerprint === print
        ? `of these samples in batches of ${other.batchSize}: run again with batchSize ${other.batchSize} to resume it, or pass replace: true to start over in batches of ${batchSize}`
        : `${describePartial(other, config)}: finish it with the options it was started with, or pass replace: true to discard it`;
    throw new BackboneError(
      `extractFeatures: ${partial} holds ${finished} finished batch${finished === 1 ? '' : 'es'} of an interrupted extraction ${what}`,
    );
  }
  return { ...plan, clearPartial: true };
}

/** How an interrupted run of another fingerprint differs from this one, as far as it recorded. */
function describePartial(other: PartialKey | null, config: ExtractionConfig): string {
  if (!other) return 'by an earlier version, whose options it did not record';
  const differences = configDifferences(other.config, config);
  return differences.length > 0
    ? `of another configuration (${differences.join('; ')})`
    : 'of other samples (another list, or files changed since)';
}

/**
 * Extracts (or reads) one planned modality.
 * @param embedder - what embeds the missing batches (the backbone or its worker threads),
 *   started on first call.
 */
async function extractModality(
  plan: ModalityPlan,
  dataset: Dataset,
  backbone: Backbone,
  embedder: () => Promise<Backbone>,
  options: ExtractFeaturesOptions,
) {
  const { modality, samples, pipeline, batchSize, batches, dir, print } = plan;
  const report: Report = (p) =>
    options.onProgress?.({ modality, total: samples.length, batches, ...p });

  const stored = plan.stored ? await readFeatureStore(dir) : null;
  if (stored) {
    const skipped = (stored.manifest.extra?.skipped ?? []) as SkippedFile[];
    report({
      done: samples.length,
      batchesDone: batches,
      cached: true,
      skipped: skipped.length,
      damaged: [],
      repaired: 0,
    });
    return { features: stored.features, skipped };
  }

  // Batch indices depend on the batch size: a partial folder is only valid for the same one.
  const partial = join(dir, 'partial');
  if (plan.clearPartial) await BatchCache.clear(partial);
  const cache = await BatchCache.open(partial, plan.partialKey, backbone.outputDim);
  await embedMissingBatches({
    cache,
    samples,
    pipeline,
    batchSize,
    batches,
    backbone: await embedder(),
    options,
    report,
  });
  const { features, skipped } = await assemble(cache, batches, backbone.outputDim);
  await writeFeatureStore(dir, features, {
    dataset: options.datasetName ?? 'dataset',
    ...(options.split ? { split: options.split.name } : {}),
    modality,
    backbone: backbone.name,
    inputSize: backbone.inputSize,
    classes: dataset.classes,
    extra: {
      fingerprint: print,
      config: plan.config,
      weights: backbone.weights,
      normalisation: backbone.normalisation,
      pipeline,
      skipped,
    },
  });
  await cache.remove();
  return { features, skipped };
}

/**
 * Embeds a dataset's sketches and images with a backbone and stores the features with
 * `writeFeatureStore` (`@zs-sbir/data`) in `<cacheDir>/<modality>/`.
 *
 * - Streams images through `imageBatches` at the backbone's input size and normalisation.
 * - Resumes: finished batches are kept in `<cacheDir>/<modality>/partial/` (atomic files, each
 *   `.npy` with a completion record holding its size and sha256) and an interrupted run (crash,
 *   `signal`) redoes only the missing ones; a damaged partial batch (no record, wrong size, hash
 *   mismatch, unreadable) counts as missing, is re-extracted over the old files and reported in
 *   {@link ExtractProgress.damaged}; the partial folder is deleted once the store is written.
 * - Reuses a complete store whose fingerprint (backbone, engine, weights, layers, pipeline,
 *   samples, and each sample file's size and modification time) matches. A store of the same
 *   configuration made from other samples (files added, removed or changed since) is replaced by
 *   the new one once it is complete.
 * - Never deletes another extraction's work unless `replace` is set: a store of another
 *   configuration, or an interrupted run's batches of anything else (another configuration,
 *   other samples, another batch size), is an error naming the folder and what differs, raised
 *   for every modality before any is extracted.
 * - A TensorFlow.js backbone on a single-threaded backend runs in `workers` threads (default: the
 *   cores), rebuilt there from {@link Backbone.spec}; they start only when some modality has
 *   batches to embed (none for a complete cache).
 * - Creates no lasting tensors.
 *
 * @returns `[samples, outputDim]` features per modality, rows in sample order, skipped files left out.
 * @throws {BackboneError} when stopped by `signal` (finished batches are kept), a batch fails, or
 *   `cacheDir` holds another extraction's work (see `replace`).
 */
export async function extractFeatures(
  dataset: Dataset,
  backbone: Backbone,
  options: ExtractFeaturesOptions,
): Promise<ExtractedFeatures> {
  const modalities = options.modalities ?? MODALITIES;
  const bad = modalities.filter((m) => !MODALITIES.includes(m));
  if (bad.length) {
    throw new BackboneError(
      `extractFeatures: option 'modalities' has ${bad.join(', ')}: expected sketch and/or image`,
    );
  }
  const workers = options.workers ?? defaultWorkers(backbone);
  // Worker threads start only when a modality has batches to embed, not for a complete cache.
  let started: Promise<Backbone> | undefined;
  const embedder = (): Promise<Backbone> => {
    started ??=
      workers > 1 && backbone.engine === 'tfjs' && backbone.parallelism === 1 && backbone.spec
        ? loadWorkerBackbone(backbone.spec as TfjsBackboneOptions, {
            workers,
            backend: tf.getBackend() === 'cpu' ? 'cpu' : 'wasm',
          })
        : Promise.resolve(backbone);
    return started;
  };
  // Every modality's folder is checked before any of them is extracted.
  const plans: ModalityPlan[] = [];
  for (const modality of modalities) {
    plans.push(await planModality(dataset, modality, backbone, options));
  }
  const result: ExtractedFeatures = { skipped: [] };
  try {
    for (const plan of plans) {
      const { modality } = plan;
      const { features, skipped } = await extractModality(
        plan,
        dataset,
        backbone,
        embedder,
        options,
      );
      result[modality] = features;
      result.skipped.push(...skipped);
    }
  } finally {
    // A pool that failed to start has nothing to dispose (its error is already on its way up).
    const runner = await started?.catch(() => undefined);
    if (runner && runner !== backbone) await runner.dispose();
  }
  return result;
}
