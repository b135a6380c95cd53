// Child process of bench/metrics/run.mjs: one evaluation with the built @zs-sbir/metrics, so its
// peak RSS is measured alone. usage: node ours.mjs DATA_DIR NUM_QUERIES
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readNpyLabels, readNpyMatrix } from '../../packages/io/dist/index.js';
import { evaluateRetrieval } from '../../packages/metrics/dist/index.js';

const [dir, count] = process.argv.slice(2);
const n = Number(count);
const queryLabels = (await readNpyLabels(join(dir, 'query-labels.npy'))).subarray(0, n);
const galleryLabels = await readNpyLabels(join(dir, 'gallery-labels.npy'));
const q = await readNpyMatrix(join(dir, 'queries.npy'));
const gallery = await readNpyMatrix(join(dir, 'gallery.npy'));
const queries = { data: q.data.subarray(0, n * q.cols), rows: n, cols: q.cols };
const t0 = performance.now();
const report = await evaluateRetrieval({
  queries,
  gallery,
  similarity: 'cosine',
  queryLabels,
  galleryLabels,
  protocol: 'sklearn',
  ks: [100, 200],
  perQuery: false,
});
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    seconds,
    mAPAll: report.mAPAll,
    mAP200: report.mAPAtK[200],
    precision100: report.precisionAtK[100],
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
