import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKBONE_NAMES } from '@zs-sbir/backbones';
import { integerSchema, oneOfSchema, validateJson } from '@zs-sbir/core';
import { WORDNET_SIMILARITIES } from '@zs-sbir/data';
import { PROTOCOLS, type Protocol } from '@zs-sbir/metrics';
import {
  type TrainingState,
  trainingFinished,
  verifyCheckpoint,
  WAD_CMSN_CONFIG,
  type WadCmsnConfig,
} from '@zs-sbir/wad-cmsn';
import * as v from 'valibot';
import { ExperimentError } from '../experiment/experiment-error.js';
import { EXPERIMENT_DATASETS, SIDE_INFO_SOURCES } from '../experiment/open-experiment.js';
import type { ExperimentSpec } from '../experiment/prepare-experiment.js';

/** What one checkpoint folder (`checkpoints/last` or `checkpoints/best`) holds. */
export type CheckpointCheck =
  | { ok: true; dir: string; state: TrainingState; config: WadCmsnConfig }
  | { ok: false; dir: string; reason: string };

/** `run.json`: what `zs-sbir-train` writes before training and `zs-sbir-eval --checkpoint` reads. */
export interface RunDescription {
  schema: 'zs-sbir/train-run';
  version: 1;
  spec: ExperimentSpec;
  protocol: Protocol;
  config: WadCmsnConfig;
}

/** {@link RunDescription} as `run.json` holds it; `config` is checked as the recipe checks configs. */
const RUN_DESCRIPTION = v.object({
  schema: v.literal('zs-sbir/train-run', "'zs-sbir/train-run' (a zs-sbir-train run description)"),
  version: v.literal(1, '1 (the run.json version this package reads)'),
  spec: v.object({
    dataset: oneOfSchema(EXPERIMENT_DATASETS),
    root: v.optional(v.string()),
    split: v.optional(v.string()),
    splitSeed: v.optional(v.number()),
    backbone: oneOfSchema(BACKBONE_NAMES),
    weights: v.optional(v.string()),
    inputSize: v.optional(integerSchema()),
    layer: v.optional(v.array(v.string(), 'a list of layer names')),
    renderSize: v.optional(integerSchema()),
    sideInfo: oneOfSchema(SIDE_INFO_SOURCES),
    wordVectors: v.optional(v.string()),
    hierarchy: v.optional(oneOfSchema(WORDNET_SIMILARITIES)),
    cacheDir: v.string(),
  }),
  protocol: oneOfSchema(PROTOCOLS),
  config: WAD_CMSN_CONFIG,
});

/**
 * Reads and checks `run.json` of the run folder `dir`.
 *
 * @throws the read error when the file cannot be read; {@link ExperimentError} naming the file
 *   and the key when it is not JSON or not a version-1 run description.
 */
export async function readRunDescription(dir: string): Promise<RunDescription> {
  const file = join(dir, RUN_FILES.description);
  const text = await readFile(file, 'utf8');
  return validateJson(RUN_DESCRIPTION, text, { where: file, noun: 'key', error: ExperimentError });
}

/** What a method's output folder (`OUT/<method>/`) holds, read without building a model. */
export interface RunFolder {
  dir: string;
  /** Whether a run's work is there: a checkpoint (even a damaged one), a training log or a report. */
  exists: boolean;
  /** `run.json`, when readable and a valid run description. */
  description?: RunDescription;
  last: CheckpointCheck;
  best: CheckpointCheck;
  /** Whether the run's evaluation report (`report/report.json`) was written. */
  reported: boolean;
}

/** The files of a run folder that training writes (and `--overwrite` removes). */
export const RUN_FILES = {
  description: 'run.json',
  checkpoints: 'checkpoints',
  log: 'train-log.jsonl',
  report: 'report',
  /** The job's phase times (`--compare` jobs), read by the parent for its phase table. */
  phases: 'phases.json',
} as const;

