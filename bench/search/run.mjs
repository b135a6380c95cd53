// npm run bench -- search: @zs-sbir/search against FAISS (Debian python3-faiss, matched
// parameters) on (1) random unit 64-d vectors (the embedding width; 1,000,000 by default) and
// (2) the real QD-Emoji gallery embedded by a trained run. For each: recall@10 of the ANN index
// against exact cosine search (FAISS IndexFlatIP), one-sketch query latency end to end (a sketch
// PNG through openIndex(dir).search: preprocess + embed + search), the search alone (an embedding
// through openIndex(dir).search, what FAISS's index.search does), and the index build time.
// Rounds alternate ours / FAISS; ratios are per round. Needs `npm run build` (packages) and a
// trained run with its QD-Emoji cache (`npm start` writes runs/qd-emoji/wad-cmsn).
//
//   ZS_SBIR_BENCH_RUN     run folder (default runs/qd-emoji/wad-cmsn)
//   ZS_SBIR_BENCH_SEARCH_N  gallery sizes of random vectors, comma-separated (default 1000000)
//   ZS_SBIR_BENCH_ROUNDS  alternating rounds (default 3); ZS_SBIR_BENCH_QUERIES sketches (100)
//   ZS_SBIR_BENCH_SEARCH_CASES  `random,qd-emoji` (default both)
//   ZS_SBIR_BENCH_ANN     `hnsw-sq` or `ivf-pq` (0.1's IVF-PQ: sqrt(n) lists, 4-dim sub-vectors,
//                         half probed, refine 50): force that index instead of the library default
// The library default above 250,000 is IVF-PQ (256 lists at 1M, 2-dim sub-vectors, half probed,
// refine 5); bench/search/sweep.mjs is the LanceDB-only sweep that chose it.
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, PYTHON, runPython } from '../lib/harness.mjs';

process.env.LANCEDB_LOG ??= 'error';
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const work = join(root, 'bench/results/search');
const env = process.env;
const K = 10;
const ROUNDS = Number(env.ZS_SBIR_BENCH_ROUNDS ?? 3);
const QUERIES = Number(env.ZS_SBIR_BENCH_QUERIES ?? 100);
const SIZES = (env.ZS_SBIR_BENCH_SEARCH_N ?? '1000000').split(',').map(Number);
const CASES = (env.ZS_SBIR_BENCH_SEARCH_CASES ?? 'random,qd-emoji').split(',');
const runDir = resolve(env.ZS_SBIR_BENCH_RUN ?? join(root, 'runs/qd-emoji/wad-cmsn'));

const { initBackend } = await import('@zs-sbir/core');
const search = await import('@zs-sbir/search');
const lancedb = await import('@lancedb/lancedb');

const now = () => performance.now();
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const log = (msg) => console.error(`${new Date().toISOString().slice(11, 19)} ${msg}`);

/** The QD-Emoji folders (`images`, `sketches`) of the run's dataset cache. */
async function datasetOf(run) {
  const spec = JSON.parse(await readFile(join(run, 'run.json'), 'utf8')).spec;
  const base = join(spec.cacheDir, 'qd-emoji');
  const built = existsSync(base)
    ? readdirSync(base).filter((d) => existsSync(join(base, d, 'complete')))
    : [];
  if (spec.dataset !== 'qd-emoji' || built.length === 0) {
    throw new Error(
      `${run}: expected a qd-emoji run whose cache (${base}) holds a built dataset; run npm start`,
    );
  }
  return { images: join(base, built[0], 'images'), sketches: join(base, built[0], 'sketches') };
}

/** `count` sketch PNGs, round-robin over the classes (first files first): the same each run. */
function pickSketches(dir, count) {
  const classes = readdirSync(dir).sort();
  const files = classes.map((c) =>
    readdirSync(join(dir, c))
      .sort()
      .map((f) => join(dir, c, f)),
  );
  const out = [];
  for (let i = 0; out.length < count; i++) {
    for (const f of files) if (f[i] && out.length < count) out.push(f[i]);
  }
  return out;
}

