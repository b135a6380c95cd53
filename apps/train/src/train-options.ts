import { stat } from 'node:fs/promises';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { BACKBONE_NAMES } from '@zs-sbir/backbones';
import { WORDNET_SIMILARITIES } from '@zs-sbir/data';
import {
  type CliOption,
  EXPERIMENT_DATASETS,
  type ExperimentDataset,
  ExperimentError,
  parseCli,
  SIDE_INFO_SOURCES,
  type SideInfoSource,
} from '@zs-sbir/eval';
import { PROTOCOLS, type Protocol } from '@zs-sbir/metrics';
import { TRAIN_ENGINES, type TrainEngine } from '@zs-sbir/wad-cmsn';
import { TRAINED_METHOD_NAMES, type TrainedMethod } from './methods.js';

/** The options of `zs-sbir-train`. */
export const TRAIN_OPTIONS: Record<string, CliOption> = {
  dataset: { type: 'string', help: 'dataset (default qd-emoji)', choices: EXPERIMENT_DATASETS },
  root: { type: 'string', value: 'DIR', help: 'dataset root (sketchy, tu-berlin, folder)' },
  split: { type: 'string', value: 'NAME', help: 'published split: sem-pcyc, sake, yelamarthi' },
  'split-seed': { type: 'string', integer: true, help: 'a seeded random split instead' },
  backbone: {
    type: 'string',
    help: 'feature extractor (default mobilenet-v2)',
    choices: BACKBONE_NAMES,
  },
  weights: {
    type: 'string',
    value: 'FILE',
    help: 'backbone weights (safetensors or TF.js model.json)',
  },
  'input-size': { type: 'string', integer: true, help: 'backbone input size in pixels' },
  'side-info': {
    type: 'string',
    help: 'class semantics (default both)',
    choices: SIDE_INFO_SOURCES,
  },
  'word-vectors': {
    type: 'string',
    value: 'FILE',
    help: 'word vectors for sketchy / tu-berlin / folder',
  },
  hierarchy: {
    type: 'string',
    help: 'WordNet similarity of the hierarchy embedding',
    choices: WORDNET_SIMILARITIES,
  },
  config: { type: 'string', value: 'FILE', help: 'JSON config merged over the defaults' },
  out: { type: 'string', value: 'DIR', help: 'output folder (default runs/<dataset>)' },
  'cache-dir': {
    type: 'string',
    value: 'DIR',
    help: 'cache root (default $ZS_SBIR_CACHE or ~/.cache/zs-sbir)',
  },
  resume: { type: 'boolean', help: 'continue the run in --out from its last checkpoint' },
  'resume-from': {
    type: 'string',
    help: 'the checkpoint --resume continues from (default last; best when last/ is lost)',
    choices: ['last', 'best'],
  },
  overwrite: {
    type: 'boolean',
    help: 'train again over the run in --out, deleting its checkpoints, log and report',
  },
  compare: { type: 'boolean', help: 'also run the baselines and ablations and write summary.json' },
  epochs: { type: 'string', integer: true, help: 'override training.epochs' },
  'batch-size': { type: 'string', integer: true, help: 'override training.batchSize' },
  seed: { type: 'string', integer: true, help: 'override the seed' },
  protocol: { type: 'string', help: 'evaluation protocol (default sklearn)', choices: PROTOCOLS },
  method: {
    type: 'string',
    help: 'train only this method (what --compare runs in each job)',
    choices: TRAINED_METHOD_NAMES,
  },
  jobs: {
    type: 'string',
    integer: true,
    help: 'training jobs run at once by --compare (default: CPU cores, at most 3)',
  },
  engine: { type: 'string', help: 'training engine (default auto)', choices: TRAIN_ENGINES },
  threads: {
    type: 'string',
    integer: true,
    help: 'ONNX Runtime threads per training job (default: CPU cores / jobs, at least 1)',
  },
  help: { type: 'boolean', help: 'print this help' },
};

/** Parsed and checked options of `zs-sbir-train`. */
export interface TrainCliOptions {
  dataset: ExperimentDataset;
  root?: string;
  split?: string;
  splitSeed?: number;
  backbone: (typeof BACKBONE_NAMES)[number];
  weights?: string;
  inputSize?: number;
  sideInfo: SideInfoSource;
  wordVectors?: string;
  hierarchy?: (typeof WORDNET_SIMILARITIES)[number];
  config?: string;
  out: string;
  cacheDir: string;
  /** Continue the runs in `out` (`--resume`, or `--resume-from`). */
  resume: boolean;
  /** The checkpoint a resume continues from; default `last`. */
  resumeFrom?: 'last' | 'best';
  /** Train again over what `out` holds (`--overwrite`). */
  overwrite: boolean;
  compare: boolean;
  overrides: { epochs?: number; batchSize?: number; seed?: number };
  protocol: Protocol;
  /** Train only this method (a --compare job); default: wad-cmsn, or all with --compare. */
  method?: TrainedMethod;
  jobs: number;
  /** Engine of the training steps: onnx (ONNX Runtime), tfjs, or auto (onnx where it can). */
  engine: TrainEngine;
  /**
   * ONNX Runtime threads per training job, when given; default: every core, or in a --compare
   * job a share of them ({@link compareJobArgs}).
   */
  threads?: number;
  help: boolean;
}

