import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '@zs-sbir/io';
import { describe, expect, it } from 'vitest';
import { BackboneError } from './backbone-error.js';
import { BatchCache } from './batch-cache.js';

const batch = (rows: number, value: number) => ({
  features: new Float32Array(rows * 3).fill(value),
  paths: Array.from({ length: rows }, (_, i) => `img-${value}-${i}`),
  labels: Array.from({ length: rows }, () => 0),
  skipped: [],
});

async function openCache() {
  const dir = await mkdtemp(join(tmpdir(), 'batch-cache-'));
  return BatchCache.open(dir, 'print', 3);
}

describe('BatchCache', () => {
  it('scans sound batches and reads them back', async () => {
    const cache = await openCache();
    await cache.write(0, batch(2, 1));
    await cache.write(2, { ...batch(1, 2), skipped: [{ path: 'bad.png', reason: 'unreadable' }] });
    const scan = await cache.scan(3);
    expect([...scan.finished.keys()]).toEqual([0, 2]);
    expect(scan.finished.get(2)).toMatchObject({ rows: 1, skipped: [{ path: 'bad.png' }] });
    expect(scan.damaged).toEqual([]);
    expect([...(await cache.read(0)).features]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('reports a record without its .npy, an old record without size and hash, a bad record, and a wrong shape', async () => {
    const cache = await openCache();
    const at = (index: number, ext: string) =>
      join(cache.dir, `batch-${String(index).padStart(6, '0')}.${ext}`);
    for (let i = 0; i < 5; i++) await cache.write(i, batch(2, i));
    await rm(at(0, 'npy'));
    await writeFile(
      at(1, 'json'),
      JSON.stringify({ paths: ['a', 'b'], labels: [0, 0], skipped: [] }),
    );
    await writeFile(at(2, 'json'), '{"paths": [');
    const wrong = encodeNpy({ data: new Float32Array(4), shape: [2, 2] });
    await writeFile(at(3, 'npy'), wrong);
    const record = JSON.parse(await readFile(at(3, 'json'), 'utf8'));
    const sha256 = createHash('sha256').update(wrong).digest('hex');
    await writeFile(at(3, 'json'), JSON.stringify({ ...record, bytes: wrong.length, sha256 }));
    // Sizes and hash right, labels of the wrong type: accepted by the old hand-written check.
    const four = JSON.parse(await readFile(at(4, 'json'), 'utf8'));
    await writeFile(at(4, 'json'), JSON.stringify({ ...four, labels: ['cat', 'cat'] }));

    const scan = await cache.scan(5);
    expect(scan.finished.size).toBe(0);
    expect(scan.damaged).toEqual([
      { batch: 0, reason: 'batch-000000.json has no features file batch-000000.npy' },
      {
        batch: 1,
        reason: "batch-000001.json is not a completion record: key 'bytes' is required",
      },
      {
        batch: 2,
        reason: expect.stringMatching(
          /^batch-000002\.json is not a completion record: not valid JSON \(/,
        ),
      },
      { batch: 3, reason: 'batch-000003.npy holds float32 [2, 2], expected float32 [2, 3]' },
      {
        batch: 4,
        reason:
          'batch-000004.json is not a completion record: key \'labels[0]\' must be an integer >= 0, got "cat"',
      },
    ]);
    await expect(cache.read(3)).rejects.toThrow(BackboneError);
    await expect(cache.read(3)).rejects.toThrow(/batch-cache-\w+: batch-000003\.npy holds/);

    await cache.write(3, batch(2, 7)); // re-extracted: replaces the damaged files
    expect([...(await cache.scan(5)).finished.keys()]).toEqual([3]);
  });

  it('ignores batch files beyond the run and temporary files', async () => {
    const cache = await openCache();
    await cache.write(5, batch(1, 1));
    await writeFile(join(cache.dir, '.batch-000000.npy.0123.tmp'), 'half');
    expect(await cache.scan(5)).toEqual({ finished: new Map(), damaged: [] });
  });

  it('refuses the folder of another run, keeping its batches, until it is cleared', async () => {
    const cache = await openCache();
    await cache.write(0, batch(2, 1));
    await cache.write(1, batch(2, 2));
    expect(await BatchCache.recorded(cache.dir)).toBe('print');
    expect(await BatchCache.batchFiles(cache.dir)).toBe(2);
    await expect(BatchCache.open(cache.dir, 'other', 3)).rejects.toThrow(
      /batch-cache-\w+ holds the finished batches of another extraction/,
    );
    expect([...(await cache.scan(2)).finished.keys()]).toEqual([0, 1]);
    const same = await BatchCache.open(cache.dir, 'print', 3);
    expect([...(await same.read(1)).features]).toEqual([2, 2, 2, 2, 2, 2]);

    await BatchCache.clear(cache.dir);
    expect(await BatchCache.recorded(cache.dir)).toBeNull();
    expect(await BatchCache.batchFiles(cache.dir)).toBe(0);
    const other = await BatchCache.open(cache.dir, 'other', 3);
    expect(await BatchCache.recorded(other.dir)).toBe('other');
    expect((await other.scan(2)).finished.size).toBe(0);
  });
});
