// LanceDB ANN settings sweep behind @zs-sbir/search's defaults for large galleries (the tables in
// docs/benchmarks.md, "search"). LanceDB only: FAISS and the sketch path are run.mjs's subject.
//
//   node bench/search/sweep.mjs gen                 writes the galleries and queries, exact top 10
//   node bench/search/sweep.mjs build NAME SPEC     builds one index (SPEC: JSON, see buildSpec)
//   node bench/search/sweep.mjs query ROUNDS JOBS   JOBS: JSON [[NAME, QUERY_SPEC], ...], rounds
//                                                  alternate over the jobs; prints p50/p95/recall
//
//   ZS_SBIR_SWEEP_DIR   working folder (default /tmp/search-1m); ZS_SBIR_SWEEP_N rows (1000000)
//   ZS_SBIR_SWEEP_Q     queries (300); ZS_SBIR_SWEEP_CASE `random` (default) or `clustered`
//
// `random`: unit vectors uniform on the 64-d sphere (the hardest case: no structure for IVF or a
// graph to use). `clustered`: a mixture of 2,000 Gaussians around random unit centres (per-dim
// sigma 0.08, then normalised), queries drawn from the same mixture, as real galleries cluster.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

process.env.LANCEDB_LOG ??= 'error';
const lancedb = await import('@lancedb/lancedb');

const env = process.env;
const DIM = 64;
const K = 10;
const N = Number(env.ZS_SBIR_SWEEP_N ?? 1_000_000);
const Q = Number(env.ZS_SBIR_SWEEP_Q ?? 300);
const CASE = env.ZS_SBIR_SWEEP_CASE ?? 'random';
const dir = join(env.ZS_SBIR_SWEEP_DIR ?? '/tmp/search-1m', CASE);
const now = () => performance.now();
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

let seed = 7;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
function normalise(v, o) {
  let s = 0;
  for (let i = 0; i < DIM; i++) s += v[o + i] ** 2;
  s = 1 / Math.sqrt(s);
  for (let i = 0; i < DIM; i++) v[o + i] *= s;
}
/** `n` vectors of the case, row-major, unit length. */
function sample(n, centres) {
  const out = new Float32Array(n * DIM);
  for (let r = 0; r < n; r++) {
    const c = centres ? Math.floor(rand() * (centres.length / DIM)) * DIM : -1;
    for (let i = 0; i < DIM; i++)
      out[r * DIM + i] = c < 0 ? gauss() : centres[c + i] + 0.08 * gauss();
    normalise(out, r * DIM);
  }
  return out;
}

