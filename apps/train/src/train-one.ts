import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { classVectorMatrix } from '@zs-sbir/data';
import { createProgressBar, ExperimentError, type Partition } from '@zs-sbir/eval';
import { atomicWriteFile } from '@zs-sbir/metrics';
import {
  createWadCmsn,
  type EpochReport,
  hasCheckpoint,
  loadCheckpoint,
  normalisationStats,
  type TrainEngine,
  type TrainResult,
  trainWadCmsn,
  type WadCmsn,
  type WadCmsnConfig,
} from '@zs-sbir/wad-cmsn';

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
  /** Continue from `dir/checkpoints/last` when it exists; otherwise start afresh (clearing `dir`). */
  resume: boolean;
  /** True once the user asked to stop (Ctrl-C): the run stops after the current epoch. */
  stopRequested: () => boolean;
  log: (line: string) => void;
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

/** JSON with sorted keys, so equal configs compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Whether a checkpoint of config `a` can continue as config `b`: only the epoch budget and patience may differ. */
export function canResume(a: WadCmsnConfig, b: WadCmsnConfig): boolean {
  const strip = (c: WadCmsnConfig) => ({
    ...c,
    training: { ...c.training, epochs: 0, patience: 0 },
  });
  return canonical(strip(a)) === canonical(strip(b));
}

/** The log line saying which engine trained `label`, and why `auto` fell back when it did. */
export function engineLine(label: string, engine: TrainResult['engine']): string {
  const note = engine.note?.replace(/\s+/g, ' ').trim();
  return `${label}: engine ${engine.name}${note ? ` (auto: ${note})` : ''}`;
}

/** Keeps the log lines of epochs up to `epoch` (a resumed run rewrites what came after). */
async function truncateLog(file: string, epoch: number): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() && (JSON.parse(line) as { epoch: number }).epoch <= epoch);
}

/**
 * Trains one WAD-CMSN config with progress, a JSONL log and checkpoints, resuming from
 * `dir/checkpoints/last` when asked, and returns the best model (by validation mAP@all).
 *
 * @throws ExperimentError when `resume` finds a checkpoint of a different config.
 */
export async function trainOne(
  options: TrainOneOptions,
): Promise<{ model: WadCmsn; history: EpochReport[]; engine: TrainResult['engine'] }> {
  const { config, partition, dir } = options;
  const checkpoints = join(dir, 'checkpoints');
  const logFile = join(dir, 'train-log.jsonl');
  await mkdir(dir, { recursive: true });
  const side = seenSideInfo(partition.seen, options.sideInfo);
  let model: WadCmsn;
  let logLines: string[] = [];
  let resumeFrom: Awaited<ReturnType<typeof loadCheckpoint>>['state'] | undefined;
  if (options.resume && (await hasCheckpoint(join(checkpoints, 'last')))) {
    const loaded = await loadCheckpoint(join(checkpoints, 'last'));
    if (!canResume(loaded.manifest.config, config)) {
      loaded.model.dispose();
      throw new ExperimentError(
        `--resume: ${join(checkpoints, 'last')} was trained with a different config (only training.epochs and training.patience may change); remove --resume or use another --out`,
      );
    }
    model = loaded.model;
    resumeFrom = loaded.state;
    logLines = await truncateLog(logFile, loaded.state.epoch);
    options.log(`${options.label}: resuming after epoch ${loaded.state.epoch}`);
  } else {
    await rm(checkpoints, { recursive: true, force: true });
    await rm(logFile, { force: true });
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
  const bar = createProgressBar(`train ${options.label}`);
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
    engine: options.engine,
    threads: options.threads,
    shouldStop: options.stopRequested,
    onStep: ({ epoch, step, result: r }) => {
      const w = Object.values(r.critics)[0]?.wasserstein;
      bar.update(
        (epoch - 1) * stepsPerEpoch + step,
        totalSteps,
        `epoch ${epoch} loss ${r.loss.toFixed(3)}${w === undefined ? '' : ` W ${w.toFixed(3)}`}${lastEpoch?.validationMAP != null ? ` val mAP ${lastEpoch.validationMAP.toFixed(4)}` : ''}`,
      );
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
  bar.finish(
    `${result.stoppedBy}; ${Number.isFinite(best) ? `best val mAP ${best.toFixed(4)}` : 'no validation classes; last epoch kept'} at epoch ${result.state.bestEpoch}`,
  );
  model.dispose();
  const chosen = await loadCheckpoint(join(checkpoints, 'best'));
  return { model: chosen.model, history: result.history, engine: result.engine };
}
