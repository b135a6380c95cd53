import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend, tf } from '@zs-sbir/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { CheckpointError, TrainingError } from './errors.js';
import { featureStats } from './input-stats.js';
import { syntheticProblem, syntheticSetup } from './synthetic.testkit.js';
import { trainingFinished, trainWadCmsn, validationMAP } from './train-loop.js';
import { createWadCmsn } from './wad-cmsn.js';

const { dim, train, validation, sideInfo, build: buildFor } = syntheticSetup('wad');
const small = {
  embeddingDim: 8,
  training: { batchSize: 12, stepsPerEpoch: 6, epochs: 4, patience: 10 },
  optimiser: { learningRate: 1e-3 },
  critic: { steps: 2 },
};
const build = (config: object = small) => buildFor(config);

let dir: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = await mkdtemp(join(tmpdir(), 'zs-sbir-wad-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const batch = () => ({
  sketch: train.sketches.data.slice(0, 12 * dim),
  image: train.images.data.slice(0, 12 * dim),
  labels: train.sketches.labels.slice(0, 12),
});

describe('createWadCmsn', () => {
  it.each([
    ['semantic', 'wgan-gp', ['sketch', 'image']],
    ['cross-modal', 'wgan-gp', ['cross-modal']],
    ['semantic', 'lsgan', ['sketch', 'image']],
    ['none', 'wgan-gp', []],
  ] as const)(
    'placement %s with %s: steps, reports each critic, leaks no tensor',
    (placement, kind, critics) => {
      const model = build({ ...small, critic: { ...small.critic, placement, kind } });
      const rng = createRng(1);
      model.trainStep(batch(), rng);
      const before = tf.memory().numTensors;
      let result = model.trainStep(batch(), rng);
      for (let i = 0; i < 18; i++) result = model.trainStep(batch(), rng);
      expect(tf.memory().numTensors).toBe(before);
      expect(Object.keys(result.critics)).toEqual(critics);
      expect(Number.isFinite(result.loss)).toBe(true);
      expect('adversarial' in result.parts).toBe(placement !== 'none');
      expect(result.parts.identity).toBeGreaterThan(0);

      model.dispose();
    },
  );

  it('keeps an ablation when a resolved config is passed again (checkpoints, jobs)', () => {
    const first = build({ ...small, losses: { identity: null } });
    const again = build(first.config);
    expect('identity' in again.trainStep(batch(), createRng(0)).parts).toBe(false);
    first.dispose();
    again.dispose();
  });

  it('rejects a wrong config key and data that does not fit', () => {
    expect(() => build({ critic: { placment: 'none' } })).toThrow(
      /config.critic: unknown key 'placment'/,
    );
    expect(() => createWadCmsn({}, { visualDim: dim, sideInfoDim: 7, sideInfo })).toThrow(
      /sideInfo holds 60 values, not a whole number of rows of sideInfoDim 7/,
    );
  });

  it('stops with a TrainingError on a NaN loss, without updating the weights', () => {
    const model = build();
    const before = model.networks.projectors.sketch.getWeights();
    const bad = batch();
    bad.sketch[3] = Number.NaN;
    expect(() => model.trainStep(bad, createRng(0))).toThrow(TrainingError);
    expect(model.networks.projectors.sketch.getWeights()).toEqual(before);
    model.dispose();
  });

  it('names a label outside the seen classes, as the onnx engine does', () => {
    const model = build({ ...small, critic: { placement: 'none' } });
    const bad = batch();
    bad.labels[3] = 99;
    expect(() => model.trainStep(bad, createRng(0))).toThrow(
      new TrainingError('trainStep: labels[3] is 99, expected a class index in [0, 6)'),
    );
    model.dispose();
  });
});

