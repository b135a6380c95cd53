import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { integerSchema, validateJson } from '@zs-sbir/core';
import { classVectorMatrix } from '@zs-sbir/data';
import { atomicWriteFile } from '@zs-sbir/io';
import {
  createWadCmsn,
  type EpochReport,
  loadCheckpoint,
  normalisationStats,
  type TrainEngine,
  type TrainResult,
  trainWadCmsn,
  type WadCmsn,
  type WadCmsnConfig,
} from '@zs-sbir/wad-cmsn';
import * as v from 'valibot';
import { ExperimentError } from '../experiment/experiment-error.js';
import type { Partition } from '../experiment/partition.js';
import type { OnProgress } from '../progress/progress.js';
import { clearRunFolder, type RunPlan } from './run-folder.js';

/** Options of {@link trainOne}. */
export interface TrainOneOptions {
  /** Name of the run in progress bars and the log, e.g. `wad-cmsn`. */
  label: string;
  /** The resolved config (see `resolveConfig`). */
  config: WadCmsnConfig;
  /** Training, validation and test features cut along the split. */
  partition: Partition;
  /** Side information by class name (every seen class needs one). */
  sideInfo: Map<string, Float32Array>;
  /** Folder of this run: `checkpoints/`, `train-log.jsonl`. */
  dir: string;
  /**
   * What to do with `dir` (see `planRun`): a new run (what a previous one left there is removed
   * first), a resume from `checkpoints/last` or `checkpoints/best`, or (`evaluate`) none of
   * either: training is finished and its best checkpoint is returned.
   */
  plan: Extract<RunPlan, { action: 'new' | 'resume' | 'evaluate' }>;
  /** True once the user asked to stop (Ctrl-C): the run stops after the current epoch. */
  stopRequested: () => boolean;
  log: (line: string) => void;
  /** Progress of the training steps, as task `train <label>`; default none. */
  onProgress?: OnProgress;
  /** Engine of the training steps (see `trainWadCmsn`); default `tfjs`. */
  engine?: TrainEngine;
  /** ONNX Runtime threads of the `onnx` engine; default 0 (one per core). */
  threads?: number;
}

/**
 * The seen classes' side information as one `[seen, D_s]` matrix, in split order.
 *
 * @throws ClassVectorError (from `@zs-sbir/data`) listing every class without a vector.
 */
export function seenSideInfo(
  seen: string[],
  sideInfo: Map<string, Float32Array>,
): { data: Float32Array; dim: number } {
  const m = classVectorMatrix(seen, [sideInfo], {
    sourceNames: ['the side information (--side-info, --word-vectors)'],
  });
  return { data: m.data, dim: m.cols };
}

/** The log line saying which engine trained `label`, and why `auto` fell back when it did. */
export function engineLine(label: string, engine: TrainResult['engine']): string {
  const note = engine.note?.replace(/\s+/g, ' ').trim();
  return `${label}: engine ${engine.name}${note ? ` (auto: ${note})` : ''}`;
}

// A line of the training log as truncateLog reads it (the other keys are kept as written).
const LOG_LINE = v.looseObject({ epoch: integerSchema({ min: 0 }) });

/**
 * Keeps the log lines of epochs up to `epoch` (a resumed run rewrites what came after).
 * @throws {ExperimentError} naming the file, the line and the key of a damaged line.
 */
async function truncateLog(file: string, epoch: number): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((line, i) => {
    if (!line.trim()) return false;
    const where = `${file} line ${i + 1}`;
    return (
      validateJson(LOG_LINE, line, { where, noun: 'key', error: ExperimentError }).epoch <= epoch
    );
  });
}

/**
 * Trains one WAD-CMSN config with progress, a JSONL log and checkpoints, as a new run or resumed
 * as `plan` says, and returns the best model (by validation mAP@all) and how training ended.
 */