const present = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function checkCheckpoint(dir: string): Promise<CheckpointCheck> {
  try {
    const { manifest, state } = await verifyCheckpoint(dir);
    return { ok: true, dir, state, config: manifest.config };
  } catch (err) {
    const missing = !(await present(join(dir, 'checkpoint.json')));
    return { ok: false, dir, reason: missing ? 'missing' : (err as Error).message };
  }
}

/** Reads what `dir` (one method's output folder) holds: its checkpoints (hash-checked), log, report. */
export async function inspectRunFolder(dir: string): Promise<RunFolder> {
  const checkpoints = join(dir, RUN_FILES.checkpoints);
  const [last, best, hasCheckpoints, hasLog, reported, description] = await Promise.all([
    checkCheckpoint(join(checkpoints, 'last')),
    checkCheckpoint(join(checkpoints, 'best')),
    present(checkpoints),
    present(join(dir, RUN_FILES.log)),
    present(join(dir, RUN_FILES.report, 'report.json')),
    // A missing or damaged run.json is no description, as if the run had none.
    readRunDescription(dir).catch(() => undefined),
  ]);
  return {
    dir,
    exists: hasCheckpoints || hasLog || reported,
    ...(description ? { description } : {}),
    last,
    best,
    reported,
  };
}

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The dotted paths at which two JSON values differ, with both values, e.g. `seed 0 -> 1`. */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  if (canonical(a) === canonical(b)) return [];
  const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
  return [`${path || 'value'} ${show(a)} -> ${show(b)}`];
}

/** The parts of a config that a resumed run may change: the epoch budget and the patience. */
const resumable = (c: WadCmsnConfig) => ({
  ...c,
  training: { ...c.training, epochs: 0, patience: 0 },
});

/** Whether a checkpoint of config `a` can continue as config `b`: only the epoch budget and patience may differ. */
export function canResume(a: WadCmsnConfig, b: WadCmsnConfig): boolean {
  return differences(resumable(a), resumable(b)).length === 0;
}

/** The data-defining part of a spec: where the cache lives does not change the experiment. */
const experimentOf = ({ cacheDir: _, ...rest }: ExperimentSpec) => rest;

/** What the user asked for: `--resume [--resume-from best]`, `--overwrite`, or neither. */
export interface RunRequest {
  config: WadCmsnConfig;
  spec: ExperimentSpec;
  /** The evaluation protocol the report is wanted under. */
  protocol: string;
  resume: boolean;
  /** With `resume`: the checkpoint to continue from; default `last`. */
  from?: 'last' | 'best';
  overwrite: boolean;
}

/**
 * What to do with a method's output folder: train a new run, resume one, only evaluate a run
 * whose training is finished but whose report is missing or of another protocol, or nothing.
 */
export type RunPlan =
  | { action: 'new'; dir: string; note?: string }
  | { action: 'resume' | 'evaluate'; dir: string; from: 'last' | 'best'; state: TrainingState }
  | { action: 'finished'; dir: string; state: TrainingState; epochs: number };

/** "epoch 3 of 5, best val mAP 0.2345 at epoch 2". */
export function describeState(state: TrainingState, epochs?: number): string {
  const best = Number.isFinite(state.bestScore)
    ? `best val mAP ${state.bestScore.toFixed(4)} at epoch ${state.bestEpoch}`
    : 'no validation score';
  return `epoch ${state.epoch}${epochs === undefined ? '' : ` of ${epochs}`}, ${best}`;
}

