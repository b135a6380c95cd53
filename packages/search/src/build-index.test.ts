import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBackbone } from '@zs-sbir/backbones';
import { initBackend, tf } from '@zs-sbir/core';
import { loadCheckpoint } from '@zs-sbir/wad-cmsn';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../qd-emoji/src/cosine.testkit.js';
import { buildIndex } from './build-index.js';
import { galleryRows, openGalleryTable } from './gallery-table.js';
import { openIndex } from './open-index.js';
import {
  featuresByHand,
  makeGallery,
  makeRun,
  picture,
  RUN_DIM,
  tempDir,
} from './search.testkit.js';
import { SearchError } from './search-error.js';

let work: string;
let run: string;
let images: string;
let paths: string[];

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  work = await tempDir('build');
  run = await makeRun(join(work, 'run'));
  images = join(work, 'photos');
  paths = await makeGallery(images, 30);
  await writeFile(join(work, 'sketch.png'), await picture(101, 30, 30));
});

/** Embeddings computed without the package: the backbone, `model.embed`, brute force. */
async function reference(files: string[], branch: 'image' | 'sketch') {
  const backbone = await loadBackbone({ name: 'small-cnn', inputSize: 32 });
  const { model } = await loadCheckpoint(join(run, 'checkpoints', 'best'));
  const features = await featuresByHand(backbone, files);
  const out = model.embed(branch, {
    data: features,
    rows: files.length,
    cols: backbone.outputDim,
  });
  model.dispose();
  await backbone.dispose();
  return files.map((_, i) => out.subarray(i * RUN_DIM, (i + 1) * RUN_DIM));
}

async function rows(out: string) {
  const { db, table } = await openGalleryTable(out, RUN_DIM);
  const all = await galleryRows(table);
  table.close();
  db.close();
  return all;
}