export async function trainOne(options: TrainOneOptions): Promise<{
  model: WadCmsn;
  history: EpochReport[];
  engine: TrainResult['engine'];
  stoppedBy: TrainResult['stoppedBy'];
}> {
  const { plan } = options;
  const { config, partition, dir } = options;
  const checkpoints = join(dir, 'checkpoints');
  const logFile = join(dir, 'train-log.jsonl');
  await mkdir(dir, { recursive: true });
  const side = seenSideInfo(partition.seen, options.sideInfo);
  let model: WadCmsn;
  let logLines: string[] = [];
  let resumeFrom: Awaited<ReturnType<typeof loadCheckpoint>>['state'] | undefined;
  if (plan.action !== 'new') {
    const loaded = await loadCheckpoint(join(checkpoints, plan.from));
    model = loaded.model;
    resumeFrom = loaded.state;
    logLines = await truncateLog(logFile, loaded.state.epoch);
    options.log(
      plan.action === 'evaluate'
        ? `${options.label}: training finished at epoch ${loaded.state.epoch}; evaluating its best checkpoint`
        : `${options.label}: resuming after epoch ${loaded.state.epoch}${plan.from === 'best' ? ' (from checkpoints/best)' : ''}`,
    );
  } else {
    await clearRunFolder(dir);
    model = createWadCmsn(config, {
      visualDim: partition.train.sketches.cols,
      sideInfoDim: side.dim,
      sideInfo: side.data,
      stats: {
        sketch: normalisationStats(config.inputNormalisation, partition.train.sketches),
        image: normalisationStats(config.inputNormalisation, partition.train.images),
      },
    });
  }
  const { epochs, stepsPerEpoch } = config.training;
  const task = `train ${options.label}`;
  const progress = options.onProgress ?? (() => {});
  let stepsDone = 0;
  const totalSteps = epochs * stepsPerEpoch;
  let lastEpoch: EpochReport | undefined;
  let pendingLog: Promise<void> = Promise.resolve();
  const result = await trainWadCmsn({
    model,
    sideInfo: side.data,
    train: partition.train,
    validation: partition.validation,
    checkpointDir: checkpoints,
    ...(resumeFrom ? { resumeFrom } : {}),
    // A resumed model keeps its checkpoint's config; the run's budget may have grown.
    budget: { epochs: config.training.epochs, patience: config.training.patience },
    engine: options.engine,
    threads: options.threads,
    shouldStop: options.stopRequested,
    onStep: ({ epoch, step, result: r }) => {
      const w = Object.values(r.critics)[0]?.wasserstein;
      stepsDone = (epoch - 1) * stepsPerEpoch + step;
      progress({
        task,
        done: stepsDone,
        total: totalSteps,
        // The last step is not the end: the event after training says how it ended.
        finished: false,
        status: `epoch ${epoch} loss ${r.loss.toFixed(3)}${w === undefined ? '' : ` W ${w.toFixed(3)}`}${lastEpoch?.validationMAP != null ? ` val mAP ${lastEpoch.validationMAP.toFixed(4)}` : ''}`,
      });
    },
    onStart: ({ engine }) => options.log(engineLine(options.label, engine)),
    onEpoch: (report) => {
      lastEpoch = report;
      logLines.push(JSON.stringify({ label: options.label, ...report }));
      const text = `${logLines.join('\n')}\n`;
      pendingLog = pendingLog.then(() => atomicWriteFile(logFile, text));
    },
  });
  await pendingLog;
  const best = result.state.bestScore;
  progress({
    task,
    done: stepsDone,
    total: totalSteps,
    finished: true,
    status: `${result.stoppedBy}; ${Number.isFinite(best) ? `best val mAP ${best.toFixed(4)}` : 'no validation classes; last epoch kept'} at epoch ${result.state.bestEpoch}`,
  });
  model.dispose();
  const chosen = await loadCheckpoint(join(checkpoints, 'best'));
  return {
    model: chosen.model,
    history: result.history,
    engine: result.engine,
    stoppedBy: result.stoppedBy,
  };
}
