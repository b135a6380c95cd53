import { mkdtemp, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBackbone } from '@zs-sbir/backbones';
import { initBackend, type Sample } from '@zs-sbir/core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentFeatures } from './experiment-features.js';
import type { Experiment } from './open-experiment.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** A 16 px square PNG of one grey `shade` at `path`. */
async function square(path: string, shade: number): Promise<void> {
  const raw = { width: 16, height: 16, channels: 3 as const };
  await sharp(Buffer.alloc(16 * 16 * 3, shade), { raw })
    .png()
    .toFile(path);
}

describe('experimentFeatures', () => {
  it('reuses its stores, and gives a file replaced in place, another engine or another normalisation a new store, leaving the old one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'experiment-features-'));
    const sketches: Sample[] = [];
    const images: Sample[] = [];
    for (let i = 0; i < 4; i++) {
      sketches.push({ path: join(dir, `s${i}.png`), label: i % 2 });
      images.push({ path: join(dir, `i${i}.png`), label: i % 2 });
      await square(sketches[i]!.path, 20 + 50 * i);
      await square(images[i]!.path, 230 - 50 * i);
    }
    const experiment: Experiment = {
      name: 'toy',
      dataset: { classes: ['a', 'b'], sketches, images, skipped: [] },
      split: { name: 'toy', seen: ['a'], validation: [], unseen: ['b'] },
      trainViews: [],
      sideInfo: new Map(),
      sideInfoDescription: '',
    };
    const backbone = await loadBackbone({ name: 'small-cnn', seed: 5 });
    const options = { cacheDir: join(dir, 'cache'), batchSize: 4, workers: 1 };
    const stores = () => readdir(join(dir, 'cache', 'features', 'toy'));
    const first = await experimentFeatures(experiment, backbone, options);
    const again = await experimentFeatures(experiment, backbone, options);
    expect(again.sketch.data).toEqual(first.sketch.data);
    expect(await stores()).toHaveLength(1);
    // Sketch 2 redrawn under the same name: a store of its own, and its features change.
    await square(sketches[2]!.path, 255);
    await utimes(sketches[2]!.path, new Date(), new Date(Date.now() + 5000));
    const redrawn = await experimentFeatures(experiment, backbone, options);
    expect(await stores()).toHaveLength(2);
    const dim = backbone.outputDim;
    const row = (f: Float32Array, i: number) => Array.from(f.subarray(i * dim, (i + 1) * dim));
    expect(row(redrawn.sketch.data, 2)).not.toEqual(row(first.sketch.data, 2));
    expect(row(redrawn.sketch.data, 1)).toEqual(row(first.sketch.data, 1));
    expect(redrawn.image.data).toEqual(first.image.data);
    // Another engine or normalisation: a store of its own, so no store is ever replaced.
    for (const other of [{ engine: 'onnx' as const }, { normalisation: 'imagenet' as const }]) {
      await experimentFeatures(experiment, { ...backbone, ...other }, options);
    }
    expect(await stores()).toHaveLength(4);
    const back = await experimentFeatures(experiment, backbone, options);
    expect(back.sketch.data).toEqual(redrawn.sketch.data);
    expect(await stores()).toHaveLength(4);
    await backbone.dispose();
  }, 60_000);
});
