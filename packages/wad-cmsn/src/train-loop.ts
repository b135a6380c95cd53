import { join } from 'node:path';
import { createRng, type Rng } from '@zs-sbir/core';
import { OnnxError } from '@zs-sbir/graph';
import type { FeatureSet } from '@zs-sbir/io';
import { evaluateRetrieval } from '@zs-sbir/metrics';
import { saveCheckpoint, type TrainingState } from './checkpoint.js';
import type { WadCmsnConfig } from './config.js';
import { TrainingError } from './errors.js';
import { createOnnxTrainer } from './onnx/onnx-trainer.js';
import { createPairSampler } from './pair-sampler.js';
import type { StepResult, TrainBatch, WadCmsn } from './wad-cmsn.js';

/**
 * Which engine runs the training steps: `tfjs` (`model.trainStep` on the TensorFlow.js backend),
 * `onnx` (`createOnnxTrainer`: ONNX Runtime, several times faster on CPU; needs onnxruntime-node)
 * or `auto` (onnx when onnxruntime-node loads and supports the config, else tfjs).
 */
export type TrainEngine = 'tfjs' | 'onnx' | 'auto';

/** The engines {@link trainWadCmsn} accepts. */
export const TRAIN_ENGINES: readonly TrainEngine[] = ['tfjs', 'onnx', 'auto'];

/** Validation data: held-out seen classes' sketches (queries) and images (gallery), raw features. */
export interface ValidationSet {
  queries: FeatureSet;
  gallery: FeatureSet;
}

/** What one epoch did. */
export interface EpochReport {
  epoch: number;
  /** Mean of each step's projector loss, loss parts and critic numbers over the epoch. */
  loss: number;
  parts: Record<string, number>;
  critics: Record<string, { loss: number; penalty: number; wasserstein: number }>;
  /** Validation mAP@all (query-averaged, sklearn protocol), or null without validation data (then every epoch counts as the best). */
  validationMAP: number | null;
  /** Whether this epoch is the best so far (and was saved as `best`). */
  best: boolean;
  seconds: number;
  /** The engine that ran this epoch's steps. */
  engine: 'tfjs' | 'onnx';
}

/** Options of {@link trainWadCmsn}. */
export interface TrainOptions {
  model: WadCmsn;
  /** Side information of the seen classes, as given to `createWadCmsn` (saved in checkpoints). */
  sideInfo: Float32Array;
  /** Training features; labels index the seen classes (rows of `sideInfo`). */
  train: { sketches: FeatureSet; images: FeatureSet };
  validation?: ValidationSet;
  /**
   * Folder for checkpoints: `last/` after every epoch and `best/` at each new best validation
   * score (both atomic). Without it nothing is saved.
   */
  checkpointDir?: string;
  /** The state of a resumed run (from `loadCheckpoint(dir/last)`); default: a new run. */
  resumeFrom?: TrainingState;
  /**
   * The epoch budget and early-stopping patience, when they differ from `model.config.training`
   * (a resumed run may be given more epochs or patience; nothing else of the config may change).
   */
  budget?: { epochs?: number; patience?: number };
  /** Called once the engine is chosen, before the first step. */
  onStart?: (info: { engine: TrainResult['engine'] }) => void;
  /** Called after every step. */
  onStep?: (info: { epoch: number; step: number; steps: number; result: StepResult }) => void;
  /** Called after every epoch (after its checkpoints are written). */
  onEpoch?: (report: EpochReport) => void;
  /** Polled after each epoch; true stops the run there (its checkpoint is already saved). */
  shouldStop?: () => boolean;
  /** The engine of the training steps; default `tfjs`. Both give the same model up to rounding. */
  engine?: TrainEngine;
  /** ONNX Runtime threads for the `onnx` engine; default 0 (one per core). */
  threads?: number;
}

/** How a run ended. */
export interface TrainResult {
  state: TrainingState;
  history: EpochReport[];
  stoppedBy: 'epochs' | 'early-stopping' | 'interrupted';
  /** The engine that ran the steps, and why `auto` did not pick `onnx` when it did not. */
  engine: { name: 'tfjs' | 'onnx'; note?: string };
}

