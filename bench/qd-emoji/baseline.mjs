// Off-the-shelf baseline on QD-Emoji's unseen classes: node baseline.mjs <cache dir> [sketches per class].
// The first `sketches per class` (default 25) sketches of each unseen class are the queries.
// Features: the nsfwjs-bundled MobileNetV2 (@zs-sbir/backbones, TF.js WASM), pooled 1280-d, no
// training; sketch -> gallery ranking by cosine similarity; mAP@all over every sketch query of the
// 40 unseen classes of the default split against the gallery of those classes' designs
// (sklearn AP, @zs-sbir/metrics). Chance level is the expected AP of a random ranking:
// for a query with R relevant items among N, E[AP] = H_N / N + (R - 1)(N - H_N) / (N (N - 1)),
// H_N the N-th harmonic number (a relevant item at uniform rank p has, in expectation,
// (R - 1)(p - 1)/(N - 1) relevant items above it); it is checked against the measured mAP of
// seeded uniform random scores. Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { loadBackbone } from '../../packages/backbones/dist/index.js';
import { createRng, initBackend } from '../../packages/core/dist/index.js';
import { imageBatches } from '../../packages/data/dist/index.js';
import { averagePrecision } from '../../packages/metrics/dist/index.js';
import { loadQdEmoji } from '../../packages/qd-emoji/dist/index.js';

const [cacheDir, perClassArg] = process.argv.slice(2);
const perClass = Number(perClassArg ?? 25);
await initBackend({ backend: 'wasm' });
const { dataset, split } = await loadQdEmoji({ cacheDir });
const unseen = new Set(split.unseen.map((c) => dataset.classes.indexOf(c)));
const seenCount = new Map();
const queries = dataset.sketches.filter((s) => {
  if (!unseen.has(s.label)) return false;
  const n = seenCount.get(s.label) ?? 0;
  seenCount.set(s.label, n + 1);
  return n < perClass;
});
const gallery = dataset.images.filter((s) => unseen.has(s.label));

const backbone = await loadBackbone({ name: 'mobilenet-v2' });
async function features(samples) {
  const rows = [];
  for await (const batch of imageBatches(samples, {
    size: backbone.inputSize,
    batchSize: 16,
    normalisation: backbone.normalisation,
  })) {
    if (batch.skipped.length > 0) throw new Error(`unreadable: ${batch.skipped[0].path}`);
    const out = await backbone.embedData(batch.data, batch.count);
    for (let i = 0; i < batch.count; i++) {
      const v = out.subarray(i * backbone.outputDim, (i + 1) * backbone.outputDim);
      const norm = Math.hypot(...v) || 1;
      rows.push(Float32Array.from(v, (x) => x / norm));
    }
  }
  return rows;
}
const t0 = performance.now();
const q = await features(queries);
const g = await features(gallery);
const extractSeconds = (performance.now() - t0) / 1000;

const harmonic = (n) => {
  let h = 0;
  for (let i = 1; i <= n; i++) h += 1 / i;
  return h;
};
const N = gallery.length;
const H = harmonic(N);
const rng = createRng('qd-emoji-baseline-random');
let ap = 0;
let chance = 0;
let random = 0;
const perClassAp = new Map();
for (const [i, query] of queries.entries()) {
  const scores = g.map((row) => row.reduce((s, x, k) => s + x * q[i][k], 0));
  const relevant = gallery.map((s) => (s.label === query.label ? 1 : 0));
  const R = relevant.reduce((a, b) => a + b, 0);
  const a = averagePrecision(scores, relevant);
  ap += a;
  chance += H / N + ((R - 1) * (N - H)) / (N * (N - 1));
  random += averagePrecision(rng.fill(N), relevant);
  const name = dataset.classes[query.label];
  perClassAp.set(name, (perClassAp.get(name) ?? 0) + a / perClass);
}
const best = [...perClassAp].sort((a, b) => b[1] - a[1]);
console.log(
  JSON.stringify({
    backbone: `${backbone.name} (${backbone.weights})`,
    queries: queries.length,
    gallery: N,
    unseenClasses: split.unseen.length,
    mapAll: ap / queries.length,
    chance: chance / queries.length,
    randomScores: random / queries.length,
    extractSeconds,
    imagesPerSecond: (queries.length + N) / extractSeconds,
    bestClasses: best.slice(0, 5).map(([c, v]) => `${c} ${v.toFixed(3)}`),
    worstClasses: best.slice(-5).map(([c, v]) => `${c} ${v.toFixed(3)}`),
  }),
);
await backbone.dispose();
