// One QD-Emoji build in this process: node build.mjs <cache dir> [concurrency].
// Prints one JSON line: seconds (import included), what was rendered, the counts, peak RSS.
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { loadQdEmoji } = await import('../../packages/qd-emoji/dist/index.js');
const { peakRssMiB } = await import('../lib/harness.mjs');
const [cacheDir, concurrency] = process.argv.slice(2);
let last;
const built = await loadQdEmoji({
  cacheDir,
  concurrency: concurrency ? Number(concurrency) : undefined,
  onProgress: (p) => {
    last = p;
  },
});
console.log(
  JSON.stringify({
    seconds: (performance.now() - t0) / 1000,
    progress: last,
    classes: built.dataset.classes.length,
    sketches: built.dataset.sketches.length,
    images: built.dataset.images.length,
    trainViews: built.trainViews.length,
    skipped: built.dataset.skipped.length,
    split: {
      seen: built.split.seen.length,
      validation: built.split.validation.length,
      unseen: built.split.unseen.length,
    },
    peakRssMiB: Math.round(peakRssMiB()),
  }),
);