describe('trainWadCmsn', () => {
  it('learns: mAP on held-out classes rises well above the untrained model', async () => {
    const p = syntheticProblem({
      classes: 30,
      perClass: 12,
      dim,
      sideDim: 32,
      seed: 'learn',
      noise: 0.3,
    });
    const seenL = Array.from({ length: 20 }, (_, i) => i);
    const heldOut = Array.from({ length: 10 }, (_, i) => 20 + i);
    const trainL = { sketches: p.set('sketch', seenL), images: p.set('image', seenL) };
    const valL = { queries: p.set('sketch', heldOut), gallery: p.set('image', heldOut) };
    const side = p.sideInfo(seenL);
    const model = createWadCmsn(
      {
        embeddingDim: 8,
        projector: { dropout: 0 },
        critic: { placement: 'none' },
        optimiser: { learningRate: 1e-3 },
        training: { batchSize: 20, stepsPerEpoch: 20, epochs: 10, patience: 10 },
      },
      {
        visualDim: dim,
        sideInfoDim: 32,
        sideInfo: side,
        stats: { sketch: featureStats(trainL.sketches), image: featureStats(trainL.images) },
      },
    );
    const untrained = await validationMAP(model, valL);
    const result = await trainWadCmsn({ model, sideInfo: side, train: trainL, validation: valL });
    expect(result.history).toHaveLength(10);
    expect(result.history[9]!.loss).toBeLessThan(result.history[0]!.loss / 2);
    expect(result.state.bestScore).toBeGreaterThan(untrained + 0.1);
    model.dispose();
  });

  it.each([
    ['tfjs', {}],
    ['onnx', { engine: 'onnx', threads: 1 }],
  ] as const)(
    '%s: a run resumed from its checkpoint ends exactly where an uninterrupted run does',
    async (name, engine) => {
      const full = build();
      await trainWadCmsn({ model: full, sideInfo, train, validation, ...engine });
      const expected = full.embed('sketch', validation.queries);
      full.dispose();

      const ckpt = join(dir, `resume-${name}`);
      const first = build();
      const interrupted = await trainWadCmsn({
        model: first,
        sideInfo,
        train,
        validation,
        checkpointDir: ckpt,
        shouldStop: () => true,
        ...engine,
      });
      expect(interrupted.stoppedBy).toBe('interrupted');
      expect(interrupted.engine.name).toBe(name);
      first.dispose();
      const loaded = await loadCheckpoint(join(ckpt, 'last'));
      expect(loaded.state.epoch).toBe(1);
      const rest = await trainWadCmsn({
        model: loaded.model,
        sideInfo,
        train,
        validation,
        resumeFrom: loaded.state,
        ...engine,
      });
      expect(rest.history.map((h) => h.epoch)).toEqual([2, 3, 4]);
      expect(loaded.model.embed('sketch', validation.queries)).toEqual(expected);
      loaded.model.dispose();
    },
  );

  it('keeps the best checkpoint and stops early when validation stops improving', async () => {
    const model = build({
      ...small,
      training: { ...small.training, epochs: 30, patience: 2 },
      optimiser: { learningRate: 0 },
    });
    const result = await trainWadCmsn({
      model,
      sideInfo,
      train,
      validation,
      checkpointDir: join(dir, 'early'),
    });
    // With a zero learning rate the score never improves after epoch 1.
    expect(result.stoppedBy).toBe('early-stopping');
    expect(result.state).toMatchObject({ epoch: 3, bestEpoch: 1 });
    expect((await loadCheckpoint(join(dir, 'early', 'best'))).state.epoch).toBe(1);
    model.dispose();
  });
});

describe('resumed runs', () => {
  it('an early-stopped run trains no further; a larger budget and patience continue it', async () => {
    const model = build({
      ...small,
      training: { ...small.training, epochs: 30, patience: 2 },
      optimiser: { learningRate: 0 },
    });
    const path = join(dir, 'early-resume');
    await trainWadCmsn({ model, sideInfo, train, validation, checkpointDir: path });
    model.dispose();
    const loaded = await loadCheckpoint(join(path, 'last'));
    expect(loaded.state).toMatchObject({ epoch: 3, bestEpoch: 1 });
    const again = await trainWadCmsn({
      model: loaded.model,
      sideInfo,
      train,
      validation,
      resumeFrom: loaded.state,
    });
    expect(again).toMatchObject({ stoppedBy: 'early-stopping', history: [] });
    const longer = await trainWadCmsn({
      model: loaded.model,
      sideInfo,
      train,
      validation,
      resumeFrom: loaded.state,
      budget: { epochs: 5, patience: 9 },
    });
    expect(longer.stoppedBy).toBe('epochs');
    expect(longer.history.map((h) => h.epoch)).toEqual([4, 5]);
    loaded.model.dispose();
  });

  it('trainingFinished: the budget is spent or the best score is patience epochs old', () => {
    const budget = { epochs: 10, patience: 3 };
    expect(trainingFinished({ epoch: 10, bestEpoch: 10, bestScore: 0.5 }, budget)).toBe(true);
    expect(trainingFinished({ epoch: 9, bestEpoch: 9, bestScore: 0.5 }, budget)).toBe(false);
    expect(trainingFinished({ epoch: 7, bestEpoch: 4, bestScore: 0.5 }, budget)).toBe(true);
    expect(trainingFinished({ epoch: 6, bestEpoch: 4, bestScore: 0.5 }, budget)).toBe(false);
    // Without validation there is no best score and so no early stopping.
    const none = { epoch: 7, bestEpoch: 4, bestScore: Number.NEGATIVE_INFINITY };
    expect(trainingFinished(none, budget)).toBe(false);
  });

  it('refuses a budget that is not a positive integer', async () => {
    const model = build();
    await expect(
      trainWadCmsn({ model, sideInfo, train, validation, budget: { epochs: 0 } }),
    ).rejects.toThrow('trainWadCmsn: budget.epochs must be an integer >= 1, got 0');
    model.dispose();
  });
});

