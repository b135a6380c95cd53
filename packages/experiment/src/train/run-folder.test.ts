import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend } from '@zs-sbir/core';
import {
  createWadCmsn,
  resolveConfig,
  saveCheckpoint,
  type TrainingState,
} from '@zs-sbir/wad-cmsn';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentSpec } from '../experiment/prepare-experiment.js';
import {
  canResume,
  differences,
  inspectRunFolder,
  planRun,
  type RunFolder,
  type RunRequest,
  readRunDescription,
} from './run-folder.js';

const config = resolveConfig({
  embeddingDim: 4,
  training: { batchSize: 4, stepsPerEpoch: 1, epochs: 5, patience: 3 },
});
const spec: ExperimentSpec = {
  dataset: 'qd-emoji',
  backbone: 'mobilenet-v2',
  sideInfo: 'both',
  inputSize: 112,
  cacheDir: '/cache',
};
const request = (extra: Partial<RunRequest> = {}): RunRequest => ({
  config,
  spec,
  protocol: 'sklearn',
  resume: false,
  overwrite: false,
  ...extra,
});

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** A run folder as `zs-sbir-train` leaves it: run.json, last/ and best/ checkpoints, a log, a report. */
async function makeRun(
  last: TrainingState,
  best: TrainingState,
  { reported = false, runConfig = config } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-run-folder-'));
  const rng = createRng('run-folder');
  const sideInfo = rng.fill(3 * 5, () => rng.normal());
  const model = createWadCmsn(runConfig, { visualDim: 6, sideInfoDim: 5, sideInfo });
  await saveCheckpoint(join(dir, 'checkpoints', 'last'), model, sideInfo, last);
  await saveCheckpoint(join(dir, 'checkpoints', 'best'), model, sideInfo, best);
  model.dispose();
  const description = { schema: 'zs-sbir/train-run', version: 1, spec, protocol: 'sklearn' };
  await writeFile(join(dir, 'run.json'), JSON.stringify({ ...description, config: runConfig }));
  await writeFile(join(dir, 'train-log.jsonl'), '{"epoch":1}\n');
  if (reported) {
    await mkdir(join(dir, 'report'));
    await writeFile(join(dir, 'report', 'report.json'), '{}');
  }
  return dir;
}

const state = (epoch: number, bestEpoch: number, bestScore = 0.25): TrainingState => ({
  epoch,
  bestEpoch,
  bestScore,
});

