import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backbone, fileIOHandler, loadBackbone } from '@zs-sbir/backbones';
import { createRng } from '@zs-sbir/core';
import { loadImage } from '@zs-sbir/data';
import { createWadCmsn, saveCheckpoint } from '@zs-sbir/wad-cmsn';
import sharp from 'sharp';
import { afterAll } from 'vitest';

/** A fresh temporary folder for one test file, removed after its tests. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `zs-sbir-search-${prefix}-`));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Embedding width of {@link makeRun}'s model. */
export const RUN_DIM = 8;

/**
 * A `zs-sbir-train` run folder as the train app writes it (`run.json`, `checkpoints/best`) for a
 * small-cnn 32 px backbone and an untrained WAD-CMSN model (seeded), without a dataset. With
 * `layer`, the run is one trained on those layers of a small-cnn saved as a TF.js layers model
 * (seed 0) in `<dir>-weights` (its `spec.weights`), recorded as `spec.layer`. `config` is merged
 * over the model's config (e.g. `{ inputNormalisation: 'centre-l2' }`).
 */
export async function makeRun(
  dir: string,
  seed = 7,
  layer?: string[],
  config: object = {},
): Promise<string> {
  let features: Record<string, unknown> = {};
  if (layer) {
    const weights = `${dir}-weights`;
    const saved = await loadBackbone({ name: 'small-cnn', inputSize: 32 });
    await mkdir(weights, { recursive: true });
    await saved.model.save(fileIOHandler(weights));
    await saved.dispose();
    features = { weights, layer };
  }
  const backbone = await loadBackbone({ name: 'small-cnn', inputSize: 32, ...features });
  const visualDim = backbone.outputDim;
  await backbone.dispose();
  const modelConfig = { embeddingDim: RUN_DIM, seed, critic: { placement: 'none' }, ...config };
  const sideInfo = new Float32Array(3 * 4).map((_, i) => Math.sin(i + seed));
  const rng = createRng(seed);
  const stats = (shift: number) => ({
    mean: Float32Array.from({ length: visualDim }, () => rng.uniform() * 0.1 + shift),
    std: Float32Array.from({ length: visualDim }, () => 0.05 + rng.uniform() * 0.1),
  });
  const model = createWadCmsn(modelConfig, {
    visualDim,
    sideInfoDim: 4,
    sideInfo,
    stats: { sketch: stats(0.2), image: stats(0.1) },
  });
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'run.json'),
    JSON.stringify({
      schema: 'zs-sbir/train-run',
      version: 1,
      spec: {
        dataset: 'folder',
        root: '/nowhere',
        backbone: 'small-cnn',
        inputSize: 32,
        ...features,
        sideInfo: 'hierarchy',
        cacheDir: '/nowhere/cache',
      },
      protocol: 'sklearn',
      config: model.config,
    }),
  );
  await saveCheckpoint(join(dir, 'checkpoints', 'best'), model, sideInfo, {
    epoch: 1,
    bestScore: 0.5,
    bestEpoch: 1,
  });
  model.dispose();
  return dir;
}

/** A `width` x `height` PNG of stripes whose colours depend on `n`. */
export function picture(n: number, width = 24, height = 20): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const stripe = Math.floor((x + y * (n % 3)) / (2 + (n % 5))) % 2;
      data[o] = (n * 37 + stripe * 90) % 256;
      data[o + 1] = (n * 71 + x * 5) % 256;
      data[o + 2] = stripe ? (n * 13) % 256 : 255 - ((n * 29) % 256);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** `count` photos in three class folders (`cats/`, `dogs/`, `owls/`) and one at the top; returns the relative paths. */
export async function makeGallery(dir: string, count = 30): Promise<string[]> {
  const classes = ['cats', 'dogs', 'owls'];
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path =
      i === count - 1 ? `top-${i}.png` : `${classes[i % 3]}/${String(i).padStart(2, '0')}.png`;
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), await picture(i));
    paths.push(path);
  }
  return paths.sort();
}

/**
 * Backbone features of image files, computed without the package: each file loaded at 32 px
 * (padded, the backbone's normalisation), one batch through `backbone.embedData`. `[files, dim]`.
 */
export async function featuresByHand(backbone: Backbone, files: string[]): Promise<Float32Array> {
  const options = { size: 32, fit: 'pad' as const, normalisation: backbone.normalisation };
  const inputs = await Promise.all(files.map((f) => loadImage(f, options)));
  const batch = new Float32Array(inputs.length * inputs[0]!.length);
  inputs.forEach((x, i) => {
    batch.set(x, i * x.length);
  });
  return backbone.embedData(batch, inputs.length);
}
