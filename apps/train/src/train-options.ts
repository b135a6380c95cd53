import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { BACKBONE_NAMES } from '@zs-sbir/backbones';
import { WORDNET_SIMILARITIES } from '@zs-sbir/data';
import {
  EXPERIMENT_DATASETS,
  ExperimentError,
  SIDE_INFO_SOURCES,
  TRAINED_METHOD_NAMES,
  type TrainedMethod,
  type TrainOptions,
} from '@zs-sbir/experiment';
import { PROTOCOLS } from '@zs-sbir/metrics';
import { TRAIN_ENGINES } from '@zs-sbir/wad-cmsn';
import {
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
  type OutputConfiguration,
} from 'commander';

/** Parsed and checked options of `zs-sbir-train`: the pipeline's, and the jobs of `--compare`. */
export interface TrainCliOptions extends TrainOptions {
  /** Training jobs run at once by `--compare`. */
  jobs: number;
  /** `--probe-features`: rank features on the validation classes instead of training. */
  probe?: {
    /** `--probe-grid`: a JSON file of candidates; default the built-in grid. */
    grid?: string;
    sketchesPerClass?: number;
    imagesPerClass?: number;
  };
}

/** Parses a non-negative integer option value, e.g. `--epochs 3`. */
function integer(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('expected a non-negative integer');
  }
  return n;
}

/** Parses `--layer a,b`: the names, in order, none empty. */
function layerList(value: string): string[] {
  const names = value.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) {
    throw new InvalidArgumentError('expected layer names separated by commas, none empty');
  }
  return names;
}

/**
 * The built-in benchmark's features (`--dataset qd-emoji` without `--backbone`, `--weights`,
 * `--layer` or `--input-size`): the best row of `zs-sbir-train --probe-features` on the
 * default split's validation classes (never the test classes); see docs/benchmarks.md.
 */
export const QD_EMOJI_FEATURES = {
  backbone: 'mobilenet-v2-1.4',
  layer: ['expanded_conv_12'],
  inputSize: 112,
} as const satisfies { backbone: TrainOptions['backbone']; layer: string[]; inputSize: number };

const choice = (flags: string, help: string, choices: readonly string[]) =>
  new Option(flags, help).choices(choices);

/**
 * The `zs-sbir-train` command: its options, their choices and help. Errors throw (a
 * `CommanderError`) instead of exiting; `output` receives the help and error text (default
 * stdout and stderr).
 */
export function trainProgram(output?: OutputConfiguration): Command {
  const program = new Command('zs-sbir-train')
    .usage('[--dataset qd-emoji|sketchy|tu-berlin|folder] [options]')
    .description(
      'Trains WAD-CMSN on a dataset (features extracted and cached) and evaluates the unseen classes.',
    )
    .addOption(choice('--dataset <NAME>', 'dataset (default qd-emoji)', EXPERIMENT_DATASETS))
    .option('--root <DIR>', 'dataset root (sketchy, tu-berlin, folder)')
    .option('--split <NAME>', 'published split: sem-pcyc, sake, yelamarthi')
    .option('--split-seed <N>', 'a seeded random split instead', integer)
    .addOption(
      choice('--backbone <NAME>', 'feature extractor (default mobilenet-v2)', BACKBONE_NAMES),
    )
    .option('--weights <FILE>', 'backbone weights (safetensors or TF.js model.json)')
    .option('--input-size <N>', 'backbone input size in pixels', integer)
    .option(
      '--layer <NAME[,NAME...]>',
      "layer(s) or graph node(s) the features are read from, pooled and concatenated (default the backbone's own; qd-emoji: see QD_EMOJI_FEATURES)",
      layerList,
    )
    .addOption(choice('--side-info <SOURCE>', 'class semantics (default both)', SIDE_INFO_SOURCES))
    .option('--word-vectors <FILE>', 'word vectors for sketchy / tu-berlin / folder')
    .addOption(
      choice(
        '--hierarchy <SIMILARITY>',
        'WordNet similarity of the hierarchy embedding',
        WORDNET_SIMILARITIES,
      ),
    )
    .option('--config <FILE>', 'JSON config merged over the defaults')
    .option('--out <DIR>', 'output folder (default runs/<dataset>)')
    .option('--cache-dir <DIR>', 'cache root (default $ZS_SBIR_CACHE or ~/.cache/zs-sbir)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .addOption(
      choice(
        '--resume-from <CHECKPOINT>',
        'the checkpoint --resume continues from (default last; best when last/ is lost)',
        ['last', 'best'],
      ),
    )
    .option(
      '--overwrite',
      'train again over the run in --out, deleting its checkpoints, log and report',
    )
    .option('--compare', 'also run the baselines and ablations and write summary.json')
    .option('--epochs <N>', 'override training.epochs', integer)
    .option('--batch-size <N>', 'override training.batchSize', integer)
    .option('--seed <N>', 'override the seed', integer)
    .addOption(choice('--protocol <NAME>', 'evaluation protocol (default sklearn)', PROTOCOLS))
    .addOption(
      choice(
        '--method <NAME>',
        'train only this method (what --compare runs in each job)',
        TRAINED_METHOD_NAMES,
      ),
    )
    .option(
      '--jobs <N>',
      'training jobs run at once by --compare (default: CPU cores, at most 3)',
      integer,
    )
    .addOption(choice('--engine <NAME>', 'training engine (default auto)', TRAIN_ENGINES))
    .option(
      '--threads <N>',
      'ONNX Runtime threads per training job (default: CPU cores / jobs, at least 1)',
      integer,
    )
    .option(
      '--probe-features',
      'no training: rank backbone x layer x input size on the validation classes (never the test classes), print the table, write <out>/probe.json',
    )
    .option(
      '--probe-grid <FILE>',
      'JSON list of { backbone, layer?, inputSize?, weights? } to probe',
    )
    .option(
      '--probe-sketches <N>',
      'sketches per validation class the probe samples (default all)',
      integer,
    )
    .option(
      '--probe-images <N>',
      'gallery images per validation class the probe samples (default all)',
      integer,
    )
    .helpOption('-h, --help', 'print this help')
    .exitOverride();
  return output ? program.configureOutput(output) : program;
}