describe('runs without validation classes', () => {
  it('keep every epoch as the best and resume from a checkpoint with no best score', async () => {
    const model = build({ ...small, training: { ...small.training, epochs: 2 } });
    const empty = { queries: { ...validation.queries, rows: 0 }, gallery: validation.gallery };
    const path = join(dir, 'no-validation');
    const result = await trainWadCmsn({
      model,
      sideInfo,
      train,
      validation: empty,
      checkpointDir: path,
    });
    expect(result.stoppedBy).toBe('epochs');
    expect(result.history.map((h) => [h.validationMAP, h.best])).toEqual([
      [null, true],
      [null, true],
    ]);
    const loaded = await loadCheckpoint(join(path, 'best'));
    expect(loaded.state).toMatchObject({
      epoch: 2,
      bestEpoch: 2,
      bestScore: Number.NEGATIVE_INFINITY,
    });
    model.dispose();
    loaded.model.dispose();
  });
});

describe('checkpoints', () => {
  it('save the variables that loss terms own (a learned classifier)', async () => {
    const config = {
      ...small,
      losses: { identity: null, classification: { weight: 1, classes: 6 } },
    };
    const model = build(config);
    model.trainStep(batch(), createRng(4));
    const path = join(dir, 'classifier');
    await saveCheckpoint(path, model, sideInfo, { epoch: 1, bestScore: 0, bestEpoch: 1 });
    const loaded = await loadCheckpoint(path);
    expect(loaded.model.loss.trainableVariables.length).toBeGreaterThan(0);
    expect(loaded.model.loss.trainableVariables.map((v) => Array.from(v.dataSync()))).toEqual(
      model.loss.trainableVariables.map((v) => Array.from(v.dataSync())),
    );
    model.dispose();
    loaded.model.dispose();
  });

  it('leave no tensors behind when saved', async () => {
    const model = build();
    model.trainStep(batch(), createRng(5));
    const path = join(dir, 'no-leak');
    await saveCheckpoint(path, model, sideInfo, { epoch: 1, bestScore: 0, bestEpoch: 1 });
    const before = tf.memory().numTensors;
    await saveCheckpoint(path, model, sideInfo, { epoch: 2, bestScore: 0, bestEpoch: 1 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('round-trip the weights, statistics and optimiser state', async () => {
    const model = build();
    model.trainStep(batch(), createRng(2));
    const path = join(dir, 'roundtrip');
    await saveCheckpoint(path, model, sideInfo, { epoch: 1, bestScore: 0.5, bestEpoch: 1 });
    const loaded = await loadCheckpoint(path);
    expect(loaded.model.embed('image', validation.gallery)).toEqual(
      model.embed('image', validation.gallery),
    );
    const [a, b] = await Promise.all([
      model.optimisers.main.getWeights(),
      loaded.model.optimisers.main.getWeights(),
    ]);
    expect(b.length).toBe(a.length);
    expect(Array.from(b[5]!.tensor.dataSync())).toEqual(Array.from(a[5]!.tensor.dataSync()));
    // A second save replaces the tensor file; only one remains.
    await saveCheckpoint(path, model, sideInfo, { epoch: 2, bestScore: 0.5, bestEpoch: 1 });
    expect((await readdir(path)).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    model.dispose();
    loaded.model.dispose();
  });

  it('refuses a damaged or missing checkpoint, naming the file', async () => {
    const model = build();
    const path = join(dir, 'damaged');
    const manifest = await saveCheckpoint(path, model, sideInfo, {
      epoch: 0,
      bestScore: 0,
      bestEpoch: -1,
    });
    model.dispose();
    expect((await verifyCheckpoint(path)).state).toEqual({ epoch: 0, bestScore: 0, bestEpoch: -1 });
    await writeFile(join(path, manifest.file), 'garbage');
    await expect(verifyCheckpoint(path)).rejects.toThrow(/does not match the checkpoint's SHA-256/);
    await expect(loadCheckpoint(path)).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(path)).rejects.toThrow(/does not match the checkpoint's SHA-256/);
    await expect(loadCheckpoint(join(dir, 'nothing'))).rejects.toThrow(
      /nothing\/checkpoint.json: no readable checkpoint/,
    );
  });
});