describe('planRun', () => {
  it('starts a new run where nothing was trained, saying so when --resume found nothing', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'zs-sbir-run-folder-')), 'wad-cmsn');
    const folder = await inspectRunFolder(dir);
    expect(folder.exists).toBe(false);
    expect(planRun(folder, request())).toEqual({ action: 'new', dir });
    expect(planRun(folder, request({ resume: true }))).toEqual({
      action: 'new',
      dir,
      note: `${dir}: nothing to resume there yet; starting a new run`,
    });
  });

  it('refuses to train over an unfinished run and names its epoch, best score and the choices', async () => {
    const dir = await makeRun(state(2, 2, 0.3125), state(2, 2, 0.3125));
    const folder = await inspectRunFolder(dir);
    expect(() => planRun(folder, request())).toThrow(
      `${dir} holds an unfinished run (epoch 2 of 5, best val mAP 0.3125 at epoch 2); --resume continues it, --overwrite starts it again (deleting it), or give another --out`,
    );
    expect(planRun(folder, request({ resume: true }))).toEqual({
      action: 'resume',
      dir,
      from: 'last',
      state: state(2, 2, 0.3125),
    });
    expect(planRun(folder, request({ overwrite: true }))).toEqual({
      action: 'new',
      dir,
      note: `${dir}: --overwrite: training it again (was epoch 2, best val mAP 0.3125 at epoch 2)`,
    });
  });

  it('calls a run finished when its budget is spent or early stopping fired, and its report is written', async () => {
    const spent = await makeRun(state(5, 4), state(4, 4), { reported: true });
    expect(planRun(await inspectRunFolder(spent), request())).toMatchObject({
      action: 'finished',
      state: state(5, 4),
    });
    // Early stopping: the best epoch (1) is patience (3) epochs old at epoch 4.
    const stopped = await makeRun(state(4, 1), state(1, 1), { reported: true });
    expect(planRun(await inspectRunFolder(stopped), request())).toMatchObject({
      action: 'finished',
    });
    // A larger budget and patience: the same run is unfinished, and --resume continues it.
    const more = request({
      config: resolveConfig({
        ...config,
        training: { ...config.training, epochs: 9, patience: 9 },
      }),
    });
    const stoppedFolder = await inspectRunFolder(stopped);
    expect(() => planRun(stoppedFolder, more)).toThrow(
      'holds an unfinished run (epoch 4 of 9, best val mAP 0.2500 at epoch 1)',
    );
    expect(planRun(await inspectRunFolder(stopped), { ...more, resume: true })).toMatchObject({
      action: 'resume',
      from: 'last',
    });
  });

  it('only evaluates a finished run whose report is missing or of another protocol', async () => {
    const unreported = await makeRun(state(5, 5), state(5, 5));
    expect(planRun(await inspectRunFolder(unreported), request())).toMatchObject({
      action: 'evaluate',
      from: 'last',
    });
    const reported = await makeRun(state(5, 5), state(5, 5), { reported: true });
    expect(planRun(await inspectRunFolder(reported), request({ protocol: 'voc' }))).toMatchObject({
      action: 'evaluate',
    });
  });

  it('never restarts when last/ is lost: names best/ and continues from it only when told', async () => {
    const dir = await makeRun(state(3, 2, 0.5), state(2, 2, 0.5));
    await rm(join(dir, 'checkpoints', 'last', 'checkpoint.json'));
    const folder = await inspectRunFolder(dir);
    expect(() => planRun(folder, request({ resume: true }))).toThrow(
      `${dir}: cannot resume, ${join(dir, 'checkpoints', 'last')} is missing; --resume-from best continues from ${join(dir, 'checkpoints', 'best')} (epoch 2, best val mAP 0.5000 at epoch 2), --overwrite starts again, or give another --out`,
    );
    expect(planRun(folder, request({ resume: true, from: 'best' }))).toEqual({
      action: 'resume',
      dir,
      from: 'best',
      state: state(2, 2, 0.5),
    });
    // Without --resume the folder is still a run to keep.
    expect(() => planRun(folder, request())).toThrow('holds a run with no usable checkpoint');
  });

  it('finds a damaged checkpoint by its hash, before any data work', async () => {
    const dir = await makeRun(state(3, 3), state(3, 3));
    const manifest = JSON.parse(
      await readFile(join(dir, 'checkpoints', 'last', 'checkpoint.json'), 'utf8'),
    ) as { file: string };
    const tensors = join(dir, 'checkpoints', 'last', manifest.file);
    const bytes = await readFile(tensors);
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(tensors, bytes);
    const folder = await inspectRunFolder(dir);
    expect(folder.last.ok).toBe(false);
    expect(() => planRun(folder, request({ resume: true }))).toThrow(
      /cannot resume, .*last is damaged \(.*content does not match the checkpoint's SHA-256\); --resume-from best/,
    );
  });

  it('refuses a run of another config or experiment, listing what differs', async () => {
    const dir = await makeRun(state(2, 2), state(2, 2));
    const folder: RunFolder = await inspectRunFolder(dir);
    const other = resolveConfig({ ...config, seed: 7, optimiser: { learningRate: 0.001 } });
    expect(() => planRun(folder, request({ config: other, resume: true }))).toThrow(
      `${dir} holds a run (epoch 2 of 5, best val mAP 0.2500 at epoch 2) trained with another config (optimiser.learningRate 0.0001 -> 0.001; seed 0 -> 7); only training.epochs and training.patience may change to resume it. --overwrite trains the new config there (deleting that run), or give another --out`,
    );
    expect(() =>
      planRun(folder, request({ spec: { ...spec, splitSeed: 3, cacheDir: '/elsewhere' } })),
    ).toThrow(
      `${dir} holds a run of another experiment (splitSeed (none) -> 3); --overwrite replaces it, or give another --out`,
    );
    // So are the layers the features were read from.
    expect(() =>
      planRun(folder, request({ spec: { ...spec, layer: ['block_13_expand_relu'] } })),
    ).toThrow(/holds a run of another experiment \(layer .*block_13_expand_relu/);
    // The cache folder is not part of the experiment.
    expect(
      planRun(folder, request({ spec: { ...spec, cacheDir: '/elsewhere' }, resume: true })),
    ).toMatchObject({ action: 'resume' });
  });
});

describe('readRunDescription', () => {
  it('reads run.json back, and names the file and key of a damaged one', async () => {
    const dir = await makeRun(state(2, 2), state(2, 2));
    const file = join(dir, 'run.json');
    expect(await readRunDescription(dir)).toMatchObject({ spec, protocol: 'sklearn', config });
    const saved = JSON.parse(await readFile(file, 'utf8'));
    const layered = { ...spec, layer: ['expanded_conv_12', 'expanded_conv_13'] };
    await writeFile(file, JSON.stringify({ ...saved, spec: layered }));
    expect((await readRunDescription(dir)).spec).toEqual(layered);
    await writeFile(file, JSON.stringify({ ...saved, spec: { ...spec, layer: 'out_relu' } }));
    await expect(readRunDescription(dir)).rejects.toThrow(`${file}: key 'spec.layer'`);
    await writeFile(file, JSON.stringify({ ...saved, spec: { ...spec, backbone: 'resnet18' } }));
    await expect(readRunDescription(dir)).rejects.toThrow(
      `${file}: key 'spec.backbone' must be one of vgg16, resnet50, mobilenet-v2, inception-v3, mobilenet-v2-1.4, graph-model, small-cnn, got "resnet18"`,
    );
    // A damaged description is no description (the old code kept it: its schema was right).
    expect((await inspectRunFolder(dir)).description).toBeUndefined();
    await writeFile(file, JSON.stringify({ ...saved, config: { ...saved.config, seed: -1 } }));
    await expect(readRunDescription(dir)).rejects.toThrow(
      `${file}: key 'config.seed' must be an integer >= 0, got -1`,
    );
  });
});

describe('canResume and differences', () => {
  it('lets only the epoch budget and patience change', () => {
    const longer = resolveConfig({ ...config, training: { ...config.training, epochs: 9 } });
    expect(canResume(config, longer)).toBe(true);
    expect(canResume(config, resolveConfig({ ...config, critic: { steps: 2 } }))).toBe(false);
    expect(differences({ a: { b: 1, c: [1, 2] } }, { a: { b: 1, c: [1, 3] }, d: 'x' })).toEqual([
      'a.c [1,2] -> [1,3]',
      'd (none) -> "x"',
    ]);
  });
});