let seed = 42;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
/** `n` random unit vectors of `dim`, row-major (seeded: the same gallery every run). */
function randomUnit(n, dim) {
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      const x = gauss();
      out[r * dim + i] = x;
      norm += x * x;
    }
    const s = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) out[r * dim + i] *= s;
  }
  return out;
}

const writeF32 = (file, data) =>
  writeFile(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));

/**
 * An index folder searched through openIndex like any other: a real build of one photo (valid
 * manifest, the run's identity) whose table then gets `vectors` appended as rows `v/<i>.png`.
 */
async function syntheticIndex(out, images, vectors, dim) {
  await rm(out, { recursive: true, force: true });
  const one = join(out, '..', 'one-photo');
  await rm(one, { recursive: true, force: true });
  await mkdir(one, { recursive: true });
  const first = readdirSync(images).sort()[0];
  const photo = readdirSync(join(images, first)).sort()[0];
  await cp(join(images, first, photo), join(one, photo));
  await search.buildIndex({ run: runDir, images: one, out, ann: false });
  const db = await lancedb.connect(out);
  const table = await db.openTable('gallery');
  await table.delete('true');
  const n = vectors.length / dim;
  for (let s = 0; s < n; s += 50_000) {
    const rows = [];
    for (let i = s; i < Math.min(n, s + 50_000); i++) {
      rows.push({
        path: `v/${i}.png`,
        vector: Array.from(vectors.subarray(i * dim, (i + 1) * dim)),
        label: 'v',
        size: 1,
        mtime: 0,
      });
    }
    await table.add(rows);
  }
  await table.optimize();
  return { db, table };
}

/**
 * The ANN index to measure: the library's default for the size, or forced with ZS_SBIR_BENCH_ANN:
 * `hnsw-sq` (the library's HNSW-SQ parameters, one graph per 250,000 vectors, all searched) or
 * `ivf-pq` (0.1's IVF-PQ: sqrt(n) lists, 4-dim sub-vectors, half probed, refine 50).
 */
function annFor(count, dim) {
  if (env.ZS_SBIR_BENCH_ANN === 'hnsw-sq') {
    const graphs = Math.max(1, Math.ceil(count / 250_000));
    return { ...search.annIndexFor(1, dim), partitions: graphs, nprobes: graphs };
  }
  if (env.ZS_SBIR_BENCH_ANN !== 'ivf-pq') return search.annIndexFor(count, dim);
  const partitions = Math.max(1, Math.round(Math.sqrt(count)));
  const nprobes = Math.ceil(partitions / 2);
  return { type: 'IVF_PQ', partitions, subVectors: dim / 4, nprobes, refineFactor: 50 };
}

