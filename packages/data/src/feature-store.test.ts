import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FeatureSet, readNpy } from '@zs-sbir/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureStoreError } from './errors.js';
import {
  isFeatureStoreComplete,
  readFeatureManifest,
  readFeatureStore,
  writeFeatureStore,
} from './feature-store.js';
import { tempDir } from './temp-dir.testkit.js';

let base: string;
const features: FeatureSet = {
  data: Float32Array.from([1, 2, 3, 4, 5, 6]),
  rows: 3,
  cols: 2,
  labels: Int32Array.from([1, 0, 1]),
  paths: ['a.png', 'b.png', 'c.png'],
};
const meta = {
  dataset: 'sketchy',
  split: 'sake',
  modality: 'sketch' as const,
  backbone: 'vgg16',
  inputSize: 224,
  classes: ['cat', 'dog'],
};

beforeAll(async () => {
  base = await tempDir('store');
});

describe('feature store', () => {
  it('round-trips features, labels and the manifest', async () => {
    const dir = join(base, 'ok');
    const manifest = await writeFeatureStore(dir, features, { ...meta, extra: { pooling: 'avg' } });
    expect(manifest).toMatchObject({
      rows: 3,
      cols: 2,
      labels: [1, 0, 1],
      backbone: 'vgg16',
      split: 'sake',
    });
    expect(manifest.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const back = await readFeatureStore(dir);
    expect(back).not.toBeNull();
    expect([...back!.features.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...back!.features.labels]).toEqual([1, 0, 1]);
    expect(back!.features.paths).toEqual(features.paths);
    expect(back!.manifest.extra).toEqual({ pooling: 'avg' });
    expect(await isFeatureStoreComplete(dir)).toBe(true);
  });

  it('writes plain float32 / int32 .npy arrays', async () => {
    const dir = join(base, 'ok');
    const f = await readNpy(join(dir, 'features.npy'));
    expect(f.dtype).toBe('float32');
    expect(f.shape).toEqual([3, 2]);
    const l = await readNpy(join(dir, 'labels.npy'));
    expect(l.dtype).toBe('int32');
    expect(l.shape).toEqual([3]);
    const header = (await readFile(join(dir, 'features.npy'))).subarray(0, 80).toString('latin1');
    expect(header).toContain("'descr': '<f4'");
  });

  it('treats a store without manifest, or with changed files, as absent', async () => {
    const dir = join(base, 'half');
    await writeFeatureStore(dir, features, meta);
    await writeFile(join(dir, 'labels.npy'), await readFile(join(base, 'ok', 'features.npy')));
    expect(await readFeatureStore(dir)).toBeNull();
    await writeFeatureStore(dir, features, meta);
    expect(await isFeatureStoreComplete(dir)).toBe(true);
    await rm(join(dir, 'manifest.json'));
    expect(await readFeatureStore(dir)).toBeNull();
    expect(await readFeatureStore(join(base, 'never-written'))).toBeNull();
  });

  it('treats a store whose manifest has the right hash but damaged keys as absent', async () => {
    const dir = join(base, 'damaged');
    const manifest = await writeFeatureStore(dir, features, meta);
    for (const damage of [{ paths: 'a.png' }, { paths: ['a.png'] }, { classes: undefined }]) {
      await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, ...damage }));
      expect(await readFeatureStore(dir)).toBeNull();
    }
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    expect(await isFeatureStoreComplete(dir)).toBe(true);
  });

  it('reads the manifest alone, even when the arrays do not match it, and only a valid one', async () => {
    const dir = join(base, 'manifest-only');
    const written = await writeFeatureStore(dir, features, meta);
    await writeFile(join(dir, 'features.npy'), 'not an array');
    expect(await readFeatureStore(dir)).toBeNull();
    expect(await readFeatureManifest(dir)).toEqual(written);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...written, version: 2 }));
    expect(await readFeatureManifest(dir)).toBeNull();
    await writeFile(join(dir, 'manifest.json'), '{"schema": "zs-sbir/feature-store"');
    expect(await readFeatureManifest(dir)).toBeNull();
    expect(await readFeatureManifest(join(base, 'never-written'))).toBeNull();
  });

  it('refuses rows, labels and paths that disagree', async () => {
    const dir = join(base, 'checks');
    await expect(
      writeFeatureStore(dir, { ...features, paths: ['only-one'] }, meta),
    ).rejects.toThrow(FeatureStoreError);
    await expect(
      writeFeatureStore(dir, { ...features, labels: Int32Array.from([0, 5, 1]) }, meta),
    ).rejects.toThrow(/row 1 has label 5/);
  });

  it('leaves no complete store when a rewrite dies after the arrays', async () => {
    const dir = join(base, 'rewrite');
    await writeFeatureStore(dir, features, meta);
    // A BigInt cannot be written as JSON: the rewrite fails at the manifest, the last step.
    const changed: FeatureSet = { ...features, data: Float32Array.from([9, 9, 9, 9, 9, 9]) };
    await expect(writeFeatureStore(dir, changed, { ...meta, extra: { n: 1n } })).rejects.toThrow();
    expect(await isFeatureStoreComplete(dir)).toBe(false);
    expect([...(await readNpy(join(dir, 'features.npy'))).data]).toEqual([9, 9, 9, 9, 9, 9]);
  });
});
