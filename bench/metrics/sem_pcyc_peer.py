"""SEM-PCYC-style evaluator, the peer of bench/metrics/run.mjs.

Does what SEM-PCYC's src/test.py + src/utils.py do after embedding (written for this benchmark,
not copied): Euclidean distances with numpy (float64, BLAS), similarity exp(-distance), then per
query scikit-learn's average_precision_score over the whole gallery (mAP@all), the same on each
query's top 200 (mAP@200, AP 0 when the top 200 holds no relevant item), and P@100; the AP and
P@K loops run on joblib workers like SEM-PCYC's (n_jobs = cores).

usage: sem_pcyc_peer.py DATA_DIR NUM_QUERIES [SAVE_SCORES]
Reads queries.npy, gallery.npy, query-labels.npy, gallery-labels.npy from DATA_DIR and uses the
first NUM_QUERIES queries. Prints one JSON line: timings (s), metric values, peak RSS (MiB).
With SAVE_SCORES, also writes that subset's similarity matrix (float64) to DATA_DIR/scores.npy.
"""
import json
import multiprocessing
import os
import resource
import sys
import time

import numpy as np
from joblib import Parallel, delayed
from sklearn.metrics import average_precision_score


def ap_top_k(sim_row, rel_row, k):
    top = np.argsort(-sim_row)[:k]
    if rel_row[top].sum() == 0:
        return 0.0
    return average_precision_score(rel_row[top], sim_row[top])


def precision_at_k(sim_row, rel_row, k):
    top = np.argsort(-sim_row)[:k]
    return rel_row[top].sum() / min(k, len(sim_row))


def main():
    data_dir, n = sys.argv[1], int(sys.argv[2])
    save_scores = len(sys.argv) > 3
    queries = np.load(os.path.join(data_dir, "queries.npy"))[:n]
    gallery = np.load(os.path.join(data_dir, "gallery.npy"))
    qlabels = np.load(os.path.join(data_dir, "query-labels.npy"))[:n]
    glabels = np.load(os.path.join(data_dir, "gallery-labels.npy"))
    jobs = min(multiprocessing.cpu_count(), 32)

    t0 = time.perf_counter()
    q = queries.astype(np.float64)
    g = gallery.astype(np.float64)
    sq = (q * q).sum(1)[:, None] + (g * g).sum(1)[None, :] - 2.0 * (q @ g.T)
    sim = np.exp(-np.sqrt(np.maximum(sq, 0.0)))
    t1 = time.perf_counter()
    rel = (qlabels[:, None] == glabels[None, :]).astype(np.int64)
    with Parallel(n_jobs=jobs) as parallel:
        ap_all = parallel(delayed(average_precision_score)(rel[i], sim[i]) for i in range(n))
        ap_200 = parallel(delayed(ap_top_k)(sim[i], rel[i], 200) for i in range(n))
        p_100 = parallel(delayed(precision_at_k)(sim[i], rel[i], 100) for i in range(n))
    t2 = time.perf_counter()
    if save_scores:
        np.save(os.path.join(data_dir, "scores.npy"), sim)
    print(
        json.dumps(
            {
                "queries": n,
                "gallery": len(glabels),
                "similaritySeconds": t1 - t0,
                "rankingSeconds": t2 - t1,
                "totalSeconds": t2 - t0,
                "mAPAll": float(np.mean(ap_all)),
                "mAP200": float(np.mean(ap_200)),
                "precision100": float(np.mean(p_100)),
                "jobs": jobs,
                "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
