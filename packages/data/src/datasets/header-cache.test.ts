import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { tempDir } from '../temp-dir.testkit.js';
import { checkImageHeaders, clearHeaderCache } from './header-cache.js';
import { writeTree } from './image-tree.testkit.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('header-cache');
  await writeTree(dir, {
    'a.jpg': 'jpg',
    'b.jpg': 'corrupt-jpg',
    'c.png': 'png',
    'd.jpg': 'jpg',
  });
});

describe('checkImageHeaders', () => {
  it('answers in input order whatever the concurrency, and reports progress up to the total', async () => {
    const paths = ['d.jpg', 'b.jpg', 'missing.jpg', 'a.jpg', 'c.png'].map((p) => join(dir, p));
    for (const concurrency of [1, 2, 16]) {
      clearHeaderCache();
      const progress: number[] = [];
      const checks = await checkImageHeaders(paths, {
        concurrency,
        onProgress: (done, total) => progress.push(done / total),
      });
      expect(checks.map((c) => c.ok)).toEqual([true, false, false, true, true]);
      expect(checks[2]!.reason).toMatch(/^cannot read: .*missing\.jpg/);
      expect(progress).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    }
  });

  it('refuses a concurrency that is not a positive integer, naming the option', async () => {
    for (const concurrency of [0, -1, 2.5, Number.NaN]) {
      await expect(checkImageHeaders([join(dir, 'a.jpg')], { concurrency })).rejects.toThrow(
        DatasetError,
      );
    }
    await expect(checkImageHeaders([], { concurrency: 0 })).rejects.toThrow(
      "checkImageHeaders: option 'concurrency' must be an integer >= 1, got 0",
    );
  });

  it('treats a cache file of the wrong shape as damaged and checks every file again', async () => {
    const path = join(dir, 'a.jpg');
    const { size, mtimeMs } = await stat(path);
    const cacheFile = join(dir, 'headers.json');
    clearHeaderCache();
    // A stamp that matches the file but no check (`ok`): not a cached answer.
    await writeFile(cacheFile, JSON.stringify({ [path]: { size, mtimeMs } }));
    expect(await checkImageHeaders([path], { cacheFile })).toEqual([{ ok: true }]);
    clearHeaderCache();
    await writeFile(cacheFile, '{"half');
    expect(await checkImageHeaders([path], { cacheFile })).toEqual([{ ok: true }]);
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))[path]).toMatchObject({ ok: true, size });
  });
});
