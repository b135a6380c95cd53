import { join } from 'node:path';
import { initBackend } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANN_THRESHOLD, annIndexFor } from './ann.js';
import { buildIndex } from './build-index.js';
import { openGalleryTable } from './gallery-table.js';
import { openIndex } from './open-index.js';
import { makeGallery, makeRun, picture, tempDir } from './search.testkit.js';

let work: string;
let run: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  work = await tempDir('ann');
  run = await makeRun(join(work, 'run'));
});

describe('the ANN index', () => {
  it('has sqrt(n) lists, half probed, sub-vectors dividing the width', () => {
    expect(annIndexFor(100_000, 64)).toEqual({
      type: 'IVF_PQ',
      partitions: 316,
      subVectors: 16,
      nprobes: 158,
      refineFactor: 50,
    });
    expect(annIndexFor(50_000, 300).subVectors).toBe(75);
    expect(annIndexFor(10, 7).subVectors).toBe(1);
    expect(ANN_THRESHOLD).toBe(50_000);
  });

  it('is built when asked, recorded in the manifest, and searches still rank by cosine', async () => {
    const images = join(work, 'photos');
    await makeGallery(images, 300);
    const out = join(work, 'index');
    const { manifest } = await buildIndex({ run, images, out, ann: true, batchSize: 64 });
    expect(manifest.ann).toEqual(annIndexFor(300, 8));
    const { db, table } = await openGalleryTable(out, 8);
    const indices = await table.listIndices();
    table.close();
    db.close();
    expect(indices.map((i) => [i.columns, i.indexType])).toEqual([[['vector'], 'IvfPq']]);
    const index = await openIndex(out);
    try {
      const sketch = await picture(999);
      const approx = await index.search(sketch, { k: 10 });
      const exact = await index.search(sketch, { k: 10, exact: true });
      expect(approx).toHaveLength(10);
      expect(approx.map((r) => r.score)).toEqual(
        [...approx.map((r) => r.score)].sort((a, b) => b - a),
      );
      const hits = approx.filter((r) => exact.some((e) => e.path === r.path)).length;
      expect(hits).toBeGreaterThanOrEqual(8);
    } finally {
      await index.close();
    }
  }, 120_000);
});
