import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrainPipeline } from '@zs-sbir/experiment';
import { openIndex } from '@zs-sbir/search';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  writeColourFolder,
  writeTinyConfig,
} from '../../../packages/experiment/src/train/colour-folder.testkit.js';
import { resultsJson, runSearch, type SearchCommandIo } from './search-command.js';

// A tiny folder dataset (WordNet nouns, so the hierarchy side information needs no word
// vectors), a short real training run on it with small-cnn, and its gallery as the photos.
let work: string;
let root: string;
let run: string;
let index: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'zs-sbir-search-app-'));
  root = join(work, 'data');
  await writeColourFolder(root);
  await writeTinyConfig(join(work, 'config.json'));
  await runTrainPipeline(
    {
      dataset: 'folder',
      root,
      backbone: 'small-cnn',
      inputSize: 32,
      sideInfo: 'hierarchy',
      cacheDir: join(work, 'cache'),
      config: join(work, 'config.json'),
      out: join(work, 'runs'),
      resume: false,
      overwrite: false,
      compare: false,
      overrides: {},
      protocol: 'sklearn',
      engine: 'tfjs',
    },
    { log: () => {}, stopRequested: () => false, signal: new AbortController().signal },
  );
  run = join(work, 'runs', 'wad-cmsn');
  index = join(work, 'index');
}, 120_000);

afterAll(() => rm(work, { recursive: true, force: true }));

function io() {
  const lines: string[] = [];
  const printed: string[] = [];
  const events: { done: number; total: number }[] = [];
  const value: SearchCommandIo = {
    log: (l) => lines.push(l),
    print: (t) => printed.push(t),
    onProgress: (e) => events.push(e),
  };
  return { io: value, lines, printed, events };
}

const fails = async (argv: string[]) => {
  const err = await runSearch(argv, io().io).then(
    () => null,
    (e: Error) => e,
  );
  if (!err) throw new Error(`zs-sbir-search ${argv.join(' ')} did not fail`);
  return err.message;
};

describe('zs-sbir-search', () => {
  it('indexes the photos of a trained run, and query --json prints [{"path", "score"}] best first', async () => {
    const images = join(root, 'images');
    const built = io();
    await runSearch(['index', '--run', run, '--images', images, '--out', index], built.io);
    expect(built.lines.at(-1)).toBe(
      `${index}: 30 photos indexed (30 embedded, 0 unchanged, 0 removed, 0 unreadable), exact search`,
    );
    expect(built.events.at(-1)).toMatchObject({ done: 30, total: 30 });

    const sketch = join(root, 'sketches', 'owl', '1.png');
    const q = io();
    await runSearch(['query', '--index', index, '--sketch', sketch, '--k', '5', '--json'], q.io);
    expect(q.printed).toHaveLength(1);
    const text = q.printed[0]!;
    expect(text).toMatch(
      /^\[\{"path": "[a-z]+\/\d\.png", "score": -?[\d.e-]+\}(, \{"path": "[a-z]+\/\d\.png", "score": -?[\d.e-]+\}){4}\]$/,
    );
    const results = JSON.parse(text) as { path: string; score: number }[];
    const scores = results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const r of results) expect((await stat(join(images, r.path))).isFile()).toBe(true);
    const opened = await openIndex(index);
    const direct = await opened.search(sketch, { k: 5 });
    await opened.close();
    expect(text).toBe(resultsJson(direct));
    expect(results.map((r) => r.path)).toEqual(direct.map((r) => r.path));

    // Again: nothing to embed; and the contact sheet.
    const again = io();
    await runSearch(['index', '--run', run, '--images', images, '--out', index], again.io);
    expect(again.lines.at(-1)).toContain('30 photos indexed (0 embedded, 30 unchanged');
    const sheet = join(work, 'grid.png');
    const plain = io();
    await runSearch(
      ['query', '--index', index, '--sketch', sketch, '--k', '3', '--out', sheet],
      plain.io,
    );
    expect(plain.printed[0]!.split('\n')).toHaveLength(3);
    expect(plain.printed[0]!.split('\n')[0]).toMatch(/^1\. [a-z]+\/\d\.png {2}-?\d\.\d{4}$/);
    const meta = await sharp(sheet).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 96 * 4 + 24, 96]);
    // The sheet exists now: kept unless --overwrite is given.
    const written = await readFile(sheet);
    const query = ['query', '--index', index, '--sketch', sketch, '--k', '2', '--out', sheet];
    const refused = io();
    await expect(runSearch(query, refused.io)).rejects.toThrow(
      `--out ${sheet}: already exists; --overwrite replaces it, or choose another file`,
    );
    expect(refused.printed).toEqual([]);
    expect(await readFile(sheet)).toEqual(written);
    await runSearch([...query, '--overwrite'], io().io);
    expect((await sharp(sheet).metadata()).width).toBe(96 * 3 + 24);
  }, 120_000);

  it('names the option of a bad input before any work', async () => {
    const images = join(root, 'images');
    const out = join(work, 'never');
    expect(
      await fails(['index', '--run', join(work, 'nope'), '--images', images, '--out', out]),
    ).toBe(`--run ${join(work, 'nope')}: no such folder (expected a zs-sbir-train run folder)`);
    expect(await fails(['index', '--run', root, '--images', images, '--out', out])).toContain(
      `--run ${root}: no run.json; expected a zs-sbir-train run folder`,
    );
    const empty = join(work, 'empty');
    await mkdir(empty, { recursive: true });
    expect(await fails(['index', '--run', run, '--images', empty, '--out', out])).toContain(
      `--images ${empty}: no image files`,
    );
    expect(await fails(['index', '--run', run, '--images', images])).toContain(
      "required option '--out <DIR>' not specified",
    );
    expect(await fails(['index', '--run', run, '--images', images, '--out', root])).toContain(
      `--out ${root}: exists and is not a zs-sbir-search index; nothing was changed`,
    );
    expect(await readdir(root)).toEqual(['images', 'sketches']);
    const sketch = join(root, 'sketches', 'owl', '1.png');
    for (const k of ['0', '-1', '2.5', 'ten']) {
      expect(await fails(['query', '--index', index, '--sketch', sketch, '--k', k])).toContain(
        `option '--k <N>' argument '${k}' is invalid. expected a positive integer`,
      );
      for (const flag of ['--nprobes', '--ef']) {
        expect(await fails(['query', '--index', index, '--sketch', sketch, flag, k])).toContain(
          `option '${flag} <N>' argument '${k}' is invalid. expected a positive integer`,
        );
      }
    }
    expect(await fails(['query', '--index', index, '--sketch', join(work, 'no.png')])).toBe(
      `--sketch ${join(work, 'no.png')}: no such file (expected a sketch image)`,
    );
    expect(await fails(['query', '--index', images, '--sketch', sketch])).toContain(
      `--index ${images}: no finished index (no index.json)`,
    );
    await expect(stat(out)).rejects.toThrow();
  });
});
