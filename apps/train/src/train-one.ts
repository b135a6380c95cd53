import { appendFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createProgressBar, ExperimentError, type Partition } from '@zs-sbir/eval';
import {
  createWadCmsn,
  type EpochReport,
  hasCheckpoint,
  loadCheckpoint,
  normalisationStats,
  trainWadCmsn,
  type WadCmsn,
  type WadCmsnConfig,
} from '@zs-sbir/wad-cmsn';

/** Options of {@link trainOne}. */
export interface TrainOneOptions {
  label: string;
  config: WadCmsnConfig;
  partition: Partition;
  /** Side information by class name. */
  sideInfo: Map<string, Float32Array>;
  /** Folder of this run: `checkpoints/`, `train-log.jsonl`. */
  dir: string;
  resume: boolean;
  /** True once the user asked to stop (Ctrl-C): the run stops after the current epoch. */
  stopRequested: () => boolean;
  log: (line: string) => void;
}

/** The seen classes' side information as one `[seen, D_s]` matrix, in split order. */
export function seenSideInfo(
  seen: string[],
  sideInfo: Map<string, Float32Array>,
): { data: Float32Array; dim: number } {
  const rows = seen.map((c) => {
    const v = sideInfo.get(c);
    if (!v) throw new ExperimentError(`class '${c}' has no side information`);
    return v;
  });
  const dim = rows[0]!.length;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    data.set(r, i * dim);
  });
  return { data, dim };
}

function sameConfig(a: WadCmsnConfig, b: WadCmsnConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Trains one WAD-CMSN config with progress, a JSONL log and checkpoints, resuming from
 * `dir/checkpoints/last` when asked, and returns the best model (by validation mAP@all).
 *
 * @throws ExperimentError when `resume` finds a checkpoint of a different config.
 */
export async function trainOne(
  options: TrainOneOptions,
): Promise<{ model: WadCmsn; history: EpochReport[] }> {
  const { config, partition, dir } = options;
  const checkpoints = join(dir, 'checkpoints');
  const logFile = join(dir, 'train-log.jsonl');
  await mkdir(dir, { recursive: true });
  const side = seenSideInfo(partition.seen, options.sideInfo);
  let model: WadCmsn;
  let resumeFrom: Awaited<ReturnType<typeof loadCheckpoint>>['state'] | undefined;
  if (options.resume && (await hasCheckpoint(join(checkpoints, 'last')))) {
    const loaded = await loadCheckpoint(join(checkpoints, 'last'));
    if (!sameConfig(loaded.manifest.config, config)) {
      loaded.model.dispose();
      throw new ExperimentError(
        `--resume: ${join(checkpoints, 'last')} was trained with a different config; remove --resume or use another --out`,
      );
    }
    model = loaded.model;
    resumeFrom = loaded.state;
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
  const result = await trainWadCmsn({
    model,
    sideInfo: side.data,
    train: partition.train,
    validation: partition.validation,
    checkpointDir: checkpoints,
    ...(resumeFrom ? { resumeFrom } : {}),
    shouldStop: options.stopRequested,
    onStep: ({ epoch, step, result: r }) => {
      const w = Object.values(r.critics)[0]?.wasserstein;
      bar.update(
        (epoch - 1) * stepsPerEpoch + step,
        totalSteps,
        `epoch ${epoch} loss ${r.loss.toFixed(3)}${w === undefined ? '' : ` W ${w.toFixed(3)}`}${lastEpoch?.validationMAP != null ? ` val mAP ${lastEpoch.validationMAP.toFixed(4)}` : ''}`,
      );
    },
    onEpoch: (report) => {
      lastEpoch = report;
      appendFileSync(logFile, `${JSON.stringify({ label: options.label, ...report })}\n`);
    },
  });
  bar.finish(
    `${result.stoppedBy}; best val mAP ${result.state.bestScore.toFixed(4)} at epoch ${result.state.bestEpoch}`,
  );
  model.dispose();
  const best = await loadCheckpoint(join(checkpoints, 'best'));
  return { model: best.model, history: result.history };
}
