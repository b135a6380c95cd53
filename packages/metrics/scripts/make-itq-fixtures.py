"""Reference values for the eigendecomposition, Procrustes rotation and ITQ tests, from numpy.

Regenerate (from packages/metrics):  /usr/bin/python3 scripts/make-itq-fixtures.py
Writes src/__fixtures__/itq.json:
- eigen: a random symmetric matrix and numpy.linalg.eigh's eigenvalues (largest first) and
  eigenvectors (sign: largest-magnitude entry positive).
- rotation: a random square matrix M, U Vt from numpy's SVD, and the sum of singular values.
- itq: float32 features, bits, iterations, a starting rotation, and the PCA projection, final
  rotation and codes of ITQ (Gong & Lazebnik 2011, the paper's Procrustes step R = S_hat S^T),
  written here with numpy.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "itq.json")
rng = np.random.default_rng(11)


def canonical(vectors):
    idx = np.argmax(np.abs(vectors), axis=0)
    return vectors * np.sign(vectors[idx, np.arange(vectors.shape[1])])


def eigen_desc(matrix):
    values, vectors = np.linalg.eigh(matrix)
    order = np.argsort(values)[::-1]
    return values[order], canonical(vectors[:, order])


a = rng.standard_normal((7, 7))
symmetric = a + a.T
values, vectors = eigen_desc(symmetric)

m = rng.standard_normal((5, 5))
u, s, vt = np.linalg.svd(m)

n, dim, bits, iterations = 300, 12, 8, 10
centres = rng.standard_normal((3, dim)) * 2
features = (centres[rng.integers(0, 3, n)] + rng.standard_normal((n, dim))).astype(np.float32)
x = features.astype(np.float64)
mean = x.mean(axis=0)
cov = np.cov(x - mean, rowvar=False)
_, pcs = eigen_desc(cov)
w = pcs[:, :bits]
v = (x - mean) @ w
r0, _ = np.linalg.qr(rng.standard_normal((bits, bits)))
r = r0.copy()
for _ in range(iterations):
    b = np.where(v @ r >= 0, 1.0, -1.0)
    left, _, right_t = np.linalg.svd(v.T @ b)
    r = left @ right_t  # nearest orthogonal matrix to V^T B
codes = (v @ r > 0).astype(int)

with open(OUT, "w") as f:
    json.dump(
        {
            "eigen": {"matrix": symmetric.tolist(), "values": values.tolist(), "vectors": vectors.tolist()},
            "rotation": {"matrix": m.tolist(), "nearest": (u @ vt).tolist(), "nuclearNorm": float(s.sum())},
            "itq": {
                "features": features.tolist(),
                "bits": bits,
                "iterations": iterations,
                "initialRotation": r0.tolist(),
                "projection": w.tolist(),
                "rotation": r.tolist(),
                "codes": codes.tolist(),
                "minAbsProjection": float(np.abs(v @ r).min()),
            },
        },
        f,
    )
print(f"wrote {os.path.normpath(OUT)}")
