import {
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type Dataset, initBackend, type Sample, tf } from '@zs-sbir/core';
import { imageBatches, readFeatureStore } from '@zs-sbir/data';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Backbone } from './backbone.js';
import { BackboneError } from './backbone-error.js';
import { type ExtractProgress, extractFeatures } from './extract-features.js';
import { loadBackbone } from './load-backbone.js';

/** Worker pools asked for, and disposed: the pool is a stand-in (this thread's backbone). */
const pools = vi.hoisted(() => ({ started: 0, disposed: 0 }));
vi.mock('./worker-backbone.js', () => ({
  loadWorkerBackbone: async () => {
    pools.started++;
    const inThread = await loadBackbone({ name: 'small-cnn', seed: 2 });
    return {
      ...inThread,
      dispose: async () => {
        pools.disposed++;
        await inThread.dispose();
      },
    };
  },
}));

const CLASSES = ['cat', 'dog', 'owl'];

/** In-memory RGB samples (seeded noise, 40x24 so the pipeline pads and resizes). */
function samples(prefix: string, count: number, seed: number): Sample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => ({
    path: `${prefix}-${i}`,
    label: i % CLASSES.length,
    pixels: {
      data: Uint8Array.from({ length: 40 * 24 * 3 }, () => rng.int(256)),
      width: 40,
      height: 24,
      channels: 3 as const,
    },
  }));
}

const dataset: Dataset = {
  classes: CLASSES,
  sketches: [...samples('sketch', 5, 1), { path: '/nonexistent/broken.png', label: 1 }],
  images: samples('image', 7, 2),
  skipped: [],
};

/** A backbone that counts the batches it embeds. */
function counting(backbone: Backbone): Backbone & { calls: number } {
  const wrapped = {
    ...backbone,
    calls: 0,
    embedData: (data: Float32Array, count: number) => {
      wrapped.calls++;
      return backbone.embedData(data, count);
    },
  };
  return wrapped;
}

/** Reference: each sample alone through the same pipeline and backbone. */
async function oneByOne(backbone: Backbone, list: Sample[]): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for await (const batch of imageBatches(list, {
    size: backbone.inputSize,
    normalisation: backbone.normalisation,
    fit: 'pad',
    batchSize: 1,
  })) {
    if (batch.count) rows.push(await backbone.embedData(batch.data, 1));
  }
  return rows;
}

let backbone: Backbone;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  backbone = await loadBackbone({ name: 'small-cnn', seed: 2 });
});

afterAll(async () => {
  await backbone.dispose();
});

