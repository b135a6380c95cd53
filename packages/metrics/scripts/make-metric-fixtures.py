"""Reference values for the AP / AP@K / P@K tests, computed with scikit-learn and numpy.

Regenerate (from packages/metrics):  /usr/bin/python3 scripts/make-metric-fixtures.py
Writes src/__fixtures__/per-query.json and src/__fixtures__/evaluation.json (whole evaluations,
see the second half of this script).

Each case is one query: float64 scores drawn from a handful of values (heavy ties), 0/1
relevance, and the expected values of every metric under each evaluator's rules:
- sklearn AP: sklearn.metrics.average_precision_score itself.
- sklearn AP@K (SEM-PCYC apsak): average_precision_score on the top-K items of a stable
  argsort of -scores, 0 when the top K holds no relevant item.
- P@K (SEM-PCYC precak / SAKE eval_precision): hits in the top min(K, n) over min(K, n).
- P@K, denominator 'relevant' (ZSE-SBIR precision_eval): hits in the top min(K, R) over
  min(K, R); NaN (null) when R = 0.
- VOC AP and AP@K (SAKE eval_AP_inner + VOCap, ZSE-SBIR voc_eval + voc_ap): stable ranking,
  precision made monotone from the bottom, summed over recall steps; recall denominator R, or
  min(K, R) on the top K; NaN (null) when that denominator is 0.
NaN is written as null.
"""
import json
import os
import warnings

import numpy as np
from sklearn.metrics import average_precision_score

warnings.filterwarnings("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "per-query.json")
KS = [1, 3, 10, 50, 1000]


def stable_rank(scores):
    return np.argsort(-scores, kind="stable")


def sklearn_ap_at_k(scores, rel, k):
    top = stable_rank(scores)[:k]
    if rel[top].sum() == 0:
        return 0.0
    return float(average_precision_score(rel[top], scores[top]))


def voc_ap(rel, scores, k=None):
    ranked = rel[stable_rank(scores)].astype(np.float64)
    denominator = ranked.sum()
    if k is not None:
        ranked = ranked[:k]
        denominator = min(len(ranked), denominator)
    if denominator == 0:
        return None
    hits = np.cumsum(ranked)
    recall = hits / denominator
    precision = hits / np.arange(1, len(ranked) + 1)
    # precision envelope: best precision at this rank or any later rank
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    previous_recall = np.concatenate(([0.0], recall[:-1]))
    steps = recall - previous_recall
    return float(np.sum(steps[ranked == 1] * envelope[ranked == 1]))


def precision_k(rel, scores, k):
    top = stable_rank(scores)[: min(k, len(rel))]
    return float(rel[top].sum() / len(top))


def precision_relevant(rel, scores, k):
    top = min(k, int(rel.sum()))
    if top == 0:
        return None
    return float(rel[stable_rank(scores)[:top]].sum() / top)


def nan_to_none(x):
    return None if x is None or np.isnan(x) else x


rng = np.random.default_rng(20261125)
cases = []
shapes = [(1, 0.5), (2, 0.5), (5, 0.4), (17, 0.3), (40, 0.2), (64, 0.05), (128, 0.1), (300, 0.04)]
for n, rate in shapes:
    for levels in (2, 4, 9, None):
        for _ in range(3):
            if levels is None:
                scores = rng.standard_normal(n)
            else:
                scores = rng.integers(0, levels, n) / (levels - 1) - 0.25
            rel = (rng.random(n) < rate).astype(np.int64)
            cases.append((scores, rel))
# Edge cases: no relevant item, every item relevant, all scores tied.
cases.append((np.array([0.3, 0.1, 0.2]), np.array([0, 0, 0])))
cases.append((np.array([0.3, 0.1, 0.2, 0.2]), np.array([1, 1, 1, 1])))
cases.append((np.full(7, 0.5), np.array([0, 1, 0, 0, 1, 0, 1])))
cases.append((np.array([-1.5, 2.0, 2.0, -1.5, 0.0, -0.0]), np.array([1, 0, 1, 0, 1, 0])))

out = []
for scores, rel in cases:
    entry = {
        "scores": scores.tolist(),
        "relevant": rel.tolist(),
        "sklearn": {
            "ap": float(average_precision_score(rel, scores)) + 0.0,
            "apAtK": {k: sklearn_ap_at_k(scores, rel, k) for k in KS},
        },
        "voc": {
            "ap": voc_ap(rel, scores),
            "apAtK": {k: voc_ap(rel, scores, k) for k in KS},
        },
        "precisionAtK": {k: precision_k(rel, scores, k) for k in KS},
        "precisionAtKRelevant": {k: precision_relevant(rel, scores, k) for k in KS},
    }
    out.append(entry)

with open(OUT, "w") as f:
    json.dump({"ks": KS, "cases": out}, f)
print(f"wrote {len(out)} cases to {os.path.normpath(OUT)}")


# ---------------------------------------------------------------------------------------------
# Whole evaluations (src/__fixtures__/evaluation.json): small embedding sets scored with numpy
# (scipy-cdist-style direct Euclidean distances in float64), every similarity and protocol.
# PR curves follow this package's documented definitions on the stable ranking.
EVAL_OUT = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "evaluation.json")
EVAL_KS = [5, 10, 100]


