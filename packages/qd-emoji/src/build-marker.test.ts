import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markerPath, readMarker, writeMarker } from './build-marker.js';

describe('build markers', () => {
  it('key the marker on the file list and round-trip it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qd-marker-'));
    const a = markerPath(dir, ['x.png', 'y.png']);
    expect(markerPath(dir, ['x.png', 'y.png'])).toBe(a);
    expect(markerPath(dir, ['x.png'])).not.toBe(a);
    expect(await readMarker(a)).toBeUndefined();
    const marker = { files: 2, skipped: [{ path: 'y.png', reason: 'bad' }], finishedAt: 'now' };
    await writeMarker(a, marker);
    expect(await readMarker(a)).toEqual(marker);
  });

  it('reads a damaged marker as no marker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qd-marker-'));
    const path = markerPath(dir, ['x.png']);
    await writeMarker(path, { files: 1, skipped: [], finishedAt: 'now' });
    for (const damaged of [
      '{"files":',
      '{"files":1,"finishedAt":"now"}',
      '[]',
      '{"files":"1","skipped":[],"finishedAt":"now"}',
    ]) {
      await writeFile(path, damaged);
      expect(await readMarker(path)).toBeUndefined();
    }
  });
});