/** Builds (timed) the ANN index for the table with the library, and points index.json at it. */
async function buildAnn(out, table, count, dim) {
  const ann = annFor(count, dim);
  const t = now();
  await search.createAnnIndex(table, ann);
  const seconds = (now() - t) / 1000;
  const file = join(out, 'index.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  Object.assign(manifest, { count, ann, tableVersion: await table.version() });
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return { ann, seconds };
}

/** The FAISS spec matching our ANN index. */
function faissSpec(ann) {
  if (ann.type === 'IVF_PQ') return { ...ann };
  return { ...ann, type: 'HNSW_SQ' };
}

const rowOf = (path, paths) => (paths ? paths.get(path) : Number(path.slice(2, -4)));

/** One pass of ours: every sketch end to end, then every embedding (search only), timed one by one. */
async function oursPass(out, sketches, vectors, dim, truth, paths) {
  const index = await search.openIndex(out);
  try {
    for (const s of sketches.slice(0, 3)) await index.search(s, { k: K }); // model load, caches
    const e2e = [];
    for (const s of sketches) {
      const t = now();
      await index.search(s, { k: K });
      e2e.push(now() - t);
    }
    const ms = [];
    let hits = 0;
    for (let q = 0; q < sketches.length; q++) {
      const v = vectors.slice(q * dim, (q + 1) * dim);
      const t = now();
      const r = await index.search(v, { k: K });
      ms.push(now() - t);
      const want = new Set(truth.subarray(q * K, (q + 1) * K));
      hits += r.filter((x) => want.has(BigInt(rowOf(x.path, paths)))).length;
    }
    return { e2e, ms, recall: hits / (K * sketches.length) };
  } finally {
    await index.close();
  }
}

/** Exact search through openIndex (`exact: true`) agrees with FAISS's flat top-K? */
async function exactCheck(out, vectors, dim, truth, paths, count) {
  const index = await search.openIndex(out);
  let same = 0;
  const ms = [];
  try {
    for (let q = 0; q < count; q++) {
      const t = now();
      const r = await index.search(vectors.slice(q * dim, (q + 1) * dim), { k: K, exact: true });
      ms.push(now() - t);
      const want = new Set(truth.subarray(q * K, (q + 1) * K));
      same += r.filter((x) => want.has(BigInt(rowOf(x.path, paths)))).length;
    }
  } finally {
    await index.close();
  }
  return { agreement: same / (K * count), ms };
}

async function runCase(
  name,
  { out, galleryFile, queryFile, vectors, dim, sketches, paths, count, build, buildEvery },
) {
  const slug = name.replaceAll(/[^a-z0-9]+/gi, '-').toLowerCase();
  const truthFile = join(work, `${slug}.truth.i64`);
  const truthRun = runPython(join(here, 'faiss_peer.py'), [
    'truth',
    galleryFile,
    queryFile,
    dim,
    K,
    truthFile,
  ]);
  if (truthRun.error)
    throw new Error(
      `FAISS peer (${PYTHON}): ${truthRun.error}; run npm run bench -- --install-peers search`,
    );
  const truth = new BigInt64Array((await readFile(truthFile)).buffer.slice(0));
  const rounds = [];
  let ann;
  let exact;
  for (let r = 0; r < ROUNDS; r++) {
    const ours = { build: r === 0 || buildEvery ? await build() : null };
    ann = ours.build?.ann ?? ann;
    exact ??= await exactCheck(out, vectors, dim, truth, paths, Math.min(10, sketches.length));
    Object.assign(ours, await oursPass(out, sketches, vectors, dim, truth, paths));
    log(
      `${name} round ${r + 1}: ours recall ${ours.recall.toFixed(3)} p95 ${pct(ours.ms, 0.95).toFixed(1)} ms`,
    );
    const spec = { ...faissSpec(ann), build: r === 0 || buildEvery };
    const faiss = runPython(join(here, 'faiss_peer.py'), [
      'search',
      galleryFile,
      queryFile,
      dim,
      K,
      truthFile,
      join(work, `${slug}.faiss`),
      JSON.stringify(spec),
    ]);
    if (faiss.error) throw new Error(`FAISS peer: ${faiss.error}`);
    log(
      `${name} round ${r + 1}: FAISS recall ${faiss.recall.toFixed(3)} p95 ${pct(faiss.ms, 0.95).toFixed(1)} ms`,
    );
    rounds.push({ ours, faiss });
  }
  return { name, count, ann, exact, rounds };
}

function report(c) {
  const f = (x, d = 1) => (x == null ? '-' : x.toFixed(d));
  const a = c.ann;
  const params =
    a.type === 'IVF_PQ'
      ? `IVF-PQ nlist ${a.partitions}, m ${a.subVectors}, nbits 8, nprobe ${a.nprobes}, refine ${a.refineFactor}`
      : `${a.type} partitions ${a.partitions}, m ${a.m}, efConstruction ${a.efConstruction}, ef ${a.ef}, refine ${a.refineFactor}`;
  console.log(
    `\n## ${c.name}: ${c.count.toLocaleString('en')} vectors, ${QUERIES} sketches, ${params}\n`,
  );
  console.log(
    `exact search (openIndex, exact: true) agrees with FAISS IndexFlatIP on ${f(c.exact.agreement * 100)}% of the top-${K} (10 queries, p50 ${f(pct(c.exact.ms, 0.5))} ms)\n`,
  );
  console.log(
    '| round | impl | recall@10 | sketch end to end p50 / p95 ms | search p50 / p95 ms | build s |',
  );
  console.log('|---|---|---|---|---|---|');
  const ratios = [];
  for (const [i, { ours, faiss }] of c.rounds.entries()) {
    console.log(
      `| ${i + 1} | zs-sbir (LanceDB) | ${f(ours.recall, 3)} | ${f(pct(ours.e2e, 0.5))} / ${f(pct(ours.e2e, 0.95))} | ${f(pct(ours.ms, 0.5))} / ${f(pct(ours.ms, 0.95))} | ${f(ours.build?.seconds)} |`,
    );
    console.log(
      `| ${i + 1} | FAISS ${faiss.faiss} | ${f(faiss.recall, 3)} | - | ${f(pct(faiss.ms, 0.5), 2)} / ${f(pct(faiss.ms, 0.95), 2)} | ${f(faiss.buildSeconds)} |`,
    );
    ratios.push({
      round: i + 1,
      p50: pct(ours.ms, 0.5) / pct(faiss.ms, 0.5),
      p95: pct(ours.ms, 0.95) / pct(faiss.ms, 0.95),
      build: ours.build && faiss.buildSeconds ? ours.build.seconds / faiss.buildSeconds : null,
    });
  }
  console.log('\nours / FAISS (> 1: FAISS faster), per round:\n');
  console.log('| round | search p50 | search p95 | build |');
  console.log('|---|---|---|---|');
  for (const r of ratios)
    console.log(
      `| ${r.round} | ${f(r.p50)}x | ${f(r.p95)}x | ${r.build == null ? '-' : `${f(r.build)}x`} |`,
    );
}

await mkdir(work, { recursive: true });
const backend = await initBackend();
const data = await datasetOf(runDir);
const sketches = pickSketches(data.sketches, QUERIES);
const results = [];
// The query embeddings (the run's sketch branch), shared by every case and by FAISS.
const probe = await search.openIndex(
  await (async () => {
    const out = join(work, 'qd-emoji-index');
    await search.buildIndex({ run: runDir, images: data.images, out, ann: false });
    return out;
  })(),
);
const dim = probe.info.dim;
const queryVectors = new Float32Array(QUERIES * dim);
for (const [i, s] of sketches.entries()) queryVectors.set(await probe.embed(s), i * dim);
await probe.close();
const queryFile = join(work, 'queries.f32');
await writeF32(queryFile, queryVectors);

if (CASES.includes('qd-emoji')) {
  const out = join(work, 'qd-emoji-index');
  const db = await lancedb.connect(out);
  const table = await db.openTable('gallery');
  const rows = (await table.query().select(['path', 'vector']).toArray()).sort((x, y) =>
    x.path < y.path ? -1 : 1,
  );
  const gallery = new Float32Array(rows.length * dim);
  const paths = new Map();
  for (const [i, r] of rows.entries()) {
    gallery.set(r.vector.toArray(), i * dim);
    paths.set(r.path, i);
  }
  const galleryFile = join(work, 'qd-emoji.f32');
  await writeF32(galleryFile, gallery);
  results.push(
    await runCase('QD-Emoji gallery', {
      out,
      galleryFile,
      queryFile,
      vectors: queryVectors,
      dim,
      sketches,
      paths,
      count: rows.length,
      build: () => buildAnn(out, table, rows.length, dim),
      buildEvery: true,
    }),
  );
  table.close();
  db.close();
}
if (CASES.includes('random')) {
  for (const n of SIZES) {
    const out = join(work, `random-${n}`);
    log(`random ${n}: generating and writing the table`);
    seed = 42;
    const gallery = randomUnit(n, dim);
    const galleryFile = join(work, `random-${n}.f32`);
    await writeF32(galleryFile, gallery);
    const { db, table } = await syntheticIndex(out, data.images, gallery, dim);
    results.push(
      await runCase(`random ${n}`, {
        out,
        galleryFile,
        queryFile,
        vectors: queryVectors,
        dim,
        sketches,
        paths: null,
        count: n,
        build: () => buildAnn(out, table, n, dim),
      }),
    );
    table.close();
    db.close();
  }
}
console.log(`machine: ${await machineInfo()}; TF.js backend ${backend.backend}; run ${runDir}`);
for (const c of results) report(c);
