import { type BackboneName, loadBackbone } from '@zs-sbir/backbones';
import type { SkippedFile } from '@zs-sbir/core';
import type { WordNetSimilarity } from '@zs-sbir/data';
import type { PhaseClock } from '../progress/phase-clock.js';
import type { OnProgress } from '../progress/progress.js';
import { experimentFeatures } from './experiment-features.js';
import {
  type Experiment,
  type ExperimentDataset,
  openExperiment,
  type SideInfoSource,
} from './open-experiment.js';
import { type Partition, partition } from './partition.js';

/**
 * Everything that decides an experiment's data: saved as `run.json` by `zs-sbir-train` so that
 * `zs-sbir-eval --checkpoint` rebuilds the same split and features.
 */
export interface ExperimentSpec {
  dataset: ExperimentDataset;
  /** Dataset root (not for qd-emoji). */
  root?: string;
  /** Published split name for sketchy / tu-berlin. */
  split?: string;
  /** A seeded random split instead of the default or named one. */
  splitSeed?: number;
  backbone: BackboneName;
  /** Backbone weights (safetensors or TF.js model.json); default the backbone's own. */
  weights?: string;
  /** Backbone input size in pixels; default the backbone's. */
  inputSize?: number;
  /**
   * The layers (or graph nodes) the features are read from, each pooled, concatenated in this
   * order; default the backbone's own (see `loadBackbone`'s `layer`).
   */
  layer?: string[];
  /**
   * QD-Emoji only: the side the benchmark is rendered at (new runs: the input size, see
   * `qdEmojiRenderSize`). Absent: 224 px, what runs recorded before renders followed the input
   * size were trained on, so they are evaluated and resumed on the same pixels.
   */
  renderSize?: number;
  sideInfo: SideInfoSource;
  wordVectors?: string;
  hierarchy?: WordNetSimilarity;
  /** Cache root of the built datasets and the extracted features. */
  cacheDir: string;
}

/** A prepared experiment: the dataset, its features cut along the split, and the backbone used. */
export interface PreparedExperiment {
  experiment: Experiment;
  partition: Partition;
  backbone: {
    name: string;
    inputSize: number;
    outputDim: number;
    weights: string;
    /** The layers the features were read from, when the backbone names them. */
    layers?: readonly string[];
  };
}

/** Skipped files shown when a dataset is opened; the rest are counted. */
const SKIPPED_SHOWN = 5;

/** `, N files skipped` and the first few of them with their reasons, one a line; '' when none. */
function skippedLines(skipped: readonly SkippedFile[]): string {
  if (skipped.length === 0) return '';
  const shown = skipped.slice(0, SKIPPED_SHOWN).map((s) => `\n  skipped ${s.path}: ${s.reason}`);
  const more =
    skipped.length > SKIPPED_SHOWN ? `\n  ... and ${skipped.length - SKIPPED_SHOWN} more` : '';
  return `, ${skipped.length} files skipped${shown.join('')}${more}`;
}

/** How {@link prepareExperiment} reports: log lines, progress events, and a stop signal. */
export interface ExperimentIo {
  /** One line of the log per stage (dataset, split, backbone, repaired cache batches). */
  log: (line: string) => void;
  /** Progress of the long stages: `build <dataset>`, `features sketch|image|views`. */
  onProgress?: OnProgress;
  /** Aborts the feature extraction (between batches; what is cached stays). */
  signal?: AbortSignal;
  /**
   * Times the stages as phases `dataset <name>`, `backbone`, `features sketch|image|views`
   * (a features phase starts with its first progress event); default none.
   */
  clock?: PhaseClock;
}

/**
 * Opens the dataset of `spec` with its split and class semantics (building QD-Emoji on first
 * use), extracts or reuses the backbone features, and cuts them along the split, reporting
 * each stage through `io.log` and the long ones through `io.onProgress`.
 */
export async function prepareExperiment(
  spec: ExperimentSpec,
  io: ExperimentIo,
): Promise<PreparedExperiment> {
  const { log, signal } = io;
  const progress = io.onProgress ?? (() => {});
  const clock = io.clock;
  clock?.start(`dataset ${spec.dataset}`);
  const experiment = await openExperiment({
    ...spec,
    // QD-Emoji at the size the spec records (the backbone's input size for new runs).
    ...(spec.renderSize !== undefined ? { renderSize: spec.renderSize } : {}),
    onProgress: (stage, done, total) => progress({ task: `build ${stage}`, done, total }),
  });
  const { dataset, split } = experiment;
  log(
    `dataset ${experiment.name}: ${dataset.classes.length} classes, ${dataset.sketches.length} sketches, ${dataset.images.length} gallery images, ${experiment.trainViews.length} training views` +
      `${skippedLines(dataset.skipped)}\n` +
      `split ${split.name}: ${split.seen.length} seen, ${split.validation.length} validation, ${split.unseen.length} unseen classes\n` +
      `side information: ${experiment.sideInfoDescription}`,
  );
  clock?.start('backbone');
  const backbone = await loadBackbone({
    name: spec.backbone,
    ...(spec.weights ? { weights: spec.weights } : {}),
    ...(spec.inputSize ? { inputSize: spec.inputSize } : {}),
    ...(spec.layer?.length ? { layer: spec.layer } : {}),
  });
  // Graph models run on ONNX Runtime when they can (engine 'auto'); say when they could not.
  const fallback = 'fallback' in backbone && backbone.fallback ? ` (${backbone.fallback})` : '';
  log(
    `backbone ${backbone.name} (${backbone.weights}), ${backbone.inputSize} px${backbone.layers ? `, ${backbone.layers.join('+')}` : ''}, ${backbone.outputDim}-d, engine ${backbone.engine}${fallback}`,
  );
  const reportedDamage = new Set<string>();
  // The first stage starts once the backbone is loaded, each next one with its first event.
  let current = 'sketch';
  clock?.start(`features ${current}`);
  try {
    const features = await experimentFeatures(experiment, backbone, {
      cacheDir: spec.cacheDir,
      ...(signal ? { signal } : {}),
      onProgress: (stage, p) => {
        if (stage !== current) {
          current = stage;
          clock?.start(`features ${stage}`);
        }
        if (p.damaged.length > 0 && !reportedDamage.has(stage)) {
          reportedDamage.add(stage);
          log(
            `features ${stage}: ${p.damaged.length} damaged partial batch(es) from an earlier run, extracted again (${p.damaged.map((d) => d.reason).join('; ')})`,
          );
        }
        progress({
          task: `features ${stage}`,
          done: p.done,
          total: p.total,
          ...(p.cached ? { status: '(cached)' } : {}),
        });
      },
    });
    clock?.end();
    return {
      experiment,
      partition: partition(dataset.classes, split, features),
      backbone: {
        name: backbone.name,
        inputSize: backbone.inputSize,
        outputDim: backbone.outputDim,
        weights: backbone.weights,
        ...(backbone.layers ? { layers: backbone.layers } : {}),
      },
    };
  } finally {
    await backbone.dispose();
  }
}
