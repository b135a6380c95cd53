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
      "option 'concurrency' (image headers checked at once) must be a positive integer, got 0",
    );
  });
});
