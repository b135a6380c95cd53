import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBackbone } from '@zs-sbir/backbones';
import { initBackend } from '@zs-sbir/core';
import { loadCheckpoint } from '@zs-sbir/wad-cmsn';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from './build-index.js';
import { galleryRows, openGalleryTable } from './gallery-table.js';
import { loadRunModel, readRunIdentity } from './run-model.js';
import { featuresByHand, makeGallery, makeRun, RUN_DIM, tempDir } from './search.testkit.js';

let work: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  work = await tempDir('run-model');
});

/** `model.embed` of the image features of `files` read at `layer` of the run's saved small-cnn. */
async function reference(run: string, files: string[], layer: string[]): Promise<Float32Array> {
  const backbone = await loadBackbone({
    name: 'small-cnn',
    inputSize: 32,
    weights: `${run}-weights`,
    layer,
  });
  const { model } = await loadCheckpoint(join(run, 'checkpoints', 'best'));
  const features = await featuresByHand(backbone, files);
  const out = model.embed('image', { data: features, rows: files.length, cols: 16 });
  model.dispose();
  await backbone.dispose();
  return out;
}

describe('a run trained on a non-default layer', () => {
  it('is loaded with that layer and indexed as training embedded', async () => {
    const layer = ['features.3'];
    const run = await makeRun(join(work, 'layer-run'), 5, layer);
    const identity = await readRunIdentity(run);
    expect(identity.backbone).toEqual({
      name: 'small-cnn',
      weights: `${run}-weights`,
      inputSize: 32,
      layer,
    });
    const loaded = await loadRunModel(run);
    try {
      // features.3 has 16 channels; the backbone's default (its output) has 32.
      expect(loaded.backbone.outputDim).toBe(16);
      expect(loaded.backbone.layers).toEqual(layer);
    } finally {
      await loaded.dispose();
    }

    const images = join(work, 'photos');
    const paths = await makeGallery(images, 6);
    const out = join(work, 'index');
    await buildIndex({ run, images, out, batchSize: 4 });
    const { db, table } = await openGalleryTable(out, RUN_DIM);
    const rows = await galleryRows(table);
    table.close();
    db.close();
    const expected = await reference(
      run,
      rows.map((r) => join(images, r.path)),
      layer,
    );
    expect(rows.map((r) => r.path).sort()).toEqual([...paths].sort());
    rows.forEach((r, i) => {
      const want = expected.subarray(i * RUN_DIM, (i + 1) * RUN_DIM);
      r.vector.forEach((x, j) => {
        expect(x).toBeCloseTo(want[j]!, 5);
      });
    });
  }, 60_000);

  it('accepts one layer name as a string; a run without the key keeps the default layer', async () => {
    const run = await makeRun(join(work, 'string-run'), 6, ['features.3']);
    const file = join(run, 'run.json');
    const description = JSON.parse(await readFile(file, 'utf8'));
    description.spec.layer = 'features.3';
    await writeFile(file, JSON.stringify(description));
    expect((await readRunIdentity(run)).backbone.layer).toEqual(['features.3']);

    const old = await makeRun(join(work, 'old-run'), 7);
    const identity = await readRunIdentity(old);
    expect(identity.backbone).toEqual({ name: 'small-cnn', inputSize: 32 });
    const loaded = await loadRunModel(old);
    try {
      expect(loaded.backbone.outputDim).toBe(32);
    } finally {
      await loaded.dispose();
    }
  }, 60_000);

  it('names run.json and the key when spec.layer is not a name or a list of names', async () => {
    const run = await makeRun(join(work, 'bad-run'), 8);
    const file = join(run, 'run.json');
    const description = JSON.parse(await readFile(file, 'utf8'));
    description.spec.layer = 3;
    await writeFile(file, JSON.stringify(description));
    await expect(readRunIdentity(run)).rejects.toThrow(/run\.json.*spec\.layer/s);
  });
});