/** The values commander parses, by camel-cased option name. */
interface TrainFlags {
  dataset?: TrainOptions['dataset'];
  root?: string;
  split?: string;
  splitSeed?: number;
  backbone?: TrainOptions['backbone'];
  weights?: string;
  inputSize?: number;
  layer?: string[];
  sideInfo?: TrainOptions['sideInfo'];
  wordVectors?: string;
  hierarchy?: TrainOptions['hierarchy'];
  config?: string;
  out?: string;
  cacheDir?: string;
  resume?: boolean;
  resumeFrom?: 'last' | 'best';
  overwrite?: boolean;
  compare?: boolean;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  protocol?: TrainOptions['protocol'];
  method?: TrainedMethod;
  jobs?: number;
  engine?: TrainOptions['engine'];
  threads?: number;
  probeFeatures?: boolean;
  probeGrid?: string;
  probeSketches?: number;
  probeImages?: number;
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
 * Parses `zs-sbir-train`'s arguments (a later occurrence of an option overrides an earlier one).
 *
 * @returns the options, or `null` when `--help` was given (the help is written to `output`).
 * @throws ExperimentError naming an unknown option (and the closest known one), a bad value
 *   (and the valid choices) or options that exclude each other.
 */
export function parseTrainOptions(
  argv: string[],
  env = process.env,
  output?: OutputConfiguration,
): TrainCliOptions | null {
  const program = trainProgram({ outputError: () => {}, ...output });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed') return null;
      throw new ExperimentError(err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  const v = program.opts<TrainFlags>();
  const dataset = v.dataset ?? 'qd-emoji';
  if (dataset !== 'qd-emoji' && !v.root) {
    throw new ExperimentError(`--dataset ${dataset} needs --root DIR (the dataset's folder)`);
  }
  if (v.method && v.compare) throw new ExperimentError('--method and --compare exclude each other');
  const resumeFrom = v.resumeFrom;
  const resume = Boolean(v.resume) || resumeFrom !== undefined;
  if (resume && v.overwrite) {
    throw new ExperimentError(
      '--resume and --overwrite exclude each other: continue the run, or train it again',
    );
  }
  const probeOnly = [v.probeGrid, v.probeSketches, v.probeImages].some((x) => x !== undefined);
  if (probeOnly && !v.probeFeatures) {
    throw new ExperimentError(
      '--probe-grid, --probe-sketches and --probe-images need --probe-features',
    );
  }
  if (v.probeFeatures) {
    const clash = (['compare', 'method', 'resume', 'resumeFrom', 'overwrite'] as const).filter(
      (k) => v[k] !== undefined && v[k] !== false,
    );
    if (clash.length) {
      throw new ExperimentError(
        `--probe-features trains nothing: it excludes ${clash.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`,
      );
    }
    if (v.probeSketches === 0 || v.probeImages === 0) {
      throw new ExperimentError('--probe-sketches / --probe-images 0: expected at least 1');
    }
  }
  if (v.epochs === 0) throw new ExperimentError('--epochs 0: expected at least 1');
  if (v.threads === 0) throw new ExperimentError('--threads 0: expected at least 1');
  const splitSeed = v.splitSeed;
  // The benchmark's features only when no feature option was given: a user's --backbone keeps
  // that backbone's own layer.
  const benchmark =
    dataset === 'qd-emoji' && [v.backbone, v.weights, v.layer].every((x) => x === undefined);
  const layer = v.layer ?? (benchmark ? [...QD_EMOJI_FEATURES.layer] : undefined);
  return {
    dataset,
    root: v.root,
    split: v.split,
    splitSeed,
    backbone: v.backbone ?? (benchmark ? QD_EMOJI_FEATURES.backbone : 'mobilenet-v2'),
    weights: v.weights,
    inputSize: v.inputSize ?? (dataset === 'qd-emoji' ? QD_EMOJI_FEATURES.inputSize : undefined),
    ...(layer ? { layer } : {}),
    sideInfo: v.sideInfo ?? 'both',
    wordVectors: v.wordVectors,
    hierarchy: v.hierarchy,
    config: v.config,
    out: v.out ?? join('runs', splitSeed === undefined ? dataset : `${dataset}-split-${splitSeed}`),
    cacheDir: v.cacheDir ?? env.ZS_SBIR_CACHE ?? join(homedir(), '.cache', 'zs-sbir'),
    resume,
    ...(resumeFrom ? { resumeFrom } : {}),
    overwrite: Boolean(v.overwrite),
    compare: Boolean(v.compare),
    overrides: { epochs: v.epochs, batchSize: v.batchSize, seed: v.seed },
    protocol: v.protocol ?? 'sklearn',
    method: v.method,
    jobs: Math.max(1, v.jobs ?? Math.min(3, availableParallelism())),
    engine: v.engine ?? 'auto',
    threads: v.threads,
    ...(v.probeFeatures
      ? {
          probe: {
            ...(v.probeGrid ? { grid: v.probeGrid } : {}),
            ...(v.probeSketches ? { sketchesPerClass: v.probeSketches } : {}),
            ...(v.probeImages ? { imagesPerClass: v.probeImages } : {}),
          },
        }
      : {}),
  };
}