/** A step runner: the model's own or an ONNX trainer, with a way to bring the model up to date. */
interface StepRunner {
  engine: TrainResult['engine'];
  step(batch: TrainBatch, rng: Rng): StepResult | Promise<StepResult>;
  sync(): Promise<void>;
  dispose(): Promise<void>;
}

async function stepRunner(
  model: WadCmsn,
  engine: TrainEngine,
  threads?: number,
): Promise<StepRunner> {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0)) {
    throw new TrainingError(
      `trainWadCmsn: threads must be a non-negative integer (0: one per core), got ${threads}`,
    );
  }
  if (!TRAIN_ENGINES.includes(engine)) {
    throw new TrainingError(
      `trainWadCmsn: engine '${String(engine)}' is not one of ${TRAIN_ENGINES.join(', ')}`,
    );
  }
  let note: string | undefined;
  if (engine !== 'tfjs') {
    try {
      const trainer = await createOnnxTrainer(model, threads === undefined ? {} : { threads });
      return {
        engine: { name: 'onnx' },
        step: trainer.step,
        sync: trainer.sync,
        dispose: trainer.dispose,
      };
    } catch (err) {
      if (engine === 'onnx' || !(err instanceof OnnxError)) throw err;
      note = err.message;
    }
  }
  return {
    engine: note === undefined ? { name: 'tfjs' } : { name: 'tfjs', note },
    step: (batch, rng) => model.trainStep(batch, rng),
    sync: async () => {},
    dispose: async () => {},
  };
}

/** Early stopping has fired: the best validation score is `patience` epochs old or older. */
function earlyStopped(state: TrainingState, patience: number): boolean {
  return Number.isFinite(state.bestScore) && state.epoch - state.bestEpoch >= patience;
}

/**
 * Whether a run in `state` has nothing left to train under `training`: its epoch budget is spent,
 * or early stopping has fired. A resumed run that is finished under its (possibly larger) new
 * budget trains no further epoch.
 */
export function trainingFinished(
  state: TrainingState,
  training: Pick<WadCmsnConfig['training'], 'epochs' | 'patience'>,
): boolean {
  return state.epoch >= training.epochs || earlyStopped(state, training.patience);
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

function gatherRows(features: FeatureSet, rows: Int32Array): Float32Array {
  const { cols, data } = features;
  const out = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => {
    out.set(data.subarray(r * cols, (r + 1) * cols), i * cols);
  });
  return out;
}

/**
 * Validation mAP@all (sklearn protocol, query-averaged) of the model's embeddings, compared with
 * `config.retrieval.similarity`. `set` holds raw features `[rows, D_v]`; the model standardises
 * and embeds them.
 */
export async function validationMAP(model: WadCmsn, set: ValidationSet): Promise<number> {
  const d = model.config.embeddingDim;
  const report = await evaluateRetrieval({
    queries: { data: model.embed('sketch', set.queries), rows: set.queries.rows, cols: d },
    gallery: { data: model.embed('image', set.gallery), rows: set.gallery.rows, cols: d },
    queryLabels: set.queries.labels,
    galleryLabels: set.gallery.labels,
    similarity: model.config.retrieval.similarity,
    ks: [],
    perQuery: false,
  });
  return report.mAPAll;
}

/**
 * Trains WAD-CMSN: each epoch draws `stepsPerEpoch` class-balanced sketch-image batches from the
 * seen classes, runs `trainStep` on each, measures validation mAP@all, saves `last/` and (on a
 * new best) `best/`, and stops early after `patience` epochs without improvement.
 *
 * Every epoch's random draws come from a generator seeded by `(config.seed, epoch)`, and
 * checkpoints hold the optimisers' state, so a run resumed from `last/` continues exactly as
 * the uninterrupted run would have.
 *
 * @throws TrainingError when a loss becomes NaN or infinite: the run stops before saving
 *   anything from that epoch, so the last good checkpoint stays intact.
 */
