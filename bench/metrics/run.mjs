// bench/metrics: the whole ZS-SBIR evaluation (cosine similarity + mAP@all + P@100 + mAP@200,
// sklearn protocol) of @zs-sbir/metrics against a SEM-PCYC-style Python evaluator (numpy +
// scikit-learn) on the same embeddings, whole runs, nothing scaled.
//
// node bench/run.mjs metrics
//
// Cases: 3,000 queries, and SAKE's Sketchy zero-shot test size (15,229), both against 17,101
// gallery items, d = 512 (ZS_SBIR_BENCH_METRICS_QUERIES=3000 runs one). Each round runs ours, the plain
// peer (one process) and the joblib peer (two processes) once each, in an order that rotates from
// round to round, and prints both ratios for that round; ROUNDS rounds (ZS_SBIR_BENCH_METRICS_ROUNDS,
// default 3).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpy } from '../../packages/io/dist/index.js';
import { machineInfo, runPython } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SAKE_QUERIES = 15229;
const GALLERY = 17101;
const DIM = 512;
const CLASSES = 25;
const CASES = (process.env.ZS_SBIR_BENCH_METRICS_QUERIES ?? `3000,${SAKE_QUERIES}`)
  .split(',')
  .map(Number);
const ROUNDS = Number(process.env.ZS_SBIR_BENCH_METRICS_ROUNDS ?? 3);

/** Seeded standard normals (xorshift32 + Box-Muller). */
function normals(seed) {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Embeddings with class structure: a class centre plus noise, classes drawn uniformly. */
function makeSet(rows, centres, normal, labelSeed) {
  const labels = new Int32Array(rows);
  const data = new Float32Array(rows * DIM);
  let s = labelSeed;
  for (let i = 0; i < rows; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    labels[i] = s % CLASSES;
    for (let k = 0; k < DIM; k++) data[i * DIM + k] = centres[labels[i] * DIM + k] + normal();
  }
  return { data, labels };
}

function runOurs(dir, count) {
  const r = spawnSync(process.execPath, [join(here, 'ours.mjs'), dir, String(count)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`ours.mjs failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

function runPeer(dir, count, mode) {
  return runPython(join(here, 'sem_pcyc_peer.py'), [dir, count, mode]);
}

const dir = join(tmpdir(), `zs-sbir-bench-metrics-${process.pid}`);
mkdirSync(dir, { recursive: true });
try {
  const normal = normals(2026);
  const centres = Float32Array.from({ length: CLASSES * DIM }, () => 0.3 * normal());
  const q = makeSet(SAKE_QUERIES, centres, normal, 1);
  const g = makeSet(GALLERY, centres, normal, 2);
  await writeNpy(join(dir, 'queries.npy'), { data: q.data, shape: [SAKE_QUERIES, DIM] });
  await writeNpy(join(dir, 'gallery.npy'), { data: g.data, shape: [GALLERY, DIM] });
  await writeNpy(join(dir, 'query-labels.npy'), { data: q.labels, shape: [SAKE_QUERIES] });
  await writeNpy(join(dir, 'gallery-labels.npy'), { data: g.labels, shape: [GALLERY] });
  console.log(`machine: ${await machineInfo()}`);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const secs = (r) => (r.error ? 'n/a' : `${r.seconds.toFixed(2)} s`);
  const ratio = (peer, ours) =>
    peer.error ? 'n/a' : `${(peer.seconds / ours.seconds).toFixed(2)}x`;
  for (const count of CASES) {
    console.log(
      `\n## metrics: ${count} queries x ${GALLERY} gallery x ${DIM}, cosine, sklearn protocol, mAP@all + P@100 + mAP@200, whole runs\n`,
    );
    console.log(
      '| round | load average | zs-sbir (peak RSS) | plain numpy + sklearn (peak RSS) | joblib, 2 processes | vs plain | vs joblib |',
    );
    console.log('|---|---|---|---|---|---|---|');
    const all = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = load();
      const runs = {};
      const order = ['ours', 'plain', 'joblib'];
      for (let i = 0; i < order.length; i++) {
        const side = order[(i + round) % order.length];
        runs[side] = side === 'ours' ? runOurs(dir, count) : runPeer(dir, count, side);
      }
      all.push(runs);
      const { ours, plain, joblib } = runs;
      const rss = (r) => (r.error ? '' : ` (${r.peakRssMiB.toFixed(0)} MiB)`);
      console.log(
        `| ${round + 1} | ${before} | ${secs(ours)}${rss(ours)} | ${secs(plain)}${rss(plain)} | ${secs(joblib)} | ${ratio(plain, ours)} | ${ratio(joblib, ours)} |`,
      );
      for (const peer of [plain, joblib])
        if (peer.error) console.log(`peer not run: ${peer.error}`);
    }
    const { ours, plain } = all[0] ?? {};
    if (plain && !plain.error) {
      const diff = (a, b) => Math.abs(a - b).toExponential(1);
      console.log(
        `\nagreement (plain peer vs ours): mAP@all ${plain.mAPAll.toFixed(6)} vs ${ours.mAPAll.toFixed(6)} (|diff| ${diff(plain.mAPAll, ours.mAPAll)}), ` +
          `mAP@200 ${diff(plain.mAP200, ours.mAP200)}, P@100 ${diff(plain.precision100, ours.precision100)}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
