"""The SEM-PCYC-style evaluator, the peer of bench/metrics/run.mjs (written for this benchmark).

What SEM-PCYC's src/test.py reports after embedding, on cosine similarity: numpy similarity
(float64, BLAS), then per query scikit-learn `average_precision_score` for mAP@all, the same on the
query's top 200 for mAP@200 (0 when it holds no relevant item), and P@100. Similarities are
computed in chunks of 500 queries so memory stays bounded at SAKE's size.

usage: sem_pcyc_peer.py DATA_DIR NUM_QUERIES plain|joblib
  plain:  one process, one query after another.
  joblib: each chunk's queries split over joblib workers (n_jobs = 2, the machine's cores).
Prints one JSON line: seconds (similarity + metrics, after loading), metric values, peak RSS.
"""
import json
import os
import resource
import sys
import time

import numpy as np
from sklearn.metrics import average_precision_score

CHUNK = 500
JOBS = 2


def query_metrics(sim, rel):
    """mAP@all, mAP@200 and P@100 terms of the rows of one chunk."""
    out = np.zeros((sim.shape[0], 3))
    for i in range(sim.shape[0]):
        s, r = sim[i], rel[i]
        order = np.argsort(-s, kind="stable")
        top = order[:200]
        out[i, 0] = average_precision_score(r, s) if r.any() else 0.0
        out[i, 1] = average_precision_score(r[top], s[top]) if r[top].any() else 0.0
        out[i, 2] = r[order[:100]].sum() / 100
    return out


def main():
    data_dir, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    queries = np.load(os.path.join(data_dir, "queries.npy"))[:n]
    gallery = np.load(os.path.join(data_dir, "gallery.npy"))
    qlabels = np.load(os.path.join(data_dir, "query-labels.npy"))[:n]
    glabels = np.load(os.path.join(data_dir, "gallery-labels.npy"))
    if mode == "joblib":
        from joblib import Parallel, delayed

        pool = Parallel(n_jobs=JOBS)
    t0 = time.perf_counter()
    g = gallery.astype(np.float64)
    g /= np.maximum(np.linalg.norm(g, axis=1), 1e-300)[:, None]
    results = []
    for start in range(0, n, CHUNK):
        q = queries[start : start + CHUNK].astype(np.float64)
        q /= np.maximum(np.linalg.norm(q, axis=1), 1e-300)[:, None]
        sim = q @ g.T
        rel = qlabels[start : start + CHUNK, None] == glabels[None, :]
        if mode == "joblib":
            parts = np.array_split(np.arange(sim.shape[0]), JOBS)
            results += pool(delayed(query_metrics)(sim[p], rel[p]) for p in parts)
        else:
            results.append(query_metrics(sim, rel))
    values = np.concatenate(results).mean(axis=0)
    seconds = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "mode": mode,
                "queries": n,
                "seconds": seconds,
                "mAPAll": float(values[0]),
                "mAP200": float(values[1]),
                "precision100": float(values[2]),
                "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
