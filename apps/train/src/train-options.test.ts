import { join } from 'node:path';
import { ExperimentError } from '@zs-sbir/experiment';
import { describe, expect, it } from 'vitest';
import { compareJobArgs, parseTrainOptions, trainProgram } from './train-options.js';

/** Parses options that are not `--help`. */
const parse = (argv: string[], env?: NodeJS.ProcessEnv) => parseTrainOptions(argv, env)!;

describe('parseTrainOptions', () => {
  it('defaults to the built-in benchmark at 112 px with the comparison off', () => {
    const o = parse([], { ZS_SBIR_CACHE: '/cache' });
    expect(o).toMatchObject({
      dataset: 'qd-emoji',
      // The validation probe's pick (docs/benchmarks.md).
      backbone: 'mobilenet-v2-1.4',
      layer: ['expanded_conv_12'],
      inputSize: 112,
      sideInfo: 'both',
      out: join('runs', 'qd-emoji'),
      cacheDir: '/cache',
      compare: false,
      resume: false,
      protocol: 'sklearn',
      engine: 'auto',
    });
    // No --threads: the pipeline picks (every core alone, a share of them in a --compare job).
    expect(o.threads).toBeUndefined();
  });

  it('takes --layer as a comma-separated list; a --backbone without --layer keeps its own layer', () => {
    expect(parse(['--layer', 'block_13_expand_relu'])).toMatchObject({
      backbone: 'mobilenet-v2',
      layer: ['block_13_expand_relu'],
      inputSize: 112,
    });
    expect(
      parse(['--backbone', 'inception-v3', '--layer', 'mixed4, mixed5', '--input-size', '150']),
    ).toMatchObject({ backbone: 'inception-v3', layer: ['mixed4', 'mixed5'], inputSize: 150 });
    const own = parse(['--backbone', 'mobilenet-v2']);
    expect(own.backbone).toBe('mobilenet-v2');
    expect(own.layer).toBeUndefined();
    expect(parse(['--dataset', 'folder', '--root', '/d']).layer).toBeUndefined();
    expect(() => parse(['--layer', 'mixed4,'])).toThrow(
      "option '--layer <NAME[,NAME...]>' argument 'mixed4,' is invalid. expected layer names separated by commas, none empty",
    );
  });

  it('takes --probe-features with its grid and sample sizes, and nothing that trains', () => {
    expect(parse(['--probe-features']).probe).toEqual({});
    expect(parse([]).probe).toBeUndefined();
    expect(
      parse([
        '--probe-features',
        '--probe-grid',
        'g.json',
        '--probe-sketches',
        '5',
        '--probe-images',
        '3',
      ]).probe,
    ).toEqual({ grid: 'g.json', sketchesPerClass: 5, imagesPerClass: 3 });
    expect(() => parse(['--probe-features', '--compare', '--resume'])).toThrow(
      '--probe-features trains nothing: it excludes --compare, --resume',
    );
    expect(() => parse(['--probe-sketches', '5'])).toThrow(/need --probe-features/);
  });

  it('takes the training engine and the ONNX Runtime threads', () => {
    expect(parse(['--engine', 'onnx', '--threads', '3'])).toMatchObject({
      engine: 'onnx',
      threads: 3,
    });
    expect(parse(['--engine', 'tfjs']).engine).toBe('tfjs');
    // A --compare job's arguments end with the parent's --threads, which wins.
    expect(parse(['--threads', '8', '--method', 'no-critic', '--threads', '2'])).toMatchObject({
      method: 'no-critic',
      threads: 2,
    });
  });

  it('gives each --compare job its method and a share of the cores as threads', () => {
    const job = (argv: string[], cores: number) =>
      parse(compareJobArgs(argv, parse(argv), 'no-critic', cores));
    const two = job(['--compare', '--jobs', '2', '--engine', 'onnx'], 16);
    expect(two).toMatchObject({ compare: false, method: 'no-critic', engine: 'onnx', threads: 8 });
    // Only the three trained methods run at once, however many jobs are allowed.
    expect(job(['--compare', '--jobs', '8'], 16).threads).toBe(5);
    expect(job(['--compare', '--jobs', '3'], 2).threads).toBe(1);
    expect(job(['--compare', '--jobs', '1'], 6).threads).toBe(6);
    // The user's --threads wins.
    expect(job(['--threads', '4', '--compare', '--jobs', '2'], 16).threads).toBe(4);
  });

  it('names a random split in the default output folder and takes overrides', () => {
    const o = parse([
      '--split-seed',
      '3',
      '--epochs',
      '2',
      '--batch-size',
      '64',
      '--seed',
      '7',
      '--resume',
    ]);
    expect(o.out).toBe(join('runs', 'qd-emoji-split-3'));
    expect(o.overrides).toEqual({ epochs: 2, batchSize: 64, seed: 7 });
    expect(o.resume).toBe(true);
  });

  it('gives clear errors for bad options', () => {
    expect(() => parse(['--dataset', 'mnist'])).toThrow(
      "option '--dataset <NAME>' argument 'mnist' is invalid. Allowed choices are qd-emoji, sketchy, tu-berlin, folder.",
    );
    expect(() => parse(['--dataset', 'sketchy'])).toThrow('--dataset sketchy needs --root DIR');
    expect(() => parse(['--epochs', 'ten'])).toThrow(
      "option '--epochs <N>' argument 'ten' is invalid. expected a non-negative integer",
    );
    expect(() => parse(['--epochs', 'abc'])).toThrow(ExperimentError);
    expect(() => parse(['--epochs', '0'])).toThrow('--epochs 0: expected at least 1');
    expect(() => parse(['--threads', '0'])).toThrow(ExperimentError);
    expect(() => parse(['--threads', '0'])).toThrow('--threads 0: expected at least 1');
    expect(() => parse(['--threads', '1.5'])).toThrow(
      "option '--threads <N>' argument '1.5' is invalid. expected a non-negative integer",
    );
    expect(() => parse(['--engine', 'fast'])).toThrow(
      "option '--engine <NAME>' argument 'fast' is invalid. Allowed choices are tfjs, onnx, auto.",
    );
    expect(() => parse(['--backbone', 'vgg19'])).toThrow(
      /argument 'vgg19' is invalid\. Allowed choices are vgg16, resnet50, mobilenet-v2, inception-v3, mobilenet-v2-1.4, graph-model, small-cnn/,
    );
    expect(() => parse(['--learning-rate', '1'])).toThrow("unknown option '--learning-rate'");
    expect(() => parse(['--compare', '--method', 'no-critic'])).toThrow(
      '--method and --compare exclude each other',
    );
    expect(() => parse(['runs'])).toThrow(/too many arguments/);
  });

  it('suggests the closest option for a misspelt one', () => {
    expect(() => parse(['--epoch', '3'])).toThrow(
      "unknown option '--epoch'\n(Did you mean --epochs?)",
    );
    expect(() => parse(['--resume-form', 'best'])).toThrow('(Did you mean --resume-from?)');
  });

  it('--help prints the generated help, with every option, its choices and help text', () => {
    let help = '';
    // Long lines wrap at the terminal's width.
    const flat = () => help.replace(/\s+/g, ' ');
    expect(parseTrainOptions(['--help'], {}, { writeOut: (text) => (help += text) })).toBeNull();
    expect(help).toBe(trainProgram().helpInformation());
    expect(help).toMatch(
      /^Usage: zs-sbir-train \[--dataset qd-emoji\|sketchy\|tu-berlin\|folder\] \[options\]/,
    );
    for (const option of trainProgram().options) expect(help).toContain(option.flags);
    expect(help).toContain('--dataset <NAME>');
    expect(flat()).toContain(
      'dataset (default qd-emoji) (choices: "qd-emoji", "sketchy", "tu-berlin", "folder")',
    );
    expect(help).toContain('--split-seed <N>');
    expect(help).toContain('a seeded random split instead');
    expect(flat()).toContain('(choices: "last", "best")');
    expect(flat()).toContain('(choices: "wad-cmsn", "no-critic", "no-identity")');
  });
});
