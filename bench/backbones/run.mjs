// Feature-extraction throughput: images/s of MobileNetV2 (224 and 112 px) and VGG16 (224 px),
// batch 16, for the ONNX Runtime engine, the TF.js engine (WASM, worker threads on every core,
// and one thread), and PyTorch CPU (Debian python3-torch, 2 threads) in the same run.
// Run: npm run build -w @zs-sbir/backbones && node bench/run.mjs backbones
import { mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadBackbone, loadWorkerBackbone } from '../../packages/backbones/dist/index.js';
import { initBackend } from '../../packages/core/dist/index.js';
import { machineInfo, peakRssMiB, printComparison, runPython, timeIt } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(tmpdir(), 'zs-sbir-bench-backbones');
mkdirSync(work, { recursive: true });
const BATCH = 16;

const ALL_CASES = [
  {
    case: 'MobileNetV2 224 px',
    arch: 'mobilenet_v2',
    size: 224,
    spec: { name: 'mobilenet-v2' },
    repeats: 5,
  },
  {
    case: 'MobileNetV2 112 px',
    arch: 'mobilenet_v2',
    size: 112,
    spec: { name: 'mobilenet-v2', inputSize: 112 },
    repeats: 5,
  },
  { case: 'VGG16 224 px (fc7)', arch: 'vgg16', size: 224, spec: { name: 'vgg16' }, repeats: 2 },
];
// `node bench/backbones/run.mjs 112` (a substring of the case names) runs a subset.
const CASES = ALL_CASES.filter((c) => c.case.includes(process.argv[2] ?? ''));

const batch = (size) =>
  Float32Array.from({ length: BATCH * size * size * 3 }, (_, i) => Math.sin(i) * 0.5);
const note = (seconds) => `${(BATCH / seconds).toFixed(1)} images/s`;

/** Seconds per batch with one batch in flight per worker thread, after one warm-up batch each. */
async function throughput(backbone, data, rounds) {
  const lanes = backbone.parallelism;
  const run = (n) =>
    Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let i = 0; i < n; i++) await backbone.embedData(data, BATCH);
      }),
    );
  await run(1);
  const t0 = performance.now();
  await run(rounds);
  return (performance.now() - t0) / 1000 / (lanes * rounds);
}

await initBackend({ backend: 'wasm' });
console.log(`machine: ${await machineInfo()}`);
const rows = [];
for (const c of CASES) {
  const onnxPath = join(work, `${c.arch}-${c.size}.onnx`);
  const torch = runPython(join(here, 'torch_peer.py'), [
    c.arch,
    c.size,
    BATCH,
    c.repeats,
    onnxPath,
  ]);
  rows.push({
    case: c.case,
    impl: 'pytorch',
    seconds: torch.seconds ?? null,
    note: torch.seconds ? `${note(torch.seconds)}, ${torch.threads} threads` : undefined,
    error: torch.error,
  });
  const data = batch(c.size);

  const onnx = await loadBackbone({ onnx: onnxPath, inputSize: c.size, normalisation: 'imagenet' });
  const o = await timeIt(() => onnx.embedData(data, BATCH), { warmup: 1, repeats: c.repeats });
  rows.push({
    case: c.case,
    impl: 'onnx',
    seconds: o.median,
    note: `${note(o.median)}, ${cpus().length} threads`,
  });
  await onnx.dispose();

  const pool = await loadWorkerBackbone(c.spec, { workers: cpus().length });
  const p = await throughput(pool, data, c.arch === 'vgg16' ? 1 : 3);
  rows.push({
    case: c.case,
    impl: `tfjs-wasm x${pool.parallelism} workers`,
    seconds: p,
    note: note(p),
  });
  await pool.dispose();

  if (c.arch !== 'vgg16') {
    const single = await loadBackbone(c.spec);
    const s = await timeIt(() => single.embedData(data, BATCH), { warmup: 1, repeats: c.repeats });
    rows.push({
      case: c.case,
      impl: 'tfjs-wasm 1 thread',
      seconds: s.median,
      note: note(s.median),
    });
    await single.dispose();
  }
}
printComparison(`Feature extraction, batch ${BATCH}: seconds per batch`, rows, {
  baseline: 'pytorch',
  ours: 'onnx',
});
console.log(`\npeak RSS (main thread process): ${peakRssMiB().toFixed(0)} MiB`);
