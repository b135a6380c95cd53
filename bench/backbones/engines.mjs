// The default QD-Emoji features (mobilenet-v2-1.4 read at expanded_conv_12, 112 px, `unit`) on
// both graph-model engines: ONNX Runtime (engine 'onnx', one session on every core) and
// TensorFlow.js WASM (engine 'tfjs'; extractFeatures runs it in worker threads on every core, as
// `npm start` does).
// 1. Sketch extraction: extractFeatures over the first N QD-Emoji sketches into a fresh cache,
//    rounds alternating between the engines; sketches/s and CPU seconds (all threads).
// 2. Search latency: one prepared sketch through backbone.embedData in this thread (what the
//    search server does per query), queries alternating between the engines; p50 / p95.
// Run: npm run build -w @zs-sbir/backbones && node bench/backbones/engines.mjs <QD-Emoji cache dir>
//      [sketches, default 2048] [rounds per engine, default 2] [queries per engine, default 200]
// (the cache dir is built at 112 px on first use: node bench/qd-emoji/build.mjs <dir> 2 112).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_PIPELINE,
  extractFeatures,
  loadBackbone,
} from '../../packages/backbones/dist/index.js';
import { initBackend } from '../../packages/core/dist/index.js';
import { imageBatches } from '../../packages/data/dist/index.js';
import { loadQdEmoji } from '../../packages/qd-emoji/dist/index.js';
import { machineInfo } from '../lib/harness.mjs';

const [cacheDir, sketchArg, roundArg, queryArg] = process.argv.slice(2);
if (!cacheDir) {
  console.error(
    'usage: node bench/backbones/engines.mjs <QD-Emoji cache dir> [sketches] [rounds] [queries]',
  );
  process.exit(2);
}
const N = Number(sketchArg ?? 2048);
const ROUNDS = Number(roundArg ?? 2);
const QUERIES = Number(queryArg ?? 200);
const SPEC = { name: 'mobilenet-v2-1.4', layer: 'expanded_conv_12', inputSize: 112 };
const ENGINES = ['onnx', 'tfjs'];

await initBackend({ backend: 'wasm' });
const { loadavg } = await import('node:os');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`machine: ${await machineInfo()}; load average at start ${load()}`);
const { dataset } = await loadQdEmoji({ cacheDir, size: 112 });
const subset = { ...dataset, sketches: dataset.sketches.slice(0, N) };

const results = Object.fromEntries(ENGINES.map((e) => [e, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const engine of ENGINES) {
    const dir = await mkdtemp(join(tmpdir(), `zs-engines-${engine}-`));
    const backbone = await loadBackbone({ ...SPEC, engine });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await extractFeatures(subset, backbone, { cacheDir: dir, modalities: ['sketch'] });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    await backbone.dispose();
    await rm(dir, { recursive: true });
    results[engine].push(N / seconds);
    console.log(
      `extract round ${round + 1} ${engine} (${backbone.engine}): ${N} sketches in ${seconds.toFixed(1)} s = ${(N / seconds).toFixed(1)} sketches/s, CPU ${cpuSeconds.toFixed(1)} s, load ${load()}`,
    );
  }
}

// Latency: each query is one sketch, prepared as the search server prepares it (not timed).
const queries = [];
for await (const batch of imageBatches(dataset.sketches.slice(0, 50), {
  ...DEFAULT_PIPELINE,
  size: 112,
  normalisation: 'unit',
  batchSize: 1,
})) {
  if (batch.count) queries.push(batch.data);
}
const backbones = {};
for (const engine of ENGINES) backbones[engine] = await loadBackbone({ ...SPEC, engine });
const times = Object.fromEntries(ENGINES.map((e) => [e, []]));
for (let q = -5; q < QUERIES; q++) {
  for (const engine of ENGINES) {
    const t0 = performance.now();
    await backbones[engine].embedData(queries[(q + 5) % queries.length], 1);
    if (q >= 0) times[engine].push(performance.now() - t0);
  }
}
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
for (const engine of ENGINES) {
  const t = times[engine];
  const rates = results[engine].map((r) => r.toFixed(1)).join(', ');
  console.log(
    `${engine}: extraction ${rates} sketches/s; one sketch p50 ${pct(t, 0.5).toFixed(1)} ms, p95 ${pct(t, 0.95).toFixed(1)} ms (${t.length} queries)`,
  );
  await backbones[engine].dispose();
}
console.log(`load average at end ${load()}`);
