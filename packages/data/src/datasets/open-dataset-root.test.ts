import { readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SkippedFile } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../temp-dir.testkit.js';
import { clearHeaderCache } from './header-cache.js';
import { writeTree } from './image-tree.testkit.js';
import { type OpenedDataset, openDataset } from './open-dataset.js';

// Every tree holds an `outside/` folder next to the dataset with real images in it: had any of
// them been read, it would be a sample and `stray` a class.
let base: string;

beforeAll(async () => {
  base = await realpath(await tempDir('root'));
});

const names = (d: OpenedDataset, which: 'sketches' | 'images') =>
  d[which].map((s) => `${d.classes[s.label]}:${s.path.split('/').pop()}`).sort();

/** Paths whose header was checked: the cache file keeps exactly those. */
async function checkedPaths(cacheFile: string): Promise<string[]> {
  return Object.keys(JSON.parse(await readFile(cacheFile, 'utf8')) as object);
}

const sorted = (skipped: readonly SkippedFile[]) =>
  [...skipped].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

describe('openDataset: file-list entries outside the dataset root', () => {
  it('refuses ../, absolute and symlinked Sketchy SAKE entries, naming list and line', async () => {
    const top = join(base, 'sake-sketchy');
    const dir = join(top, 'Sketchy');
    const sketches = '256x256/sketch/tx_000000000000';
    await writeTree(top, {
      'outside/stray/x.png': 'png',
      'outside/stray/y.jpg': 'jpg',
      'Sketchy2/cow/p.png': 'png',
      [`Sketchy/${sketches}/cow/b-1.png`]: 'png',
      'Sketchy/EXTEND_image_sketchy/cow/b.jpg': 'jpg',
    });
    await symlink(join(top, 'outside'), join(dir, 'linked'));
    await symlink(join(top, 'outside/stray/x.png'), join(dir, sketches, 'cow/out.png'));
    await symlink('b-1.png', join(dir, sketches, 'cow/alias.png'));
    const train = join(dir, 'zeroshot1/sketch_tx_000000000000_ready_filelist_train.txt');
    const photos = join(dir, 'zeroshot1/all_photo_filelist_train.txt');
    await writeTree(dir, {
      'zeroshot1/sketch_tx_000000000000_ready_filelist_train.txt': {
        text: [
          `${sketches}/cow/b-1.png 0`,
          '../outside/stray/x.png 0',
          '/etc/passwd 0',
          '256x256/../../outside/stray/x.png 0',
          '../Sketchy2/cow/p.png 0',
          'linked/stray/x.png 0',
          `${sketches}/cow/out.png 0`,
          `${sketches}/cow/alias.png 0`,
        ].join('\n'),
      },
      'zeroshot1/all_photo_filelist_train.txt': {
        text: `EXTEND_image_sketchy/cow/b.jpg 0\n${join(top, 'outside/stray/y.jpg')} 0\n`,
      },
    });
    const cacheFile = join(top, 'headers.json');
    clearHeaderCache();
    const d = await openDataset({ kind: 'sketchy', root: top, cacheFile });
    expect(d.layout).toBe('sake');
    expect(d.classes).toEqual(['cow']);
    expect(names(d, 'sketches')).toEqual(['cow:alias.png', 'cow:b-1.png']);
    expect(names(d, 'images')).toEqual(['cow:b.jpg']);
    const outside = `outside the dataset root ${dir}`;
    const from = (list: string, line: number) => `(from file list ${list} line ${line})`;
    const realOutside = (p: string) =>
      `symbolic link to ${join(top, p)} (outside the dataset root ${dir})`;
    expect(sorted(d.skipped)).toEqual(
      sorted([
        { path: join(top, 'outside/stray/x.png'), reason: `${outside} ${from(train, 2)}` },
        { path: '/etc/passwd', reason: `${outside} ${from(train, 3)}` },
        { path: join(top, 'Sketchy2/cow/p.png'), reason: `${outside} ${from(train, 5)}` },
        {
          path: join(dir, 'linked/stray/x.png'),
          reason: `${realOutside('outside/stray/x.png')} ${from(train, 6)}`,
        },
        {
          path: join(dir, sketches, 'cow/out.png'),
          reason: `${realOutside('outside/stray/x.png')} ${from(train, 7)}`,
        },
        { path: join(top, 'outside/stray/y.jpg'), reason: `${outside} ${from(photos, 2)}` },
      ]),
    );
    // Line 4 (`256x256/../../outside/...`) names the same file as line 2: reported once.
    expect(d.skipped.filter((s) => s.reason.includes('line 4'))).toEqual([]);
    const checked = await checkedPaths(cacheFile);
    expect(checked.sort()).toEqual(
      [
        join(dir, sketches, 'cow/b-1.png'),
        join(dir, sketches, 'cow/alias.png'),
        join(dir, 'EXTEND_image_sketchy/cow/b.jpg'),
      ].sort(),
    );
  });

  it('refuses a TU-Berlin SAKE image list entry that climbs out of the root', async () => {
    const top = join(base, 'sake-tu');
    const dir = join(top, 'TU-Berlin');
    await writeTree(top, {
      'outside/stray/x.jpg': 'jpg',
      'TU-Berlin/png_ready/alarm clock/1.png': 'png',
      'TU-Berlin/zeroshot/png_ready_filelist_train.txt': {
        text: 'png_ready/alarm clock/1.png 0\n',
      },
      'TU-Berlin/zeroshot/ImageResized_ready_filelist_zero.txt': {
        text: '\nImageResized_ready/../../outside/stray/x.jpg 0\n',
      },
    });
    clearHeaderCache();
    const d = await openDataset({ kind: 'tu-berlin', root: top });
    expect(d.classes).toEqual(['alarm_clock']);
    expect(d.images).toEqual([]);
    expect(d.skipped).toEqual([
      {
        path: join(top, 'outside/stray/x.jpg'),
        reason: `outside the dataset root ${dir} (from file list ${join(dir, 'zeroshot/ImageResized_ready_filelist_zero.txt')} line 2)`,
      },
    ]);
  });
});

