"""FAISS peer of bench/search/run.mjs (Debian python3-faiss 1.7.3, /usr/bin/python3).

  faiss_peer.py truth GALLERY.f32 QUERIES.f32 DIM K OUT.i64
      exact cosine top-K (IndexFlatIP on the unit vectors) of every query, written as int64 rows.
  faiss_peer.py search GALLERY.f32 QUERIES.f32 DIM K TRUTH.i64 INDEX_FILE SPEC_JSON
      SPEC_JSON: {"type": "IVF_PQ", "partitions", "subVectors", "nprobes", "refineFactor"} or
      {"type": "HNSW_SQ", "m", "efConstruction", "ef", "refineFactor"}; "build": true builds the
      index (timed: train + add) and writes it to INDEX_FILE, otherwise INDEX_FILE is read.
      Then every query is searched alone (one call each, timed), as a server answers a sketch.

Prints one JSON object on its last line (build seconds, per-query milliseconds, recall@K).
"""

import json
import os
import sys
import time

# Spinning OpenMP threads on a shared, loaded machine made every call ~25x slower (43 s instead
# of 1.7 s for the QD-Emoji build, 48 ms instead of 0.2 ms a query): wait passively.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import faiss  # noqa: E402
import numpy as np

faiss.omp_set_num_threads(2)


def load(path, dim):
    return np.fromfile(path, dtype=np.float32).reshape(-1, dim)


def make_index(spec, dim):
    """The FAISS index matching our LanceDB index: L2 on unit vectors ranks as cosine does."""
    if spec["type"] == "IVF_PQ":
        quantizer = faiss.IndexFlatL2(dim)
        index = faiss.IndexIVFPQ(quantizer, dim, spec["partitions"], spec["subVectors"], 8)
    elif spec["type"] == "HNSW_SQ":
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, spec["m"])
        index.hnsw.efConstruction = spec["efConstruction"]
    else:
        raise SystemExit(f"faiss_peer.py: unknown index type {spec['type']!r}")
    if spec.get("refineFactor", 0) > 0:
        refined = faiss.IndexRefineFlat(index)
        refined.k_factor = float(spec["refineFactor"])
        return refined, index
    return index, index


def tune(base, spec):
    if spec["type"] == "IVF_PQ":
        base.nprobe = spec["nprobes"]
    else:
        base.hnsw.efSearch = spec["ef"]


def main():
    mode, gallery_file, queries_file, dim, k = sys.argv[1:6]
    dim, k = int(dim), int(k)
    gallery = load(gallery_file, dim)
    queries = load(queries_file, dim)
    if mode == "truth":
        t0 = time.perf_counter()
        flat = faiss.IndexFlatIP(dim)
        flat.add(gallery)
        _, ids = flat.search(queries, k)
        ids.astype(np.int64).tofile(sys.argv[6])
        print(json.dumps({"seconds": time.perf_counter() - t0}))
        return
    truth_file, index_file, spec_json = sys.argv[6:9]
    spec = json.loads(spec_json)
    truth = np.fromfile(truth_file, dtype=np.int64).reshape(-1, k)
    build_s = None
    if spec.get("build"):
        t0 = time.perf_counter()
        index, base = make_index(spec, dim)
        index.train(gallery)
        index.add(gallery)
        build_s = time.perf_counter() - t0
        faiss.write_index(index, index_file)
    else:
        index = faiss.read_index(index_file)
        base = faiss.downcast_index(index.base_index) if spec.get("refineFactor", 0) > 0 else index
        if spec["type"] == "IVF_PQ":
            base = faiss.extract_index_ivf(base)
    tune(base, spec)
    index.search(queries[:1], k)  # warm-up, untimed (as ours)
    times = []
    hits = 0
    for i in range(len(queries)):
        t = time.perf_counter()
        _, ids = index.search(queries[i : i + 1], k)
        times.append((time.perf_counter() - t) * 1000)
        hits += len(set(ids[0].tolist()) & set(truth[i].tolist()))
    print(
        json.dumps(
            {
                "faiss": faiss.__version__,
                "buildSeconds": build_s,
                "ms": times,
                "recall": hits / (k * len(queries)),
            }
        )
    )


if __name__ == "__main__":
    main()