/** Exact cosine top K of every query (numpy: one matrix product per block of the gallery). */
function exactTopK() {
  const py = `
import numpy as np, sys
d = sys.argv[1]
g = np.fromfile(d + '/gallery.f32', dtype=np.float32).reshape(-1, ${DIM})
q = np.fromfile(d + '/queries.f32', dtype=np.float32).reshape(-1, ${DIM})
best = np.full((len(q), 0), -np.inf, np.float32); ids = np.zeros((len(q), 0), np.int64)
for s in range(0, len(g), 100000):
    sc = q @ g[s:s + 100000].T
    best = np.concatenate([best, sc], 1); ids = np.concatenate([ids, np.broadcast_to(np.arange(s, s + sc.shape[1]), sc.shape)], 1)
    keep = np.argsort(-best, 1)[:, :${K}]
    best = np.take_along_axis(best, keep, 1); ids = np.take_along_axis(ids, keep, 1)
ids.astype(np.int32).tofile(d + '/truth.i32')
`;
  const r = spawnSync('python3', ['-c', py, dir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('sweep.mjs: the exact top K (python3 with numpy) failed');
}

async function gen() {
  await mkdir(dir, { recursive: true });
  seed = CASE === 'random' ? 7 : 11;
  const centres = CASE === 'clustered' ? sample(2000, null) : null;
  const gallery = sample(N, centres);
  const queries = sample(Q, centres);
  await writeFile(join(dir, 'gallery.f32'), gallery);
  await writeFile(join(dir, 'queries.f32'), queries);
  let t = now();
  exactTopK();
  console.log(`exact top ${K} of ${Q} queries: ${((now() - t) / 1000).toFixed(1)} s`);
  t = now();
  const db = await lancedb.connect(join(dir, 'db'));
  let table;
  for (let s = 0; s < N; s += 50_000) {
    const rows = [];
    for (let i = s; i < Math.min(N, s + 50_000); i++) {
      rows.push({
        id: i,
        vector: Array.from(gallery.subarray(i * DIM, (i + 1) * DIM)),
        path: `v/${i}.png`,
      });
    }
    if (table) await table.add(rows);
    else table = await db.createTable('base', rows, { mode: 'overwrite' });
  }
  await table.optimize();
  console.log(`table of ${await table.countRows()} rows: ${((now() - t) / 1000).toFixed(1)} s`);
}

/**
 * SPEC: {type: 'IVF_PQ'|'IVF_FLAT'|'IVF_RQ'|'IVF_HNSW_SQ'|'IVF_HNSW_PQ', partitions, subVectors?,
 * bits?, m?, efConstruction?, sampleRate?, maxIterations?}
 */
async function build(name, spec) {
  const db = await lancedb.connect(join(dir, 'db'));
  const base = await db.openTable('base');
  // Each index gets its own copy of the table, so that rounds can alternate between indexes.
  const names = await db.tableNames();
  if (names.includes(name)) await db.dropTable(name);
  const t0 = now();
  const data = await base.query().select(['id', 'vector', 'path']).toArrow();
  const table = await db.createTable(name, data);
  const copy = (now() - t0) / 1000;
  const common = {
    distanceType: 'cosine',
    numPartitions: spec.partitions,
    ...(spec.sampleRate ? { sampleRate: spec.sampleRate } : {}),
    ...(spec.maxIterations ? { maxIterations: spec.maxIterations } : {}),
  };
  const { Index } = lancedb;
  const config = {
    IVF_PQ: () => Index.ivfPq({ ...common, numSubVectors: spec.subVectors }),
    IVF_FLAT: () => Index.ivfFlat(common),
    IVF_RQ: () => Index.ivfRq({ ...common, ...(spec.bits ? { numBits: spec.bits } : {}) }),
    IVF_HNSW_SQ: () => Index.hnswSq({ ...common, m: spec.m, efConstruction: spec.efConstruction }),
    IVF_HNSW_PQ: () =>
      Index.hnswPq({
        ...common,
        m: spec.m,
        efConstruction: spec.efConstruction,
        numSubVectors: spec.subVectors,
      }),
  }[spec.type]();
  const l0 = load();
  const t = now();
  await table.createIndex('vector', { config });
  const seconds = (now() - t) / 1000;
  const line = { name, spec, buildSeconds: seconds, copySeconds: copy, load: [l0, load()] };
  console.log(JSON.stringify(line));
  await writeFile(join(dir, `${name}.build.json`), `${JSON.stringify(line)}\n`);
}

/** QUERY_SPEC: {nprobes?, refine?, ef?, exact?, fast?} */
async function query(rounds, jobs) {
  const db = await lancedb.connect(join(dir, 'db'));
  const queries = new Float32Array((await readFile(join(dir, 'queries.f32'))).buffer.slice(0));
  const truth = new Int32Array((await readFile(join(dir, 'truth.i32'))).buffer.slice(0));
  const nq = Math.min(queries.length / DIM, Number(env.ZS_SBIR_SWEEP_USE ?? Infinity));
  const tables = new Map();
  for (const [name] of jobs) if (!tables.has(name)) tables.set(name, await db.openTable(name));
  const results = jobs.map(() => ({ ms: [], cpu: 0, hits: 0, n: 0, loads: [] }));
  for (let r = 0; r < rounds; r++) {
    for (const [j, [name, qs]] of jobs.entries()) {
      const table = tables.get(name);
      const res = results[j];
      res.loads.push(loadavg()[0]);
      for (let q = -3; q < nq; q++) {
        const v = queries.subarray(Math.max(q, 0) * DIM, (Math.max(q, 0) + 1) * DIM);
        const t = now();
        const c = process.cpuUsage();
        let vq = table.vectorSearch(v).distanceType('cosine').limit(K);
        if (qs.exact) vq = vq.bypassVectorIndex();
        if (qs.nprobes) vq = vq.nprobes(qs.nprobes);
        if (qs.refine) vq = vq.refineFactor(qs.refine);
        if (qs.ef) vq = vq.ef(qs.ef);
        if (qs.fast) vq = vq.fastSearch();
        const rows = await vq.select(['path', '_distance']).toArray();
        const ms = now() - t;
        const used = process.cpuUsage(c);
        if (q < 0) continue; // warm-up
        res.ms.push(ms);
        res.cpu += (used.user + used.system) / 1000;
        const want = new Set(truth.subarray(q * K, (q + 1) * K));
        res.hits += rows.filter((x) => want.has(Number(x.path.slice(2, -4)))).length;
        res.n += K;
      }
    }
  }
  for (const [j, [name, qs]] of jobs.entries()) {
    const { ms, cpu, hits, n, loads } = results[j];
    console.log(
      JSON.stringify({
        case: CASE,
        name,
        query: qs,
        recall: +(hits / n).toFixed(4),
        p50: +pct(ms, 0.5).toFixed(1),
        p95: +pct(ms, 0.95).toFixed(1),
        cpuMs: +(cpu / ms.length).toFixed(1),
        queries: ms.length,
        load1: loads.map((x) => x.toFixed(1)).join('/'),
      }),
    );
  }
}

const [cmd, ...args] = process.argv.slice(2);
console.error(`${CASE}, ${cpus().length} cores, load ${load()}`);
if (cmd === 'gen') await gen();
else if (cmd === 'build') await build(args[0], JSON.parse(args[1]));
else if (cmd === 'query') await query(Number(args[0]), JSON.parse(args[1]));
else throw new Error(`sweep.mjs: unknown command ${cmd}: expected gen, build or query`);
