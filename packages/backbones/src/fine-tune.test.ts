import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend, type Sample, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FineTuneProgress, fineTuneBackbone } from './fine-tune.js';
import { loadBackbone } from './load-backbone.js';

const CLASSES = ['red', 'green', 'blue'];

/** 16x16 images of one dominant colour with noise: channel `label` bright, the others dark. */
function colourSamples(perClass: number, seed: number): Sample[] {
  const rng = createRng(seed);
  const out: Sample[] = [];
  for (let label = 0; label < 3; label++) {
    for (let i = 0; i < perClass; i++) {
      const data = new Uint8Array(16 * 16 * 3);
      for (let p = 0; p < 16 * 16; p++) {
        for (let c = 0; c < 3; c++)
          data[p * 3 + c] = c === label ? 150 + rng.int(100) : rng.int(100);
      }
      out.push({
        path: `c${label}-${i}`,
        label,
        pixels: { data, width: 16, height: 16, channels: 3 },
      });
    }
  }
  return out;
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('fineTuneBackbone', () => {
  it('learns the seen classes, updates the embedding, frees its head, saves reloadable weights', async () => {
    const backbone = await loadBackbone({
      name: 'small-cnn',
      seed: 1,
      inputSize: 16,
      channels: [4, 8, 8],
    });
    const probe = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const before = await (await backbone.embed(probe)).array();
    const tensorsBefore = tf.memory().numTensors;
    const saveTo = await mkdtemp(join(tmpdir(), 'fine-tune-'));
    const progress: FineTuneProgress[] = [];
    const samples = colourSamples(8, 3);
    const { backbone: tuned, history } = await fineTuneBackbone(backbone, samples, {
      classNames: CLASSES,
      seen: ['red', 'blue'],
      epochs: 5,
      batchSize: 8,
      learningRate: 0.01,
      saveTo,
      onProgress: (p) => progress.push(p),
    });
    // Only the 16 red and blue samples: 2 batches of 8 per epoch.
    expect(progress.filter((p) => p.epoch === 1).map((p) => p.batch)).toEqual([1, 2]);
    expect(history).toHaveLength(5);
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss * 0.5);
    expect(history.at(-1)!.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    const after = await tuned.embed(probe);
    const direct = tuned.model.predict(probe) as tf.Tensor;
    expect(after.arraySync()).not.toEqual(before);
    expect(await after.data()).toEqual(await direct.data());
    expect(tuned.spec).toEqual({ name: 'small-cnn', weights: saveTo, normalisation: 'unit' });
    const reloaded = await loadBackbone(tuned.spec as { name: 'small-cnn' });
    const again = await reloaded.embed(probe);
    expect(await again.data()).toEqual(await after.data());
    tf.dispose([probe, after, direct, again]);
    await reloaded.dispose();
    await tuned.dispose();

    // A second tuning into the same folder: an error before any training, the model kept.
    const saved = await readFile(join(saveTo, 'model.json'), 'utf8');
    const second = await loadBackbone({
      name: 'small-cnn',
      seed: 2,
      inputSize: 16,
      channels: [4, 8, 8],
    });
    const steps: FineTuneProgress[] = [];
    const options = {
      classNames: CLASSES,
      seen: ['red', 'blue'],
      batchSize: 8,
      saveTo,
      onProgress: (p: FineTuneProgress) => steps.push(p),
    };
    await expect(fineTuneBackbone(second, samples, options)).rejects.toThrow(
      `fineTuneBackbone: ${saveTo} already holds a model (model.json); pass overwrite: true to replace it, or choose another saveTo`,
    );
    expect(steps).toEqual([]);
    expect(await readFile(join(saveTo, 'model.json'), 'utf8')).toBe(saved);
    const replaced = await fineTuneBackbone(second, samples, { ...options, overwrite: true });
    expect(steps).toHaveLength(2);
    const reread = await loadBackbone(replaced.backbone.spec as { name: 'small-cnn' });
    const tunedAgain = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const [a, b] = [await replaced.backbone.embed(tunedAgain), await reread.embed(tunedAgain)];
    expect(await b.data()).toEqual(await a.data());
    tf.dispose([tunedAgain, a, b]);
    await reread.dispose();
    await replaced.backbone.dispose();
  }, 60_000);

  it('names unknown seen classes', async () => {
    const backbone = await loadBackbone({ name: 'small-cnn' });
    await expect(
      fineTuneBackbone(backbone, colourSamples(1, 1), { classNames: CLASSES, seen: ['purple'] }),
    ).rejects.toThrow(/seen class\(es\) purple are not in classNames/);
    await backbone.dispose();
  });
});
