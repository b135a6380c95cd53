import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import expectedHashes from './__fixtures__/build-64px-sha256.json';
import { RENDER_VERSION } from './cache-dir.js';
import { QD_EMOJI_CLASSES } from './class-list.js';
import { QdEmojiError } from './errors.js';
import { loadQdEmoji, type QdEmoji, type QdEmojiProgress } from './load-qd-emoji.js';

// The real renderJob, counting the jobs in flight.
const renders = vi.hoisted(() => ({ inFlight: 0, peak: 0, started: [] as string[] }));
vi.mock('./render-job.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./render-job.js')>();
  return {
    ...real,
    renderJob: async (...args: Parameters<typeof real.renderJob>) => {
      renders.peak = Math.max(renders.peak, ++renders.inFlight);
      renders.started.push(args[0].kind);
      try {
        return await real.renderJob(...args);
      } finally {
        renders.inFlight--;
      }
    },
  };
});

// airplane is unseen, ambulance seen and truck validation in the default split; all three have
// all 11 design sets, so every set is rendered.
const CLASSES = ['airplane', 'ambulance', 'truck'];
const OPTIONS = { classes: CLASSES, size: 64, views: 2 };
const designCount = (name: string) =>
  Object.keys(QD_EMOJI_CLASSES.find((c) => c.name === name)!.designs).length;

let root: string;
let built: QdEmoji;
let firstProgress: QdEmojiProgress[];