/**
 * The arguments of the `--compare` job that trains `method`: the parent's `argv` without
 * `--compare`, then `--method` and `--threads` (the user's `--threads`, else the cores shared
 * among the jobs that run at once, at least 1 each).
 */
export function compareJobArgs(
  argv: string[],
  options: TrainCliOptions,
  method: TrainedMethod,
  cores = availableParallelism(),
): string[] {
  const running = Math.min(options.jobs, TRAINED_METHOD_NAMES.length);
  const threads = options.threads ?? Math.max(1, Math.floor(cores / running));
  return [
    ...argv.filter((a) => a !== '--compare'),
    '--method',
    method,
    '--threads',
    String(threads),
  ];
}

/**
 * Parses `zs-sbir-train`'s arguments.
 *
 * @throws ExperimentError naming an unknown option or a bad value.
 */
export function parseTrainOptions(argv: string[], env = process.env): TrainCliOptions {
  const v = parseCli(argv, TRAIN_OPTIONS);
  const dataset = (v.dataset as ExperimentDataset | undefined) ?? 'qd-emoji';
  if (dataset !== 'qd-emoji' && !v.root) {
    throw new ExperimentError(`--dataset ${dataset} needs --root DIR (the dataset's folder)`);
  }
  const str = (k: string) => v[k] as string | undefined;
  const int = (k: string) => v[k] as number | undefined;
  if (v.method && v.compare) throw new ExperimentError('--method and --compare exclude each other');
  const resumeFrom = str('resume-from') as TrainCliOptions['resumeFrom'];
  const resume = Boolean(v.resume) || resumeFrom !== undefined;
  if (resume && v.overwrite) {
    throw new ExperimentError(
      '--resume and --overwrite exclude each other: continue the run, or train it again',
    );
  }
  const epochs = int('epochs');
  if (epochs === 0) throw new ExperimentError('--epochs 0: expected at least 1');
  const threads = int('threads');
  if (threads === 0) throw new ExperimentError('--threads 0: expected at least 1');
  const splitSeed = int('split-seed');
  return {
    dataset,
    root: str('root'),
    split: str('split'),
    splitSeed,
    backbone: (str('backbone') as TrainCliOptions['backbone']) ?? 'mobilenet-v2',
    weights: str('weights'),
    inputSize: int('input-size') ?? (dataset === 'qd-emoji' ? 112 : undefined),
    sideInfo: (str('side-info') as SideInfoSource) ?? 'both',
    wordVectors: str('word-vectors'),
    hierarchy: str('hierarchy') as TrainCliOptions['hierarchy'],
    config: str('config'),
    out:
      str('out') ??
      join('runs', splitSeed === undefined ? dataset : `${dataset}-split-${splitSeed}`),
    cacheDir: str('cache-dir') ?? env.ZS_SBIR_CACHE ?? join(homedir(), '.cache', 'zs-sbir'),
    resume,
    ...(resumeFrom ? { resumeFrom } : {}),
    overwrite: Boolean(v.overwrite),
    compare: Boolean(v.compare),
    overrides: { epochs, batchSize: int('batch-size'), seed: int('seed') },
    protocol: (str('protocol') as Protocol) ?? 'sklearn',
    method: str('method') as TrainedMethod | undefined,
    jobs: Math.max(1, int('jobs') ?? Math.min(3, availableParallelism())),
    engine: (str('engine') as TrainEngine | undefined) ?? 'auto',
    threads,
    help: Boolean(v.help),
  };
}

/**
 * Checks that the files and folders the options name exist (`--root` a folder, `--word-vectors`
 * a file, `--weights` a file or folder), so that a typo fails before the dataset is read.
 *
 * @throws ExperimentError naming the option and the path.
 */
export async function checkOptionPaths(options: TrainCliOptions): Promise<void> {
  const paths: [string, string | undefined, 'file' | 'folder' | 'any'][] = [
    ['--root', options.root, 'folder'],
    ['--word-vectors', options.wordVectors, 'file'],
    ['--weights', options.weights, 'any'],
  ];
  for (const [flag, path, kind] of paths) {
    if (path === undefined) continue;
    const found = await stat(path).catch(() => null);
    if (!found) {
      throw new ExperimentError(`${flag} ${path}: no such ${kind === 'any' ? 'file' : kind}`);
    }
    if ((kind === 'folder' && !found.isDirectory()) || (kind === 'file' && !found.isFile())) {
      throw new ExperimentError(`${flag} ${path}: expected a ${kind}`);
    }
  }
}
