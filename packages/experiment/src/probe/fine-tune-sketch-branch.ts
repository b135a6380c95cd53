import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type FineTuneProgress,
  fineTuneBackbone,
  loadBackbone,
  type TfjsBackbone,
} from '@zs-sbir/backbones';
import { atomicWriteFile } from '@zs-sbir/io';
import { ExperimentError } from '../experiment/experiment-error.js';
import type { Experiment } from '../experiment/open-experiment.js';
import { backboneOptions, layerList, type ProbeCandidate, sampleByClass } from './feature-probe.js';

/** Options of {@link fineTuneSketchBranch}. */
export interface FineTuneSketchBranchOptions {
  /** The network to tune, read where the features will be read (a TensorFlow.js layers model). */
  backbone: Omit<ProbeCandidate, 'sketchWeights'>;
  /** Folder the tuned network (TensorFlow.js layers model) and `fine-tune.json` are written to. */
  saveTo: string;
  /**
   * Replace a tuned network already in `saveTo`. Default false: a `saveTo` holding a model is an
   * error before any training.
   */
  overwrite?: boolean;
  /** Sketches per seen class (seeded sample); default all. */
  sketchesPerClass?: number;
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam learning rate; default 1e-4. */
  learningRate?: number;
  /** Seeds the sample, the head and the order; default 0. */
  seed?: number;
  onProgress?: (progress: FineTuneProgress) => void;
}

/** What {@link fineTuneSketchBranch} returns (also written to `<saveTo>/fine-tune.json`). */
export interface FineTuneSketchBranchResult {
  /** The tuned weights: `saveTo`, for {@link ProbeCandidate.sketchWeights} or `--weights`. */
  weights: string;
  split: string;
  /** Seen classes trained on. */
  classes: number;
  /** Sketches trained on (of seen classes only). */
  sketches: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Mean loss and accuracy of each epoch. */
  history: { epoch: number; loss: number; accuracy: number }[];
  /** Wall time of the training. */
  seconds: number;
}

/**
 * Fine-tunes the sketch branch's backbone on the split's **seen** classes only (never validation
 * or test classes): a linear softmax head over the seen classes is trained with the network on
 * the seen sketches (`fineTuneBackbone` of `@zs-sbir/backbones`), then dropped, and the tuned
 * network is saved to `saveTo`. Score it against the frozen images with
 * `probeFeatures(experiment, { candidates: [{ ...backbone, sketchWeights: saveTo }] })`.
 *
 * @throws {ExperimentError} when the backbone cannot be trained (graph or ONNX models are frozen)
 *   or the split has no seen sketches; `BackboneError` (`@zs-sbir/backbones`) when `saveTo`
 *   already holds a model and `overwrite` is not set (before any training).
 */
export async function fineTuneSketchBranch(
  experiment: Experiment,
  options: FineTuneSketchBranchOptions,
): Promise<FineTuneSketchBranchResult> {
  const { dataset, split } = experiment;
  const seed = options.seed ?? 0;
  const seen = new Set(split.seen.map((c) => dataset.classes.indexOf(c)));
  const sketches = sampleByClass(dataset.sketches, seen, options.sketchesPerClass, `${seed}:ft`);
  if (!sketches.length) {
    throw new ExperimentError(
      `fineTuneSketchBranch: split ${split.name} has no sketches of its ${split.seen.length} seen classes`,
    );
  }
  const c = options.backbone;
  const backbone = await loadBackbone(backboneOptions(c, layerList(c.layer)));
  if (!('model' in backbone)) {
    await backbone.dispose();
    throw new ExperimentError(
      `fineTuneSketchBranch: ${c.backbone} is frozen (a graph or ONNX model); fine-tune a TensorFlow.js layers model such as mobilenet-v2`,
    );
  }
  const { epochs = 1, batchSize = 32, learningRate = 1e-4 } = options;
  const started = performance.now();
  const { backbone: tuned, history } = await fineTuneBackbone(backbone as TfjsBackbone, sketches, {
    classNames: dataset.classes,
    seen: split.seen,
    epochs,
    batchSize,
    learningRate,
    seed,
    saveTo: options.saveTo,
    ...(options.overwrite ? { overwrite: true } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  }).catch(async (err: unknown) => {
    await backbone.dispose();
    throw err;
  });
  const seconds = (performance.now() - started) / 1000;
  await tuned.dispose();
  const result: FineTuneSketchBranchResult = {
    weights: options.saveTo,
    split: split.name,
    classes: split.seen.length,
    sketches: sketches.length,
    epochs,
    batchSize,
    learningRate,
    history,
    seconds,
  };
  await mkdir(options.saveTo, { recursive: true });
  await atomicWriteFile(
    join(options.saveTo, 'fine-tune.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  return result;
}