describe('extractFeatures', () => {
  it('embeds both modalities in sample order, skips unreadable files, writes the stores', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'extract-'));
    const progress: ExtractProgress[] = [];
    const result = await extractFeatures(dataset, backbone, {
      cacheDir,
      datasetName: 'toy',
      batchSize: 3,
      workers: 1,
      onProgress: (p) => progress.push(p),
    });
    const sketch = result.sketch!;
    expect([sketch.rows, sketch.cols]).toEqual([5, 32]);
    expect(sketch.paths).toEqual(dataset.sketches.slice(0, 5).map((s) => s.path));
    expect([...sketch.labels]).toEqual([0, 1, 2, 0, 1]);
    expect(result.skipped.map((s) => s.path)).toEqual(['/nonexistent/broken.png']);
    const want = await oneByOne(backbone, dataset.images);
    expect(result.image!.rows).toBe(7);
    want.forEach((row, i) => {
      const got = result.image!.data.subarray(i * 32, (i + 1) * 32);
      for (let k = 0; k < 32; k++) expect(got[k]).toBeCloseTo(row[k]!, 5);
    });
    expect(progress.at(-1)).toMatchObject({
      modality: 'image',
      done: 7,
      total: 7,
      batchesDone: 3,
      batches: 3,
    });
    expect(progress.find((p) => p.modality === 'sketch' && p.batchesDone === 2)?.skipped).toBe(1);
    const stored = await readFeatureStore(join(cacheDir, 'image'));
    expect(stored?.manifest).toMatchObject({
      dataset: 'toy',
      modality: 'image',
      backbone: 'small-cnn',
      inputSize: 32,
    });
    expect([...stored!.features.data]).toEqual([...result.image!.data]);
    expect(await readdir(join(cacheDir, 'image'))).not.toContain('partial');
  }, 30_000);

  it('resumes after an interruption without redoing finished batches, then reuses the cache', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'extract-resume-'));
    const options = { cacheDir, batchSize: 2, workers: 1, modalities: ['image' as const] };
    const stop = new AbortController();
    const first = counting(backbone);
    await expect(
      extractFeatures(dataset, first, {
        ...options,
        signal: stop.signal,
        onProgress: (p) => p.batchesDone === 2 && stop.abort(),
      }),
    ).rejects.toThrow(BackboneError);
    expect(first.calls).toBe(2);
    expect(
      (await readdir(join(cacheDir, 'image', 'partial'))).filter((f) => f.endsWith('.npy')),
    ).toHaveLength(2);

    const second = counting(backbone);
    const resumed = await extractFeatures(dataset, second, options);
    expect(second.calls).toBe(2); // 4 batches of 2 for 7 images, 2 already done
    const clean = await extractFeatures(dataset, backbone, {
      ...options,
      cacheDir: await mkdtemp(join(tmpdir(), 'extract-clean-')),
    });
    expect([...resumed.image!.data]).toEqual([...clean.image!.data]);

    const third = counting(backbone);
    const cached: ExtractProgress[] = [];
    const again = await extractFeatures(dataset, third, {
      ...options,
      onProgress: (p) => cached.push(p),
    });
    expect(third.calls).toBe(0);
    expect(cached).toEqual([expect.objectContaining({ cached: true, done: 7 })]);
    expect([...again.image!.data]).toEqual([...clean.image!.data]);

    // Other weights: features of another kind, so the store is kept unless replace is set.
    const other = counting(await loadBackbone({ name: 'small-cnn', seed: 3 }));
    await expect(extractFeatures(dataset, other, options)).rejects.toThrow(
      `extractFeatures: ${join(cacheDir, 'image')} holds image features of another configuration (weights "random (seed 2)" there, "random (seed 3)" here): pass replace: true to replace them, or choose another cacheDir`,
    );
    expect(other.calls).toBe(0);
    expect((await readFeatureStore(join(cacheDir, 'image')))!.features.data).toEqual(
      clean.image!.data,
    );
    const replaced = await extractFeatures(dataset, other, { ...options, replace: true });
    expect(other.calls).toBe(4);
    expect((await readFeatureStore(join(cacheDir, 'image')))!.features.data).toEqual(
      replaced.image!.data,
    );
    expect(replaced.image!.data).not.toEqual(clean.image!.data);
    await other.dispose();
  }, 30_000);

  /** Stops an image extraction in batches of `batchSize` after `after` batches. */
  async function interrupt(cacheDir: string, batchSize: number, after: number, list = dataset) {
    const stop = new AbortController();
    await expect(
      extractFeatures(list, backbone, {
        cacheDir,
        batchSize,
        workers: 1,
        modalities: ['image'],
        signal: stop.signal,
        onProgress: (p) => p.batchesDone === after && stop.abort(),
      }),
    ).rejects.toThrow(/stopped after/);
  }

  it('keeps an interrupted run in another batch size and says how to resume it', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'extract-batch-size-'));
    await interrupt(cacheDir, 2, 2);
    const partial = join(cacheDir, 'image', 'partial');
    const options = { cacheDir, workers: 1, modalities: ['image' as const] };
    const other = counting(backbone);
    await expect(extractFeatures(dataset, other, { ...options, batchSize: 3 })).rejects.toThrow(
      `extractFeatures: ${partial} holds 2 finished batches of an interrupted extraction of these samples in batches of 2: run again with batchSize 2 to resume it, or pass replace: true to start over in batches of 3`,
    );
    expect(other.calls).toBe(0);
    const resumed = counting(backbone);
    await extractFeatures(dataset, resumed, { ...options, batchSize: 2 });
    expect(resumed.calls).toBe(2); // batches 2 and 3 of 4
    await rm(cacheDir, { recursive: true });
  }, 30_000);

  it('keeps an interrupted run of other samples unless replace is set, then starts over', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'extract-other-samples-'));
    await interrupt(cacheDir, 2, 3);
    const partial = join(cacheDir, 'image', 'partial');
    const fewer: Dataset = { ...dataset, images: dataset.images.slice(0, 5) };
    const options = { cacheDir, batchSize: 2, workers: 1, modalities: ['image' as const] };
    await expect(extractFeatures(fewer, backbone, options)).rejects.toThrow(
      `extractFeatures: ${partial} holds 3 finished batches of an interrupted extraction of other samples (another list, or files changed since): finish it with the options it was started with, or pass replace: true to discard it`,
    );
    const seed3 = await loadBackbone({ name: 'small-cnn', seed: 3 });
    await expect(extractFeatures(dataset, seed3, options)).rejects.toThrow(
      /holds 3 finished batches of an interrupted extraction of another configuration \(weights "random \(seed 2\)" there, "random \(seed 3\)" here\)/,
    );
    await seed3.dispose();
    expect((await readdir(partial)).filter((f) => f.endsWith('.npy'))).toHaveLength(3);

    const over = counting(backbone);
    const result = await extractFeatures(fewer, over, { ...options, replace: true });
    expect(over.calls).toBe(3); // 5 images in batches of 2, none reused
    expect(result.image!.paths).toEqual(fewer.images.map((s) => s.path));
    await rm(cacheDir, { recursive: true });
  }, 30_000);

  it('resumes an interrupted run whose folder an earlier version keyed as <fingerprint>/<batch size>', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'extract-legacy-key-'));
    await interrupt(cacheDir, 2, 2);
    const keyFile = join(cacheDir, 'image', 'partial', 'fingerprint.json');
    const key = JSON.parse(await readFile(keyFile, 'utf8')) as { fingerprint: string };
    expect(key).toMatchObject({ batchSize: 2, config: { backbone: 'small-cnn', engine: 'tfjs' } });
    await writeFile(keyFile, `${key.fingerprint}/2`);
    const resumed = counting(backbone);
    await extractFeatures(dataset, resumed, {
      cacheDir,
      batchSize: 2,
      workers: 1,
      modalities: ['image'],
    });
    expect(resumed.calls).toBe(2);
    // A key of that form for anything else cannot be compared: kept, and said so.
    await interrupt(cacheDir, 3, 1, { ...dataset, images: dataset.images.slice(1) });
    await writeFile(join(cacheDir, 'image', 'partial', 'fingerprint.json'), 'abc/3');
    const fewer: Dataset = { ...dataset, images: dataset.images.slice(2) };
    await expect(
      extractFeatures(fewer, backbone, { cacheDir, batchSize: 3, workers: 1 }),
    ).rejects.toThrow(/holds 1 finished batch of an interrupted extraction by an earlier version/);
    await rm(cacheDir, { recursive: true });
  }, 30_000);

  it('checks every modality before extracting any', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'extract-check-first-'));
    await extractFeatures(dataset, backbone, { cacheDir, workers: 1, modalities: ['image'] });
    const other = Object.assign(counting(backbone), { normalisation: 'imagenet' as const });
    await expect(extractFeatures(dataset, other, { cacheDir, workers: 1 })).rejects.toThrow(
      /image features of another configuration \(normalisation "unit" there, "imagenet" here\)/,
    );
    expect(other.calls).toBe(0);
    expect(await readdir(cacheDir)).toEqual(['image']); // no sketch store begun
    await rm(cacheDir, { recursive: true });
  }, 30_000);

  it('extracts again a file replaced in place under the same name, and only then', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'extract-files-'));
    const files = await Promise.all(
      [10, 80, 160].map(async (shade, i) => {
        const path = join(dir, `${i}.png`);
        const rgb = Buffer.alloc(20 * 20 * 3, shade);
        await sharp(rgb, { raw: { width: 20, height: 20, channels: 3 } })
          .png()
          .toFile(path);
        return { path, label: i % CLASSES.length };
      }),
    );
    const onDisk: Dataset = { classes: CLASSES, sketches: [], images: files, skipped: [] };
    const options = { cacheDir: dir, batchSize: 2, workers: 1, modalities: ['image' as const] };
    const first = await extractFeatures(onDisk, backbone, options);
    const unchanged = counting(backbone);
    expect((await extractFeatures(onDisk, unchanged, options)).image!.data).toEqual(
      first.image!.data,
    );
    expect(unchanged.calls).toBe(0);
    // Image 1 redrawn in another shade, same name and size.
    const redrawn = Buffer.alloc(20 * 20 * 3, 240);
    await sharp(redrawn, { raw: { width: 20, height: 20, channels: 3 } })
      .png()
      .toFile(files[1]!.path);
    await utimes(files[1]!.path, new Date(), new Date(Date.now() + 5000));
    const changed = counting(backbone);
    const again = await extractFeatures(onDisk, changed, options);
    expect(changed.calls).toBe(2);
    const [expected] = await oneByOne(backbone, [files[1]!]);
    const dim = backbone.outputDim;
    expect(again.image!.data.subarray(dim, 2 * dim)).toEqual(expected);
    expect(again.image!.data.subarray(dim, 2 * dim)).not.toEqual(
      first.image!.data.subarray(dim, 2 * dim),
    );
    expect(again.image!.data.subarray(0, dim)).toEqual(first.image!.data.subarray(0, dim));
  }, 30_000);

  describe.each([
    {
      damage: 'a truncated batch file',
      reason: /batch-000001\.npy has \d+ bytes, its record says \d+/,
      apply: async (npy: string) => truncate(npy, (await stat(npy)).size - 8),
    },
    {
      damage: 'a flipped byte (right size, wrong hash)',
      reason: /batch-000001\.npy does not match the sha256/,
      apply: async (npy: string) => {
        const bytes = await readFile(npy);
        bytes[bytes.length - 3]! ^= 0x40;
        await writeFile(npy, bytes);
      },
    },
    {
      damage: 'a batch file without its record',
      reason: /batch-000001\.npy has no completion record batch-000001\.json/,
      apply: (npy: string) => rm(npy.replace(/\.npy$/, '.json')),
    },
  ])('after an interruption, $damage', ({ reason, apply }) => {
    it('re-extracts only that batch, reports it, and matches an uninterrupted run', async () => {
      const cacheDir = await mkdtemp(join(tmpdir(), 'extract-damaged-'));
      const options = { cacheDir, batchSize: 2, workers: 1, modalities: ['image' as const] };
      const stop = new AbortController();
      await expect(
        extractFeatures(dataset, backbone, {
          ...options,
          signal: stop.signal,
          onProgress: (p) => p.batchesDone === 3 && stop.abort(),
        }),
      ).rejects.toThrow(BackboneError);
      await apply(join(cacheDir, 'image', 'partial', 'batch-000001.npy'));

      const rerun = counting(backbone);
      const progress: ExtractProgress[] = [];
      const resumed = await extractFeatures(dataset, rerun, {
        ...options,
        onProgress: (p) => progress.push(p),
      });
      expect(rerun.calls).toBe(2); // batch 1 (damaged) and batch 3 (never done) of 4
      const clean = await extractFeatures(dataset, backbone, {
        ...options,
        cacheDir: await mkdtemp(join(tmpdir(), 'extract-undamaged-')),
      });
      expect(resumed.image!.paths).toEqual(clean.image!.paths);
      expect([...resumed.image!.data]).toEqual([...clean.image!.data]);
      expect(progress.at(-1)).toMatchObject({ batchesDone: 4, batches: 4, done: 7, repaired: 1 });
      expect(progress.at(-1)!.damaged).toEqual([
        { batch: 1, reason: expect.stringMatching(reason) },
      ]);
      expect(await readdir(join(cacheDir, 'image'))).not.toContain('partial');
    }, 30_000);
  });

  it('keeps the split classes only, and creates no lasting tensors', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'extract-split-'));
    const before = tf.memory().numTensors;
    const perBatch: number[] = [];
    const result = await extractFeatures(dataset, backbone, {
      cacheDir,
      batchSize: 1,
      workers: 1,
      split: { name: 'toy-split', seen: ['cat'], validation: [], unseen: ['owl'] },
      onProgress: () => perBatch.push(tf.memory().numTensors),
    });
    expect([...result.image!.labels]).toEqual([0, 2, 0, 2, 0]);
    expect(new Set(perBatch)).toEqual(new Set([before]));
    expect(tf.memory().numTensors).toBe(before);
    expect((await readFeatureStore(join(cacheDir, 'sketch')))?.manifest.split).toBe('toy-split');
    // The whole dataset into the same folder: another selection, so the split's stores are kept.
    await expect(extractFeatures(dataset, backbone, { cacheDir, workers: 1 })).rejects.toThrow(
      /sketch features of another configuration \(split "toy-split" there, null here\)/,
    );
    expect((await readFeatureStore(join(cacheDir, 'image')))?.features.rows).toBe(5);
  }, 30_000);

  it('keeps several batches in flight and stores them in order whatever finishes first', async () => {
    // Two batches in flight (as with two worker threads), the earlier one finishing last.
    let call = 0;
    const parallel: Backbone = {
      ...backbone,
      parallelism: 2,
      embedData: async (data, count) => {
        const delay = call++ % 2 === 0 ? 60 : 0;
        await new Promise((resolve) => setTimeout(resolve, delay));
        return backbone.embedData(data, count);
      },
    };
    const options = { batchSize: 2, workers: 1, modalities: ['image' as const] };
    const threaded = await extractFeatures(dataset, parallel, {
      ...options,
      cacheDir: await mkdtemp(join(tmpdir(), 'extract-parallel-')),
    });
    const local = await extractFeatures(dataset, backbone, {
      ...options,
      cacheDir: await mkdtemp(join(tmpdir(), 'extract-local-')),
    });
    expect(threaded.image!.paths).toEqual(local.image!.paths);
    expect([...threaded.image!.data]).toEqual([...local.image!.data]);
  }, 30_000);

  it('keys the cache by the layers read: another layer of the same network is extracted anew', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'zs-layers-'));
    const options = { cacheDir, batchSize: 2, modalities: ['image' as const], workers: 1 };
    const first = Object.assign(counting(backbone), { layers: ['block_1'] });
    await extractFeatures(dataset, first, options);
    const same = Object.assign(counting(backbone), { layers: ['block_1'] });
    await extractFeatures(dataset, same, options);
    const other = Object.assign(counting(backbone), { layers: ['block_2'] });
    await expect(extractFeatures(dataset, other, options)).rejects.toThrow(
      /another configuration \(layers \["block_1"\] there, \["block_2"\] here\)/,
    );
    await extractFeatures(dataset, other, { ...options, replace: true });
    expect([same.calls, other.calls]).toEqual([0, 4]);
    await rm(cacheDir, { recursive: true });
  });

  it('keys the cache by the engine: ONNX features never reuse a TF.js store, nor the reverse', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'zs-engine-'));
    const options = { cacheDir, batchSize: 2, modalities: ['image' as const], workers: 1 };
    const tfjs = counting(backbone);
    await extractFeatures(dataset, tfjs, options);
    // The same network on another engine (as a converted graph model would be).
    const onnx = Object.assign(counting(backbone), { engine: 'onnx' as const });
    await expect(extractFeatures(dataset, onnx, options)).rejects.toThrow(
      /another configuration \(engine "tfjs" there, "onnx" here\)/,
    );
    await extractFeatures(dataset, onnx, { ...options, replace: true });
    const onnxAgain = Object.assign(counting(backbone), { engine: 'onnx' as const });
    await extractFeatures(dataset, onnxAgain, options);
    const tfjsAgain = counting(backbone);
    await extractFeatures(dataset, tfjsAgain, { ...options, replace: true });
    expect([tfjs.calls, onnx.calls, onnxAgain.calls, tfjsAgain.calls]).toEqual([4, 4, 0, 4]);
    await rm(cacheDir, { recursive: true });
  });

  it('starts worker threads only when a modality has batches to embed', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'zs-workers-'));
    const options = { cacheDir, batchSize: 2, workers: 2 };
    const first = await extractFeatures(dataset, backbone, { ...options, modalities: ['image'] });
    expect(pools).toEqual({ started: 1, disposed: 1 });
    // Images cached, sketches missing: one pool, for the sketches.
    await extractFeatures(dataset, backbone, options);
    expect(pools).toEqual({ started: 2, disposed: 2 });
    // Everything cached: no pool at all, same features.
    const cached = await extractFeatures(dataset, backbone, options);
    expect(pools).toEqual({ started: 2, disposed: 2 });
    expect(cached.image!.data).toEqual(first.image!.data);
    await rm(cacheDir, { recursive: true });
  });

  it('names a wrong modality', async () => {
    await expect(
      extractFeatures(dataset, backbone, { cacheDir: tmpdir(), modalities: ['photo' as 'image'] }),
    ).rejects.toThrow(/'modalities' has photo: expected sketch and\/or image/);
  });
});
