// npm run bench -- search [N=100000]: where @zs-sbir/search switches from exact to ANN search.
// Random unit 64-d vectors (the embedding width) in LanceDB 0.31: exact (flat) query time, and
// IVF-PQ build time, query time and recall@10 against exact, at several gallery sizes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.LANCEDB_LOG ??= 'error'; // LanceDB's warnings would drown the table
const lancedb = await import('@lancedb/lancedb');

const DIM = 64;
const K = 10;
const QUERIES = 100;
const max = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
const sizes = [1_000, 10_000, 30_000, 100_000, 300_000, 1_000_000].filter((n) => n <= max);

let seed = 42;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
function unit() {
  const v = new Float32Array(DIM);
  let n = 0;
  for (let i = 0; i < DIM; i++) {
    v[i] = gauss();
    n += v[i] ** 2;
  }
  for (let i = 0; i < DIM; i++) v[i] /= Math.sqrt(n);
  return v;
}
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const now = () => process.hrtime.bigint();
const p = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-bench-search-'));
const db = await lancedb.connect(dir);
const sweep = [];
const queries = Array.from({ length: QUERIES }, unit);
console.log(
  `LanceDB 0.31.0, ${DIM}-d random unit vectors, ${QUERIES} queries, recall@${K} vs exact`,
);
console.log(
  '| gallery | exact p50 ms | IVF-PQ build s | partitions | ANN p50 ms | recall@10 (nprobes 20, refine 10) |',
);
console.log('|---|---|---|---|---|---|');
try {
  for (const n of sizes) {
    const rows = Array.from({ length: n }, (_, i) => ({ id: i, vector: Array.from(unit()) }));
    const table = await db.createTable(`t${n}`, rows, { mode: 'overwrite' });
    const exact = [];
    const exactTimes = [];
    for (const q of queries) {
      const t = now();
      const r = await table
        .vectorSearch(q)
        .distanceType('cosine')
        .limit(K)
        .select(['id', '_distance'])
        .toArray();
      exactTimes.push(ms(t));
      exact.push(new Set(r.map((x) => x.id)));
    }
    const partitions = Math.max(1, Math.round(Math.sqrt(n)));
    const t = now();
    await table.createIndex('vector', {
      config: lancedb.Index.ivfPq({
        distanceType: 'cosine',
        numPartitions: partitions,
        numSubVectors: DIM / 4,
      }),
    });
    const build = ms(t) / 1000;
    let hits = 0;
    const annTimes = [];
    for (const [i, q] of queries.entries()) {
      const t2 = now();
      const r = await table
        .vectorSearch(q)
        .distanceType('cosine')
        .nprobes(20)
        .refineFactor(10)
        .limit(K)
        .select(['id', '_distance'])
        .toArray();
      annTimes.push(ms(t2));
      hits += r.filter((x) => exact[i].has(x.id)).length;
    }
    if (n === sizes.at(-1)) {
      for (const [nprobes, refine] of [
        [20, 50],
        [50, 10],
        [80, 10],
        [80, 50],
        [160, 10],
        [160, 50],
      ]) {
        let h = 0;
        const times = [];
        for (const [i, q] of queries.entries()) {
          const t3 = now();
          const r = await table
            .vectorSearch(q)
            .distanceType('cosine')
            .nprobes(nprobes)
            .refineFactor(refine)
            .limit(K)
            .select(['id', '_distance'])
            .toArray();
          times.push(ms(t3));
          h += r.filter((x) => exact[i].has(x.id)).length;
        }
        sweep.push(
          `| ${n} | ${nprobes} | ${refine} | ${p(times, 0.5).toFixed(1)} | ${(h / (K * QUERIES)).toFixed(3)} |`,
        );
      }
    }
    console.log(
      `| ${n} | ${p(exactTimes, 0.5).toFixed(1)} | ${build.toFixed(1)} | ${partitions} | ${p(annTimes, 0.5).toFixed(1)} | ${(hits / (K * QUERIES)).toFixed(3)} |`,
    );
    table.close();
  }
  console.log(
    `\nIVF-PQ at ${sizes.at(-1)}: nprobes and refine factor\n| gallery | nprobes | refine | ANN p50 ms | recall@10 |\n|---|---|---|---|---|\n${sweep.join('\n')}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