/**
 * Decides what to do with the run folder `folder` given the user's request, before any data
 * work, so that nothing a user trained is deleted or overwritten unless asked:
 * - nothing there (no checkpoint, log or report): a new run;
 * - `overwrite`: a new run that replaces what is there (removed only when training starts);
 * - a run of the same experiment and config whose training is finished (under the requested
 *   epoch budget and patience): `finished` when its report under the requested protocol is
 *   written, else `evaluate` (no training);
 * - `resume`: continue from `checkpoints/last`, or from `checkpoints/best` when `from` is `best`;
 *   a missing or damaged checkpoint is an error that names the other choices, never a restart;
 * - anything else is an error saying what the folder holds and the choices (`--resume`,
 *   `--overwrite`, another `--out`).
 *
 * @throws ExperimentError as above.
 */
export function planRun(folder: RunFolder, request: RunRequest): RunPlan {
  const { dir } = folder;
  if (!folder.exists) {
    return request.resume
      ? { action: 'new', dir, note: `${dir}: nothing to resume there yet; starting a new run` }
      : { action: 'new', dir };
  }
  if (request.overwrite) {
    const what = folder.last.ok ? ` (was ${describeState(folder.last.state)})` : '';
    return { action: 'new', dir, note: `${dir}: --overwrite: training it again${what}` };
  }
  const elsewhere = 'or give another --out';
  const saved = folder.description?.spec;
  const specChanges = saved ? differences(experimentOf(saved), experimentOf(request.spec)) : [];
  if (specChanges.length > 0) {
    throw new ExperimentError(
      `${dir} holds a run of another experiment (${specChanges.join('; ')}); --overwrite replaces it, ${elsewhere}`,
    );
  }
  const from = request.resume ? (request.from ?? 'last') : 'last';
  const checkpoint = folder[from];
  if (!checkpoint.ok) {
    const reason = `${checkpoint.dir} is ${checkpoint.reason === 'missing' ? 'missing' : `damaged (${checkpoint.reason})`}`;
    if (request.resume && from === 'last' && folder.best.ok) {
      throw new ExperimentError(
        `${dir}: cannot resume, ${reason}; --resume-from best continues from ${folder.best.dir} (${describeState(folder.best.state)}), --overwrite starts again, ${elsewhere}`,
      );
    }
    throw new ExperimentError(
      `${dir} holds a run with no usable checkpoint to continue from (${reason}); --overwrite starts it again, ${elsewhere}`,
    );
  }
  const epochs = request.config.training.epochs;
  const configChanges = differences(resumable(checkpoint.config), resumable(request.config));
  if (configChanges.length > 0) {
    throw new ExperimentError(
      `${dir} holds a run (${describeState(checkpoint.state, checkpoint.config.training.epochs)}) trained with another config (${configChanges.join('; ')}); only training.epochs and training.patience may change to resume it. --overwrite trains the new config there (deleting that run), ${elsewhere}`,
    );
  }
  if (trainingFinished(checkpoint.state, request.config.training)) {
    return folder.reported && folder.description?.protocol === request.protocol
      ? { action: 'finished', dir, state: checkpoint.state, epochs }
      : { action: 'evaluate', dir, from, state: checkpoint.state };
  }
  if (request.resume) return { action: 'resume', dir, from, state: checkpoint.state };
  throw new ExperimentError(
    `${dir} holds an unfinished run (${describeState(checkpoint.state, epochs)}); --resume continues it, --overwrite starts it again (deleting it), ${elsewhere}`,
  );
}

/** The line saying that a run has nothing left to do, and how to train it again. */
export function finishedLine(plan: Extract<RunPlan, { action: 'finished' }>): string {
  return `${plan.dir}: already finished (${describeState(plan.state, plan.epochs)}); its report is in ${join(plan.dir, RUN_FILES.report)}. Nothing to train; --overwrite trains it again`;
}

/** Removes what a run's training wrote in `dir` (checkpoints, log, report, phases), for `--overwrite`. */
export async function clearRunFolder(dir: string): Promise<void> {
  for (const name of [RUN_FILES.checkpoints, RUN_FILES.log, RUN_FILES.report, RUN_FILES.phases]) {
    await rm(join(dir, name), { recursive: true, force: true });
  }
}