def similarity(name, q, g):
    q = q.astype(np.float64)
    g = g.astype(np.float64)
    dot = q @ g.T
    if name == "dot":
        return dot
    if name == "cosine":
        norms = np.linalg.norm(q, axis=1)[:, None] * np.linalg.norm(g, axis=1)[None, :]
        return np.where(norms == 0, 0.0, dot / np.where(norms == 0, 1.0, norms))
    dist = np.sqrt(((q[:, None, :] - g[None, :, :]) ** 2).sum(axis=2))
    return {"euclidean": -dist, "exp-euclidean": np.exp(-dist), "inverse-euclidean": 1 / (1 + dist)}[name]


def pr_curves(rel):
    """Raw precision where recall first reaches i/100, and VOC 11-point interpolated precision."""
    ranked = rel.astype(np.float64)
    positives = int(ranked.sum())
    hits = np.cumsum(ranked)
    precision = hits / np.arange(1, len(ranked) + 1)
    at_relevant = precision[ranked == 1]
    raw = [at_relevant[int(np.ceil(i * positives / 100)) - 1] for i in range(1, 101)]
    envelope = np.maximum.accumulate(at_relevant[::-1])[::-1]
    interpolated = [envelope[max(1, int(np.ceil(t * positives / 10))) - 1] for t in range(11)]
    return raw, interpolated


def nanmean(values):
    values = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    return None if np.all(np.isnan(values)) else float(np.nanmean(values))


def evaluate(scores, qlabels, glabels, protocol):
    per_query = {"ap": [], "apAtK": {k: [] for k in EVAL_KS}, "precisionAtK": {k: [] for k in EVAL_KS}}
    raw_sum, interp_sum, with_relevant = np.zeros(100), np.zeros(11), 0
    for i in range(scores.shape[0]):
        s, rel = scores[i], (glabels == qlabels[i]).astype(np.int64)
        if protocol == "sklearn":
            per_query["ap"].append(float(average_precision_score(rel, s)) + 0.0)
        else:
            per_query["ap"].append(voc_ap(rel, s))
        for k in EVAL_KS:
            ap_k = sklearn_ap_at_k(s, rel, k) if protocol == "sklearn" else voc_ap(rel, s, k)
            per_query["apAtK"][k].append(ap_k)
            per_query["precisionAtK"][k].append(precision_k(rel, s, k))
        if rel.sum() > 0:
            raw, interp = pr_curves(rel[stable_rank(s)])
            raw_sum += raw
            interp_sum += interp
            with_relevant += 1
    classes = sorted(set(qlabels.tolist()))
    per_class = [
        nanmean([per_query["ap"][i] for i in range(len(qlabels)) if qlabels[i] == c]) for c in classes
    ]
    return {
        "mAPAll": nanmean(per_query["ap"]),
        "mAPAllClassAveraged": nanmean(per_class),
        "mAPAtK": {k: nanmean(per_query["apAtK"][k]) for k in EVAL_KS},
        "precisionAtK": {k: nanmean(per_query["precisionAtK"][k]) for k in EVAL_KS},
        "perClassMAP": per_class,
        "perQueryAP": per_query["ap"],
        "prRaw": (raw_sum / with_relevant).tolist(),
        "prInterpolated": (interp_sum / with_relevant).tolist(),
    }


erng = np.random.default_rng(7)
dim = 6
centers = erng.standard_normal((4, dim))
glabels = np.repeat(np.arange(4), 8)
gallery = (centers[glabels] + 0.9 * erng.standard_normal((32, dim))).astype(np.float32)
gallery[5] = gallery[20]  # duplicate gallery items of different classes: an exact tie
gallery[6] = gallery[20]
qlabels = np.array([0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 9, 2])  # class 9 has no gallery item
queries = (centers[np.minimum(qlabels, 3)] + 0.9 * erng.standard_normal((12, dim))).astype(np.float32)
queries[4] = gallery[20]  # a query equal to gallery items: distance exactly 0
queries[11] = 0  # an all-zero query: cosine similarity 0 everywhere

tied_scores = erng.integers(0, 4, (9, 25)).astype(np.float64)
tied_qlabels = np.array([0, 1, 2, 0, 1, 2, 0, 1, 5])
tied_glabels = erng.integers(0, 3, 25)

evaluation = {
    "ks": EVAL_KS,
    "queries": queries.tolist(),
    "gallery": gallery.tolist(),
    "queryLabels": qlabels.tolist(),
    "galleryLabels": glabels.tolist(),
    "bySimilarity": {
        name: {p: evaluate(similarity(name, queries, gallery), qlabels, glabels, p) for p in ("sklearn", "voc")}
        for name in ("cosine", "dot", "euclidean", "exp-euclidean", "inverse-euclidean")
    },
    "tied": {
        "scores": tied_scores.tolist(),
        "queryLabels": tied_qlabels.tolist(),
        "galleryLabels": tied_glabels.tolist(),
        "results": {p: evaluate(tied_scores, tied_qlabels, tied_glabels, p) for p in ("sklearn", "voc")},
    },
}
with open(EVAL_OUT, "w") as f:
    json.dump(evaluation, f)
print(f"wrote {os.path.normpath(EVAL_OUT)}")
