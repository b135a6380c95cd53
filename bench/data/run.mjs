// Images decoded and preprocessed per second at 224 px (decode, flatten, pad-resize bilinear,
// ImageNet normalisation, float32 batches of 32) vs the PIL + numpy loop a Python user writes,
// on a few hundred generated JPEGs of varied sizes. Also: openDataset's header checks, first
// and cached.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { imageBatches, openDataset } from '../../packages/data/dist/index.js';
import { machineInfo, peakRssMiB, printComparison, runPython, timeIt } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const N = 300;
const root = join(tmpdir(), `zs-sbir-bench-data-${process.pid}`);

async function makeImages() {
  const paths = [];
  for (let i = 0; i < N; i++) {
    // Sizes like Sketchy / TU-Berlin Extended photos: 200-800 px a side, noise so JPEG has work.
    const w = 200 + ((i * 137) % 600);
    const h = 200 + ((i * 251) % 600);
    const noise = Buffer.alloc(w * h * 3);
    for (let k = 0; k < noise.length; k++) noise[k] = (k * 2654435761 + i * 97) >>> 24;
    const dir = join(root, 'images', `class-${i % 10}`);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${i}.jpg`);
    await sharp(noise, { raw: { width: w, height: h, channels: 3 } })
      .blur(1.5)
      .jpeg({ quality: 90 })
      .toFile(path);
    paths.push(path);
  }
  return paths;
}

const paths = await makeImages();
const samples = paths.map((path, i) => ({ path, label: i % 10 }));
const options = { size: 224, batchSize: 32, normalisation: 'imagenet', fit: 'pad' };
const ours = async (concurrency) => {
  let n = 0;
  for await (const b of imageBatches(samples, { ...options, concurrency })) n += b.count;
  if (n !== N) throw new Error(`decoded ${n} of ${N}`);
};

const label = `${N} JPEGs (200-800 px) -> 224 px imagenet float32, batch 32`;
const listFile = join(root, 'paths.txt');
await writeFile(listFile, paths.join('\n'));
// Other work shares the 2 cores: the implementations take turns, ROUNDS times, medians reported.
const ROUNDS = 5;
const impls = [
  {
    impl: 'zs-sbir',
    note: 'imageBatches, concurrency 4',
    run: () => timeIt(() => ours(4), { warmup: 0, repeats: 1 }),
  },
  {
    impl: 'zs-sbir concurrency 2',
    note: 'imageBatches',
    run: () => timeIt(() => ours(2), { warmup: 0, repeats: 1 }),
  },
  ...[1, 2].map((processes) => ({
    impl: `PIL + numpy, ${processes} process${processes > 1 ? 'es' : ''}`,
    note: processes > 1 ? 'multiprocessing.Pool' : 'plain loop',
    run: () => runPython(join(here, 'pil_pipeline.py'), [listFile, processes, 1]),
  })),
];
await ours(4);
const times = new Map(impls.map((i) => [i.impl, []]));
const errors = new Map();
for (let r = 0; r < ROUNDS; r++) {
  for (const i of impls) {
    const out = await i.run();
    const seconds = out.median ?? out.seconds;
    if (seconds) times.get(i.impl).push(seconds);
    else errors.set(i.impl, out.error);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pipelineRows = impls.map((i) => {
  const xs = times.get(i.impl);
  const seconds = xs.length ? median(xs) : undefined;
  return {
    case: label,
    impl: i.impl,
    seconds,
    note: seconds
      ? `${(N / seconds).toFixed(0)} img/s, ${i.note}, median of ${xs.length}`
      : undefined,
    error: errors.get(i.impl),
  };
});

const headerLabel = `openDataset header checks, ${N} images`;
const first = await timeIt(() => openDataset({ kind: 'folder', root }), { warmup: 0, repeats: 1 });
const cached = await timeIt(() => openDataset({ kind: 'folder', root }), { warmup: 0, repeats: 3 });
const openRows = [
  { case: headerLabel, impl: 'first open', seconds: first.median },
  {
    case: headerLabel,
    impl: 'zs-sbir',
    seconds: cached.median,
    note: 'second open (cached by path, size, mtime)',
  },
];

console.log(`machine: ${await machineInfo()}; peak RSS ${peakRssMiB().toFixed(0)} MiB`);
printComparison('image pipeline', pipelineRows, { baseline: 'PIL + numpy, 1 process' });
printComparison('dataset open', openRows, { baseline: 'first open' });
await rm(root, { recursive: true, force: true });
