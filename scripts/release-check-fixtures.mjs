// The files the README examples read, made small and synthetic, in the current folder.
// The release check copies this file into its consumer project (so the imports below resolve
// to the installed tarballs) and runs `node fixtures.mjs <package name>` in the example's folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Deterministic pseudo-random floats in [-1, 1) (no dependency on the packages under test). */
function floats(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** A small PNG (or JPEG) of one flat colour, so every image decodes. */
async function writeImage(path, shade) {
  const { default: sharp } = await import('sharp');
  mkdirSync(dirname(path), { recursive: true });
  const image = sharp({
    create: {
      width: 32,
      height: 32,
      channels: 3,
      background: { r: shade, g: 255 - shade, b: 128 },
    },
  });
  await (path.endsWith('.jpg') ? image.jpeg() : image.png()).toFile(path);
}

const fixtures = {
  /** metrics: the four .npy files the README's Python snippet saves. */
  async '@zs-sbir/metrics'() {
    const { writeNpy } = await import('@zs-sbir/io');
    const dim = 16;
    const labels = (n) => Int32Array.from({ length: n }, (_, i) => i % 5);
    await writeNpy('sketches.npy', { data: floats(40 * dim, 1), shape: [40, dim] });
    await writeNpy('sketch-labels.npy', { data: labels(40), shape: [40] });
    await writeNpy('photos.npy', { data: floats(300 * dim, 2), shape: [300, dim] });
    await writeNpy('photo-labels.npy', { data: labels(300), shape: [300] });
  },
  /** backbones: a folder dataset `my-data` with two classes of sketches and photos. */
  async '@zs-sbir/backbones'() {
    for (const cls of ['cat', 'dog']) {
      for (let i = 0; i < 2; i++) {
        await writeImage(join('my-data/sketches', cls, `${i}.png`), 40 * i + 10);
        await writeImage(join('my-data/photos', cls, `${i}.jpg`), 40 * i + 100);
      }
    }
  },
  /** data: a Sketchy tree (SEM-PCYC layout, one sketch and one photo per class) and a word2vec file. */
  async '@zs-sbir/data'() {
    const require = createRequire(join(process.cwd(), 'x.js'));
    const splitFile = join(
      dirname(require.resolve('@zs-sbir/data/package.json')),
      'data/splits/sketchy-sake.json',
    );
    const { classes } = JSON.parse(readFileSync(splitFile, 'utf8'));
    let shade = 0;
    for (const cls of classes) {
      shade = (shade + 37) % 256;
      await writeImage(join('datasets/sketchy/sketch/tx_000000000000', cls, 'n0_1.png'), shade);
      await writeImage(join('datasets/sketchy/extended_photo', cls, 'n0.jpg'), 255 - shade);
    }
    const { classVectorWords } = await import('@zs-sbir/data');
    const words = [...classVectorWords(classes)];
    const dim = 300;
    const parts = [Buffer.from(`${words.length} ${dim}\n`)];
    words.forEach((word, i) => {
      parts.push(
        Buffer.from(`${word} `),
        Buffer.from(floats(dim, i + 7).buffer),
        Buffer.from('\n'),
      );
    });
    writeFileSync('GoogleNews-vectors-negative300.bin', Buffer.concat(parts));
  },
  /**
   * search: a run folder as zs-sbir-train writes it (`runs/qd-emoji/wad-cmsn`: run.json and
   * checkpoints/best of an untrained small-cnn WAD-CMSN), a folder of photos and a sketch.
   */
  async '@zs-sbir/search'() {
    const { createWadCmsn, saveCheckpoint } = await import('@zs-sbir/wad-cmsn');
    const run = 'runs/qd-emoji/wad-cmsn';
    const sideInfo = floats(3 * 4, 3);
    const model = createWadCmsn(
      { embeddingDim: 8, critic: { placement: 'none' } },
      {
        visualDim: 32, // small-cnn's default width
        sideInfoDim: 4,
        sideInfo,
      },
    );
    mkdirSync(run, { recursive: true });
    const spec = {
      dataset: 'qd-emoji',
      backbone: 'small-cnn',
      inputSize: 32,
      sideInfo: 'hierarchy',
      cacheDir: '.cache',
    };
    writeFileSync(
      join(run, 'run.json'),
      JSON.stringify({
        schema: 'zs-sbir/train-run',
        version: 1,
        spec,
        protocol: 'sklearn',
        config: model.config,
      }),
    );
    await saveCheckpoint(join(run, 'checkpoints/best'), model, sideInfo, {
      epoch: 1,
      bestScore: 0,
      bestEpoch: 1,
    });
    model.dispose();
    for (const [i, cls] of ['cats', 'dogs', 'owls'].entries()) {
      for (let j = 0; j < 3; j++)
        await writeImage(join('my-photos', cls, `${j}.jpg`), 80 * i + 20 * j);
    }
    await writeImage('sketch.png', 200);
  },
};

const name = process.argv[2];
await fixtures[name]?.();
