import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type FeatureSet, initBackend } from '@zs-sbir/core';
import type { Partition } from '@zs-sbir/eval';
import { resolveConfig } from '@zs-sbir/wad-cmsn';
import { beforeAll, describe, expect, it } from 'vitest';
import { canResume, trainOne } from './train-one.js';

const dim = 12;
const rng = createRng('train-one');
const centres = Array.from({ length: 8 }, () => rng.fill(dim, () => rng.normal()));
const set = (classes: number[], perClass: number, relabel: boolean): FeatureSet => {
  const labels = classes.flatMap((c, i) =>
    Array.from({ length: perClass }, () => (relabel ? i : c)),
  );
  const data = new Float32Array(labels.length * dim);
  classes.forEach((c, i) => {
    for (let k = 0; k < perClass; k++) {
      for (let j = 0; j < dim; j++)
        data[(i * perClass + k) * dim + j] = centres[c]![j]! + rng.normal(0, 0.3);
    }
  });
  return { data, rows: labels.length, cols: dim, labels: Int32Array.from(labels) };
};
const seen = ['c0', 'c1', 'c2', 'c3', 'c4'];
const partition: Partition = {
  seen,
  train: { sketches: set([0, 1, 2, 3, 4], 6, true), images: set([0, 1, 2, 3, 4], 4, true) },
  validation: { queries: set([5, 6], 5, false), gallery: set([5, 6], 3, false) },
  test: { queries: set([7], 2, false), gallery: set([7], 2, false) },
};
const sideInfo = new Map(seen.map((c, i) => [c, centres[i]!.slice(0, 6)]));
const config = resolveConfig({
  embeddingDim: 4,
  critic: { steps: 1 },
  training: { batchSize: 10, stepsPerEpoch: 3, epochs: 3, patience: 10 },
});

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const run = (dir: string, resume: boolean, stopAfterFirst = false) => {
  let epochs = 0;
  return trainOne({
    label: 'test',
    config,
    partition,
    sideInfo,
    dir,
    resume,
    stopRequested: () => stopAfterFirst && ++epochs >= 1,
    log: () => {},
  });
};

describe('trainOne', () => {
  it('a run stopped by Ctrl-C and resumed with --resume ends where an uninterrupted run does', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-sbir-train-one-'));
    const full = await run(join(root, 'full'), false);
    const expected = full.model.embed('sketch', partition.test.queries);
    full.model.dispose();
    const numbers = (h: { loss: number; validationMAP: number | null; parts: object }[]) =>
      h.map((e) => [e.loss, e.validationMAP, e.parts]);

    const first = await run(join(root, 'split'), false, true);
    expect(first.history.map((h) => h.epoch)).toEqual([1]);
    first.model.dispose();
    const resumed = await run(join(root, 'split'), true);
    expect(resumed.history.map((h) => h.epoch)).toEqual([2, 3]);
    // Epochs 2 and 3 after the resume compute exactly what the uninterrupted run computed.
    expect(numbers(resumed.history)).toEqual(numbers(full.history.slice(1)));
    const log = (await readFile(join(root, 'split', 'train-log.jsonl'), 'utf8')).trim().split('\n');
    expect(log.map((l) => JSON.parse(l).epoch)).toEqual([1, 2, 3]);
    // Both return the best checkpoint; the best epoch's weights are the same in both runs.
    expect(resumed.model.embed('sketch', partition.test.queries)).toEqual(expected);
    resumed.model.dispose();
  });

  it('resumes with a larger epoch budget but refuses any other config change', async () => {
    expect(
      canResume(
        config,
        resolveConfig({ ...config, training: { ...config.training, epochs: 9, patience: 2 } }),
      ),
    ).toBe(true);
    expect(canResume(config, resolveConfig({ ...config, optimiser: { learningRate: 1 } }))).toBe(
      false,
    );
  });

  it('refuses to resume a run trained with another config', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-sbir-train-one-'));
    (await run(root, false, true)).model.dispose();
    await expect(
      trainOne({
        label: 'other',
        config: resolveConfig({ ...config, seed: 1 }),
        partition,
        sideInfo,
        dir: root,
        resume: true,
        stopRequested: () => false,
        log: () => {},
      }),
    ).rejects.toThrow(/--resume: .* was trained with a different config/);
  });
});
