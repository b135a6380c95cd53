/** Eigendecomposition of a symmetric matrix. */
export interface SymmetricEigen {
  /** `[n]` eigenvalues, largest first. */
  values: Float64Array;
  /**
   * `[n, n]` row-major; column j is the unit eigenvector of `values[j]`, its sign chosen so that
   * its largest-magnitude entry is positive.
   */
  vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a symmetric `[n, n]` matrix (row-major) by the cyclic Jacobi
 * method: plane rotations zero each off-diagonal entry in turn until the off-diagonal mass is
 * below `1e-15` of the total (Golub & Van Loan, Matrix Computations, section 8.5). About
 * 10 sweeps of n³ work; for the d x d covariance of PCA.
 *
 * @param matrix `[n, n]`, read only (the upper triangle and diagonal are used).
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      a[i * n + j] = matrix[i * n + j]!;
      a[j * n + i] = matrix[i * n + j]!;
    }
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => a[y * n + y]! - a[x * n + x]!,
  );
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((from, c) => {
    let largest = 0;
    for (let r = 0; r < n; r++) {
      if (Math.abs(v[r * n + from]!) > Math.abs(largest)) largest = v[r * n + from]!;
    }
    const sign = largest < 0 ? -1 : 1;
    for (let r = 0; r < n; r++) vectors[r * n + c] = sign * v[r * n + from]!;
  });
  return { values, vectors };
}

/** One Jacobi rotation in the (p, q) plane that zeroes a[p][q]; accumulates it into v. */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q]!;
  if (apq === 0) return;
  const app = a[p * n + p]!;
  const aqq = a[q * n + q]!;
  const theta = (aqq - app) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p]!;
    const akq = a[k * n + q]!;
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k]!;
    const aqk = a[q * n + k]!;
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  a[p * n + q] = 0;
  a[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p]!;
    const vkq = v[k * n + q]!;
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}