export async function trainWadCmsn(options: TrainOptions): Promise<TrainResult> {
  const { model, train, checkpointDir } = options;
  // Validation needs queries and a gallery; without them every epoch counts as the best.
  const validation =
    options.validation && options.validation.queries.rows > 0 && options.validation.gallery.rows > 0
      ? options.validation
      : undefined;
  const { batchSize, stepsPerEpoch } = model.config.training;
  const budget = {
    epochs: options.budget?.epochs ?? model.config.training.epochs,
    patience: options.budget?.patience ?? model.config.training.patience,
  };
  for (const [name, value] of Object.entries(budget)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new TrainingError(`trainWadCmsn: budget.${name} must be an integer >= 1, got ${value}`);
    }
  }
  const seenClasses = options.sideInfo.length / model.dims.sideInfoDim;
  const classes = Array.from({ length: seenClasses }, (_, i) => i);
  const state: TrainingState = options.resumeFrom
    ? { ...options.resumeFrom }
    : { epoch: 0, bestScore: Number.NEGATIVE_INFINITY, bestEpoch: -1 };
  const history: EpochReport[] = [];
  const runner = await stepRunner(model, options.engine ?? 'tfjs', options.threads);
  options.onStart?.({ engine: runner.engine });
  try {
    const stoppedBy = await runEpochs();
    return { state, history, stoppedBy, engine: runner.engine };
  } finally {
    await runner.dispose();
  }

  async function runEpochs(): Promise<TrainResult['stoppedBy']> {
    // A resumed run that had already stopped early trains no further.
    while (!trainingFinished(state, budget)) {
      const epoch = state.epoch + 1;
      const started = Date.now();
      const rng = createRng(`${model.config.seed}/epoch/${epoch}`);
      const sampler = createPairSampler({
        sketchLabels: train.sketches.labels,
        imageLabels: train.images.labels,
        classes,
        batchSize,
        rng: rng.fork(),
      });
      const results: StepResult[] = [];
      for (let step = 1; step <= stepsPerEpoch; step++) {
        const pairs = sampler.next();
        let result: StepResult;
        try {
          result = await runner.step(
            {
              sketch: gatherRows(train.sketches, pairs.sketch),
              image: gatherRows(train.images, pairs.image),
              labels: pairs.label,
            },
            rng,
          );
        } catch (err) {
          if (err instanceof TrainingError) {
            throw new TrainingError(
              `epoch ${epoch}, step ${step}: ${err.message}; the last good checkpoint (epoch ${state.epoch}) is kept`,
            );
          }
          throw err;
        }
        results.push(result);
        options.onStep?.({ epoch, step, steps: stepsPerEpoch, result });
      }
      await runner.sync();
      const measured = validation ? await validationMAP(model, validation) : null;
      const score = measured === null || Number.isNaN(measured) ? null : measured;
      const best = score === null || score > state.bestScore;
      state.epoch = epoch;
      if (best) {
        state.bestScore = score ?? Number.NEGATIVE_INFINITY;
        state.bestEpoch = epoch;
      }
      const criticNames = Object.keys(results[0]?.critics ?? {});
      const report: EpochReport = {
        epoch,
        loss: mean(results.map((r) => r.loss)),
        parts: Object.fromEntries(
          Object.keys(results[0]?.parts ?? {}).map((k) => [
            k,
            mean(results.map((r) => r.parts[k]!)),
          ]),
        ),
        critics: Object.fromEntries(
          criticNames.map((name) => [
            name,
            {
              loss: mean(results.map((r) => r.critics[name]!.loss)),
              penalty: mean(results.map((r) => r.critics[name]!.penalty)),
              wasserstein: mean(results.map((r) => r.critics[name]!.wasserstein)),
            },
          ]),
        ),
        validationMAP: score,
        best,
        seconds: (Date.now() - started) / 1000,
        engine: runner.engine.name,
      };
      history.push(report);
      if (checkpointDir) {
        if (best) await saveCheckpoint(join(checkpointDir, 'best'), model, options.sideInfo, state);
        await saveCheckpoint(join(checkpointDir, 'last'), model, options.sideInfo, state);
      }
      options.onEpoch?.(report);
      if (!trainingFinished(state, budget) && options.shouldStop?.()) {
        return 'interrupted';
      }
    }
    return earlyStopped(state, budget.patience) ? 'early-stopping' : 'epochs';
  }
}