/** Channels stored in the file, and statistics over all decoded values. */
async function pixelStats(path: string) {
  const { channels } = await sharp(path).metadata();
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const mean = data.reduce((s, v) => s + v, 0) / data.length;
  const sd = Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / data.length);
  return { info: { ...info, channels }, mean, sd, min: Math.min(...data) };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qd-emoji-test-'));
  firstProgress = [];
  built = await loadQdEmoji({
    ...OPTIONS,
    cacheDir: root,
    onProgress: (p) => firstProgress.push(p),
  });
}, 60_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe('loadQdEmoji', () => {
  it('returns 100 sketches a class, each design once in the gallery and views of training classes', async () => {
    const { dataset, split, trainViews } = built;
    expect(dataset.classes).toEqual(CLASSES);
    expect(split).toEqual({
      name: 'qd-emoji-default',
      seen: ['ambulance'],
      unseen: ['airplane'],
      validation: ['truck'],
    });
    expect(dataset.skipped).toEqual([]);
    expect(dataset.sketches).toHaveLength(300);
    for (const [label, name] of CLASSES.entries()) {
      expect(dataset.sketches.filter((s) => s.label === label)).toHaveLength(100);
      const images = dataset.images.filter((s) => s.label === label);
      expect(images).toHaveLength(designCount(name));
      expect(new Set(images.map((s) => basename(s.path))).size).toBe(images.length);
    }
    // Views: 2 per design of ambulance (seen) and truck (validation), none of airplane (unseen).
    expect(trainViews).toHaveLength(2 * (designCount('ambulance') + designCount('truck')));
    expect(trainViews.some((s) => s.label === 0)).toBe(false);
    const gallery = new Set(dataset.images.map((s) => s.path));
    expect(trainViews.some((s) => gallery.has(s.path))).toBe(false);
    expect([...built.semantics.glove.keys()]).toEqual(CLASSES);
    expect([...(await built.semantics.wordnet()).keys()]).toEqual(CLASSES);
    const last = firstProgress.at(-1)!;
    expect(last).toMatchObject({ done: last.total, reused: 0, skipped: 0, fromCache: false });
    expect(last.written).toBe(300 + dataset.images.length + trainViews.length);
  });

  it('renders every gallery image and view in colour, not blank, at the requested size', async () => {
    for (const sample of [...built.dataset.images, ...built.trainViews]) {
      const s = await pixelStats(sample.path);
      expect([s.info.width, s.info.height, s.info.channels], sample.path).toEqual([64, 64, 3]);
      expect(s.sd, sample.path).toBeGreaterThan(10);
    }
  });

  it('renders sketches as black strokes on white', async () => {
    for (const sample of built.dataset.sketches.filter((_, i) => i % 25 === 0)) {
      const s = await pixelStats(sample.path);
      expect(s.info.channels, sample.path).toBe(1);
      expect(s.min, sample.path).toBe(0);
      expect(s.mean, sample.path).toBeGreaterThan(128);
    }
  });

  it('renders every file byte for byte as the reference build of this render version', async () => {
    // The reference was written by scripts/build-hashes.mjs from the renderer as it was when the
    // fixture was made; a renderer that changes any byte must bump RENDER_VERSION and rewrite it.
    expect(expectedHashes.renderVersion).toBe(RENDER_VERSION);
    expect(expectedHashes.options).toEqual(OPTIONS);
    const paths = [...built.dataset.sketches, ...built.dataset.images, ...built.trainViews]
      .map((s) => s.path)
      .sort();
    const hashes: Record<string, string> = {};
    for (const p of paths) {
      hashes[relative(built.dir, p)] = createHash('sha256')
        .update(await readFile(p))
        .digest('hex');
    }
    expect(hashes).toEqual(expectedHashes.files);
  });

  it('returns a finished build from the cache without rendering or touching files', async () => {
    const mtimes = await Promise.all(
      built.dataset.images.map(async (s) => (await stat(s.path)).mtimeMs),
    );
    const progress: QdEmojiProgress[] = [];
    const again = await loadQdEmoji({
      ...OPTIONS,
      cacheDir: root,
      onProgress: (p) => progress.push(p),
    });
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({ written: 0, fromCache: true });
    expect(again.dataset).toEqual(built.dataset);
    expect(again.trainViews).toEqual(built.trainViews);
    const after = await Promise.all(
      again.dataset.images.map(async (s) => (await stat(s.path)).mtimeMs),
    );
    expect(after).toEqual(mtimes);
  });

  it('resumes an interrupted build, rendering only what is missing', async () => {
    const { readdir } = await import('node:fs/promises');
    const markers = join(built.dir, 'complete');
    for (const m of await readdir(markers)) await unlink(join(markers, m));
    await unlink(built.dataset.images[3]!.path);
    const progress: QdEmojiProgress[] = [];
    await loadQdEmoji({ ...OPTIONS, cacheDir: root, onProgress: (p) => progress.push(p) });
    const last = progress.at(-1)!;
    expect(last.fromCache).toBe(false);
    expect(last.written).toBe(1);
    expect(last.reused).toBe(300 + built.dataset.images.length + built.trainViews.length - 1);
    await expect(stat(built.dataset.images[3]!.path)).resolves.toBeTruthy();
  });

  it('reports the files of the build, whose count reaches them at the end', () => {
    const files = 300 + built.dataset.images.length + built.trainViews.length;
    expect(firstProgress.every((p) => p.files === files)).toBe(true);
    const last = firstProgress.at(-1)!;
    expect(last.written + last.reused + last.skipped).toBe(files);
  });

  it('starts design jobs among the sketch jobs, not after all of them', async () => {
    const { readdir } = await import('node:fs/promises');
    const markers = join(built.dir, 'complete');
    for (const m of await readdir(markers)) await unlink(join(markers, m));
    renders.started = [];
    await loadQdEmoji({ ...OPTIONS, cacheDir: root, concurrency: 1 });
    const designs = CLASSES.reduce((n, c) => n + designCount(c), 0);
    expect(renders.started).toHaveLength(3 + designs);
    // The 3 sketch jobs sit at 1/6, 3/6 and 5/6 of the build.
    const at = renders.started.flatMap((kind, i) => (kind === 'sketches' ? [i] : []));
    expect(at).toEqual([0, 1, 2].map((k) => Math.floor(((k + 0.5) / 3) * designs) + k));
  });

  it('runs at most `concurrency` render jobs at once', async () => {
    const { readdir } = await import('node:fs/promises');
    const markers = join(built.dir, 'complete');
    for (const concurrency of [1, 3]) {
      for (const m of await readdir(markers)) await unlink(join(markers, m));
      renders.peak = 0;
      await loadQdEmoji({ ...OPTIONS, cacheDir: root, concurrency });
      expect(renders.peak).toBe(concurrency);
    }
  });

  it('rejects with the first failure only after every render job has settled', async () => {
    const { readdir } = await import('node:fs/promises');
    const markers = join(built.dir, 'complete');
    for (const m of await readdir(markers)) await unlink(join(markers, m));
    const seen: QdEmojiProgress[] = [];
    const run = loadQdEmoji({
      ...OPTIONS,
      cacheDir: root,
      concurrency: 2,
      onProgress: (p) => {
        seen.push(p);
        if (seen.length === 1) throw new Error('progress sink failed');
      },
    });
    await expect(run).rejects.toThrow('progress sink failed');
    // Each job reports once, after its work: all of them had finished when the call rejected.
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.map((p) => p.done)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.length).toBe(seen[0]!.total);
  });

  it('gives byte-identical views for the same seed in another cache, and others for another seed', async () => {
    const other = await mkdtemp(join(tmpdir(), 'qd-emoji-test-'));
    try {
      const same = await loadQdEmoji({ ...OPTIONS, classes: ['ambulance'], cacheDir: other });
      const reseeded = await loadQdEmoji({
        ...OPTIONS,
        classes: ['ambulance'],
        cacheDir: other,
        viewSeed: 1,
      });
      const mine = built.trainViews.filter((s) => s.label === 1);
      expect(same.trainViews).toHaveLength(mine.length);
      for (const [i, view] of same.trainViews.entries()) {
        expect(await readFile(view.path)).toEqual(await readFile(mine[i]!.path));
      }
      const a = await readFile(same.trainViews[0]!.path);
      expect(await readFile(reseeded.trainViews[0]!.path)).not.toEqual(a);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 90_000);

  it('rejects unknown and invalid options, naming them', async () => {
    await expect(loadQdEmoji({ cacheDir: root, sizes: 3 } as never)).rejects.toThrow(
      "loadQdEmoji: unknown option 'sizes'; valid options are cacheDir, splitSeed, views, viewSeed, size, classes, concurrency, onProgress",
    );
    await expect(loadQdEmoji({ cacheDir: root, size: 10 })).rejects.toThrow(
      new QdEmojiError("loadQdEmoji: option 'size' must be an integer from 32 to 1024, got 10"),
    );
    await expect(loadQdEmoji({ cacheDir: root, views: -1 })).rejects.toThrow(
      "loadQdEmoji: option 'views' must be an integer from 0 to 1000, got -1",
    );
    await expect(loadQdEmoji({ cacheDir: root, splitSeed: Number.NaN })).rejects.toThrow(
      "loadQdEmoji: option 'splitSeed' must be a finite number, got NaN",
    );
    await expect(loadQdEmoji({ cacheDir: root, classes: 'cat' as never })).rejects.toThrow(
      `loadQdEmoji: option 'classes' must be an array, got "cat"`,
    );
    await expect(loadQdEmoji({ cacheDir: root, classes: ['unicorn'] })).rejects.toThrow(/unicorn/);
  });
});
