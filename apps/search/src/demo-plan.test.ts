import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@zs-sbir/core';
import { buildIndex, readRunIdentity } from '@zs-sbir/search';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeGallery, makeRun, tempDir } from '../../../packages/search/src/search.testkit.js';
import { DEMO_INDEX, DEMO_RUN, planDemo } from './demo-plan.js';
import { runSearch } from './search-command.js';

let root: string;
let run: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  root = await tempDir('demo');
  run = join(root, DEMO_RUN);
});

/**
 * Turns {@link makeRun}'s folder into a finished QD-Emoji run as npm start leaves it (rendered at
 * its input size), or with `rendered: false` as runs recorded before the render size was.
 */
async function finishRun(cacheDir: string, rendered = true) {
  const file = join(run, 'run.json');
  const description = JSON.parse(await readFile(file, 'utf8'));
  const { root: _, ...spec } = description.spec;
  description.spec = {
    ...spec,
    dataset: 'qd-emoji',
    cacheDir,
    ...(rendered ? { renderSize: spec.inputSize } : {}),
  };
  await writeFile(file, JSON.stringify(description));
  await mkdir(join(run, 'report'), { recursive: true });
  await writeFile(join(run, 'report', 'report.json'), '{}');
}

/**
 * `zs-sbir-search demo --port 0` run in `dir`: the served index's /api/info, or the error. It
 * trains (npm start) only in the zs-sbir repository root, so elsewhere a plan to train fails.
 */
async function demo(dir: string): Promise<unknown> {
  const cwd = process.cwd();
  process.chdir(dir);
  const controller = new AbortController();
  const printed: string[] = [];
  try {
    const running = runSearch(['demo', '--port', '0'], {
      log: () => {},
      print: (t) => printed.push(t),
      signal: controller.signal,
    });
    const first = await Promise.race([
      running.then(() => 'stopped'),
      expect.poll(() => printed.length, { timeout: 20_000 }).toBe(1),
    ]);
    if (first === 'stopped') return 'stopped without serving';
    const info = await (await fetch(new URL('/api/info', printed[0]))).json();
    controller.abort();
    await running;
    return info;
  } catch (err) {
    return (err as Error).message;
  } finally {
    process.chdir(cwd);
  }
}

describe('planDemo: what npm run demo does first', () => {
  it('trains when runs/qd-emoji/wad-cmsn is missing or unfinished, skips training when it is finished, builds the index once', async () => {
    expect(await planDemo(root)).toEqual({
      run,
      train: 'no trained run in runs/qd-emoji/wad-cmsn',
      cacheDir: null,
      renderSize: null,
      index: null,
      build: 'no index yet',
    });
    expect(await demo(root)).toBe(
      `${root} is not the zs-sbir repository root; npm run demo trains its run with npm start there`,
    );
    await makeRun(run, 7);
    expect((await planDemo(root)).train).toBe('runs/qd-emoji/wad-cmsn holds an unfinished run');

    await finishRun('cache');
    const first = (await readRunIdentity(run)).checkpoint;
    const index = join(root, DEMO_INDEX, first.slice(0, 12));
    expect(await planDemo(root)).toEqual({
      run,
      train: null,
      cacheDir: join(root, 'cache'),
      // The run's backbone input size: the demo opens the QD-Emoji build the run was trained on.
      renderSize: 32,
      index,
      build: 'no index yet',
    });

    const images = join(root, 'cache', 'qd-emoji', 'r1-test-224px', 'images');
    await makeGallery(images, 6);
    await buildIndex({ run, images, out: index });
    expect(await planDemo(root)).toMatchObject({ train: null, index, build: null });
    expect(await demo(root)).toEqual({ count: 6, dim: 8, backbone: 'small-cnn' });

    // Trained again (another checkpoint): a new index folder beside the old one, which is kept.
    await makeRun(run, 8);
    await finishRun('/abs/cache');
    const second = (await readRunIdentity(run)).checkpoint;
    expect(second).not.toBe(first);
    expect(await planDemo(root)).toEqual({
      run,
      train: null,
      cacheDir: '/abs/cache',
      renderSize: 32,
      index: join(root, DEMO_INDEX, second.slice(0, 12)),
      build: 'no index yet',
    });
    await access(join(index, 'index.json'));

    // A run recorded before the render size was: the 224 px default build it was trained on.
    await makeRun(run, 8);
    await finishRun('/abs/cache', false);
    expect((await planDemo(root)).renderSize).toBeNull();
  });

  it('refuses a finished run of another dataset in the demo folder', async () => {
    const other = await tempDir('demo-other');
    await makeRun(join(other, DEMO_RUN), 7);
    await mkdir(join(other, DEMO_RUN, 'report'), { recursive: true });
    await writeFile(join(other, DEMO_RUN, 'report', 'report.json'), '{}');
    await expect(planDemo(other)).rejects.toThrow(
      'runs/qd-emoji/wad-cmsn holds a run of --dataset folder; the demo serves the qd-emoji run that npm start trains',
    );
  });
});
