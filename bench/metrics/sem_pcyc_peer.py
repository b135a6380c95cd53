"""The SEM-PCYC evaluator, the peer of bench/metrics/run.mjs (written for this benchmark).

Computes what SEM-PCYC's src/test.py reports after embedding: Euclidean distances with numpy
(float64, BLAS), similarity exp(-distance), then mAP@all (scikit-learn average_precision_score
per query), mAP@200 (the same on each query's top 200, 0 when it holds no relevant item) and P@100,
on joblib workers (n_jobs = cores), with the structure of SEM-PCYC's src/utils.py: `apsak`
argsorts the whole similarity matrix and gathers sorted copies of the scores and relevance before
calling scikit-learn; `precak` compares Python sets of relevant and retrieved indices and computes
recall alongside. (A leaner variant, one scikit-learn call per unsorted row, measured the same.)

usage: sem_pcyc_peer.py DATA_DIR NUM_QUERIES [save-scores]
Reads queries.npy, gallery.npy, query-labels.npy, gallery-labels.npy from DATA_DIR and uses the
first NUM_QUERIES queries. Prints one JSON line: timings (s), metric values, peak RSS (MiB).
With save-scores, also writes that subset's similarity matrix (float64) to DATA_DIR/scores.npy.
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

JOBS = min(multiprocessing.cpu_count(), 32)


def ap_of_sorted_top(sim, rel, k=None):
    order = (-sim).argsort()[:, :k]
    sim_sorted = np.array([sim[i, row] for i, row in enumerate(order)])
    rel_sorted = np.array([rel[i, row] for i, row in enumerate(order)])
    nonzero = np.where(rel_sorted.sum(axis=1) != 0)[0]
    out = np.zeros(sim.shape[0])
    out[nonzero] = Parallel(n_jobs=JOBS)(
        delayed(average_precision_score)(rel_sorted[i], sim_sorted[i]) for i in nonzero
    )
    return out


def set_precision(actual, predicted, k):
    return len(set(actual) & set(predicted[:k])) / min(k, len(set(predicted[:k])))


def set_recall(actual, predicted, k):
    return len(set(actual) & set(predicted[:k])) / max(len(set(actual)), 1)


def precision_with_sets(sim, rel, k):
    actual = [np.nonzero(row)[0] for row in rel]
    predicted = np.argsort(-sim, axis=1)
    n = len(actual)
    precision = Parallel(n_jobs=JOBS)(delayed(set_precision)(actual[i], predicted[i], k) for i in range(n))
    Parallel(n_jobs=JOBS)(delayed(set_recall)(actual[i], predicted[i], k) for i in range(n))
    return np.mean(precision)


def evaluate(sim, rel):
    return np.mean(ap_of_sorted_top(sim, rel)), np.mean(ap_of_sorted_top(sim, rel, 200)), precision_with_sets(sim, rel, 100)


def main():
    data_dir, n = sys.argv[1], int(sys.argv[2])
    save_scores = "save-scores" in sys.argv[3:]
    queries = np.load(os.path.join(data_dir, "queries.npy"))[:n]
    gallery = np.load(os.path.join(data_dir, "gallery.npy"))
    qlabels = np.load(os.path.join(data_dir, "query-labels.npy"))[:n]
    glabels = np.load(os.path.join(data_dir, "gallery-labels.npy"))

    t0 = time.perf_counter()
    q = queries.astype(np.float64)
    g = gallery.astype(np.float64)
    sq = (q * q).sum(1)[:, None] + (g * g).sum(1)[None, :] - 2.0 * (q @ g.T)
    sim = np.exp(-np.sqrt(np.maximum(sq, 0.0)))
    t1 = time.perf_counter()
    rel = (qlabels[:, None] == glabels[None, :]) * 1
    map_all, map_200, p_100 = evaluate(sim, rel)
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
                "mAPAll": float(map_all),
                "mAP200": float(map_200),
                "precision100": float(p_100),
                "jobs": JOBS,
                "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
