import { stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeNpy } from '@zs-sbir/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { tempDir } from '../temp-dir.testkit.js';
import { clearHeaderCache } from './header-cache.js';
import { writeTree } from './image-tree.testkit.js';
import { type OpenedDataset, openDataset } from './open-dataset.js';

let base: string;

beforeAll(async () => {
  base = await tempDir('open');
});

const names = (d: OpenedDataset, which: 'sketches' | 'images') =>
  d[which].map((s) => `${d.classes[s.label]}:${s.path.split('/').pop()}`).sort();

describe('openDataset: sketchy', () => {
  it('reads the SEM-PCYC layout from a parent folder, skipping what it cannot use', async () => {
    const root = join(base, 'sem-pcyc');
    await writeTree(join(root, 'Sketchy'), {
      'sketch/tx_000000000000/hot-air_balloon/n1-1.png': 'png',
      'sketch/tx_000000000000/hot-air_balloon/n1-2.png': 'png',
      'sketch/tx_000000000000/cat/n2-1.png': 'png',
      'sketch/tx_000000000000/empty_class': 'dir',
      'sketch/tx_000000000000/cat/README.txt': { text: 'stray' },
      'extended_photo/hot_air_balloon/n1.jpg': 'jpg',
      'extended_photo/cat/n2.jpg': 'jpg',
      'extended_photo/cat/broken.jpg': 'corrupt-jpg',
      'extended_photo/cat/.DS_Store': { text: 'x' },
      'photo/tx_000000000000/cat/n2.jpg': 'jpg',
    });
    const d = await openDataset({ kind: 'sketchy', root });
    expect(d.layout).toBe('sem-pcyc');
    expect(d.dir).toBe(join(root, 'Sketchy'));
    expect(d.classes).toEqual(['cat', 'hot_air_balloon']);
    expect(names(d, 'sketches')).toEqual([
      'cat:n2-1.png',
      'hot_air_balloon:n1-1.png',
      'hot_air_balloon:n1-2.png',
    ]);
    expect(names(d, 'images')).toEqual(['cat:n2.jpg', 'hot_air_balloon:n1.jpg']);
    const skipped = d.skipped.map((s) => `${s.path.slice(root.length)} ${s.reason}`);
    expect(skipped).toHaveLength(2);
    expect(skipped).toContainEqual(expect.stringMatching(/empty_class empty class folder/));
    expect(skipped).toContainEqual(expect.stringMatching(/broken\.jpg not a known image format/));
  });

  it('uses the original photos on request', async () => {
    const d = await openDataset({
      kind: 'sketchy',
      root: join(base, 'sem-pcyc'),
      photos: 'original',
    });
    expect(names(d, 'images')).toEqual(['cat:n2.jpg']);
  });

  it('reads SAKE file lists as given, paths relative to the Sketchy folder', async () => {
    const root = join(base, 'sake-sketchy');
    await writeTree(root, {
      '256x256/sketch/tx_000000000000/teddy-bear/a-1.png': 'png',
      '256x256/sketch/tx_000000000000/teddy-bear/unlisted.png': 'png',
      '256x256/sketch/tx_000000000000/cow/b-1.png': 'png',
      'EXTEND_image_sketchy/teddy-bear/a.jpg': 'jpg',
      'EXTEND_image_sketchy/cow/b.jpg': 'jpg',
      'zeroshot1/sketch_tx_000000000000_ready_filelist_train.txt': {
        text: '256x256/sketch/tx_000000000000/teddy-bear/a-1.png 0\n',
      },
      'zeroshot1/sketch_tx_000000000000_ready_filelist_zero.txt': {
        text: '256x256/sketch/tx_000000000000/cow/b-1.png 0\n',
      },
      'zeroshot1/all_photo_filelist_train.txt': {
        text: 'EXTEND_image_sketchy/teddy-bear/a.jpg 0\n',
      },
      'zeroshot1/all_photo_filelist_zero.txt': { text: 'EXTEND_image_sketchy/cow/b.jpg 0\n' },
    });
    const d = await openDataset({ kind: 'sketchy', root });
    expect(d.layout).toBe('sake');
    expect(d.classes).toEqual(['cow', 'teddy_bear']);
    expect(names(d, 'sketches')).toEqual(['cow:b-1.png', 'teddy_bear:a-1.png']);
    expect(names(d, 'images')).toEqual(['cow:b.jpg', 'teddy_bear:a.jpg']);
    await expect(openDataset({ kind: 'sketchy', root, photos: 'original' })).rejects.toThrow(
      /SAKE/,
    );
  });

  it('reads the original release with the extended photos, or names what it looked for', async () => {
    const root = join(base, 'original-sketchy');
    await writeTree(root, {
      '256x256/sketch/tx_000000000000/jack-o-lantern/x-1.png': 'png',
      '256x256/photo/tx_000000000000/jack-o-lantern/x.jpg': 'jpg',
      'EXTEND_image_sketchy/jack-o-lantern/y.jpg': 'jpg',
    });
    const d = await openDataset({ kind: 'sketchy', root, layout: 'original' });
    expect(d.classes).toEqual(['jack_o_lantern']);
    expect(names(d, 'images')).toEqual(['jack_o_lantern:x.jpg', 'jack_o_lantern:y.jpg']);
    const err = await openDataset({ kind: 'sketchy', root, layout: 'sem-pcyc' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(/sem-pcyc: sketch\/tx_000000000000\/<class>\//);
    await expect(openDataset({ kind: 'sketchy', root, layout: 'flat' as never })).rejects.toThrow(
      /: option 'layout' must be one of .*sem-pcyc.*, got "flat"$/,
    );
  });
});

describe('openDataset: tu-berlin', () => {
  it('reads the SEM-PCYC layout and keeps a truncated JPEG for the decoder to reject', async () => {
    const root = join(base, 'tu-sem');
    await writeTree(join(root, 'TU-Berlin'), {
      'sketches/alarm_clock/1.png': 'png',
      'images/alarm_clock/a.jpg': 'jpg',
      'images/alarm_clock/half.jpg': 'truncated-jpg',
    });
    const d = await openDataset({ kind: 'tu-berlin', root });
    expect(d.layout).toBe('sem-pcyc');
    expect(names(d, 'images')).toEqual(['alarm_clock:a.jpg', 'alarm_clock:half.jpg']);
  });

  it('reads SAKE lists whose paths hold spaces', async () => {
    const root = join(base, 'tu-sake');
    await writeTree(join(root, 'TUBerlin'), {
      'png_ready/alarm clock/1.png': 'png',
      'png_ready/bear (animal)/2.png': 'png',
      'ImageResized_ready/alarm clock/a.jpg': 'jpg',
      'zeroshot/png_ready_filelist_train.txt': { text: 'png_ready/alarm clock/1.png 2\n' },
      'zeroshot/png_ready_filelist_zero.txt': { text: 'png_ready/bear (animal)/2.png 0\n\n' },
      'zeroshot/ImageResized_ready_filelist_train.txt': {
        text: 'ImageResized_ready/alarm clock/a.jpg 2\n',
      },
    });
    const d = await openDataset({ kind: 'tu-berlin', root });
    expect(d.layout).toBe('sake');
    expect(d.classes).toEqual(['alarm_clock', 'bear_(animal)']);
    expect(d.sketches).toHaveLength(2);
    expect(d.images).toHaveLength(1);
  });

  it('reads the original png/ + ImageResized/ layout', async () => {
    const root = join(base, 'tu-orig');
    await writeTree(root, {
      'png/car (sedan)/1.png': 'png',
      'ImageResized/car (sedan)/a.jpg': 'jpg',
    });
    const d = await openDataset({ kind: 'tu-berlin', root });
    expect(d.layout).toBe('original');
    expect(d.classes).toEqual(['car_(sedan)']);
  });

  it('refuses an unknown kind, listing the valid ones', async () => {
    await expect(openDataset({ kind: 'coco' as never, root: base })).rejects.toThrow(
      `openDataset: option 'kind' must be one of sketchy, tu-berlin, quickdraw, folder, got "coco"`,
    );
  });
});

describe('openDataset: folder', () => {
  it('reads any folder-per-class tree and filters classes', async () => {
    const root = join(base, 'folder');
    await writeTree(root, {
      'sketch/Zebra/1.png': 'png',
      'sketch/Lion/1.png': 'png',
      'photos/zebra/a.jpg': 'jpg',
      'photos/lion/b.jpg': 'jpg',
    });
    const all = await openDataset({ kind: 'folder', root });
    expect(all.classes).toEqual(['lion', 'zebra']);
    expect(all.images).toHaveLength(2);
    const one = await openDataset({ kind: 'folder', root, classes: ['ZEBRA'] });
    expect(one.classes).toEqual(['zebra']);
    expect(one.sketches).toHaveLength(1);
    await expect(
      openDataset({ kind: 'folder', root: join(root, 'sketch', 'Lion') }),
    ).rejects.toThrow(DatasetError);
  });
});

describe('openDataset: quickdraw', () => {
  it('reads bundled ndjson.gz bitmaps and official npy bitmaps as black-on-white pixels', async () => {
    const root = join(base, 'quickdraw');
    await writeTree(root, { 'notes.txt': { text: 'ignored' } });
    const ink = Array.from({ length: 784 }, (_, i) => (i === 0 ? 1 : i === 1 ? 0.5 : 0));
    const lines = [JSON.stringify(ink), JSON.stringify(ink.map(() => 0)), JSON.stringify(ink)].join(
      '\n',
    );
    await writeFile(join(root, 'The Eiffel Tower.ndjson.gz'), gzipSync(lines));
    const bitmaps = new Uint8Array(2 * 784);
    bitmaps[784 + 5] = 255;
    await writeNpy(join(root, 'full_numpy_bitmap_cat.npy'), { data: bitmaps, shape: [2, 784] });
    const d = await openDataset({ kind: 'quickdraw', root, perClass: 2 });
    expect(d.classes).toEqual(['cat', 'the_eiffel_tower']);
    expect(d.images).toEqual([]);
    expect(d.sketches).toHaveLength(4);
    const tower = d.sketches.filter((s) => d.classes[s.label] === 'the_eiffel_tower');
    expect(tower.map((s) => s.path.split('#')[1])).toEqual(['0', '1']);
    const px = tower[0]!.pixels!;
    expect([px.width, px.height, px.channels]).toEqual([28, 28, 1]);
    expect([...px.data.slice(0, 3)]).toEqual([0, 127, 255]);
    const cat = d.sketches.filter((s) => d.classes[s.label] === 'cat');
    expect(cat[1]!.pixels!.data[5]).toBe(0);
    expect(cat[1]!.pixels!.data[4]).toBe(255);
    const only = await openDataset({ kind: 'quickdraw', root, classes: ['the eiffel tower'] });
    expect(only.classes).toEqual(['the_eiffel_tower']);
    expect(only.sketches).toHaveLength(3);
  });
});

describe('header cache', () => {
  it('reuses checks while size and mtime hold, and re-checks when they change', async () => {
    const root = join(base, 'cache');
    await writeTree(root, { 'images/cat/a.jpg': 'jpg', 'images/cat/b.jpg': 'jpg' });
    const cacheFile = join(root, 'headers.json');
    const a = join(root, 'images/cat/a.jpg');
    const mtime = new Date(1_700_000_000_000);
    await utimes(a, mtime, mtime);
    clearHeaderCache();
    const first = await openDataset({ kind: 'folder', root, cacheFile });
    expect(first.images).toHaveLength(2);
    // Same size, same mtime, garbage bytes: a cached check does not look at the file again.
    const { size } = await stat(a);
    await writeFile(a, Buffer.alloc(size, 0x41));
    await utimes(a, mtime, mtime);
    clearHeaderCache();
    const second = await openDataset({ kind: 'folder', root, cacheFile });
    expect(second.images).toHaveLength(2);
    await utimes(a, mtime, new Date(mtime.getTime() + 5000));
    const third = await openDataset({ kind: 'folder', root, cacheFile });
    expect(third.images).toHaveLength(1);
    expect(third.skipped[0]!.path).toBe(a);
  });
});