describe('openDataset: symbolic links out of a folder tree', () => {
  it('refuses linked class folders, files and trees that leave the root; follows links inside', async () => {
    const top = join(base, 'folder');
    const root = join(top, 'data');
    await writeTree(top, {
      'outside/stray/x.png': 'png',
      'outside/stray/y.png': 'png',
      'data/sketch/cat/c.png': 'png',
      'data/sketch/dog/d.png': 'png',
    });
    await symlink(join(top, 'outside/stray'), join(root, 'sketch/stray'));
    await symlink(join(top, 'outside/stray/x.png'), join(root, 'sketch/cat/x.png'));
    await symlink('../dog/d.png', join(root, 'sketch/cat/from-dog.png'));
    await symlink(join(root, 'sketch/dog'), join(root, 'sketch/hound'));
    await symlink(join(top, 'outside'), join(root, 'photos'));
    const cacheFile = join(top, 'headers.json');
    clearHeaderCache();
    const d = await openDataset({ kind: 'folder', root, cacheFile });
    expect(d.classes).toEqual(['cat', 'dog', 'hound']);
    expect(names(d, 'sketches')).toEqual([
      'cat:c.png',
      'cat:from-dog.png',
      'dog:d.png',
      'hound:d.png',
    ]);
    expect(d.images).toEqual([]);
    const link = (to: string) =>
      `symbolic link to ${join(top, to)} (outside the dataset root ${root})`;
    expect(sorted(d.skipped)).toEqual(
      sorted([
        { path: join(root, 'sketch/stray'), reason: link('outside/stray') },
        { path: join(root, 'sketch/cat/x.png'), reason: link('outside/stray/x.png') },
        { path: join(root, 'photos'), reason: link('outside') },
      ]),
    );
    expect((await checkedPaths(cacheFile)).every((p) => p.startsWith(`${root}/`))).toBe(true);
  });

  it('refuses a Sketchy SEM-PCYC class folder linked out of the root', async () => {
    const top = join(base, 'sem-pcyc');
    const dir = join(top, 'Sketchy');
    await writeTree(top, {
      'outside/stray/x.jpg': 'jpg',
      'Sketchy/sketch/tx_000000000000/cat/c.png': 'png',
      'Sketchy/extended_photo/cat/c.jpg': 'jpg',
    });
    await symlink(join(top, 'outside/stray'), join(dir, 'extended_photo/stray'));
    clearHeaderCache();
    const d = await openDataset({ kind: 'sketchy', root: top });
    expect(d.classes).toEqual(['cat']);
    expect(names(d, 'images')).toEqual(['cat:c.jpg']);
    expect(d.skipped).toEqual([
      {
        path: join(dir, 'extended_photo/stray'),
        reason: `symbolic link to ${join(top, 'outside/stray')} (outside the dataset root ${dir})`,
      },
    ]);
  });

  it('refuses a QuickDraw class file linked out of the root, without reading it', async () => {
    const top = join(base, 'quickdraw');
    const root = join(top, 'qd');
    const ink = JSON.stringify(Array.from({ length: 784 }, () => 0));
    await writeTree(top, { 'outside/secret.ndjson': { text: 'not a bitmap, never parsed' } });
    await writeTree(root, { 'cat.ndjson': { text: `${ink}\n` } });
    await writeFile(join(root, 'dog.ndjson.gz'), gzipSync(ink));
    await symlink(join(top, 'outside/secret.ndjson'), join(root, 'stray.ndjson'));
    const d = await openDataset({ kind: 'quickdraw', root });
    expect(d.classes).toEqual(['cat', 'dog']);
    expect(d.sketches).toHaveLength(2);
    expect(d.skipped).toEqual([
      {
        path: join(root, 'stray.ndjson'),
        reason: `symbolic link to ${join(top, 'outside/secret.ndjson')} (outside the dataset root ${root})`,
      },
    ]);
  });
});
