/**
 * The orthogonal matrix nearest to a square `[n, n]` matrix M (row-major): U Vᵀ from its singular
 * value decomposition M = U Σ Vᵀ, which maximises trace(Rᵀ M) — the orthogonal Procrustes
 * solution (Schönemann 1966) that ITQ's rotation step needs. The SVD is one-sided Jacobi
 * (Hestenes): column pairs of M are rotated until orthogonal; columns with zero singular value
 * are completed to an orthonormal basis.
 */
export function nearestRotation(m: Float64Array, n: number): Float64Array {
  const u = Float64Array.from(m);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < n; k++) {
          const x = u[k * n + p]!;
          const y = u[k * n + q]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (const w of [u, v]) {
          for (let k = 0; k < n; k++) {
            const x = w[k * n + p]!;
            const y = w[k * n + q]!;
            w[k * n + p] = c * x - s * y;
            w[k * n + q] = s * x + c * y;
          }
        }
      }
    }
    if (!rotated) break;
  }
  normaliseColumns(u, n);
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += u[i * n + k]! * v[j * n + k]!;
      r[i * n + j] = sum;
    }
  }
  return r;
}

/** Scales the columns of U to unit length; replaces (near-)zero columns by Gram-Schmidt. */
function normaliseColumns(u: Float64Array, n: number): void {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(u[i]!));
  const zero: number[] = [];
  for (let c = 0; c < n; c++) {
    let norm = 0;
    for (let k = 0; k < n; k++) norm += u[k * n + c]! ** 2;
    norm = Math.sqrt(norm);
    if (norm <= 1e-12 * scale * n) {
      zero.push(c);
      continue;
    }
    for (let k = 0; k < n; k++) u[k * n + c]! /= norm;
  }
  const filled = Array.from({ length: n }, (_, c) => c).filter((c) => !zero.includes(c));
  for (const c of zero) {
    // The standard basis vector with the largest part outside the filled columns.
    let best: Float64Array | undefined;
    let bestNorm = 0;
    for (let e = 0; e < n; e++) {
      const col = new Float64Array(n);
      col[e] = 1;
      for (const f of filled) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += col[k]! * u[k * n + f]!;
        for (let k = 0; k < n; k++) col[k]! -= dot * u[k * n + f]!;
      }
      const norm = Math.sqrt(col.reduce((sum, x) => sum + x * x, 0));
      if (norm > bestNorm) {
        best = col;
        bestNorm = norm;
      }
    }
    for (let k = 0; k < n; k++) u[k * n + c] = best![k]! / bestNorm;
    filled.push(c);
  }
}