describe('buildIndex and openIndex', () => {
  it('finds what a brute-force cosine over model.embed finds, best first, with labels', async () => {
    const out = join(work, 'index-exact');
    const result = await buildIndex({ run, images, out, batchSize: 8 });
    expect(result).toMatchObject({ embedded: 30, reused: 0, removed: 0, skipped: [] });
    expect(result.manifest).toMatchObject({ count: 30, dim: RUN_DIM, ann: null });

    const gallery = await reference(
      paths.map((p) => join(images, p)),
      'image',
    );
    const [sketch] = await reference([join(work, 'sketch.png')], 'sketch');
    const expected = paths
      .map((path, i) => ({ path, score: cosine(sketch!, gallery[i]!) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);

    const index = await openIndex(out);
    try {
      expect(await index.paths()).toEqual(paths);
      const found = await index.search(join(work, 'sketch.png'), { k: 10 });
      expect(found.map((r) => r.path)).toEqual(expected.map((r) => r.path));
      found.forEach((r, i) => {
        expect(r.score).toBeCloseTo(expected[i]!.score, 5);
      });
      for (const r of found) {
        if (r.path.includes('/')) expect(r.label).toBe(r.path.split('/')[0]);
        else expect(r.label).toBeUndefined();
      }
      // The same sketch as PNG bytes, as pixels and as its embedding; and in a batch.
      const bytes = await readFile(join(work, 'sketch.png'));
      expect(await index.search(bytes, { k: 10 })).toEqual(found);
      const all = await index.search(sketch!.slice(), { k: 30 });
      expect(all.map((r) => r.path)).toEqual(
        paths
          .map((path, i) => ({ path, score: cosine(sketch!, gallery[i]!) }))
          .sort((a, b) => b.score - a.score)
          .map((r) => r.path),
      );
      const batch = await index.searchBatch([join(work, 'sketch.png'), gallery[3]!.slice()], {
        k: 3,
      });
      expect(batch[0]).toEqual(found.slice(0, 3));
      expect(batch[1]![0]).toMatchObject({ path: paths[3] });
      expect(batch[1]![0]!.score).toBeCloseTo(1, 5);
      await expect(index.search(sketch!.slice(), { k: 0 })).rejects.toThrow(
        'k 0: expected a positive integer',
      );
      expect(await index.has(found[0]!.path)).toBe(true);
      expect(await index.has('../run/run.json')).toBe(false);
      expect(await index.has("cats/it's.png")).toBe(false);
      await expect(index.search(new Float32Array(3))).rejects.toThrow(
        'query embedding has 3 values, the index holds 8-d vectors',
      );
    } finally {
      await index.close();
    }
  }, 60_000);

  it("ranks a centred run's photos by cosine of each domain's centred features' embeddings", async () => {
    const centred = await makeRun(join(work, 'run-centred'), 9, undefined, {
      inputNormalisation: 'centre-l2',
    });
    const out = join(work, 'index-centred');
    await buildIndex({ run: centred, images, out, batchSize: 8 });

    // By hand: backbone features, minus the run's training mean of that domain (over its std:
    // the fixture's are not 1), unit rows, then the projector and unit length (no model.embed).
    const backbone = await loadBackbone({ name: 'small-cnn', inputSize: 32 });
    const { model } = await loadCheckpoint(join(centred, 'checkpoints', 'best'));
    expect(model.stats.sketch.mean).not.toEqual(model.stats.image.mean);
    const embedByHand = async (files: string[], branch: 'image' | 'sketch') => {
      const features = await featuresByHand(backbone, files);
      const cols = backbone.outputDim;
      const { mean, std } = model.stats[branch];
      return files.map((_, r) => {
        const row = Array.from(
          { length: cols },
          (_, c) => (features[r * cols + c]! - mean[c]!) / std[c]!,
        );
        const norm = Math.hypot(...row);
        return tf.tidy(() => {
          const e = model.networks.projectors[branch].apply(
            tf.tensor2d(
              row.map((v) => v / norm),
              [1, cols],
            ),
          );
          return tf.div(e, tf.norm(e)).dataSync() as Float32Array;
        });
      });
    };
    const gallery = await embedByHand(
      paths.map((p) => join(images, p)),
      'image',
    );
    const [sketch] = await embedByHand([join(work, 'sketch.png')], 'sketch');
    model.dispose();
    await backbone.dispose();
    const expected = paths
      .map((path, i) => ({ path, score: cosine(sketch!, gallery[i]!) }))
      .sort((a, b) => b.score - a.score);

    const index = await openIndex(out);
    try {
      const found = await index.search(join(work, 'sketch.png'), { k: 30 });
      expect(found.map((r) => r.path)).toEqual(expected.map((r) => r.path));
      found.forEach((r, i) => {
        expect(r.score).toBeCloseTo(expected[i]!.score, 4);
      });
    } finally {
      await index.close();
    }
  }, 60_000);

  it('resumes an interrupted build without embedding the done photos again, to the same index', async () => {
    const full = join(work, 'index-full');
    await buildIndex({ run, images, out: full, batchSize: 8 });
    const out = join(work, 'index-resumed');
    let batches = 0;
    await expect(
      buildIndex({
        run,
        images,
        out,
        batchSize: 8,
        onProgress: (p) => {
          if (p.embedded > 0 && ++batches === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    // Not finished: no index to open, but the rows of two batches are written.
    await expect(openIndex(out)).rejects.toThrow('no finished index');
    expect(await rows(out)).toHaveLength(16);

    const controller = new AbortController();
    await expect(
      buildIndex({
        run,
        images,
        out,
        batchSize: 8,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.embedded > 0) controller.abort();
        },
      }),
    ).rejects.toThrow('index build stopped after 24 of 30 photos');

    const resumed = await buildIndex({ run, images, out, batchSize: 8 });
    expect(resumed).toMatchObject({ embedded: 6, reused: 24, removed: 0 });
    const a = await rows(full);
    const b = await rows(out);
    expect(b.map((r) => r.path)).toEqual(a.map((r) => r.path));
    b.forEach((r, i) => {
      expect(Array.from(r.vector)).toEqual(Array.from(a[i]!.vector));
      expect([r.label, r.size, r.mtime]).toEqual([a[i]!.label, a[i]!.size, a[i]!.mtime]);
    });
    expect(await readdir(out)).not.toContain('building.json');
  }, 60_000);

  it('picks up changed, added and removed photos, and keeps the finished index while a rebuild runs', async () => {
    const photos = join(work, 'photos-changing');
    const list = await makeGallery(photos, 12);
    const out = join(work, 'index-changing');
    await buildIndex({ run, images: photos, out, batchSize: 4 });
    const before = new Map((await rows(out)).map((r) => [r.path, r.vector]));

    const changed = list[0]!;
    await writeFile(join(photos, changed), await picture(77));
    const later = new Date(Date.now() + 5000);
    await utimes(join(photos, changed), later, later);
    await rm(join(photos, list[1]!));
    await writeFile(join(photos, 'dogs', 'new.png'), await picture(55));

    const result = await buildIndex({ run, images: photos, out, batchSize: 4 });
    expect(result).toMatchObject({ embedded: 2, reused: 10, removed: 2 });
    const after = await rows(out);
    expect(after.map((r) => r.path).sort()).toEqual(
      [...list.filter((p) => p !== list[1]), 'dogs/new.png'].sort(),
    );
    const vector = (p: string) => Array.from(after.find((r) => r.path === p)!.vector);
    expect(vector(changed)).not.toEqual(Array.from(before.get(changed)!));
    expect(vector(list[2]!)).toEqual(Array.from(before.get(list[2]!)!));

    // A rebuild stopped half-way (one of two new photos written) leaves the finished index as it was.
    await writeFile(join(photos, 'owls', 'a.png'), await picture(56));
    await writeFile(join(photos, 'owls', 'b.png'), await picture(57));
    await expect(
      buildIndex({
        run,
        images: photos,
        out,
        batchSize: 1,
        onProgress: (p) => {
          if (p.embedded > 0) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(await rows(out)).toHaveLength(13);
    const old = await openIndex(out);
    expect(old.info.count).toBe(12);
    const all = await old.search(new Float32Array(after[0]!.vector), { k: 20 });
    expect(all.map((r) => r.path).sort()).toEqual(after.map((r) => r.path));
    await old.close();
    const finished = await buildIndex({ run, images: photos, out, batchSize: 1 });
    expect(finished).toMatchObject({ embedded: 1, reused: 13, removed: 0 });
    const index = await openIndex(out);
    expect(index.info.count).toBe(14);
    await index.close();
  }, 60_000);

  it('skips and lists unreadable files', async () => {
    const photos = join(work, 'photos-broken');
    await makeGallery(photos, 5);
    await writeFile(join(photos, 'cats', 'broken.jpg'), 'not a jpeg');
    const out = join(work, 'index-broken');
    const result = await buildIndex({ run, images: photos, out });
    expect(result.skipped.map((s) => s.path)).toEqual(['cats/broken.jpg']);
    expect(result.skipped[0]!.reason).not.toBe('');
    expect(result.manifest.skipped).toEqual(result.skipped);
    const manifest = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
    expect(manifest.skipped[0].path).toBe('cats/broken.jpg');
    expect((await rows(out)).map((r) => r.path)).not.toContain('cats/broken.jpg');
    expect(result.manifest.count).toBe(5);
  }, 60_000);

  it('refuses an out folder that is not an index of the same run and photos, deleting nothing', async () => {
    const mine = join(work, 'my-notes');
    await makeGallery(mine, 1);
    const err = await buildIndex({ run, images, out: mine }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect((err as SearchError).option).toBe('out');
    expect((err as Error).message).toContain('is not a zs-sbir-search index; nothing was changed');
    expect(await readdir(mine)).toEqual(['top-0.png']);

    const small = join(work, 'photos-small');
    await makeGallery(small, 3);
    const built = join(work, 'index-owned');
    await buildIndex({ run, images: small, out: built });
    const other = await makeRun(join(work, 'other-run'), 8);
    const err2 = await buildIndex({ run: other, images: small, out: built }).catch((e) => e);
    expect((err2 as Error).message).toContain(`holds an index of the run ${run}`);
    const err3 = await buildIndex({ run, images, out: built }).catch((e) => e);
    expect((err3 as Error).message).toContain(`holds an index of the photos of ${small}`);
    expect((await stat(join(built, 'index.json'))).isFile()).toBe(true);
    const index = await openIndex(built);
    expect(index.info.count).toBe(3);
    await index.close();
  }, 60_000);

  it('names the option of a bad input before any work', async () => {
    const out = join(work, 'never');
    await expect(buildIndex({ run: join(work, 'nope'), images, out })).rejects.toThrow(
      `run ${join(work, 'nope')}: no such folder`,
    );
    await expect(buildIndex({ run: images, images, out })).rejects.toThrow(
      `run ${images}: no run.json; expected a zs-sbir-train run folder`,
    );
    const empty = join(work, 'empty');
    await mkdir(join(empty, 'cats'), { recursive: true });
    await writeFile(join(empty, 'cats', 'notes.txt'), 'no photos here');
    await expect(buildIndex({ run, images: empty, out })).rejects.toThrow(
      `images ${empty}: no image files`,
    );
    await expect(buildIndex({ run, images, out, batchSize: 0 })).rejects.toThrow(
      'batchSize 0: expected a positive integer',
    );
    await expect(stat(out)).rejects.toThrow();
    await expect(openIndex(join(work, 'photos'))).rejects.toThrow('no finished index');
  }, 60_000);
});

describe('openIndex and its run folder', () => {
  it('loads the model at the first sketch, and tries again after a failed load', async () => {
    const moving = await makeRun(join(work, 'run-moving'));
    const small = join(work, 'photos-moving');
    await makeGallery(small, 4);
    const out = join(work, 'index-moving');
    const { manifest } = await buildIndex({ run: moving, images: small, out });
    await rename(moving, `${moving}-away`);
    const index = await openIndex(out);
    try {
      // An embedding needs no model.
      const first = await index.search(new Float32Array(RUN_DIM).fill(1), { k: 2 });
      expect(first).toHaveLength(2);
      const sketch = join(work, 'sketch.png');
      await expect(index.search(sketch)).rejects.toThrow(`run ${manifest.run.dir}: no such folder`);
      await rename(`${moving}-away`, moving);
      expect(await index.search(sketch, { k: 4 })).toHaveLength(4);
    } finally {
      await index.close();
    }
  }, 60_000);
});
