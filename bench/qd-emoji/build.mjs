// One QD-Emoji build in this process: node build.mjs <cache dir> [concurrency] [size].
// Prints one JSON line: seconds (import included), what was rendered, the files done in the
// first 60 s (a cold build's start), the counts, peak RSS.
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { loadQdEmoji } = await import('../../packages/qd-emoji/dist/index.js');
const { peakRssMiB } = await import('../lib/harness.mjs');
const [cacheDir, concurrency, size] = process.argv.slice(2);
let last;
let firstMinuteFiles;
const built = await loadQdEmoji({
  cacheDir,
  ...(concurrency ? { concurrency: Number(concurrency) } : {}),
  ...(size ? { size: Number(size) } : {}),
  onProgress: (p) => {
    last = p;
    if (firstMinuteFiles === undefined && performance.now() - t0 >= 60_000) {
      firstMinuteFiles = p.written + p.reused + p.skipped;
    }
  },
});
console.log(
  JSON.stringify({
    seconds: (performance.now() - t0) / 1000,
    progress: last,
    firstMinuteFiles: firstMinuteFiles ?? null,
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
