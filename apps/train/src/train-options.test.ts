import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentError } from '@zs-sbir/eval';
import { describe, expect, it } from 'vitest';
import { mergeConfig, runConfig } from './run-config.js';
import { checkOptionPaths, compareJobArgs, parseTrainOptions } from './train-options.js';

describe('parseTrainOptions', () => {
  it('defaults to the built-in benchmark at 112 px with the comparison off', () => {
    const o = parseTrainOptions([], { ZS_SBIR_CACHE: '/cache' });
    expect(o).toMatchObject({
      dataset: 'qd-emoji',
      backbone: 'mobilenet-v2',
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

  it('takes the training engine and the ONNX Runtime threads', () => {
    expect(parseTrainOptions(['--engine', 'onnx', '--threads', '3'])).toMatchObject({
      engine: 'onnx',
      threads: 3,
    });
    expect(parseTrainOptions(['--engine', 'tfjs']).engine).toBe('tfjs');
    // A --compare job's arguments end with the parent's --threads, which wins.
    expect(
      parseTrainOptions(['--threads', '8', '--method', 'no-critic', '--threads', '2']),
    ).toMatchObject({
      method: 'no-critic',
      threads: 2,
    });
  });

  it('gives each --compare job its method and a share of the cores as threads', () => {
    const job = (argv: string[], cores: number) =>
      parseTrainOptions(compareJobArgs(argv, parseTrainOptions(argv), 'no-critic', cores));
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
    const o = parseTrainOptions([
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
    expect(() => parseTrainOptions(['--dataset', 'mnist'])).toThrow(
      '--dataset mnist: expected one of qd-emoji, sketchy, tu-berlin, folder',
    );
    expect(() => parseTrainOptions(['--dataset', 'sketchy'])).toThrow(
      '--dataset sketchy needs --root DIR',
    );
    expect(() => parseTrainOptions(['--epochs', 'ten'])).toThrow(
      '--epochs ten: expected a non-negative integer',
    );
    expect(() => parseTrainOptions(['--epochs', '0'])).toThrow('--epochs 0: expected at least 1');
    expect(() => parseTrainOptions(['--threads', '0'])).toThrow(ExperimentError);
    expect(() => parseTrainOptions(['--threads', '0'])).toThrow('--threads 0: expected at least 1');
    expect(() => parseTrainOptions(['--threads', '1.5'])).toThrow(
      '--threads 1.5: expected a non-negative integer',
    );
    expect(() => parseTrainOptions(['--engine', 'fast'])).toThrow(
      '--engine fast: expected one of tfjs, onnx, auto',
    );
    expect(() => parseTrainOptions(['--backbone', 'vgg19'])).toThrow(
      /--backbone vgg19: expected one of vgg16, resnet50, mobilenet-v2, small-cnn/,
    );
    expect(() => parseTrainOptions(['--learning-rate', '1'])).toThrow(
      /Unknown option '--learning-rate'.*Valid options: --dataset/,
    );
    expect(() => parseTrainOptions(['--compare', '--method', 'no-critic'])).toThrow(
      '--method and --compare exclude each other',
    );
  });
});

describe('runConfig', () => {
  it('layers defaults, the dataset preset, the config file, the overrides and the ablation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-config-'));
    const file = join(dir, 'c.json');
    await writeFile(
      file,
      JSON.stringify({
        critic: { placement: 'cross-modal' },
        training: { epochs: 5, patience: 2 },
      }),
    );
    const options = parseTrainOptions(['--config', file, '--epochs', '3']);
    const c = await runConfig(options, { losses: { identity: null } });
    expect(c.critic.placement).toBe('cross-modal');
    expect(c.training).toMatchObject({ epochs: 3, patience: 2, stepsPerEpoch: 100 });
    expect(c.losses.identity!.weight).toBe(0);
    // From the qd-emoji preset, which the file did not override.
    expect(c.critic.steps).toBe(2);
    expect(c.optimiser.learningRate).toBe(3e-4);
    // From the recipe's defaults, which nothing overrode.
    expect(c.critic.gradientPenalty).toBe(10);
  });

  it('names a config file that is missing, not JSON, or has a wrong key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-config-'));
    await writeFile(join(dir, 'bad.json'), '{ critic: ');
    await writeFile(join(dir, 'typo.json'), JSON.stringify({ critic: { placment: 'none' } }));
    await expect(
      runConfig(parseTrainOptions(['--config', join(dir, 'none.json')])),
    ).rejects.toThrow(/none.json: cannot read it/);
    await expect(runConfig(parseTrainOptions(['--config', join(dir, 'bad.json')]))).rejects.toThrow(
      /bad.json: not valid JSON/,
    );
    await expect(
      runConfig(parseTrainOptions(['--config', join(dir, 'typo.json')])),
    ).rejects.toThrow("config.critic: unknown key 'placment'");
  });

  it('merges nested objects and keeps nulls', () => {
    expect(mergeConfig({ a: { b: 1, c: 2 }, d: 1 }, { a: { c: 3 }, e: null })).toEqual({
      a: { b: 1, c: 3 },
      d: 1,
      e: null,
    });
  });
});

describe('checkOptionPaths', () => {
  it('names a missing --root, --word-vectors or --weights, and a file given as --root', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-paths-'));
    const file = join(dir, 'vectors.txt');
    await writeFile(file, 'cat 0.1 0.2\n');
    const parse = (...argv: string[]) => parseTrainOptions(['--dataset', 'folder', ...argv]);
    await expect(checkOptionPaths(parse('--root', join(dir, 'nope')))).rejects.toThrow(
      `--root ${join(dir, 'nope')}: no such folder`,
    );
    await expect(checkOptionPaths(parse('--root', file))).rejects.toThrow(
      `--root ${file}: expected a folder`,
    );
    await expect(
      checkOptionPaths(parse('--root', dir, '--word-vectors', join(dir, 'glove.txt'))),
    ).rejects.toThrow(`--word-vectors ${join(dir, 'glove.txt')}: no such file`);
    await expect(
      checkOptionPaths(parse('--root', dir, '--weights', join(dir, 'w.safetensors'))),
    ).rejects.toThrow(`--weights ${join(dir, 'w.safetensors')}: no such file`);
    await expect(
      checkOptionPaths(parse('--root', dir, '--word-vectors', file, '--weights', dir)),
    ).resolves.toBeUndefined();
  });
});
